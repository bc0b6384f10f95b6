"""The internal publish function: every change other processes and browsers should see.

Any process (api, worker) publishes; each api process relays what it hears
to its own Socket.IO clients (realtime/relay.py). Publishing is one atomic
step in Redis: the team's sequence number goes up by one, a short record of
what changed is kept for clients that reconnect, and the event goes out on
one pub/sub channel as `<seq>|<json>`.
"""

from __future__ import annotations

import uuid
from enum import StrEnum
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


class EventKind(StrEnum):
    """Every event the server sends to clients (realtime/catalogue.py describes each one)."""

    service_created = "service.created"
    service_updated = "service.updated"
    service_deleted = "service.deleted"
    service_status = "service.status"
    checks = "checks"
    host_status = "host.status"
    host_metrics = "host.metrics"
    logs = "logs"
    incident_opened = "incident.opened"
    incident_updated = "incident.updated"
    incident_resolved = "incident.resolved"
    incident_comment = "incident.comment"
    incident_comment_deleted = "incident.comment_deleted"
    alert_firing = "alert.firing"
    alert_resolved = "alert.resolved"
    alert_rule_created = "alert_rule.created"
    alert_rule_updated = "alert_rule.updated"
    alert_rule_deleted = "alert_rule.deleted"
    presence = "presence"
    typing = "typing"


# Times in most event data are datetime.isoformat strings ("+00:00" where the API writes
# "Z"), as clients have always been sent them; incident events carry the API's own form.
IsoTime = str

# Changes someone acts on: they are logged as they go out, one line each, so the log tells
# what happened without a line for every check or batch behind them.
NOTABLE = frozenset(
    {EventKind.service_status, EventKind.host_status, EventKind.incident_opened,
     EventKind.incident_resolved, EventKind.alert_firing, EventKind.alert_resolved}
)  # fmt: skip
# Registered once; each call runs it on the caller's own client (the pipeline).
_PUBLISH_SCRIPT = Script(None, _PUBLISH.encode())  # type: ignore[arg-type]


class Event(msgspec.Struct):
    team_id: uuid.UUID
    kind: EventKind
    data: Any  # a dict, a list or a msgspec Struct: they go out as the same JSON
    seq: int = 0  # set when published


def subject(event: Event) -> str:
    """What the event is about, for catch-up after a reconnect: `kind` or `kind:id`."""
    data = _fields(event.data)
    for key in ("incident_id", "service_id", "host_id"):
        if key in data:
            return f"{event.kind}:{data[key]}"
    return event.kind


async def publish(redis: Redis, team_id: uuid.UUID, kind: EventKind, data: Any) -> None:
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
    return {
        key: value for key, value in _fields(data).items() if isinstance(value, str | int | float)
    }


def _fields(data: Any) -> dict[str, Any]:
    """The data's top-level fields as they go out (ids as strings), or none for a list."""
    if isinstance(data, msgspec.Struct):
        return msgspec.to_builtins(data)
    return data if isinstance(data, dict) else {}


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
