"""People working incidents: open by hand, edit, acknowledge, resolve, reopen.

Status moves, and the route that makes each (the route declares who may):

| from | to | route | role |
| --- | --- | --- | --- |
| open | investigating | PATCH `status` (acknowledge; `acknowledged_at` is set once) | developer |
| open, investigating | resolved | POST `/resolve` | admin |
| resolved | open | POST `/reopen` | admin |

Any other move is a 409. PATCH refuses `resolved` and reopening with a 422 on
`status` that names the route to use, so the admin-only moves have exactly one
door each. Every change is one transaction with its timeline entries (actor:
the caller's email), published after the commit.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncSession

from watchdeck.domain.accounts.auth import Principal
from watchdeck.domain.incidents import broadcast, queries
from watchdeck.domain.incidents.lifecycle import mark_resolved
from watchdeck.domain.incidents.models import (
    Incident,
    IncidentSource,
    IncidentStatus,
    TimelineEntry,
)
from watchdeck.domain.incidents.schemas import UNSET, IncidentIn, IncidentOut, IncidentPatch
from watchdeck.platform import subjects
from watchdeck.platform.clock import utcnow
from watchdeck.platform.errors import Conflict, Invalid
from watchdeck.platform.events import EventKind
from watchdeck.platform.vocabulary import TargetKind

_ROUTES = "/api/v1/incidents/{id}"


async def open_incident(
    session: AsyncSession, redis: Redis, principal: Principal, data: IncidentIn
) -> IncidentOut:
    """Open an incident by hand (source `manual`); publishes `incident.opened`."""
    title = _title(data.title)
    links = ((TargetKind.service, data.service_id), (TargetKind.host, data.host_id))
    for kind, subject_id in links:
        if subject_id is not None and not await subjects.exists(
            session, kind, principal.team_id, subject_id
        ):
            raise Invalid(f"{kind}_id", f"no such {kind} in this team")
    if data.assignee_id is not None:
        await _ensure_member(session, principal.team_id, data.assignee_id)
    now = utcnow()
    incident = Incident(
        team_id=principal.team_id,
        title=title,
        description=data.description,
        severity=data.severity,
        status=IncidentStatus.open,
        source=IncidentSource.manual,
        service_id=data.service_id,
        host_id=data.host_id,
        assignee_id=data.assignee_id,
        opened_at=now,
    )
    session.add(incident)
    await session.flush()
    entry = _entry(incident, now, principal, "opened", {"source": IncidentSource.manual.value})
    return await _commit(session, redis, principal, EventKind.incident_opened, incident, [entry])


async def update(
    session: AsyncSession,
    redis: Redis,
    principal: Principal,
    incident_id: uuid.UUID,
    changes: IncidentPatch,
) -> IncidentOut:
    """Apply the fields sent, one timeline entry per field that changed; publishes
    `incident.updated` when something did."""
    incident = await queries.get_incident(session, principal.team_id, incident_id, for_update=True)
    now = utcnow()
    entries: list[TimelineEntry] = []

    def changed(kind: str, before: Any, after: Any) -> None:
        entries.append(_entry(incident, now, principal, kind, {"from": before, "to": after}))

    if changes.status is not UNSET and changes.status != incident.status:
        before = incident.status
        _acknowledge(incident, changes.status, now)
        changed("status", before.value, incident.status.value)
    if changes.severity is not UNSET and changes.severity != incident.severity:
        changed("severity", incident.severity.value, changes.severity.value)
        incident.severity = changes.severity
    title = incident.title if changes.title is UNSET else _title(changes.title)
    if title != incident.title:
        changed("title", incident.title, title)
        incident.title = title
    if changes.description is not UNSET and changes.description != incident.description:
        changed("description", incident.description, changes.description)
        incident.description = changes.description
    if changes.assignee_id is not UNSET and changes.assignee_id != incident.assignee_id:
        if changes.assignee_id is not None:
            await _ensure_member(session, principal.team_id, changes.assignee_id)
        changed("assignee", _str(incident.assignee_id), _str(changes.assignee_id))
        incident.assignee_id = changes.assignee_id

    if not entries:
        return queries.incident_out(incident, await queries.timeline(session, incident.id))
    return await _commit(session, redis, principal, EventKind.incident_updated, incident, entries)


async def resolve(
    session: AsyncSession,
    redis: Redis,
    principal: Principal,
    incident_id: uuid.UUID,
    note: str | None,
) -> IncidentOut:
    """Resolve now; the timeline entry carries the duration (and the note, if any)."""
    incident = await queries.get_incident(session, principal.team_id, incident_id, for_update=True)
    if incident.status is IncidentStatus.resolved:
        raise Conflict("the incident is already resolved")
    extra = {"note": note} if note and note.strip() else {}
    entry = mark_resolved(incident, utcnow(), principal.label, **extra)
    return await _commit(session, redis, principal, EventKind.incident_updated, incident, [entry])


async def reopen(
    session: AsyncSession,
    redis: Redis,
    principal: Principal,
    incident_id: uuid.UUID,
    note: str | None,
) -> IncidentOut:
    """Back to open after a resolve; `acknowledged_at` keeps the first acknowledgement."""
    incident = await queries.get_incident(session, principal.team_id, incident_id, for_update=True)
    if incident.status is not IncidentStatus.resolved:
        raise Conflict(f"only a resolved incident can be reopened; this one is {incident.status}")
    data: dict[str, Any] = {"from": IncidentStatus.resolved.value, "to": IncidentStatus.open.value}
    if note and note.strip():
        data["note"] = note
    incident.status = IncidentStatus.open
    incident.resolved_at = None
    entry = _entry(incident, utcnow(), principal, "reopened", data)
    return await _commit(session, redis, principal, EventKind.incident_updated, incident, [entry])


def _acknowledge(incident: Incident, to: IncidentStatus, at: datetime) -> None:
    route = _ROUTES.format(id=incident.id)
    if to is IncidentStatus.resolved:
        raise Invalid("status", f"resolving is its own action: POST {route}/resolve")
    if incident.status is IncidentStatus.resolved and to is IncidentStatus.open:
        raise Invalid("status", f"reopening is its own action: POST {route}/reopen")
    if (incident.status, to) != (IncidentStatus.open, IncidentStatus.investigating):
        raise Conflict(f"an incident cannot go from {incident.status} to {to}")
    incident.status = to
    if incident.acknowledged_at is None:
        incident.acknowledged_at = at


def _entry(
    incident: Incident, at: datetime, principal: Principal, kind: str, data: dict[str, Any]
) -> TimelineEntry:
    return TimelineEntry(
        incident_id=incident.id, at=at, kind=kind, actor=principal.label, data=data
    )


async def _commit(
    session: AsyncSession,
    redis: Redis,
    principal: Principal,
    kind: str,
    incident: Incident,
    entries: list[TimelineEntry],
) -> IncidentOut:
    session.add_all(entries)
    await session.flush()
    out = queries.incident_out(incident, await queries.timeline(session, incident.id))
    added = [queries.timeline_entry_out(entry) for entry in entries]
    await session.commit()
    await broadcast.incident_changed(redis, principal.team_id, kind, out, added)
    return out


def _title(title: str) -> str:
    if not title.strip():
        raise Invalid("title", "must not be blank")
    return title.strip()


def _str(value: uuid.UUID | None) -> str | None:
    return None if value is None else str(value)


async def _ensure_member(session: AsyncSession, team_id: uuid.UUID, user_id: uuid.UUID) -> None:
    if await queries.team_member(session, team_id, user_id) is None:
        raise Invalid("assignee_id", "not a member of this team")
