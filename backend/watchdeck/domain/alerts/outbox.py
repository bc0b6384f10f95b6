"""Grouping a channel's waiting notifications into one delivery.

An alert change writes a `Notification` row per channel in the transaction
that records the change. After the commit, the first change for a channel
books a flush `alert_group_s` later (one Redis SET NX per channel); the flush
gathers everything that arrived meanwhile into one delivery, so fifty
services failing together make one message per channel.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from arq import ArqRedis
from redis.asyncio import Redis
from sqlalchemy import delete, select, update

from watchdeck.domain.alerts.models import Channel, Delivery, Notification
from watchdeck.platform import keys
from watchdeck.platform.clock import utcnow


def _jobs(redis: Redis) -> ArqRedis:
    return redis if isinstance(redis, ArqRedis) else ArqRedis(redis.connection_pool)


async def request_flush(redis: Redis, channel_ids: Iterable[uuid.UUID], group_s: float) -> None:
    """Book one flush per channel `group_s` from now, unless one is booked already."""
    for channel_id in channel_ids:
        # The booking outlives the flush it books, in case that job is lost with its worker;
        # the sweep also flushes anything left waiting.
        booked = await redis.set(
            keys.alert_flush(channel_id), "1", nx=True, px=int((group_s + 60) * 1000)
        )
        if booked:
            await _jobs(redis).enqueue_job(
                "flush_channel", str(channel_id), _defer_by=timedelta(seconds=group_s)
            )


async def flush_channel(ctx: dict[str, Any], channel_id: str) -> str | None:
    """Turn the channel's waiting notifications into one delivery and queue its sending."""
    redis: Redis = ctx["redis"]
    # Unbook first: a notification committed after this point books the next flush.
    await redis.delete(keys.alert_flush(channel_id))
    async with ctx["session_factory"]() as session:
        waiting = list(
            await session.scalars(
                select(Notification)
                .where(
                    Notification.channel_id == uuid.UUID(channel_id),
                    Notification.delivery_id.is_(None),
                )
                .order_by(Notification.id)
                .with_for_update(skip_locked=True)
            )
        )
        if not waiting:
            return None
        channel = await session.get(Channel, uuid.UUID(channel_id))
        if channel is None or not channel.enabled:
            await session.execute(
                delete(Notification).where(Notification.id.in_([n.id for n in waiting]))
            )
            await session.commit()
            return None
        delivery = Delivery(id=uuid.uuid4(), team_id=channel.team_id, channel_id=channel.id)
        session.add(delivery)
        await session.flush()
        await session.execute(
            update(Notification)
            .where(Notification.id.in_([n.id for n in waiting]))
            .values(delivery_id=delivery.id)
        )
        await session.commit()
    await _jobs(redis).enqueue_job("deliver", str(delivery.id), _job_id=f"deliver:{delivery.id}:1")
    return str(delivery.id)


async def flush_stragglers(session, redis: Redis, group_s: float) -> None:
    """Book flushes for notifications left waiting (their flush died with a worker)."""
    stale = utcnow() - timedelta(seconds=group_s + 30)
    channel_ids = await session.scalars(
        select(Notification.channel_id)
        .where(Notification.delivery_id.is_(None), Notification.created_at < stale)
        .distinct()
    )
    await request_flush(redis, list(channel_ids), 0)
