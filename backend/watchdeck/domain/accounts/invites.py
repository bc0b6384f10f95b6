"""Invitations: an admin invites an email with a role; the token accepts once, before it expires."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from watchdeck.domain.accounts.models import Invite, Membership, Team, User
from watchdeck.domain.accounts.passwords import hash_password, verify_password
from watchdeck.domain.accounts.roles import Role
from watchdeck.domain.accounts.schemas import (
    InviteCreatedOut,
    InviteOut,
    InvitePreviewOut,
    TokenPair,
)
from watchdeck.domain.accounts.signin import issue_pair, normalize_email
from watchdeck.domain.accounts.tokens import digest, new_secret
from watchdeck.platform.clock import utcnow
from watchdeck.platform.config import Settings
from watchdeck.platform.errors import Conflict, Invalid, NotFound


def invite_out(invite: Invite) -> InviteOut:
    return InviteOut(
        id=invite.id,
        email=invite.email,
        role=invite.role,
        expires_at=invite.expires_at,
        created_at=invite.created_at,
    )


async def create_invite(
    session: AsyncSession,
    settings: Settings,
    team_id: uuid.UUID,
    invited_by: uuid.UUID | None,
    email: str,
    role: Role,
) -> InviteCreatedOut:
    email = normalize_email(email)
    already = await session.scalar(
        select(User.id)
        .join(Membership, Membership.user_id == User.id)
        .where(User.email == email, Membership.team_id == team_id)
    )
    if already:
        raise Conflict("this person is already a member", {"email": "already a member"})
    token = new_secret()
    invite = Invite(
        team_id=team_id,
        email=email,
        role=role,
        token_hash=digest(token),
        invited_by=invited_by,
        expires_at=utcnow() + timedelta(seconds=settings.invite_ttl),
    )
    session.add(invite)
    await session.commit()
    return InviteCreatedOut(
        invite=invite_out(invite),
        token=token,
        accept_url=f"{settings.base_url}/invite/{token}",
    )


async def list_pending(session: AsyncSession, team_id: uuid.UUID) -> list[InviteOut]:
    invites = await session.scalars(
        select(Invite)
        .where(
            Invite.team_id == team_id,
            Invite.accepted_at.is_(None),
            Invite.revoked_at.is_(None),
            Invite.expires_at > utcnow(),
        )
        .order_by(Invite.created_at.desc())
    )
    return [invite_out(i) for i in invites]


async def revoke(session: AsyncSession, team_id: uuid.UUID, invite_id: uuid.UUID) -> None:
    invite = await session.scalar(
        select(Invite).where(Invite.team_id == team_id, Invite.id == invite_id)
    )
    if invite is None or invite.accepted_at is not None:
        raise NotFound("no such pending invite")
    invite.revoked_at = utcnow()
    await session.commit()


async def _usable(session: AsyncSession, token: str, lock: bool = False) -> Invite:
    query = select(Invite).where(Invite.token_hash == digest(token))
    invite = await session.scalar(query.with_for_update() if lock else query)
    if (
        invite is None
        or invite.accepted_at is not None
        or invite.revoked_at is not None
        or invite.expires_at <= utcnow()
    ):
        raise NotFound("this invite is not valid: it was used, revoked or has expired")
    return invite


async def preview(session: AsyncSession, token: str) -> InvitePreviewOut:
    invite = await _usable(session, token)
    team = await session.get_one(Team, invite.team_id)
    existing = await session.scalar(select(User.id).where(User.email == invite.email))
    return InvitePreviewOut(
        team_name=team.name,
        email=invite.email,
        role=invite.role,
        expires_at=invite.expires_at,
        existing_user=existing is not None,
    )


async def accept(
    session: AsyncSession, settings: Settings, token: str, password: str, name: str | None
) -> tuple[User, TokenPair]:
    """Join the invite's team: an existing account proves its password, a new one is created."""
    invite = await _usable(session, token, lock=True)
    user = await session.scalar(select(User).where(User.email == invite.email))
    if user is None:
        if not name:
            raise Invalid("name", "required to create your account")
        if len(password) < 8:
            raise Invalid("password", "must be at least 8 characters")
        user = User(
            email=invite.email, name=name.strip(), password_hash=await hash_password(password)
        )
        session.add(user)
        await session.flush()
    elif not await verify_password(user.password_hash, password):
        raise Invalid("password", "does not match the existing account for this email")
    if await session.get(Membership, (user.id, invite.team_id)) is None:
        session.add(Membership(user_id=user.id, team_id=invite.team_id, role=invite.role))
    invite.accepted_at = utcnow()
    pair = await issue_pair(session, settings, user, invite.team_id, invite.role)
    await session.commit()
    return user, pair
