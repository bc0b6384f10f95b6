"""Agent keys this process checked lately, so an agent's push needs no database round trip.

Agents push every few seconds, and each push would otherwise read its key (and its host)
from PostgreSQL. An entry is kept `TTL_S` at most; a revocation drops it at once in the
process that revoked and, through the announcement on Redis, in every other api process
within milliseconds (revocation.py, realtime/relay.py). An api that lost Redis forgets
everything, since it may have missed announcements.
"""

from __future__ import annotations

import time
import uuid
from typing import Generic, TypeVar

T = TypeVar("T")

TTL_S = 60.0


class KeyCache(Generic[T]):
    """Values looked up for an agent key, forgotten when the key is revoked or after TTL_S."""

    def __init__(self, ttl_s: float = TTL_S) -> None:
        self.ttl_s = ttl_s
        self._entries: dict[object, tuple[float, uuid.UUID, T]] = {}

    def get(self, lookup: object) -> T | None:
        entry = self._entries.get(lookup)
        if entry is None:
            return None
        if time.monotonic() - entry[0] > self.ttl_s:
            del self._entries[lookup]
            return None
        return entry[2]

    def put(self, lookup: object, key_id: uuid.UUID, value: T) -> None:
        self._entries[lookup] = (time.monotonic(), key_id, value)

    def forget_key(self, key_id: uuid.UUID) -> None:
        for lookup in [k for k, entry in self._entries.items() if entry[1] == key_id]:
            del self._entries[lookup]

    def clear(self) -> None:
        self._entries.clear()


_caches: list[KeyCache] = []


def cache() -> KeyCache:
    """A new cache whose entries every revocation in this process reaches."""
    made: KeyCache = KeyCache()
    _caches.append(made)
    return made


def forget_key(key_id: uuid.UUID) -> None:
    for each in _caches:
        each.forget_key(key_id)


def forget_all() -> None:
    for each in _caches:
        each.clear()
