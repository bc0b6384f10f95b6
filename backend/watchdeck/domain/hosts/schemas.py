"""Wire types of the hosts domain: hosts and their metric series."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

import msgspec

from watchdeck.domain.hosts.models import HostStatus
from watchdeck.platform.text import label

Name = label(100)
Labels = Annotated[
    dict[
        Annotated[str, msgspec.Meta(min_length=1, max_length=50, pattern=r"^[\w.:/-]+$")],
        Annotated[str, msgspec.Meta(max_length=100)],
    ],
    msgspec.Meta(max_length=30),
]
UNSET = msgspec.UNSET
Unset = msgspec.UnsetType


class HostIn(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    name: Name
    labels: Labels = {}
    interval_s: Annotated[int, msgspec.Meta(ge=1, le=3600)] = 5
    missing_after: Annotated[int, msgspec.Meta(ge=2, le=1000)] = 6


class HostPatch(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    name: Name | Unset = UNSET
    labels: Labels | Unset = UNSET
    interval_s: Annotated[int, msgspec.Meta(ge=1, le=3600)] | Unset = UNSET
    missing_after: Annotated[int, msgspec.Meta(ge=2, le=1000)] | Unset = UNSET


class HostOut(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    name: str
    labels: dict[str, str]
    status: HostStatus
    status_changed_at: datetime
    last_seen_at: datetime | None
    hostname: str | None
    agent_version: str | None
    os: str | None
    interval_s: int
    missing_after: int
    latest: dict[str, float]
    created_at: datetime


class HostToken(msgspec.Struct):
    token: str  # shown once
    install_command: str


class HostCreated(msgspec.Struct):
    host: HostOut
    token: str
    install_command: str


class MetricSeries(msgspec.Struct):
    avg: list[float | None]
    min: list[float | None]
    max: list[float | None]


class HostMetrics(msgspec.Struct):
    """Columnar, ready for a chart: `t` holds bucket starts in epoch seconds."""

    start: datetime
    end: datetime
    bucket_s: int
    source: Literal["raw", "1m", "1h"]
    t: list[int]
    series: dict[str, MetricSeries]
