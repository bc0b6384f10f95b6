"""Fan-out: time from an incident change (a REST call) to its arrival at every client.

C real Socket.IO clients of one team listen, spread over several processes (4 by
default) so that one client process is not what bounds the figure; each round renames an incident
through PATCH /api/v1/incidents/{id} and waits until every client has the
`incident.updated` event. Beside it, in the same run, a bare python-socketio
server emits the same payload to the same number of clients: the ceiling.

    python bench/fanout.py                 # 100 and 1,000 clients, 20 rounds each
    python bench/fanout.py --quick         # 50 clients, 5 rounds
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import queue
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

GOAL = "Goal: 1,000 clients in ≥ 4 processes, p99 ≤ 100 ms"


class Clients:
    """Connected clients, in this process, that timestamp each `incident.updated` by title."""

    def __init__(self) -> None:
        self.sockets: list[socketio.AsyncClient] = []
        self.arrivals: dict[str, list[float]] = {}

    async def connect(self, url: str, count: int, token: str | None, done) -> None:
        """`done(title, arrivals)` is called once every client here has the title."""

        async def one() -> None:
            client = socketio.AsyncClient(reconnection=False)

            @client.on("incident.updated")
            async def updated(message: dict) -> None:
                title = (message.get("data") or {}).get("title", "")
                arrived = self.arrivals.setdefault(title, [])
                arrived.append(time.monotonic())
                if len(arrived) == len(self.sockets):
                    done(title, arrived)

            await client.connect(
                url,
                auth={"token": token} if token else None,
                transports=["websocket"],
                wait_timeout=30,
            )
            self.sockets.append(client)

        for start in range(0, count, 50):  # connect in waves: 2 cores also serve the handshakes
            await asyncio.gather(*(one() for _ in range(min(50, count - start))))

    async def close(self) -> None:
        await asyncio.gather(*(c.disconnect() for c in self.sockets), return_exceptions=True)


def listen(url: str, count: int, token: str | None, reports, stop) -> None:
    """One listener process: `count` clients; reports ("ready", n) once connected, then
    (title, arrival times) per round, until `stop` is set."""

    async def main() -> None:
        clients = Clients()
        await clients.connect(url, count, token, lambda title, at: reports.put((title, at)))
        reports.put(("ready", len(clients.sockets)))
        await asyncio.to_thread(stop.wait)
        await clients.close()

    asyncio.run(main())


async def timed_rounds(
    count: int,
    rounds: int,
    url: str,
    token: str | None,
    rename: Callable[[str], Awaitable],
    processes: int,
) -> dict:
    """`count` clients, spread over `processes` listener processes so the client side is not
    what bounds the figure, connect to `url`; each round calls rename(title) and times the
    title's arrival at every client. Linux's monotonic clock is one for all processes."""
    context = multiprocessing.get_context("spawn")
    reports, stop = context.Queue(), context.Event()
    shares = [count // processes + (i < count % processes) for i in range(processes)]
    listeners = [
        context.Process(target=listen, args=(url, share, token, reports, stop), daemon=True)
        for share in shares
        if share
    ]
    for listener in listeners:
        listener.start()
    pending: dict[str, list] = {}

    async def next_report(deadline: float):
        wait = max(deadline - time.monotonic(), 0.01)
        try:
            return await asyncio.to_thread(reports.get, True, wait)
        except queue.Empty:
            return None

    ready = 0
    while ready < len(listeners):
        report = await next_report(time.monotonic() + 120)
        if report is None:
            raise RuntimeError("listener processes did not connect within 120 s")
        ready += report[0] == "ready"
    latencies: list[float] = []
    started_all = time.monotonic()
    for index in range(rounds):
        title = f"round {count}-{index}"
        started = time.monotonic()
        await rename(title)
        deadline = started + 30
        while len(pending.get(title, [])) < len(listeners):
            report = await next_report(deadline)
            if report is None:
                break
            pending.setdefault(report[0], []).append(report[1])
        latencies += [(at - started) * 1000 for part in pending.get(title, []) for at in part]
    elapsed = time.monotonic() - started_all
    stop.set()
    for listener in listeners:
        listener.join(30)
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
                    progress(
                        f"{count} clients in {args.processes} processes: Watchdeck, "
                        f"{args.rounds} rounds"
                    )
                    ours = await timed_rounds(
                        count, args.rounds, base, token, rename, args.processes
                    )
                    progress(f"{count} clients: bare python-socketio, {args.rounds} rounds")
                    alone = await timed_rounds(
                        count, args.rounds, bare_base, None, emit, args.processes
                    )
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
                and ours["p99"] <= 100
                and args.processes >= 4
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
    parser.add_argument(
        "--processes", type=int, default=4, help="listener processes the clients are spread over"
    )
    parser.add_argument("--quick", action="store_true", help="50 clients, 5 rounds")
    args = parser.parse_args()
    if args.quick:
        args.clients, args.rounds = [50], 5
    return args


if __name__ == "__main__":
    run_bench(bench, parse())
