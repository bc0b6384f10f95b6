"""Reading a pushed batch: decode (gzip too), validate whole, correct clock skew.

A batch is checked whole before anything is kept, so a rejected batch leaves nothing
behind; a 4xx names the field.
"""

from __future__ import annotations

import json
import math
import zlib
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any, TypeVar

import msgspec
from litestar import Request

from watchdeck.platform import reading
from watchdeck.platform.clock import utcnow
from watchdeck.platform.errors import DomainError, Invalid

T = TypeVar("T")

MAX_DECOMPRESSED = 16 * 1024 * 1024
MAX_COMPRESSED = 4 * 1024 * 1024
SKEW_TOLERANCE = timedelta(seconds=2)
FUTURE_TOLERANCE = timedelta(minutes=1)


class TooLarge(DomainError):
    status_code = 413
    code = "too_large"


def decode_batch(body: bytes, content_encoding: str | None, batch_type: type[T]) -> T:
    """The batch in `body`, or a 4xx naming the offending field."""
    if (content_encoding or "").strip().lower() == "gzip":
        body = _gunzip(body)
    try:
        batch = msgspec.json.decode(body, type=batch_type)
    except msgspec.ValidationError as exc:
        path, why = reading.explain(str(exc), batch_type)
        raise Invalid(reading.name(path, "body", ""), why) from None
    except msgspec.DecodeError:
        if field := _non_finite_field(body):
            raise Invalid(field, "must be a finite number, not NaN or infinity") from None
        raise DomainError("the body is not valid JSON") from None
    # JSON can carry a NUL only escaped, so a batch without the escape needs no walk.
    if b"\\u0000" in body and (field := _nul_field(batch, "")):
        raise Invalid(field, "must not contain NUL characters")
    return batch


def _nul_field(value: Any, path: str) -> str | None:
    """Where the first text holding a NUL sits in a decoded batch, named as msgspec names
    fields. Log messages are left out: their NULs are stripped when stored, not refused."""
    if isinstance(value, str):
        return path if "\x00" in value else None
    if isinstance(value, msgspec.Struct):
        for name in value.__struct_fields__:
            if name != "message":
                found = _nul_field(getattr(value, name), f"{path}.{name}" if path else name)
                if found:
                    return found
    elif isinstance(value, list):
        for index, item in enumerate(value):
            if found := _nul_field(item, f"{path}[{index}]"):
                return found
    elif isinstance(value, dict):
        for key, item in value.items():
            if "\x00" in key:
                return f"{path}[key]"
            if found := _nul_field(item, f"{path}[...]"):
                return found
    return None


def _gunzip(body: bytes) -> bytes:
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        body = inflater.decompress(body, MAX_DECOMPRESSED + 1)
    except zlib.error:
        raise DomainError("the body is not valid gzip") from None
    if len(body) > MAX_DECOMPRESSED or inflater.unconsumed_tail:
        raise TooLarge(f"a batch may hold at most {MAX_DECOMPRESSED // 2**20} MiB of JSON")
    if not inflater.eof:  # cut short: what came through is not known to be the whole batch
        raise DomainError("the body is not valid gzip: it ends before the gzip stream does")
    return body


def _non_finite_field(body: bytes) -> str | None:
    """Where the first NaN or infinity sits, for JSON that is only invalid because of them.

    Python's json writes these as bare `NaN` / `Infinity`, which strict JSON (and
    msgspec) refuse without saying where; this finds the field to name.
    """
    if b"NaN" not in body and b"Infinity" not in body:
        return None
    try:
        document = json.loads(body)
    except (ValueError, RecursionError):
        return None
    pending: list[tuple[str, Any]] = [("", document)]
    while pending:
        path, value = pending.pop()
        if isinstance(value, float) and not math.isfinite(value):
            return path or "body"
        if isinstance(value, dict):
            pending.extend(
                (f"{path}.{key}" if path else str(key), item)
                for key, item in reversed(value.items())
            )
        elif isinstance(value, list):
            pending.extend((f"{path}[{i}]", item) for i, item in reversed(list(enumerate(value))))
    return None


def clock_offset(sent_at: datetime, received_at: datetime) -> timedelta:
    """How far the agent's clock is behind ours; zero when within tolerance."""
    offset = received_at - sent_at
    return offset if abs(offset) > SKEW_TOLERANCE else timedelta(0)


def corrected_times(times: list[datetime], offset: timedelta, field: str) -> list[datetime]:
    """`times` moved by the agent's clock offset; a time that leaves the calendar is refused."""
    corrected = []
    for index, at in enumerate(times):
        try:
            corrected.append(at + offset)
        except OverflowError:
            raise Invalid(f"{field}[{index}].at", "is out of range") from None
    return corrected


def check_times(
    times: list[datetime], field: str, received_at: datetime, retention: timedelta
) -> None:
    """Refuse (naming the item) timestamps in the future or older than the retention."""
    for index, at in enumerate(times):
        if at.tzinfo is None:
            raise Invalid(f"{field}[{index}].at", "needs a time zone (use UTC, ending in Z)")
        if at > received_at + FUTURE_TOLERANCE:
            raise Invalid(f"{field}[{index}].at", "is in the future, even after clock correction")
        if at < received_at - retention:
            raise Invalid(
                f"{field}[{index}].at", f"is older than the {retention.days}-day retention"
            )


def parse_batch(
    body: bytes,
    content_encoding: str | None,
    batch_type: type[T],
    items: Callable[[T], Sequence[Any]],
    field: str,
    retention: timedelta,
    received_at: datetime,
) -> tuple[T, list[datetime]]:
    """Decode a batch and return it with its items' times corrected for clock skew.

    Raises a 4xx naming the field for a malformed batch or an out-of-range time.
    """
    batch = decode_batch(body, content_encoding, batch_type)
    offset = clock_offset(batch.sent_at, received_at)  # type: ignore[attr-defined]
    times = corrected_times([item.at for item in items(batch)], offset, field)
    check_times(times, field, received_at, retention)
    return batch, times


async def read_batch(
    request: Request,
    batch_type: type[T],
    items: Callable[[T], Sequence[Any]],
    field: str,
    retention: timedelta,
) -> tuple[T, list[datetime]]:
    """`parse_batch` over the request's body, as received now."""
    received_at = utcnow()
    body = await request.body()
    encoding = request.headers.get("content-encoding")
    return parse_batch(body, encoding, batch_type, items, field, retention, received_at)
