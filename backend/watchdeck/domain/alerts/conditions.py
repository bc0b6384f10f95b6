"""What each rule condition measures, when it breaches, when it has recovered, and how it reads."""

from __future__ import annotations

from dataclasses import dataclass

from watchdeck.domain.alerts.models import Condition
from watchdeck.platform.vocabulary import TargetKind

# Without an explicit recovery threshold, a numeric alert resolves only once its value is
# this far back on the good side of the threshold, so a value hovering at it doesn't flap.
HYSTERESIS = 0.05


@dataclass(frozen=True)
class ConditionSpec:
    subject: TargetKind
    label: str
    unit: str = ""
    above: bool = True  # breaches when the value is above the threshold (False: below)
    numeric: bool = True  # False: a state (1.0 while in it), no threshold
    windowed: bool = False  # measured over the rule's window by the periodic sweep
    default_threshold: float | None = None
    limits: tuple[float, float] = (0.0, 100.0)


SPECS: dict[Condition, ConditionSpec] = {
    Condition.service_down: ConditionSpec(TargetKind.service, "down", numeric=False),
    Condition.service_degraded: ConditionSpec(TargetKind.service, "degraded", numeric=False),
    Condition.latency_avg: ConditionSpec(
        TargetKind.service, "average latency", " ms", windowed=True, limits=(1, 600_000)
    ),
    Condition.latency_p95: ConditionSpec(
        TargetKind.service, "p95 latency", " ms", windowed=True, limits=(1, 600_000)
    ),
    Condition.error_rate: ConditionSpec(TargetKind.service, "error rate", " %", windowed=True),
    Condition.tls_expiry: ConditionSpec(
        TargetKind.service,
        "TLS certificate expiry",
        " days",
        above=False,
        windowed=True,
        default_threshold=14,
        limits=(1, 365),
    ),
    Condition.cpu: ConditionSpec(TargetKind.host, "CPU", " %"),
    Condition.ram: ConditionSpec(TargetKind.host, "RAM", " %"),
    Condition.disk: ConditionSpec(TargetKind.host, "disk", " %"),
    Condition.host_missing: ConditionSpec(TargetKind.host, "missing", numeric=False),
}


def breaches(condition: Condition, value: float, threshold: float | None) -> bool:
    spec = SPECS[condition]
    if not spec.numeric or threshold is None:
        return value >= 1.0
    return value > threshold if spec.above else value < threshold


def recovered(
    condition: Condition, value: float, threshold: float | None, recovery: float | None
) -> bool:
    """Whether a firing alert may resolve: past the recovery threshold, not just the threshold."""
    spec = SPECS[condition]
    if not spec.numeric or threshold is None:
        return value < 1.0
    if recovery is None:
        band = abs(threshold) * HYSTERESIS
        recovery = threshold - band if spec.above else threshold + band
    return value <= recovery if spec.above else value >= recovery


def summary(condition: Condition, value: float | None, threshold: float | None) -> str:
    """One line for people: "CPU 93.2 % above 85 %", "p95 latency 912 ms above 800 ms"."""
    spec = SPECS[condition]
    if not spec.numeric:
        return spec.label
    if value is None:
        return f"{spec.label}: no data"
    if condition is Condition.tls_expiry:
        return f"TLS certificate expires in {value:.0f} days (alert below {threshold:g})"
    side = "above" if spec.above else "below"
    return f"{spec.label} {_number(value)}{spec.unit} {side} {_number(threshold)}{spec.unit}"


def _number(value: float | None) -> str:
    if value is None:
        return "?"
    return f"{value:.0f}" if abs(value) >= 100 else f"{value:.1f}".removesuffix(".0")
