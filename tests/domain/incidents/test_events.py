"""Changes reach the real-time layer: events on the Redis channel, after the commit."""

from __future__ import annotations

import time
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from redis.asyncio.client import PubSub
from watchdeck.domain.incidents import lifecycle
from watchdeck.domain.incidents.models import IncidentSource
from watchdeck.platform import keys
from watchdeck.platform.events import Event, decode, publish_many

from tests.domain.incidents.factories import comment, open_incident, url
from tests.support.services import create_service


class Listener:
    def __init__(self, pubsub: PubSub) -> None:
        self.pubsub = pubsub

    async def next(self, kind: str, timeout: float = 5.0) -> Event:  # noqa: ASYNC109
        """The next event of `kind`, waiting at most `timeout` seconds for it."""
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            message = await self.pubsub.get_message(ignore_subscribe_messages=True, timeout=left)
            if message is not None:
                event = decode(message["data"])
                if event.kind == kind:
                    return event
        raise AssertionError(f"no {kind} event within {timeout} s")


@pytest.fixture
async def events(app) -> AsyncIterator[Listener]:
    pubsub = app.state.redis.pubsub()
    await pubsub.subscribe(keys.EVENTS_CHANNEL)
    # The confirmation means Redis has the subscription: nothing published after it is missed.
    confirmation = await pubsub.get_message(timeout=5)
    assert confirmation is not None and confirmation["type"] == "subscribe"
    yield Listener(pubsub)
    await pubsub.aclose()


async def test_acknowledging_publishes_incident_updated(client, team, events):
    incident = await open_incident(client, team.admin)

    await client.patch(
        url(incident["id"]), json={"status": "investigating"}, headers=team.developer.headers
    )

    event = await events.next("incident.updated")
    assert event.team_id == team.admin.team_id
    assert event.data["id"] == event.data["incident_id"] == incident["id"]
    assert event.data["status"] == "investigating"
    assert event.data["acknowledged_at"] is not None
    [entry] = event.data["entries"]
    assert (entry["kind"], entry["actor"]) == ("status", team.developer.email)


async def test_opening_and_resolving_publish_the_incident(client, team, events):
    incident = await open_incident(client, team.developer, title="Queue backlog")
    opened = await events.next("incident.opened")

    await client.post(url(incident["id"], "resolve"), json={}, headers=team.admin.headers)
    resolved = await events.next("incident.updated")

    assert (opened.data["id"], opened.data["title"]) == (incident["id"], "Queue backlog")
    assert resolved.data["status"] == "resolved"
    assert resolved.data["entries"][0]["kind"] == "resolved"


async def test_comments_publish_when_written_edited_and_deleted(client, team, events):
    incident = await open_incident(client, team.admin)

    written = await comment(client, team.developer, incident["id"], "On it")
    on_write = await events.next("incident.comment")
    path = url(incident["id"], "comments", written["id"])
    await client.patch(path, json={"body": "On it (EU only)"}, headers=team.developer.headers)
    on_edit = await events.next("incident.comment")
    await client.delete(path, headers=team.admin.headers)
    on_delete = await events.next("incident.comment_deleted")

    assert on_write.data == written
    assert on_edit.data["body"] == "On it (EU only)"
    assert on_edit.data["edited_at"] is not None
    assert on_delete.data == {"incident_id": incident["id"], "comment_id": written["id"]}


async def test_a_refused_change_publishes_nothing(client, team, events):
    incident = await open_incident(client, team.admin)
    await events.next("incident.opened")

    refused = await client.patch(
        url(incident["id"]),
        json={"severity": "low", "assignee_id": str(team.admin.team_id)},  # not a person
        headers=team.developer.headers,
    )
    await client.patch(url(incident["id"]), json={"title": "Marker"}, headers=team.admin.headers)

    assert refused.status_code == 422
    following = await events.next("incident.updated")
    assert following.data["title"] == "Marker"
    assert following.data["severity"] == "high"
    assert [entry["kind"] for entry in following.data["entries"]] == ["title"]


async def test_incidents_opened_and_resolved_automatically_carry_the_incident_too(
    client, app, team, events
):
    service = await create_service(client, team.admin, kind="push", url=None)
    service_id = uuid.UUID(service["id"])
    alert = lifecycle.Note("alert", {"state": "firing", "rule": "Down", "summary": "no ping"})
    async with app.state.session_factory() as session:
        _, opened = await lifecycle.open_for(
            session, team.admin.team_id, IncidentSource.rule, "Backup: Down", "no ping",
            datetime.now(UTC), service_id=service_id, note=alert,
        )  # fmt: skip
        await session.commit()
    await publish_many(app.state.redis, [opened])
    on_open = await events.next("incident.opened")
    async with app.state.session_factory() as session:
        resolved = await lifecycle.resolve_by_id(
            session, uuid.UUID(on_open.data["id"]), datetime.now(UTC), "alert resolved"
        )
        await session.commit()
    assert resolved is not None
    await publish_many(app.state.redis, [resolved])
    on_resolve = await events.next("incident.resolved")

    page = await client.get(url(on_open.data["id"]), headers=team.viewer.headers)
    timeline = page.json()["timeline"]
    assert on_open.data["incident_id"] == on_open.data["id"]
    assert (on_open.data["service_id"], on_open.data["status"]) == (service["id"], "open")
    assert on_open.data["entries"] == timeline[:2]
    assert [entry["kind"] for entry in timeline[:2]] == ["opened", "alert"]
    assert on_resolve.data["status"] == "resolved"
    assert on_resolve.data["resolved_at"] is not None
    assert on_resolve.data["entries"] == timeline[2:]
    assert [entry["kind"] for entry in timeline[2:]] == ["resolved"]
