"""Sign-up, login, refresh-token rotation, logout, team switching and password change.

Refresh tokens rotate on every use. Presenting one that was already used
means it leaked: the whole family (every token rotated from that login) is
revoked, so both the thief and the owner must sign in again.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from redis.asyncio import Redis
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from watchdeck.domain.accounts import signals
from watchdeck.domain.accounts.models import Membership, RefreshToken, Team, User
from watchdeck.domain.accounts.passwords import hash_password, verify_password
from watchdeck.domain.accounts.revocation import Reason, Revocation, Scope, announce
from watchdeck.domain.accounts.roles import Role
from watchdeck.domain.accounts.schemas import MeOut, MyTeam, TeamRef, TokenPair
from watchdeck.domain.accounts.tokens import digest, issue_access_token, new_secret
from watchdeck.platform.clock import utcnow
from watchdeck.platform.config import Settings
from watchdeck.platform.errors import Conflict, Invalid, NotFound, Unauthorized

BAD_LOGIN = "invalid email or password"


def normalize_email(email: str) -> str:
    return email.strip().lower()


async def create_user_with_team(
    session: AsyncSession, email: str, password: str, name: str, team_name: str
) -> tuple[User, Team]:
    """Create a user and a team with that user as admin; commits. Conflict if the email is taken."""
    email = normalize_email(email)
    if await session.scalar(select(User.id).where(User.email == email)):
        raise Conflict("an account with this email already exists", {"email": "already registered"})
    user = User(email=email, name=name.strip(), password_hash=await hash_password(password))
    team = Team(name=team_name.strip())
    session.add_all([user, team])
    await session.flush()
    session.add(Membership(user_id=user.id, team_id=team.id, role=Role.admin))
    signals.team_created(session, team.id)
    try:
        await session.commit()
    except IntegrityError:
        await session.rollback()
        raise Conflict(
            "an account with this email already exists", {"email": "already registered"}
        ) from None
    return user, team


async def issue_pair(
    session: AsyncSession,
    settings: Settings,
    user: User,
    team_id: uuid.UUID,
    role: Role,
    family_id: uuid.UUID | None = None,
) -> TokenPair:
    """Add a refresh token (new family unless given) and sign an access token. Caller commits."""
    refresh = new_secret()
    family_id = family_id or uuid.uuid4()
    session.add(
        RefreshToken(
            user_id=user.id,
            team_id=team_id,
            family_id=family_id,
            token_hash=digest(refresh),
            expires_at=utcnow() + timedelta(seconds=settings.refresh_token_ttl),
        )
    )
    access = issue_access_token(
        settings.require_secret_key(),
        user.id,
        team_id,
        role,
        user.token_version,
        family_id,
        settings.access_token_ttl,
    )
    return TokenPair(
        access_token=access,
        refresh_token=refresh,
        expires_in=settings.access_token_ttl,
        team_id=team_id,
    )


async def first_membership(session: AsyncSession, user_id: uuid.UUID) -> Membership | None:
    """The team a sign-in without a chosen team lands in: the one joined first."""
    return await session.scalar(
        select(Membership)
        .where(Membership.user_id == user_id)
        .order_by(Membership.created_at)
        .limit(1)
    )


async def login(
    session: AsyncSession, settings: Settings, email: str, password: str
) -> tuple[User, TokenPair]:
    user = await session.scalar(select(User).where(User.email == normalize_email(email)))
    if not await verify_password(user.password_hash if user else None, password) or user is None:
        raise Unauthorized(BAD_LOGIN)
    membership = await first_membership(session, user.id)
    if membership is None:
        raise Unauthorized("this account belongs to no team any more")
    user.last_login_at = utcnow()
    pair = await issue_pair(session, settings, user, membership.team_id, membership.role)
    await session.commit()
    return user, pair


async def refresh(
    session: AsyncSession, redis: Redis, settings: Settings, refresh_token: str
) -> TokenPair:
    now = utcnow()
    token = await session.scalar(
        select(RefreshToken)
        .where(RefreshToken.token_hash == digest(refresh_token))
        .with_for_update()
    )
    if token is None or token.revoked_at is not None or token.expires_at <= now:
        raise Unauthorized("refresh token is invalid or expired")
    if token.used_at is not None:
        await _revoke_family(session, token.family_id)
        await session.commit()
        await announce_signed_out(redis, token.family_id, Reason.sign_in_revoked)
        raise Unauthorized("refresh token was already used; every token of this sign-in is revoked")
    token.used_at = now
    user = await session.get_one(User, token.user_id)
    membership = await session.get(Membership, (token.user_id, token.team_id))
    if membership is None:
        await _revoke_family(session, token.family_id)
        await session.commit()
        await announce_signed_out(redis, token.family_id, Reason.removed)
        raise Unauthorized("not a member of this team any more")
    pair = await issue_pair(
        session, settings, user, token.team_id, membership.role, token.family_id
    )
    await session.commit()
    return pair


async def _revoke_family(session: AsyncSession, family_id: uuid.UUID) -> None:
    await session.execute(
        update(RefreshToken)
        .where(RefreshToken.family_id == family_id, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


async def announce_signed_out(redis: Redis, family_id: uuid.UUID, reason: Reason) -> None:
    """Drop the live connections opened with the access tokens of sign-in `family_id`."""
    await announce(redis, Revocation(scope=Scope.sign_in, id=family_id, reason=reason))


async def logout(session: AsyncSession, redis: Redis, refresh_token: str) -> None:
    """Revoke the sign-in behind `refresh_token`; an unknown token is ignored (idempotent)."""
    family_id = await session.scalar(
        select(RefreshToken.family_id).where(RefreshToken.token_hash == digest(refresh_token))
    )
    if family_id is not None:
        await _revoke_family(session, family_id)
        await session.commit()
        await announce_signed_out(redis, family_id, Reason.signed_out)


async def switch_team(
    session: AsyncSession, settings: Settings, user_id: uuid.UUID, team_id: uuid.UUID
) -> TokenPair:
    membership = await session.get(Membership, (user_id, team_id))
    if membership is None:
        raise NotFound("no such team among yours", {"team_id": "not a team you belong to"})
    user = await session.get_one(User, user_id)
    pair = await issue_pair(session, settings, user, team_id, membership.role)
    await session.commit()
    return pair


async def change_password(
    session: AsyncSession,
    redis: Redis,
    user_id: uuid.UUID,
    current_password: str,
    new_password: str,
) -> None:
    """Set a new password and revoke every token the user holds (access and refresh)."""
    user = await session.get_one(User, user_id)
    if not await verify_password(user.password_hash, current_password):
        raise Invalid("current_password", "does not match your password")
    user.password_hash = await hash_password(new_password)
    await revoke_sessions(session, user)
    await session.commit()
    await announce_sessions_revoked(redis, user.id)


async def revoke_sessions(session: AsyncSession, user: User) -> None:
    """End every sign-in of `user`: access tokens stop at once, refresh tokens are revoked.

    Caller commits. Tokens issued after this call are unaffected.
    """
    user.token_version += 1
    await session.execute(
        update(RefreshToken)
        .where(RefreshToken.user_id == user.id, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


async def announce_sessions_revoked(redis: Redis, user_id: uuid.UUID) -> None:
    """Drop every live connection of `user_id`, after `revoke_sessions` was committed."""
    await announce(redis, Revocation(scope=Scope.user, id=user_id, reason=Reason.password_changed))


async def me(session: AsyncSession, user_id: uuid.UUID, team_id: uuid.UUID) -> MeOut:
    user = await session.get_one(User, user_id)
    rows = (
        await session.execute(
            select(Team.id, Team.name, Membership.role)
            .join(Membership, Membership.team_id == Team.id)
            .where(Membership.user_id == user_id)
            .order_by(Team.name)
        )
    ).all()
    teams = [MyTeam(id=row.id, name=row.name, role=row.role) for row in rows]
    active = next(team for team in teams if team.id == team_id)
    return MeOut(
        id=user.id,
        email=user.email,
        name=user.name,
        role=active.role,
        team=TeamRef(id=active.id, name=active.name),
        teams=teams,
    )
