"""Wire types of the three ingest routes: the batches agents and services push."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

import msgspec

from watchdeck.domain.logs.schemas import Level

# Bounds also refuse NaN and infinities, which compare false to everything.
Percent = Annotated[float, msgspec.Meta(ge=0, le=100)]
Rate = Annotated[float, msgspec.Meta(ge=0, le=1e13)]
Load = Annotated[float, msgspec.Meta(ge=0, le=1e6)]
Bytes = Annotated[int, msgspec.Meta(ge=0, le=2**62)]
BatchId = Annotated[str, msgspec.Meta(min_length=8, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]
# Text from agents may not hold NUL characters either (PostgreSQL can't store them): ingest's
# decode_batch refuses them once per batch, cheaper than a pattern on every string.
Short = Annotated[str, msgspec.Meta(max_length=255)]
# An agent's times must say their zone, or clock correction would have nothing to go by.
Moment = Annotated[datetime, msgspec.Meta(tz=True)]
AttributeKey = Annotated[str, msgspec.Meta(min_length=1, max_length=100)]
AttributeText = Annotated[str, msgspec.Meta(max_length=2048)]


class AgentInfo(msgspec.Struct):
    version: Annotated[str, msgspec.Meta(max_length=32)]
    hostname: Annotated[str, msgspec.Meta(min_length=1, max_length=255)]
    os: Annotated[str, msgspec.Meta(max_length=32)] = ""


class DiskSample(msgspec.Struct):
    mount: Short
    used_bytes: Bytes
    total_bytes: Bytes
    percent: Percent


class MetricSample(msgspec.Struct, kw_only=True):
    at: Moment
    cpu_percent: Percent
    cpu_per_core: Annotated[list[Percent], msgspec.Meta(max_length=1024)] = []
    load1: Load = 0
    load5: Load = 0
    load15: Load = 0
    mem_used_bytes: Bytes
    mem_total_bytes: Bytes
    mem_percent: Percent
    swap_used_bytes: Bytes = 0
    swap_percent: Percent = 0
    disks: Annotated[list[DiskSample], msgspec.Meta(max_length=64)] = []
    disk_read_bps: Rate = 0
    disk_write_bps: Rate = 0
    net_rx_bps: Rate = 0
    net_tx_bps: Rate = 0
    uptime_s: Bytes = 0
    processes: Annotated[int, msgspec.Meta(ge=0, le=10_000_000)] = 0


class MetricsBatch(msgspec.Struct):
    batch_id: BatchId
    sent_at: Moment
    agent: AgentInfo
    samples: Annotated[list[MetricSample], msgspec.Meta(min_length=1, max_length=500)]


class LogLineIn(msgspec.Struct):
    at: Moment
    message: Annotated[str, msgspec.Meta(max_length=8192)]
    source: Short = ""
    level: Level | None = None
    # The team's service the line is about, when it is about one (found with ?service_id=).
    service_id: uuid.UUID | None = None
    attributes: Annotated[
        dict[AttributeKey, AttributeText | int | float | bool | None],
        msgspec.Meta(max_length=50),
    ] = {}


class LogsBatch(msgspec.Struct):
    batch_id: BatchId
    sent_at: Moment
    lines: Annotated[list[LogLineIn], msgspec.Meta(min_length=1, max_length=2000)]
    agent: AgentInfo | None = None


class ServiceSample(msgspec.Struct):
    service_id: uuid.UUID
    at: Moment
    requests: Annotated[int, msgspec.Meta(ge=0, le=1_000_000_000)]
    errors: Annotated[int, msgspec.Meta(ge=0, le=1_000_000_000)]
    latency_p95_ms: Annotated[float, msgspec.Meta(ge=0, le=3_600_000)] | None = None


class ServiceMetricsBatch(msgspec.Struct):
    batch_id: BatchId
    sent_at: Moment
    samples: Annotated[list[ServiceSample], msgspec.Meta(min_length=1, max_length=1000)]


ErrorClass = Literal[
    "timeout", "connect", "tls", "dns", "redirects", "status", "keyword", "json", "body",
    "loss", "answer", "other",
]  # fmt: skip
Figure = Annotated[str, msgspec.Meta(max_length=500)] | float | int | bool | None


class CheckResultIn(msgspec.Struct, kw_only=True):
    """One check an agent ran: what it found, as the server's own checks report it."""

    service_id: uuid.UUID
    at: Moment  # when the check started
    ok: bool
    degraded: bool = False
    status_code: Annotated[int, msgspec.Meta(ge=100, le=599)] | None = None
    latency_ms: Annotated[float, msgspec.Meta(ge=0, le=3_600_000)] | None = None
    error_class: ErrorClass | None = None
    error: Annotated[str, msgspec.Meta(max_length=500)] | None = None
    figures: Annotated[
        dict[AttributeKey, Figure | Annotated[list[Figure], msgspec.Meta(max_length=20)]],
        msgspec.Meta(max_length=20),
    ] = {}
    tls_expires_at: Moment | None = None


class ChecksBatch(msgspec.Struct):
    batch_id: BatchId
    sent_at: Moment
    agent: AgentInfo
    results: Annotated[list[CheckResultIn], msgspec.Meta(min_length=1, max_length=1000)]


class IngestAccepted(msgspec.Struct):
    accepted: int
    duplicate: bool = False


class MetricsAccepted(msgspec.Struct):
    accepted: int
    duplicate: bool
    # The version of what this team's agents run: when it moved, an agent fetches its
    # checks again.
    assignments: int
