"""What incidents and alerts are about, found without importing the domains that own it.

Services and hosts sit above incidents and alerts (they open incidents and feed
alerts), so those lower domains cannot import them to check that a subject
exists. Each owner registers its lookup once at start-up (watchdeck.wiring), and
incidents and alerts ask through here.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Collection

from sqlalchemy.ext.asyncio import AsyncSession

from watchdeck.platform.vocabulary import TargetKind

# (session, team or None for any team, ids) -> the ids among them that exist
Existing = Callable[
    [AsyncSession, uuid.UUID | None, Collection[uuid.UUID]], Awaitable[set[uuid.UUID]]
]

_owners: dict[TargetKind, Existing] = {}


def provide(kind: TargetKind, existing: Existing) -> None:
    _owners[kind] = existing


async def existing(
    session: AsyncSession,
    kind: TargetKind,
    team_id: uuid.UUID | None,
    ids: Collection[uuid.UUID],
) -> set[uuid.UUID]:
    """Which of `ids` are subjects of `kind` that exist (in `team_id`, when given)."""
    if not ids:
        return set()
    try:
        owner = _owners[kind]
    except KeyError:
        raise RuntimeError(f"nothing provides {kind} subjects; see watchdeck.wiring") from None
    return await owner(session, team_id, ids)


async def exists(
    session: AsyncSession, kind: TargetKind, team_id: uuid.UUID, subject_id: uuid.UUID
) -> bool:
    return subject_id in await existing(session, kind, team_id, [subject_id])
