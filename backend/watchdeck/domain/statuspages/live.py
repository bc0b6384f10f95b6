"""Telling readers of an open status page, as it happens, that the page changed.

Each api process keeps its own readers' event streams (server-sent events) and wakes
them when it hears that a page changed: published on one Redis channel by whichever
process changed it, or, for a service or host changing state, from the event bus the
dashboard is fed by (realtime/relay.py). Readers then fetch the page again, which is
built once for all of them.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections import defaultdict
from collections.abc import AsyncIterator, Iterable

from litestar.response.sse import ServerSentEventMessage
from redis.asyncio import Redis

from watchdeck.domain.statuspages import cache
from watchdeck.platform import keys
from watchdeck.platform.errors import Unavailable

# Each open stream costs a connection and a little memory; past this a process says
# "busy" and the page still works, just without live updates.
MAX_STREAMS = 5000
HEARTBEAT_S = 25.0
RETRY_MS = 2000  # how soon a browser comes back after a stream ends


class _Streams:
    def __init__(self) -> None:
        self.by_slug: dict[str, set[asyncio.Event]] = defaultdict(set)
        self.team_of: dict[str, uuid.UUID] = {}

    @property
    def count(self) -> int:
        return sum(len(waiting) for waiting in self.by_slug.values())

    def wake(self, slugs: Iterable[str]) -> None:
        for slug in slugs:
            for event in self.by_slug.get(slug, ()):
                event.set()


_streams = _Streams()


async def changed(redis: Redis, slugs: Iterable[str]) -> None:
    """Tell every api process that these pages changed."""
    names = sorted(set(slugs))
    if names:
        await redis.publish(keys.STATUS_PAGES_CHANNEL, "\n".join(names))


def heard(message: bytes) -> None:
    """A message from the channel `changed` publishes on: the copies this process holds
    of those pages go, and their readers are told."""
    slugs = message.decode().split("\n")
    cache.drop_held(slugs)
    _streams.wake(slugs)


async def team_changed(redis: Redis, team_id: uuid.UUID) -> None:
    """A service or host of the team changed state: its open pages here are rebuilt."""
    slugs = [slug for slug, team in _streams.team_of.items() if team == team_id]
    if slugs:
        await cache.forget(redis, slugs)
        _streams.wake(slugs)


def check_room() -> None:
    if _streams.count >= MAX_STREAMS:
        raise Unavailable("too many live readers on this server; the page still works")


async def stream(
    slug: str, team_id: uuid.UUID, lasts_s: float
) -> AsyncIterator[ServerSentEventMessage]:
    """`ready`, then `changed` whenever the page changes, for `lasts_s`; the browser then
    opens a new stream by itself (and refetches the page, for what it may have missed)."""
    event = asyncio.Event()
    ends = time.monotonic() + lasts_s
    _streams.by_slug[slug].add(event)
    _streams.team_of[slug] = team_id
    try:
        yield ServerSentEventMessage(event="ready", data="", retry=RETRY_MS)
        while (left := ends - time.monotonic()) > 0:
            try:
                await asyncio.wait_for(event.wait(), min(HEARTBEAT_S, left))
            except TimeoutError:
                yield ServerSentEventMessage(comment="still here")
                continue
            event.clear()
            yield ServerSentEventMessage(event="changed", data="")
    finally:
        waiting = _streams.by_slug[slug]
        waiting.discard(event)
        if not waiting:
            del _streams.by_slug[slug]
            _streams.team_of.pop(slug, None)
