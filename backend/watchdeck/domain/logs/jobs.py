"""Worker jobs of the logs domain."""

from __future__ import annotations

import uuid
from typing import Any

from watchdeck.db.copy import copy_rows
from watchdeck.db.once import first_time
from watchdeck.platform.events import Event, publish_many

COLUMNS = ["team_id", "at", "level", "host_id", "service_id", "source", "message", "attributes"]
LIVE_LINES = 200  # at most this many lines of a batch go out on the live tail


async def store_logs(ctx: dict[str, Any], team_id: str, rows: list[tuple]) -> int:
    """COPY a batch of log lines, then publish the newest for live tails.

    A run again of the same job (its worker died after committing) stores nothing.
    """
    async with ctx["session_factory"]() as session:
        if not await first_time(session, ctx["job_id"]):
            return 0
        await copy_rows(session, "log_lines", COLUMNS, rows)
        await session.commit()
    live = [
        {
            "at": row[1].isoformat(),
            "level": row[2],
            "host_id": str(row[3]) if row[3] else None,
            "service_id": str(row[4]) if row[4] else None,
            "source": row[5],
            "message": row[6],
        }
        for row in rows[-LIVE_LINES:]
    ]
    await publish_many(ctx["redis"], [Event(team_id=uuid.UUID(team_id), kind="logs", data=live)])
    return len(rows)
