"""Incident routes: reading, opening by hand, triage, resolving, comments, figures. Thin."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from litestar import Controller, delete, get, patch, post
from litestar.params import Body, FromPath, FromQuery, JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK

from watchdeck.domain.accounts.auth import Caller
from watchdeck.domain.accounts.roles import ADMIN, DEVELOPER, VIEWER
from watchdeck.domain.incidents import comments, queries, stats, workflow
from watchdeck.domain.incidents.models import IncidentSource, IncidentStatus
from watchdeck.domain.incidents.schemas import (
    CommentIn,
    CommentOut,
    CommentPatch,
    IncidentIn,
    IncidentOut,
    IncidentPage,
    IncidentPatch,
    IncidentStats,
    NoteIn,
)
from watchdeck.platform.dependencies import Cache, Db
from watchdeck.platform.pagination import Before
from watchdeck.platform.vocabulary import Severity

Start = Annotated[datetime | None, QueryParameter(name="from")]
End = Annotated[datetime | None, QueryParameter(name="to")]
OptionalNote = Annotated[NoteIn | None, Body(description="an optional `note`")]


class IncidentController(Controller):
    path = "/api/v1/incidents"
    tags = ["incidents"]

    @get("", opt=VIEWER)
    async def list_incidents(
        self,
        db: Db,
        principal: Caller,
        status: FromQuery[list[IncidentStatus] | None] = None,
        severity: FromQuery[list[Severity] | None] = None,
        source: FromQuery[list[IncidentSource] | None] = None,
        service_id: FromQuery[uuid.UUID | None] = None,
        host_id: FromQuery[uuid.UUID | None] = None,
        start: Start = None,
        end: End = None,
        before: Before = None,
        limit: Annotated[int, QueryParameter(ge=1, le=200)] = 50,
    ) -> IncidentPage:
        """Incidents newest first; `status`, `severity`, `source` take several values
        (repeated or comma-separated), `from`/`to` bound the opening time; pass
        `next_cursor` as `before` for older ones."""
        return await queries.page(
            db,
            principal.team_id,
            statuses=status,
            severities=severity,
            sources=source,
            service_id=service_id,
            host_id=host_id,
            start=start,
            end=end,
            before=before,
            limit=limit,
        )

    @post("", opt=DEVELOPER)
    async def open_incident(
        self, data: JSONBody[IncidentIn], db: Db, principal: Caller, redis: Cache
    ) -> IncidentOut:
        """Open an incident by hand."""
        return await workflow.open_incident(db, redis, principal, data)

    @get("/stats", opt=VIEWER)
    async def incident_stats(
        self, db: Db, principal: Caller, start: Start = None, end: End = None
    ) -> IncidentStats:
        """Counts by severity and status, MTTA and MTTR in seconds, and the same per ISO week,
        for incidents opened in [`from`, `to`) (default: the last 90 days)."""
        return await stats.incident_stats(db, principal.team_id, start, end)

    @get("/{incident_id:uuid}", opt=VIEWER)
    async def get_incident(
        self, incident_id: FromPath[uuid.UUID], db: Db, principal: Caller
    ) -> IncidentOut:
        """An incident with its timeline."""
        return await queries.detail(db, principal.team_id, incident_id)

    @patch("/{incident_id:uuid}", opt=DEVELOPER)
    async def update_incident(
        self,
        incident_id: FromPath[uuid.UUID],
        data: JSONBody[IncidentPatch],
        db: Db,
        principal: Caller,
        redis: Cache,
    ) -> IncidentOut:
        """Edit title, description, severity, assignee; `status: investigating` acknowledges.
        Resolving and reopening are POST /resolve and /reopen (admins)."""
        return await workflow.update(db, redis, principal, incident_id, data)

    @post("/{incident_id:uuid}/resolve", opt=ADMIN, status_code=HTTP_200_OK)
    async def resolve_incident(
        self,
        incident_id: FromPath[uuid.UUID],
        db: Db,
        principal: Caller,
        redis: Cache,
        data: OptionalNote = None,
    ) -> IncidentOut:
        """Resolve, with an optional `note`; the duration goes on the timeline."""
        note = data.note if data else None
        return await workflow.resolve(db, redis, principal, incident_id, note)

    @post("/{incident_id:uuid}/reopen", opt=ADMIN, status_code=HTTP_200_OK)
    async def reopen_incident(
        self,
        incident_id: FromPath[uuid.UUID],
        db: Db,
        principal: Caller,
        redis: Cache,
        data: OptionalNote = None,
    ) -> IncidentOut:
        """Reopen a resolved incident, with an optional `note`."""
        note = data.note if data else None
        return await workflow.reopen(db, redis, principal, incident_id, note)

    @get("/{incident_id:uuid}/comments", opt=VIEWER)
    async def list_comments(
        self, incident_id: FromPath[uuid.UUID], db: Db, principal: Caller
    ) -> list[CommentOut]:
        """The incident's comments, oldest first."""
        return await queries.comments(db, principal.team_id, incident_id)

    @post("/{incident_id:uuid}/comments", opt=DEVELOPER)
    async def add_comment(
        self,
        incident_id: FromPath[uuid.UUID],
        data: JSONBody[CommentIn],
        db: Db,
        principal: Caller,
        redis: Cache,
    ) -> CommentOut:
        """Comment (Markdown, 1–10,000 characters)."""
        return await comments.add(db, redis, principal, incident_id, data.body)

    @patch("/{incident_id:uuid}/comments/{comment_id:uuid}", opt=DEVELOPER)
    async def edit_comment(
        self,
        incident_id: FromPath[uuid.UUID],
        comment_id: FromPath[uuid.UUID],
        data: JSONBody[CommentPatch],
        db: Db,
        principal: Caller,
        redis: Cache,
    ) -> CommentOut:
        """Change the text of your own comment."""
        return await comments.edit(db, redis, principal, incident_id, comment_id, data)

    @delete("/{incident_id:uuid}/comments/{comment_id:uuid}", opt=DEVELOPER)
    async def delete_comment(
        self,
        incident_id: FromPath[uuid.UUID],
        comment_id: FromPath[uuid.UUID],
        db: Db,
        principal: Caller,
        redis: Cache,
    ) -> None:
        """Delete your own comment; admins may delete any."""
        await comments.delete(db, redis, principal, incident_id, comment_id)
