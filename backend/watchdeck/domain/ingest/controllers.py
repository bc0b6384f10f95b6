"""The three routes agents and services push to. Thin routes."""

from __future__ import annotations

from datetime import timedelta

from litestar import Controller, Request, post
from litestar.status_codes import HTTP_202_ACCEPTED

from watchdeck.domain.accounts.auth import Caller
from watchdeck.domain.accounts.roles import AGENT
from watchdeck.domain.ingest import accept
from watchdeck.domain.ingest.decoding import MAX_COMPRESSED, read_batch
from watchdeck.domain.ingest.schemas import (
    IngestAccepted,
    LogsBatch,
    MetricsBatch,
    ServiceMetricsBatch,
)
from watchdeck.platform.dependencies import Config, Db, Jobs


class IngestController(Controller):
    path = "/api/v1/ingest"
    tags = ["ingest"]
    request_max_body_size = MAX_COMPRESSED

    @post("/metrics", opt=AGENT, status_code=HTTP_202_ACCEPTED)
    async def metrics(
        self, request: Request, db: Db, principal: Caller, jobs: Jobs, settings: Config
    ) -> IngestAccepted:
        """A batch of host samples from an agent (JSON, gzip allowed); 202 once queued."""
        await request.app.state.database_watch.require()
        retention = timedelta(days=settings.metrics_raw_retention_days)
        batch, times = await read_batch(
            request, MetricsBatch, lambda b: b.samples, "samples", retention
        )
        return await accept.accept_metrics(
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
