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
from watchdeck.domain.hosts.schemas import HostMetrics, MetricSeries
from watchdeck.platform.errors import Invalid
from watchdeck.platform.ranges import (
    BUCKET_ORIGIN,
    HOUR_BUCKETS,
    MAX_POINTS,
    MINUTE_BUCKETS,
    rounded,
)

# Past two days, hourly points are plenty for a chart and far cheaper to read
# than thousands of 1-minute rows per host (a 7-day chart: 168 rows, not 10,080).
MINUTE_ROLLUPS_UP_TO = timedelta(days=2)

Source = Literal["raw", "1m", "1h"]


def plan(span: timedelta, sample_interval_s: int) -> tuple[Source, int]:
    """Which table to read and the bucket size in seconds."""
    seconds = span.total_seconds()
    if seconds / max(sample_interval_s, 1) <= MAX_POINTS:
        return "raw", sample_interval_s
    if span <= MINUTE_ROLLUPS_UP_TO:
        for bucket in MINUTE_BUCKETS:
            if seconds / bucket <= MAX_POINTS:
                return "1m", bucket
    for bucket in HOUR_BUCKETS:
        if seconds / bucket <= MAX_POINTS:
            return "1h", bucket
    return "1h", HOUR_BUCKETS[-1]


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
            f"'{BUCKET_ORIGIN}'))::bigint AS t, {columns} FROM {table} "
            "WHERE host_id = :id AND bucket >= :start AND bucket < :end GROUP BY 1 ORDER BY 1"
        )
    rows = (await session.execute(text(sql), {"id": host_id, "start": start, "end": end})).all()
    series = {
        m: MetricSeries(
            avg=[rounded(r[1 + 3 * i]) for r in rows],
            min=[rounded(r[2 + 3 * i]) for r in rows],
            max=[rounded(r[3 + 3 * i]) for r in rows],
        )
        for i, m in enumerate(metrics)
    }
    return HostMetrics(
        start=start, end=end, bucket_s=bucket, source=source, t=[r[0] for r in rows], series=series
    )
