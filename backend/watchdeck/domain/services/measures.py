"""What the alert sweep measures of services: latency and failures over a rule's window,
the error rate agents push, and days until the TLS certificate expires.

Provided to the sweep as the services source (alerts/observations.py); services in
a maintenance window are left out, as they are from per-check evaluation.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from watchdeck.domain.alerts.models import AlertRule, Condition
from watchdeck.domain.alerts.observations import Observation, Subject
from watchdeck.domain.services.maintenance import muting_at
from watchdeck.domain.services.models import Service
from watchdeck.platform.vocabulary import TargetKind

WINDOW_STATS = text(
    """
    SELECT service_id,
           avg(latency_ms) FILTER (WHERE latency_ms IS NOT NULL) AS latency_avg,
           percentile_cont(0.95) WITHIN GROUP (ORDER BY latency_ms)
               FILTER (WHERE latency_ms IS NOT NULL) AS latency_p95,
           100.0 * count(*) FILTER (WHERE NOT ok) / count(*) AS failed_pct
      FROM checks
     WHERE at > :since AND at <= :now AND service_id = ANY(:ids) AND NOT muted
     GROUP BY service_id
    """
)
# Agents that push request counts give the real error rate; checks are the fallback.
PUSHED_ERRORS = text(
    """
    SELECT service_id, 100.0 * sum(errors) / sum(requests) AS error_pct
      FROM service_metrics
     WHERE at > :since AND at <= :now AND service_id = ANY(:ids)
     GROUP BY service_id
    HAVING sum(requests) > 0
    """
)


async def measure(
    session: AsyncSession, rules: list[AlertRule], now: datetime
) -> list[Observation]:
    services = list(
        await session.execute(
            select(
                Service.id, Service.team_id, Service.name, Service.tags, Service.host_id,
                Service.tls_expires_at,
            ).where(Service.team_id.in_({r.team_id for r in rules}), Service.enabled.is_(True))
        )
    )  # fmt: skip
    muting = await muting_at(session, {s.team_id for s in services}, now)
    services = [s for s in services if not muting.covers(s.team_id, s.id)]
    ids = [s.id for s in services]
    stats: dict[int, dict[uuid.UUID, Any]] = {}
    pushed: dict[int, dict[uuid.UUID, float]] = {}
    for window in {r.window_s for r in rules if r.condition is not Condition.tls_expiry}:
        since = now - timedelta(seconds=window)
        params = {"since": since, "now": now, "ids": ids}
        stats[window] = {row.service_id: row for row in await session.execute(WINDOW_STATS, params)}
        pushed[window] = {
            row.service_id: row.error_pct for row in await session.execute(PUSHED_ERRORS, params)
        }
    conditions_by_team: dict[uuid.UUID, set[tuple[Condition, int]]] = defaultdict(set)
    for rule in rules:
        conditions_by_team[rule.team_id].add((rule.condition, rule.window_s))
    observations = []
    for s in services:
        subject = Subject(s.id, s.team_id, TargetKind.service, s.name, tuple(s.tags), {}, s.host_id)
        for condition, window in conditions_by_team[s.team_id]:
            value = _value(condition, s, stats.get(window, {}), pushed.get(window, {}), now)
            if value is not None:
                observations.append(Observation(subject, condition, float(value), now))
    return observations


def _value(condition: Condition, service: Any, stats: dict, pushed: dict, now) -> float | None:
    if condition is Condition.tls_expiry:
        if service.tls_expires_at is None:
            return None
        return (service.tls_expires_at - now).total_seconds() / 86400
    row = stats.get(service.id)
    if condition is Condition.error_rate:
        if service.id in pushed:
            return pushed[service.id]
        return row.failed_pct if row is not None else None
    if row is None:
        return None
    return row.latency_avg if condition is Condition.latency_avg else row.latency_p95
