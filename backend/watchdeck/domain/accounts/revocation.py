"""Telling every api process that some live connections lost their access.

A token is checked when a Socket.IO connection opens, and a connection outlives its
token. So whatever ends access (signing out, a revoked sign-in, a password change or
reset, a removed member, a changed role, a revoked API key) announces it once it is
committed, on a Redis channel of its own; every api process drops the connections it
names (realtime/relay.py), whichever process made the change. Team events keep their
own channel, so an announcement takes no place in a team's event sequence.
"""

from __future__ import annotations

import uuid
from enum import StrEnum

import msgspec
from redis.asyncio import Redis

from watchdeck.domain.accounts import key_cache
from watchdeck.platform import keys


class Scope(StrEnum):
    """Which connections an announcement reaches."""

    sign_in = "sign_in"  # one sign-in: `id` is its refresh-token family
    user = "user"  # every sign-in of a person, in every team: `id` is the user
    membership = "membership"  # a person's connections to `team_id`: `id` is the user
    api_key = "api_key"  # connections made with one API key: `id` is the key


class Reason(StrEnum):
    signed_out = "signed_out"
    sign_in_revoked = "sign_in_revoked"  # a used refresh token came back: it leaked
    password_changed = "password_changed"
    removed = "removed"
    role_changed = "role_changed"
    key_revoked = "key_revoked"


class Revocation(msgspec.Struct, frozen=True):
    scope: Scope
    id: uuid.UUID
    reason: Reason
    team_id: uuid.UUID | None = None


_encoder = msgspec.json.Encoder()
_decoder = msgspec.json.Decoder(Revocation)


async def announce(redis: Redis, revocation: Revocation) -> None:
    """Ask every api process to drop the connections `revocation` names.

    Call once the change is committed: a connection that opens from then on is refused
    by the database, and every one opened before is in a room this announcement reaches.
    """
    forget(revocation)  # here at once; other processes when the announcement reaches them
    await redis.publish(keys.ACCESS_CHANNEL, _encoder.encode(revocation))


def forget(revocation: Revocation) -> None:
    """Drop what this process cached for a revoked key (key_cache.py)."""
    if revocation.scope is Scope.api_key:
        key_cache.forget_key(revocation.id)


def decode(raw: bytes) -> Revocation:
    return _decoder.decode(raw)
