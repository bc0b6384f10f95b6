"""The periodic alert sweep: conditions measured over a window, absence, reminders, leftovers.

Latency, error rate and TLS expiry are measured over the rule's window rather
than per check, and "host missing" is about data that did not come, so the
sweep (every 15 s, one worker at a time) evaluates them, reading what it measures
through the sources services and hosts provide (alerts/observations.py). It also sends
reminders for rules with a repeat interval, closes alerts whose subject was
deleted, and books flushes for notifications a dead worker left waiting.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from watchdeck.domain.alerts import alerting, outbox
from watchdeck.domain.alerts.conditions import SPECS
from watchdeck.domain.alerts.evaluator import enabled_channels_of, evaluate
from watchdeck.domain.alerts.models import Alert, AlertRule, AlertStatus, Condition
from watchdeck.domain.alerts.observations import Effects, Observation, swept
from watchdeck.platform import subjects
from watchdeck.platform.clock import utcnow
from watchdeck.platform.config import Settings
from watchdeck.platform.events import Event, publish_many
from watchdeck.platform.vocabulary import TargetKind

SWEEP_LOCK = 0x5EE9_A1E7  # pg advisory lock: one sweep at a time across workers
SWEPT = [c for c, spec in SPECS.items() if spec.windowed] + [Condition.host_missing]


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
    rules = await session.scalars(
        select(AlertRule).where(AlertRule.enabled.is_(True), AlertRule.condition.in_(SWEPT))
    )
    by_kind: dict[TargetKind, list[AlertRule]] = defaultdict(list)
    for rule in rules:
        by_kind[rule.target_kind].append(rule)
    observations: list[Observation] = []
    for kind, kind_rules in by_kind.items():
        observations += await swept(session, kind, kind_rules, now)
    return observations


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
    firing = list(await session.scalars(select(Alert).where(Alert.status == AlertStatus.firing)))
    alive: set[uuid.UUID] = set()
    for kind in TargetKind:
        ids = {alert.subject_id for alert in firing if alert.subject_kind is kind}
        alive |= await subjects.existing(session, kind, None, ids)
    orphans = [alert for alert in firing if alert.subject_id not in alive]
    return alerting.resolve_quietly(orphans, utcnow(), "its subject was deleted")
