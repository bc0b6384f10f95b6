"""What the services domain tells the real-time layer (realtime/catalogue.py lists every event)."""

from __future__ import annotations

import uuid

import msgspec

from watchdeck.domain.services.models import ServiceStatus
from watchdeck.platform.events import IsoTime


class ServiceChanged(msgspec.Struct):
    """`service.created` / `service.updated` / `service.deleted`."""

    service_id: uuid.UUID
    name: str
    enabled: bool


class StatusChanged(msgspec.Struct, kw_only=True):
    """`service.status`: the service's status moved."""

    service_id: uuid.UUID
    name: str
    before: ServiceStatus = msgspec.field(name="from")
    after: ServiceStatus = msgspec.field(name="to")
    at: IsoTime
    error: str | None  # of the check that moved it


class CheckSeen(msgspec.Struct, kw_only=True):
    """One item of `checks`: a service's newest check result."""

    service_id: uuid.UUID
    at: IsoTime
    ok: bool
    degraded: bool
    latency_ms: float | None
    status_code: int | None
