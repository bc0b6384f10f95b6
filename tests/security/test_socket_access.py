"""Socket.IO: every client event × every kind of caller, and no event ever crosses teams.

The events come from the server's own handler table, so a handler added later
without a line in PAYLOADS fails here. Extends tests/e2e/test_realtime.py
(one room refusal, one isolation check) with API keys, every event against
another team's rows, and isolation across every kind of change.
"""

from __future__ import annotations

import pytest
import socketio
from watchdeck.domain.accounts.roles import Access
from watchdeck.realtime.catalogue import CLIENT_EVENTS

from tests.security.conftest import Teams
from tests.support.sockets import Listener
from tests.support.waiting import eventually

RANK = {Access.viewer: 1, Access.developer: 2, Access.admin: 3}


def payloads(ids: dict[str, str]) -> dict[str, dict]:
    """A payload per client event aimed at team A's rows."""
    incident = {"incident_id": ids["incident_id"]}
    return {
        "subscribe": {"room": f"incident:{ids['incident_id']}"},
        "unsubscribe": {"room": f"incident:{ids['incident_id']}"},
        "resume": {"since": 0},
        "incident.view": incident,
        "incident.leave": incident,
        "incident.typing": incident | {"typing": True},
    }


def client_events(app) -> set[str]:
    return set(app.state.sio.namespace_handlers["/"].handlers)


def test_every_client_event_has_a_payload_and_an_access_level(app):
    events = client_events(app)

    assert events == set(payloads({"incident_id": "x"})), "give PAYLOADS a line for new events"
    assert events == set(CLIENT_EVENTS)


def _callers(teams: Teams) -> dict[str, tuple[str, Access]]:
    """Callers in team A: name -> (token, role level)."""
    return {
        "viewer": (teams.viewer.access_token, Access.viewer),
        "developer": (teams.developer.access_token, Access.developer),
        "admin": (teams.admin.access_token, Access.admin),
        "viewer key": (teams.keys["automation:viewer"], Access.viewer),
        "developer key": (teams.keys["automation:developer"], Access.developer),
        "admin key": (teams.keys["automation:admin"], Access.admin),
    }


async def test_each_caller_gets_what_the_role_table_says(app, teams: Teams, sockets):
    events = payloads(teams.ids)

    for name, (token, level) in _callers(teams).items():
        listener = await sockets(token)
        await listener.call("incident.view", events["incident.view"])  # typing needs a view
        # Leaving last: typing needs the view it ends.
        for event in sorted(client_events(app), key=lambda e: (e == "incident.leave", e)):
            answer = await listener.call(event, events[event])
            allowed = level >= CLIENT_EVENTS[event]
            if allowed:
                assert "error" not in answer, (name, event, answer)
            else:
                assert answer["error"]["code"] == "forbidden", (name, event, answer)
                assert "role" in answer["error"]["message"], (name, event, answer)


@pytest.mark.parametrize("token", [None, "", "agent"])
async def test_no_token_and_agent_keys_cannot_connect(teams: Teams, live_api, token):
    listener = Listener()
    token = teams.keys["agent"] if token == "agent" else token

    with pytest.raises(socketio.exceptions.ConnectionError):
        await listener.connect(live_api.base, token)


async def test_the_role_is_checked_before_the_payload_is_read(app, teams: Teams, sockets):
    """Below an event's access the answer is the same whatever was sent; at or above it, a
    payload that is not an object is refused naming it."""
    for name, (token, level) in _callers(teams).items():
        listener = await sockets(token)
        for event in sorted(client_events(app)):
            error = (await listener.call(event, 5))["error"]
            if level >= CLIENT_EVENTS[event]:
                assert error["code"] == "invalid", (name, event, error)
                assert set(error["fields"]) == {"payload"}, (name, event, error)
            else:
                assert error["code"] == "forbidden", (name, event, error)


@pytest.mark.parametrize("wrap", [list, lambda token: {"$eq": token}, lambda token: [[token]]])
async def test_a_valid_token_inside_another_value_does_not_connect(teams: Teams, live_api, wrap):
    listener = Listener()

    with pytest.raises(socketio.exceptions.ConnectionError):
        await listener.sio.connect(
            live_api.base,
            auth={"token": wrap(teams.admin.access_token)},
            transports=["websocket"],
            wait_timeout=10,
        )
    assert listener.refusal["message"].startswith("auth.token: expected a string")


async def test_another_teams_rooms_presence_and_typing_are_refused(teams: Teams, sockets):
    outsider = await sockets(teams.outsider.access_token)
    owner = await sockets(teams.admin.access_token)
    await owner.call("incident.view", {"incident_id": teams.ids["incident_id"]})
    rooms = [
        f"service:{teams.ids['service_id']}",
        f"host:{teams.ids['host_id']}",
        f"incident:{teams.ids['incident_id']}",
    ]

    for room in rooms:
        assert "error" in await outsider.call("subscribe", {"room": room}), room
    incident = {"incident_id": teams.ids["incident_id"]}
    assert "error" in await outsider.call("incident.view", incident)
    assert "error" in await outsider.call("incident.typing", incident | {"typing": True})
    for bad in ([], "incident", None, {"room": ["x"]}, {"incident_id": {"$ne": None}}):
        for event in ("subscribe", "incident.view", "incident.typing"):
            assert "error" in await outsider.call(event, bad), (event, bad)

    # The owner, watching the incident, never sees the outsider arrive.
    typing = await owner.call("incident.typing", incident | {"typing": True})
    assert typing == {"ok": True}
    await eventually(lambda: owner.got("typing"), "the owner's own typing event")
    present = {
        person["user_id"]
        for message in owner.got("presence")
        for person in message["data"]["viewers"]
    }
    assert str(teams.outsider.user_id) not in present
    assert [m["data"]["user_id"] for m in owner.got("typing")] == [str(teams.admin.user_id)]


async def test_a_client_only_ever_receives_its_own_teams_events(api, teams: Teams, sockets):
    outsider = await sockets(teams.outsider.access_token)
    for room in ("logs", f"service:{teams.ids['service_id']}"):
        await outsider.call("subscribe", {"room": room})
    owner = await sockets(teams.admin.access_token)
    await owner.call("subscribe", {"room": "logs"})
    await owner.call("incident.view", {"incident_id": teams.ids["incident_id"]})
    a = teams.admin.headers
    incident = teams.ids["incident_id"]

    # One change of each kind the api publishes itself.
    created = await api.post("/api/v1/services", json={"name": "cron", "kind": "push"}, headers=a)
    push_token = created.json()["push_url"].rsplit("/", 1)[1]
    await api.post(f"/api/v1/push/{push_token}")
    await api.patch(f"/api/v1/incidents/{incident}", json={"severity": "low"}, headers=a)
    comment = await api.post(
        f"/api/v1/incidents/{incident}/comments", json={"body": "ok"}, headers=a
    )
    comment_url = f"/api/v1/incidents/{incident}/comments/{comment.json()['id']}"
    await api.patch(comment_url, json={"body": "ok, fixed"}, headers=a)
    await api.delete(comment_url, headers=a)
    await api.post("/api/v1/incidents", json={"title": "New", "severity": "low"}, headers=a)
    await api.post(
        "/api/v1/alert-rules", json={"name": "R", "condition": "service_down"}, headers=a
    )
    await owner.call("incident.typing", {"incident_id": incident, "typing": True})
    wanted = {
        "service.created",
        "service.status",
        "checks",
        "incident.updated",
        "incident.comment",
        "incident.comment_deleted",
        "incident.opened",
        "alert_rule.created",
        "typing",
        "presence",
    }

    async def all_arrived():
        return wanted <= {event for event, _ in owner.events}

    await eventually(all_arrived, f"team A's events {sorted(wanted)}")
    # A last change in team B: the relay delivers in order, so anything of A's would be ahead.
    await api.post(
        "/api/v1/incidents",
        json={"title": "B's own", "severity": "low"},
        headers=teams.outsider.headers,
    )
    await eventually(lambda: outsider.got("incident.opened"), "team B's own event")
    assert [event for event, _ in outsider.events] == ["incident.opened"], outsider.events
    assert outsider.got("incident.opened")[0]["data"]["title"] == "B's own"
