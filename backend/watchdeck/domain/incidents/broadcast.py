"""What people's changes to incidents tell the real-time layer, published after the commit.

| kind | data |
| --- | --- |
| `incident.opened` | the incident (IncidentOut without its timeline) + `incident_id` + `entries` |
| `incident.updated` | the same, after an edit, acknowledge, resolve or reopen |
| `incident.comment` | the comment (CommentOut, carries `incident_id`), when written or edited |
| `incident.comment_deleted` | `{incident_id, comment_id}` |

`entries` are the timeline entries the change added, so an open incident page
can append them without refetching. `incident_id` lets a reconnecting client
catch up per incident (see watchdeck.platform.events.subject).
"""

from __future__ import annotations

import uuid
from typing import Any

import msgspec
from redis.asyncio import Redis

from watchdeck.domain.incidents.schemas import CommentOut, IncidentOut, TimelineEntryOut
from watchdeck.platform.events import publish


async def incident_changed(
    redis: Redis,
    team_id: uuid.UUID,
    kind: str,
    incident: IncidentOut,
    entries: list[TimelineEntryOut],
) -> None:
    data: dict[str, Any] = msgspec.to_builtins(msgspec.structs.replace(incident, timeline=None))
    data["incident_id"] = data["id"]
    data["entries"] = msgspec.to_builtins(entries)
    await publish(redis, team_id, kind, data)


async def comment_written(redis: Redis, team_id: uuid.UUID, comment: CommentOut) -> None:
    await publish(redis, team_id, "incident.comment", msgspec.to_builtins(comment))


async def comment_deleted(
    redis: Redis, team_id: uuid.UUID, incident_id: uuid.UUID, comment_id: uuid.UUID
) -> None:
    data = {"incident_id": str(incident_id), "comment_id": str(comment_id)}
    await publish(redis, team_id, "incident.comment_deleted", data)
