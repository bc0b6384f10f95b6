"""Evaluating rules against new data, inside the transaction that stores the data.

Callers (the check writer, the metric writer, host status changes, the
periodic sweep) hold the row lock of each subject they pass, so one subject's
rule state is never advanced by two processes at once. Each condition is fed
from one place, so a rule's samples arrive in order.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from watchdeck.domain.alerts import alerting
from watchdeck.domain.alerts.evaluation import RuleTerms, Standing, step
from watchdeck.domain.alerts.models import (
    AlertRule,
    AlertStateRow,
    Channel,
    Condition,
    EvalState,
    alert_rule_channels,
)
from watchdeck.domain.alerts.observations import Effects, Observation, Subject
from watchdeck.platform.config import Settings


def applies(rule: AlertRule, subject: Subject) -> bool:
    if rule.target_kind is not subject.kind:
        return False
    if rule.target_id is not None and rule.target_id != subject.id:
        return False
    if rule.target_tags and not set(rule.target_tags) <= set(subject.tags):
        return False
    return all(subject.labels.get(k) == v for k, v in (rule.target_labels or {}).items())


def terms(rule: AlertRule) -> RuleTerms:
    return RuleTerms(
        rule.condition, rule.threshold, rule.recovery_threshold, rule.for_samples, rule.for_s
    )


async def evaluate(
    session: AsyncSession, observations: Iterable[Observation], settings: Settings
) -> Effects:
    """Advance every matching rule with these observations; the caller commits."""
    effects = Effects()
    observations = sorted(observations, key=lambda o: o.at)
    if not observations:
        return effects
    rules = await _enabled_rules(
        session, {o.subject.team_id for o in observations}, {o.condition for o in observations}
    )
    if not rules:
        return effects
    by_team: dict[tuple[uuid.UUID, Condition], list[AlertRule]] = defaultdict(list)
    for rule in rules:
        by_team[(rule.team_id, rule.condition)].append(rule)
    pairs = [
        (rule, o)
        for o in observations
        for rule in by_team.get((o.subject.team_id, o.condition), ())
        if applies(rule, o.subject)
    ]
    if not pairs:
        return effects
    rows = {
        (row.rule_id, row.subject_id): row
        for row in await session.scalars(
            select(AlertStateRow).where(
                AlertStateRow.rule_id.in_({rule.id for rule, _ in pairs}),
                AlertStateRow.subject_id.in_({o.subject.id for _, o in pairs}),
            )
        )
    }
    # Which channels rules send to matters only when one fires or resolves, which is rare:
    # the check writer calls this for every batch, so that query waits until then.
    channels: dict[uuid.UUID, list[uuid.UUID]] | None = None
    changed: dict[tuple[uuid.UUID, uuid.UUID], dict] = {}
    for rule, o in pairs:
        key = (rule.id, o.subject.id)
        row = rows.get(key)
        saved = changed.get(key) or (_as_dict(row) if row is not None else None)
        before = Standing(saved["state"], saved["since"], saved["samples"]) if saved else None
        after, change = step(before, terms(rule), o.value, o.at)
        if before is not None and (after.state, after.since, after.samples) == (
            before.state,
            before.since,
            before.samples,
        ):
            continue  # nothing new to remember; a value alone is not worth a write
        if before is None and after.state is EvalState.ok:
            continue
        record = {
            "rule_id": rule.id,
            "subject_id": o.subject.id,
            "state": after.state,
            "since": after.since,
            "samples": after.samples,
            "value": o.value,
            "alert_id": saved["alert_id"] if saved else None,
            "last_notified_at": saved["last_notified_at"] if saved else None,
            "updated_at": o.at,
        }
        if change is not None and channels is None:
            channels = await enabled_channels_of({rule.id for rule, _ in pairs}, session)
        targets = channels.get(rule.id, []) if channels is not None else []
        if change == "fire":
            alert = await alerting.fire(
                session, rule, targets, o, after.since, record, settings, effects
            )
            record["alert_id"] = alert.id
        elif change == "resolve" and record["alert_id"] is not None:
            await alerting.resolve(session, rule, targets, record["alert_id"], o, effects)
            record["alert_id"] = None
        changed[key] = record
    if changed:
        statement = insert(AlertStateRow).values(list(changed.values()))
        statement = statement.on_conflict_do_update(
            index_elements=["rule_id", "subject_id"],
            set_={
                c: statement.excluded[c]
                for c in (
                    "state",
                    "since",
                    "samples",
                    "value",
                    "alert_id",
                    "last_notified_at",
                    "updated_at",
                )
            },
        )
        await session.execute(statement)
    return effects


def _as_dict(row: AlertStateRow) -> dict:
    return {
        "state": row.state,
        "since": row.since,
        "samples": row.samples,
        "alert_id": row.alert_id,
        "last_notified_at": row.last_notified_at,
    }


async def _enabled_rules(
    session: AsyncSession, team_ids: set[uuid.UUID], conditions: set[Condition]
) -> list[AlertRule]:
    return list(
        await session.scalars(
            select(AlertRule).where(
                AlertRule.team_id.in_(team_ids),
                AlertRule.condition.in_(conditions),
                AlertRule.enabled.is_(True),
            )
        )
    )


async def enabled_channels_of(
    rule_ids: set[uuid.UUID], session: AsyncSession
) -> dict[uuid.UUID, list[uuid.UUID]]:
    """The enabled channels each rule sends to."""
    rows = await session.execute(
        select(alert_rule_channels.c.rule_id, alert_rule_channels.c.channel_id)
        .join(Channel, Channel.id == alert_rule_channels.c.channel_id)
        .where(alert_rule_channels.c.rule_id.in_(rule_ids), Channel.enabled.is_(True))
    )
    channels: dict[uuid.UUID, list[uuid.UUID]] = defaultdict(list)
    for rule_id, channel_id in rows:
        channels[rule_id].append(channel_id)
    return channels
