"""Simulated hosts for the demo: they push metrics and log lines like real agents.

web-1 and web-2 carry a daily-looking load with CPU spikes; db-1 is steady but
fills its disk; batch-1 goes silent for two minutes of every ten, so the
dashboard shows a host going MISSING and coming back.
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

HOSTS = ("web-1", "web-2", "db-1", "batch-1")
INTERVAL_S = 5
MESSAGES = {
    "info": ["GET /api/orders 200 in {ms}ms", "job {n} finished", "cache warmed in {ms}ms"],
    "warning": ["slow query took {ms}ms", "retrying upstream call ({n}/3)"],
    "error": ["upstream timed out after {ms}ms", "connection reset by peer"],
}


def silent(host: str, now: float) -> bool:
    return host == "batch-1" and now % 600 < 120


def sample(host: str, now: float) -> dict:
    wave = (math.sin(now / 300 + hash(host) % 7) + 1) / 2
    spike = 45 if random.random() < 0.04 else 0
    cpu = min(100.0, 8 + 35 * wave + spike + random.uniform(0, 6))
    disk = 62 + (now % 3600) / 3600 * 20 if host == "db-1" else 41.0
    mem = 48 + 20 * wave
    return {
        "at": datetime.fromtimestamp(now, UTC).isoformat().replace("+00:00", "Z"),
        "cpu_percent": round(cpu, 1),
        "cpu_per_core": [round(min(100.0, cpu + random.uniform(-5, 5)), 1) for _ in range(4)],
        "load1": round(cpu / 25, 2),
        "load5": round(cpu / 30, 2),
        "load15": round(cpu / 35, 2),
        "mem_used_bytes": int(16e9 * mem / 100),
        "mem_total_bytes": int(16e9),
        "mem_percent": round(mem, 1),
        "disks": [
            {
                "mount": "/",
                "used_bytes": int(5e11 * disk / 100),
                "total_bytes": int(5e11),
                "percent": round(disk, 1),
            }
        ],
        "disk_read_bps": random.uniform(1e5, 4e6),
        "disk_write_bps": random.uniform(1e5, 2e6),
        "net_rx_bps": 2e6 * wave + random.uniform(0, 5e5),
        "net_tx_bps": 1e6 * wave + random.uniform(0, 3e5),
        "uptime_s": int(now % 2_000_000),
        "processes": 180 + random.randint(0, 40),
    }


def log_lines(host: str, now: float) -> list[dict]:
    lines = []
    for _ in range(random.randint(0, 3)):
        level = random.choices(["info", "warning", "error"], weights=[80, 15, 5])[0]
        text = random.choice(MESSAGES[level]).format(
            ms=random.randint(3, 900), n=random.randint(1, 3)
        )
        at = datetime.fromtimestamp(now, UTC).isoformat().replace("+00:00", "Z")
        lines.append(
            {"at": at, "level": level, "source": f"/var/log/{host}/app.log", "message": text}
        )
    return lines


async def _send(client: httpx.AsyncClient, route: str, body: dict) -> None:
    payload = gzip.compress(msgspec.json.encode(body))
    try:
        await client.post(route, content=payload, headers={"Content-Encoding": "gzip"})
    except httpx.HTTPError:
        pass  # the api may be restarting; a real agent buffers, the demo just moves on


async def run(server: str, token: str) -> None:
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    async with httpx.AsyncClient(base_url=server, headers=headers, timeout=10) as client:
        while True:
            now = time.time()
            sent = datetime.now(UTC).isoformat().replace("+00:00", "Z")
            for host in HOSTS:
                if silent(host, now):
                    continue
                agent = {"version": "demo", "hostname": host, "os": "linux"}
                batch = {"batch_id": uuid.uuid4().hex, "sent_at": sent, "agent": agent}
                await _send(
                    client, "/api/v1/ingest/metrics", batch | {"samples": [sample(host, now)]}
                )
                lines = log_lines(host, now)
                if lines:
                    await _send(
                        client,
                        "/api/v1/ingest/logs",
                        batch | {"batch_id": uuid.uuid4().hex, "lines": lines},
                    )
            await asyncio.sleep(INTERVAL_S - (time.time() - now) % INTERVAL_S)
