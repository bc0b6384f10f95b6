"""The state machine of one rule for one subject: ok → pending → firing → resolved (ok).

Pure, so it is the same in every process and easy to test exhaustively. A
subject breaches for `for_samples` samples spanning at least `for_s` seconds
before the alert fires; a pending run that stops breaching goes back to ok
without a word; a firing alert resolves only once the value is past the
recovery threshold (see `conditions.recovered`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from watchdeck.domain.alerts.conditions import breaches, recovered
from watchdeck.domain.alerts.models import Condition, EvalState

Change = Literal["fire", "resolve"] | None


@dataclass(frozen=True)
class Standing:
    state: EvalState
    since: datetime
    samples: int = 0
    value: float | None = None


@dataclass(frozen=True)
class RuleTerms:
    condition: Condition
    threshold: float | None
    recovery_threshold: float | None = None
    for_samples: int = 1
    for_s: int = 0


def step(
    standing: Standing | None, rule: RuleTerms, value: float, at: datetime
) -> tuple[Standing, Change]:
    """Where the rule stands after one more sample, and whether that fired or resolved it."""
    current = standing or Standing(EvalState.ok, at)
    if current.state is EvalState.firing:
        if recovered(rule.condition, value, rule.threshold, rule.recovery_threshold):
            return Standing(EvalState.ok, at, 0, value), "resolve"
        return Standing(EvalState.firing, current.since, current.samples, value), None
    if not breaches(rule.condition, value, rule.threshold):
        return Standing(EvalState.ok, at, 0, value), None
    if current.state is EvalState.ok:
        current = Standing(EvalState.pending, at, 1, value)
    else:
        current = Standing(EvalState.pending, current.since, current.samples + 1, value)
    held = (at - current.since).total_seconds() >= rule.for_s
    if current.samples >= rule.for_samples and held:
        return Standing(EvalState.firing, current.since, current.samples, value), "fire"
    return current, None
