"""Traffic a service pushes about itself (request and error counts, p95 latency): the
rows ingest hands over, the job that stores them, and the series charts read."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from watchdeck.db.copy import copy_rows
from watchdeck.db.once import first_time
from watchdeck.domain.services.schemas import TrafficSeries
from watchdeck.platform.ranges import (
    BUCKET_ORIGIN,
    HOUR_BUCKETS,
    MAX_POINTS,
    MINUTE_BUCKETS,
    rounded,
)


class TrafficRow(NamedTuple):
    """One pushed sample, in the column order of the `service_metrics` table."""

    service_id: uuid.UUID
    at: datetime
    requests: int
    errors: int
    latency_p95_ms: float | None


COLUMNS = list(TrafficRow._fields)


async def store_service_metrics(ctx: dict[str, Any], rows: list[TrafficRow]) -> int:
    """COPY a batch of service samples; a run again of the same job stores nothing."""
    async with ctx["session_factory"]() as session:
        if not await first_time(session, ctx["job_id"]):
            return 0
        await copy_rows(session, "service_metrics", COLUMNS, rows)
        await session.commit()
    return len(rows)


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
            for b in [10, 60, *MINUTE_BUCKETS[1:], *HOUR_BUCKETS]
            if (end - start).total_seconds() / b <= MAX_POINTS
        ),
        HOUR_BUCKETS[-1],
    )
    rows = (
        await session.execute(
            text(
                f"SELECT extract(epoch FROM date_bin(make_interval(secs => {bucket}), at, "
                f"'{BUCKET_ORIGIN}'))::bigint, sum(requests), sum(errors), max(latency_p95_ms) "
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
        latency_p95_ms=[rounded(r[3]) for r in rows],
        last_sample_at=last_sample_at,
    )
