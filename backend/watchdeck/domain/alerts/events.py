"""What the alerts domain tells the real-time layer (realtime/catalogue.py lists every event)."""

from __future__ import annotations

import uuid

import msgspec

from watchdeck.domain.alerts.models import AlertStatus, Condition
from watchdeck.platform.events import IsoTime
from watchdeck.platform.vocabulary import Severity, TargetKind


class AlertChanged(msgspec.Struct, kw_only=True):
    """`alert.firing` / `alert.resolved`."""

    alert_id: uuid.UUID
    rule_id: uuid.UUID | None  # None once the rule is deleted
    rule_name: str
    condition: Condition
    subject_kind: TargetKind
    subject_id: uuid.UUID
    subject_name: str
    severity: Severity
    status: AlertStatus
    summary: str
    started_at: IsoTime
    resolved_at: IsoTime | None
    duration_s: int | None
    suppressed: bool  # a firing parent alert covers it, so it notified nobody
    incident_id: uuid.UUID | None


class AlertRuleChanged(msgspec.Struct):
    """`alert_rule.created` / `alert_rule.updated` / `alert_rule.deleted`."""

    rule_id: uuid.UUID
    name: str
