"""Rendered status pages kept in Redis for a few seconds.

A page is read by many people at once during an outage, exactly when the database
is busiest; each page is built once per few seconds however many read it, and a
reader who sends back its ETag gets 304. Editing a page forgets its copy at once.
"""

from __future__ import annotations

import gzip
import hashlib
from collections.abc import Iterable

import msgspec
from redis.asyncio import Redis

from watchdeck.platform import keys

FRESH_S = 10


class Rendered(msgspec.Struct, frozen=True):
    """One page's HTML and summary.json, each with its ETag and gzipped copy."""

    html: bytes
    html_gz: bytes
    html_etag: str
    json: bytes
    json_gz: bytes
    json_etag: str
    indexed: bool  # whether search engines may list the page


def etag(body: bytes) -> str:
    return '"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"'


def rendered(html: str, json: bytes, indexed: bool) -> Rendered:
    html_bytes = html.encode()
    return Rendered(
        html=html_bytes,
        html_gz=gzip.compress(html_bytes, 6),
        html_etag=etag(html_bytes),
        json=json,
        json_gz=gzip.compress(json, 6),
        json_etag=etag(json),
        indexed=indexed,
    )


_encoder = msgspec.msgpack.Encoder()
_decoder = msgspec.msgpack.Decoder(Rendered)


async def load(redis: Redis, slug: str) -> Rendered | None:
    raw = await redis.get(keys.status_page(slug))
    return None if raw is None else _decoder.decode(raw)


async def store(redis: Redis, slug: str, page: Rendered) -> None:
    await redis.set(keys.status_page(slug), _encoder.encode(page), ex=FRESH_S)


async def forget(redis: Redis, slugs: Iterable[str]) -> None:
    names = [keys.status_page(slug) for slug in slugs]
    if names:
        await redis.delete(*names)
