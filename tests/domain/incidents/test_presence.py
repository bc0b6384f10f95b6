"""Who is viewing an incident: once per person, gone when they leave or stop refreshing."""

from __future__ import annotations

import time
import uuid

from redis.asyncio import Redis
from redis.asyncio.client import PubSub
from watchdeck.domain.incidents import presence
from watchdeck.platform import keys
from watchdeck.platform.events import Event, decode


async def _subscribed(redis: Redis) -> PubSub:
    pubsub = redis.pubsub()
    await pubsub.subscribe(keys.EVENTS_CHANNEL)
    # The confirmation means Redis has the subscription: nothing published after it is missed.
    confirmation = await pubsub.get_message(timeout=5)
    assert confirmation is not None and confirmation["type"] == "subscribe"
    return pubsub


async def _next_event(pubsub: PubSub, within_s: float = 5.0) -> Event:
    deadline = time.monotonic() + within_s
    while (left := deadline - time.monotonic()) > 0:
        message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=left)
        if message is not None:
            return decode(message["data"])
    raise AssertionError(f"no event within {within_s} s")


async def test_one_person_in_two_tabs_is_listed_once(app, client):
    redis, team_id, incident_id = app.state.redis, uuid.uuid4(), str(uuid.uuid4())
    ada, bob = str(uuid.uuid4()), str(uuid.uuid4())

    await presence.arrive(redis, team_id, incident_id, "tab-1", ada, "Ada")
    await presence.arrive(redis, team_id, incident_id, "tab-2", ada, "Ada")
    listed = await presence.arrive(redis, team_id, incident_id, "tab-3", bob, "Bob")

    assert listed == [{"user_id": ada, "name": "Ada"}, {"user_id": bob, "name": "Bob"}]


async def test_those_who_stay_hear_that_a_viewer_left(app, client):
    redis, team_id, incident_id = app.state.redis, uuid.uuid4(), str(uuid.uuid4())
    ada = str(uuid.uuid4())
    await presence.arrive(redis, team_id, incident_id, "tab-1", ada, "Ada")
    await presence.arrive(redis, team_id, incident_id, "tab-2", str(uuid.uuid4()), "Bob")
    pubsub = await _subscribed(redis)

    await presence.depart(redis, team_id, incident_id, "tab-2")

    event = await _next_event(pubsub)
    await pubsub.aclose()
    assert (event.kind, event.team_id) == ("presence", team_id)
    assert event.data == {"incident_id": incident_id, "viewers": [{"user_id": ada, "name": "Ada"}]}


async def test_a_viewer_who_stops_refreshing_drops_off(app, client):
    redis, team_id, incident_id = app.state.redis, uuid.uuid4(), str(uuid.uuid4())
    await presence.arrive(redis, team_id, incident_id, "tab-1", str(uuid.uuid4()), "Ada")

    # As if PRESENCE_TTL_S had passed since the view.
    await redis.zadd(keys.presence(incident_id), {"tab-1": time.time() - 1})

    assert await presence.viewers(redis, incident_id) == []


async def test_typing_tells_the_team_who_and_where(app, client):
    redis, team_id, incident_id = app.state.redis, uuid.uuid4(), str(uuid.uuid4())
    ada = str(uuid.uuid4())
    pubsub = await _subscribed(redis)

    await presence.typing(redis, team_id, incident_id, ada, "Ada", True)

    event = await _next_event(pubsub)
    await pubsub.aclose()
    assert (event.kind, event.team_id) == ("typing", team_id)
    assert event.data == {"incident_id": incident_id, "user_id": ada, "name": "Ada", "typing": True}
