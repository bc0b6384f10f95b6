"""The check schedule seen from outside: waiting for the workers to fill it, and counting, in
a window, checks that ran twice and services that were checked too seldom."""

from __future__ import annotations

import asyncio
import subprocess
import time
from datetime import datetime, timedelta

import asyncpg
from redis.asyncio import Redis
from watchdeck.platform import keys

from .report import progress

_DUPLICATES = """
SELECT count(*) FROM (
  SELECT at - lag(at) OVER (PARTITION BY service_id ORDER BY at) AS gap
  FROM checks WHERE at >= $1 AND at < $2
) pairs WHERE gap < $3
"""
_PER_SERVICE = """
SELECT min(coalesce(c.n, 0)), max(coalesce(c.n, 0)), count(*) FILTER (WHERE coalesce(c.n, 0) < $3)
FROM services s LEFT JOIN (
  SELECT service_id, count(*) AS n FROM checks WHERE at >= $1 AND at < $2 GROUP BY service_id
) c ON c.service_id = s.id
"""


async def wait_for_schedule(
    redis: Redis, count: int, workers: list[subprocess.Popen], within: float = 120
) -> None:
    progress(f"waiting for the schedule ({keys.SCHEDULE_DUE}) to hold {count:,} services")
    deadline = time.monotonic() + within
    while (size := await redis.zcard(keys.SCHEDULE_DUE)) != count:
        if any(worker.poll() is not None for worker in workers):
            raise RuntimeError("a worker exited before the schedule was built (see its log)")
        if time.monotonic() > deadline:
            raise RuntimeError(f"the schedule holds {size:,} of {count:,} after {within:.0f} s")
        await asyncio.sleep(0.2)
    progress(f"  the schedule holds {size:,} services")


async def count_duplicates(
    conn: asyncpg.Connection, start: datetime, end: datetime, interval: int
) -> int:
    """Pairs of checks of one service less than half an interval apart."""
    return await conn.fetchval(_DUPLICATES, start, end, timedelta(seconds=interval / 2))


async def checks_per_service(
    conn: asyncpg.Connection, start: datetime, end: datetime, floor: int
) -> tuple[int, int, int]:
    """(fewest, most) checks of a service in the window, and how many had fewer than `floor`."""
    low, high, short = await conn.fetchrow(_PER_SERVICE, start, end, floor)
    return low, high, short
