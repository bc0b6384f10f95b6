"""Status pages and the components they show."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    ForeignKey,
    Identity,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    Uuid,
    func,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from watchdeck.db.base import Base, CreatedAt, UUIDPrimaryKey, str_enum
from watchdeck.platform.clock import utcnow


class Theme(StrEnum):
    auto = "auto"  # follows the reader's system setting
    light = "light"
    dark = "dark"


class Access(StrEnum):
    public = "public"
    password = "password"  # readers type the page's password once; a signed cookie remembers
    ip = "ip"  # only readers from the allowed address ranges


class StatusPage(UUIDPrimaryKey, CreatedAt, Base):
    """A public page at /status/<slug>. Only what its components name is shown there."""

    __tablename__ = "status_pages"

    team_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("teams.id", ondelete="CASCADE"), index=True
    )
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(100))
    description: Mapped[str | None] = mapped_column(Text)
    theme: Mapped[Theme] = mapped_column(str_enum(Theme, "theme"), default=Theme.auto)
    # Search engines are told to stay away unless the team wants the page found.
    indexed: Mapped[bool] = mapped_column(Boolean, default=False)
    footer_links: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list)
    # Served as the page when a request's Host is this name (the team points DNS here).
    custom_domain: Mapped[str | None] = mapped_column(String(253), unique=True)
    logo: Mapped[bytes | None] = mapped_column(LargeBinary)
    logo_type: Mapped[str | None] = mapped_column(String(32))
    access: Mapped[Access] = mapped_column(str_enum(Access, "access"), default=Access.public)
    password_hash: Mapped[str | None] = mapped_column(String(200))
    allowed_ips: Mapped[list[str]] = mapped_column(ARRAY(String(50)), default=list)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    components: Mapped[list[StatusComponent]] = relationship(
        order_by="StatusComponent.position",
        cascade="all, delete-orphan",
        lazy="selectin",
    )


class StatusComponent(UUIDPrimaryKey, Base):
    """One line of a page: a public name over one or more services or hosts.

    The members are ids rather than links so that a service or host deleted later
    simply drops out of the page instead of taking the component with it.
    """

    __tablename__ = "status_components"

    page_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("status_pages.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    group_name: Mapped[str | None] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(100))
    description: Mapped[str | None] = mapped_column(String(500))
    service_ids: Mapped[list[uuid.UUID]] = mapped_column(ARRAY(Uuid), default=list)
    host_ids: Mapped[list[uuid.UUID]] = mapped_column(ARRAY(Uuid), default=list)
    show_latency: Mapped[bool] = mapped_column(Boolean, default=False)


class Impact(StrEnum):
    """How bad a published incident is for readers (Statuspage's words)."""

    none = "none"
    degraded_performance = "degraded_performance"
    partial_outage = "partial_outage"
    major_outage = "major_outage"


class NoticeStatus(StrEnum):
    investigating = "investigating"
    identified = "identified"
    monitoring = "monitoring"
    resolved = "resolved"


class PublicIncident(UUIDPrimaryKey, CreatedAt, Base):
    """What readers are told of an incident: its own title and updates, never the
    internal ones, on the pages and components the team chose."""

    __tablename__ = "public_incidents"
    __table_args__ = (Index("ix_public_incidents_team_id_created_at", "team_id", "created_at"),)

    team_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    incident_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("incidents.id", ondelete="SET NULL"), unique=True
    )
    title: Mapped[str] = mapped_column(String(200))
    impact: Mapped[Impact] = mapped_column(str_enum(Impact, "impact"))
    status: Mapped[NoticeStatus] = mapped_column(str_enum(NoticeStatus, "notice_status"))
    page_ids: Mapped[list[uuid.UUID]] = mapped_column(ARRAY(Uuid), default=list)
    component_ids: Mapped[list[uuid.UUID]] = mapped_column(ARRAY(Uuid), default=list)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    resolved_at: Mapped[datetime | None]

    updates: Mapped[list[PublicUpdate]] = relationship(
        order_by="PublicUpdate.id", cascade="all, delete-orphan", lazy="selectin"
    )


class PublicUpdate(Base):
    __tablename__ = "public_updates"
    __table_args__ = (Index("ix_public_updates_notice_id_id", "notice_id", "id"),)

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    notice_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("public_incidents.id", ondelete="CASCADE")
    )
    status: Mapped[NoticeStatus] = mapped_column(str_enum(NoticeStatus, "notice_status"))
    body: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(server_default=func.now(), default=utcnow)
    author: Mapped[str | None] = mapped_column(String(254))  # kept for the team, never shown


class SubscriberKind(StrEnum):
    email = "email"
    webhook = "webhook"


class Subscriber(UUIDPrimaryKey, CreatedAt, Base):
    """A reader told of each published update, once they confirm by the link sent."""

    __tablename__ = "status_subscribers"
    __table_args__ = (UniqueConstraint("page_id", "kind", "address"),)

    page_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("status_pages.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[SubscriberKind] = mapped_column(str_enum(SubscriberKind, "subscriber_kind"))
    address: Mapped[str] = mapped_column(String(2048))  # an email address or a URL
    component_ids: Mapped[list[uuid.UUID]] = mapped_column(ARRAY(Uuid), default=list)  # []: all
    confirmed_at: Mapped[datetime | None]
