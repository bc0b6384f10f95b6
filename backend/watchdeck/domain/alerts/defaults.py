"""The rules every team starts with, so the product alerts out of the box."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from watchdeck.domain.alerts.models import AlertRule, Condition
from watchdeck.platform.vocabulary import Severity, TargetKind

DEFAULT_RULES = (
    ("Service down", Condition.service_down, TargetKind.service),
    ("Host missing", Condition.host_missing, TargetKind.host),
)


def add_default_rules(session: AsyncSession, team_id: uuid.UUID) -> None:
    """A new team alerts out of the box: any service down, any host missing. Caller commits."""
    session.add_all(
        AlertRule(
            team_id=team_id,
            name=name,
            condition=condition,
            target_kind=kind,
            target_tags=[],
            target_labels={},
            severity=Severity.high,
        )
        for name, condition, kind in DEFAULT_RULES
    )
