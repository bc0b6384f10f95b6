"""Many services' health at once: their status now and their checks per day.

For views that show a set of services side by side (status pages), in a fixed
number of queries however many services they name.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection
from datetime import UTC, date, datetime, timedelta

import msgspec
from sqlalchemy import ARRAY, Uuid, bindparam, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from watchdeck.domain.services import maintenance
from watchdeck.domain.services.models import Service, ServiceStatus


class Health(msgspec.Struct, frozen=True):
    status: ServiceStatus
    latency_ms: float | None
    in_maintenance: bool


class DayCount(msgspec.Struct, frozen=True):
    total: int
    failures: int


async def healths(
    session: AsyncSession, team_id: uuid.UUID, ids: Collection[uuid.UUID], now: datetime
) -> dict[uuid.UUID, Health]:
    """The health of those of `ids` that are the team's services."""
    if not ids:
        return {}
    rows = (
        await session.execute(
            select(Service.id, Service.status, Service.last_latency_ms).where(
                Service.team_id == team_id, Service.id.in_(set(ids))
            )
        )
    ).all()
    muting = await maintenance.muting_at(session, [team_id], now)
    return {
        service_id: Health(status, latency, muting.covers(team_id, service_id))
        for service_id, status, latency in rows
    }


# Hourly rollups up to the current hour, then the raw checks of this hour.
_DAILY = text(
    """
    WITH counted AS (
      SELECT service_id, (hour AT TIME ZONE 'UTC')::date AS day, total, failures
      FROM check_hourly WHERE service_id = ANY(:ids) AND hour >= :since AND hour < :tail
      UNION ALL
      SELECT service_id, (at AT TIME ZONE 'UTC')::date, 1, CASE WHEN ok THEN 0 ELSE 1 END
      FROM checks WHERE service_id = ANY(:ids) AND at >= :tail AND NOT muted
    )
    SELECT service_id, day, sum(total)::int, sum(failures)::int
    FROM counted GROUP BY service_id, day
    """
).bindparams(bindparam("ids", type_=ARRAY(Uuid)))


async def daily_counts(
    session: AsyncSession, ids: Collection[uuid.UUID], now: datetime, days: int
) -> dict[uuid.UUID, dict[date, DayCount]]:
    """Checks and failures per UTC day over the last `days` days (today included), per
    service; days without checks are absent. Callers pass ids already scoped to a team."""
    if not ids:
        return {}
    first = now.astimezone(UTC).date() - timedelta(days=days - 1)
    since = datetime(first.year, first.month, first.day, tzinfo=UTC)
    tail = now.replace(minute=0, second=0, microsecond=0)
    rows = await session.execute(_DAILY, {"ids": list(ids), "since": since, "tail": tail})
    counts: dict[uuid.UUID, dict[date, DayCount]] = {}
    for service_id, day, total, failures in rows:
        counts.setdefault(service_id, {})[day] = DayCount(total, failures)
    return counts
