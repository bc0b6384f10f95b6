"""Status pages and the components they show."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, Uuid
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from watchdeck.db.base import Base, CreatedAt, UUIDPrimaryKey, str_enum
from watchdeck.platform.clock import utcnow


class Theme(StrEnum):
    auto = "auto"  # follows the reader's system setting
    light = "light"
    dark = "dark"


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
