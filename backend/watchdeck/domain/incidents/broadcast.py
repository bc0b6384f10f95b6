"""What people's changes to incidents tell the real-time layer, published after the commit.

| kind | data (incidents/events.py) |
| --- | --- |
| `incident.opened` | IncidentChanged |
| `incident.updated` | IncidentChanged, after an edit, acknowledge, resolve or reopen |
| `incident.comment` | the comment (CommentOut, carries `incident_id`), when written or edited |
| `incident.comment_deleted` | CommentDeleted |

Incidents opened and resolved automatically (lifecycle.py) carry IncidentChanged too.
"""

from __future__ import annotations

import uuid

from redis.asyncio import Redis

from watchdeck.domain.incidents.events import CommentDeleted, incident_event
from watchdeck.domain.incidents.schemas import CommentOut, IncidentOut, TimelineEntryOut
from watchdeck.platform.events import EventKind, publish, publish_many


async def incident_changed(
    redis: Redis,
    team_id: uuid.UUID,
    kind: EventKind,
    incident: IncidentOut,
    entries: list[TimelineEntryOut],
) -> None:
    await publish_many(redis, [incident_event(team_id, kind, incident, entries)])


async def comment_written(redis: Redis, team_id: uuid.UUID, comment: CommentOut) -> None:
    await publish(redis, team_id, EventKind.incident_comment, comment)


async def comment_deleted(
    redis: Redis, team_id: uuid.UUID, incident_id: uuid.UUID, comment_id: uuid.UUID
) -> None:
    data = CommentDeleted(incident_id, comment_id)
    await publish(redis, team_id, EventKind.incident_comment_deleted, data)
