"""Wire types of the incidents domain."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import msgspec

from watchdeck.domain.incidents.models import IncidentSource, IncidentStatus, Severity


class TimelineEntryOut(msgspec.Struct):
    id: int
    at: datetime
    kind: str
    actor: str | None
    data: dict[str, Any]


class IncidentOut(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    title: str
    description: str
    severity: Severity
    status: IncidentStatus
    source: IncidentSource
    service_id: uuid.UUID | None
    host_id: uuid.UUID | None
    assignee_id: uuid.UUID | None
    opened_at: datetime
    acknowledged_at: datetime | None
    resolved_at: datetime | None
    duration_s: float | None  # open to resolved
    timeline: list[TimelineEntryOut] | None = None


class IncidentPage(msgspec.Struct):
    items: list[IncidentOut]
    next_cursor: datetime | None
