"""What the hosts domain tells the real-time layer (realtime/catalogue.py lists every event)."""

from __future__ import annotations

import uuid

import msgspec

from watchdeck.domain.hosts.models import METRICS, HostStatus


class HostStatusChanged(msgspec.Struct, kw_only=True):
    """`host.status`: the host went MISSING or reported again."""

    host_id: uuid.UUID
    name: str
    before: HostStatus = msgspec.field(name="from")
    after: HostStatus = msgspec.field(name="to")


# One item of `host.metrics`: the host's newest sample, one field per metric (they follow METRICS).
HostMetrics = msgspec.defstruct(
    "HostMetrics",
    [("host_id", uuid.UUID), *((name, float | None, None) for name in METRICS)],
    kw_only=True,
    module=__name__,
)
