"""Rendered status pages kept in Redis for a few seconds.

A page is read by many people at once during an outage, exactly when the database
is busiest; each view of a page (its HTML, summary.json, history, feeds…) is built once
per few seconds however many read it, and a reader who sends back its ETag gets 304.
Editing a page, publishing to it or a change of state forgets all its views at once.

All of a page's views live in one Redis hash, so forgetting is one DEL; each view
carries the time it was built and is not served once older than FRESH_S, whatever the
hash's own expiry (which only keeps Redis tidy). Each api process also holds what it
fetched for a second, so a crowd costs Redis one read per view per second rather than
one per request; a change made through this process is seen by it at once, by the
others within that second.
"""

from __future__ import annotations

import gzip
import hashlib
import time
import uuid
from collections.abc import Iterable
from typing import TypeVar

import msgspec
from redis.asyncio import Redis

from watchdeck.platform import keys

FRESH_S = 10


class Cached(msgspec.Struct, frozen=True):
    """One view's body, gzipped copy and ETag."""

    body: bytes
    gzipped: bytes
    etag: str
    built_at: float


class Meta(msgspec.Struct, frozen=True):
    """What serving any view of a page needs before the view itself: who may read it."""

    page_id: uuid.UUID
    team_id: uuid.UUID
    slug: str
    access: str
    allowed_ips: list[str]
    # Changes whenever the password does, so a remembered unlock ends with the old password.
    password_version: str | None
    indexed: bool
    logo_type: str | None
    built_at: float


def etag(body: bytes) -> str:
    return '"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"'


def cached(body: bytes) -> Cached:
    return Cached(body=body, gzipped=gzip.compress(body, 6), etag=etag(body), built_at=time.time())


_encoder = msgspec.msgpack.Encoder()
_view_decoder = msgspec.msgpack.Decoder(Cached)
_meta_decoder = msgspec.msgpack.Decoder(Meta)
_META = "meta"


HELD_S = 1.0
_MAX_HELD = 2000  # views held per process; slugs are chosen by callers
# (slug, view) -> (when fetched, monotonic; the view). Kept past HELD_S as the copy to
# serve while a rebuild of it runs (`stale`), until the page is forgotten.
_held: dict[tuple[str, str], tuple[float, Cached | Meta]] = {}


def _fresh(built_at: float) -> bool:
    return time.time() - built_at < FRESH_S


def _hold(slug: str, view: str, value: Cached | Meta) -> None:
    if len(_held) >= _MAX_HELD:
        _held.clear()
    _held[(slug, view)] = (time.monotonic(), value)


def _still_held(slug: str, view: str) -> Cached | Meta | None:
    held = _held.get((slug, view))
    if held is None or time.monotonic() - held[0] >= HELD_S or not _fresh(held[1].built_at):
        return None
    return held[1]


def stale(slug: str, view: str) -> Cached | None:
    """The last copy of the view this process had, however old (a rebuild is running)."""
    held = _held.get((slug, view))
    return held[1] if held is not None and isinstance(held[1], Cached) else None


_Held = TypeVar("_Held", Cached, Meta)


async def _load(
    redis: Redis,
    slug: str,
    view: str,
    decoder: msgspec.msgpack.Decoder[_Held],
    kind: type[_Held],
) -> _Held | None:
    held = _still_held(slug, view)
    if isinstance(held, kind):
        return held
    raw = await redis.hget(keys.status_page(slug), view)
    if raw is None:
        return None
    found = decoder.decode(raw)
    if not _fresh(found.built_at):
        return None
    _hold(slug, view, found)
    return found


async def load(redis: Redis, slug: str, view: str) -> Cached | None:
    return await _load(redis, slug, view, _view_decoder, Cached)


async def store(redis: Redis, slug: str, view: str, value: Cached | Meta) -> None:
    _hold(slug, view, value)
    name = keys.status_page(slug)
    async with redis.pipeline(transaction=False) as pipe:
        pipe.hset(name, view, _encoder.encode(value))
        pipe.expire(name, FRESH_S * 3)
        await pipe.execute()


async def load_meta(redis: Redis, slug: str) -> Meta | None:
    return await _load(redis, slug, _META, _meta_decoder, Meta)


async def store_meta(redis: Redis, meta: Meta) -> None:
    await store(redis, meta.slug, _META, meta)


def drop_held(slugs: Iterable[str] | None = None) -> None:
    """Let go of the copies this process holds of these pages (of all: Redis was emptied
    under it)."""
    if slugs is None:
        _held.clear()
        return
    gone = set(slugs)
    for held in [key for key in _held if key[0] in gone]:
        del _held[held]


async def forget(redis: Redis, slugs: Iterable[str]) -> None:
    gone = set(slugs)
    drop_held(gone)
    if gone:
        await redis.delete(*(keys.status_page(slug) for slug in gone))
