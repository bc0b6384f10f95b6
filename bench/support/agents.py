"""Simulated watchdeck-agents: the samples they send, and pushing gzip'd batches through the
ingest API with each host's token, counting the answers."""

from __future__ import annotations

import gzip
import random
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

import httpx
import msgspec

from .team import Host

GZIP_LEVEL = 6  # what watchdeck-agent uses
# The `detail` column of a stored sample, as the ingest route writes it for a 2-core host.
DETAIL = '{"cpu_per_core": [12.5, 30.1], "disks": [{"mount": "/", "percent": 50.0}]}'


def sample(at: datetime, rng: random.Random) -> dict:
    """One metric sample of a 2-core host with 8 GB of memory, as the agent sends it."""
    cpu = round(rng.uniform(1, 95), 1)
    used = rng.randrange(1_000_000_000, 7_000_000_000)
    return {
        "at": at,
        "cpu_percent": cpu,
        "cpu_per_core": [cpu, round(rng.uniform(0, 100), 1)],
        "load1": round(cpu / 25, 2),
        "load5": round(cpu / 30, 2),
        "load15": round(cpu / 35, 2),
        "mem_used_bytes": used,
        "mem_total_bytes": 8_000_000_000,
        "mem_percent": round(used / 8e7, 1),
        "swap_used_bytes": 0,
        "swap_percent": 0.0,
        "disks": [{"mount": "/", "used_bytes": 50, "total_bytes": 100, "percent": 50.0}],
        "disk_read_bps": rng.uniform(0, 5e6),
        "disk_write_bps": rng.uniform(0, 5e6),
        "net_rx_bps": rng.uniform(0, 1e7),
        "net_tx_bps": rng.uniform(0, 1e7),
        "uptime_s": 86_400,
        "processes": rng.randrange(80, 400),
    }


@dataclass
class Pushes:
    """What the ingest API answered to pushes: items accepted per route ("metrics", "logs"),
    answers by status, transport errors by kind, and the latency of each 202."""

    accepted: Counter = field(default_factory=Counter)
    statuses: Counter = field(default_factory=Counter)
    errors: Counter = field(default_factory=Counter)
    latencies_ms: list[float] = field(default_factory=list)

    @property
    def ok(self) -> int:
        return self.statuses[202]

    @property
    def refused(self) -> int:
        """Pushes not accepted: other answers and transport errors."""
        return self.statuses.total() - self.ok + self.errors.total()


class Agent:
    """One host's agent, pushing through `client` (whose base URL is the api)."""

    def __init__(self, host: Host, client: httpx.AsyncClient, pushes: Pushes) -> None:
        self.rng = random.Random(host.name)
        self.client = client
        self.pushes = pushes
        self.headers = {
            "Authorization": f"Bearer {host.token}",
            "Content-Type": "application/json",
            "Content-Encoding": "gzip",
        }
        self.info = {"version": "0.1.0", "hostname": host.name, "os": "linux"}

    async def push(self, route: str, now: datetime, **items: list) -> bool:
        """POST a batch of `items` (samples=… or lines=…) to /api/v1/ingest/`route`, with a
        fresh batch id; whether it was accepted."""
        batch = {"batch_id": uuid.uuid4().hex, "sent_at": now, "agent": self.info, **items}
        body = gzip.compress(msgspec.json.encode(batch), compresslevel=GZIP_LEVEL)
        started = time.perf_counter()
        try:
            response = await self.client.post(
                f"/api/v1/ingest/{route}", content=body, headers=self.headers
            )
        except httpx.HTTPError as exc:
            self.pushes.errors[type(exc).__name__] += 1
            return False
        self.pushes.statuses[response.status_code] += 1
        if response.status_code != 202:
            return False
        self.pushes.latencies_ms.append((time.perf_counter() - started) * 1000)
        self.pushes.accepted[route] += response.json()["accepted"]
        return True
