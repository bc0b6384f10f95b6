"""Simulated services for the demo: auth, payments and reporting, with spikes and outages.

Behaviour follows the wall clock, so every process that serves it agrees:
payments is down for the first 90 s of every 15 minutes, reporting has slow
spells, and any answer may occasionally take a latency spike.
"""

from __future__ import annotations

import asyncio
import random
import time
from typing import Any

import msgspec

Scope = dict[str, Any]

OUTAGE_EVERY_S = 15 * 60
OUTAGE_FOR_S = 90
SLOW_EVERY_S = 7 * 60
SLOW_FOR_S = 60


def payments_down(now: float) -> bool:
    return now % OUTAGE_EVERY_S < OUTAGE_FOR_S


def reporting_slow(now: float) -> bool:
    return now % SLOW_EVERY_S < SLOW_FOR_S


async def _answer(path: str, now: float) -> tuple[int, bytes, float]:
    """(status, body, delay in seconds) for a path at time `now`."""
    spike = 0.4 if random.random() < 0.03 else 0.0
    base = random.uniform(0.005, 0.04)
    if path.startswith("/auth"):
        return 200, b"ok: auth is healthy", base + spike
    if path.startswith("/payments"):
        if payments_down(now):
            return 503, msgspec.json.encode({"status": "down", "reason": "card processor"}), base
        return (
            200,
            msgspec.json.encode({"status": "ok", "queue": random.randint(0, 20)}),
            base + spike,
        )
    if path.startswith("/reporting"):
        slow = random.uniform(0.5, 0.9) if reporting_slow(now) else 0.0
        return 200, b"ok: reports ready", base + slow + spike
    if path.startswith("/hooks"):  # the demo's webhook channel delivers here
        return 200, b"ok", 0.0
    return 404, b"not found", 0.0


async def app(scope: Scope, receive: Any, send: Any) -> None:
    """A bare ASGI app, so the demo needs nothing beyond uvicorn."""
    if scope["type"] != "http":
        return
    status, body, delay = await _answer(scope["path"], time.time())
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
