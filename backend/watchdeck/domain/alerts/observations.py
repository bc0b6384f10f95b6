"""What other domains hand the alert engine, and where its sweep reads what it measures.

Services and hosts sit above alerts: they pass Observations of their subjects to
`evaluator.evaluate` inside the transaction that stores the data. The conditions
measured over a window (latency, error rate, TLS expiry) and host absence are
read by the periodic sweep instead, from a source each of those domains provides
at start-up (watchdeck.wiring), so alerts never reads their tables.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from watchdeck.domain.alerts.models import AlertRule, Condition
from watchdeck.platform.events import Event
from watchdeck.platform.vocabulary import TargetKind


@dataclass(frozen=True)
class Subject:
    """A service or host, as much of it as rules need to match and messages need to name."""

    id: uuid.UUID
    team_id: uuid.UUID
    kind: TargetKind
    name: str
    tags: tuple[str, ...] = ()
    labels: Mapping[str, str] = field(default_factory=dict)
    host_id: uuid.UUID | None = None  # the host a service runs on


@dataclass(frozen=True)
class Observation:
    subject: Subject
    condition: Condition
    value: float
    at: datetime


@dataclass
class Effects:
    """What the caller does once its transaction commits: publish, and flush channels."""

    events: list[Event] = field(default_factory=list)
    channels: set[uuid.UUID] = field(default_factory=set)

    def add(self, other: Effects) -> None:
        self.events.extend(other.events)
        self.channels |= other.channels


# (session, the enabled swept rules for this kind of subject, as of) -> what they measure
Source = Callable[[AsyncSession, list[AlertRule], datetime], Awaitable[list[Observation]]]

_sources: dict[TargetKind, Source] = {}


def provide(kind: TargetKind, source: Source) -> None:
    _sources[kind] = source


async def swept(
    session: AsyncSession, kind: TargetKind, rules: list[AlertRule], now: datetime
) -> list[Observation]:
    try:
        source = _sources[kind]
    except KeyError:
        raise RuntimeError(f"nothing provides {kind} observations; see watchdeck.wiring") from None
    return await source(session, rules, now)
