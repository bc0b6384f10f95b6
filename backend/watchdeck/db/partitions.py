"""Time partitions of the time-series tables: created ahead, dropped whole after retention.

Most tables are split by day; long-lived rollups by month. Partitions are
named `<table>_pYYYYMMDD` or `<table>_pYYYYMM` after the period they hold.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Literal

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

Span = Literal["day", "month"]

# Every partitioned table and the period of one partition.
PARTITIONED: dict[str, Span] = {
    "checks": "day",
    "host_metrics": "day",
    "host_metrics_1m": "day",
    "host_metrics_1h": "month",
    "service_metrics": "day",
    "log_lines": "day",
}


def _start(day: date, span: Span) -> date:
    return day if span == "day" else day.replace(day=1)


def _next(start: date, span: Span) -> date:
    if span == "day":
        return start + timedelta(days=1)
    return (start.replace(day=28) + timedelta(days=4)).replace(day=1)


def partition_name(table: str, start: date, span: Span) -> str:
    return f"{table}_p{start:%Y%m%d}" if span == "day" else f"{table}_p{start:%Y%m}"


async def ensure_partitions(
    conn: AsyncConnection, table: str, ahead: int = 3, since: date | None = None
) -> list[str]:
    """Create the partitions from the previous period (or the one holding `since`, for rows
    written into the past) through `ahead` periods on.

    A period with rows in the default partition already is left to it: PostgreSQL refuses
    to create a partition over rows the default holds, and they are found there as well.
    """
    span = PARTITIONED[table]
    existing = await _partitions(conn, table)
    today = datetime.now(UTC).date()
    start = _start(since or today - timedelta(days=1), span)  # the previous period: late rows
    stop = _start(today, span)
    for _ in range(ahead + 1):
        stop = _next(stop, span)
    created = []
    while start < stop:
        end = _next(start, span)
        name = partition_name(table, start, span)
        if name not in existing and not await _default_holds_locked(conn, table, start, end):
            await conn.execute(
                text(
                    f'CREATE TABLE IF NOT EXISTS "{name}" PARTITION OF "{table}" '
                    f"FOR VALUES FROM ('{start.isoformat()} 00:00+00') "
                    f"TO ('{end.isoformat()} 00:00+00')"
                )
            )
            created.append(name)
        start = end
    return created


async def _default_holds_locked(conn: AsyncConnection, table: str, start: date, end: date) -> bool:
    """Whether the default partition holds rows of [start, end), asked under the lock that
    creating the partition takes anyway. Taken first, on the parent, it keeps the order every
    other statement locks in (parent, then partitions): reading the default before locking
    the parent deadlocks with a TRUNCATE or DDL that went the other way."""
    await conn.execute(text(f'LOCK TABLE "{table}" IN ACCESS EXCLUSIVE MODE'))
    column = "bucket" if table in ("host_metrics_1m", "host_metrics_1h") else "at"
    return bool(
        await conn.scalar(
            text(
                f'SELECT EXISTS (SELECT 1 FROM "{table}_default" '
                f"WHERE {column} >= :start AND {column} < :end)"
            ),
            {"start": _midnight(start), "end": _midnight(end)},
        )
    )


def _midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


async def drop_partitions_before(conn: AsyncConnection, table: str, cutoff: date) -> list[str]:
    """Drop every partition of `table` that ends on or before `cutoff`."""
    span = PARTITIONED[table]
    dropped = []
    for name in sorted(await _partitions(conn, table)):
        suffix = name.rsplit("_p", 1)[-1]
        if not suffix.isdigit():
            continue  # the default partition
        start = datetime.strptime(suffix, "%Y%m%d" if span == "day" else "%Y%m").date()
        if _next(start, span) <= cutoff:
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
