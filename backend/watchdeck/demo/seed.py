"""The demo's services in the first admin's team, pointed at the simulated targets."""

from __future__ import annotations

import uuid

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from watchdeck.domain.accounts import api_keys
from watchdeck.domain.accounts.models import ApiKey, Membership, Team
from watchdeck.domain.accounts.roles import Role
from watchdeck.domain.alerts.channels import ChannelKind
from watchdeck.domain.alerts.models import (
    AlertRule,
    Channel,
    Condition,
    TargetKind,
    alert_rule_channels,
)
from watchdeck.domain.incidents.models import Severity
from watchdeck.domain.services.catalog import default_timeout
from watchdeck.domain.services.models import Service, ServiceKind

DEMO_TAG = "demo"


def _services(base: str) -> list[dict]:
    return [
        {"name": "Auth API", "url": f"{base}/auth/health", "interval_s": 10, "keyword": "healthy"},
        {
            "name": "Payments API",
            "url": f"{base}/payments/health",
            "interval_s": 10,
            "json_path": "$.status",
            "json_expected": "ok",
            "severity": "critical",
        },
        {
            "name": "Reporting",
            "url": f"{base}/reporting/health",
            "interval_s": 15,
            "latency_threshold_ms": 300,
            "severity": "medium",
        },
    ]


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


async def seed_demo(session: AsyncSession, base_url: str) -> tuple[str, str] | None:
    """Add (or re-point) the demo services in the oldest admin's team.

    Returns the team's name and a fresh agent key for the demo's hosts (keys
    are stored hashed, so each start issues a new one and revokes the old).
    """
    team = await session.scalar(
        select(Team)
        .join(Membership, Membership.team_id == Team.id)
        .where(Membership.role == Role.admin)
        .order_by(Team.created_at)
        .limit(1)
    )
    if team is None:
        return None
    # The simulated targets listen on loopback, which a team must opt in to.
    team.allow_private_targets = True
    existing = {
        s.name: s
        for s in await session.scalars(
            select(Service).where(Service.team_id == team.id, Service.tags.any(DEMO_TAG))
        )
    }
    for fields in _services(base_url):
        service = existing.get(fields["name"])
        if service is None:
            session.add(
                Service(
                    team_id=team.id,
                    kind=ServiceKind.http,
                    tags=[DEMO_TAG],
                    timeout_s=default_timeout(fields["interval_s"]),
                    **fields,
                )
            )
        else:
            service.url = fields["url"]
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
    return team.name, token
