"""Reading incidents and comments, always scoped to a team: another team's ids are not found."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from watchdeck.domain.accounts.schemas import MemberOut
from watchdeck.domain.accounts.teams import list_members
from watchdeck.domain.incidents.models import (
    Comment,
    Incident,
    IncidentSource,
    IncidentStatus,
    TimelineEntry,
)
from watchdeck.domain.incidents.schemas import (
    CommentOut,
    IncidentOut,
    IncidentPage,
    TimelineEntryOut,
)
from watchdeck.platform.errors import NotFound
from watchdeck.platform.pagination import cursor_after, older_than
from watchdeck.platform.vocabulary import Severity


def timeline_entry_out(entry: TimelineEntry) -> TimelineEntryOut:
    return TimelineEntryOut(
        id=entry.id, at=entry.at, kind=entry.kind, actor=entry.actor, data=entry.data
    )


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
        timeline=None if timeline is None else [timeline_entry_out(e) for e in timeline],
    )


def comment_out(comment: Comment) -> CommentOut:
    return CommentOut(
        id=comment.id,
        incident_id=comment.incident_id,
        author_id=comment.author_id,
        author=comment.author,
        author_name=comment.author_name,
        body=comment.body,
        created_at=comment.created_at,
        edited_at=comment.edited_at,
    )


async def page(
    session: AsyncSession,
    team_id: uuid.UUID,
    *,
    statuses: list[IncidentStatus] | None = None,
    severities: list[Severity] | None = None,
    sources: list[IncidentSource] | None = None,
    service_id: uuid.UUID | None = None,
    host_id: uuid.UUID | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    before: str | None = None,
    limit: int = 50,
) -> IncidentPage:
    """Incidents newest first (by opened_at, then id), filtered; `start`/`end` bound opened_at."""
    query = select(Incident).where(Incident.team_id == team_id)
    if statuses:
        query = query.where(Incident.status.in_(statuses))
    if severities:
        query = query.where(Incident.severity.in_(severities))
    if sources:
        query = query.where(Incident.source.in_(sources))
    if service_id is not None:
        query = query.where(Incident.service_id == service_id)
    if host_id is not None:
        query = query.where(Incident.host_id == host_id)
    if start is not None:
        query = query.where(Incident.opened_at >= start)
    if end is not None:
        query = query.where(Incident.opened_at < end)
    if before:
        older, _ = older_than(Incident.opened_at, Incident.id, before, uuid.UUID)
        query = query.where(older)
    order = (Incident.opened_at.desc(), Incident.id.desc())
    rows = list(await session.scalars(query.order_by(*order).limit(limit + 1)))
    items = [incident_out(i) for i in rows[:limit]]
    cursor = cursor_after(items[-1].opened_at, items[-1].id) if len(rows) > limit else None
    return IncidentPage(items=items, next_cursor=cursor)


async def get_incident(
    session: AsyncSession, team_id: uuid.UUID, incident_id: uuid.UUID, *, for_update: bool = False
) -> Incident:
    """The team's incident or NotFound; `for_update` locks the row until the commit."""
    query = select(Incident).where(Incident.team_id == team_id, Incident.id == incident_id)
    incident = await session.scalar(query.with_for_update() if for_update else query)
    if incident is None:
        raise NotFound("no such incident")
    return incident


async def timeline(session: AsyncSession, incident_id: uuid.UUID) -> list[TimelineEntry]:
    return list(
        await session.scalars(
            select(TimelineEntry)
            .where(TimelineEntry.incident_id == incident_id)
            .order_by(TimelineEntry.id)
        )
    )


async def detail(session: AsyncSession, team_id: uuid.UUID, incident_id: uuid.UUID) -> IncidentOut:
    incident = await get_incident(session, team_id, incident_id)
    return incident_out(incident, await timeline(session, incident.id))


async def comments(
    session: AsyncSession, team_id: uuid.UUID, incident_id: uuid.UUID
) -> list[CommentOut]:
    """The incident's comments, oldest first."""
    incident = await get_incident(session, team_id, incident_id)
    rows = await session.scalars(
        select(Comment)
        .where(Comment.incident_id == incident.id)
        .order_by(Comment.created_at, Comment.id)
    )
    return [comment_out(c) for c in rows]


async def get_comment(
    session: AsyncSession,
    team_id: uuid.UUID,
    incident_id: uuid.UUID,
    comment_id: uuid.UUID,
) -> Comment:
    """The comment on the team's incident, locked until the commit, or NotFound."""
    comment = await session.scalar(
        select(Comment)
        .join(Incident, Incident.id == Comment.incident_id)
        .where(
            Incident.team_id == team_id,
            Incident.id == incident_id,
            Comment.id == comment_id,
        )
        .with_for_update(of=Comment)
    )
    if comment is None:
        raise NotFound("no such comment")
    return comment


async def team_member(
    session: AsyncSession, team_id: uuid.UUID, user_id: uuid.UUID
) -> MemberOut | None:
    """The person if they belong to the team (teams are small: one query for all members)."""
    return next((m for m in await list_members(session, team_id) if m.user_id == user_id), None)
