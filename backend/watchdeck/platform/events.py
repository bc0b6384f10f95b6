"""The internal publish function: every change other processes and browsers should see.

Any process (api, worker) publishes; each api process relays what it hears
to its own Socket.IO clients (realtime/relay.py). Publishing is one atomic
step in Redis: the team's sequence number goes up by one, a short record of
what changed is kept for clients that reconnect, and the event goes out on
one pub/sub channel as `<seq>|<json>`.
"""

from __future__ import annotations

import uuid
from typing import Any

import msgspec
import structlog
from redis.asyncio import Redis
from redis.commands.core import AsyncScript as Script

from watchdeck.platform import keys

CHANGE_LOG_LENGTH = 1000  # per team: how far back a reconnecting client can catch up

_PUBLISH = """
local seq = redis.call('INCR', KEYS[1])
redis.call('LPUSH', KEYS[2], seq .. '|' .. ARGV[2])
redis.call('LTRIM', KEYS[2], 0, tonumber(ARGV[3]) - 1)
redis.call('PUBLISH', ARGV[1], seq .. '|' .. ARGV[4])
return seq
"""

_encoder = msgspec.json.Encoder()
log = structlog.get_logger(__name__)

# Changes someone acts on: they are logged as they go out, one line each, so the log tells
# what happened without a line for every check or batch behind them.
NOTABLE = frozenset(
    {"service.status", "host.status", "incident.opened", "incident.resolved", "alert.firing",
     "alert.resolved"}
)  # fmt: skip
# Registered once; each call runs it on the caller's own client (the pipeline).
_PUBLISH_SCRIPT = Script(None, _PUBLISH.encode())  # type: ignore[arg-type]


class Event(msgspec.Struct):
    team_id: uuid.UUID
    kind: str  # e.g. "service.status", "checks", "incident.opened"
    data: Any
    seq: int = 0  # set when published


def subject(event: Event) -> str:
    """What the event is about, for catch-up after a reconnect: `kind` or `kind:id`."""
    data = event.data if isinstance(event.data, dict) else {}
    for key in ("incident_id", "service_id", "host_id"):
        if key in data:
            return f"{event.kind}:{data[key]}"
    return event.kind


async def publish(redis: Redis, team_id: uuid.UUID, kind: str, data: Any) -> None:
    await publish_many(redis, [Event(team_id=team_id, kind=kind, data=data)])


async def publish_many(redis: Redis, events: list[Event]) -> None:
    if not events:
        return
    async with redis.pipeline(transaction=False) as pipe:
        for event in events:
            await _PUBLISH_SCRIPT(
                keys=[keys.event_seq(event.team_id), keys.event_log(event.team_id)],
                args=[
                    keys.EVENTS_CHANNEL,
                    subject(event),
                    CHANGE_LOG_LENGTH,
                    _encoder.encode(event),
                ],
                client=pipe,
            )
        await pipe.execute()
    for event in events:
        if event.kind in NOTABLE:
            log.info(event.kind, team_id=str(event.team_id), **_summary(event.data))


def _summary(data: Any) -> dict[str, Any]:
    if not isinstance(data, dict):
        return {}
    return {key: value for key, value in data.items() if isinstance(value, str | int | float)}


def decode(raw: bytes) -> Event:
    seq, _, body = raw.partition(b"|")
    event = msgspec.json.decode(body, type=Event)
    event.seq = int(seq)
    return event


async def changes_since(
    redis: Redis, team_id: uuid.UUID, since: int
) -> tuple[int, list[str] | None]:
    """The team's current sequence and the subjects changed after `since`.

    None instead of a list means the log does not reach back that far: refetch everything.
    """
    current = int(await redis.get(keys.event_seq(team_id)) or 0)
    if since > current:
        return current, None  # the sequence started over (Redis lost its data)
    if since == current:
        return current, []
    records = await redis.lrange(keys.event_log(team_id), 0, CHANGE_LOG_LENGTH - 1)
    changed: list[str] = []
    oldest = current + 1
    for record in records:
        seq, _, what = record.decode().partition("|")
        oldest = int(seq)
        if oldest <= since:
            break
        if what not in changed:
            changed.append(what)
    if oldest > since + 1:
        return current, None
    return current, changed
