"""Opening and resolving incidents automatically, for other domains to call.

An incident belongs to what broke: a service (went DOWN) or a host (went
MISSING). While one is open for a subject, no second one opens for it.

Each call returns the event to publish once the caller commits: `incident.opened`
or `incident.resolved`, carrying the incident as people's changes do
(incidents/events.py IncidentChanged).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from watchdeck.domain.incidents.events import incident_event
from watchdeck.domain.incidents.models import (
    Incident,
    IncidentSource,
    IncidentStatus,
    TimelineEntry,
)
from watchdeck.domain.incidents.queries import incident_out, timeline_entry_out
from watchdeck.platform.events import Event, EventKind
from watchdeck.platform.vocabulary import Severity


class Note(NamedTuple):
    """A system entry for an incident's timeline, e.g. the alert that opened or closed it."""

    kind: str
    data: dict[str, Any]


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
    note: Note | None = None,
) -> tuple[Incident, Event]:
    """Open an incident for the subject unless one is open already; `note` goes on its
    timeline either way. The caller commits."""
    entries: list[TimelineEntry] = []
    incident = await _open(session, source, service_id, host_id)
    if incident is None:
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
        entries.append(
            TimelineEntry(
                incident_id=incident.id, at=at, kind="opened", data={"cause": cause or ""}
            )
        )
    if note is not None:
        entries.append(_entry(incident.id, at, note))
    return incident, await _changed(session, EventKind.incident_opened, incident, entries)


async def resolve_for(
    session: AsyncSession,
    source: IncidentSource,
    at: datetime,
    *,
    service_id: uuid.UUID | None = None,
    host_id: uuid.UUID | None = None,
) -> Event | None:
    """Resolve the subject's open incident, recording how long it lasted. The caller commits."""
    incident = await _open(session, source, service_id, host_id)
    if incident is None:
        return None
    how = "service recovered" if service_id else "host reported again"
    entry = mark_resolved(incident, at, None, how=how)
    return await _changed(session, EventKind.incident_resolved, incident, [entry])


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


def add_note(session: AsyncSession, incident_id: uuid.UUID, at: datetime, note: Note) -> None:
    """Add a system entry to an incident's timeline without publishing. The caller commits."""
    session.add(_entry(incident_id, at, note))


async def resolve_by_id(
    session: AsyncSession,
    incident_id: uuid.UUID,
    at: datetime,
    how: str,
    *,
    note: Note | None = None,
) -> Event | None:
    """Resolve an open incident by id (e.g. when the alert that opened it resolves); `note`
    goes on its timeline first, also when it was resolved already."""
    incident = await session.get(Incident, incident_id, with_for_update=True)
    if incident is None:
        return None
    entries = [] if note is None else [_entry(incident.id, at, note)]
    if incident.status is IncidentStatus.resolved:
        session.add_all(entries)
        return None
    entries.append(mark_resolved(incident, at, None, how=how))
    return await _changed(session, EventKind.incident_resolved, incident, entries)


def _entry(incident_id: uuid.UUID, at: datetime, note: Note) -> TimelineEntry:
    return TimelineEntry(incident_id=incident_id, at=at, kind=note.kind, data=note.data)


async def _changed(
    session: AsyncSession, kind: EventKind, incident: Incident, entries: list[TimelineEntry]
) -> Event:
    session.add_all(entries)
    await session.flush()  # the entries get their ids
    added = [timeline_entry_out(entry) for entry in entries]
    return incident_event(incident.team_id, kind, incident_out(incident), added)
