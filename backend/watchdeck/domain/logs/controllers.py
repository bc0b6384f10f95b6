"""Log search. Thin routes."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from litestar import Controller, get
from litestar.params import FromQuery, QueryParameter

from watchdeck.domain.accounts.auth import Caller
from watchdeck.domain.accounts.roles import VIEWER
from watchdeck.domain.logs import search
from watchdeck.domain.logs.schemas import Level, LogPage
from watchdeck.platform.dependencies import Db
from watchdeck.platform.pagination import SerialBefore

# The levels search.find knows, as a type, so an unknown one is refused with the list.


class LogController(Controller):
    path = "/api/v1/logs"
    tags = ["logs"]

    @get("", opt=VIEWER)
    async def find_logs(
        self,
        db: Db,
        principal: Caller,
        q: FromQuery[str | None] = None,
        level: FromQuery[list[Level] | None] = None,
        host_id: FromQuery[uuid.UUID | None] = None,
        service_id: FromQuery[uuid.UUID | None] = None,
        source: FromQuery[str | None] = None,
        start: Annotated[datetime | None, QueryParameter(name="from")] = None,
        end: Annotated[datetime | None, QueryParameter(name="to")] = None,
        before: SerialBefore = None,
        limit: Annotated[int, QueryParameter(ge=1, le=500)] = 100,
    ) -> LogPage:
        """Log lines newest first. `q`: words, "a phrase", prefix*; `level`: one or more
        (repeated or comma-separated)."""
        return await search.find(
            db,
            principal.team_id,
            q=q,
            levels=level,
            host_id=host_id,
            service_id=service_id,
            source=source,
            start=start,
            end=end,
            before=before,
            limit=limit,
        )
