"""Incidents, their timeline and their comments."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Identity,
    Index,
    String,
    Text,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from watchdeck.db.base import Base, CreatedAt, UUIDPrimaryKey, str_enum
from watchdeck.platform.vocabulary import Severity


class IncidentStatus(StrEnum):
    open = "open"
    investigating = "investigating"
    resolved = "resolved"


class IncidentSource(StrEnum):
    service_status = "service_status"  # a service went DOWN
    host_status = "host_status"  # a host went MISSING
    rule = "rule"  # an alert rule fired
    manual = "manual"  # someone opened it


class Incident(UUIDPrimaryKey, Base):
    __tablename__ = "incidents"
    __table_args__ = (Index("ix_incidents_team_id_opened_at", "team_id", "opened_at"),)

    team_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="", server_default="")
    severity: Mapped[Severity] = mapped_column(str_enum(Severity, "severity"))
    status: Mapped[IncidentStatus] = mapped_column(
        str_enum(IncidentStatus, "incident_status"), default=IncidentStatus.open
    )
    source: Mapped[IncidentSource] = mapped_column(str_enum(IncidentSource, "incident_source"))
    service_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("services.id", ondelete="SET NULL"), index=True
    )
    host_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("hosts.id", ondelete="SET NULL"), index=True
    )
    assignee_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    opened_at: Mapped[datetime] = mapped_column(server_default=func.now())
    acknowledged_at: Mapped[datetime | None]
    resolved_at: Mapped[datetime | None]


class TimelineEntry(Base):
    __tablename__ = "incident_timeline"
    __table_args__ = (Index("ix_incident_timeline_incident_id_id", "incident_id", "id"),)

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    incident_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("incidents.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(server_default=func.now())
    kind: Mapped[str] = mapped_column(String(32))  # opened, status, severity, resolved, comment…
    actor: Mapped[str | None] = mapped_column(String(254))  # a person's email; None for the system
    data: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)


COMMENT_MAX_CHARS = 10_000


class Comment(UUIDPrimaryKey, CreatedAt, Base):
    """A Markdown comment on an incident. Deleting one removes the row; the timeline keeps
    a `comment_deleted` entry."""

    __tablename__ = "incident_comments"
    __table_args__ = (
        Index("ix_incident_comments_incident_id_created_at", "incident_id", "created_at"),
        CheckConstraint(f"char_length(body) BETWEEN 1 AND {COMMENT_MAX_CHARS}", name="body_length"),
    )

    incident_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("incidents.id", ondelete="CASCADE"))
    author_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Who wrote it, as they were called then: kept when the person leaves the team.
    author: Mapped[str] = mapped_column(String(254))  # an email, or "api key <name>"
    author_name: Mapped[str] = mapped_column(String(100))
    body: Mapped[str] = mapped_column(Text)
    edited_at: Mapped[datetime | None]
