"""The first admin of a new installation, and accounts made from the command line."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from watchdeck.domain.accounts.models import Membership, Team, User
from watchdeck.domain.accounts.passwords import hash_password
from watchdeck.domain.accounts.roles import Role
from watchdeck.domain.accounts.signin import create_user_with_team, normalize_email
from watchdeck.platform.errors import Conflict, NotFound


async def has_users(session: AsyncSession) -> bool:
    return bool(await session.scalar(select(func.count()).select_from(User)))


async def create_user(
    session: AsyncSession,
    email: str,
    name: str,
    password: str,
    team_name: str | None = None,
    team_id: uuid.UUID | None = None,
    role: Role = Role.admin,
) -> User:
    """Create a user with a new team (as admin), or as `role` in the existing `team_id`."""
    if team_id is None:
        user, _ = await create_user_with_team(
            session, email, password, name, team_name or f"{name}'s team"
        )
        return user
    if await session.get(Team, team_id) is None:
        raise NotFound(f"no team {team_id}")
    email = normalize_email(email)
    if await session.scalar(select(User.id).where(User.email == email)):
        raise Conflict(f"{email} already has an account")
    user = User(email=email, name=name, password_hash=await hash_password(password))
    session.add(user)
    await session.flush()
    session.add(Membership(user_id=user.id, team_id=team_id, role=role))
    await session.commit()
    return user
