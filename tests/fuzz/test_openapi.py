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
import json
import secrets
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
from watchdeck.app import create_app
from watchdeck.platform.config import Settings

from tests.fuzz.conftest import Caller, FuzzApi, Seeded

# Not `negative_data_rejection`: Litestar converts query and body values leniently on purpose
# ("5" for 5 in a query string, and with it 0 for false in a body), which that check reports.
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]

# Examples per operation, each sent as six callers; sized so the module stays near a minute.
MAX_EXAMPLES = 15


def _app_schema() -> dict[str, Any]:
    """The schema the app serves at /api/docs/openapi.json (building the app connects nowhere)."""
    app = create_app(
        Settings(
            secret_key=secrets.token_urlsafe(48),
            database_url="postgresql+asyncpg://localhost/watchdeck",
            redis_url="redis://localhost:6379/0",
        )
    )
    return json.loads(json.dumps(app.openapi_schema.to_schema()))


APP_SCHEMA = _app_schema()
schema = schemathesis.openapi.from_dict(
    copy.deepcopy(APP_SCHEMA),
    config=schemathesis.Config.from_dict(
        {
            "seed": 20250101,
            # Speed is not under test, and the machine running the suite is often busy.
            "suppress-health-check": ["too_slow"],
            "generation": {
                "max-examples": MAX_EXAMPLES,
                "deterministic": True,
                "database": "none",
                # Each caller brings its own credential; none is generated or mutated.
                "with-security-parameters": False,
            },
        }
    ),
)

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
