"""Alert rules: create, change, list, delete, and the defaults every team starts with."""

from __future__ import annotations

import uuid
from collections import defaultdict

import msgspec
from sqlalchemy import delete, func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from watchdeck.domain.alerts.alerting import resolve_quietly
from watchdeck.domain.alerts.conditions import SPECS
from watchdeck.domain.alerts.events import AlertRuleChanged
from watchdeck.domain.alerts.models import (
    Alert,
    AlertRule,
    AlertStateRow,
    AlertStatus,
    Channel,
    alert_rule_channels,
)
from watchdeck.domain.alerts.schemas import RuleIn, RuleOut, RulePatch
from watchdeck.platform import subjects
from watchdeck.platform.clock import utcnow
from watchdeck.platform.errors import Invalid, NotFound
from watchdeck.platform.events import Event, EventKind
from watchdeck.platform.vocabulary import TargetKind


async def list_rules(session: AsyncSession, team_id: uuid.UUID) -> list[RuleOut]:
    rules = list(
        await session.scalars(
            select(AlertRule).where(AlertRule.team_id == team_id).order_by(AlertRule.name)
        )
    )
    return await _out(session, rules)


async def get_rule(session: AsyncSession, team_id: uuid.UUID, rule_id: uuid.UUID) -> RuleOut:
    return (await _out(session, [await _get(session, team_id, rule_id)]))[0]


async def create(session: AsyncSession, team_id: uuid.UUID, data: RuleIn) -> tuple[RuleOut, Event]:
    fields = msgspec.structs.asdict(data)
    channel_ids = fields.pop("channel_ids")
    spec = SPECS[data.condition]
    if fields["target_kind"] is None:
        fields["target_kind"] = spec.subject
    if fields["threshold"] is None and spec.numeric:
        fields["threshold"] = spec.default_threshold
    rule = AlertRule(id=uuid.uuid4(), team_id=team_id, **fields)
    await _validate(session, rule, channel_ids)
    session.add(rule)
    await session.flush()
    await _set_channels(session, rule.id, channel_ids)
    await session.commit()
    return await get_rule(session, team_id, rule.id), _event(EventKind.alert_rule_created, rule)


async def update(
    session: AsyncSession, team_id: uuid.UUID, rule_id: uuid.UUID, changes: RulePatch
) -> tuple[RuleOut, list[Event]]:
    rule = await _get(session, team_id, rule_id, lock=True)
    fields = {k: v for k, v in msgspec.structs.asdict(changes).items() if v is not msgspec.UNSET}
    channel_ids = fields.pop("channel_ids", None)
    for name, value in fields.items():
        setattr(rule, name, value)
    # The validating queries must not flush the changes they are about to judge.
    with session.no_autoflush:
        await _validate(
            session,
            rule,
            channel_ids if channel_ids is not None else await _channel_ids(session, rule.id),
        )
    events = [_event(EventKind.alert_rule_updated, rule)]
    terms_changed = fields.keys() - {"name", "severity", "open_incident", "repeat_s"}
    if terms_changed:
        # New terms start from a clean slate: what fired under the old ones is closed.
        events += await _reset(session, rule, "the rule changed")
    if channel_ids is not None:
        await session.execute(
            delete(alert_rule_channels).where(alert_rule_channels.c.rule_id == rule.id)
        )
        await _set_channels(session, rule.id, channel_ids)
    await session.commit()
    return await get_rule(session, team_id, rule.id), events


async def remove(session: AsyncSession, team_id: uuid.UUID, rule_id: uuid.UUID) -> list[Event]:
    rule = await _get(session, team_id, rule_id, lock=True)
    events = await _reset(session, rule, "the rule was deleted")
    await session.delete(rule)
    await session.commit()
    return [*events, _event(EventKind.alert_rule_deleted, rule)]


async def _reset(session: AsyncSession, rule: AlertRule, why: str) -> list[Event]:
    firing = list(
        await session.scalars(
            select(Alert).where(Alert.rule_id == rule.id, Alert.status == AlertStatus.firing)
        )
    )
    await session.execute(delete(AlertStateRow).where(AlertStateRow.rule_id == rule.id))
    return resolve_quietly(firing, utcnow(), why)


async def _validate(session: AsyncSession, rule: AlertRule, channel_ids: list[uuid.UUID]) -> None:
    spec = SPECS[rule.condition]
    if rule.target_kind is not spec.subject:
        raise Invalid("target_kind", f"{rule.condition.value} watches a {spec.subject.value}")
    if spec.numeric:
        low, high = spec.limits
        if rule.threshold is None:
            raise Invalid("threshold", f"required for {rule.condition.value}")
        if not low <= rule.threshold <= high:
            raise Invalid("threshold", f"must be between {low:g} and {high:g}")
        if rule.recovery_threshold is not None:
            wrong_side = (
                rule.recovery_threshold > rule.threshold
                if spec.above
                else rule.recovery_threshold < rule.threshold
            )
            if wrong_side:
                side = "at most" if spec.above else "at least"
                raise Invalid("recovery_threshold", f"must be {side} the threshold")
    elif rule.threshold is not None or rule.recovery_threshold is not None:
        field = "threshold" if rule.threshold is not None else "recovery_threshold"
        raise Invalid(field, f"{rule.condition.value} takes no threshold")
    if rule.target_tags and rule.target_kind is not TargetKind.service:
        raise Invalid("target_tags", "tags select services; hosts are selected by labels")
    if rule.target_labels and rule.target_kind is not TargetKind.host:
        raise Invalid("target_labels", "labels select hosts; services are selected by tags")
    if rule.target_id is not None:
        if not await subjects.exists(session, rule.target_kind, rule.team_id, rule.target_id):
            raise Invalid("target_id", f"no such {rule.target_kind.value} in this team")
    if channel_ids:
        found = set(
            await session.scalars(
                select(Channel.id).where(
                    Channel.team_id == rule.team_id, Channel.id.in_(channel_ids)
                )
            )
        )
        if missing := [str(c) for c in channel_ids if c not in found]:
            raise Invalid("channel_ids", f"no such channel in this team: {', '.join(missing)}")
    await _validate_dependency(session, rule)


async def _validate_dependency(session: AsyncSession, rule: AlertRule) -> None:
    parent_id = rule.depends_on_id
    seen = {rule.id}
    while parent_id is not None:
        if parent_id in seen:
            raise Invalid("depends_on_id", "rules would depend on each other in a loop")
        seen.add(parent_id)
        parent = (
            await session.execute(
                select(AlertRule.id, AlertRule.depends_on_id).where(
                    AlertRule.team_id == rule.team_id, AlertRule.id == parent_id
                )
            )
        ).first()
        if parent is None:
            raise Invalid("depends_on_id", "no such rule in this team")
        parent_id = parent.depends_on_id


async def _get(
    session: AsyncSession, team_id: uuid.UUID, rule_id: uuid.UUID, lock: bool = False
) -> AlertRule:
    query = select(AlertRule).where(AlertRule.team_id == team_id, AlertRule.id == rule_id)
    rule = await session.scalar(query.with_for_update() if lock else query)
    if rule is None:
        raise NotFound("no such alert rule")
    return rule


async def _set_channels(
    session: AsyncSession, rule_id: uuid.UUID, channel_ids: list[uuid.UUID]
) -> None:
    if channel_ids:
        await session.execute(
            insert(alert_rule_channels),
            [{"rule_id": rule_id, "channel_id": c} for c in dict.fromkeys(channel_ids)],
        )


async def _channel_ids(session: AsyncSession, rule_id: uuid.UUID) -> list[uuid.UUID]:
    return list(
        await session.scalars(
            select(alert_rule_channels.c.channel_id).where(alert_rule_channels.c.rule_id == rule_id)
        )
    )


async def _out(session: AsyncSession, rules: list[AlertRule]) -> list[RuleOut]:
    ids = [r.id for r in rules]
    channels: dict[uuid.UUID, list[uuid.UUID]] = defaultdict(list)
    for rule_id, channel_id in await session.execute(
        select(alert_rule_channels.c.rule_id, alert_rule_channels.c.channel_id).where(
            alert_rule_channels.c.rule_id.in_(ids)
        )
    ):
        channels[rule_id].append(channel_id)
    firing = dict(
        (
            await session.execute(
                select(Alert.rule_id, func.count())
                .where(Alert.rule_id.in_(ids), Alert.status == AlertStatus.firing)
                .group_by(Alert.rule_id)
            )
        ).all()
    )
    return [
        RuleOut(
            id=r.id,
            name=r.name,
            condition=r.condition,
            target_kind=r.target_kind,
            target_id=r.target_id,
            target_tags=list(r.target_tags or []),
            target_labels=dict(r.target_labels or {}),
            threshold=r.threshold,
            recovery_threshold=r.recovery_threshold,
            window_s=r.window_s,
            for_samples=r.for_samples,
            for_s=r.for_s,
            severity=r.severity,
            channel_ids=channels[r.id],
            open_incident=r.open_incident,
            repeat_s=r.repeat_s,
            depends_on_id=r.depends_on_id,
            enabled=r.enabled,
            firing=firing.get(r.id, 0),
            created_at=r.created_at,
            updated_at=r.updated_at,
        )
        for r in rules
    ]


def _event(kind: EventKind, rule: AlertRule) -> Event:
    return Event(rule.team_id, kind, AlertRuleChanged(rule.id, rule.name))
