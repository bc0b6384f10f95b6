"""Many services' health at once, for views that show a set of services side by side
(status pages), in a fixed number of queries however many services they name."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from datetime import datetime

import msgspec
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from watchdeck.domain.services import maintenance
from watchdeck.domain.services.models import Service, ServiceStatus


class Health(msgspec.Struct, frozen=True):
    status: ServiceStatus
    latency_ms: float | None
    in_maintenance: bool


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
