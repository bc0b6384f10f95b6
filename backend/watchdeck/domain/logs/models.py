"""Log lines shipped by agents, partitioned by day, searchable by full text."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    Computed,
    DateTime,
    Identity,
    Index,
    String,
    Table,
    Text,
    Uuid,
)
from sqlalchemy.dialects.postgresql import JSONB, TSVECTOR

from watchdeck.db.base import Base

log_lines = Table(
    "log_lines",
    Base.metadata,
    Column("id", BigInteger, Identity(), nullable=False),
    Column("team_id", Uuid, nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("level", String(10)),
    Column("host_id", Uuid),
    Column("service_id", Uuid),
    Column("source", String(255), nullable=False),  # a file path, or a service's name
    Column("message", Text, nullable=False),
    Column("attributes", JSONB),
    # 'simple' keeps words as written (no stemming): log search wants exact tokens.
    Column("search", TSVECTOR, Computed("to_tsvector('simple', message)", persisted=True)),
    Index("ix_log_lines_team_id_at", "team_id", "at"),
    Index("ix_log_lines_search", "search", postgresql_using="gin"),
    postgresql_partition_by="RANGE (at)",
)
