"""Accepting agent batches: decode (gzip too), validate, correct clock skew, deduplicate.

A batch is checked whole before anything is kept, so a rejected batch leaves
nothing behind. Accepted batches go to the workers as arq jobs; the answer
is 202 once the job is queued. A batch id seen in the last day is answered
as a duplicate, so an agent's resend after a lost answer stores nothing twice.
"""

from __future__ import annotations

import re
import uuid
import zlib
from collections.abc import Callable, Sequence
from contextlib import suppress
from datetime import datetime, timedelta
from typing import Any, TypeVar

import msgspec
from arq import ArqRedis
from litestar import Request
from redis.exceptions import RedisError

from watchdeck.db.base import utcnow
from watchdeck.errors import DomainError, Invalid, Unavailable

T = TypeVar("T")

MAX_DECOMPRESSED = 16 * 1024 * 1024
MAX_COMPRESSED = 4 * 1024 * 1024
SKEW_TOLERANCE = timedelta(seconds=2)
FUTURE_TOLERANCE = timedelta(minutes=1)
DEDUP_TTL_S = 24 * 3600


class TooLarge(DomainError):
    status_code = 413
    code = "too_large"


def decode_batch(body: bytes, content_encoding: str | None, batch_type: type[T]) -> T:
    """The batch in `body`, or a 4xx naming the offending field."""
    if (content_encoding or "").strip().lower() == "gzip":
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        try:
            body = inflater.decompress(body, MAX_DECOMPRESSED + 1)
        except zlib.error:
            raise DomainError("the body is not valid gzip") from None
        if len(body) > MAX_DECOMPRESSED or inflater.unconsumed_tail:
            raise TooLarge(f"a batch may hold at most {MAX_DECOMPRESSED // 2**20} MiB of JSON")
    try:
        return msgspec.json.decode(body, type=batch_type)
    except msgspec.ValidationError as exc:
        message, _, where = str(exc).partition(" - at `$")
        field = where.rstrip("`").lstrip(".") or "body"
        raise Invalid(field, message) from None
    except msgspec.DecodeError:
        raise DomainError("the body is not valid JSON") from None


def clock_offset(sent_at: datetime, received_at: datetime) -> timedelta:
    """How far the agent's clock is behind ours; zero when within tolerance."""
    offset = received_at - sent_at
    return offset if abs(offset) > SKEW_TOLERANCE else timedelta(0)


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


_SAFE = re.compile(r"[^A-Za-z0-9_-]")


async def hand_over(
    arq: ArqRedis, team_id: uuid.UUID, kind: str, batch_id: str, job: str, *args: object
) -> bool:
    """Queue `job` for a new batch; False when this batch id was already taken."""
    key = f"ingest:{kind}:{team_id}:{_SAFE.sub('', batch_id)}"
    unavailable = Unavailable("cannot queue the batch right now; send it again later")
    try:
        if not await arq.set(key, 1, nx=True, ex=DEDUP_TTL_S):
            return False
    except (RedisError, OSError):
        raise unavailable from None
    try:
        queued = await arq.enqueue_job(job, *args, _job_id=key)
    except (RedisError, OSError):
        with suppress(RedisError, OSError):
            await arq.delete(key)  # so the agent's resend is not taken for a duplicate
        raise unavailable from None
    if queued is None:  # a job with this id is already waiting: same batch
        return False
    return True


async def read_batch(
    request: Request,
    batch_type: type[T],
    items: Callable[[T], Sequence[Any]],
    field: str,
    retention: timedelta,
) -> tuple[T, list[datetime]]:
    """Decode a batch and return it with its items' times corrected for clock skew.

    Raises a 4xx naming the field for a malformed batch or an out-of-range time.
    """
    received_at = utcnow()
    batch = decode_batch(await request.body(), request.headers.get("content-encoding"), batch_type)
    offset = clock_offset(batch.sent_at, received_at)  # type: ignore[attr-defined]
    times = [item.at + offset for item in items(batch)]
    check_times(times, field, received_at, retention)
    return batch, times
