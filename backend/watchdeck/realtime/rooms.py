"""Which rooms a caller may join: only entities of their own team."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from watchdeck.domain.accounts.auth import Principal
from watchdeck.domain.accounts.revocation import Revocation, Scope
from watchdeck.domain.hosts.models import Host
from watchdeck.domain.incidents.models import Incident
from watchdeck.domain.services.models import Service

_ENTITIES = {"service": Service, "host": Host, "incident": Incident}


def team_room(team_id: uuid.UUID | str) -> str:
    return f"team:{team_id}"


def scoped(room: str, team_id: uuid.UUID | str) -> str:
    """Rooms are namespaced by team, so equal names in two teams never meet."""
    return f"{team_id}/{room}"


# Rooms that let a revocation find a connection. None starts with "<team id>/" as every
# room a client names does (see `scoped`), so no client can leave one to stay connected.


def access_rooms(principal: Principal) -> list[str]:
    """The rooms a connection of `principal` joins so that revoking its access reaches it."""
    if principal.api_key_id is not None:
        return [f"api-key:{principal.api_key_id}"]
    return [
        f"user:{principal.user_id}",
        f"member:{principal.team_id}:{principal.user_id}",
        f"sign-in:{principal.session_id}",
    ]


def revoked_room(revocation: Revocation) -> str:
    """The room holding the connections that `revocation` ends; matches `access_rooms`."""
    match revocation.scope:
        case Scope.api_key:
            return f"api-key:{revocation.id}"
        case Scope.user:
            return f"user:{revocation.id}"
        case Scope.membership:
            return f"member:{revocation.team_id}:{revocation.id}"
        case Scope.sign_in:
            return f"sign-in:{revocation.id}"


async def may_join(session: AsyncSession, principal: Principal, room: str) -> bool:
    if room == "logs":
        return True
    kind, _, raw_id = room.partition(":")
    model = _ENTITIES.get(kind)
    try:
        entity_id = uuid.UUID(raw_id)
    except ValueError:
        return False
    if model is None:
        return False
    found = await session.scalar(
        select(model.id).where(model.id == entity_id, model.team_id == principal.team_id)
    )
    return found is not None
