"""A team's hosts: create with an agent token, change, rotate the token, delete."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from typing import NamedTuple

import msgspec
from redis.asyncio import Redis
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from watchdeck.domain.accounts import api_keys, key_cache
from watchdeck.domain.accounts.key_cache import KeyCache
from watchdeck.domain.accounts.revocation import Reason, Revocation, Scope, announce
from watchdeck.domain.hosts import assignments
from watchdeck.domain.hosts.models import Host, HostStatus
from watchdeck.domain.hosts.schemas import HostCreated, HostIn, HostOut, HostPatch, HostToken
from watchdeck.platform.errors import NotFound


def host_out(host: Host) -> HostOut:
    return HostOut(
        id=host.id,
        name=host.name,
        labels=dict(host.labels or {}),
        status=host.status,
        status_changed_at=host.status_changed_at,
        last_seen_at=host.last_seen_at,
        hostname=host.hostname,
        agent_version=host.agent_version,
        os=host.os,
        interval_s=host.interval_s,
        missing_after=host.missing_after,
        latest=dict(host.latest or {}),
        created_at=host.created_at,
    )


def install_command(base_url: str, token: str, interval_s: int) -> str:
    """One line that installs the agent in a virtualenv and runs it under systemd.

    Tokens and URLs hold no quotes or spaces (tokens are URL-safe base64), so
    plain single quoting is safe here.
    """
    env = f"WATCHDECK_URL={base_url}\\nWATCHDECK_TOKEN={token}\\nWATCHDECK_INTERVAL={interval_s}\\n"
    return (
        "sudo sh -c 'python3 -m venv /opt/watchdeck-agent"
        " && /opt/watchdeck-agent/bin/pip install --quiet watchdeck-agent"
        f' && printf "{env}" > /etc/watchdeck-agent.env && chmod 600 /etc/watchdeck-agent.env'
        " && /opt/watchdeck-agent/bin/watchdeck-agent --install-systemd'"
    )


def _key_name(host_name: str) -> str:
    """The host's agent key's label; a key name holds 100 characters, as a host name does."""
    return f"host {host_name}"[:100]


async def create(
    session: AsyncSession,
    team_id: uuid.UUID,
    created_by: uuid.UUID | None,
    data: HostIn,
    base_url: str,
) -> HostCreated:
    key_id, token = await api_keys.issue_agent_key(
        session, team_id, created_by, _key_name(data.name)
    )
    host = Host(team_id=team_id, agent_key_id=key_id, **msgspec.structs.asdict(data))
    session.add(host)
    await session.commit()
    return HostCreated(
        host=host_out(host),
        token=token,
        install_command=install_command(base_url, token, host.interval_s),
    )


async def get(session: AsyncSession, team_id: uuid.UUID, host_id: uuid.UUID) -> Host:
    host = await session.scalar(select(Host).where(Host.team_id == team_id, Host.id == host_id))
    if host is None:
        raise NotFound("no such host")
    return host


async def list_hosts(session: AsyncSession, team_id: uuid.UUID) -> list[HostOut]:
    hosts = await session.scalars(select(Host).where(Host.team_id == team_id).order_by(Host.name))
    return [host_out(h) for h in hosts]


async def update(
    session: AsyncSession,
    redis: Redis,
    team_id: uuid.UUID,
    host_id: uuid.UUID,
    changes: HostPatch,
) -> HostOut:
    host = await get(session, team_id, host_id)
    for name, value in msgspec.structs.asdict(changes).items():
        if value is not msgspec.UNSET:
            setattr(host, name, value)
    await session.commit()
    if changes.labels is not msgspec.UNSET:
        await assignments.moved(redis, team_id)
    return host_out(host)


async def rotate_token(
    session: AsyncSession,
    redis: Redis,
    team_id: uuid.UUID,
    host_id: uuid.UUID,
    created_by: uuid.UUID | None,
    base_url: str,
) -> HostToken:
    """A new agent token for the host; the old one stops working at once."""
    host = await get(session, team_id, host_id)
    old_key = host.agent_key_id
    if old_key is not None:
        await api_keys.revoke_by_id(session, old_key)
    host.agent_key_id, token = await api_keys.issue_agent_key(
        session, team_id, created_by, _key_name(host.name)
    )
    await session.commit()
    await _announce_revoked(redis, old_key)
    return HostToken(token=token, install_command=install_command(base_url, token, host.interval_s))


async def delete(
    session: AsyncSession, redis: Redis, team_id: uuid.UUID, host_id: uuid.UUID
) -> None:
    host = await get(session, team_id, host_id)
    key = host.agent_key_id
    if key is not None:
        await api_keys.revoke_by_id(session, key)
    await session.delete(host)
    await session.commit()
    # In other api processes a team-wide key's cached lookup of this host lapses with its TTL
    # (key_cache.py); batches meanwhile find no host and are dropped, then it registers anew.
    _agent_hosts.clear()
    await _announce_revoked(redis, key)
    await assignments.moved(redis, team_id)


async def _announce_revoked(redis: Redis, key_id: uuid.UUID | None) -> None:
    if key_id is not None:
        await announce(redis, Revocation(scope=Scope.api_key, id=key_id, reason=Reason.key_revoked))


class AgentHost(NamedTuple):
    id: uuid.UUID
    name: str


_agent_hosts: KeyCache[AgentHost] = key_cache.cache()  # (team, key, hostname) → its host


async def host_for_agent(
    session: AsyncSession, team_id: uuid.UUID, key_id: uuid.UUID | None, hostname: str | None
) -> AgentHost:
    """The host an agent key reports for.

    A host's own key names it. A team-wide agent key registers hosts by the
    hostname the agent sends, so one key can roll out to a fleet.
    """
    lookup = (team_id, key_id, hostname)
    cached = _agent_hosts.get(lookup)
    if cached is not None:
        return cached
    host = await session.scalar(select(Host).where(Host.agent_key_id == key_id))
    if host is None:
        name = (hostname or "unnamed host")[:100]
        host = await session.scalar(
            select(Host).where(
                Host.team_id == team_id, Host.agent_key_id.is_(None), Host.name == name
            )
        )
        if host is None:
            host = Host(team_id=team_id, name=name, hostname=hostname, status=HostStatus.pending)
            session.add(host)
            await session.commit()
    found = AgentHost(host.id, host.name)
    if key_id is not None:
        _agent_hosts.put(lookup, key_id, found)
    return found


async def existing(
    session: AsyncSession, team_id: uuid.UUID | None, ids: Collection[uuid.UUID]
) -> set[uuid.UUID]:
    """Which of `ids` are hosts (of the team, when given); provided to platform.subjects."""
    query = select(Host.id).where(Host.id.in_(ids))
    if team_id is not None:
        query = query.where(Host.team_id == team_id)
    return set(await session.scalars(query))


async def statuses(
    session: AsyncSession, team_id: uuid.UUID, ids: Collection[uuid.UUID]
) -> dict[uuid.UUID, HostStatus]:
    """The status of those of `ids` that are the team's hosts."""
    if not ids:
        return {}
    rows = await session.execute(
        select(Host.id, Host.status).where(Host.team_id == team_id, Host.id.in_(set(ids)))
    )
    return {host_id: status for host_id, status in rows}
