"""What a service's badges say: its state, its uptime over a window and its latest response
time, each as text and a colour.

The numbers come from the services domain's own functions (the same uptime the service's
API reports), read once a minute per badge key and kept in Redis in between, so a README
shown to thousands costs a handful of queries a minute, whatever the badges and their
options. Only these figures are kept, not drawings: drawing is cheaper than the round trip,
and a drawing per reader-chosen label would let anyone fill Redis.
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import Literal

import msgspec
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncSession

from watchdeck.domain.services import catalog, health, uptime
from watchdeck.domain.services.models import ServiceStatus
from watchdeck.domain.services.schemas import Uptime
from watchdeck.platform import keys
from watchdeck.platform.errors import NotFound

FRESH_S = 60

Period = Literal["24h", "7d", "30d", "90d"]

GREEN = "#4c1"
LIME = "#97ca00"
YELLOW = "#dfb317"
ORANGE = "#fe7d37"
RED = "#e05d44"
BLUE = "#007ec6"
GREY = "#9f9f9f"


class Figures(msgspec.Struct, frozen=True):
    status: ServiceStatus
    in_maintenance: bool
    latency_ms: float | None
    uptime: Uptime


class Shown(msgspec.Struct, frozen=True):
    """One badge's message and its colour."""

    text: str
    colour: str


_encoder = msgspec.msgpack.Encoder()
_decoder = msgspec.msgpack.Decoder(Figures)


async def figures(session: AsyncSession, redis: Redis, key: str, now: datetime) -> Figures:
    """The figures of the service whose badges are at `key` (NotFound when none is)."""
    cached = await redis.get(keys.badge_figures(key))
    if cached is not None:
        return _decoder.decode(cached)
    found = await catalog.badged(session, key)
    if found is None:
        raise NotFound("no such badge")
    team_id, service_id = found
    state = (await health.healths(session, team_id, [service_id], now))[service_id]
    read = Figures(
        status=state.status,
        in_maintenance=state.in_maintenance,
        latency_ms=state.latency_ms,
        uptime=await uptime.uptime(session, service_id, now),
    )
    await redis.set(keys.badge_figures(key), _encoder.encode(read), ex=FRESH_S)
    return read


_STATUS: dict[ServiceStatus, Shown] = {
    ServiceStatus.up: Shown("up", GREEN),
    ServiceStatus.degraded: Shown("degraded", YELLOW),
    ServiceStatus.down: Shown("down", RED),
    ServiceStatus.paused: Shown("paused", GREY),
    ServiceStatus.pending: Shown("pending", GREY),
}


def status(found: Figures) -> Shown:
    """A window of maintenance shows as such, unless the service is paused altogether."""
    if found.in_maintenance and found.status is not ServiceStatus.paused:
        return Shown("maintenance", BLUE)
    return _STATUS[found.status]


def share(found: Figures, period: Period) -> float | None:
    """The uptime share of `period`, as GET /api/v1/services/{id} reports it."""
    return {
        "24h": found.uptime.h24,
        "7d": found.uptime.d7,
        "30d": found.uptime.d30,
        "90d": found.uptime.d90,
    }[period]


# Floors to hundredths of a per cent, so 99.996 % reads 99.99 %, never a perfect 100 %. The
# nudge undoes float error (0.9995 * 10000 is 9994.999…); a real share is at least 1e-3
# below the next hundredth, since no service has ten million checks in a window.
_NUDGE = 1e-6


def _hundredths(value: float) -> int:
    return math.floor(value * 10_000 + _NUDGE)


_UPTIME_COLOURS = [(9990, GREEN), (9900, LIME), (9500, YELLOW), (9000, ORANGE)]


def uptime_shown(value: float | None) -> Shown:
    if value is None:
        return Shown("no data", GREY)
    hundredths = _hundredths(value)
    colour = next((c for floor, c in _UPTIME_COLOURS if hundredths >= floor), RED)
    return Shown(f"{hundredths // 100}.{hundredths % 100:02d}%", colour)


_LATENCY_COLOURS = [(200, GREEN), (500, LIME), (1000, YELLOW), (2000, ORANGE)]


def latency(found: Figures) -> Shown:
    """The latest check's response time, as the service's own page shows it: an average
    would hide the slow answer a reader wants to see."""
    ms = found.latency_ms
    if ms is None:
        return Shown("no data", GREY)
    colour = next((c for ceiling, c in _LATENCY_COLOURS if ms <= ceiling), RED)
    return Shown("<1 ms" if ms < 1 else f"{ms:.0f} ms", colour)
