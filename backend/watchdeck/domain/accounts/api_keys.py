"""Team API keys: `agent` keys push data, `automation` keys use the REST API with a role."""

from __future__ import annotations

import uuid

from redis.asyncio import Redis
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from watchdeck.domain.accounts.models import ApiKey
from watchdeck.domain.accounts.revocation import Reason, Revocation, Scope, announce
from watchdeck.domain.accounts.roles import KeyKind, Role
from watchdeck.domain.accounts.schemas import ApiKeyCreatedOut, ApiKeyOut
from watchdeck.domain.accounts.tokens import API_KEY_PREFIX, digest, new_secret
from watchdeck.platform.clock import utcnow
from watchdeck.platform.errors import Invalid, NotFound


def api_key_out(key: ApiKey) -> ApiKeyOut:
    return ApiKeyOut(
        id=key.id,
        name=key.name,
        kind=key.kind,
        role=key.role,
        prefix=key.prefix,
        created_at=key.created_at,
        last_used_at=key.last_used_at,
        revoked_at=key.revoked_at,
    )


async def create(
    session: AsyncSession,
    team_id: uuid.UUID,
    created_by: uuid.UUID | None,
    name: str,
    kind: KeyKind,
    role: Role | None,
) -> ApiKeyCreatedOut:
    if kind is KeyKind.automation and role is None:
        raise Invalid("role", "an automation key needs a role")
    if kind is KeyKind.agent and role is not None:
        raise Invalid("role", "agent keys push data only and take no role")
    key, secret = _add(session, team_id, created_by, name.strip(), kind, role)
    await session.commit()
    return ApiKeyCreatedOut(api_key=api_key_out(key), key=secret)


def _add(
    session: AsyncSession,
    team_id: uuid.UUID,
    created_by: uuid.UUID | None,
    name: str,
    kind: KeyKind,
    role: Role | None,
) -> tuple[ApiKey, str]:
    """A new key row (only the secret's digest is kept) and the secret, shown once."""
    secret = new_secret(API_KEY_PREFIX)
    key = ApiKey(
        team_id=team_id,
        name=name,
        kind=kind,
        role=role,
        prefix=secret[:10],
        key_hash=digest(secret),
        created_by=created_by,
    )
    session.add(key)
    return key, secret


async def list_keys(session: AsyncSession, team_id: uuid.UUID) -> list[ApiKeyOut]:
    keys = await session.scalars(
        select(ApiKey).where(ApiKey.team_id == team_id).order_by(ApiKey.created_at.desc())
    )
    return [api_key_out(k) for k in keys]


async def revoke(
    session: AsyncSession, redis: Redis, team_id: uuid.UUID, key_id: uuid.UUID
) -> None:
    """Revoke a key of the team; live connections made with it are dropped."""
    key = await session.scalar(select(ApiKey).where(ApiKey.team_id == team_id, ApiKey.id == key_id))
    if key is None:
        raise NotFound("no such API key")
    if key.revoked_at is None:
        key.revoked_at = utcnow()
        await session.commit()
        await announce(redis, Revocation(scope=Scope.api_key, id=key.id, reason=Reason.key_revoked))


async def issue_agent_key(
    session: AsyncSession, team_id: uuid.UUID, created_by: uuid.UUID | None, name: str
) -> tuple[uuid.UUID, str]:
    """Add an agent key for a host; returns (key id, secret). The caller commits."""
    key, secret = _add(session, team_id, created_by, name, KeyKind.agent, None)
    await session.flush()
    return key.id, secret


async def revoke_by_id(session: AsyncSession, key_id: uuid.UUID) -> None:
    """Revoke a key the caller already scoped to its team. The caller commits."""
    key = await session.get(ApiKey, key_id)
    if key is not None and key.revoked_at is None:
        key.revoked_at = utcnow()
