"""What accounts tell the domains above them, so that accounts imports none of them.

A new team starts with other domains' defaults (alerts: the default rules). Each
registers a listener at start-up (watchdeck.wiring); accounts calls them inside the
transaction that creates the team, so a team never exists without them.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from sqlalchemy.ext.asyncio import AsyncSession

# (session, the new team's id); adds rows, never commits
TeamCreated = Callable[[AsyncSession, uuid.UUID], None]

_team_created: list[TeamCreated] = []


def on_team_created(listener: TeamCreated) -> None:
    if listener not in _team_created:
        _team_created.append(listener)


def team_created(session: AsyncSession, team_id: uuid.UUID) -> None:
    for listener in _team_created:
        listener(session, team_id)
