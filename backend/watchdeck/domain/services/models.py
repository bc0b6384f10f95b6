"""Monitored services, their check results (partitioned by day), hourly rollups and
maintenance windows."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Table,
    Text,
    Uuid,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, REAL
from sqlalchemy.orm import Mapped, mapped_column

from watchdeck.db.base import Base, CreatedAt, UUIDPrimaryKey, str_enum
from watchdeck.platform.clock import utcnow
from watchdeck.platform.vocabulary import Severity


class ServiceKind(StrEnum):
    http = "http"  # Watchdeck requests the URL on a schedule
    push = "push"  # the service (a cron job, something behind NAT) calls Watchdeck
    tcp = "tcp"  # a TCP connect to host:port, optionally a payload and an expected reply
    ping = "ping"  # ICMP echoes to host: packet loss and round trips
    dns = "dns"  # a DNS query for a record of `host`, optionally through a named server
    tls = "tls"  # the certificate at host:port: trusted, naming the host, not expiring


# Kinds probed on a schedule (a push monitor is only looked at when its ping is late).
PROBED_KINDS = frozenset(
    {ServiceKind.http, ServiceKind.tcp, ServiceKind.ping, ServiceKind.dns, ServiceKind.tls}
)


class DnsMatch(StrEnum):
    any = "any"  # at least one expected value is among the answers
    all = "all"  # every expected value is


class RunFrom(StrEnum):
    server = "server"  # the workers check it
    host = "host"  # the agent of one host (`run_host_id`)
    labels = "labels"  # the agent of every host carrying all of `run_labels`


# Kinds an agent can run (a push monitor is pinged, not run).
AGENT_KINDS = PROBED_KINDS


class ServiceStatus(StrEnum):
    pending = "pending"  # no verdict yet
    up = "up"
    degraded = "degraded"  # answering, but slower than its latency threshold
    down = "down"
    paused = "paused"


class Service(UUIDPrimaryKey, CreatedAt, Base):
    __tablename__ = "services"

    team_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("teams.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[ServiceKind] = mapped_column(str_enum(ServiceKind, "service_kind"))
    url: Mapped[str | None] = mapped_column(String(2048))
    method: Mapped[str] = mapped_column(String(8), default="GET")
    headers: Mapped[dict[str, str]] = mapped_column(JSONB, default=dict)
    body: Mapped[str | None] = mapped_column(Text)
    interval_s: Mapped[int]
    timeout_s: Mapped[float] = mapped_column(Float)
    expected_statuses: Mapped[str] = mapped_column(String(200), default="200-299")
    keyword: Mapped[str | None] = mapped_column(String(500))
    keyword_absent: Mapped[bool] = mapped_column(default=False)
    json_path: Mapped[str | None] = mapped_column(String(300))
    json_expected: Mapped[str | None] = mapped_column(String(500))
    latency_threshold_ms: Mapped[int | None]
    failures_before_down: Mapped[int] = mapped_column(default=2)
    successes_before_up: Mapped[int] = mapped_column(default=1)
    follow_redirects: Mapped[bool] = mapped_column(default=True)
    verify_tls: Mapped[bool] = mapped_column(default=True)
    tls_warn_days: Mapped[int] = mapped_column(default=14)
    # tcp, ping, tls: the host (name or address) to reach; dns: the name to query.
    host: Mapped[str | None] = mapped_column(String(255))
    port: Mapped[int | None]
    ping_count: Mapped[int] = mapped_column(SmallInteger, default=3)
    loss_threshold_pct: Mapped[float] = mapped_column(Float, default=50.0)
    dns_record_type: Mapped[str] = mapped_column(String(8), default="A")
    dns_server: Mapped[str | None] = mapped_column(String(262))  # host[:port]; none: system's
    dns_expected: Mapped[list[str]] = mapped_column(ARRAY(String(500)), default=list)
    dns_match: Mapped[DnsMatch] = mapped_column(
        str_enum(DnsMatch, "dns_match"), default=DnsMatch.any
    )
    tags: Mapped[list[str]] = mapped_column(ARRAY(String(50)), default=list)
    # The host it runs on: a "host missing" alert can then cover this service's alerts.
    host_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("hosts.id", ondelete="SET NULL"), index=True
    )
    enabled: Mapped[bool] = mapped_column(default=True)
    severity: Mapped[Severity] = mapped_column(
        str_enum(Severity, "severity"), default=Severity.high
    )
    push_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    grace_s: Mapped[int] = mapped_column(default=60)
    # The secret part of the service's public badge addresses; none: no badges.
    badge_key: Mapped[str | None] = mapped_column(String(32), unique=True)
    run_from: Mapped[RunFrom] = mapped_column(str_enum(RunFrom, "run_from"), default=RunFrom.server)
    run_host_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("hosts.id", ondelete="SET NULL"), index=True
    )
    run_labels: Mapped[dict[str, str]] = mapped_column(JSONB, default=dict)
    # How many failing locations make it DOWN; none: one of one, else a majority.
    quorum: Mapped[int | None] = mapped_column(SmallInteger)
    # Current state, kept by the result writer.
    status: Mapped[ServiceStatus] = mapped_column(
        str_enum(ServiceStatus, "service_status"), default=ServiceStatus.pending
    )
    status_changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    consecutive_failures: Mapped[int] = mapped_column(default=0)
    consecutive_successes: Mapped[int] = mapped_column(default=0)
    last_check_at: Mapped[datetime | None]
    last_latency_ms: Mapped[float | None] = mapped_column(Float)
    last_status_code: Mapped[int | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    tls_expires_at: Mapped[datetime | None]
    # The latest check's figures of its kind: ping loss and round trips, DNS answers, ...
    last_figures: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class ServiceLocation(Base):
    """A service as one agent sees it: the location's own health, kept by the result writer.
    The service's status is the quorum over its locations."""

    __tablename__ = "service_locations"

    service_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("services.id", ondelete="CASCADE"), primary_key=True
    )
    host_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("hosts.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    status: Mapped[ServiceStatus] = mapped_column(
        str_enum(ServiceStatus, "service_status"), default=ServiceStatus.pending
    )
    status_changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    consecutive_failures: Mapped[int] = mapped_column(default=0)
    consecutive_successes: Mapped[int] = mapped_column(default=0)
    last_check_at: Mapped[datetime | None]
    last_latency_ms: Mapped[float | None] = mapped_column(Float)
    last_status_code: Mapped[int | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    last_figures: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)


# One row per check. Partitioned by day (see db/partitions.py), so old days are
# dropped whole; written with COPY in batches, read by (service_id, at).
checks = Table(
    "checks",
    Base.metadata,
    Column("service_id", Uuid, nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("ok", Boolean, nullable=False),
    Column("degraded", Boolean, nullable=False, default=False),
    Column("muted", Boolean, nullable=False, default=False),  # inside a maintenance window
    Column("status_code", SmallInteger),
    Column("latency_ms", REAL),
    Column("error_class", String(16)),
    Column("error", Text),
    # The agent's host that ran it; none: the server.
    Column("host_id", Uuid),
    # Reached the server after it could still move the status (an agent that was offline).
    Column("late", Boolean, nullable=False, default=False),
    Index("ix_checks_service_id_at", "service_id", "at"),
    postgresql_partition_by="RANGE (at)",
)


# Each service's uptime over the last 24 h, refreshed with the hourly rollups, so the
# overview list reads one row per service.
service_uptime = Table(
    "service_uptime",
    Base.metadata,
    Column("service_id", Uuid, ForeignKey("services.id", ondelete="CASCADE"), primary_key=True),
    Column("uptime_24h", Float),
)

# Hourly aggregates of `checks`, kept far longer than the raw rows; uptime and
# long-range latency series read from here.
check_hourly = Table(
    "check_hourly",
    Base.metadata,
    Column("service_id", Uuid, primary_key=True),
    Column("hour", DateTime(timezone=True), primary_key=True),
    Column("total", Integer, nullable=False),  # checks outside maintenance
    Column("failures", Integer, nullable=False),
    Column("degraded", Integer, nullable=False),
    Column("latency_avg", REAL),
    Column("latency_p50", REAL),
    Column("latency_p95", REAL),
    Column("latency_max", REAL),
)


# Each UTC day's sums of `check_hourly`, refreshed with it: 90 days of daily bars read 90 rows
# per service rather than 2,160.
check_daily = Table(
    "check_daily",
    Base.metadata,
    Column("service_id", Uuid, primary_key=True),
    Column("day", Date, primary_key=True),
    Column("total", Integer, nullable=False),
    Column("failures", Integer, nullable=False),
    # Sum over the day's hours of mean latency × checks, and the checks that had a latency:
    # their quotient is the day's mean.
    Column("latency_sum", Float),
    Column("timed", Integer, nullable=False),
)


class MaintenanceWindow(UUIDPrimaryKey, CreatedAt, Base):
    """A time when status changes are muted and checks leave uptime alone.

    One-off: `starts_at`..`ends_at`. Recurring: an RFC 5545 `rrule` whose
    occurrences start at `starts_at`'s local time in `timezone` and last
    `duration_min`.
    """

    __tablename__ = "maintenance_windows"

    team_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("teams.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(100))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime | None]
    rrule: Mapped[str | None] = mapped_column(String(500))
    duration_min: Mapped[int | None]
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    service_ids: Mapped[list[uuid.UUID]] = mapped_column(ARRAY(Uuid), default=list)  # empty: all
    # Shown on the status pages that show any of its services, under its public title.
    public: Mapped[bool] = mapped_column(default=False)
    public_title: Mapped[str | None] = mapped_column(String(200))
    public_body: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )

    def details(self) -> dict[str, Any]:
        return {"name": self.name, "timezone": self.timezone}


# Request count and error rate that services push about themselves.
service_metrics = Table(
    "service_metrics",
    Base.metadata,
    Column("service_id", Uuid, nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("requests", Integer, nullable=False),
    Column("errors", Integer, nullable=False),
    Column("latency_p95_ms", REAL),
    Index("ix_service_metrics_service_id_at", "service_id", "at"),
    postgresql_partition_by="RANGE (at)",
)
