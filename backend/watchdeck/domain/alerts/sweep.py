"""The periodic alert sweep: conditions measured over a window, absence, reminders, leftovers.

Latency, error rate and TLS expiry are measured over the rule's window rather
than per check, and "host missing" is about data that did not come, so the
sweep (every 15 s, one worker at a time) evaluates them. It also sends
reminders for rules with a repeat interval, closes alerts whose subject was
deleted, and books flushes for notifications a dead worker left waiting.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from watchdeck.db.base import utcnow
from watchdeck.domain.alerts import alerting, outbox
from watchdeck.domain.alerts.conditions import SPECS
from watchdeck.domain.alerts.evaluator import (
    Effects,
    Observation,
    Subject,
    enabled_channels_of,
    evaluate,
)
from watchdeck.domain.alerts.models import Alert, AlertRule, AlertStatus, Condition
from watchdeck.domain.hosts.models import Host, HostStatus
from watchdeck.domain.services.maintenance import muting_at
from watchdeck.domain.services.models import Service
from watchdeck.platform.config import Settings
from watchdeck.platform.events import Event, publish_many
from watchdeck.platform.vocabulary import TargetKind

SWEEP_LOCK = 0x5EE9_A1E7  # pg advisory lock: one sweep at a time across workers
SWEPT = [c for c, spec in SPECS.items() if spec.windowed] + [Condition.host_missing]

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


async def sweep_alerts(ctx: dict[str, Any], now: datetime | None = None) -> int:
    """Run one sweep as of `now` (default: the present); returns how many observations it
    evaluated."""
    now = now or utcnow()
    settings: Settings = ctx["settings"]
    effects = Effects()
    async with ctx["session_factory"]() as session:
        if not await session.scalar(select(func.pg_try_advisory_xact_lock(SWEEP_LOCK))):
            return 0  # another worker is sweeping
        observations = await _observations(session, now)
        effects.add(await evaluate(session, observations, settings))
        await _remind(session, effects)
        effects.events.extend(await _close_orphans(session))
        await session.commit()
        await outbox.flush_stragglers(session, ctx["redis"], settings.alert_group_s)
    await publish_many(ctx["redis"], effects.events)
    await outbox.request_flush(ctx["redis"], effects.channels, settings.alert_group_s)
    return len(observations)


async def _observations(session: AsyncSession, now: datetime) -> list[Observation]:
    rules = list(
        await session.scalars(
            select(AlertRule).where(AlertRule.enabled.is_(True), AlertRule.condition.in_(SWEPT))
        )
    )
    service_rules = [r for r in rules if r.target_kind is TargetKind.service]
    host_rules = [r for r in rules if r.condition is Condition.host_missing]
    observations: list[Observation] = []
    if service_rules:
        observations += await _service_observations(session, service_rules, now)
    if host_rules:
        hosts = await session.scalars(
            select(Host)
            .where(Host.team_id.in_({r.team_id for r in host_rules}))
            .order_by(Host.id)
            .with_for_update(skip_locked=True)  # the metric writer holds it while it evaluates
        )
        for host in hosts:
            subject = Subject(host.id, host.team_id, TargetKind.host, host.name, labels=host.labels)
            missing = 1.0 if host.status is HostStatus.missing else 0.0
            observations.append(Observation(subject, Condition.host_missing, missing, now))
    return observations


async def _service_observations(
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


async def _remind(session: AsyncSession, effects: Effects) -> None:
    now = utcnow()
    due = (
        await session.execute(
            select(Alert, AlertRule.repeat_s)
            .join(AlertRule, AlertRule.id == Alert.rule_id)
            .where(
                Alert.status == AlertStatus.firing,
                Alert.notified.is_(True),
                AlertRule.repeat_s.is_not(None),
                AlertRule.enabled.is_(True),
                Alert.last_notified_at
                < func.now() - func.make_interval(0, 0, 0, 0, 0, 0, AlertRule.repeat_s),
            )
            .with_for_update(of=Alert, skip_locked=True)
        )
    ).all()
    if not due:
        return
    channels = await enabled_channels_of({a.rule_id for a, _ in due}, session)
    for alert, _ in due:
        alerting.remind(session, alert, channels.get(alert.rule_id, []), now, effects)


async def _close_orphans(session: AsyncSession) -> list[Event]:
    """Alerts whose service or host was deleted would otherwise fire forever."""
    orphans = list(
        await session.scalars(
            select(Alert).where(
                Alert.status == AlertStatus.firing,
                ~select(Service.id).where(Service.id == Alert.subject_id).exists(),
                ~select(Host.id).where(Host.id == Alert.subject_id).exists(),
            )
        )
    )
    return alerting.resolve_quietly(orphans, utcnow(), "its subject was deleted")
