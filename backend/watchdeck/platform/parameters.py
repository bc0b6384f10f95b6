"""What every route's query and path parameters may hold, checked once before any handler.

A route declares a parameter's type and `ParameterRules` (the app's middleware) refuses a
value that does not fit with Invalid(<parameter as sent>, why), a 422 naming it. One rule
per kind of value, chosen by the declared type:

- any parameter name or value, path parameters too: the text rule of text.py (no NUL, no
  other control character but tab and line breaks). PostgreSQL refuses NUL in text.
- `datetime`: an RFC 3339 timestamp with an offset or Z; an epoch number is refused.
- `date`: `YYYY-MM-DD`.
- `bool`: `true` or `false`, nothing else.
- `int`: digits that fit PostgreSQL's bigint.
- `uuid.UUID`: a UUID.
- an enum or a Literal: one of its values; the refusal lists them. A list of them takes
  repeated values (`?status=open&status=resolved`) or comma-separated ones (`open,resolved`).
- any other parameter that takes one value is refused when sent twice.
- a `Rule` in the annotation checks the text itself (the cursor formats of pagination.py).

A parameter sent empty is refused, except a plain text one (an empty search is no search).
Litestar converts the value afterwards, as it would anyway; what reaches it already fits.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import Enum
from typing import Any, Literal
from urllib.parse import parse_qsl, quote, urlencode

from litestar import Request
from litestar.constants import RESERVED_KWARGS
from litestar.enums import ParamType
from litestar.handlers import BaseRouteHandler
from litestar.middleware import ASGIMiddleware
from litestar.params import ParameterKwarg
from litestar.types import ASGIApp, Receive, Scope, Send
from litestar.typing import FieldDefinition

from watchdeck.platform.errors import Invalid, handle_domain_error
from watchdeck.platform.text import text_problem

BIGINT_MAX = 2**63 - 1
# Far enough inside datetime's own limits that no window or page arithmetic overflows.
EARLIEST = datetime(1900, 1, 1, tzinfo=UTC)
LATEST = datetime(3000, 1, 1, tzinfo=UTC)

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")  # escaped where a name is repeated
_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})")
_NO_OFFSET = re.compile(r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}(:\d{2}(\.\d+)?)?")
# `+02:00` sent unencoded arrives as ` 02:00`: a query string's + is a space.
_SPACE_OFFSET = re.compile(r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)? \d{2}:\d{2}")
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_WHOLE = re.compile(r"-?\d{1,19}")
EXAMPLE = "2026-01-31T00:00:00Z"


def instant(text: str) -> datetime:
    """`text` as an aware datetime, from an RFC 3339 timestamp only.

    Raises ValueError saying what is wrong, for a person to read.
    """
    if _TIMESTAMP.fullmatch(text) is None:
        if _NUMBER.fullmatch(text):
            raise ValueError(f"a time is an RFC 3339 timestamp such as {EXAMPLE}, not a number")
        if _NO_OFFSET.fullmatch(text):
            raise ValueError(f"needs a time zone: end it with Z or an offset, e.g. {EXAMPLE}")
        if _SPACE_OFFSET.fullmatch(text):
            raise ValueError("send the offset's + as %2B, or give the time in UTC ending with Z")
        raise ValueError(f"not an RFC 3339 timestamp such as {EXAMPLE}")
    try:
        moment = datetime.fromisoformat(text.upper())
    except ValueError:
        raise ValueError(f"not a real time; use the form {EXAMPLE}") from None
    if not EARLIEST <= moment < LATEST:
        raise ValueError("out of range: give a time between the years 1900 and 2999")
    return moment


def day(text: str) -> date:
    """`text` as a date, from `YYYY-MM-DD` only; ValueError otherwise."""
    try:
        found = date.fromisoformat(text) if _DAY.fullmatch(text) else None
    except ValueError:
        found = None
    if found is None:
        raise ValueError("not a day in the form 2026-01-31")
    if not EARLIEST.year <= found.year < LATEST.year:
        raise ValueError("out of range: give a day between the years 1900 and 2999")
    return found


def whole(text: str) -> int:
    """`text` as an int that fits a bigint column; ValueError otherwise."""
    if _WHOLE.fullmatch(text) is None:
        if text.lstrip("-").isdigit():
            raise ValueError(f"out of range: at most {BIGINT_MAX}")
        raise ValueError("not a whole number")
    number = int(text)
    if not -BIGINT_MAX - 1 <= number <= BIGINT_MAX:
        raise ValueError(f"out of range: at most {BIGINT_MAX}")
    return number


def boolean(text: str) -> bool:
    if text not in ("true", "false"):
        raise ValueError("use true or false")
    return text == "true"


def identifier(text: str) -> uuid.UUID:
    try:
        return uuid.UUID(text)
    except ValueError:
        raise ValueError("not an id (a UUID)") from None


class Rule:
    """A check of a parameter's text carried in its annotation, taking the place of the
    check its type would get: `Annotated[str | None, QueryParameter(), SomeRule()]`."""

    def check(self, text: str) -> None:
        """Raise ValueError, with the reason, when `text` is refused."""
        raise NotImplementedError


@dataclass(frozen=True)
class Choices:
    values: tuple[str, ...]

    def __call__(self, text: str) -> str:
        if text not in self.values:
            raise ValueError(f"unknown {text}; use {', '.join(self.values)}")
        return text


@dataclass(frozen=True)
class Declared:
    """What a query parameter takes: the check of each value, and whether there may be many."""

    check: Callable[[str], object] | None  # raises ValueError; None: plain text
    many: bool


def _choices(field: FieldDefinition) -> Choices | None:
    if field.origin is Literal:
        return Choices(tuple(str(value) for value in field.args))
    if isinstance(field.annotation, type) and issubclass(field.annotation, Enum):
        return Choices(tuple(str(member.value) for member in field.annotation))
    return None


_BY_TYPE: list[tuple[type, Callable[[str], object]]] = [
    (bool, boolean),  # before int: a bool is an int
    (datetime, instant),  # before date: a datetime is a date
    (date, day),
    (int, whole),
    (uuid.UUID, identifier),
]


def declared(field: FieldDefinition) -> Declared:
    """The check a parameter of this declared type gets."""
    rules = [meta for meta in field.metadata if isinstance(meta, Rule)]
    if field.is_optional:
        inner = [t for t in field.inner_types if t.annotation is not type(None)]
        if len(inner) == 1:
            field = inner[0]
    many = field.is_non_string_sequence
    if many and field.inner_types:
        field = field.inner_types[0]
    if rules:
        return Declared(rules[0].check, many)
    choices = _choices(field)
    if choices is not None:
        return Declared(choices, many)
    for kind, check in _BY_TYPE:
        if field.is_subclass_of(kind):
            return Declared(check, many)
    return Declared(None, many)


def query_parameters(handler: BaseRouteHandler, path_names: Iterable[str]) -> dict[str, Declared]:
    """The handler's query parameters by the name a client sends, with their checks."""
    dependencies = handler.resolve_dependencies()
    skipped = {*RESERVED_KWARGS, *dependencies, *path_names}
    found: dict[str, Declared] = {}
    for name, field in handler.parsed_fn_signature.parameters.items():
        kwarg = field.kwarg_definition
        if name in skipped or (kwarg is not None and not isinstance(kwarg, ParameterKwarg)):
            continue
        if isinstance(kwarg, ParameterKwarg):
            if kwarg.param_type is not ParamType.QUERY or kwarg.header or kwarg.cookie:
                continue
            name = kwarg.name or kwarg.query or name
        found[name] = declared(field)
    return found


def _shown(name: str) -> str:
    """A parameter name fit to be repeated in an error: control characters escaped."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", name)


def check_path(path_params: dict[str, Any]) -> None:
    for name, value in path_params.items():
        if isinstance(value, str) and (problem := text_problem(value)) is not None:
            raise Invalid(name, problem)


def check_query(query_string: bytes, parameters: dict[str, Declared]) -> bytes | None:
    """Raise Invalid for the first parameter that breaks its rule. Returns the query string
    with comma-separated values of list parameters sent as repeated ones, or None when
    there was nothing to split."""
    pairs = parse_qsl(query_string.decode("latin-1"), keep_blank_values=True, separator="&")
    given: dict[str, list[str]] = {}
    for name, value in pairs:
        if (problem := text_problem(name)) is not None:
            raise Invalid(_shown(name), f"the parameter's name {problem}")
        if (problem := text_problem(value)) is not None:
            raise Invalid(name, problem)
        given.setdefault(name, []).append(value)
    split: dict[str, list[str]] = {}
    for name, values in given.items():
        parameter = parameters.get(name)
        if parameter is None or parameter.check is None:
            continue
        if parameter.many:
            pieces = [piece.strip() for value in values for piece in value.split(",")]
            pieces = [piece for piece in pieces if piece]
            if pieces != values:
                split[name] = pieces
            values = pieces
        elif len(values) > 1:
            raise Invalid(name, f"takes one value, not {len(values)}")
        if not values or "" in values:
            raise Invalid(name, "is empty; leave the parameter out instead")
        for value in values:
            try:
                parameter.check(value)
            except ValueError as exc:
                raise Invalid(name, str(exc)) from None
    if not split:
        return None
    rebuilt: list[tuple[str, str]] = []
    for name, value in pairs:
        if name not in split:
            rebuilt.append((name, value))
        elif split[name]:  # the first of a repeated name carries all of its pieces
            rebuilt += [(name, piece) for piece in split[name]]
            split[name] = []
    return urlencode(rebuilt, quote_via=quote).encode("latin-1")


class ParameterRules(ASGIMiddleware):
    """Refuses, before the handler runs, a request whose parameters break the rules above."""

    scopes = ("http",)

    def __init__(self) -> None:
        self._parameters: dict[BaseRouteHandler, dict[str, Declared]] = {}

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        try:
            self._check(scope)
        except Invalid as refused:
            # Answered here rather than raised: a raise would skip what the middleware outside
            # this one adds to the answer (its request id) on its way to the outermost handler.
            request: Request = Request(scope, receive)
            response = handle_domain_error(request, refused)
            await response.to_asgi_response(app=None, request=request)(scope, receive, send)
            return
        await next_app(scope, receive, send)

    def _check(self, scope: Scope) -> None:
        path_params = scope.get("path_params") or {}
        check_path(path_params)
        query_string = scope.get("query_string", b"")
        if query_string:
            handler = scope["route_handler"]
            parameters = self._parameters.get(handler)
            if parameters is None:
                parameters = self._parameters[handler] = query_parameters(handler, path_params)
            rebuilt = check_query(query_string, parameters)
            if rebuilt is not None:
                scope["query_string"] = rebuilt
