"""The demo's hosts and services in the first admin's team, pointed at the simulated targets."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import any_, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from watchdeck.demo.hosts import HOSTS, INTERVAL_S
from watchdeck.demo.targets import Key
from watchdeck.domain.accounts import api_keys
from watchdeck.domain.accounts.models import ApiKey, Membership, Team
from watchdeck.domain.accounts.roles import Role
from watchdeck.domain.alerts.channels import ChannelKind
from watchdeck.domain.alerts.models import AlertRule, Channel, Condition, alert_rule_channels
from watchdeck.domain.hosts.models import Host
from watchdeck.domain.services.catalog import default_timeout
from watchdeck.domain.services.models import Service, ServiceKind
from watchdeck.platform.vocabulary import Severity, TargetKind

DEMO_TAG = "demo"
# Where each demo service runs; reporting's slow spells show as load on its database host.
HOST_OF: dict[Key, str] = {"auth": "web-1", "payments": "web-2", "reporting": "db-1"}
ROLES = {"web-1": "web", "web-2": "web", "db-1": "database", "batch-1": "batch"}


def _services(base: str) -> dict[Key, dict]:
    return {
        "auth": {
            "name": "Auth API",
            "url": f"{base}/auth/health",
            "interval_s": 10,
            "keyword": "healthy",
        },
        "payments": {
            "name": "Payments API",
            "url": f"{base}/payments/health",
            "interval_s": 10,
            "json_path": "$.status",
            "json_expected": "ok",
            "severity": "critical",
        },
        "reporting": {
            "name": "Reporting",
            "url": f"{base}/reporting/health",
            "interval_s": 15,
            "latency_threshold_ms": 300,
            "severity": "medium",
        },
    }


@dataclass(frozen=True)
class DemoTeam:
    """What `seed_demo` set up: the team, its oldest admin, a fresh agent key for the
    simulated hosts, and the ids of the demo services (by key) and hosts (by name)."""

    team_id: uuid.UUID
    name: str
    admin_id: uuid.UUID
    token: str
    services: dict[Key, uuid.UUID]
    hosts: dict[str, uuid.UUID]


DEMO_KEY = "demo agents"
DEMO_CHANNEL = "Demo webhook"


async def _seed_alerting(session: AsyncSession, team_id: uuid.UUID, base_url: str) -> None:
    """A webhook channel on the simulated targets, wired to the default rules and two more."""
    if await session.scalar(
        select(Channel.id).where(Channel.team_id == team_id, Channel.name == DEMO_CHANNEL)
    ):
        return
    channel = Channel(
        team_id=team_id,
        name=DEMO_CHANNEL,
        kind=ChannelKind.webhook,
        config={},
        secrets={"url": f"{base_url}/hooks/demo", "signing_secret": None, "headers": {}},
    )
    session.add_all(
        [
            channel,
            AlertRule(
                team_id=team_id, name="Reporting p95 latency", condition=Condition.latency_p95,
                target_kind=TargetKind.service, target_tags=[DEMO_TAG], target_labels={},
                threshold=500, window_s=120, severity=Severity.medium,
            ),
            AlertRule(
                team_id=team_id, name="Hot CPU", condition=Condition.cpu,
                target_kind=TargetKind.host, target_tags=[], target_labels={},
                threshold=85, for_samples=3, severity=Severity.high,
            ),
        ]
    )  # fmt: skip
    await session.flush()
    rules = await session.scalars(select(AlertRule.id).where(AlertRule.team_id == team_id))
    await session.execute(
        insert(alert_rule_channels), [{"rule_id": r, "channel_id": channel.id} for r in rules]
    )


async def _seed_hosts(session: AsyncSession, team_id: uuid.UUID) -> dict[str, Host]:
    """The simulated hosts, made up front so services can name the host they run on.

    They carry no key of their own: the demo's team-wide agent key registers hosts by
    hostname, so its pushes land on these rows (see hosts/registry.py host_for_agent).
    """
    existing = {
        h.name: h
        for h in await session.scalars(
            select(Host).where(
                Host.team_id == team_id, Host.name.in_(HOSTS), Host.agent_key_id.is_(None)
            )
        )
    }
    for name in HOSTS:
        if name not in existing:
            existing[name] = Host(
                team_id=team_id,
                name=name,
                hostname=name,
                labels={"role": ROLES[name], "env": DEMO_TAG},
                interval_s=INTERVAL_S,
            )
            session.add(existing[name])
    await session.flush()
    return existing


async def seed_demo(session: AsyncSession, base_url: str) -> DemoTeam | None:
    """Add (or re-point) the demo hosts and services in the oldest admin's team.

    Returns what was set up, with a fresh agent key for the demo's hosts (keys are
    stored hashed, so each start issues a new one and revokes the old); None when
    there is no admin yet.
    """
    found = (
        await session.execute(
            select(Team, Membership.user_id)
            .join(Membership, Membership.team_id == Team.id)
            .where(Membership.role == Role.admin)
            .order_by(Team.created_at, Membership.created_at)
            .limit(1)
        )
    ).first()
    if found is None:
        return None
    team, admin_id = found
    # The simulated targets listen on loopback, which a team must opt in to.
    team.allow_private_targets = True
    hosts = await _seed_hosts(session, team.id)
    existing = {
        s.name: s
        for s in await session.scalars(
            select(Service).where(Service.team_id == team.id, any_(Service.tags) == DEMO_TAG)
        )
    }
    services: dict[Key, Service] = {}
    for key, fields in _services(base_url).items():
        service = existing.get(fields["name"])
        if service is None:
            service = Service(
                team_id=team.id,
                kind=ServiceKind.http,
                tags=[DEMO_TAG],
                timeout_s=default_timeout(fields["interval_s"]),
                **fields,
            )
            session.add(service)
        else:
            service.url = fields["url"]
        if service.host_id is None:
            service.host_id = hosts[HOST_OF[key]].id
        services[key] = service
    await session.flush()
    await _seed_alerting(session, team.id, base_url)
    old_keys = await session.scalars(
        select(ApiKey.id).where(
            ApiKey.team_id == team.id, ApiKey.name == DEMO_KEY, ApiKey.revoked_at.is_(None)
        )
    )
    for key_id in old_keys:
        await api_keys.revoke_by_id(session, key_id)
    _, token = await api_keys.issue_agent_key(session, team.id, None, DEMO_KEY)
    await session.commit()
    return DemoTeam(
        team_id=team.id,
        name=team.name,
        admin_id=admin_id,
        token=token,
        services={key: service.id for key, service in services.items()},
        hosts={name: host.id for name, host in hosts.items()},
    )
