"""Who is calling, and may they: the one guard every route goes through.

Each route handler declares `opt={"access": Access.X}`; `authorize` resolves
the caller from the bearer credential (an access JWT or a `wd_` API key),
checks it against the database (membership, role, revocation) and compares
the role with the route's level. Socket.IO connects through `authenticate_bearer`.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import TypeAlias

from litestar.connection import ASGIConnection
from litestar.di import NamedDependency, Provide
from litestar.handlers import BaseRouteHandler
from sqlalchemy import exists, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from watchdeck.domain.accounts import key_cache
from watchdeck.domain.accounts.models import ApiKey, Membership, RefreshToken, User
from watchdeck.domain.accounts.roles import Access, KeyKind, Role
from watchdeck.domain.accounts.tokens import API_KEY_PREFIX, decode_access_token, digest
from watchdeck.platform.clock import utcnow
from watchdeck.platform.errors import Forbidden, Unauthorized

_KEY_TOUCH_INTERVAL = timedelta(minutes=1)


_agent_keys = key_cache.cache()  # key digest → Principal


@dataclass(frozen=True)
class Principal:
    """The caller of a request, within its active team."""

    team_id: uuid.UUID
    role: Role | None  # None for agent keys, which only push data
    label: str  # an email, or "api key <name>", for the audit log
    user_id: uuid.UUID | None = None
    api_key_id: uuid.UUID | None = None
    key_kind: KeyKind | None = None
    session_id: uuid.UUID | None = None  # the sign-in (refresh-token family) of an access token


def bearer_token(connection: ASGIConnection) -> str | None:
    header = connection.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


async def authenticate_bearer(
    session_factory: async_sessionmaker[AsyncSession], secret: str, token: str
) -> Principal:
    """Resolve a bearer credential to a Principal or raise Unauthorized."""
    async with session_factory() as session:
        if token.startswith(API_KEY_PREFIX):
            return await _from_api_key(session, token)
        return await _from_access_token(session, secret, token)


async def _from_access_token(session: AsyncSession, secret: str, token: str) -> Principal:
    claims = decode_access_token(secret, token)
    # Signing out, or a stolen refresh token's reuse, revokes the family: its access tokens die too.
    signed_in = exists().where(
        RefreshToken.family_id == claims.session_id, RefreshToken.revoked_at.is_(None)
    )
    row = (
        await session.execute(
            select(User.email, User.token_version, Membership.role, signed_in.label("signed_in"))
            .join(Membership, Membership.user_id == User.id)
            .where(User.id == claims.user_id, Membership.team_id == claims.team_id)
        )
    ).one_or_none()
    if row is None:
        raise Unauthorized("not a member of this team any more")
    if row.token_version != claims.token_version or not row.signed_in:
        raise Unauthorized("access token revoked")
    return Principal(
        team_id=claims.team_id,
        role=row.role,
        label=row.email,
        user_id=claims.user_id,
        session_id=claims.session_id,
    )


async def _from_api_key(session: AsyncSession, token: str) -> Principal:
    hashed = digest(token)
    cached = _agent_keys.get(hashed)
    if cached is not None:
        return cached
    key = await session.scalar(select(ApiKey).where(ApiKey.key_hash == hashed))
    if key is None or key.revoked_at is not None:
        raise Unauthorized("invalid API key")
    now = utcnow()
    if key.last_used_at is None or now - key.last_used_at > _KEY_TOUCH_INTERVAL:
        await session.execute(update(ApiKey).where(ApiKey.id == key.id).values(last_used_at=now))
        await session.commit()
    principal = Principal(
        team_id=key.team_id,
        role=key.role if key.kind is KeyKind.automation else None,
        label=f"api key {key.name}",
        api_key_id=key.id,
        key_kind=key.kind,
    )
    if key.kind is KeyKind.agent:  # automation keys act on the api: checked every time
        _agent_keys.put(hashed, key.id, principal)
    return principal


def check_access(principal: Principal, access: Access) -> None:
    """Raise Forbidden unless `principal` reaches `access`."""
    if access is Access.agent:
        if principal.key_kind is not KeyKind.agent:
            raise Forbidden("this route takes an agent API key")
        return
    if access is Access.user:
        if principal.user_id is None:
            raise Forbidden("this route is for signed-in people, not API keys")
        return
    minimum = access.minimum_role
    if minimum is None or principal.role is None or principal.role.rank < minimum.rank:
        raise Forbidden(f"this action needs the {minimum.value if minimum else access.name} role")


def route_access(handler: BaseRouteHandler) -> Access:
    if getattr(handler, "http_methods", None) == {"OPTIONS"}:
        return Access.public  # Litestar's automatic OPTIONS answer: lists methods, reads nothing
    access = handler.opt.get("access")
    if not isinstance(access, Access):
        raise RuntimeError(f"route {handler} declares no access level")
    return access


async def authorize(connection: ASGIConnection, handler: BaseRouteHandler) -> None:
    """The app-wide guard: authenticate, then compare the role with the route's level."""
    access = route_access(handler)
    if access is Access.public:
        return
    token = bearer_token(connection)
    if token is None:
        raise Unauthorized("sign in first: send `Authorization: Bearer <token>`")
    state = connection.app.state
    principal = await authenticate_bearer(
        state.session_factory, state.settings.require_secret_key(), token
    )
    connection.scope["user"] = principal
    check_access(principal, access)


def provide_principal(request: ASGIConnection) -> Principal:
    principal = request.scope.get("user")
    if not isinstance(principal, Principal):
        raise Unauthorized("sign in first")
    return principal


Caller: TypeAlias = NamedDependency[Principal]
CALLER = {"principal": Provide(provide_principal, sync_to_thread=False)}
