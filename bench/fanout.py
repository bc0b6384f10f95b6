"""Fan-out: time from an incident change (a REST call) to its arrival at every client.

C real Socket.IO clients of one team listen; each round renames an incident
through PATCH /api/v1/incidents/{id} and waits until every client has the
`incident.updated` event. Beside it, in the same run, a bare python-socketio
server emits the same payload to the same number of clients: the ceiling.

    python bench/fanout.py                 # 100 and 1,000 clients, 20 rounds each
    python bench/fanout.py --quick         # 50 clients, 5 rounds
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx
import socketio

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _support import (  # noqa: E402
    Databases,
    machine,
    percentile,
    progress,
    stop_process,
    wait_until_ready,
    watchdeck,
)
from watchdeck.db.migrate import upgrade  # noqa: E402
from watchdeck.embedded import free_port  # noqa: E402

GOAL = "Goal: 1,000 clients, p99 ≤ 250 ms"


class Clients:
    """C connected clients that timestamp each `incident.updated` by its title."""

    def __init__(self) -> None:
        self.sockets: list[socketio.AsyncClient] = []
        self.arrivals: dict[str, list[float]] = {}
        self.complete: dict[str, asyncio.Event] = {}

    async def connect(self, url: str, count: int, token: str | None) -> None:
        async def one() -> None:
            client = socketio.AsyncClient(reconnection=False)

            @client.on("incident.updated")
            async def updated(message: dict) -> None:
                title = (message.get("data") or {}).get("title", "")
                arrived = self.arrivals.setdefault(title, [])
                arrived.append(time.perf_counter())
                if len(arrived) == len(self.sockets) and title in self.complete:
                    self.complete[title].set()

            await client.connect(
                url,
                auth={"token": token} if token else None,
                transports=["websocket"],
                wait_timeout=30,
            )
            self.sockets.append(client)

        for start in range(0, count, 50):  # connect in waves: 2 cores also serve the handshakes
            await asyncio.gather(*(one() for _ in range(min(50, count - start))))

    async def round(self, title: str, trigger) -> list[float]:
        """Latencies (ms) of one round: trigger, then wait for every client (30 s at most)."""
        self.complete[title] = asyncio.Event()
        started = time.perf_counter()
        await trigger()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.complete[title].wait(), 30)
        return [(at - started) * 1000 for at in self.arrivals.get(title, [])]

    async def close(self) -> None:
        await asyncio.gather(*(c.disconnect() for c in self.sockets), return_exceptions=True)


async def watchdeck_run(count: int, rounds: int, base: str, token: str, incident: str) -> dict:
    clients = Clients()
    await clients.connect(base, count, token)
    latencies: list[float] = []
    async with httpx.AsyncClient(
        base_url=base, headers={"Authorization": f"Bearer {token}"}
    ) as api:
        started = time.perf_counter()
        for index in range(rounds):
            title = f"round {count}-{index}"

            async def trigger(title: str = title) -> None:
                response = await api.patch(f"/api/v1/incidents/{incident}", json={"title": title})
                response.raise_for_status()

            latencies += await clients.round(title, trigger)
        elapsed = time.perf_counter() - started
    await clients.close()
    return _figures(latencies, count, rounds, elapsed)


async def ceiling_run(count: int, rounds: int, base: str) -> dict:
    clients = Clients()
    await clients.connect(base, count, None)
    latencies: list[float] = []
    async with httpx.AsyncClient(base_url=base) as api:
        started = time.perf_counter()
        for index in range(rounds):
            title = f"round {count}-{index}"

            async def trigger(index: int = index) -> None:
                await api.post(f"/emit?round={count}-{index}")

            latencies += await clients.round(title, trigger)
        elapsed = time.perf_counter() - started
    await clients.close()
    return _figures(latencies, count, rounds, elapsed)


def _figures(latencies: list[float], count: int, rounds: int, elapsed: float) -> dict:
    return {
        "delivered": len(latencies),
        "expected": count * rounds,
        "p50": percentile(latencies, 50),
        "p99": percentile(latencies, 99),
        "rate": len(latencies) / elapsed if elapsed else 0.0,
    }


async def setup(folder: Path, dbs: Databases) -> tuple[str, str, str, list]:
    url = await dbs.fresh("fanout")
    await asyncio.to_thread(upgrade, url)
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "REDIS_URL": dbs.redis_url,
        "WATCHDECK_SECRET_KEY": "bench-secret-" + "k" * 32,
        "WATCHDECK_PORT": str(port),
        "WATCHDECK_LOG_LEVEL": "warning",
        "WATCHDECK_SIGNUP_LIMIT_PER_IP": "1000",
    }
    api = watchdeck(["api"], env, folder / "api.log")
    base = f"http://127.0.0.1:{port}"
    async with httpx.AsyncClient(base_url=base) as client:
        await wait_until_ready(client, api)
        signup = await client.post(
            "/api/v1/auth/signup",
            json={
                "email": "bench@example.com",
                "password": "bench-password",
                "name": "Bench",
                "team_name": "Bench",
            },
        )
        token = signup.json()["access_token"]
        incident = await client.post(
            "/api/v1/incidents",
            json={"title": "Fan-out", "severity": "low"},
            headers={"Authorization": f"Bearer {token}"},
        )
        incident.raise_for_status()
    return base, token, incident.json()["id"], [api]


def start_ceiling(folder: Path) -> tuple[str, object]:
    import subprocess

    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "_fanout_ceiling:app",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        cwd=Path(__file__).resolve().parent,
        stdout=open(folder / "ceiling.log", "wb"),
        stderr=subprocess.STDOUT,
    )
    return f"http://127.0.0.1:{port}", process


async def main(args: argparse.Namespace) -> None:
    print(f"Fan-out benchmark, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {machine()}")
    folder = Path(tempfile.mkdtemp(prefix="watchdeck-fanout-"))
    dbs = Databases(folder / "servers")
    processes: list = []
    results = []
    try:
        progress("starting the api")
        base, token, incident, processes = await setup(folder, dbs)
        ceiling_base, ceiling = start_ceiling(folder)
        processes.append(ceiling)
        async with httpx.AsyncClient() as probe:
            for _ in range(100):
                try:
                    await probe.get(f"{ceiling_base}/emit?round=warmup")
                    break
                except httpx.TransportError:
                    await asyncio.sleep(0.1)
        for count in args.clients:
            progress(f"{count} clients: Watchdeck, {args.rounds} rounds")
            ours = await watchdeck_run(count, args.rounds, base, token, incident)
            progress(f"{count} clients: bare python-socketio, {args.rounds} rounds")
            bare = await ceiling_run(count, args.rounds, ceiling_base)
            results.append((count, ours, bare))
    finally:
        for process in processes:
            stop_process(process)
        await dbs.drop_all()
        dbs.stop()
    print()
    print(
        f"{'clients':>8} {'server':<22} {'delivered':>12} {'p50 ms':>8} {'p99 ms':>8} {'msgs/s':>9}"
    )
    for count, ours, bare in results:
        for name, row in (("watchdeck", ours), ("bare python-socketio", bare)):
            print(
                f"{count:>8} {name:<22} {row['delivered']:>6}/{row['expected']:<5} "
                f"{_ms(row['p50']):>8} {_ms(row['p99']):>8} {row['rate']:>9.0f}"
            )
    print()
    print(GOAL)
    for count, ours, _ in results:
        if count == 1000:
            met = (
                ours["p99"] is not None
                and ours["p99"] <= 250
                and ours["delivered"] == ours["expected"]
            )
            verdict = "PASS" if met else "MISS"
            delivered = f"{ours['delivered']}/{ours['expected']} delivered"
            print(f"  {verdict}: p99 {_ms(ours['p99'])} ms, {delivered}")


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f}"


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clients", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--quick", action="store_true", help="50 clients, 5 rounds")
    args = parser.parse_args()
    if args.quick:
        args.clients, args.rounds = [50], 5
    return args


if __name__ == "__main__":
    asyncio.run(main(parse()))
