"""Each api process relays published events to its own Socket.IO clients.

High-rate kinds (check results, host metrics) are merged per team and sent at
most once a second, newest value per service or host; everything else goes
out as it arrives. Announcements that some access ended (accounts/revocation.py)
drop the connections they name.
"""

from __future__ import annotations

import asyncio
import uuid
from collections import defaultdict
from typing import Any

import msgspec
import socketio
import structlog
from redis.asyncio import Redis
from redis.exceptions import RedisError

from watchdeck.domain.accounts import key_cache, revocation
from watchdeck.domain.accounts.revocation import Revocation
from watchdeck.domain.statuspages import live
from watchdeck.platform import keys
from watchdeck.platform.events import Event, EventKind, decode
from watchdeck.realtime.catalogue import COALESCED, ROOM_OF
from watchdeck.realtime.rooms import revoked_room, scoped, team_room

log = structlog.get_logger(__name__)

FLUSH_EVERY_S = 1.0
_ACCESS_CHANNEL = keys.ACCESS_CHANNEL.encode()
_STATUS_PAGES_CHANNEL = keys.STATUS_PAGES_CHANNEL.encode()
# What a status page shows changes with these; its open readers are told.
_SHOWN_ON_PAGES = frozenset({EventKind.service_status, EventKind.host_status})


class Relay:
    def __init__(self, sio: socketio.AsyncServer, redis: Redis) -> None:
        self.sio = sio
        self.redis = redis
        self._pending: dict[tuple[uuid.UUID, str], dict[str, Any]] = defaultdict(dict)
        self._pending_seq: dict[tuple[uuid.UUID, str], int] = {}

    async def run(self) -> None:
        """Listen until cancelled; reconnects to Redis by itself."""
        flusher = asyncio.create_task(self._flush_forever())
        lost = False
        try:
            while True:
                try:
                    await self._listen(after_loss=lost)
                except (RedisError, OSError) as exc:
                    if not lost:
                        log.warning("event relay lost Redis; reconnecting", error=repr(exc))
                    lost = True
                    await asyncio.sleep(1)
        finally:
            flusher.cancel()

    async def _listen(self, after_loss: bool) -> None:
        pubsub = self.redis.pubsub(ignore_subscribe_messages=True)
        # One subscription for both keeps them in order: no event published after an
        # announcement reaches the connections it drops.
        await pubsub.subscribe(keys.EVENTS_CHANNEL, keys.ACCESS_CHANNEL, keys.STATUS_PAGES_CHANNEL)
        if after_loss:
            log.info("event relay listening again")
            # Also drops connections and cached keys whose revocation was announced while
            # this relay was deaf.
            key_cache.forget_all()
            await self.make_clients_resume()
        try:
            async for message in pubsub.listen():
                if message["channel"] == _STATUS_PAGES_CHANNEL:
                    live.heard(message["data"])
                elif message["channel"] == _ACCESS_CHANNEL:
                    revoked = revocation.decode(message["data"])
                    revocation.forget(revoked)
                    await self.drop(revoked)
                else:
                    try:
                        event = decode(message["data"])
                    except msgspec.ValidationError as exc:
                        # During a rolling upgrade a newer process can publish a kind this
                        # one does not know; its clients miss that event, not every later one.
                        log.warning("unreadable event not relayed", error=str(exc))
                        continue
                    await self.route(event)
        finally:
            await pubsub.aclose()

    async def make_clients_resume(self) -> None:
        """Drop every client's connection so each reconnects by itself and asks `resume`
        what it missed: events published while this relay was deaf never reached them.

        The transport is closed without a goodbye: clients take a Socket.IO or Engine.IO
        disconnect from the server as final and would not come back on their own.
        """
        sockets = list(self.sio.eio.sockets.values())
        for connection in sockets:
            await connection.close(wait=False, abort=True)
            await connection.queue.put(None)  # ends its writer, which closes the WebSocket
        log.info("live clients asked to reconnect and resume", clients=len(sockets))

    async def drop(self, revoked: Revocation) -> None:
        """Disconnect this process's clients whose access `revoked` ended.

        A Socket.IO disconnect, unlike `make_clients_resume`: clients take it as final, and
        the web app checks its sign-in before it connects again with a token checked anew.
        """
        room = revoked_room(revoked)
        sids = [sid for sid, _ in self.sio.manager.get_participants("/", room)]
        for sid in sids:
            await self.sio.disconnect(sid)
        if sids:
            log.info("live clients dropped: access ended", reason=revoked.reason, clients=len(sids))

    async def route(self, event: Event) -> None:
        if event.kind in _SHOWN_ON_PAGES:
            await live.team_changed(self.redis, event.team_id)
        if event.kind in COALESCED:
            key = COALESCED[event.kind]
            items = event.data if isinstance(event.data, list) else [event.data]
            slot = (event.team_id, event.kind)
            for item in items:
                self._pending[slot][str(item.get(key))] = item
            self._pending_seq[slot] = max(self._pending_seq.get(slot, 0), event.seq)
            return
        room_of = ROOM_OF.get(event.kind)
        room = scoped(room_of(event.data), event.team_id) if room_of else team_room(event.team_id)
        await self.sio.emit(event.kind, {"seq": event.seq, "data": event.data}, room=room)

    async def flush(self) -> None:
        pending, self._pending = self._pending, defaultdict(dict)
        for (team_id, kind), items in pending.items():
            seq = self._pending_seq.pop((team_id, kind), 0)
            await self.sio.emit(
                kind, {"seq": seq, "data": list(items.values())}, room=team_room(team_id)
            )

    async def _flush_forever(self) -> None:
        while True:
            await asyncio.sleep(FLUSH_EVERY_S)
            try:
                await self.flush()
            except Exception:  # one bad emit must not stop live updates for everyone
                log.exception("flushing coalesced events failed")
