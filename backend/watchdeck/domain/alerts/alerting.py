"""What happens when a rule fires or resolves: the alert row, its incident, its notifications."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from watchdeck.domain.alerts.conditions import summary
from watchdeck.domain.alerts.events import AlertChanged
from watchdeck.domain.alerts.models import (
    Alert,
    AlertRule,
    AlertStatus,
    Notification,
    NotificationKind,
)
from watchdeck.domain.alerts.observations import Effects, Observation
from watchdeck.domain.incidents import lifecycle
from watchdeck.domain.incidents.models import IncidentSource
from watchdeck.platform.config import Settings
from watchdeck.platform.events import Event, EventKind
from watchdeck.platform.vocabulary import TargetKind


async def fire(
    session: AsyncSession,
    rule: AlertRule,
    channel_ids: list[uuid.UUID],
    observation: Observation,
    since: datetime,
    state: dict[str, Any],
    settings: Settings,
    effects: Effects,
) -> Alert:
    """Record a firing alert; notify unless a parent alert covers it or it fired just now."""
    subject, at = observation.subject, observation.at
    parent = await _covering_alert(session, rule, subject.id, subject.host_id)
    last = state.get("last_notified_at")
    repeat = last is not None and (at - last).total_seconds() < settings.alert_dedup_s
    alert = Alert(
        id=uuid.uuid4(),
        team_id=subject.team_id,
        rule_id=rule.id,
        rule_name=rule.name,
        condition=rule.condition,
        subject_kind=subject.kind,
        subject_id=subject.id,
        subject_name=subject.name,
        severity=rule.severity,
        status=AlertStatus.firing,
        summary=summary(rule.condition, observation.value, rule.threshold),
        value=observation.value,
        threshold=rule.threshold,
        started_at=since,
        suppressed_by=parent,
    )
    if parent is None and not repeat and channel_ids:
        alert.notified, alert.last_notified_at = True, at
        state["last_notified_at"] = at
    session.add(alert)
    await session.flush()
    if alert.notified:
        _notify(session, alert, channel_ids, NotificationKind.firing, effects)
    if rule.open_incident:
        await _open_incident(session, rule, alert, at, effects)
    effects.events.append(Event(alert.team_id, EventKind.alert_firing, alert_data(alert)))
    return alert


async def resolve(
    session: AsyncSession,
    rule: AlertRule,
    channel_ids: list[uuid.UUID],
    alert_id: uuid.UUID,
    observation: Observation,
    effects: Effects,
) -> None:
    """Resolve a firing alert; its recovery is sent wherever its firing was."""
    alert = await session.get(Alert, alert_id, with_for_update=True)
    if alert is None or alert.status is AlertStatus.resolved:
        return
    at = observation.at
    alert.status, alert.resolved_at = AlertStatus.resolved, at
    alert.value = observation.value
    if alert.notified:
        _notify(session, alert, channel_ids, NotificationKind.resolved, effects)
    if alert.incident_id is not None:
        await _close_incident(session, alert, at, effects)
    effects.events.append(Event(alert.team_id, EventKind.alert_resolved, alert_data(alert)))


def resolve_quietly(alerts: list[Alert], at: datetime, why: str) -> list[Event]:
    """Close alerts whose rule or subject went away; nobody needs a message for that."""
    events = []
    for alert in alerts:
        alert.status, alert.resolved_at = AlertStatus.resolved, at
        alert.summary = f"{alert.summary} ({why})"
        events.append(Event(alert.team_id, EventKind.alert_resolved, alert_data(alert)))
    return events


def remind(
    session: AsyncSession, alert: Alert, channel_ids: list[uuid.UUID], at: datetime, effects
):
    alert.last_notified_at = at
    _notify(session, alert, channel_ids, NotificationKind.reminder, effects)


def alert_data(alert: Alert) -> AlertChanged:
    """The alert as events carry it."""
    duration = (
        round((alert.resolved_at - alert.started_at).total_seconds()) if alert.resolved_at else None
    )
    return AlertChanged(
        alert_id=alert.id,
        rule_id=alert.rule_id,
        rule_name=alert.rule_name,
        condition=alert.condition,
        subject_kind=alert.subject_kind,
        subject_id=alert.subject_id,
        subject_name=alert.subject_name,
        severity=alert.severity,
        status=alert.status,
        summary=alert.summary,
        started_at=alert.started_at.isoformat(),
        resolved_at=alert.resolved_at.isoformat() if alert.resolved_at else None,
        duration_s=duration,
        suppressed=alert.suppressed_by is not None,
        incident_id=alert.incident_id,
    )


def _notify(
    session: AsyncSession,
    alert: Alert,
    channel_ids: list[uuid.UUID],
    kind: NotificationKind,
    effects: Effects,
) -> None:
    session.add_all(
        Notification(team_id=alert.team_id, channel_id=channel, alert_id=alert.id, kind=kind)
        for channel in channel_ids
    )
    effects.channels.update(channel_ids)


async def _covering_alert(
    session: AsyncSession,
    rule: AlertRule,
    subject_id: uuid.UUID,
    host_id: uuid.UUID | None,
) -> uuid.UUID | None:
    """The firing alert of the rule this one depends on, for this subject or the host it runs on."""
    if rule.depends_on_id is None:
        return None
    subjects = [subject_id] + ([host_id] if host_id else [])
    return await session.scalar(
        select(Alert.id)
        .where(
            Alert.rule_id == rule.depends_on_id,
            Alert.status == AlertStatus.firing,
            Alert.subject_id.in_(subjects),
        )
        .limit(1)
    )


async def _open_incident(
    session: AsyncSession, rule: AlertRule, alert: Alert, at: datetime, effects: Effects
) -> None:
    subject_key = "service_id" if alert.subject_kind is TargetKind.service else "host_id"
    incident, opened = await lifecycle.open_for(
        session,
        alert.team_id,
        IncidentSource.rule,
        f"{alert.subject_name}: {rule.name}",
        alert.summary,
        at,
        severity=rule.severity,
        note=_note(alert, "firing"),
        **{subject_key: alert.subject_id},
    )
    alert.incident_id = incident.id
    effects.events.append(opened)


async def _close_incident(
    session: AsyncSession, alert: Alert, at: datetime, effects: Effects
) -> None:
    incident_id = alert.incident_id
    assert incident_id is not None
    still_firing = await session.scalar(
        select(func.count())
        .select_from(Alert)
        .where(
            Alert.incident_id == incident_id,
            Alert.status == AlertStatus.firing,
            Alert.id != alert.id,
        )
    )
    if still_firing:
        lifecycle.add_note(session, incident_id, at, _note(alert, "resolved"))
        return
    resolved = await lifecycle.resolve_by_id(
        session, incident_id, at, how="alert resolved", note=_note(alert, "resolved")
    )
    if resolved is not None:
        effects.events.append(resolved)


def _note(alert: Alert, state: str) -> lifecycle.Note:
    return lifecycle.Note(
        "alert", {"state": state, "rule": alert.rule_name, "summary": alert.summary}
    )
