"""Log search, and the ingest route agents ship lines to."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Annotated

import msgspec
from litestar import Controller, Request, get, post
from litestar.params import FromQuery, QueryParameter
from litestar.status_codes import HTTP_202_ACCEPTED

from watchdeck.deps import Caller, Config, Db, Jobs
from watchdeck.domain.accounts.roles import AGENT, VIEWER
from watchdeck.domain.hosts import registry
from watchdeck.domain.hosts.ingest import MAX_COMPRESSED, hand_over, read_batch
from watchdeck.domain.hosts.schemas import IngestAccepted, LogsBatch
from watchdeck.domain.logs import search
from watchdeck.domain.logs.schemas import LogPage
from watchdeck.domain.services.catalog import services_of_team
from watchdeck.platform.errors import Invalid


class LogController(Controller):
    path = "/api/v1/logs"
    tags = ["logs"]

    @get("", opt=VIEWER)
    async def find_logs(
        self,
        db: Db,
        principal: Caller,
        q: FromQuery[str | None] = None,
        level: FromQuery[str | None] = None,
        host_id: FromQuery[uuid.UUID | None] = None,
        service_id: FromQuery[uuid.UUID | None] = None,
        source: FromQuery[str | None] = None,
        start: Annotated[datetime | None, QueryParameter(name="from")] = None,
        end: Annotated[datetime | None, QueryParameter(name="to")] = None,
        before: FromQuery[str | None] = None,
        limit: Annotated[int, QueryParameter(ge=1, le=500)] = 100,
    ) -> LogPage:
        """Log lines newest first. `q`: words, "a phrase", prefix*; `level`: comma-separated."""
        return await search.find(
            db,
            principal.team_id,
            q=q,
            levels=[v.strip() for v in level.split(",") if v.strip()] if level else None,
            host_id=host_id,
            service_id=service_id,
            source=source,
            start=start,
            end=end,
            before=before,
            limit=limit,
        )


class LogIngestController(Controller):
    path = "/api/v1/ingest"
    tags = ["ingest"]
    request_max_body_size = MAX_COMPRESSED

    @post("/logs", opt=AGENT, status_code=HTTP_202_ACCEPTED)
    async def logs(
        self, request: Request, db: Db, principal: Caller, jobs: Jobs, settings: Config
    ) -> IngestAccepted:
        """A batch of log lines from an agent (JSON, gzip allowed); 202 once queued."""
        retention = timedelta(days=settings.log_retention_days)
        batch, times = await read_batch(request, LogsBatch, lambda b: b.lines, "lines", retention)
        hostname = batch.agent.hostname if batch.agent else None
        host = await registry.host_for_agent(db, principal.team_id, principal.api_key_id, hostname)
        named = {line.service_id for line in batch.lines if line.service_id is not None}
        known = await services_of_team(db, principal.team_id, named)
        for index, line in enumerate(batch.lines):
            if line.service_id is not None and line.service_id not in known:
                raise Invalid(f"lines[{index}].service_id", "no such service in this team")
        rows = [
            (
                principal.team_id,
                at,
                line.level,
                host.id,
                line.service_id,
                line.source or host.name,
                line.message.replace("\x00", ""),
                msgspec.json.encode(line.attributes).decode() if line.attributes else None,
            )
            for at, line in zip(times, batch.lines, strict=True)
        ]
        queued = await hand_over(
            jobs,
            principal.team_id,
            "logs",
            batch.batch_id,
            "store_logs",
            str(principal.team_id),
            rows,
        )
        return IngestAccepted(accepted=len(rows) if queued else 0, duplicate=not queued)
