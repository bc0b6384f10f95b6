"""Reading incidents, scoped to a team."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from watchdeck.domain.incidents.models import Incident, IncidentStatus, TimelineEntry
from watchdeck.domain.incidents.schemas import IncidentOut, IncidentPage, TimelineEntryOut
from watchdeck.errors import NotFound


def incident_out(incident: Incident, timeline: list[TimelineEntry] | None = None) -> IncidentOut:
    duration = (
        (incident.resolved_at - incident.opened_at).total_seconds()
        if incident.resolved_at
        else None
    )
    return IncidentOut(
        id=incident.id,
        title=incident.title,
        description=incident.description,
        severity=incident.severity,
        status=incident.status,
        source=incident.source,
        service_id=incident.service_id,
        host_id=incident.host_id,
        assignee_id=incident.assignee_id,
        opened_at=incident.opened_at,
        acknowledged_at=incident.acknowledged_at,
        resolved_at=incident.resolved_at,
        duration_s=duration,
        timeline=None
        if timeline is None
        else [
            TimelineEntryOut(id=e.id, at=e.at, kind=e.kind, actor=e.actor, data=e.data)
            for e in timeline
        ],
    )


async def page(
    session: AsyncSession,
    team_id: uuid.UUID,
    status: IncidentStatus | None,
    service_id: uuid.UUID | None,
    before: datetime | None,
    limit: int,
) -> IncidentPage:
    query = select(Incident).where(Incident.team_id == team_id)
    if status is not None:
        query = query.where(Incident.status == status)
    if service_id is not None:
        query = query.where(Incident.service_id == service_id)
    if before is not None:
        query = query.where(Incident.opened_at < before)
    rows = list(await session.scalars(query.order_by(Incident.opened_at.desc()).limit(limit + 1)))
    items = [incident_out(i) for i in rows[:limit]]
    return IncidentPage(items=items, next_cursor=items[-1].opened_at if len(rows) > limit else None)


async def detail(session: AsyncSession, team_id: uuid.UUID, incident_id: uuid.UUID) -> IncidentOut:
    incident = await session.scalar(
        select(Incident).where(Incident.team_id == team_id, Incident.id == incident_id)
    )
    if incident is None:
        raise NotFound("no such incident")
    timeline = list(
        await session.scalars(
            select(TimelineEntry)
            .where(TimelineEntry.incident_id == incident.id)
            .order_by(TimelineEntry.id)
        )
    )
    return incident_out(incident, timeline)
