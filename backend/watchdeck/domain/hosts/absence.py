"""What the alert sweep measures of hosts: whether each one has gone missing.

Absence is about data that did not come, so no metric batch can report it; the
sweep asks here (alerts/observations.py) and the host rows say.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from watchdeck.domain.alerts.models import AlertRule, Condition
from watchdeck.domain.alerts.observations import Observation, Subject
from watchdeck.domain.hosts.models import Host, HostStatus
from watchdeck.platform.vocabulary import TargetKind


async def measure(
    session: AsyncSession, rules: list[AlertRule], now: datetime
) -> list[Observation]:
    hosts = await session.scalars(
        select(Host)
        .where(Host.team_id.in_({r.team_id for r in rules}))
        .order_by(Host.id)
        .with_for_update(skip_locked=True)  # the metric writer holds it while it evaluates
    )
    observations = []
    for host in hosts:
        subject = Subject(host.id, host.team_id, TargetKind.host, host.name, labels=host.labels)
        missing = 1.0 if host.status is HostStatus.missing else 0.0
        observations.append(Observation(subject, Condition.host_missing, missing, now))
    return observations
