"""Wire types of status pages: the team's own view (editing) and the public one."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Literal

import msgspec

from watchdeck.domain.statuspages.models import Theme

Name = Annotated[str, msgspec.Meta(min_length=1, max_length=100)]
Slug = Annotated[
    str,
    msgspec.Meta(
        min_length=1,
        max_length=64,
        pattern=r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$",
        description="lower-case letters, digits and inner hyphens: the page is /status/<slug>",
    ),
]
Members = Annotated[list[uuid.UUID], msgspec.Meta(max_length=50)]
UNSET = msgspec.UNSET
Unset = msgspec.UnsetType


class FooterLink(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    label: Annotated[str, msgspec.Meta(min_length=1, max_length=60)]
    url: Annotated[str, msgspec.Meta(min_length=1, max_length=2048, description="http(s)")]


class ComponentIn(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """A line of the page. Its public name is all readers learn of its services and hosts."""

    name: Name
    group: Name | None = None
    description: Annotated[str, msgspec.Meta(max_length=500)] | None = None
    service_ids: Members = []
    host_ids: Members = []
    show_latency: bool = False


Components = Annotated[list[ComponentIn], msgspec.Meta(max_length=200)]
FooterLinks = Annotated[list[FooterLink], msgspec.Meta(max_length=10)]
Description = Annotated[str, msgspec.Meta(max_length=2000)]


class StatusPageIn(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    slug: Slug
    title: Name
    description: Description | None = None
    theme: Theme = Theme.auto
    indexed: bool = False
    footer_links: FooterLinks = []
    components: Components = []


class StatusPagePatch(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """Fields left out stay; `components`, when given, replaces the whole list in order."""

    slug: Slug | Unset = UNSET
    title: Name | Unset = UNSET
    description: Description | None | Unset = UNSET
    theme: Theme | Unset = UNSET
    indexed: bool | Unset = UNSET
    footer_links: FooterLinks | Unset = UNSET
    components: Components | Unset = UNSET


class ComponentOut(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    name: str
    group: str | None
    description: str | None
    service_ids: list[uuid.UUID]
    host_ids: list[uuid.UUID]
    show_latency: bool


class StatusPageOut(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    slug: str
    title: str
    description: str | None
    theme: Theme
    indexed: bool
    footer_links: list[FooterLink]
    components: list[ComponentOut]
    path: str  # where the public page is served
    created_at: datetime
    updated_at: datetime


# ── the public view ──────────────────────────────────────────────────────────────────────

# The words other status tools use for a component and a page (Atlassian Statuspage's
# summary.json), so readers of that shape understand Watchdeck's too.
ComponentStatus = Literal[
    "operational", "degraded_performance", "partial_outage", "major_outage", "under_maintenance"
]
Indicator = Literal["none", "minor", "major", "critical", "maintenance"]


class PublicDay(msgspec.Struct, kw_only=True):
    date: date
    uptime: float | None  # None: nothing was checked that day


class PublicComponent(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    name: str
    group: str | None
    description: str | None
    status: ComponentStatus | None  # None: no member has a verdict yet
    uptime_90d: float | None
    days: list[PublicDay]
    latency_ms: float | None  # the latest, when the page shows latency for it


class PublicPage(msgspec.Struct, kw_only=True):
    id: str  # the slug: the page's row id is not published
    name: str
    description: str | None
    url: str
    updated_at: datetime


class PageStatus(msgspec.Struct, kw_only=True):
    indicator: Indicator
    description: str


class Summary(msgspec.Struct, kw_only=True):
    """What /status/<slug>/api/summary.json answers and the HTML page is drawn from."""

    page: PublicPage
    status: PageStatus
    components: list[PublicComponent]
