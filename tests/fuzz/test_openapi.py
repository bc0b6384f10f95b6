"""Every route of the OpenAPI schema, fuzzed from that schema, as every kind of caller.

Each randomly generated request to a route that takes a credential is sent as nobody, a
viewer, a developer, an automation API key, an agent API key and an admin (see `_callers`).
Whoever sends it, the API must not fail (no 5xx), and must answer only statuses and content
types the schema documents, with bodies that match it. Path and query ids are now and then
those of real rows, so routes get past "not found" too.

Not in the schema, so not fuzzed here: the dashboard's catch-all route (it serves the built
web app's HTML for any other path), /socket.io (mounted beside the API, tested in
tests/e2e/test_realtime.py) and the /api/docs pages themselves.
"""

from __future__ import annotations

import copy
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.generation.meta import TestPhase
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.fuzz.conftest import Caller, FuzzApi, Seeded, app_schema

# Not `negative_data_rejection`: query strings are text, converted to what the route takes
# ("5" for 5), where that check expects JSON types.
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]

# Examples per operation, each sent as six callers; sized so the module stays near a minute.
MAX_EXAMPLES = 15


APP_SCHEMA = app_schema()


def _schema(max_examples: int):
    return schemathesis.openapi.from_dict(
        copy.deepcopy(APP_SCHEMA),
        config=schemathesis.Config.from_dict(
            {
                "seed": 20250101,
                # Speed is not under test, and the machine running the suite is often busy.
                "suppress-health-check": ["too_slow"],
                "generation": {
                    "max-examples": max_examples,
                    "deterministic": True,
                    "database": "none",
                    # Each caller brings its own credential; none is generated or mutated.
                    "with-security-parameters": False,
                },
            }
        ),
    )


schema = _schema(MAX_EXAMPLES)
# The same generation with a control character written into every string of the body and
# the query; run as the admin (or the agent key on ingest routes), who gets past the guards.
with_control = _schema(5)
CONTROL = ["\x00", "\x01", "\x08", "\x1b", "\x7f", "\x9b"]

# Ids of the rows fuzz_seeded wrote, by parameter name; filled before the first example.
_known: dict[str, list[str]] = {}
# `{token}` means an invite in one route and a push monitor in the other.
_TOKENS = {"/api/v1/invites/{token}": "invite_token", "/api/v1/push/{token}": "push_token"}


def _sometimes_known(path: str, values: dict[str, Any] | None) -> st.SearchStrategy:
    """`values` as generated, or with some of them swapped for ids of real rows."""
    if not values:
        return st.just(values)
    choices = {}
    for name, value in values.items():
        known = _known.get(_TOKENS.get(path, name) if name == "token" else name, [])
        choices[name] = st.sampled_from([value, *known]) if known else st.just(value)
    return st.fixed_dictionaries(choices)


@schema.hook
def flatmap_path_parameters(context, path_parameters):
    return _sometimes_known(context.operation.path, path_parameters)


@schema.hook
def flatmap_query(context, query):
    return _sometimes_known(context.operation.path, query)


def _with_control(value: Any, char: str) -> tuple[Any, bool]:
    """`value` with `char` in the middle of each of its strings; whether it had any."""
    if isinstance(value, str):
        return value[: len(value) // 2] + char + value[len(value) // 2 :], True
    if isinstance(value, dict):
        pairs = {key: _with_control(item, char) for key, item in value.items()}
        return {key: pair[0] for key, pair in pairs.items()}, any(p[1] for p in pairs.values())
    if isinstance(value, list):
        pairs = [_with_control(item, char) for item in value]
        return [pair[0] for pair in pairs], any(pair[1] for pair in pairs)
    return value, False


@with_control.hook("flatmap_body")
def _control_in_body(context, body):
    return st.sampled_from(CONTROL).map(lambda char: _with_control(body, char)[0])


@with_control.hook("flatmap_query")
def _control_in_query(context, query):
    return st.sampled_from(CONTROL).map(lambda char: _with_control(query, char)[0])


@pytest.fixture(autouse=True, scope="module")
def _aim_at_seeded_rows(fuzz_seeded: Seeded) -> None:
    _known.update(fuzz_seeded.ids)


def _callers(case, seeded: Seeded) -> list[Caller]:
    """Who sends `case`.

    A public route's guard reads no credential, so nobody sends it (once, where each would
    also pay for a password hash on sign-in routes). Coverage-phase cases probe the edges of
    every field, which only a caller past the guard reaches: the admin sends those, or the
    agent key on ingest routes. Randomly generated cases go out as every caller.
    """
    if not case.operation.definition.raw.get("security"):
        return [seeded.caller("nobody")]
    if case.meta is not None and case.meta.phase.name is TestPhase.COVERAGE:
        ingest = case.operation.path.startswith("/api/v1/ingest/")
        return [seeded.caller("agent key" if ingest else "admin")]
    return seeded.callers


def _send(case, fuzz_api: FuzzApi, seeded: Seeded) -> None:
    for caller in _callers(case, seeded):
        headers = {**(case.headers or {}), **caller.headers}
        response = case.call(base_url=fuzz_api.base_url, headers=headers)
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
        except BaseException as failure:  # schemathesis reports as a BaseExceptionGroup
            failure.add_note(f"Sent as {caller.name}.")
            request_id = (response.headers.get("x-request-id") or [""])[0]
            if response.status_code >= 500 and request_id:
                failure.add_note("\n".join(fuzz_api.log_lines(request_id)))
            raise


def _holds_control(value: Any) -> bool:
    if isinstance(value, str):
        return any(char in value for char in CONTROL)
    if isinstance(value, dict):
        return any(_holds_control(item) for item in value.values())
    if isinstance(value, list):
        return any(_holds_control(item) for item in value)
    return False


def test_the_fuzzed_schema_is_the_one_the_api_serves(fuzz_api: FuzzApi):
    served = httpx.get(f"{fuzz_api.base_url}/api/docs/openapi.json", timeout=10)

    assert served.status_code == 200
    assert served.json() == APP_SCHEMA


# Deleting runs last, so the other operations still find the seeded rows.
@schema.exclude(method="DELETE").parametrize()
def test_every_route_keeps_to_its_schema_for_every_caller(case, fuzz_api, fuzz_seeded):
    _send(case, fuzz_api, fuzz_seeded)


@schema.include(method="DELETE").parametrize()
def test_every_delete_keeps_to_its_schema_for_every_caller(case, fuzz_api, fuzz_seeded):
    _send(case, fuzz_api, fuzz_seeded)


@with_control.exclude(method="DELETE").parametrize()
def test_control_characters_in_any_string_are_refused(case, fuzz_api, fuzz_seeded):
    ingest = case.operation.path.startswith("/api/v1/ingest/")
    caller = fuzz_seeded.caller("agent key" if ingest else "admin")
    headers = {**(case.headers or {}), **caller.headers}
    response = case.call(base_url=fuzz_api.base_url, headers=headers)
    case.validate_response(response, checks=CHECKS, headers=headers)
    # Log lines are kept as the program wrote them; everything else refuses the character.
    sent = _holds_control(case.body) or _holds_control(case.query)
    if sent and not ingest and response.status_code < 300:
        raise AssertionError(f"{case.method} {case.path} took a control character: {case.body}")
    if sent:
        _control_sent.add(f"{case.method} {case.path}")


_control_sent: set[str] = set()


def test_control_characters_reached_the_routes_that_take_text():
    """The hooks above did write control characters: most routes with a body or a query."""
    assert len(_control_sent) >= 40, sorted(_control_sent)
