"""Alert rules, their evaluation state, alerts, channels, and what was sent where."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Float,
    ForeignKey,
    Identity,
    Index,
    String,
    Table,
    Text,
    Uuid,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from watchdeck.db.base import Base, CreatedAt, UUIDPrimaryKey, str_enum
from watchdeck.domain.alerts.channels import ChannelKind
from watchdeck.platform.clock import utcnow
from watchdeck.platform.vocabulary import Severity, TargetKind


class Condition(StrEnum):
    service_down = "service_down"
    service_degraded = "service_degraded"
    latency_avg = "latency_avg"  # ms, averaged over the rule's window
    latency_p95 = "latency_p95"  # ms, 95th percentile over the rule's window
    error_rate = "error_rate"  # %, over the rule's window
    tls_expiry = "tls_expiry"  # days until the certificate expires
    cpu = "cpu"  # % per sample
    ram = "ram"
    disk = "disk"
    host_missing = "host_missing"


class EvalState(StrEnum):
    ok = "ok"
    pending = "pending"  # breaching, not yet for long enough
    firing = "firing"


class AlertStatus(StrEnum):
    firing = "firing"
    resolved = "resolved"


class NotificationKind(StrEnum):
    firing = "firing"
    resolved = "resolved"
    reminder = "reminder"


class DeliveryStatus(StrEnum):
    pending = "pending"
    retrying = "retrying"
    sent = "sent"
    failed = "failed"  # gave up after the last attempt


alert_rule_channels = Table(
    "alert_rule_channels",
    Base.metadata,
    Column("rule_id", Uuid, ForeignKey("alert_rules.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "channel_id",
        Uuid,
        ForeignKey("channels.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    ),
)


class AlertRule(UUIDPrimaryKey, CreatedAt, Base):
    __tablename__ = "alert_rules"

    team_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("teams.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(100))
    condition: Mapped[Condition] = mapped_column(str_enum(Condition, "alert_condition"))
    # What it watches: one subject, or every subject of the kind (narrowed by tags / labels).
    target_kind: Mapped[TargetKind] = mapped_column(str_enum(TargetKind, "alert_target_kind"))
    target_id: Mapped[uuid.UUID | None]
    target_tags: Mapped[list[str]] = mapped_column(ARRAY(String(50)), default=list)
    target_labels: Mapped[dict[str, str]] = mapped_column(JSONB, default=dict)
    threshold: Mapped[float | None] = mapped_column(Float)
    recovery_threshold: Mapped[float | None] = mapped_column(Float)
    window_s: Mapped[int] = mapped_column(default=300)
    for_samples: Mapped[int] = mapped_column(default=1)
    for_s: Mapped[int] = mapped_column(default=0)
    severity: Mapped[Severity] = mapped_column(
        str_enum(Severity, "severity"), default=Severity.high
    )
    open_incident: Mapped[bool] = mapped_column(default=False)
    repeat_s: Mapped[int | None]
    depends_on_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("alert_rules.id", ondelete="SET NULL")
    )
    enabled: Mapped[bool] = mapped_column(default=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class AlertStateRow(Base):
    """Where a rule stands for one subject; kept across restarts so nothing is sent twice."""

    __tablename__ = "alert_states"

    rule_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("alert_rules.id", ondelete="CASCADE"), primary_key=True
    )
    subject_id: Mapped[uuid.UUID] = mapped_column(primary_key=True, index=True)
    state: Mapped[EvalState] = mapped_column(str_enum(EvalState, "alert_eval_state"))
    since: Mapped[datetime]  # when the current run of breaching samples began
    samples: Mapped[int] = mapped_column(default=0)  # breaching samples in that run
    value: Mapped[float | None] = mapped_column(Float)
    alert_id: Mapped[uuid.UUID | None]
    last_notified_at: Mapped[datetime | None]  # of a firing notification, for the dedup window
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class Alert(UUIDPrimaryKey, Base):
    __tablename__ = "alerts"
    __table_args__ = (
        Index("ix_alerts_team_id_started_at", "team_id", "started_at"),
        Index(
            "ix_alerts_firing",
            "team_id",
            postgresql_where=text("status = 'firing'"),
        ),
    )

    team_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    rule_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("alert_rules.id", ondelete="SET NULL"), index=True
    )
    rule_name: Mapped[str] = mapped_column(String(100))
    condition: Mapped[Condition] = mapped_column(str_enum(Condition, "alert_condition"))
    subject_kind: Mapped[TargetKind] = mapped_column(str_enum(TargetKind, "alert_target_kind"))
    subject_id: Mapped[uuid.UUID] = mapped_column(index=True)
    subject_name: Mapped[str] = mapped_column(String(100))
    severity: Mapped[Severity] = mapped_column(str_enum(Severity, "severity"))
    status: Mapped[AlertStatus] = mapped_column(
        str_enum(AlertStatus, "alert_status"), default=AlertStatus.firing
    )
    summary: Mapped[str] = mapped_column(Text)
    value: Mapped[float | None] = mapped_column(Float)
    threshold: Mapped[float | None] = mapped_column(Float)
    started_at: Mapped[datetime]
    resolved_at: Mapped[datetime | None]
    # Set when a firing alert of the rule this one depends on covered it: nothing is sent.
    suppressed_by: Mapped[uuid.UUID | None]
    # False when the dedup window held the firing notification back (its recovery is not sent).
    notified: Mapped[bool] = mapped_column(default=False)
    last_notified_at: Mapped[datetime | None]
    incident_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("incidents.id", ondelete="SET NULL")
    )


class Channel(UUIDPrimaryKey, CreatedAt, Base):
    __tablename__ = "channels"

    team_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("teams.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[ChannelKind] = mapped_column(str_enum(ChannelKind, "channel_kind"))
    config: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    secrets: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)  # never leaves the server
    enabled: Mapped[bool] = mapped_column(default=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Notification(Base):
    """One alert change waiting for (or carried by) a delivery on one channel.

    Written in the same transaction as the alert change, so a crash between the
    two loses nothing; a flush groups a channel's waiting rows into one delivery.
    """

    __tablename__ = "notifications"
    __table_args__ = (
        Index(
            "ix_notifications_waiting",
            "channel_id",
            "created_at",
            postgresql_where=text("delivery_id IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    team_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    channel_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("channels.id", ondelete="CASCADE"))
    alert_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("alerts.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[NotificationKind] = mapped_column(str_enum(NotificationKind, "notification_kind"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    delivery_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("deliveries.id", ondelete="SET NULL"), index=True
    )


class Delivery(UUIDPrimaryKey, CreatedAt, Base):
    """One message to one channel, with every attempt to send it."""

    __tablename__ = "deliveries"
    __table_args__ = (Index("ix_deliveries_channel_id_created_at", "channel_id", "created_at"),)

    team_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    channel_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("channels.id", ondelete="CASCADE"))
    test: Mapped[bool] = mapped_column(Boolean, default=False)
    title: Mapped[str] = mapped_column(String(300), default="")
    status: Mapped[DeliveryStatus] = mapped_column(
        str_enum(DeliveryStatus, "delivery_status"), default=DeliveryStatus.pending
    )
    attempts: Mapped[int] = mapped_column(default=0)
    # [{"at": iso, "ok": bool, "error": str | None, "ms": float}], one per attempt
    log: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list)
    last_error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None]
