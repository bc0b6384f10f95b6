"""What a notification says, independent of the channel that carries it."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

import msgspec

AlertState = Literal["firing", "resolved", "reminder"]


class AlertLine(msgspec.Struct, frozen=True):
    """One alert inside a notification."""

    alert_id: str
    rule_name: str
    subject_kind: Literal["service", "host"]
    subject_name: str
    severity: Literal["low", "medium", "high", "critical"]
    state: AlertState
    summary: str  # e.g. "CPU 93.2 % above 85 %" or "down: connection refused"
    started_at: datetime
    resolved_at: datetime | None = None
    url: str = ""  # the dashboard page of the alert's subject

    @property
    def duration_s(self) -> float | None:
        if self.resolved_at is None:
            return None
        return (self.resolved_at - self.started_at).total_seconds()


class Message(msgspec.Struct, frozen=True):
    """A notification: one alert, a group of alerts that fired together, or a test."""

    team_name: str
    title: str  # e.g. "[FIRING] Checkout API is down" or "3 alerts firing"
    alerts: list[AlertLine]
    dashboard_url: str
    test: bool = False

    @property
    def worst_severity(self) -> str:
        order = ["low", "medium", "high", "critical"]
        if not self.alerts:
            return "low"
        return max((a.severity for a in self.alerts), key=order.index)


class DeliveryFailed(Exception):
    """A channel did not accept a message; `str()` says why, for the delivery log."""
