"""The demo's past week: the clock's usual pattern plus three notable spells.

The simulators follow the wall clock (payments down 90 s of every 15 minutes,
reporting slow one minute in seven, batch-1 silent two minutes in ten). The
backfilled week follows the same clock, and on top of it: a 23-minute payments
outage three days ago, two slow hours of reporting the day before yesterday and
a batch-1 that went missing for a quarter of an hour five days ago: the spells
the past incidents are about.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from watchdeck.demo.hosts import silent
from watchdeck.demo.targets import Key, payments_down, reporting_slow


@dataclass(frozen=True)
class Spell:
    """A stretch of trouble, [start, end) in epoch seconds, on whole minutes."""

    start: float
    end: float

    def covers(self, t: float) -> bool:
        return self.start <= t < self.end


@dataclass(frozen=True)
class Story:
    payments_outage: Spell
    reporting_slowdown: Spell
    batch_gap: Spell

    def payments_down(self, t: float) -> bool:
        return payments_down(t) or self.payments_outage.covers(t)

    def reporting_slow(self, t: float) -> bool:
        return reporting_slow(t) or self.reporting_slowdown.covers(t)

    def trouble(self, key: Key, t: float) -> tuple[bool, bool]:
        """Whether the service was (down, slow) at `t`."""
        return key == "payments" and self.payments_down(t), key == "reporting" and (
            self.reporting_slow(t)
        )

    def silent(self, host: str, t: float) -> bool:
        return silent(host, t) or (host == "batch-1" and self.batch_gap.covers(t))


def week_before(now: float) -> Story:
    """The spells of the week before `now`."""

    def spell(ago: timedelta, lasting: timedelta) -> Spell:
        start = (now - ago.total_seconds()) // 60 * 60
        return Spell(start, start + lasting.total_seconds())

    return Story(
        payments_outage=spell(timedelta(days=3, hours=2, minutes=41), timedelta(minutes=23)),
        reporting_slowdown=spell(timedelta(days=1, hours=20), timedelta(hours=2, minutes=10)),
        batch_gap=spell(timedelta(days=5, hours=7, minutes=12), timedelta(minutes=14)),
    )
