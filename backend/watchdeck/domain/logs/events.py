"""What the logs domain tells the real-time layer (realtime/catalogue.py lists every event)."""

from __future__ import annotations

import uuid

import msgspec

from watchdeck.platform.events import IsoTime


class LiveLine(msgspec.Struct, kw_only=True):
    """One item of `logs`: a stored line, for live tails."""

    at: IsoTime
    level: str | None
    host_id: uuid.UUID | None
    service_id: uuid.UUID | None  # None when the line is about no service
    source: str
    message: str
