"""How a check result moves a service between UP, DEGRADED and DOWN.

A service goes DOWN after `failures_before_down` failures in a row and comes
back after `successes_before_up` successes in a row; a success that is slower
than the latency threshold counts as DEGRADED. Inside a maintenance window the
counters move but the status holds, so nothing opens or alerts.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from watchdeck.domain.services.models import ServiceStatus


@dataclass(frozen=True)
class Health:
    status: ServiceStatus
    consecutive_failures: int
    consecutive_successes: int


@dataclass(frozen=True)
class Thresholds:
    failures_before_down: int
    successes_before_up: int


def advance(
    health: Health, thresholds: Thresholds, ok: bool, degraded: bool, muted: bool
) -> Health:
    """The service's health after one more check result."""
    if ok:
        moved = replace(
            health,
            consecutive_failures=0,
            consecutive_successes=health.consecutive_successes + 1,
        )
        recovering = health.status is ServiceStatus.down
        if recovering and moved.consecutive_successes < thresholds.successes_before_up:
            status = ServiceStatus.down
        else:
            status = ServiceStatus.degraded if degraded else ServiceStatus.up
    else:
        moved = replace(
            health,
            consecutive_failures=health.consecutive_failures + 1,
            consecutive_successes=0,
        )
        if moved.consecutive_failures >= thresholds.failures_before_down:
            status = ServiceStatus.down
        else:
            status = health.status
    if muted or health.status is ServiceStatus.paused:
        status = health.status
    return replace(moved, status=status)


def quorum(statuses: list[ServiceStatus], needed: int | None, waiting: int = 0) -> ServiceStatus:
    """A service's status from the statuses of its counted locations.

    `waiting` counts locations expected to vote that have not reported yet: they count as
    not failing, so the first location to report cannot take a service of several down
    alone. DOWN when at least `needed` of them all are down (default: one of one, else a
    majority), so one bad network path alone does not page; DEGRADED when any is
    degraded; PENDING until a verdict can be given.
    """
    verdicts = [s for s in statuses if s in _VERDICTS]
    if not verdicts:
        return ServiceStatus.pending
    expected = len(verdicts) + waiting
    if needed is None:
        needed = expected // 2 + 1
    down = verdicts.count(ServiceStatus.down)
    if down >= min(needed, expected):
        return ServiceStatus.down
    if down == len(verdicts):
        return ServiceStatus.pending  # only failures so far, too few to say DOWN
    if ServiceStatus.degraded in verdicts:
        return ServiceStatus.degraded
    return ServiceStatus.up


_VERDICTS = frozenset({ServiceStatus.up, ServiceStatus.degraded, ServiceStatus.down})
