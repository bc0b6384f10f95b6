"""The routes agents and services push to, and the one agents learn their checks from.
Thin routes."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from litestar import Controller, Request, get, post
from litestar.params import Parameter
from litestar.status_codes import HTTP_202_ACCEPTED

from watchdeck.domain.accounts.auth import Caller
from watchdeck.domain.accounts.roles import AGENT
from watchdeck.domain.hosts import assignments, registry
from watchdeck.domain.ingest import accept
from watchdeck.domain.ingest.decoding import MAX_COMPRESSED, read_batch
from watchdeck.domain.ingest.schemas import (
    ChecksBatch,
    IngestAccepted,
    LogsBatch,
    MetricsAccepted,
    MetricsBatch,
    ServiceMetricsBatch,
)
from watchdeck.domain.services import locations
from watchdeck.domain.services.schemas import Assignments
from watchdeck.platform.dependencies import Cache, Config, Db, Jobs


class IngestController(Controller):
    path = "/api/v1/ingest"
    tags = ["ingest"]
    request_max_body_size = MAX_COMPRESSED

    @post("/metrics", opt=AGENT, status_code=HTTP_202_ACCEPTED)
    async def metrics(
        self,
        request: Request,
        db: Db,
        principal: Caller,
        jobs: Jobs,
        redis: Cache,
        settings: Config,
    ) -> MetricsAccepted:
        """A batch of host samples from an agent (JSON, gzip allowed); 202 once queued.
        `assignments` is the version of the checks agents run (`GET /api/v1/agent/assignments`)."""
        await request.app.state.database_watch.require()
        retention = timedelta(days=settings.metrics_raw_retention_days)
        batch, times = await read_batch(
            request, MetricsBatch, lambda b: b.samples, "samples", retention
        )
        accepted = await accept.accept_metrics(
            db, jobs, principal.team_id, principal.api_key_id, batch, times
        )
        version = await assignments.version(redis, principal.team_id)
        return MetricsAccepted(accepted.accepted, accepted.duplicate, version)

    @post("/checks", opt=AGENT, status_code=HTTP_202_ACCEPTED)
    async def checks(
        self, request: Request, db: Db, principal: Caller, jobs: Jobs, settings: Config
    ) -> IngestAccepted:
        """Results of the checks an agent runs (JSON, gzip allowed); 202 once queued. A
        result that arrives more than two intervals after it was taken is stored as late and
        moves no status."""
        await request.app.state.database_watch.require()
        retention = timedelta(days=settings.metrics_raw_retention_days)
        batch, times = await read_batch(
            request, ChecksBatch, lambda b: b.results, "results", retention
        )
        return await accept.accept_checks(
            db, jobs, principal.team_id, principal.api_key_id, batch, times
        )

    @post("/logs", opt=AGENT, status_code=HTTP_202_ACCEPTED)
    async def logs(
        self, request: Request, db: Db, principal: Caller, jobs: Jobs, settings: Config
    ) -> IngestAccepted:
        """A batch of log lines from an agent (JSON, gzip allowed); 202 once queued."""
        await request.app.state.database_watch.require()
        retention = timedelta(days=settings.log_retention_days)
        batch, times = await read_batch(request, LogsBatch, lambda b: b.lines, "lines", retention)
        return await accept.accept_logs(
            db, jobs, principal.team_id, principal.api_key_id, batch, times
        )

    @post("/service-metrics", opt=AGENT, status_code=HTTP_202_ACCEPTED)
    async def service_metrics(
        self, request: Request, db: Db, principal: Caller, jobs: Jobs, settings: Config
    ) -> IngestAccepted:
        """Request counts and error counts services push about themselves; 202 once queued."""
        retention = timedelta(days=settings.metrics_1m_retention_days)
        batch, times = await read_batch(
            request, ServiceMetricsBatch, lambda b: b.samples, "samples", retention
        )
        return await accept.accept_service_metrics(db, jobs, principal.team_id, batch, times)


class AgentController(Controller):
    path = "/api/v1/agent"
    tags = ["ingest"]

    @get("/assignments", opt=AGENT)
    async def assigned_checks(
        self,
        db: Db,
        redis: Cache,
        principal: Caller,
        # As long as the hostname an agent's batches may carry (ingest/schemas.py Short).
        hostname: Annotated[str | None, Parameter(max_length=255)] = None,
    ) -> Assignments:
        """The checks the calling agent runs, with their settings, and their version.
        `hostname` names the host when the agent uses a team-wide key."""
        # Read before the checks, so a change in between is fetched again next time.
        version = await assignments.version(redis, principal.team_id)
        host = await registry.host_for_agent(db, principal.team_id, principal.api_key_id, hostname)
        return Assignments(version=version, checks=await locations.assigned_to(db, host.id))
