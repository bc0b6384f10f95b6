"""Wire types of status pages: the team's own view (editing) and the public one."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Literal

import msgspec

from watchdeck.domain.statuspages.models import Access, Impact, NoticeStatus, Theme
from watchdeck.platform.text import label

Name = label(100)
Slug = Annotated[
    str,
    msgspec.Meta(
        min_length=1,
        max_length=64,
        pattern=r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$",
        description="lower-case letters, digits and inner hyphens: the page is /status/<slug>",
    ),
]
LinkLabel = label(60)
Members = Annotated[list[uuid.UUID], msgspec.Meta(max_length=50)]
UNSET = msgspec.UNSET
Unset = msgspec.UnsetType


class FooterLink(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    label: LinkLabel
    url: Annotated[str, msgspec.Meta(min_length=1, max_length=2048, description="http(s)")]


class ComponentIn(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """A line of the page. Its public name is all readers learn of its services and hosts.

    `id`, of a component the page has, keeps it the same component through a change: the
    incidents naming it and the subscribers who chose it go on meaning it."""

    id: uuid.UUID | None = None
    name: Name
    group: Name | None = None
    description: Annotated[str, msgspec.Meta(max_length=500)] | None = None
    service_ids: Members = []
    host_ids: Members = []
    show_latency: bool = False


Components = Annotated[list[ComponentIn], msgspec.Meta(max_length=200)]
FooterLinks = Annotated[list[FooterLink], msgspec.Meta(max_length=10)]
Description = Annotated[str, msgspec.Meta(max_length=2000)]
Password = Annotated[
    str, msgspec.Meta(min_length=8, max_length=200, description="write-only; readers type it")
]
AllowedIps = Annotated[
    list[Annotated[str, msgspec.Meta(min_length=1, max_length=50)]],
    msgspec.Meta(max_length=50, description="addresses or CIDR ranges that may read the page"),
]
Domain = Annotated[
    str,
    msgspec.Meta(
        min_length=3,
        max_length=253,
        description="a host name (status.example.com) whose DNS points here: the page is / there",
    ),
]


class StatusPageIn(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    slug: Slug
    title: Name
    description: Description | None = None
    theme: Theme = Theme.auto
    indexed: bool = False
    footer_links: FooterLinks = []
    components: Components = []
    access: Access = Access.public
    password: Password | None = None
    allowed_ips: AllowedIps = []
    custom_domain: Domain | None = None


class StatusPagePatch(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """Fields left out stay; `components`, when given, replaces the whole list in order."""

    slug: Slug | Unset = UNSET
    title: Name | Unset = UNSET
    description: Description | None | Unset = UNSET
    theme: Theme | Unset = UNSET
    indexed: bool | Unset = UNSET
    footer_links: FooterLinks | Unset = UNSET
    components: Components | Unset = UNSET
    access: Access | Unset = UNSET
    password: Password | Unset = UNSET
    allowed_ips: AllowedIps | Unset = UNSET
    custom_domain: Domain | None | Unset = UNSET


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
    access: Access
    has_password: bool
    allowed_ips: list[str]
    custom_domain: str | None
    logo_path: str | None  # where the logo is served; none: no logo
    path: str  # where the public page is served
    created_at: datetime
    updated_at: datetime


# ── published incidents ("notices") ─────────────────────────────────────────────────────

NoticeTitle = label(200)
NoticeBody = Annotated[str, msgspec.Meta(min_length=1, max_length=5000)]
PageIds = Annotated[list[uuid.UUID], msgspec.Meta(min_length=1, max_length=20)]
ComponentIds = Annotated[list[uuid.UUID], msgspec.Meta(max_length=200)]


class NoticeIn(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """An incident as readers of the team's pages are told of it; `body` is its first
    public update. Nothing of the internal incident is shown but what is written here."""

    incident_id: uuid.UUID | None = None
    title: NoticeTitle
    impact: Impact
    page_ids: PageIds
    component_ids: ComponentIds = []
    status: NoticeStatus = NoticeStatus.investigating
    body: NoticeBody


class NoticePatch(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    title: NoticeTitle | Unset = UNSET
    impact: Impact | Unset = UNSET
    page_ids: PageIds | Unset = UNSET
    component_ids: ComponentIds | Unset = UNSET


class UpdateIn(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    status: NoticeStatus
    body: NoticeBody


class UpdateOut(msgspec.Struct, kw_only=True):
    id: int
    status: NoticeStatus
    body: str
    at: datetime
    author: str | None


class NoticeOut(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    incident_id: uuid.UUID | None
    title: str
    impact: Impact
    status: NoticeStatus
    page_ids: list[uuid.UUID]
    component_ids: list[uuid.UUID]
    created_at: datetime
    updated_at: datetime
    resolved_at: datetime | None
    updates: list[UpdateOut]  # oldest first


# ── the public view ──────────────────────────────────────────────────────────────────────

# The words other status tools use for a component and a page (Atlassian Statuspage's
# summary.json), so readers of that shape understand Watchdeck's too.
ComponentStatus = Literal[
    "operational", "degraded_performance", "partial_outage", "major_outage", "under_maintenance"
]
Indicator = Literal["none", "minor", "major", "critical", "maintenance"]


class PublicDay(msgspec.Struct, kw_only=True, omit_defaults=True):
    date: date
    uptime: float | None  # None: nothing was checked that day
    latency_ms: float | None = None  # the day's mean, when the page shows latency for it


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


class PublicUpdate(msgspec.Struct, kw_only=True):
    status: NoticeStatus
    body: str
    created_at: datetime


class PublicNotice(msgspec.Struct, kw_only=True):
    """A published incident as readers see it; `incident_updates` newest first."""

    id: uuid.UUID
    name: str
    status: NoticeStatus
    impact: Impact
    created_at: datetime
    updated_at: datetime
    resolved_at: datetime | None
    shortlink: str
    components: list[str]  # public names
    incident_updates: list[PublicUpdate]


MaintenanceState = Literal["scheduled", "in_progress"]


class PublicMaintenance(msgspec.Struct, kw_only=True):
    name: str
    description: str | None
    status: MaintenanceState
    scheduled_for: datetime
    scheduled_until: datetime
    components: list[str]  # public names; empty: the whole page


class Summary(msgspec.Struct, kw_only=True):
    """What /status/<slug>/api/summary.json answers and the HTML page is drawn from."""

    page: PublicPage
    status: PageStatus
    components: list[PublicComponent]
    incidents: list[PublicNotice]  # not resolved yet
    scheduled_maintenances: list[PublicMaintenance]  # in progress or within the coming weeks
