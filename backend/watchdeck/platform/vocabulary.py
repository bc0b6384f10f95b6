"""Words every domain shares: how bad something is."""

from __future__ import annotations

from enum import StrEnum


class Severity(StrEnum):
    """How bad an incident, an alert rule or a service's outage is, least to most."""

    low = "low"
    medium = "medium"
    high = "high"
    critical = "critical"
