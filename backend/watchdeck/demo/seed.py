"""The demo's services in the first admin's team, pointed at the simulated targets."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from watchdeck.domain.accounts.models import Membership, Team
from watchdeck.domain.accounts.roles import Role
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


async def seed_demo(session: AsyncSession, base_url: str) -> str | None:
    """Add (or re-point) the demo services in the oldest admin's team; returns its name."""
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
    await session.commit()
    return team.name
