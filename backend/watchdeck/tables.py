"""Every table, gathered for Alembic and for whatever needs the whole schema (the tests' wipe).

It imports every domain's models, so it sits above the domains, not in db/ beneath them.
"""

from watchdeck.db import once  # noqa: F401
from watchdeck.db.base import Base
from watchdeck.domain.accounts import models as accounts  # noqa: F401
from watchdeck.domain.alerts import models as alerts  # noqa: F401
from watchdeck.domain.hosts import models as hosts  # noqa: F401
from watchdeck.domain.incidents import models as incidents  # noqa: F401
from watchdeck.domain.logs import models as logs  # noqa: F401
from watchdeck.domain.services import models as services  # noqa: F401
from watchdeck.domain.statuspages import models as statuspages  # noqa: F401

__all__ = ["Base"]
