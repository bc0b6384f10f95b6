"""Maintenance windows: one-off or recurring (RFC 5545 RRULE in a time zone).

While a window covers a service, its checks still run and are stored, but
they are marked muted: status holds, no incident opens, and uptime leaves
them out.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import msgspec
from dateutil.rrule import rrulestr
from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from watchdeck.domain.services.models import MaintenanceWindow, Service
from watchdeck.domain.services.schemas import MaintenanceIn, MaintenanceOut, MaintenancePatch
from watchdeck.platform.errors import Invalid, NotFound


def is_active(window: MaintenanceWindow, at: datetime) -> bool:
    """Whether `window` covers the instant `at` (UTC)."""
    if not window.rrule:
        return window.starts_at <= at < (window.ends_at or window.starts_at)
    zone = ZoneInfo(window.timezone)
    # Recurrences follow wall-clock time in the window's zone, across DST changes.
    first = window.starts_at.astimezone(zone).replace(tzinfo=None)
    now = at.astimezone(zone).replace(tzinfo=None)
    if window.ends_at and at >= window.ends_at:
        return False
    latest = rrulestr(window.rrule, dtstart=first).before(now, inc=True)
    return latest is not None and now < latest + timedelta(minutes=window.duration_min or 0)


def occurrences(
    window: MaintenanceWindow, start: datetime, end: datetime
) -> list[tuple[datetime, datetime]]:
    """The times `window` covers that overlap `start`..`end` (UTC), earliest first."""
    if not window.rrule:
        ends = window.ends_at or window.starts_at
        return [(window.starts_at, ends)] if window.starts_at < end and ends > start else []
    zone = ZoneInfo(window.timezone)
    length = timedelta(minutes=window.duration_min or 0)
    first = window.starts_at.astimezone(zone).replace(tzinfo=None)
    rule = rrulestr(window.rrule, dtstart=first)
    local_start = (start - length).astimezone(zone).replace(tzinfo=None)
    local_end = end.astimezone(zone).replace(tzinfo=None)
    found = []
    for local in rule.between(local_start, local_end, inc=True):
        begins = local.replace(tzinfo=zone).astimezone(start.tzinfo)
        if window.ends_at and begins >= window.ends_at:
            break
        if begins + length > start:
            found.append((begins, begins + length))
    return found


@dataclass
class Muting:
    """Which services are muted right now, per team."""

    whole_teams: set[uuid.UUID] = field(default_factory=set)
    services: set[uuid.UUID] = field(default_factory=set)

    def covers(self, team_id: uuid.UUID, service_id: uuid.UUID) -> bool:
        return team_id in self.whole_teams or service_id in self.services


async def muting_at(session: AsyncSession, team_ids: Iterable[uuid.UUID], at: datetime) -> Muting:
    windows = await session.scalars(
        select(MaintenanceWindow).where(
            MaintenanceWindow.team_id.in_(set(team_ids)),
            MaintenanceWindow.starts_at <= at,
            or_(MaintenanceWindow.ends_at.is_(None), MaintenanceWindow.ends_at > at),
        )
    )
    muting = Muting()
    for window in windows:
        if is_active(window, at):
            if window.service_ids:
                muting.services.update(window.service_ids)
            else:
                muting.whole_teams.add(window.team_id)
    return muting


def _out(window: MaintenanceWindow, at: datetime) -> MaintenanceOut:
    return MaintenanceOut(
        id=window.id,
        name=window.name,
        starts_at=window.starts_at,
        ends_at=window.ends_at,
        rrule=window.rrule,
        duration_min=window.duration_min,
        timezone=window.timezone,
        service_ids=list(window.service_ids),
        public=window.public,
        public_title=window.public_title,
        public_body=window.public_body,
        active=is_active(window, at),
        created_at=window.created_at,
    )


def _validate(window: MaintenanceWindow) -> None:
    try:
        ZoneInfo(window.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise Invalid("timezone", f"unknown time zone {window.timezone!r}") from None
    if window.rrule:
        if not window.duration_min:
            raise Invalid("duration_min", "a recurring window needs a duration")
        try:
            rrulestr(window.rrule, dtstart=window.starts_at.replace(tzinfo=None))
        except (ValueError, TypeError) as exc:
            raise Invalid("rrule", f"not a valid RRULE: {exc}") from None
    elif window.ends_at is None:
        raise Invalid("ends_at", "a one-off window needs an end (or give an rrule)")
    if window.ends_at is not None and window.ends_at <= window.starts_at:
        raise Invalid("ends_at", "must be after starts_at")
    if window.public and not window.public_title:
        raise Invalid("public_title", "a public window needs the title readers see")


async def _check_services(session: AsyncSession, team_id: uuid.UUID, ids: list[uuid.UUID]) -> None:
    if not ids:
        return
    found = set(
        await session.scalars(
            select(Service.id).where(Service.team_id == team_id, Service.id.in_(ids))
        )
    )
    missing = [str(i) for i in ids if i not in found]
    if missing:
        raise Invalid("service_ids", f"no such service in this team: {', '.join(missing)}")


async def create(
    session: AsyncSession,
    team_id: uuid.UUID,
    created_by: uuid.UUID | None,
    data: MaintenanceIn,
    at: datetime,
) -> MaintenanceOut:
    window = MaintenanceWindow(
        team_id=team_id, created_by=created_by, **msgspec.structs.asdict(data)
    )
    _validate(window)
    await _check_services(session, team_id, data.service_ids)
    session.add(window)
    await session.commit()
    return _out(window, at)


async def list_windows(
    session: AsyncSession, team_id: uuid.UUID, at: datetime
) -> list[MaintenanceOut]:
    windows = await session.scalars(
        select(MaintenanceWindow)
        .where(MaintenanceWindow.team_id == team_id)
        .order_by(MaintenanceWindow.starts_at.desc())
    )
    return [_out(w, at) for w in windows]


async def _get(
    session: AsyncSession, team_id: uuid.UUID, window_id: uuid.UUID
) -> MaintenanceWindow:
    window = await session.scalar(
        select(MaintenanceWindow).where(
            MaintenanceWindow.team_id == team_id, MaintenanceWindow.id == window_id
        )
    )
    if window is None:
        raise NotFound("no such maintenance window")
    return window


async def update(
    session: AsyncSession,
    team_id: uuid.UUID,
    window_id: uuid.UUID,
    changes: MaintenancePatch,
    at: datetime,
) -> MaintenanceOut:
    window = await _get(session, team_id, window_id)
    for name, value in msgspec.structs.asdict(changes).items():
        if value is not msgspec.UNSET:
            setattr(window, name, value)
    _validate(window)
    await _check_services(session, team_id, list(window.service_ids))
    await session.commit()
    return _out(window, at)


async def delete(session: AsyncSession, team_id: uuid.UUID, window_id: uuid.UUID) -> None:
    await session.delete(await _get(session, team_id, window_id))
    await session.commit()
