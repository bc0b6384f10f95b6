"""Hourly rollups of checks, and the uptime and latency series read from them.

Rollups hold every hour up to the last refresh (each minute); the raw tail
since the current hour began is read from `checks`, so a service's detail is
exact while the overview list reads rollups alone (at most a minute behind).
Checks inside maintenance windows are left out of both.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection
from datetime import UTC, date, datetime, timedelta
from typing import Any

import msgspec
from sqlalchemy import ARRAY, Uuid, bindparam, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from watchdeck.domain.services.schemas import Series, SeriesPoint, Uptime, UptimeDay
from watchdeck.platform.ranges import MAX_POINTS, RANGES

# Buckets small enough to show shape, large enough to keep a series near or under ~1,000 points.
_BUCKETS = [60, 300, 900, 3600, 4 * 3600, 12 * 3600, 86400]

_ROLL_UP = text(
    """
    INSERT INTO check_hourly AS h (service_id, hour, total, failures, degraded,
                                   latency_avg, latency_p50, latency_p95, latency_max)
    SELECT service_id, date_trunc('hour', at), count(*), count(*) FILTER (WHERE NOT ok),
           count(*) FILTER (WHERE degraded), avg(latency_ms),
           percentile_cont(0.5) WITHIN GROUP (ORDER BY latency_ms),
           percentile_cont(0.95) WITHIN GROUP (ORDER BY latency_ms), max(latency_ms)
    FROM checks
    WHERE at >= :start AND at < :end AND NOT muted
    GROUP BY 1, 2
    ON CONFLICT (service_id, hour) DO UPDATE SET
      total = excluded.total, failures = excluded.failures, degraded = excluded.degraded,
      latency_avg = excluded.latency_avg, latency_p50 = excluded.latency_p50,
      latency_p95 = excluded.latency_p95, latency_max = excluded.latency_max
    """
)


_ROLL_UP_DAYS = text(
    """
    INSERT INTO check_daily AS d (service_id, day, total, failures, latency_sum, timed)
    SELECT service_id, (hour AT TIME ZONE 'UTC')::date, sum(total), sum(failures),
           sum(latency_avg * total), sum(CASE WHEN latency_avg IS NULL THEN 0 ELSE total END)
    FROM check_hourly WHERE hour >= :first AND hour < :last
    GROUP BY 1, 2
    ON CONFLICT (service_id, day) DO UPDATE SET
      total = excluded.total, failures = excluded.failures,
      latency_sum = excluded.latency_sum, timed = excluded.timed
    """
)


def _midnight(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)


async def sum_days(conn: AsyncConnection, start: datetime, end: datetime) -> None:
    """Sum again, from their hourly rollups, the whole of each UTC day [start, end) touches
    (for rollups written some other way than `roll_up`, such as imported history)."""
    last = _midnight(end) + timedelta(days=1)
    await conn.execute(_ROLL_UP_DAYS, {"first": _midnight(start), "last": last})


# The overview lists every service with its 24 h uptime. Summing 24 hourly rows per service on
# each request cost ~220 ms at 10,000 services, so the sum is kept per service instead,
# refreshed with the rollups (the list was already as fresh as the rollups).
_REFRESH_24H = text(
    """
    INSERT INTO service_uptime AS u (service_id, uptime_24h)
    SELECT service_id, (sum(total) - sum(failures))::float / nullif(sum(total), 0)
    FROM check_hourly WHERE hour >= date_trunc('hour', now()) - interval '23 hours'
    GROUP BY service_id
    ON CONFLICT (service_id) DO UPDATE SET uptime_24h = excluded.uptime_24h
    WHERE u.uptime_24h IS DISTINCT FROM excluded.uptime_24h
    """
)
_FORGET_24H = text(
    """
    DELETE FROM service_uptime u WHERE NOT EXISTS (
      SELECT 1 FROM check_hourly h
      WHERE h.service_id = u.service_id
        AND h.hour >= date_trunc('hour', now()) - interval '23 hours'
    )
    """
)


async def roll_up(conn: AsyncConnection, start: datetime, end: datetime) -> int:
    """Recompute the hourly rollups of [start, end) and every service's 24 h uptime; returns
    the rollup rows written."""
    result = await conn.execute(_ROLL_UP, {"start": start, "end": end})
    await sum_days(conn, start, end)
    await conn.execute(_REFRESH_24H)
    await conn.execute(_FORGET_24H)
    return result.rowcount


_WINDOWS = ("24h", "7d", "30d", "90d", "1y")

# One pass over a year of rollups gives every window at once; the tail (the
# current hour, not rolled up yet) counts in all of them.
_UPTIME = text(
    "SELECT "
    + ", ".join(
        f"coalesce(sum(total) FILTER (WHERE hour >= :from_{w}), 0), "
        f"coalesce(sum(failures) FILTER (WHERE hour >= :from_{w}), 0)"
        for w in _WINDOWS
    )
    + ", (SELECT count(*) FROM checks WHERE service_id = :id AND at >= :tail AND NOT muted)"
    + ", (SELECT count(*) FROM checks WHERE service_id = :id AND at >= :tail AND NOT muted"
    " AND NOT ok)" + " FROM check_hourly WHERE service_id = :id AND hour >= :since AND hour < :tail"
)


async def uptime(session: AsyncSession, service_id: uuid.UUID, now: datetime) -> Uptime:
    tail = now.replace(minute=0, second=0, microsecond=0)
    params = {"id": service_id, "since": now - RANGES["1y"], "tail": tail}
    params |= {f"from_{w}": now - RANGES[w] for w in _WINDOWS}
    row = (await session.execute(_UPTIME, params)).one()
    tail_total, tail_failures = row[-2], row[-1]
    shares: dict[str, float | None] = {}
    for index, window in enumerate(_WINDOWS):
        total = row[2 * index] + tail_total
        failures = row[2 * index + 1] + tail_failures
        shares[window] = (total - failures) / total if total else None
    return Uptime(
        h24=shares["24h"], d7=shares["7d"], d30=shares["30d"], d90=shares["90d"], y1=shares["1y"]
    )


def bucket_for(span: timedelta) -> int:
    """The smallest bucket (seconds) that keeps the series within MAX_POINTS."""
    for bucket in _BUCKETS:
        if span.total_seconds() / bucket <= MAX_POINTS:
            return bucket
    return _BUCKETS[-1]


_RAW_SERIES = text(
    """
    SELECT date_bin(make_interval(secs => :bucket), at, :origin) AS bucket,
           count(*) FILTER (WHERE NOT muted) AS total,
           count(*) FILTER (WHERE NOT ok AND NOT muted) AS failures,
           avg(latency_ms) AS latency_avg,
           percentile_cont(0.95) WITHIN GROUP (ORDER BY latency_ms) AS latency_p95,
           max(latency_ms) AS latency_max
    FROM checks WHERE service_id = :id AND at >= :start AND at < :end
    GROUP BY 1 ORDER BY 1
    """
)
_HOURLY_SERIES = text(
    """
    SELECT date_bin(make_interval(secs => :bucket), hour, :origin) AS bucket,
           sum(total) AS total, sum(failures) AS failures,
           sum(latency_avg * total) / nullif(sum(total), 0) AS latency_avg,
           max(latency_p95) AS latency_p95, max(latency_max) AS latency_max
    FROM check_hourly WHERE service_id = :id AND hour >= :start AND hour < :end
    GROUP BY 1 ORDER BY 1
    """
)


async def series(
    session: AsyncSession, service_id: uuid.UUID, start: datetime, end: datetime
) -> Series:
    """Latency and uptime over [start, end) at an automatic resolution.

    Buckets under an hour come from raw checks (kept for the retention
    period); hour and longer buckets come from the rollups.
    """
    bucket = bucket_for(end - start)
    query = _RAW_SERIES if bucket < 3600 else _HOURLY_SERIES
    origin = datetime(2000, 1, 1, tzinfo=start.tzinfo)
    rows = await session.execute(
        query, {"id": service_id, "start": start, "end": end, "bucket": bucket, "origin": origin}
    )
    return Series(start=start, end=end, bucket_s=bucket, points=[_point(row) for row in rows])


def _point(row: Any) -> SeriesPoint:
    total, failures = int(row.total or 0), int(row.failures or 0)
    return SeriesPoint(
        t=row.bucket,
        total=total,
        failures=failures,
        uptime=(total - failures) / total if total else None,
        latency_avg=_round(row.latency_avg),
        latency_p95=_round(row.latency_p95),
        latency_max=_round(row.latency_max),
    )


def _round(value: float | None) -> float | None:
    return None if value is None else round(float(value), 2)


# Whole hours from the rollups, the current hour from the raw checks (as `uptime` does), so
# today's bar agrees with the 24 h figure beside it.
_DAILY = text(
    """
    WITH counted AS (
      SELECT service_id, day, total, failures, latency_sum, timed
      FROM check_daily WHERE service_id = ANY(:ids) AND day >= :first AND day < :today
      UNION ALL
      SELECT service_id, (hour AT TIME ZONE 'UTC')::date AS day, total, failures,
             latency_avg * total AS latency_sum,
             CASE WHEN latency_avg IS NULL THEN 0 ELSE total END AS timed
      FROM check_hourly WHERE service_id = ANY(:ids) AND hour >= :today_start AND hour < :tail
      UNION ALL
      SELECT service_id, (at AT TIME ZONE 'UTC')::date, 1, CASE WHEN ok THEN 0 ELSE 1 END,
             latency_ms, CASE WHEN latency_ms IS NULL THEN 0 ELSE 1 END
      FROM checks WHERE service_id = ANY(:ids) AND at >= :tail AND NOT muted
    )
    SELECT service_id, day, sum(total)::int, sum(failures)::int,
           sum(latency_sum) / nullif(sum(timed), 0)
    FROM counted GROUP BY service_id, day
    """
).bindparams(bindparam("ids", type_=ARRAY(Uuid)))


class DayCount(msgspec.Struct, frozen=True):
    total: int
    failures: int
    latency_ms: float | None = None  # the day's mean response time of timed checks


async def daily_counts(
    session: AsyncSession, ids: Collection[uuid.UUID], now: datetime, days: int
) -> dict[uuid.UUID, dict[date, DayCount]]:
    """Checks and failures per UTC day over the last `days` days (today included), per
    service, in one query however many; days without checks are absent. Callers pass ids
    already scoped to a team."""
    if not ids:
        return {}
    today_start = _midnight(now)
    first = today_start.date() - timedelta(days=days - 1)
    tail = now.replace(minute=0, second=0, microsecond=0)
    # Past days from the daily sums, today from its hours and the raw tail.
    rows = await session.execute(
        _DAILY,
        {
            "ids": list(ids),
            "first": first,
            "today": today_start.date(),
            "today_start": today_start,
            "tail": tail,
        },
    )
    counts: dict[uuid.UUID, dict[date, DayCount]] = {}
    for service_id, day, total, failures, latency in rows:
        counts.setdefault(service_id, {})[day] = DayCount(total, failures, latency)
    return counts


async def daily(
    session: AsyncSession, service_id: uuid.UUID, now: datetime, days: int
) -> list[UptimeDay]:
    """Uptime per UTC day for the last `days` days, today included, oldest first."""
    counts = (await daily_counts(session, [service_id], now, days)).get(service_id, {})
    last = now.astimezone(UTC).date()
    out = []
    for back in range(days - 1, -1, -1):
        day = last - timedelta(days=back)
        count = counts.get(day, DayCount(0, 0))
        total, failures = count.total, count.failures
        out.append(
            UptimeDay(
                day=day,
                total=total,
                failures=failures,
                uptime=(total - failures) / total if total else None,
            )
        )
    return out
