"""Simulated services for the demo: auth, payments and reporting, with spikes and outages.

Behaviour follows the wall clock, so every process that serves it agrees:
payments is down for the first 90 s of every 15 minutes, reporting has slow
spells, and any answer may occasionally take a latency spike. Traffic follows
a day: quiet around 03:00 UTC, busiest around 15:00 UTC. The request and
error counts each service reports about itself (`traffic`) tell the same
story as its health checks: payments' errors soar while it is down.
"""

from __future__ import annotations

import asyncio
import math
import random
import time
from typing import Any, Literal

import msgspec

Scope = dict[str, Any]
Key = Literal["auth", "payments", "reporting"]

SERVICES: tuple[Key, ...] = ("auth", "payments", "reporting")
OUTAGE_EVERY_S = 15 * 60
OUTAGE_FOR_S = 90
SLOW_EVERY_S = 7 * 60
SLOW_FOR_S = 60

# Requests per second at the busiest hour, and the share that fails on a good day.
PEAK_RPS: dict[Key, float] = {"auth": 30.0, "payments": 8.0, "reporting": 1.5}
ERROR_SHARE: dict[Key, float] = {"auth": 0.002, "payments": 0.004, "reporting": 0.01}
P95_MS: dict[Key, float] = {"auth": 42.0, "payments": 75.0, "reporting": 120.0}
_LIVE = random.Random()


def payments_down(now: float) -> bool:
    return now % OUTAGE_EVERY_S < OUTAGE_FOR_S


def reporting_slow(now: float) -> bool:
    return now % SLOW_EVERY_S < SLOW_FOR_S


def trouble(key: Key, now: float) -> tuple[bool, bool]:
    """Whether the service is (down, slow) at `now`, by the wall clock."""
    return key == "payments" and payments_down(now), key == "reporting" and reporting_slow(now)


def daily_load(now: float) -> float:
    """How busy the day is at `now`, from 0 (03:00 UTC) to 1 (15:00 UTC)."""
    return (1 - math.cos(2 * math.pi * ((now / 3600 - 3) % 24) / 24)) / 2


def answer(key: Key, down: bool, slow: bool, rng: random.Random) -> tuple[int, bytes, float]:
    """(status, body, delay in seconds) of a service's health endpoint, given whether it is
    down or slow right now."""
    spike = 0.4 if rng.random() < 0.03 else 0.0
    base = rng.uniform(0.005, 0.04)
    if key == "auth":
        return 200, b"ok: auth is healthy", base + spike
    if key == "payments":
        if down:
            return 503, msgspec.json.encode({"status": "down", "reason": "card processor"}), base
        body = msgspec.json.encode({"status": "ok", "queue": rng.randint(0, 20)})
        return 200, body, base + spike
    lag = rng.uniform(0.5, 0.9) if slow else 0.0
    return 200, b"ok: reports ready", base + lag + spike


def traffic(
    key: Key, seconds: float, load: float, down: bool, slow: bool, rng: random.Random
) -> tuple[int, int, float]:
    """(requests, errors, p95 latency in ms) a service served over `seconds`, at a day's
    `load` (see daily_load), while down or slow or neither."""
    expected = PEAK_RPS[key] * seconds * (0.25 + 0.75 * load) * rng.uniform(0.85, 1.15)
    requests = _whole(expected, rng)
    share = ERROR_SHARE[key] * rng.uniform(0.5, 1.5)
    p95 = P95_MS[key] * rng.uniform(0.8, 1.2)
    if down:  # clients get the card processor's 503s, fast
        share, p95 = rng.uniform(0.85, 0.98), rng.uniform(15, 40)
    elif slow:  # some report requests time out
        share, p95 = rng.uniform(0.04, 0.08), rng.uniform(700, 950)
    return requests, min(requests, _whole(requests * share, rng)), round(p95, 1)


def _whole(value: float, rng: random.Random) -> int:
    """`value` rounded up or down at random in proportion, so small counts keep their mean."""
    whole = int(value)
    return whole + (rng.random() < value - whole)


def _key(path: str) -> Key | None:
    return next((key for key in SERVICES if path.startswith(f"/{key}")), None)


async def app(scope: Scope, receive: Any, send: Any) -> None:
    """A bare ASGI app, so the demo needs nothing beyond uvicorn."""
    if scope["type"] != "http":
        return
    now, key = time.time(), _key(scope["path"])
    if key is not None:
        status, body, delay = answer(key, *trouble(key, now), _LIVE)
    elif scope["path"].startswith("/hooks"):  # the demo's webhook channel delivers here
        status, body, delay = 200, b"ok", 0.0
    else:
        status, body, delay = 404, b"not found", 0.0
    await asyncio.sleep(delay)
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"text/plain"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
