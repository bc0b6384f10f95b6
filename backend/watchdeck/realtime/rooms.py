"""Which rooms a caller may join: only entities of their own team."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from watchdeck.domain.accounts.auth import Principal
from watchdeck.domain.hosts.models import Host
from watchdeck.domain.incidents.models import Incident
from watchdeck.domain.services.models import Service

_ENTITIES = {"service": Service, "host": Host, "incident": Incident}


def team_room(team_id: uuid.UUID | str) -> str:
    return f"team:{team_id}"


def scoped(room: str, team_id: uuid.UUID | str) -> str:
    """Rooms are namespaced by team, so equal names in two teams never meet."""
    return f"{team_id}/{room}"


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
