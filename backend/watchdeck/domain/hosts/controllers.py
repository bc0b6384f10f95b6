"""Hosts, their metrics, and the ingest routes agents push to. Thin routes."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Annotated

from litestar import Controller, Request, delete, get, patch, post
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_202_ACCEPTED
from sqlalchemy import select

from watchdeck.deps import Caller, Config, Db, Jobs
from watchdeck.domain.accounts.roles import ADMIN, AGENT, DEVELOPER, VIEWER
from watchdeck.domain.hosts import registry, series
from watchdeck.domain.hosts.ingest import MAX_COMPRESSED, hand_over, metric_row, read_batch
from watchdeck.domain.hosts.schemas import (
    HostCreated,
    HostIn,
    HostMetrics,
    HostOut,
    HostPatch,
    HostToken,
    IngestAccepted,
    MetricsBatch,
    ServiceMetricsBatch,
    TrafficSeries,
)
from watchdeck.domain.services.catalog import get as get_service
from watchdeck.domain.services.models import Service
from watchdeck.platform.errors import Invalid
from watchdeck.platform.ranges import RangeName, window


class HostController(Controller):
    path = "/api/v1/hosts"
    tags = ["hosts"]

    @get("", opt=VIEWER)
    async def list_hosts(self, db: Db, principal: Caller) -> list[HostOut]:
        return await registry.list_hosts(db, principal.team_id)

    @post("", opt=DEVELOPER)
    async def create_host(
        self, data: JSONBody[HostIn], db: Db, principal: Caller, settings: Config
    ) -> HostCreated:
        """Add a host; its agent token and a one-line install command are shown once."""
        return await registry.create(
            db, principal.team_id, principal.user_id, data, settings.base_url
        )

    @get("/{host_id:uuid}", opt=VIEWER)
    async def get_host(self, host_id: FromPath[uuid.UUID], db: Db, principal: Caller) -> HostOut:
        return registry.host_out(await registry.get(db, principal.team_id, host_id))

    @patch("/{host_id:uuid}", opt=DEVELOPER)
    async def update_host(
        self, host_id: FromPath[uuid.UUID], data: JSONBody[HostPatch], db: Db, principal: Caller
    ) -> HostOut:
        return await registry.update(db, principal.team_id, host_id, data)

    @delete("/{host_id:uuid}", opt=ADMIN)
    async def delete_host(self, host_id: FromPath[uuid.UUID], db: Db, principal: Caller) -> None:
        """Delete the host and revoke its agent token; its samples age out with retention."""
        await registry.delete(db, principal.team_id, host_id)

    @post("/{host_id:uuid}/token", opt=DEVELOPER, status_code=HTTP_200_OK)
    async def rotate_token(
        self, host_id: FromPath[uuid.UUID], db: Db, principal: Caller, settings: Config
    ) -> HostToken:
        """A new agent token; the old one stops working at once."""
        return await registry.rotate_token(
            db, principal.team_id, host_id, principal.user_id, settings.base_url
        )

    @get("/{host_id:uuid}/metrics", opt=VIEWER)
    async def host_metrics(
        self,
        host_id: FromPath[uuid.UUID],
        db: Db,
        principal: Caller,
        range_: Annotated[RangeName | None, QueryParameter(name="range")] = None,
        start: Annotated[datetime | None, QueryParameter(name="from")] = None,
        end: Annotated[datetime | None, QueryParameter(name="to")] = None,
        metrics: FromQuery[str | None] = None,
    ) -> HostMetrics:
        """CPU, load, memory, disk and network over `range` or `from`/`to`, ≤ ~1,000 points.

        `metrics` is a comma-separated subset of: cpu, load1, load5, load15,
        mem_pct, swap_pct, disk_pct, disk_read_bps, disk_write_bps, net_rx_bps, net_tx_bps.
        """
        host = await registry.get(db, principal.team_id, host_id)
        start, end = window(range_, start, end, default="1h")
        return await series.host_series(
            db, host.id, host.interval_s, start, end, series.parse_metrics(metrics)
        )


class TrafficController(Controller):
    path = "/api/v1/services"
    tags = ["services"]

    @get("/{service_id:uuid}/traffic", opt=VIEWER)
    async def traffic(
        self,
        service_id: FromPath[uuid.UUID],
        db: Db,
        principal: Caller,
        range_: Annotated[RangeName | None, QueryParameter(name="range")] = None,
        start: Annotated[datetime | None, QueryParameter(name="from")] = None,
        end: Annotated[datetime | None, QueryParameter(name="to")] = None,
    ) -> TrafficSeries:
        """Request count, error count and error rate the service pushed about itself."""
        service = await get_service(db, principal.team_id, service_id)
        start, end = window(range_, start, end)
        return await series.traffic_series(db, service.id, start, end)


class IngestController(Controller):
    path = "/api/v1/ingest"
    tags = ["ingest"]
    request_max_body_size = MAX_COMPRESSED

    @post("/metrics", opt=AGENT, status_code=HTTP_202_ACCEPTED)
    async def metrics(
        self, request: Request, db: Db, principal: Caller, jobs: Jobs, settings: Config
    ) -> IngestAccepted:
        """A batch of host samples from an agent (JSON, gzip allowed); 202 once queued."""
        retention = timedelta(days=settings.metrics_raw_retention_days)
        batch, times = await read_batch(
            request, MetricsBatch, lambda b: b.samples, "samples", retention
        )
        host = await registry.host_for_agent(
            db, principal.team_id, principal.api_key_id, batch.agent.hostname
        )
        rows = [
            metric_row(host.id, at, sample) for at, sample in zip(times, batch.samples, strict=True)
        ]
        agent = {
            "hostname": batch.agent.hostname,
            "version": batch.agent.version,
            "os": batch.agent.os,
        }
        queued = await hand_over(
            jobs,
            principal.team_id,
            "metrics",
            batch.batch_id,
            "store_metrics",
            str(host.id),
            agent,
            rows,
        )
        return IngestAccepted(accepted=len(rows) if queued else 0, duplicate=not queued)

    @post("/service-metrics", opt=AGENT, status_code=HTTP_202_ACCEPTED)
    async def service_metrics(
        self, request: Request, db: Db, principal: Caller, jobs: Jobs, settings: Config
    ) -> IngestAccepted:
        """Request counts and error counts services push about themselves; 202 once queued."""
        retention = timedelta(days=settings.metrics_1m_retention_days)
        batch, times = await read_batch(
            request, ServiceMetricsBatch, lambda b: b.samples, "samples", retention
        )
        ids = {sample.service_id for sample in batch.samples}
        known = set(
            await db.scalars(
                select(Service.id).where(Service.team_id == principal.team_id, Service.id.in_(ids))
            )
        )
        for index, sample in enumerate(batch.samples):
            if sample.service_id not in known:
                raise Invalid(f"samples[{index}].service_id", "no such service in this team")
            if sample.errors > sample.requests:
                raise Invalid(f"samples[{index}].errors", "cannot exceed requests")
        rows = [
            (s.service_id, at, s.requests, s.errors, s.latency_p95_ms)
            for at, s in zip(times, batch.samples, strict=True)
        ]
        queued = await hand_over(
            jobs,
            principal.team_id,
            "service-metrics",
            batch.batch_id,
            "store_service_metrics",
            rows,
        )
        return IngestAccepted(accepted=len(rows) if queued else 0, duplicate=not queued)
