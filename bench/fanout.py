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
import time
from collections.abc import Awaitable, Callable

import httpx
import socketio
from support.ceilings import start_bare_socketio
from support.measures import percentile
from support.processes import run_bench, start_api, stop_process
from support.report import header, progress
from support.servers import servers
from support.team import ApiClient

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


async def timed_rounds(
    count: int, rounds: int, url: str, token: str | None, rename: Callable[[str], Awaitable]
) -> dict:
    """`count` clients connect to `url`; each round calls rename(title) and times the title's
    arrival at every client."""
    clients = Clients()
    await clients.connect(url, count, token)
    latencies: list[float] = []
    started = time.perf_counter()
    for index in range(rounds):
        title = f"round {count}-{index}"
        latencies += await clients.round(title, lambda title=title: rename(title))
    elapsed = time.perf_counter() - started
    await clients.close()
    return {
        "delivered": len(latencies),
        "expected": count * rounds,
        "p50": percentile(latencies, 50),
        "p99": percentile(latencies, 99),
        "rate": len(latencies) / elapsed if elapsed else 0.0,
    }


async def measure(args) -> list[tuple[int, dict, dict]]:
    """(clients, Watchdeck's figures, the bare server's) per number of clients."""
    results = []
    async with servers("fanout") as (folder, dbs):
        url = await dbs.fresh("fanout")
        progress("starting the api")
        api_process, base = await start_api(dbs.env(url), folder / "api.log")
        bare_process = None
        try:
            bare_base, bare_process = await start_bare_socketio(folder / "bare-socketio.log")
            async with ApiClient(base) as api, httpx.AsyncClient(base_url=bare_base) as bare:
                token = (await api.sign_up()).token
                created = await api.client.post(
                    "/api/v1/incidents", json={"title": "Fan-out", "severity": "low"}
                )
                created.raise_for_status()
                incident = created.json()["id"]

                async def rename(title: str) -> None:
                    answer = await api.client.patch(
                        f"/api/v1/incidents/{incident}", json={"title": title}
                    )
                    answer.raise_for_status()

                async def emit(title: str) -> None:
                    await bare.post("/emit", params={"title": title})

                for count in args.clients:
                    progress(f"{count} clients: Watchdeck, {args.rounds} rounds")
                    ours = await timed_rounds(count, args.rounds, base, token, rename)
                    progress(f"{count} clients: bare python-socketio, {args.rounds} rounds")
                    alone = await timed_rounds(count, args.rounds, bare_base, None, emit)
                    results.append((count, ours, alone))
        finally:
            stop_process(api_process)
            if bare_process is not None:
                stop_process(bare_process)
    return results


async def bench(args) -> None:
    print("\n".join(header("Watchdeck fan-out benchmark (bench/fanout.py)")), flush=True)
    results = await measure(args)
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
    run_bench(bench, parse())
