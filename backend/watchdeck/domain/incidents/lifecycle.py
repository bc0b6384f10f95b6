"""Opening and resolving incidents automatically, for other domains to call."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from watchdeck.domain.incidents.models import (
    Incident,
    IncidentSource,
    IncidentStatus,
    Severity,
    TimelineEntry,
)


async def open_for_service(
    session: AsyncSession,
    team_id: uuid.UUID,
    service_id: uuid.UUID,
    title: str,
    severity: Severity,
    cause: str | None,
    at: datetime,
) -> Incident:
    """Open an incident for a service that went down, unless one is already open. Caller commits."""
    current = await _open_for_service(session, service_id)
    if current is not None:
        return current
    incident = Incident(
        team_id=team_id,
        title=title,
        description=cause or "",
        severity=severity,
        source=IncidentSource.service_status,
        service_id=service_id,
        opened_at=at,
    )
    session.add(incident)
    await session.flush()
    session.add(
        TimelineEntry(incident_id=incident.id, at=at, kind="opened", data={"cause": cause or ""})
    )
    return incident


async def resolve_for_service(
    session: AsyncSession, service_id: uuid.UUID, at: datetime
) -> Incident | None:
    """Resolve the service's open incident, recording how long it lasted. Caller commits."""
    incident = await _open_for_service(session, service_id)
    if incident is None:
        return None
    incident.status = IncidentStatus.resolved
    incident.resolved_at = at
    seconds = max((at - incident.opened_at).total_seconds(), 0)
    session.add(
        TimelineEntry(
            incident_id=incident.id,
            at=at,
            kind="resolved",
            data={"how": "service recovered", "duration_s": round(seconds)},
        )
    )
    return incident


async def _open_for_service(session: AsyncSession, service_id: uuid.UUID) -> Incident | None:
    return await session.scalar(
        select(Incident)
        .where(
            Incident.service_id == service_id,
            Incident.source == IncidentSource.service_status,
            Incident.status != IncidentStatus.resolved,
        )
        .order_by(Incident.opened_at.desc())
        .limit(1)
    )
