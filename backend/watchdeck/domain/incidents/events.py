"""What the incidents domain tells the real-time layer (realtime/catalogue.py lists every event).

`incident.comment` carries the comment as the API returns it (CommentOut).
"""

from __future__ import annotations

import uuid

import msgspec

from watchdeck.domain.incidents.schemas import IncidentOut, TimelineEntryOut
from watchdeck.platform.events import Event, EventKind


class IncidentChanged(IncidentOut, kw_only=True):
    """`incident.opened` / `incident.updated` / `incident.resolved`, whoever made the change:
    the incident as the API returns it, `timeline` null.

    `entries` are the timeline entries the change added, so an open incident page can append
    them without refetching; `incident_id` lets a reconnecting client catch up per incident
    (see watchdeck.platform.events.subject).
    """

    incident_id: uuid.UUID
    entries: list[TimelineEntryOut]


class CommentDeleted(msgspec.Struct):
    incident_id: uuid.UUID
    comment_id: uuid.UUID


class Viewer(msgspec.Struct):
    user_id: str
    name: str


class Presence(msgspec.Struct):
    incident_id: str
    viewers: list[Viewer]


class Typing(msgspec.Struct):
    incident_id: str
    user_id: str
    name: str
    typing: bool


def incident_event(
    team_id: uuid.UUID, kind: EventKind, incident: IncidentOut, entries: list[TimelineEntryOut]
) -> Event:
    fields = msgspec.structs.asdict(incident) | {"timeline": None}
    data = IncidentChanged(**fields, incident_id=incident.id, entries=entries)
    return Event(team_id=team_id, kind=kind, data=data)
