"""Every domain's tables, imported in one place for Alembic and the metadata."""

from watchdeck.db.base import Base
from watchdeck.domain.accounts import models as accounts  # noqa: F401

__all__ = ["Base"]
