"""Wire types of the logs domain."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

import msgspec

# What a log line's level may be, as agents send it and as the search filters it.
Level = Literal["debug", "info", "warning", "error", "critical"]


class LogLineOut(msgspec.Struct):
    id: int
    at: datetime
    level: str | None
    host_id: uuid.UUID | None
    service_id: uuid.UUID | None
    source: str
    message: str
    attributes: dict[str, Any] | None


class LogPage(msgspec.Struct):
    items: list[LogLineOut]
    next_cursor: str | None  # pass as `before` for the next, older page
