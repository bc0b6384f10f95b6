"""Sending a delivery to its channel: one arq job per attempt, with backoff between attempts.

Every channel's deliveries are separate jobs with a timeout, so a slow or
broken channel holds up only its own messages. Each attempt is appended to
the delivery's log; after `alert_max_attempts` the delivery is marked failed.
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import datetime, timedelta
from typing import Any

import structlog
from arq import ArqRedis
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from watchdeck.domain.accounts.teams import allows_private_targets, get_team
from watchdeck.domain.alerts.channels import TRANSPORTS, parse_settings
from watchdeck.domain.alerts.message import AlertLine, DeliveryFailed, Message
from watchdeck.domain.alerts.models import (
    Alert,
    Channel,
    Delivery,
    DeliveryStatus,
    Notification,
    NotificationKind,
)
from watchdeck.platform.clock import utcnow
from watchdeck.platform.config import Settings
from watchdeck.platform.vocabulary import TargetKind

log = structlog.get_logger(__name__)


async def deliver(ctx: dict[str, Any], delivery_id: str) -> str:
    """Make one attempt at a delivery; book the next one with backoff if it fails."""
    settings: Settings = ctx["settings"]
    async with ctx["session_factory"]() as session:
        delivery = await session.get(Delivery, uuid.UUID(delivery_id), with_for_update=True)
        if delivery is None or delivery.status in (DeliveryStatus.sent, DeliveryStatus.failed):
            return "gone" if delivery is None else delivery.status.value
        channel = await session.get(Channel, delivery.channel_id)
        if channel is None:
            return "gone"
        message = await _message(session, delivery, settings)
        delivery.title = message.title[:300]
        error = await attempt(session, channel, message, settings)
        _record_attempt(delivery, error, settings)
        await session.commit()
    if delivery.status is DeliveryStatus.retrying:
        backoff = settings.alert_retry_base_s * 2 ** (delivery.attempts - 1)
        jobs: ArqRedis = ctx["redis"]
        await jobs.enqueue_job(
            "deliver",
            delivery_id,
            _defer_by=timedelta(seconds=backoff),
            _job_id=f"deliver:{delivery_id}:{delivery.attempts + 1}",
        )
    if delivery.status is DeliveryStatus.failed:
        log.warning(
            "gave up on a delivery after its last attempt", channel=channel.name,
            channel_id=str(channel.id), delivery_id=delivery_id, attempts=delivery.attempts,
            error=delivery.last_error,
        )  # fmt: skip
    return delivery.status.value


async def attempt(
    session: AsyncSession, channel: Channel, message: Message, settings: Settings
) -> str | None:
    """Send once; the reason it failed, or None."""
    config, secrets = parse_settings(channel.kind, channel.config, channel.secrets)
    allow_private = await allows_private_targets(session, channel.team_id)
    transport = TRANSPORTS[channel.kind]
    timeout = settings.alert_send_timeout_s
    try:
        # The transport has its own timeouts; this one bounds anything they miss (DNS, SMTP).
        async with asyncio.timeout(timeout + 1):
            await transport.send(
                config, secrets, message, allow_private=allow_private, timeout=timeout
            )
    except DeliveryFailed as exc:
        return str(exc) or "failed"
    except TimeoutError:
        return f"no answer within {timeout:g} s"
    return None


def _record_attempt(delivery: Delivery, error: str | None, settings: Settings) -> None:
    now = utcnow()
    delivery.attempts += 1
    delivery.log = [*delivery.log, {"at": now.isoformat(), "ok": error is None, "error": error}]
    delivery.last_error = error
    if error is None:
        delivery.status, delivery.sent_at = DeliveryStatus.sent, now
    elif delivery.attempts >= settings.alert_max_attempts:
        delivery.status = DeliveryStatus.failed
    else:
        delivery.status = DeliveryStatus.retrying


async def _message(session: AsyncSession, delivery: Delivery, settings: Settings) -> Message:
    rows = (
        await session.execute(
            select(Notification.kind, Alert)
            .join(Alert, Alert.id == Notification.alert_id)
            .where(Notification.delivery_id == delivery.id)
            .order_by(Notification.id)
        )
    ).all()
    team = await get_team(session, delivery.team_id)
    lines = [alert_line(alert, kind, settings) for kind, alert in rows]
    return Message(
        team_name=team.name, title=title_of(lines), alerts=lines, dashboard_url=settings.base_url
    )


def alert_line(alert: Alert, kind: NotificationKind, settings: Settings) -> AlertLine:
    section = "services" if alert.subject_kind is TargetKind.service else "hosts"
    return AlertLine(
        alert_id=str(alert.id),
        rule_name=alert.rule_name,
        subject_kind=alert.subject_kind.value,  # type: ignore[arg-type]
        subject_name=alert.subject_name,
        severity=alert.severity.value,  # type: ignore[arg-type]
        state=kind.value,  # type: ignore[arg-type]
        summary=alert.summary,
        started_at=alert.started_at,
        resolved_at=alert.resolved_at if kind is NotificationKind.resolved else None,
        url=f"{settings.base_url}/{section}/{alert.subject_id}",
    )


def title_of(lines: list[AlertLine]) -> str:
    if len(lines) == 1:
        line = lines[0]
        return f"[{line.state.upper()}] {line.subject_name}: {line.summary}"
    counts: dict[str, int] = {}
    for line in lines:
        counts[line.state] = counts.get(line.state, 0) + 1
    parts = [f"{n} {state}" for state, n in counts.items()]
    return f"{len(lines)} alerts: " + ", ".join(parts)


def test_message(team_name: str, settings: Settings, at: datetime) -> Message:
    line = AlertLine(
        alert_id=str(uuid.uuid4()),
        rule_name="Test notification",
        subject_kind="service",
        subject_name="Example service",
        severity="low",
        state="firing",
        summary="This is a test from Watchdeck: the channel works.",
        started_at=at,
        url=settings.base_url,
    )
    return Message(
        team_name=team_name,
        title="Watchdeck test notification",
        alerts=[line],
        dashboard_url=settings.base_url,
        test=True,
    )
