"""The internal publish function: every change other processes and browsers should see.

Events go to one Redis pub/sub channel as JSON. The real-time layer subscribes
and routes them to Socket.IO rooms; any process (api, worker) may publish.
"""

from __future__ import annotations

import uuid
from typing import Any

import msgspec
from redis.asyncio import Redis

CHANNEL = "watchdeck:events"

_encoder = msgspec.json.Encoder()


class Event(msgspec.Struct):
    team_id: uuid.UUID
    kind: str  # e.g. "service.status", "checks", "incident.opened"
    data: Any


async def publish(redis: Redis, team_id: uuid.UUID, kind: str, data: Any) -> None:
    await redis.publish(CHANNEL, _encoder.encode(Event(team_id=team_id, kind=kind, data=data)))


async def publish_many(redis: Redis, events: list[Event]) -> None:
    if not events:
        return
    async with redis.pipeline(transaction=False) as pipe:
        for event in events:
            pipe.publish(CHANNEL, _encoder.encode(event))
        await pipe.execute()


def decode(raw: bytes) -> Event:
    return msgspec.json.decode(raw, type=Event)
