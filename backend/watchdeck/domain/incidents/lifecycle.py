"""Opening and resolving incidents automatically, for other domains to call.

An incident belongs to what broke: a service (went DOWN) or a host (went
MISSING). While one is open for a subject, no second one opens for it.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from watchdeck.domain.incidents.models import (
    Incident,
    IncidentSource,
    IncidentStatus,
    TimelineEntry,
)
from watchdeck.platform.vocabulary import Severity


async def open_for(
    session: AsyncSession,
    team_id: uuid.UUID,
    source: IncidentSource,
    title: str,
    cause: str | None,
    at: datetime,
    *,
    severity: Severity = Severity.high,
    service_id: uuid.UUID | None = None,
    host_id: uuid.UUID | None = None,
) -> Incident:
    """Open an incident for the subject unless one is open already. The caller commits."""
    current = await _open(session, source, service_id, host_id)
    if current is not None:
        return current
    incident = Incident(
        team_id=team_id,
        title=title,
        description=cause or "",
        severity=severity,
        source=source,
        service_id=service_id,
        host_id=host_id,
        opened_at=at,
    )
    session.add(incident)
    await session.flush()
    session.add(
        TimelineEntry(incident_id=incident.id, at=at, kind="opened", data={"cause": cause or ""})
    )
    return incident


async def resolve_for(
    session: AsyncSession,
    source: IncidentSource,
    at: datetime,
    *,
    service_id: uuid.UUID | None = None,
    host_id: uuid.UUID | None = None,
) -> Incident | None:
    """Resolve the subject's open incident, recording how long it lasted. The caller commits."""
    incident = await _open(session, source, service_id, host_id)
    if incident is None:
        return None
    how = "service recovered" if service_id else "host reported again"
    session.add(mark_resolved(incident, at, None, how=how))
    return incident


def mark_resolved(
    incident: Incident, at: datetime, actor: str | None, **data: Any
) -> TimelineEntry:
    """Resolve `incident` at `at`; returns the timeline entry (with the duration) to add."""
    previous = incident.status
    incident.status = IncidentStatus.resolved
    incident.resolved_at = at
    seconds = max((at - incident.opened_at).total_seconds(), 0)
    return TimelineEntry(
        incident_id=incident.id,
        at=at,
        kind="resolved",
        actor=actor,
        data={"from": previous.value, "to": "resolved", "duration_s": round(seconds), **data},
    )


async def _open(
    session: AsyncSession,
    source: IncidentSource,
    service_id: uuid.UUID | None,
    host_id: uuid.UUID | None,
) -> Incident | None:
    query = select(Incident).where(
        Incident.source == source, Incident.status != IncidentStatus.resolved
    )
    query = query.where(
        Incident.service_id == service_id if service_id else Incident.host_id == host_id
    )
    return await session.scalar(query.order_by(Incident.opened_at.desc()).limit(1))


async def note(
    session: AsyncSession, incident_id: uuid.UUID, at: datetime, kind: str, **data: Any
) -> None:
    """Add a system entry (e.g. an alert firing) to an incident's timeline. The caller commits."""
    session.add(TimelineEntry(incident_id=incident_id, at=at, kind=kind, data=data))


async def resolve_by_id(
    session: AsyncSession, incident_id: uuid.UUID, at: datetime, how: str
) -> Incident | None:
    """Resolve an open incident by id (e.g. when the alert that opened it resolves)."""
    incident = await session.get(Incident, incident_id, with_for_update=True)
    if incident is None or incident.status is IncidentStatus.resolved:
        return None
    session.add(mark_resolved(incident, at, None, how=how))
    return incident
