"""The version of what a team's agents run. It moves on with every change to a service run
by agents and to any host's labels; agents read it from their metrics answers and fetch
their checks again only when it moved."""

from __future__ import annotations

import time
import uuid

from redis.asyncio import Redis

from watchdeck.platform import keys


async def version(redis: Redis, team_id: uuid.UUID) -> int:
    key = keys.assignments_version(team_id)
    current = await redis.get(key)
    if current is None:
        await _start(redis, key)
        current = await redis.get(key)
    return int(current)


async def moved(redis: Redis, team_id: uuid.UUID) -> None:
    key = keys.assignments_version(team_id)
    await _start(redis, key)
    await redis.incr(key)


async def _start(redis: Redis, key: str) -> None:
    # Starting from the clock, not from 1: after Redis lost the key, a version an agent
    # still holds is not handed out again for different checks.
    await redis.set(key, int(time.time() * 1000), nx=True)
