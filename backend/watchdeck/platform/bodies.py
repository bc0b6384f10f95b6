"""Reading a JSON request body: the one place every route's `data` comes through.

In order, each step refusing with an error that names where it found the fault:

1. the media type: `application/json` (or `application/<x>+json`), else 415;
2. the nesting depth, counted before decoding so a body 100,000 levels deep costs a scan,
   not a recursion (400);
3. the JSON itself (400);
4. platform/reading.py: the text rules on every string and key, labels stripped, then the
   route's type, converted strictly: `"60"` is not 60 and `0` is not `false` (422).

Query strings have their own rules, in platform/parameters.py.
"""

from __future__ import annotations

import re
from itertools import accumulate
from typing import Any

import msgspec
from litestar import Request

from watchdeck.platform.errors import DomainError
from watchdeck.platform.reading import read

MAX_DEPTH = 32

_STRINGS = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")


class UnsupportedMediaType(DomainError):
    status_code = 415
    code = "unsupported_media_type"


def _is_json(content_type: str) -> bool:
    kind, _, subtype = content_type.split(";")[0].strip().lower().partition("/")
    return kind == "application" and (subtype == "json" or subtype.endswith("+json"))


def _depth(body: bytes) -> int:
    brackets = _STRINGS.sub(b"", body).translate(None, _NOT_BRACKETS)
    steps = (1 if byte in b"[{" else -1 for byte in brackets)
    return max(accumulate(steps, initial=0))


def read_json(body: bytes, content_type: str, target: Any) -> Any:
    """`body` as an instance of `target`, or the 4xx saying what is wrong with it."""
    if not _is_json(content_type):
        raise UnsupportedMediaType(
            "send the body as JSON, with `Content-Type: application/json`",
            {"content-type": "must be application/json"},
        )
    if _depth(body) > MAX_DEPTH:
        raise DomainError(
            f"the body nests deeper than {MAX_DEPTH} levels",
            {"body": f"nested deeper than {MAX_DEPTH} levels"},
        )
    try:
        value = msgspec.json.decode(body)
    except msgspec.DecodeError as error:
        raise DomainError(
            f"the body is not valid JSON: {error}", {"body": "not valid JSON"}
        ) from None
    return read(value, target)


class JsonRequest(Request):
    """Litestar's request with `json()` read by `read_json` against the route's `data` type."""

    async def json(self) -> Any:
        parameter = self.route_handler.parsed_fn_signature.parameters.get("data")
        target = parameter.annotation if parameter is not None else Any
        return read_json(await self.body(), self.headers.get("content-type", ""), target)
