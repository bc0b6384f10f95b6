"""Hostile Socket.IO payloads to every client event in the catalogue, and to connect.

Each example breaks a payload one way (a value of the wrong JSON type for the whole payload
or for one field, NUL and other control characters, bidirectional overrides and invisible
characters, very long strings, deep nesting, a field left out, a field too many) and sends
it to a real `watchdeck api` over a real python-socketio connection, once without an ack
and once with one. Whatever is sent, an answer comes: `connect_error`, or an ack with the
HTTP API's error body naming the field that was broken; the connection carries on. At the
end nothing was stored or broadcast, and the server logged no failure.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from watchdeck.platform.text import text_problem
from watchdeck.realtime.catalogue import CLIENT_EVENTS

from tests.realtime.conftest import (  # noqa: F401  (fixtures)
    LiveApi,
    Team,
    api,
    connect_refused,
    live_api,
    server_troubles,
    team,
)
from tests.security.conftest import snapshot
from tests.support.sockets import Listener
from tests.support.waiting import eventually

fuzz = settings(
    derandomize=True,
    deadline=None,
    database=None,
    max_examples=60,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

CONTROL = st.sampled_from(
    ["\x00", "\x01", "\x07", "\x1b[31m", "\x7f", "\x85", "\x9b", "\t", "\n", "\r"]
)
SPOOF = st.sampled_from(["\u202e", "\u2066", "\u200b", "\ufeff", "\u200e", "\u061c"])


def _around(mark: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.tuples(st.text(max_size=8), mark, st.text(max_size=8)).map("".join)


def _nested(depth: int) -> Any:
    value: Any = []
    for _ in range(depth):
        value = [value]
    return value


# Strings no field here takes: rooms, ids and tokens are printable ASCII of bounded length.
hostile_text = st.one_of(
    _around(CONTROL),
    _around(SPOOF),
    st.integers(8_193, 200_000).map(lambda size: "y" * size),
)
numbers = st.one_of(st.integers(-(2**70), 2**70), st.floats(allow_nan=False, allow_infinity=False))
json_scalars = st.one_of(st.none(), st.booleans(), numbers, st.text(max_size=20))
json_values = st.recursive(
    json_scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
# Deep enough to pass the 32-level limit, shallow enough for the client's own JSON encoder.
deep = st.integers(1, 300).map(_nested)

# What each field's value is when it is not the one being broken, and values of the wrong
# JSON type for it (checked by msgspec: `"5"` is not 5, `1` is not `true`).
FIELDS: dict[str, tuple[Any, st.SearchStrategy[Any]]] = {
    "room": (
        "logs",
        st.one_of(st.none(), st.booleans(), numbers, st.lists(st.integers(), max_size=3)),
    ),
    "incident_id": (
        None,  # the team's incident, filled in by `_valid`
        st.one_of(st.none(), st.booleans(), numbers, st.just({"$ne": None})),
    ),
    "since": (
        0,
        st.one_of(
            st.none(),
            st.booleans(),
            st.integers(max_value=-1),
            st.integers(min_value=2**63),
            st.floats(allow_nan=False, allow_infinity=False),
            st.text(max_size=10),
            st.lists(st.integers(), max_size=3),
        ),
    ),
    "typing": (
        True,
        st.one_of(st.none(), numbers, st.text(max_size=10), st.just([True]), st.just({})),
    ),
}
EVENT_FIELDS = {
    "subscribe": ["room"],
    "unsubscribe": ["room"],
    "resume": ["since"],
    "incident.view": ["incident_id"],
    "incident.leave": ["incident_id"],
    "incident.typing": ["incident_id", "typing"],
}


def _valid(event: str, incident_id: str) -> dict[str, Any]:
    values = {name: FIELDS[name][0] for name in EVENT_FIELDS[event]}
    if "incident_id" in values:
        values["incident_id"] = incident_id
    return values


@dataclass(frozen=True)
class Broken:
    """A payload broken one way, and the field its refusal must name, or one within it
    (None: any one)."""

    how: str
    payload: Any
    field: str | None


@st.composite
def broken(draw: st.DrawFn, event: str, incident_id: str) -> Broken:
    valid = _valid(event, incident_id)
    names = EVENT_FIELDS[event]
    name = draw(st.sampled_from(names))
    how = draw(
        st.sampled_from(
            ["whole", "wrong type", "hostile text", "deep", "missing", "extra", "extra key"]
        )
    )
    if how == "whole":
        whole = draw(st.one_of(json_scalars, st.lists(json_values, max_size=4), deep))
        return Broken(how, whole, "payload")
    if how == "wrong type":
        return Broken(how, valid | {name: draw(FIELDS[name][1])}, name)
    if how == "hostile text":
        return Broken(how, valid | {name: draw(hostile_text)}, name)
    if how == "deep":
        depth = draw(st.integers(1, 300))
        # The payload object is one level and `_nested(31)` 32 more: one too many.
        return Broken(how, valid | {name: _nested(depth)}, "payload" if depth >= 31 else name)
    if how == "missing":
        return Broken(how, {key: value for key, value in valid.items() if key != name}, name)
    if how == "extra":
        key = draw(st.text(min_size=1, max_size=20).filter(lambda key: key not in names))
        bad_key = text_problem(key) is not None
        return Broken(how, valid | {key: draw(json_scalars)}, "payload[key]" if bad_key else key)
    key = draw(_around(st.one_of(CONTROL.filter(lambda c: c not in "\t\n\r"), SPOOF)))
    # A key breaking the text rules is named as the payload's key; one with a spoofing
    # character is merely a field that does not exist, named by itself.
    return Broken(how, valid | {key: 1}, "payload[key]" if text_problem(key) else None)


@dataclass
class Watch:
    """The fuzzing connection, a second person's connection on the same incident, and what
    was there before."""

    fuzzer: Listener
    watcher: Listener
    before: dict[str, list]
    mark: int
    presence: int  # presence events the watcher had heard of


@pytest.fixture(scope="module")
async def watch(live_api: LiveApi, team: Team, running_app) -> AsyncIterator[Watch]:  # noqa: F811
    mark = len(live_api.process.lines)
    fuzzer = await Listener().connect(live_api.base, team.admin.access_token)
    watcher = await Listener().connect(live_api.base, team.viewer.access_token)
    incident = {"incident_id": team.incident_id}
    await fuzzer.call("incident.view", incident)  # typing would need it, were one to get by
    await watcher.call("incident.view", incident)
    # The watcher's own arrival, naming both, is the last presence it hears of unless the
    # fuzz changes one: the relay delivers in order.
    await eventually(
        lambda: any(len(m["data"]["viewers"]) == 2 for m in watcher.got("presence")),
        "the watcher's own presence",
    )
    before = await snapshot(running_app.state.session_factory)
    yield Watch(fuzzer, watcher, before, mark, len(watcher.got("presence")))
    for listener in (fuzzer, watcher):
        await listener.sio.disconnect()


def _check_refusal(sent: Broken, answer: Any, where: str) -> None:
    assert isinstance(answer, dict) and set(answer) == {"error"}, f"{where}: {answer!r}"
    error = answer["error"]
    assert set(error) == {"code", "message", "fields"}, f"{where}: {answer!r}"
    assert error["code"] == "invalid", f"{where}: {answer!r}"
    [(field, why)] = error["fields"].items()
    assert error["message"] == f"{field}: {why}", f"{where}: {answer!r}"
    if sent.field is not None:
        within = field == sent.field or field.startswith((f"{sent.field}[", f"{sent.field}."))
        assert within, f"{where} named {field!r}, not {sent.field!r}: {why}"


@pytest.mark.parametrize("event", list(CLIENT_EVENTS))
@fuzz
@given(data=st.data())
async def test_every_client_event_refuses_a_broken_payload_by_name(
    watch: Watch,
    team: Team,  # noqa: F811
    event: str,
    data: st.DataObject,
):
    sent = data.draw(broken(event, team.incident_id), label="payload")
    where = f"{event} {sent.how}"

    await watch.fuzzer.sio.emit(event, sent.payload)
    answer = await watch.fuzzer.sio.call(event, sent.payload, timeout=10)

    _check_refusal(sent, answer, where)
    carried_on = await watch.fuzzer.call("resume", {"since": 0})
    assert carried_on["seq"] >= 0, f"after {where}: {carried_on!r}"


@st.composite
def broken_auth(draw: st.DrawFn) -> Any:
    return draw(
        st.one_of(
            st.fixed_dictionaries({"token": st.one_of(hostile_text, json_scalars, json_values)}),
            st.fixed_dictionaries({"token": deep}),
            json_values,
            deep,
        )
    )


@fuzz
@given(auth=broken_auth())
async def test_every_broken_connect_is_refused_with_an_answer(live_api: LiveApi, auth: Any):  # noqa: F811
    refusal = await connect_refused(live_api.base, auth)

    assert refusal.said is not None, f"no connect_error for {auth!r:.200}: {refusal.error}"
    assert isinstance(refusal.said.get("message"), str) and refusal.said["message"]


async def test_the_fuzz_stored_and_broadcast_nothing_and_logged_no_failure(
    watch: Watch,
    live_api: LiveApi,  # noqa: F811
    team: Team,  # noqa: F811
    running_app,
):
    """Runs after the fuzz above. The relay delivers in order: a typing event sent now
    arrives after anything the fuzz could have caused."""
    typed = {"incident_id": team.incident_id, "typing": True}
    assert await watch.fuzzer.call("incident.typing", typed) == {"ok": True}
    await eventually(lambda: watch.watcher.got("typing"), "the one real typing event")

    assert [m["data"]["user_id"] for m in watch.watcher.got("typing")] == [str(team.admin.user_id)]
    assert len(watch.watcher.got("presence")) == watch.presence
    assert {kind for kind, _ in watch.watcher.events} <= {"presence", "typing"}
    assert await snapshot(running_app.state.session_factory) == watch.before
    assert server_troubles(live_api, watch.mark) == []
    assert watch.fuzzer.sio.connected
