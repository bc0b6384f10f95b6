"""What each ingest route does with a batch it has read: find the host or services it is
about, turn its items into the rows the storing domain takes, and hand it over."""

from __future__ import annotations

import uuid
from datetime import datetime

import msgspec
from arq import ArqRedis
from sqlalchemy.ext.asyncio import AsyncSession

from watchdeck.domain.hosts import registry
from watchdeck.domain.hosts.models import METRICS, MetricRow
from watchdeck.domain.ingest.handover import hand_over
from watchdeck.domain.ingest.schemas import (
    ChecksBatch,
    IngestAccepted,
    LogsBatch,
    MetricSample,
    MetricsBatch,
    ServiceMetricsBatch,
)
from watchdeck.domain.logs.jobs import LogRow
from watchdeck.domain.services import locations
from watchdeck.domain.services.catalog import services_of_team
from watchdeck.domain.services.probe import CheckResult, ErrorClass
from watchdeck.domain.services.results import AgentResult
from watchdeck.domain.services.traffic import TrafficRow
from watchdeck.platform.clock import utcnow
from watchdeck.platform.errors import Invalid

# An agent's result older than this many intervals when it arrives is kept for the record
# but moves no status: an agent back from a while offline must not replay old flips.
LATE_INTERVALS = 2


async def accept_metrics(
    db: AsyncSession,
    jobs: ArqRedis,
    team_id: uuid.UUID,
    api_key_id: uuid.UUID | None,
    batch: MetricsBatch,
    times: list[datetime],
) -> IngestAccepted:
    host = await registry.host_for_agent(db, team_id, api_key_id, batch.agent.hostname)
    rows = [
        metric_row(host.id, at, sample) for at, sample in zip(times, batch.samples, strict=True)
    ]
    agent = {"hostname": batch.agent.hostname, "version": batch.agent.version, "os": batch.agent.os}
    # msgpack, not arq's pickle of the rows: a fraction of the bytes and of the CPU.
    payload = msgspec.msgpack.encode(rows)
    queued = await hand_over(
        jobs, team_id, "metrics", batch.batch_id, "store_metrics", str(host.id), agent, payload
    )
    return IngestAccepted(accepted=len(rows) if queued else 0, duplicate=not queued)


async def accept_logs(
    db: AsyncSession,
    jobs: ArqRedis,
    team_id: uuid.UUID,
    api_key_id: uuid.UUID | None,
    batch: LogsBatch,
    times: list[datetime],
) -> IngestAccepted:
    hostname = batch.agent.hostname if batch.agent else None
    host = await registry.host_for_agent(db, team_id, api_key_id, hostname)
    named = {line.service_id for line in batch.lines if line.service_id is not None}
    known = await services_of_team(db, team_id, named)
    for index, line in enumerate(batch.lines):
        if line.service_id is not None and line.service_id not in known:
            raise Invalid(f"lines[{index}].service_id", "no such service in this team")
    rows = [
        LogRow(
            team_id,
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
        jobs, team_id, "logs", batch.batch_id, "store_logs", str(team_id), rows
    )
    return IngestAccepted(accepted=len(rows) if queued else 0, duplicate=not queued)


async def accept_service_metrics(
    db: AsyncSession,
    jobs: ArqRedis,
    team_id: uuid.UUID,
    batch: ServiceMetricsBatch,
    times: list[datetime],
) -> IngestAccepted:
    known = await services_of_team(db, team_id, {sample.service_id for sample in batch.samples})
    for index, sample in enumerate(batch.samples):
        if sample.service_id not in known:
            raise Invalid(f"samples[{index}].service_id", "no such service in this team")
        if sample.errors > sample.requests:
            raise Invalid(f"samples[{index}].errors", "cannot exceed requests")
    rows = [
        TrafficRow(s.service_id, at, s.requests, s.errors, s.latency_p95_ms)
        for at, s in zip(times, batch.samples, strict=True)
    ]
    queued = await hand_over(
        jobs, team_id, "service-metrics", batch.batch_id, "store_service_metrics", rows
    )
    return IngestAccepted(accepted=len(rows) if queued else 0, duplicate=not queued)


async def accept_checks(
    db: AsyncSession,
    jobs: ArqRedis,
    team_id: uuid.UUID,
    api_key_id: uuid.UUID | None,
    batch: ChecksBatch,
    times: list[datetime],
) -> IngestAccepted:
    """Results of checks an agent ran. Results of services it no longer runs (reassigned
    while they were on the way) are left out; another team's services are refused."""
    host = await registry.host_for_agent(db, team_id, api_key_id, batch.agent.hostname)
    named = {r.service_id for r in batch.results}
    known = await services_of_team(db, team_id, named)
    for index, item in enumerate(batch.results):
        if item.service_id not in known:
            raise Invalid(f"results[{index}].service_id", "no such service in this team")
    intervals = await locations.intervals_run_by(db, host.id, named)
    now = utcnow()
    rows = [
        AgentResult(
            CheckResult(
                service_id=str(item.service_id),
                at=at,
                ok=item.ok,
                degraded=item.degraded and item.ok,
                status_code=item.status_code,
                latency_ms=item.latency_ms,
                error_class=ErrorClass(item.error_class) if item.error_class else None,
                error=None if item.ok else (item.error or "failed").replace("\x00", ""),
                tls_expires_at=item.tls_expires_at,
                figures=item.figures,
            ),
            late=(now - at).total_seconds() > LATE_INTERVALS * intervals[item.service_id],
        )
        for at, item in zip(times, batch.results, strict=True)
        if item.service_id in intervals
    ]
    if not rows:
        return IngestAccepted(accepted=0)
    queued = await hand_over(
        jobs,
        team_id,
        "checks",
        batch.batch_id,
        "store_agent_checks",
        str(host.id),
        msgspec.msgpack.encode(rows),
    )
    return IngestAccepted(accepted=len(rows) if queued else 0, duplicate=not queued)


def metric_row(host_id: uuid.UUID, at: datetime, sample: MetricSample) -> MetricRow:
    """The `host_metrics` row of one sample."""
    disk_pct = max((d.percent for d in sample.disks), default=None)
    headline = {
        "cpu": sample.cpu_percent,
        "load1": sample.load1,
        "load5": sample.load5,
        "load15": sample.load15,
        "mem_pct": sample.mem_percent,
        "swap_pct": sample.swap_percent,
        "disk_pct": disk_pct,
        "disk_read_bps": sample.disk_read_bps,
        "disk_write_bps": sample.disk_write_bps,
        "net_rx_bps": sample.net_rx_bps,
        "net_tx_bps": sample.net_tx_bps,
    }
    detail = {
        "cpu_per_core": sample.cpu_per_core,
        "disks": [
            {"mount": d.mount, "percent": d.percent, "used": d.used_bytes, "total": d.total_bytes}
            for d in sample.disks
        ],
    }
    return MetricRow(
        host_id,
        at,
        *(headline[m] for m in METRICS),
        sample.mem_used_bytes,
        sample.mem_total_bytes,
        sample.processes,
        sample.uptime_s,
        msgspec.json.encode(detail).decode(),
    )
