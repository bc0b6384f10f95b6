"""Host metric series at a resolution that keeps every chart near or under 1,000 points.

Short ranges read raw samples, up to two days read 1-minute rollups, and
longer ranges read 1-hour rollups, so 30 days costs about what an hour does.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Literal

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from watchdeck.domain.hosts.models import METRICS
from watchdeck.domain.hosts.schemas import HostMetrics, MetricSeries, TrafficSeries
from watchdeck.platform.errors import Invalid

MAX_POINTS = 1000
# Past two days, hourly points are plenty for a chart and far cheaper to read
# than thousands of 1-minute rows per host (a 7-day chart: 168 rows, not 10,080).
MINUTE_ROLLUPS_UP_TO = timedelta(days=2)
_MINUTE_BUCKETS = [60, 120, 300, 600, 900, 1800]
_HOUR_BUCKETS = [3600, 7200, 4 * 3600, 6 * 3600, 12 * 3600, 86400]
_ORIGIN = datetime(2000, 1, 1).isoformat() + "+00:00"

Source = Literal["raw", "1m", "1h"]


def plan(span: timedelta, sample_interval_s: int) -> tuple[Source, int]:
    """Which table to read and the bucket size in seconds."""
    seconds = span.total_seconds()
    if seconds / max(sample_interval_s, 1) <= MAX_POINTS:
        return "raw", sample_interval_s
    if span <= MINUTE_ROLLUPS_UP_TO:
        for bucket in _MINUTE_BUCKETS:
            if seconds / bucket <= MAX_POINTS:
                return "1m", bucket
    for bucket in _HOUR_BUCKETS:
        if seconds / bucket <= MAX_POINTS:
            return "1h", bucket
    return "1h", _HOUR_BUCKETS[-1]


def parse_metrics(names: str | None) -> list[str]:
    wanted = [n.strip() for n in (names or "").split(",") if n.strip()] or list(METRICS)
    unknown = [n for n in wanted if n not in METRICS]
    if unknown:
        raise Invalid("metrics", f"unknown {', '.join(unknown)}; known: {', '.join(METRICS)}")
    return wanted


async def host_series(
    session: AsyncSession,
    host_id: uuid.UUID,
    sample_interval_s: int,
    start: datetime,
    end: datetime,
    metrics: list[str],
) -> HostMetrics:
    source, bucket = plan(end - start, sample_interval_s)
    if source == "raw":
        columns = ", ".join(f"{m}, {m}, {m}" for m in metrics)
        sql = (
            f"SELECT extract(epoch FROM at)::bigint, {columns} FROM host_metrics "
            "WHERE host_id = :id AND at >= :start AND at < :end ORDER BY at"
        )
    else:
        table = "host_metrics_1m" if source == "1m" else "host_metrics_1h"
        columns = ", ".join(
            f"sum({m}_avg * samples) / nullif(sum(samples), 0), min({m}_min), max({m}_max)"
            for m in metrics
        )
        sql = (
            f"SELECT extract(epoch FROM date_bin(make_interval(secs => {bucket}), bucket, "
            f"'{_ORIGIN}'))::bigint AS t, {columns} FROM {table} "
            "WHERE host_id = :id AND bucket >= :start AND bucket < :end GROUP BY 1 ORDER BY 1"
        )
    rows = (await session.execute(text(sql), {"id": host_id, "start": start, "end": end})).all()
    series = {
        m: MetricSeries(
            avg=[_num(r[1 + 3 * i]) for r in rows],
            min=[_num(r[2 + 3 * i]) for r in rows],
            max=[_num(r[3 + 3 * i]) for r in rows],
        )
        for i, m in enumerate(metrics)
    }
    return HostMetrics(
        start=start, end=end, bucket_s=bucket, source=source, t=[r[0] for r in rows], series=series
    )


async def traffic_series(
    session: AsyncSession, service_id: uuid.UUID, start: datetime, end: datetime
) -> TrafficSeries:
    """Requests, errors and error rate a service pushed, summed per bucket.

    `last_sample_at` is the newest sample still kept, in or out of the window; None
    when the service has never pushed (or everything it pushed has aged out).
    """
    bucket = next(
        (
            b
            for b in [10, 60, *_MINUTE_BUCKETS[1:], *_HOUR_BUCKETS]
            if (end - start).total_seconds() / b <= MAX_POINTS
        ),
        _HOUR_BUCKETS[-1],
    )
    rows = (
        await session.execute(
            text(
                f"SELECT extract(epoch FROM date_bin(make_interval(secs => {bucket}), at, "
                f"'{_ORIGIN}'))::bigint, sum(requests), sum(errors), max(latency_p95_ms) "
                "FROM service_metrics WHERE service_id = :id AND at >= :start AND at < :end "
                "GROUP BY 1 ORDER BY 1"
            ),
            {"id": service_id, "start": start, "end": end},
        )
    ).all()
    last_sample_at = await session.scalar(
        text("SELECT at FROM service_metrics WHERE service_id = :id ORDER BY at DESC LIMIT 1"),
        {"id": service_id},
    )
    return TrafficSeries(
        start=start,
        end=end,
        bucket_s=bucket,
        t=[r[0] for r in rows],
        requests=[int(r[1]) for r in rows],
        errors=[int(r[2]) for r in rows],
        error_rate=[(int(r[2]) / int(r[1])) if r[1] else None for r in rows],
        latency_p95_ms=[_num(r[3]) for r in rows],
        last_sample_at=last_sample_at,
    )


def _num(value: float | None) -> float | None:
    return None if value is None else round(float(value), 3)
