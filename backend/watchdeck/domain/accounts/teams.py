"""Teams and their members: create, rename, settings, roles, removal."""

from __future__ import annotations

import uuid

import msgspec
from redis.asyncio import Redis
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from watchdeck.domain.accounts import signals
from watchdeck.domain.accounts.models import Membership, Team, User
from watchdeck.domain.accounts.revocation import Reason, Revocation, Scope, announce
from watchdeck.domain.accounts.roles import Role
from watchdeck.domain.accounts.schemas import MemberOut, TeamOut, TeamUpdateIn
from watchdeck.platform.errors import Conflict, NotFound


def team_out(team: Team) -> TeamOut:
    return TeamOut(
        id=team.id,
        name=team.name,
        allow_private_targets=team.allow_private_targets,
        created_at=team.created_at,
    )


async def create_team(session: AsyncSession, user_id: uuid.UUID, name: str) -> TeamOut:
    team = Team(name=name.strip())
    session.add(team)
    await session.flush()
    session.add(Membership(user_id=user_id, team_id=team.id, role=Role.admin))
    signals.team_created(session, team.id)
    await session.commit()
    return team_out(team)


async def get_team(session: AsyncSession, team_id: uuid.UUID) -> TeamOut:
    return team_out(await session.get_one(Team, team_id))


async def update_team(session: AsyncSession, team_id: uuid.UUID, changes: TeamUpdateIn) -> TeamOut:
    team = await session.get_one(Team, team_id)
    if changes.name is not msgspec.UNSET:
        team.name = changes.name.strip()
    if changes.allow_private_targets is not msgspec.UNSET:
        team.allow_private_targets = changes.allow_private_targets
    await session.commit()
    return team_out(team)


async def list_members(session: AsyncSession, team_id: uuid.UUID) -> list[MemberOut]:
    rows = (
        await session.execute(
            select(User.id, User.email, User.name, Membership.role, Membership.created_at)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.team_id == team_id)
            .order_by(User.name, User.email)
        )
    ).all()
    return [
        MemberOut(user_id=r.id, email=r.email, name=r.name, role=r.role, joined_at=r.created_at)
        for r in rows
    ]


async def _member(session: AsyncSession, team_id: uuid.UUID, user_id: uuid.UUID) -> Membership:
    membership = await session.get(Membership, (user_id, team_id), with_for_update=True)
    if membership is None:
        raise NotFound("no such member in this team")
    return membership


async def _ensure_another_admin(
    session: AsyncSession, team_id: uuid.UUID, user_id: uuid.UUID
) -> None:
    # Lock the team's admin rows so two admins demoting each other at once can't both succeed.
    others = await session.scalar(
        select(func.count()).select_from(
            select(Membership.user_id)
            .where(
                Membership.team_id == team_id,
                Membership.role == Role.admin,
                Membership.user_id != user_id,
            )
            .with_for_update()
            .subquery()
        )
    )
    if not others:
        raise Conflict("a team needs at least one admin: promote someone else first")


async def _announce_membership_changed(
    redis: Redis, team_id: uuid.UUID, user_id: uuid.UUID, reason: Reason
) -> None:
    # Dropped connections come back with the same token if it still admits them, and then
    # carry the role the database holds now.
    await announce(
        redis, Revocation(scope=Scope.membership, id=user_id, team_id=team_id, reason=reason)
    )


async def change_role(
    session: AsyncSession, redis: Redis, team_id: uuid.UUID, user_id: uuid.UUID, role: Role
) -> MemberOut:
    """Set a member's role; their live connections to the team are dropped to take it up."""
    membership = await _member(session, team_id, user_id)
    if membership.role is Role.admin and role is not Role.admin:
        await _ensure_another_admin(session, team_id, user_id)
    changed = membership.role is not role
    membership.role = role
    await session.commit()
    if changed:
        await _announce_membership_changed(redis, team_id, user_id, Reason.role_changed)
    return next(m for m in await list_members(session, team_id) if m.user_id == user_id)


async def remove_member(
    session: AsyncSession, redis: Redis, team_id: uuid.UUID, user_id: uuid.UUID
) -> None:
    """Remove a member; their live connections to the team are dropped."""
    membership = await _member(session, team_id, user_id)
    if membership.role is Role.admin:
        await _ensure_another_admin(session, team_id, user_id)
    await session.delete(membership)
    await session.commit()
    await _announce_membership_changed(redis, team_id, user_id, Reason.removed)


async def allows_private_targets(session: AsyncSession, team_id: uuid.UUID) -> bool:
    """Whether the team's admins let monitors and webhooks reach private networks."""
    return bool(await session.scalar(select(Team.allow_private_targets).where(Team.id == team_id)))


async def teams_allowing_private_targets(
    session: AsyncSession, team_ids: set[uuid.UUID]
) -> set[uuid.UUID]:
    """Those of `team_ids` whose admins let monitors and webhooks reach private networks."""
    if not team_ids:
        return set()
    rows = await session.scalars(
        select(Team.id).where(Team.id.in_(team_ids), Team.allow_private_targets.is_(True))
    )
    return set(rows)
