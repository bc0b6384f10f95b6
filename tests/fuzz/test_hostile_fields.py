"""Hostile values in every field of every JSON body and every query parameter the OpenAPI
schema lists, sent as every kind of caller.

For each operation, each example draws one hostile value per field (NUL and other control
characters, bidirectional overrides and invisible characters, very long strings, nesting a
thousand levels deep, a value of the wrong JSON type, a whole number past 64 bits) and sends
a body holding only that field, as the admin (who gets past every guard, so the body is
read). One of the fields is also sent as every other caller. Whoever sends it, the API
answers below 500; a NUL, a control character, a wrong type or a number past 64 bits is
refused with a 4xx naming that very field (or parameter); and afterwards no control
character is stored anywhere in the database.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from tests.conftest import _wipe
from tests.fuzz.conftest import app_schema
from tests.support.accounts import add_member, api_key, sign_up

SCHEMA = app_schema()
DEPTH = 1000
fuzz = settings(
    derandomize=True,
    deadline=None,
    database=None,
    max_examples=4,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@dataclass(frozen=True)
class Field:
    """A place a value can go: a path in a body (`a.b[0].c`) or a query parameter's name."""

    path: str
    schema: dict[str, Any]


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    body: list[Field]
    query: list[Field]
    body_schema: dict[str, Any] | None

    def __str__(self) -> str:
        return f"{self.method.upper()} {self.path}"

    def url(self) -> str:
        """The path with made-up ids: a body is read before the row it names is looked up."""
        return re.sub(
            r"\{(\w+)\}",
            lambda found: str(uuid.uuid4()) if found.group(1).endswith("id") else "fuzz",
            self.path,
        )


def _resolve(schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = SCHEMA["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _alternatives(schema: dict[str, Any]) -> list[dict[str, Any]]:
    schema = _resolve(schema)
    options = schema.get("oneOf") or schema.get("anyOf")
    if not options:
        return [schema]
    return [alt for option in options for alt in _alternatives(option) if alt.get("type") != "null"]


def _fields(schema: dict[str, Any], at: str = "", depth: int = 0) -> Iterator[Field]:
    """Every property of a body's schema, nested objects and the first item of arrays too."""
    for alternative in _alternatives(schema):
        for name, inner in alternative.get("properties", {}).items():
            path = f"{at}.{name}" if at else name
            yield Field(path, inner)
            if depth < 3:
                yield from _fields(inner, path, depth + 1)
        items = alternative.get("items")
        if isinstance(items, dict) and depth < 3 and at:
            yield from _fields(items, f"{at}[0]", depth + 1)


def _operations() -> list[Operation]:
    found = []
    for path, methods in SCHEMA["paths"].items():
        for method, spec in methods.items():
            if not isinstance(spec, dict) or "responses" not in spec:
                continue
            content = spec.get("requestBody", {}).get("content", {})
            body = content.get("application/json", {}).get("schema")
            query = [
                Field(p["name"], p.get("schema", {}))
                for p in spec.get("parameters", [])
                if p["in"] == "query"
            ]
            # One field per path and schema: the shapes of a oneOf share some of theirs.
            fields = list({repr(f): f for f in _fields(body)}.values()) if body else []
            if fields or query:
                found.append(Operation(method, path, fields, query, body))
    return found


OPERATIONS = _operations()


def _kinds(schema: dict[str, Any]) -> set[str]:
    return {alt.get("type", "any") for alt in _alternatives(schema)}


CONTROL = st.sampled_from(["\x00", "\x01", "\x07", "\x1b[31m", "\x7f", "\x85", "\x9b"])
SPOOF = st.sampled_from(["\u202e", "\u2066", "\u200b", "\ufeff", "\u200e", "\u061c"])


def _around(mark: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.tuples(st.text(max_size=8), mark, st.text(max_size=8)).map("".join)


@dataclass(frozen=True)
class Hostile:
    kind: str  # see _check: which kinds must be refused by name
    value: Any


def _wrong_type(schema: dict[str, Any]) -> st.SearchStrategy[Any]:
    kinds = _kinds(schema)
    choices: list[Any] = []
    if not kinds & {"string", "any"}:
        choices += ["60", "true"]
    if not kinds & {"integer", "number", "any"}:
        choices += [60, 0.5]
    if not kinds & {"boolean", "any"}:
        choices += [False]
    if not kinds & {"array", "any"}:
        choices += [["x"]]
    if not kinds & {"object", "any"}:
        choices += [{"x": 1}]
    return st.sampled_from(choices) if choices else st.nothing()


def _wrong_in_query(schema: dict[str, Any]) -> st.SearchStrategy[str]:
    """Query text that no parameter of this type takes: a fractional epoch for a time, `0`
    for a boolean, a word for a number, an id or a choice."""
    choices = []
    for alternative in _alternatives(schema):
        kind, form = alternative.get("type"), alternative.get("format")
        if form == "date-time":
            choices.append("1700000000.5")
        elif kind == "boolean":
            choices.append("0")
        elif kind in ("integer", "number") or form == "uuid" or "enum" in alternative:
            choices.append("zz")
    return st.sampled_from(choices) if choices else st.nothing()


def hostile(field: Field, in_query: bool) -> st.SearchStrategy[Hostile]:
    strategies = [
        _around(CONTROL).map(lambda value: Hostile("control", value)),
        _around(SPOOF).map(lambda value: Hostile("spoof", value)),
        # A query string stays within what an HTTP client sends in a request line.
        st.integers(2_000, 8_000 if in_query else 200_000).map(
            lambda size: Hostile("long", "y" * size)
        ),
    ]
    if in_query:
        strategies.append(_wrong_in_query(field.schema).map(lambda v: Hostile("wrong type", v)))
    else:
        strategies += [
            st.just(Hostile("deep", _nested(DEPTH))),
            st.sampled_from([2**63, -(2**70), 10**30]).map(lambda n: Hostile("huge number", n)),
            _wrong_type(field.schema).map(lambda value: Hostile("wrong type", value)),
        ]
    return st.one_of(strategies)


def _nested(depth: int) -> Any:
    value: Any = []
    for _ in range(depth):
        value = [value]
    return value


def _body_with(path: str, value: Any) -> Any:
    """A body holding only `value`, at `path`."""
    parts = re.findall(r"([^.\[\]]+)|\[(\d+)\]", path)
    for name, index in reversed(parts):
        value = [value] if index else {name: value}
    return value


@dataclass(frozen=True)
class Callers:
    admin: dict[str, str]
    others: dict[str, dict[str, str]]
    agent: dict[str, str]


@pytest.fixture(scope="module")
async def team(running_app) -> AsyncIterator[tuple[httpx.AsyncClient, Callers]]:
    transport = httpx.ASGITransport(app=running_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        admin = await sign_up(client)
        viewer = await add_member(client, admin, "viewer")
        developer = await add_member(client, admin, "developer")
        automation = await api_key(client, admin, "automation", "developer")
        agent = await api_key(client, admin, "agent")
        callers = Callers(
            admin=admin.headers,
            others={
                "nobody": {},
                "viewer": viewer.headers,
                "developer": developer.headers,
                "automation key": {"Authorization": f"Bearer {automation}"},
                "agent key": {"Authorization": f"Bearer {agent}"},
            },
            agent={"Authorization": f"Bearer {agent}"},
        )
        yield client, callers
    await _wipe(running_app)


async def _send(client, operation: Operation, headers, body=None, query=None) -> httpx.Response:
    return await client.request(
        operation.method,
        operation.url(),
        json=body,
        params=query,
        headers=headers,
        timeout=60,
    )


def _left_out(schema: dict[str, Any], path: str) -> set[str]:
    """The required fields a body holding only `path` leaves out: a type check may name one
    of those before it reaches the field at `path`."""
    left_out: set[str] = set()
    at, current = "", [schema]
    for name, index in re.findall(r"([^.\[\]]+)|\[(\d+)\]", path):
        deeper = []
        for alternative in (alt for each in current for alt in _alternatives(each)):
            if name:
                left_out |= {f"{at}.{r}" if at else r for r in alternative.get("required", [])}
                if name in alternative.get("properties", {}):
                    deeper.append(alternative["properties"][name])
            elif isinstance(alternative.get("items"), dict):
                deeper.append(alternative["items"])
        at = (f"{at}.{name}" if at else name) if name else f"{at}[{index}]"
        left_out.discard(at)
        current = deeper
    return left_out


def _check(operation: Operation, field: Field, sent: Hostile, response, caller: str) -> None:
    where = f"{operation} {field.path}={sent.kind} as {caller}"
    assert response.status_code < 500, f"{where}: {response.status_code} {response.text[:300]}"
    past_the_guard = response.status_code not in (401, 403, 429)
    # Fields whose shape follows the row (a channel's config follows its kind) are typed
    # once the row is found; these made-up ids find none.
    typed_after_lookup = sent.kind in ("wrong type", "huge number") and "{" in operation.path
    if typed_after_lookup and response.status_code == 404:
        return
    if sent.kind in ("control", "wrong type", "deep", "huge number") and past_the_guard:
        assert 400 <= response.status_code < 500, f"{where} was taken: {response.text[:300]}"
        error = response.json()["error"]
        named = {"body"} if sent.kind == "deep" else {field.path}
        if sent.kind in ("wrong type", "huge number") and operation.body_schema is not None:
            named |= _left_out(operation.body_schema, field.path)
        assert named & set(error["fields"]), f"{where} named {error['fields']}, not {named}"


def _caller_for(operation: Operation, callers: Callers) -> tuple[str, dict[str, str]]:
    if operation.path.startswith("/api/v1/ingest/"):
        return "agent key", callers.agent
    return "admin", callers.admin


@pytest.mark.parametrize("operation", OPERATIONS, ids=str)
@fuzz
@given(data=st.data())
async def test_hostile_values_in_every_field_are_refused_by_name(team, operation, data):
    client, callers = team
    name, headers = _caller_for(operation, callers)
    sent_fields = []
    for field in operation.body:
        sent = data.draw(hostile(field, in_query=False), label=field.path)
        body = _body_with(field.path, sent.value)
        response = await _send(client, operation, headers, body=body)
        _check(operation, field, sent, response, name)
        sent_fields.append((field, sent, body, None))
    for field in operation.query:
        sent = data.draw(hostile(field, in_query=True), label=f"?{field.path}")
        query = {field.path: sent.value}
        response = await _send(client, operation, headers, query=query)
        _check(operation, field, sent, response, name)
        sent_fields.append((field, sent, None, query))
    field, sent, body, query = data.draw(st.sampled_from(sent_fields), label="for every caller")
    for caller, caller_headers in callers.others.items():
        response = await _send(client, operation, caller_headers, body=body, query=query)
        assert response.status_code < 500, f"{operation} as {caller}: {response.text[:300]}"


# Log lines are kept as the program wrote them (colour escapes included); nothing else may
# hold a control character.
_KEPT_AS_SENT = {("log_lines", "message"), ("log_lines", "attributes"), ("log_lines", "search")}
_CONTROL_IN_TEXT = r"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]"
_CONTROL_IN_JSON = r"\\u00([01][0-9a-fA-F]|7[fF]|[89][0-9a-fA-F])"


async def test_no_control_character_was_stored(team, running_app):
    """Runs after the fuzz above, before the module's rows are wiped."""
    async with running_app.state.engine.connect() as conn:
        columns = await conn.execute(
            text(
                "SELECT table_name, column_name, data_type FROM information_schema.columns "
                "WHERE table_schema = current_schema() "
                "AND data_type IN ('text', 'character varying', 'jsonb', 'json')"
            )
        )
        found = []
        for table, column, data_type in columns:
            if (table, column) in _KEPT_AS_SENT:
                continue
            json_pattern = _CONTROL_IN_JSON if data_type in ("jsonb", "json") else "(?!)"
            hits = await conn.execute(
                text(
                    f'SELECT count(*) FROM "{table}" '
                    f'WHERE "{column}"::text ~ :raw OR "{column}"::text ~ :escaped'
                ),
                {"raw": _CONTROL_IN_TEXT, "escaped": json_pattern},
            )
            if hits.scalar_one():
                found.append(f"{table}.{column}")
    assert found == []
