"""Publishing an incident to status pages: its public title, impact, components and updates.

A notice is written by people for readers; nothing of the internal incident (its title,
comments, services) reaches a page but what the notice says. Each step is also kept on
the internal incident's timeline, so the team sees what was told and when.
"""

from __future__ import annotations

import uuid

import msgspec
from redis.asyncio import Redis
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from watchdeck.domain.accounts.auth import Principal
from watchdeck.domain.incidents import broadcast, queries
from watchdeck.domain.incidents.models import TimelineEntry
from watchdeck.domain.statuspages import cache, delivery, live
from watchdeck.domain.statuspages.models import (
    NoticeStatus,
    PublicIncident,
    PublicUpdate,
    StatusComponent,
    StatusPage,
)
from watchdeck.domain.statuspages.schemas import (
    NoticeIn,
    NoticeOut,
    NoticePatch,
    UpdateIn,
    UpdateOut,
)
from watchdeck.platform.clock import utcnow
from watchdeck.platform.errors import Conflict, Invalid, NotFound
from watchdeck.platform.events import EventKind


def notice_out(notice: PublicIncident) -> NoticeOut:
    return NoticeOut(
        id=notice.id,
        incident_id=notice.incident_id,
        title=notice.title,
        impact=notice.impact,
        status=notice.status,
        page_ids=list(notice.page_ids),
        component_ids=list(notice.component_ids),
        created_at=notice.created_at,
        updated_at=notice.updated_at,
        resolved_at=notice.resolved_at,
        updates=[
            UpdateOut(id=u.id, status=u.status, body=u.body, at=u.at, author=u.author)
            for u in notice.updates
        ],
    )


async def _slugs(session: AsyncSession, page_ids: list[uuid.UUID]) -> set[str]:
    return set(await session.scalars(select(StatusPage.slug).where(StatusPage.id.in_(page_ids))))


async def _check_targets(
    session: AsyncSession,
    team_id: uuid.UUID,
    page_ids: list[uuid.UUID],
    component_ids: list[uuid.UUID],
) -> None:
    """The pages are the team's and each component is on one of them."""
    owned = set(
        await session.scalars(
            select(StatusPage.id).where(StatusPage.team_id == team_id, StatusPage.id.in_(page_ids))
        )
    )
    for index, page_id in enumerate(page_ids):
        if page_id not in owned:
            raise Invalid(f"page_ids[{index}]", f"no such status page in this team: {page_id}")
    shown = set(
        await session.scalars(
            select(StatusComponent.id).where(StatusComponent.page_id.in_(page_ids))
        )
    )
    for index, component_id in enumerate(component_ids):
        if component_id not in shown:
            raise Invalid(
                f"component_ids[{index}]", f"not a component of the chosen pages: {component_id}"
            )


async def _get(session: AsyncSession, team_id: uuid.UUID, notice_id: uuid.UUID) -> PublicIncident:
    notice = await session.scalar(
        select(PublicIncident).where(
            PublicIncident.team_id == team_id, PublicIncident.id == notice_id
        )
    )
    if notice is None:
        raise NotFound("no such published incident")
    return notice


async def list_notices(
    session: AsyncSession, team_id: uuid.UUID, incident_id: uuid.UUID | None
) -> list[NoticeOut]:
    query = select(PublicIncident).where(PublicIncident.team_id == team_id)
    if incident_id is not None:
        query = query.where(PublicIncident.incident_id == incident_id)
    notices = await session.scalars(query.order_by(PublicIncident.created_at.desc()).limit(200))
    return [notice_out(n) for n in notices]


async def get(session: AsyncSession, team_id: uuid.UUID, notice_id: uuid.UUID) -> NoticeOut:
    return notice_out(await _get(session, team_id, notice_id))


def _timeline(notice: PublicIncident, kind: str, actor: str, **data: object) -> TimelineEntry:
    return TimelineEntry(
        incident_id=notice.incident_id,
        at=utcnow(),
        kind=kind,
        actor=actor,
        data={"notice_id": str(notice.id), **data},
    )


async def _told(
    session: AsyncSession,
    redis: Redis,
    principal: Principal,
    notice: PublicIncident,
    slugs: set[str],
    entry: TimelineEntry | None,
    update: PublicUpdate | None,
) -> NoticeOut:
    """After a change: commit, refresh the pages, tell the team and the subscribers."""
    if entry is not None:
        session.add(entry)
    await session.commit()
    await session.refresh(notice, ["updates", "updated_at"])
    await cache.forget(redis, slugs)
    await live.changed(redis, slugs)
    if entry is not None and notice.incident_id is not None:
        await _announce(session, redis, principal, notice.incident_id, entry)
    if update is not None:
        await delivery.queue_update(redis, update.id)
    return notice_out(notice)


async def _announce(
    session: AsyncSession,
    redis: Redis,
    principal: Principal,
    incident_id: uuid.UUID,
    entry: TimelineEntry,
) -> None:
    """The internal incident's timeline grew: its watchers in the dashboard are told."""
    incident = await queries.detail(session, principal.team_id, incident_id)
    await broadcast.incident_changed(
        redis,
        principal.team_id,
        EventKind.incident_updated,
        incident,
        [queries.timeline_entry_out(entry)],
    )


async def publish(
    session: AsyncSession, redis: Redis, principal: Principal, data: NoticeIn
) -> NoticeOut:
    team_id = principal.team_id
    if data.incident_id is not None:
        await queries.get_incident(session, team_id, data.incident_id)
        taken = await session.scalar(
            select(PublicIncident.id).where(PublicIncident.incident_id == data.incident_id)
        )
        if taken is not None:
            raise Conflict(
                "incident_id: already published; post an update to it instead",
                {"incident_id": "already published"},
            )
    page_ids = list(dict.fromkeys(data.page_ids))
    component_ids = list(dict.fromkeys(data.component_ids))
    await _check_targets(session, team_id, page_ids, component_ids)
    now = utcnow()
    update = PublicUpdate(status=data.status, body=data.body, at=now, author=principal.label)
    notice = PublicIncident(
        id=uuid.uuid4(),
        team_id=team_id,
        incident_id=data.incident_id,
        title=data.title,
        impact=data.impact,
        status=data.status,
        page_ids=page_ids,
        component_ids=component_ids,
        created_at=now,
        updated_at=now,
        resolved_at=now if data.status is NoticeStatus.resolved else None,
        updates=[update],
    )
    session.add(notice)
    await session.flush()
    entry = (
        _timeline(notice, "published", principal.label, title=data.title, status=data.status)
        if data.incident_id
        else None
    )
    return await _told(
        session, redis, principal, notice, await _slugs(session, page_ids), entry, update
    )


async def post_update(
    session: AsyncSession,
    redis: Redis,
    principal: Principal,
    notice_id: uuid.UUID,
    data: UpdateIn,
) -> NoticeOut:
    notice = await _get(session, principal.team_id, notice_id)
    now = utcnow()
    update = PublicUpdate(status=data.status, body=data.body, at=now, author=principal.label)
    notice.updates.append(update)
    notice.status = data.status
    notice.updated_at = now
    # A later update that is not "resolved" reopens the notice: readers see it current again.
    notice.resolved_at = now if data.status is NoticeStatus.resolved else None
    await session.flush()
    entry = (
        _timeline(notice, "public_update", principal.label, status=data.status)
        if notice.incident_id
        else None
    )
    slugs = await _slugs(session, list(notice.page_ids))
    return await _told(session, redis, principal, notice, slugs, entry, update)


async def change(
    session: AsyncSession,
    redis: Redis,
    principal: Principal,
    notice_id: uuid.UUID,
    changes: NoticePatch,
) -> NoticeOut:
    notice = await _get(session, principal.team_id, notice_id)
    before = await _slugs(session, list(notice.page_ids))
    page_ids = (
        list(notice.page_ids)
        if changes.page_ids is msgspec.UNSET
        else list(dict.fromkeys(changes.page_ids))
    )
    component_ids = (
        list(notice.component_ids)
        if changes.component_ids is msgspec.UNSET
        else list(dict.fromkeys(changes.component_ids))
    )
    await _check_targets(session, principal.team_id, page_ids, component_ids)
    notice.page_ids = page_ids
    notice.component_ids = component_ids
    if changes.title is not msgspec.UNSET:
        notice.title = changes.title
    if changes.impact is not msgspec.UNSET:
        notice.impact = changes.impact
    notice.updated_at = utcnow()
    slugs = before | await _slugs(session, page_ids)
    return await _told(session, redis, principal, notice, slugs, None, None)


async def unpublish(
    session: AsyncSession, redis: Redis, principal: Principal, notice_id: uuid.UUID
) -> None:
    notice = await _get(session, principal.team_id, notice_id)
    slugs = await _slugs(session, list(notice.page_ids))
    incident_id = notice.incident_id
    entry = _timeline(notice, "unpublished", principal.label) if incident_id else None
    if entry is not None:
        session.add(entry)
    await session.delete(notice)
    await session.commit()
    await cache.forget(redis, slugs)
    await live.changed(redis, slugs)
    if entry is not None and incident_id is not None:
        await _announce(session, redis, principal, incident_id, entry)
