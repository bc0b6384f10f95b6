"""Notification channels: create, change, delete, list, send a test, read the delivery log.

Secrets (webhook URLs, passwords, signing keys, custom headers) are
write-only: they are stored, checked and used, and only their names are ever
shown. A change that leaves a secret out keeps the stored one.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

import msgspec
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from watchdeck.domain.accounts.teams import allows_private_targets, get_team
from watchdeck.domain.alerts.channels import TRANSPORTS, ChannelKind, parse_settings, secret_names
from watchdeck.domain.alerts.delivery import attempt, test_message
from watchdeck.domain.alerts.models import (
    Channel,
    Delivery,
    DeliveryStatus,
    Notification,
    NotificationKind,
)
from watchdeck.domain.alerts.schemas import ChannelIn, ChannelOut, ChannelPatch, DeliveryOut
from watchdeck.platform.clock import utcnow
from watchdeck.platform.config import Settings
from watchdeck.platform.errors import NotFound


def channel_out(channel: Channel) -> ChannelOut:
    names = secret_names(channel.kind)
    return ChannelOut(
        id=channel.id,
        name=channel.name,
        kind=channel.kind,
        config=dict(channel.config or {}),
        secrets_set=[n for n in names if (channel.secrets or {}).get(n) not in (None, "", {})],
        enabled=channel.enabled,
        created_at=channel.created_at,
        updated_at=channel.updated_at,
    )


async def list_channels(session: AsyncSession, team_id: uuid.UUID) -> list[ChannelOut]:
    channels = await session.scalars(
        select(Channel).where(Channel.team_id == team_id).order_by(Channel.name)
    )
    return [channel_out(c) for c in channels]


async def get(session: AsyncSession, team_id: uuid.UUID, channel_id: uuid.UUID) -> Channel:
    channel = await session.scalar(
        select(Channel).where(Channel.team_id == team_id, Channel.id == channel_id)
    )
    if channel is None:
        raise NotFound("no such channel")
    return channel


async def create(session: AsyncSession, team_id: uuid.UUID, data: ChannelIn) -> ChannelOut:
    config, secrets = await _checked(session, team_id, data.kind, data.config, data.secrets)
    channel = Channel(
        team_id=team_id,
        name=data.name,
        kind=data.kind,
        config=config,
        secrets=secrets,
        enabled=data.enabled,
    )
    session.add(channel)
    await session.commit()
    return channel_out(channel)


async def update(
    session: AsyncSession, team_id: uuid.UUID, channel_id: uuid.UUID, changes: ChannelPatch
) -> ChannelOut:
    channel = await get(session, team_id, channel_id)
    if changes.name is not msgspec.UNSET:
        channel.name = changes.name
    if changes.enabled is not msgspec.UNSET:
        channel.enabled = changes.enabled
    if changes.config is not msgspec.UNSET or changes.secrets is not msgspec.UNSET:
        config = channel.config if changes.config is msgspec.UNSET else changes.config
        sent = {} if changes.secrets is msgspec.UNSET else changes.secrets
        secrets = {**(channel.secrets or {}), **sent}
        channel.config, channel.secrets = await _checked(
            session, team_id, channel.kind, config, secrets
        )
    await session.commit()
    return channel_out(channel)


async def remove(session: AsyncSession, team_id: uuid.UUID, channel_id: uuid.UUID) -> None:
    channel = await get(session, team_id, channel_id)
    await session.delete(channel)
    await session.commit()


async def send_test(
    session: AsyncSession, team_id: uuid.UUID, channel_id: uuid.UUID, settings: Settings
) -> DeliveryOut:
    """Send a test message now and answer with how it went (it is kept in the delivery log)."""
    channel = await get(session, team_id, channel_id)
    team = await get_team(session, team_id)
    message = test_message(team.name, settings, utcnow())
    error = await attempt(session, channel, message, settings)
    now = utcnow()
    delivery = Delivery(
        id=uuid.uuid4(),
        team_id=team_id,
        channel_id=channel.id,
        test=True,
        title=message.title,
        status=DeliveryStatus.sent if error is None else DeliveryStatus.failed,
        attempts=1,
        log=[{"at": now.isoformat(), "ok": error is None, "error": error}],
        last_error=error,
        sent_at=now if error is None else None,
        created_at=now,
    )
    session.add(delivery)
    await session.commit()
    return delivery_out(delivery, channel.name)


async def deliveries(
    session: AsyncSession, team_id: uuid.UUID, channel_id: uuid.UUID, limit: int = 50
) -> list[DeliveryOut]:
    channel = await get(session, team_id, channel_id)
    rows = await session.scalars(
        select(Delivery)
        .where(Delivery.channel_id == channel.id)
        .order_by(Delivery.created_at.desc())
        .limit(limit)
    )
    return [delivery_out(d, channel.name) for d in rows]


async def deliveries_of_alert(session: AsyncSession, alert_id: uuid.UUID) -> list[DeliveryOut]:
    """Every delivery that carried news of this alert, with what news it carried."""
    rows = (
        await session.execute(
            select(Delivery, Channel.name, func.array_agg(Notification.kind))
            .join(Notification, Notification.delivery_id == Delivery.id)
            .join(Channel, Channel.id == Delivery.channel_id)
            .where(Notification.alert_id == alert_id)
            .group_by(Delivery.id, Channel.name)
            .order_by(Delivery.created_at)
        )
    ).all()
    return [delivery_out(d, name, kinds) for d, name, kinds in rows]


def delivery_out(
    delivery: Delivery, channel_name: str, kinds: Sequence[NotificationKind] = ()
) -> DeliveryOut:
    return DeliveryOut(
        id=delivery.id,
        channel_id=delivery.channel_id,
        channel_name=channel_name,
        test=delivery.test,
        title=delivery.title,
        status=delivery.status,
        attempts=delivery.attempts,
        log=list(delivery.log or []),
        last_error=delivery.last_error,
        created_at=delivery.created_at,
        sent_at=delivery.sent_at,
        kinds=list(kinds),
    )


async def _checked(
    session: AsyncSession, team_id: uuid.UUID, kind: ChannelKind, config: dict, secrets: dict
) -> tuple[dict, dict]:
    """Parse and vet the settings; answer them as stored (defaults filled in)."""
    parsed_config, parsed_secrets = parse_settings(kind, config, secrets)
    allow_private = await allows_private_targets(session, team_id)
    await TRANSPORTS[kind].vet(parsed_config, parsed_secrets, allow_private=allow_private)
    return msgspec.to_builtins(parsed_config), msgspec.to_builtins(parsed_secrets)
