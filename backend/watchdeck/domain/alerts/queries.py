"""Reading alerts: the firing ones, the history, and one alert with its delivery log."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import or_, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from watchdeck.domain.alerts.channel_store import deliveries_of_alert
from watchdeck.domain.alerts.models import Alert, AlertStatus
from watchdeck.domain.alerts.schemas import AlertDetail, AlertOut, AlertPage
from watchdeck.errors import Invalid, NotFound


def alert_out(alert: Alert) -> AlertOut:
    duration = (alert.resolved_at - alert.started_at).total_seconds() if alert.resolved_at else None
    return AlertOut(
        id=alert.id,
        rule_id=alert.rule_id,
        rule_name=alert.rule_name,
        condition=alert.condition,
        subject_kind=alert.subject_kind,
        subject_id=alert.subject_id,
        subject_name=alert.subject_name,
        severity=alert.severity,
        status=alert.status,
        summary=alert.summary,
        value=alert.value,
        threshold=alert.threshold,
        started_at=alert.started_at,
        resolved_at=alert.resolved_at,
        duration_s=duration,
        suppressed=alert.suppressed_by is not None,
        notified=alert.notified,
        incident_id=alert.incident_id,
    )


async def page(
    session: AsyncSession,
    team_id: uuid.UUID,
    *,
    status: AlertStatus | None = None,
    rule_id: uuid.UUID | None = None,
    subject_id: uuid.UUID | None = None,
    before: str | None = None,
    limit: int = 50,
) -> AlertPage:
    """Alerts newest first, optionally only firing or resolved, for a rule or a subject."""
    query = select(Alert).where(Alert.team_id == team_id)
    if status is not None:
        query = query.where(Alert.status == status)
    if rule_id is not None:
        query = query.where(Alert.rule_id == rule_id)
    if subject_id is not None:
        query = query.where(Alert.subject_id == subject_id)
    if before:
        at, alert_id = _cursor(before)
        query = query.where(
            or_(Alert.started_at < at, tuple_(Alert.started_at, Alert.id) < tuple_(at, alert_id))
        )
    rows = list(
        await session.scalars(
            query.order_by(Alert.started_at.desc(), Alert.id.desc()).limit(limit + 1)
        )
    )
    items = [alert_out(a) for a in rows[:limit]]
    cursor = f"{items[-1].started_at.isoformat()}|{items[-1].id}" if len(rows) > limit else None
    return AlertPage(items=items, next_cursor=cursor)


async def detail(session: AsyncSession, team_id: uuid.UUID, alert_id: uuid.UUID) -> AlertDetail:
    alert = await session.scalar(
        select(Alert).where(Alert.team_id == team_id, Alert.id == alert_id)
    )
    if alert is None:
        raise NotFound("no such alert")
    return AlertDetail(
        alert=alert_out(alert), deliveries=await deliveries_of_alert(session, alert.id)
    )


def _cursor(value: str) -> tuple[datetime, uuid.UUID]:
    try:
        at, _, alert_id = value.rpartition("|")
        return datetime.fromisoformat(at), uuid.UUID(alert_id)
    except ValueError:
        raise Invalid("before", "not a cursor from a previous page") from None
