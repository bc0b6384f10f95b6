"""Agent-shaped batches, built the way watchdeck-agent sends them."""

from __future__ import annotations

import gzip
import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from httpx import AsyncClient


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def sample(at: datetime, cpu: float = 12.5, **overrides: Any) -> dict[str, Any]:
    return {
        "at": iso(at),
        "cpu_percent": cpu,
        "cpu_per_core": [cpu, cpu],
        "load1": 0.5,
        "load5": 0.4,
        "load15": 0.3,
        "mem_used_bytes": 2_000_000_000,
        "mem_total_bytes": 8_000_000_000,
        "mem_percent": 25.0,
        "swap_used_bytes": 0,
        "swap_percent": 0.0,
        "disks": [{"mount": "/", "used_bytes": 50, "total_bytes": 100, "percent": 50.0}],
        "disk_read_bps": 1000.0,
        "disk_write_bps": 2000.0,
        "net_rx_bps": 3000.0,
        "net_tx_bps": 4000.0,
        "uptime_s": 3600,
        "processes": 120,
    } | overrides


def metrics_batch(
    samples: list[dict], sent_at: datetime | None = None, hostname: str = "web-1"
) -> dict:
    return {
        "batch_id": uuid.uuid4().hex,
        "sent_at": iso(sent_at or datetime.now(UTC)),
        "agent": {"version": "0.1.0", "hostname": hostname, "os": "linux"},
        "samples": samples,
    }


def recent_samples(count: int, every_s: int = 5) -> list[dict]:
    now = datetime.now(UTC)
    return [
        sample(now - timedelta(seconds=every_s * (count - i)), cpu=float(i % 100))
        for i in range(count)
    ]


async def push(
    client: AsyncClient, route: str, token: str, batch: dict | bytes, gzipped: bool = True
):
    body = batch if isinstance(batch, bytes) else json.dumps(batch).encode()
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    if gzipped:
        body = gzip.compress(body)
        headers["Content-Encoding"] = "gzip"
    return await client.post(f"/api/v1/ingest/{route}", content=body, headers=headers)


def answered(response) -> tuple[int, bool]:
    """An ingest answer's (accepted, duplicate)."""
    body = response.json()
    return body["accepted"], body["duplicate"]
