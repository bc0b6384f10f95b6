"""Incident routes (reading; the collaboration routes build on these)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from litestar import Controller, get
from litestar.params import FromPath, FromQuery, QueryParameter

from watchdeck.deps import Caller, Db
from watchdeck.domain.accounts.roles import VIEWER
from watchdeck.domain.incidents import queries
from watchdeck.domain.incidents.models import IncidentStatus
from watchdeck.domain.incidents.schemas import IncidentOut, IncidentPage


class IncidentController(Controller):
    path = "/api/v1/incidents"
    tags = ["incidents"]

    @get("", opt=VIEWER)
    async def list_incidents(
        self,
        db: Db,
        principal: Caller,
        status: FromQuery[IncidentStatus | None] = None,
        service_id: FromQuery[uuid.UUID | None] = None,
        before: FromQuery[datetime | None] = None,
        limit: Annotated[int, QueryParameter(ge=1, le=200)] = 50,
    ) -> IncidentPage:
        """Incidents, newest first; pass `next_cursor` as `before` for older ones."""
        return await queries.page(db, principal.team_id, status, service_id, before, limit)

    @get("/{incident_id:uuid}", opt=VIEWER)
    async def get_incident(
        self, incident_id: FromPath[uuid.UUID], db: Db, principal: Caller
    ) -> IncidentOut:
        """An incident with its timeline."""
        return await queries.detail(db, principal.team_id, incident_id)
