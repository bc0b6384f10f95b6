"""Simulated hosts for the demo: they push metrics and log lines like real agents, and the
request and error counts of the demo services that run on them.

web-1 and web-2 carry the day's load (they serve auth and payments) with CPU
spikes; db-1 is steady but fills its disk, and works hard while reporting is
slow; batch-1 is busiest at night and goes silent for two minutes of every ten,
so the dashboard shows a host going MISSING and coming back.
"""

from __future__ import annotations

import asyncio
import gzip
import math
import random
import time
import uuid
from datetime import UTC, datetime

import httpx
import msgspec

from watchdeck.demo.targets import Key, daily_load, reporting_slow, traffic, trouble

HOSTS = ("web-1", "web-2", "db-1", "batch-1")
INTERVAL_S = 5
SILENT_EVERY_S = 10 * 60
SILENT_FOR_S = 2 * 60
SPIKE_CHANCE = 0.04  # per sample: CPU jumps by SPIKE_PERCENT
SPIKE_PERCENT = 45.0
LOAD_DIVISORS = {"load1": 25, "load5": 30, "load15": 35}  # load averages follow CPU
MEM_TOTAL = int(16e9)
DISK_TOTAL = int(5e11)
_PHASES = {"web-1": 0.0, "web-2": 1.7, "db-1": 3.1, "batch-1": 4.6}
_LIVE = random.Random()
MESSAGES = {
    "info": ["GET /api/orders 200 in {ms}ms", "job {n} finished", "cache warmed in {ms}ms"],
    "warning": ["slow query took {ms}ms", "retrying upstream call ({n}/3)"],
    "error": ["upstream timed out after {ms}ms", "connection reset by peer"],
}


def silent(host: str, now: float) -> bool:
    return host == "batch-1" and now % SILENT_EVERY_S < SILENT_FOR_S


def profile(host: str, now: float, db_busy: bool) -> dict[str, tuple[float, float]]:
    """The host's headline figures at `now` as (floor, width): a sample lies uniformly in
    [floor, floor + width], and CPU spikes now and then on top (SPIKE_CHANCE)."""
    wave = (math.sin(now / 300 + _PHASES.get(host, 0.0)) + 1) / 2
    day = daily_load(now)
    busy = {"db-1": 0.3, "batch-1": 1 - day}.get(host, day)
    cpu = 6 + 14 * wave + 22 * busy + (35 if host == "db-1" and db_busy else 0)
    disk = 62 + (now % 3600) / 3600 * 20 if host == "db-1" else 41.0
    traffic_share = 0.3 * wave + 0.7 * busy
    return {
        "cpu": (cpu, 6.0),
        "mem_pct": (40 + 15 * wave + 10 * busy, 2.0),
        "disk_pct": (disk, 0.0),
        "disk_read_bps": (1e5, 3.9e6),
        "disk_write_bps": (1e5, 1.9e6),
        "net_rx_bps": (2e6 * traffic_share, 5e5),
        "net_tx_bps": (1e6 * traffic_share, 3e5),
    }


def sample(host: str, now: float, db_busy: bool, rng: random.Random) -> dict:
    """One sample as an agent sends it."""
    figures = profile(host, now, db_busy)
    value = {name: floor + rng.uniform(0, width) for name, (floor, width) in figures.items()}
    cpu = min(100.0, value["cpu"] + (SPIKE_PERCENT if rng.random() < SPIKE_CHANCE else 0))
    disk = value["disk_pct"]
    return {
        "at": _iso(now),
        "cpu_percent": round(cpu, 1),
        "cpu_per_core": [
            round(min(100.0, max(0.0, cpu + rng.uniform(-5, 5))), 1) for _ in range(4)
        ],
        **{name: round(cpu / divisor, 2) for name, divisor in LOAD_DIVISORS.items()},
        "mem_used_bytes": int(MEM_TOTAL * value["mem_pct"] / 100),
        "mem_total_bytes": MEM_TOTAL,
        "mem_percent": round(value["mem_pct"], 1),
        "disks": [
            {
                "mount": "/",
                "used_bytes": int(DISK_TOTAL * disk / 100),
                "total_bytes": DISK_TOTAL,
                "percent": round(disk, 1),
            }
        ],
        "disk_read_bps": value["disk_read_bps"],
        "disk_write_bps": value["disk_write_bps"],
        "net_rx_bps": value["net_rx_bps"],
        "net_tx_bps": value["net_tx_bps"],
        "uptime_s": int(now % 2_000_000),
        "processes": 180 + rng.randint(0, 40),
    }


def metrics_batch(host: str, now: float, rng: random.Random) -> dict:
    """A metrics batch of one sample, for POST /api/v1/ingest/metrics."""
    return _batch() | {
        "agent": _agent(host),
        "samples": [sample(host, now, reporting_slow(now), rng)],
    }


def traffic_batch(services: dict[Key, str], now: float, rng: random.Random) -> dict:
    """The services' request and error counts over the last interval, for
    POST /api/v1/ingest/service-metrics."""
    samples = []
    for key, service_id in services.items():
        requests, errors, p95 = traffic(key, INTERVAL_S, daily_load(now), *trouble(key, now), rng)
        samples.append(
            {
                "service_id": service_id,
                "at": _iso(now),
                "requests": requests,
                "errors": errors,
                "latency_p95_ms": p95,
            }
        )
    return _batch() | {"samples": samples}


def log_lines(host: str, now: float, rng: random.Random) -> list[dict]:
    lines = []
    for _ in range(rng.randint(0, 3)):
        level = rng.choices(["info", "warning", "error"], weights=[80, 15, 5])[0]
        text = rng.choice(MESSAGES[level]).format(ms=rng.randint(3, 900), n=rng.randint(1, 3))
        lines.append(
            {"at": _iso(now), "level": level, "source": f"/var/log/{host}/app.log", "message": text}
        )
    return lines


def _iso(now: float) -> str:
    return datetime.fromtimestamp(now, UTC).isoformat().replace("+00:00", "Z")


def _agent(host: str) -> dict:
    return {"version": "demo", "hostname": host, "os": "linux"}


def _batch() -> dict:
    return {"batch_id": uuid.uuid4().hex, "sent_at": _iso(time.time())}


async def _send(client: httpx.AsyncClient, route: str, body: dict) -> None:
    payload = gzip.compress(msgspec.json.encode(body))
    try:
        await client.post(route, content=payload, headers={"Content-Encoding": "gzip"})
    except httpx.HTTPError:
        pass  # the api may be restarting; a real agent buffers, the demo just moves on


async def run(server: str, token: str, services: dict[Key, str]) -> None:
    """Push every INTERVAL_S until cancelled: each host's sample and log lines, and the
    traffic of `services` (demo service key → service id)."""
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    async with httpx.AsyncClient(base_url=server, headers=headers, timeout=10) as client:
        while True:
            now = time.time()
            for host in HOSTS:
                if silent(host, now):
                    continue
                await _send(client, "/api/v1/ingest/metrics", metrics_batch(host, now, _LIVE))
                lines = log_lines(host, now, _LIVE)
                if lines:
                    logs = _batch() | {"agent": _agent(host), "lines": lines}
                    await _send(client, "/api/v1/ingest/logs", logs)
            if services:
                await _send(
                    client, "/api/v1/ingest/service-metrics", traffic_batch(services, now, _LIVE)
                )
            await asyncio.sleep(INTERVAL_S - (time.time() - now) % INTERVAL_S)
