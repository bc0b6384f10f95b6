"""Socket.IO input of the wrong shape is refused by name, and the connection carries on.

A real `watchdeck api` and real python-socketio clients: a connect payload that is not
`{"token": "<string>"}` gets `connect_error` naming the field; an event payload that is not
its event's gets the HTTP API's error body naming the field, and nothing happens; an event
that does not exist is answered too. Nothing sent here makes the server log a failure.
"""

from __future__ import annotations

import asyncio
import json
import uuid

import pytest
import websockets
from watchdeck.realtime.catalogue import CLIENT_EVENTS

from tests.realtime.conftest import Team, connect_refused, server_troubles
from tests.support.waiting import eventually

A_UUID = str(uuid.uuid4())


@pytest.mark.parametrize(
    ("auth", "field", "why"),
    [
        ({"token": 12345}, "auth.token", "expected a string, got an integer"),
        ({"token": {}}, "auth.token", "expected a string, got an object"),
        ({"token": {"$ne": None}}, "auth.token", "expected a string, got an object"),
        ({"token": []}, "auth.token", "expected a string, got an array"),
        ({"token": None}, "auth.token", "expected a string, got null"),
        ({"token": True}, "auth.token", "expected a string, got true or false"),
        ({"token": ""}, "auth.token", "must not be empty"),
        ({"token": "wd_\x00"}, "auth.token", "must not contain NUL characters"),
        ({"token": "wd_\x1b[31m"}, "auth.token", "must not contain control characters"),
        ({"token": "wd_ key"}, "auth.token", "must be printable ASCII"),
        ({"token": "x" * 9000}, "auth.token", "at most 8192 characters"),
        ({}, "auth.token", "required"),
        (None, "auth.token", "required"),
        (["a token"], "auth", "expected an object, got an array"),
        ([{"token": "a token"}], "auth", "expected an object, got an array"),
        ("a token", "auth", "expected an object, got a string"),
        # Socket.IO reads a number's leading digits as an ack id: 12345 arrives as no payload.
        (12345, "auth.token", "required"),
        (1.5, "auth", "not valid JSON"),
    ],
    ids=repr,
)
async def test_a_connect_payload_of_the_wrong_shape_is_refused_naming_the_field(
    live_api, auth, field, why
):
    mark = len(live_api.process.lines)

    refusal = await connect_refused(live_api.base, auth)

    assert refusal.said is not None, f"no connect_error for {auth!r}: {refusal.error}"
    message = refusal.said["message"]
    assert message.startswith(f"{field}: "), message
    assert why in message, message
    assert server_troubles(live_api, mark) == []


async def test_a_refused_token_still_says_why_in_few_words(live_api):
    refusal = await connect_refused(live_api.base, {"token": "wd_" + "A" * 43})

    assert refusal.said == {"message": "invalid API key"}


def _bad_payloads(incident_id: str) -> dict[str, list[tuple[object, str]]]:
    """Per client event: payloads that are not its own, each with the field it must name."""
    room = [
        (None, "payload"),
        ("logs", "payload"),
        (["logs"], "payload"),
        (7, "payload"),
        ({}, "room"),
        ({"room": 5}, "room"),
        ({"room": ["logs"]}, "room"),
        ({"room": {"$ne": None}}, "room"),
        ({"room": None}, "room"),
        ({"room": ""}, "room"),
        ({"room": "lo\x00gs"}, "room"),
        ({"room": "logs\n"}, "room"),
        ({"room": "logs\u202e"}, "room"),
        ({"room": "x" * 100_000}, "room"),
        ({"room": "logs", "and": "more"}, "and"),
    ]
    incident = [
        ({}, "incident_id"),
        ({"incident_id": 5}, "incident_id"),
        ({"incident_id": "incident"}, "incident_id"),
        ({"incident_id": {"$ne": None}}, "incident_id"),
        ({"incident_id": incident_id + "\x00"}, "incident_id"),
        ({"incident_id": [incident_id]}, "incident_id"),
    ]
    return {
        "subscribe": room,
        "unsubscribe": room,
        "resume": [
            ({}, "since"),
            ({"since": "yesterday"}, "since"),
            ({"since": "5"}, "since"),
            ({"since": -1}, "since"),
            ({"since": 1.5}, "since"),
            ({"since": True}, "since"),
            ({"since": 2**64}, "since"),
            ({"since": [0]}, "since"),
        ],
        "incident.view": incident,
        "incident.leave": incident,
        "incident.typing": [
            *incident,
            ({"incident_id": incident_id}, "typing"),
            ({"incident_id": incident_id, "typing": "yes"}, "typing"),
            ({"incident_id": incident_id, "typing": 1}, "typing"),
            ({"incident_id": incident_id, "typing": None}, "typing"),
            ({"incident_id": incident_id, "typing": True, "\x00": 1}, "payload[key]"),
        ],
    }


def _assert_refused(answer: dict, code: str, field: str | None = None) -> dict:
    """The error body, exactly as the HTTP API shapes it."""
    assert set(answer) == {"error"}, answer
    error = answer["error"]
    assert set(error) == {"code", "message", "fields"}, answer
    assert error["code"] == code, answer
    if field is not None:
        assert field in error["fields"], answer
        assert error["message"].startswith(f"{field}: "), answer
    return error


def test_every_client_event_has_bad_payloads_here():
    assert set(_bad_payloads(A_UUID)) == set(CLIENT_EVENTS)


async def test_a_wrong_payload_is_refused_by_field_and_the_connection_carries_on(
    live_api, team: Team, sockets
):
    mark = len(live_api.process.lines)
    admin = await sockets(team.admin.access_token)
    watcher = await sockets(team.viewer.access_token)
    await watcher.call("incident.view", {"incident_id": team.incident_id})
    await admin.call("incident.view", {"incident_id": team.incident_id})  # typing needs it
    presence_before = len(watcher.got("presence"))

    for event, payloads in _bad_payloads(team.incident_id).items():
        for payload, field in payloads:
            answer = await admin.call(event, payload)
            _assert_refused(answer, "invalid", field)
            assert (await admin.call("resume", {"since": 0}))["seq"] >= 0, (event, payload)

    # Nothing happened: the watcher sees the admin's one real typing and no presence change.
    typed = {"incident_id": team.incident_id, "typing": True}
    assert await admin.call("incident.typing", typed) == {"ok": True}
    await eventually(lambda: watcher.got("typing"), "the admin's real typing")
    assert [m["data"]["typing"] for m in watcher.got("typing")] == [True]
    assert len(watcher.got("presence")) == presence_before
    assert server_troubles(live_api, mark) == []


async def test_more_than_one_argument_is_refused(team: Team, sockets):
    admin = await sockets(team.admin.access_token)

    answer = await admin.call("resume", ({"since": 0}, {"since": 1}))

    error = _assert_refused(answer, "invalid", "payload")
    assert "one object" in error["message"]


async def test_an_unknown_event_is_answered_with_the_events_there_are(
    live_api, team: Team, sockets
):
    mark = len(live_api.process.lines)
    admin = await sockets(team.admin.access_token)

    for event in ("incident.delete", "Subscribe", "", "message", "on_subscribe", "x" * 5000):
        error = _assert_refused(await admin.call(event, {"room": "logs"}), "unknown_event")
        assert repr(event)[:40] in error["message"]
        assert all(known in error["message"] for known in CLIENT_EVENTS), error
        assert len(error["message"]) < 300

    assert (await admin.call("resume", {"since": 0}))["seq"] >= 0
    assert server_troubles(live_api, mark) == []


async def test_events_named_like_connect_and_disconnect_are_only_unknown_events(
    team: Team, sockets
):
    admin = await sockets(team.admin.access_token)
    await admin.call("incident.view", {"incident_id": team.incident_id})

    for event in ("connect", "disconnect"):
        answer = await admin.call(event, {"token": team.admin.access_token})
        _assert_refused(answer, "unknown_event")

    # Still connected, and still counted as viewing the incident.
    viewer = await sockets(team.viewer.access_token)
    seen = await viewer.call("incident.view", {"incident_id": team.incident_id})
    assert str(team.admin.user_id) in {person["user_id"] for person in seen["viewers"]}


async def test_an_event_sent_without_an_ack_is_refused_quietly(live_api, team: Team, sockets):
    mark = len(live_api.process.lines)
    admin = await sockets(team.admin.access_token)

    await admin.sio.emit("incident.delete", {"incident_id": team.incident_id})
    await admin.sio.emit("subscribe", 12345)
    await admin.sio.emit("resume", {"since": "yesterday"})
    await admin.sio.emit("incident.view")

    # Events are handled in order of arrival, so this answer comes after the four above.
    assert (await admin.call("resume", {"since": 0}))["seq"] >= 0
    assert admin.sio.connected
    assert server_troubles(live_api, mark) == []


async def test_well_formed_but_foreign_rooms_are_not_found(team: Team, sockets):
    admin = await sockets(team.admin.access_token)

    for room in (f"incident:{A_UUID}", "service:not-a-uuid", "team:everyone"):
        error = _assert_refused(await admin.call("subscribe", {"room": room}), "not_found")
        assert error["fields"] == {"room": "not in your team"}
    error = _assert_refused(
        await admin.call("incident.view", {"incident_id": A_UUID}), "not_found", None
    )
    assert "incident_id" in error["fields"]


async def test_typing_before_viewing_is_a_conflict(team: Team, sockets):
    admin = await sockets(team.admin.access_token)

    answer = await admin.call("incident.typing", {"incident_id": A_UUID, "typing": True})

    assert _assert_refused(answer, "conflict")["fields"] == {"incident_id": "not viewed"}


async def _frame(ws) -> str:
    """The next Socket.IO frame, answering Engine.IO pings on the way."""
    while True:
        async with asyncio.timeout(10):  # fail, rather than wait for ever, if none comes
            frame = await ws.recv()
        if frame != "2":
            return frame
        await ws.send("3")


async def _raw_session(base: str, token: str):
    """A WebSocket speaking Engine.IO and Socket.IO by hand, connected with `token`."""
    url = base.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket"
    ws = await websockets.connect(url, max_size=None)
    opened = await _frame(ws)
    assert opened.startswith("0{"), opened
    await ws.send("40" + json.dumps({"token": token}))
    connected = await _frame(ws)
    assert connected.startswith("40{"), connected
    return ws


async def _ack(ws, ack_id: int) -> dict:
    """The answer in the next Socket.IO ack with `ack_id`."""
    while True:
        frame = await _frame(ws)
        if frame.startswith(f"43{ack_id}["):
            [answer] = json.loads(frame.removeprefix(f"43{ack_id}"))
            return answer


@pytest.mark.parametrize("depth", [40, 2_000, 100_000])
async def test_a_payload_nested_too_deep_is_refused_by_name(live_api, team: Team, depth: int):
    mark = len(live_api.process.lines)
    ws = await _raw_session(live_api.base, team.admin.access_token)
    deep = "[" * depth + "]" * depth
    try:
        await ws.send(f'427["subscribe", {{"room": {deep}}}]')
        answer = await _ack(ws, 7)
        await ws.send('428["resume", {"since": 0}]')
        carried_on = await _ack(ws, 8)
    finally:
        await ws.close()

    error = _assert_refused(answer, "invalid", "payload")
    assert error["fields"] == {"payload": "nested deeper than 32 levels"}
    assert carried_on["seq"] >= 0
    assert server_troubles(live_api, mark) == []


async def test_a_connect_payload_nested_too_deep_is_refused_by_name(live_api):
    mark = len(live_api.process.lines)
    url = live_api.base.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket"
    async with websockets.connect(url, max_size=None) as ws:
        await _frame(ws)
        await ws.send('40{"token": ' + "[" * 50_000 + "]" * 50_000 + "}")
        refused = await _frame(ws)

    assert refused.startswith("44{"), refused
    assert "auth: nested deeper than 32 levels" in refused
    assert server_troubles(live_api, mark) == []


@pytest.mark.parametrize(
    "packet",
    [
        '429["resume", {"since": 0}',
        '429["resume", {"since": 0}]]',
        '429{"since": 0}',
        "429[]",
        "429",
        '429"resume"',
    ],
)
async def test_an_event_packet_that_is_not_json_is_refused(live_api, team: Team, packet: str):
    mark = len(live_api.process.lines)
    ws = await _raw_session(live_api.base, team.admin.access_token)
    try:
        await ws.send(packet)
        answer = await _ack(ws, 9)
        await ws.send('428["resume", {"since": 0}]')
        carried_on = await _ack(ws, 8)
    finally:
        await ws.close()

    assert _assert_refused(answer, "invalid", "payload")["fields"] == {"payload": "not valid JSON"}
    assert carried_on["seq"] >= 0
    assert server_troubles(live_api, mark) == []
