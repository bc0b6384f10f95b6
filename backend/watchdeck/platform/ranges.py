"""Named time ranges (`range=24h`) and explicit ones (`from`/`to`) for series routes."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Literal

from watchdeck.platform.clock import utcnow
from watchdeck.platform.errors import Invalid

# Every chart keeps near or under this many points, whatever its range.
MAX_POINTS = 1000
# Bucket sizes (seconds) of series read from minute and hour rollups, smallest first.
MINUTE_BUCKETS = [60, 120, 300, 600, 900, 1800]
HOUR_BUCKETS = [3600, 7200, 4 * 3600, 6 * 3600, 12 * 3600, 86400]
# Where buckets start (date_bin's origin), so every series of a range lines up.
BUCKET_ORIGIN = datetime(2000, 1, 1).isoformat() + "+00:00"

RangeName = Literal["1h", "24h", "7d", "30d", "90d", "1y"]

RANGES: dict[str, timedelta] = {
    "1h": timedelta(hours=1),
    "24h": timedelta(hours=24),
    "7d": timedelta(days=7),
    "30d": timedelta(days=30),
    "90d": timedelta(days=90),
    "1y": timedelta(days=365),
}


def window(
    name: str | None, start: datetime | None, end: datetime | None, default: str = "24h"
) -> tuple[datetime, datetime]:
    """[start, end) from a range name, or from explicit times (which need a time zone)."""
    now = utcnow()
    if start is None:
        return now - RANGES[name or default], now
    if start.tzinfo is None or (end is not None and end.tzinfo is None):
        raise Invalid("from", "needs a time zone, e.g. 2026-01-31T00:00:00Z")
    end = end or now
    if end <= start:
        raise Invalid("to", "must be after from")
    if end - start > RANGES["1y"] * 2:
        raise Invalid("from", "the range may span at most two years")
    return start, end


def rounded(value: float | None) -> float | None:
    """A series value as charts show it."""
    return None if value is None else round(float(value), 3)
