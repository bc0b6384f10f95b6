"""Worker jobs of the logs domain."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, NamedTuple

from watchdeck.db.copy import copy_rows
from watchdeck.db.once import first_time
from watchdeck.domain.logs.events import LiveLine
from watchdeck.platform.events import Event, EventKind, publish_many


class LogRow(NamedTuple):
    """One line, in the column order of `log_lines`: what ingest hands the worker."""

    team_id: uuid.UUID
    at: datetime
    level: str | None
    host_id: uuid.UUID | None
    service_id: uuid.UUID | None
    source: str
    message: str
    attributes: str | None  # JSON text


COLUMNS = list(LogRow._fields)
LIVE_LINES = 200  # at most this many lines of a batch go out on the live tail


async def store_logs(ctx: dict[str, Any], team_id: str, rows: list[LogRow]) -> int:
    """COPY a batch of log lines, then publish the newest for live tails.

    A run again of the same job (its worker died after committing) stores nothing.
    """
    async with ctx["session_factory"]() as session:
        if not await first_time(session, ctx["job_id"]):
            return 0
        await copy_rows(session, "log_lines", COLUMNS, rows)
        await session.commit()
    live = [
        LiveLine(
            at=row.at.isoformat(),
            level=row.level,
            host_id=row.host_id,
            service_id=row.service_id,
            source=row.source,
            message=row.message,
        )
        for row in rows[-LIVE_LINES:]
    ]
    event = Event(team_id=uuid.UUID(team_id), kind=EventKind.logs, data=live)
    await publish_many(ctx["redis"], [event])
    return len(rows)
