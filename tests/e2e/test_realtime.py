"""Socket.IO against a real api process: auth, team isolation, rooms, resume, presence."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import pytest
import socketio
from watchdeck.domain.incidents.models import Incident, IncidentSource
from watchdeck.platform.clock import utcnow
from watchdeck.platform.vocabulary import Severity

from tests.support.accounts import add_member, api_key, sign_up
from tests.support.services import allow_private_targets, create_service
from tests.support.sockets import Listener
from tests.support.waiting import eventually


@pytest.fixture
async def listeners(live_server) -> AsyncIterator:
    opened: list[Listener] = []

    async def open_for(token: str) -> Listener:
        listener = await Listener().connect(live_server, token)
        opened.append(listener)
        return listener

    yield open_for
    for listener in opened:
        await listener.sio.disconnect()


async def _push_monitor(client, admin) -> tuple[dict, str]:
    created = (
        await client.post(
            "/api/v1/services", json={"name": "cron", "kind": "push"}, headers=admin.headers
        )
    ).json()
    return created["service"], created["push_url"].split("/api/v1/push/")[1]


async def test_connecting_needs_a_valid_token(client, live_server, clean):
    admin = await sign_up(client)
    agent = await api_key(client, admin, "agent")

    for auth in ({}, {"token": "not-a-token"}, {"token": agent}):
        sio = socketio.AsyncClient(reconnection=False)
        with pytest.raises(socketio.exceptions.ConnectionError):
            await sio.connect(live_server, auth=auth, transports=["websocket"], wait_timeout=10)


async def test_events_reach_the_team_and_nobody_else(client, live_server, listeners, clean):
    team_a = await sign_up(client)
    team_b = await sign_up(client)
    mine = await listeners(team_a.access_token)
    theirs = await listeners(team_b.access_token)
    service, token = await _push_monitor(client, team_a)

    await client.post(f"/api/v1/push/{token}")

    async def arrived():
        return mine.got("service.status") and mine.got("checks")

    await eventually(arrived, "the status change and the coalesced checks")
    [change] = mine.got("service.status")
    assert change["data"]["service_id"] == service["id"] and change["data"]["to"] == "up"
    assert change["seq"] > 0
    assert theirs.events == []


async def test_a_worker_check_reaches_the_browser(
    client, live_server, listeners, start_worker, clean
):
    from tests.support.targets import http_target

    start_worker()
    admin = await sign_up(client)
    await allow_private_targets(client, admin)
    browser = await listeners(admin.access_token)
    with http_target() as target:
        service = await create_service(client, admin, url=target.url("/"), interval_s=10)

        async def checked():
            return [
                item
                for message in browser.got("checks")
                for item in message["data"]
                if item["service_id"] == service["id"]
            ]

        [item] = (await eventually(checked, "a check result from the worker", timeout=20))[:1]
    assert item["ok"] is True


async def test_rooms_of_another_team_are_refused(client, live_server, listeners, clean):
    team_a = await sign_up(client)
    team_b = await sign_up(client)
    service_a, _ = await _push_monitor(client, team_a)
    intruder = await listeners(team_b.access_token)
    owner = await listeners(team_a.access_token)

    refused = await intruder.call("subscribe", {"room": f"service:{service_a['id']}"})
    made_up = await intruder.call("subscribe", {"room": f"service:{uuid.uuid4()}"})
    allowed = await owner.call("subscribe", {"room": f"service:{service_a['id']}"})

    assert "error" in refused and "error" in made_up
    assert allowed == {"ok": True}


async def test_a_reconnecting_client_learns_what_changed(client, live_server, listeners, clean):
    admin = await sign_up(client)
    service, token = await _push_monitor(client, admin)
    first = await listeners(admin.access_token)
    start = (await first.call("resume", {"since": 0}))["seq"]

    await client.post(f"/api/v1/push/{token}")
    await eventually(lambda: _has(first, "service.status"), "the status change")
    later = await listeners(admin.access_token)
    caught_up = await later.call("resume", {"since": start})

    assert f"service.status:{service['id']}" in caught_up["changed"]
    assert (await later.call("resume", {"since": caught_up["seq"]}))["changed"] == []
    assert "error" in await later.call("resume", {"since": "yesterday"})


async def _has(listener: Listener, kind: str) -> bool:
    return bool(listener.got(kind))


async def _incident(db, team_id) -> str:
    async with db() as session:
        incident = Incident(
            team_id=team_id,
            title="Checkout is slow",
            severity=Severity.high,
            source=IncidentSource.manual,
            opened_at=utcnow(),
        )
        session.add(incident)
        await session.commit()
        return str(incident.id)


async def test_presence_and_typing_on_an_incident(client, live_server, listeners, db, clean):
    admin = await sign_up(client)
    viewer = await add_member(client, admin, "viewer")
    incident_id = await _incident(db, admin.team_id)
    ada = await listeners(admin.access_token)
    vic = await listeners(viewer.access_token)

    await ada.call("incident.view", {"incident_id": incident_id})
    seen = await vic.call("incident.view", {"incident_id": incident_id})

    assert {p["name"] for p in seen["viewers"]} == {"Ada Admin", "Viewer Person"}
    assert "error" in await vic.call(
        "incident.typing", {"incident_id": incident_id, "typing": True}
    )
    assert await ada.call("incident.typing", {"incident_id": incident_id, "typing": True}) == {
        "ok": True
    }
    await eventually(lambda: _has(vic, "typing"), "the typing indicator")
    assert vic.got("typing")[0]["data"]["name"] == "Ada Admin"

    await vic.sio.disconnect()

    async def only_ada_left():
        latest = ada.got("presence")
        return latest and [p["name"] for p in latest[-1]["data"]["viewers"]] == ["Ada Admin"]

    await eventually(only_ada_left, "the viewer's presence to disappear")


async def test_a_viewer_cannot_join_an_incident_of_another_team(
    client, live_server, listeners, db, clean
):
    admin = await sign_up(client)
    stranger = await sign_up(client)
    incident_id = await _incident(db, admin.team_id)
    outsider = await listeners(stranger.access_token)

    answer = await outsider.call("incident.view", {"incident_id": incident_id})

    assert "error" in answer
    await asyncio.sleep(0)  # let any stray presence message arrive before checking
    assert outsider.got("presence") == []


SOCKET_EXPECTED = {
    "subscribe": "viewer",
    "unsubscribe": "viewer",
    "resume": "viewer",
    "incident.view": "viewer",
    "incident.leave": "viewer",
    "incident.typing": "developer",
}


def test_every_socket_event_has_an_entry(app):
    from watchdeck.realtime.catalogue import CLIENT_EVENTS

    registered = set(app.state.sio.namespace_handlers["/"].handlers)

    assert registered == set(SOCKET_EXPECTED) == set(CLIENT_EVENTS)
    assert {event: access.name for event, access in CLIENT_EVENTS.items()} == SOCKET_EXPECTED


async def test_each_role_gets_what_the_socket_table_says(client, live_server, listeners, db, clean):
    admin = await sign_up(client)
    developer = await add_member(client, admin, "developer")
    viewer = await add_member(client, admin, "viewer")
    outsider = await sign_up(client)
    incident_id = await _incident(db, admin.team_id)
    payloads = {
        "subscribe": {"room": f"incident:{incident_id}"},
        "unsubscribe": {"room": f"incident:{incident_id}"},
        "resume": {"since": 0},
        "incident.view": {"incident_id": incident_id},
        "incident.leave": {"incident_id": incident_id},
        "incident.typing": {"incident_id": incident_id, "typing": True},
    }
    rank = {"viewer": 1, "developer": 2, "admin": 3}

    for name, account in {"viewer": viewer, "developer": developer, "admin": admin}.items():
        listener = await listeners(account.access_token)
        await listener.call("incident.view", {"incident_id": incident_id})
        for event, needed in SOCKET_EXPECTED.items():
            answer = await listener.call(event, payloads[event])
            refused = "role" in str(answer.get("error", ""))
            assert refused == (rank[name] < rank[needed]), (name, event, answer)
    stranger = await listeners(outsider.access_token)
    for event in ("subscribe", "incident.view"):
        assert "error" in await stranger.call(event, payloads[event])


async def test_comments_and_status_changes_arrive_live_in_another_browser(
    client, live_server, listeners, clean
):
    admin = await sign_up(client)
    developer = await add_member(client, admin, "developer")
    watcher = await listeners(admin.access_token)
    opened = await client.post(
        "/api/v1/incidents",
        json={"title": "Checkout errors", "severity": "high"},
        headers=developer.headers,
    )
    incident_id = opened.json()["id"]

    await client.patch(
        f"/api/v1/incidents/{incident_id}",
        json={"status": "investigating"},
        headers=developer.headers,
    )
    await client.post(
        f"/api/v1/incidents/{incident_id}/comments",
        json={"body": "Rolling back **v42**"},
        headers=developer.headers,
    )

    async def live():
        statuses = [m["data"].get("status") for m in watcher.got("incident.updated")]
        comments = [m["data"].get("body") for m in watcher.got("incident.comment")]
        return "investigating" in statuses and "Rolling back **v42**" in comments

    await eventually(live, "the status change and the comment in the other browser")
    assert [m["data"]["incident_id"] for m in watcher.got("incident.opened")] == [incident_id]
