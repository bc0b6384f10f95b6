"""Reading alerts: the firing ones, the history, and one alert with its delivery log."""

from __future__ import annotations

import uuid

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from watchdeck.domain.alerts.channel_store import deliveries_of_alert
from watchdeck.domain.alerts.models import Alert, AlertStatus
from watchdeck.domain.alerts.schemas import AlertCount, AlertDetail, AlertOut, AlertPage
from watchdeck.platform.errors import NotFound
from watchdeck.platform.pagination import cursor_after, older_than


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


def _matching(
    team_id: uuid.UUID,
    status: AlertStatus | None,
    rule_id: uuid.UUID | None,
    subject_id: uuid.UUID | None,
) -> list[ColumnElement[bool]]:
    where = [Alert.team_id == team_id]
    if status is not None:
        where.append(Alert.status == status)
    if rule_id is not None:
        where.append(Alert.rule_id == rule_id)
    if subject_id is not None:
        where.append(Alert.subject_id == subject_id)
    return where


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
    query = select(Alert).where(*_matching(team_id, status, rule_id, subject_id))
    if before:
        older, _ = older_than(Alert.started_at, Alert.id, before, uuid.UUID)
        query = query.where(older)
    rows = list(
        await session.scalars(
            query.order_by(Alert.started_at.desc(), Alert.id.desc()).limit(limit + 1)
        )
    )
    items = [alert_out(a) for a in rows[:limit]]
    cursor = cursor_after(items[-1].started_at, items[-1].id) if len(rows) > limit else None
    return AlertPage(items=items, next_cursor=cursor)


async def count(
    session: AsyncSession,
    team_id: uuid.UUID,
    *,
    status: AlertStatus | None = None,
    rule_id: uuid.UUID | None = None,
    subject_id: uuid.UUID | None = None,
) -> AlertCount:
    """How many alerts match the same filters as `page`, all of them at once."""
    where = _matching(team_id, status, rule_id, subject_id)
    total = await session.scalar(select(func.count()).select_from(Alert).where(*where))
    return AlertCount(count=total or 0)


async def detail(session: AsyncSession, team_id: uuid.UUID, alert_id: uuid.UUID) -> AlertDetail:
    alert = await session.scalar(
        select(Alert).where(Alert.team_id == team_id, Alert.id == alert_id)
    )
    if alert is None:
        raise NotFound("no such alert")
    return AlertDetail(
        alert=alert_out(alert), deliveries=await deliveries_of_alert(session, alert.id)
    )
