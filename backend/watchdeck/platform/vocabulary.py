"""Words every domain shares: how bad something is, and what it is about."""

from __future__ import annotations

from enum import StrEnum


class Severity(StrEnum):
    """How bad an incident, an alert rule or a service's outage is, least to most."""

    low = "low"
    medium = "medium"
    high = "high"
    critical = "critical"


class TargetKind(StrEnum):
    """What an alert, an alert rule or an incident is about."""

    service = "service"
    host = "host"
