"""Who is looking at an incident right now, and who is typing on it.

A viewer is one live connection: the same person in two tabs is two viewers but
shows once in `viewers`. Each change is published to the team (`presence`,
`typing`), and the real-time layer sends it to the incident's room.

Their data: Presence and Typing (incidents/events.py).
"""

from __future__ import annotations

import time
import uuid

import msgspec
from redis.asyncio import Redis

from watchdeck.domain.incidents.events import Presence, Typing, Viewer
from watchdeck.platform import keys
from watchdeck.platform.events import EventKind, publish

PRESENCE_TTL_S = 90  # a viewer who neither leaves nor refreshes within this is dropped


async def viewers(redis: Redis, incident_id: str) -> list[dict[str, str]]:
    """The people viewing `incident_id`, once each, sorted by name; expired viewers are dropped."""
    key = keys.presence(incident_id)
    await redis.zremrangebyscore(key, 0, time.time())
    connections = [c.decode() for c in await redis.zrange(key, 0, -1)]
    people: dict[str, dict[str, str]] = {}
    for raw in await redis.hmget(keys.PRESENCE_WHO, connections) if connections else []:
        if raw:
            person = msgspec.json.decode(raw)
            people[person["user_id"]] = person
    return sorted(people.values(), key=lambda p: p["name"])


async def arrive(
    redis: Redis, team_id: uuid.UUID, incident_id: str, connection: str, user_id: str, name: str
) -> list[dict[str, str]]:
    """Count `connection` (the person `user_id`, named `name`) as viewing `incident_id`.

    Announces the viewers to the team and returns them.
    """
    person = {"user_id": user_id, "name": name}
    await redis.hset(keys.PRESENCE_WHO, connection, msgspec.json.encode(person))
    await redis.zadd(keys.presence(incident_id), {connection: time.time() + PRESENCE_TTL_S})
    await _announce(redis, team_id, incident_id)
    return await viewers(redis, incident_id)


async def depart(redis: Redis, team_id: uuid.UUID, incident_id: str, connection: str) -> None:
    """Stop counting `connection` as viewing `incident_id`, and announce who remains."""
    await redis.zrem(keys.presence(incident_id), connection)
    await redis.hdel(keys.PRESENCE_WHO, connection)
    await _announce(redis, team_id, incident_id)


async def typing(
    redis: Redis, team_id: uuid.UUID, incident_id: str, user_id: str, name: str, is_typing: bool
) -> None:
    """Tell the incident's viewers that `name` started or stopped typing."""
    data = Typing(incident_id=incident_id, user_id=user_id, name=name, typing=is_typing)
    await publish(redis, team_id, EventKind.typing, data)


async def _announce(redis: Redis, team_id: uuid.UUID, incident_id: str) -> None:
    people = msgspec.convert(await viewers(redis, incident_id), list[Viewer])
    await publish(redis, team_id, EventKind.presence, Presence(incident_id, people))
