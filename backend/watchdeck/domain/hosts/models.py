"""Hosts with agents, their metric samples (partitioned by day) and rollups."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import NamedTuple

from sqlalchemy import BigInteger, Column, DateTime, ForeignKey, Index, Integer, String, Table, Uuid
from sqlalchemy.dialects.postgresql import JSONB, REAL
from sqlalchemy.orm import Mapped, mapped_column

from watchdeck.db.base import Base, CreatedAt, UUIDPrimaryKey, str_enum
from watchdeck.platform.clock import utcnow


class HostStatus(StrEnum):
    pending = "pending"  # no sample yet
    online = "online"
    missing = "missing"  # no sample for `missing_after` intervals


class Host(UUIDPrimaryKey, CreatedAt, Base):
    __tablename__ = "hosts"

    team_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("teams.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(100))
    labels: Mapped[dict[str, str]] = mapped_column(JSONB, default=dict)
    agent_key_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("api_keys.id", ondelete="SET NULL"), unique=True
    )
    interval_s: Mapped[int] = mapped_column(default=5)  # how often its agent reports
    missing_after: Mapped[int] = mapped_column(default=6)  # silent intervals before MISSING
    status: Mapped[HostStatus] = mapped_column(
        str_enum(HostStatus, "host_status"), default=HostStatus.pending
    )
    status_changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime | None]
    hostname: Mapped[str | None] = mapped_column(String(255))
    agent_version: Mapped[str | None] = mapped_column(String(32))
    os: Mapped[str | None] = mapped_column(String(32))
    # The newest sample's headline figures, for the overview without touching the series.
    latest: Mapped[dict[str, float]] = mapped_column(JSONB, default=dict)


# Per-sample headline figures; `detail` keeps per-core and per-mount values.
METRICS = (
    "cpu", "load1", "load5", "load15", "mem_pct", "swap_pct", "disk_pct",
    "disk_read_bps", "disk_write_bps", "net_rx_bps", "net_tx_bps",
)  # fmt: skip

host_metrics = Table(
    "host_metrics",
    Base.metadata,
    Column("host_id", Uuid, nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    *(Column(name, REAL) for name in METRICS),
    Column("mem_used", BigInteger),
    Column("mem_total", BigInteger),
    Column("processes", Integer),
    Column("uptime_s", BigInteger),
    Column("detail", JSONB),
    Index("ix_host_metrics_host_id_at", "host_id", "at"),
    postgresql_partition_by="RANGE (at)",
)


def _rollup(name: str) -> Table:
    return Table(
        name,
        Base.metadata,
        Column("host_id", Uuid, primary_key=True),
        Column("bucket", DateTime(timezone=True), primary_key=True),
        Column("samples", Integer, nullable=False),
        *(Column(f"{metric}_{stat}", REAL) for metric in METRICS for stat in ("avg", "min", "max")),
        postgresql_partition_by="RANGE (bucket)",
    )


host_metrics_1m = _rollup("host_metrics_1m")
host_metrics_1h = _rollup("host_metrics_1h")


# One stored sample, in the column order of `host_metrics`: what ingest hands the worker.
MetricRow = NamedTuple(  # noqa: UP014  (the fields follow METRICS)
    "MetricRow",
    [
        ("host_id", uuid.UUID),
        ("at", datetime),
        *((name, float | None) for name in METRICS),
        ("mem_used", int | None),
        ("mem_total", int | None),
        ("processes", int | None),
        ("uptime_s", int | None),
        ("detail", str),
    ],
)
