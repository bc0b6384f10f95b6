"""Day partitions of the time-series tables: created ahead, dropped whole after retention."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

_SUFFIX = re.compile(r"_p(\d{8})$")


def partition_name(table: str, day: date) -> str:
    return f"{table}_p{day:%Y%m%d}"


async def ensure_day_partitions(
    conn: AsyncConnection, table: str, days_ahead: int = 3
) -> list[str]:
    """Create the partitions for yesterday through `days_ahead` days from now; returns new ones."""
    today = datetime.now(UTC).date()
    existing = await _partitions(conn, table)
    created = []
    for offset in range(-1, days_ahead + 1):
        day = today + timedelta(days=offset)
        name = partition_name(table, day)
        if name in existing:
            continue
        await conn.execute(
            text(
                f'CREATE TABLE IF NOT EXISTS "{name}" PARTITION OF "{table}" '
                f"FOR VALUES FROM ('{day.isoformat()} 00:00+00') "
                f"TO ('{(day + timedelta(days=1)).isoformat()} 00:00+00')"
            )
        )
        created.append(name)
    return created


async def drop_day_partitions_before(conn: AsyncConnection, table: str, cutoff: date) -> list[str]:
    """Drop every day partition of `table` whose day is before `cutoff`."""
    dropped = []
    for name in sorted(await _partitions(conn, table)):
        match = _SUFFIX.search(name)
        if match and datetime.strptime(match.group(1), "%Y%m%d").date() < cutoff:
            await conn.execute(text(f'DROP TABLE IF EXISTS "{name}"'))
            dropped.append(name)
    return dropped


async def _partitions(conn: AsyncConnection, table: str) -> set[str]:
    rows = await conn.execute(
        text(
            "SELECT child.relname FROM pg_inherits "
            "JOIN pg_class parent ON parent.oid = pg_inherits.inhparent "
            "JOIN pg_class child ON child.oid = pg_inherits.inhrelid "
            "WHERE parent.relname = :table"
        ),
        {"table": table},
    )
    return {row[0] for row in rows}
