"""Agent ingest at scale: K simulated agents push gzip'd metric batches through the real HTTP API
for T seconds; how many samples per second are accepted, how many reach host_metrics end to end,
how fast the API answers, how deep the arq queue grows and what it all costs in CPU, beside the
ceiling of a raw COPY of as many rows into the same table.

    .venv/bin/python bench/ingest.py              # 50 agents × 100 samples per batch for 60 s
    .venv/bin/python bench/ingest.py --quick      # 5 agents for 5 s: a smoke run
    .venv/bin/python bench/ingest.py --agents 100 --workers 2 --api-processes 2

Starts everything it needs and removes it at the end (also on Ctrl-C): embedded PostgreSQL and
Redis under a temporary folder (or the servers in DATABASE_URL / REDIS_URL: a fresh database per
run, and the Redis database is flushed, so point it at a throwaway one), `watchdeck api` and
`watchdeck worker` processes. The agents run in this process, on the same cores as the servers:
their CPU is reported as `agents`.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from arq.constants import default_queue_name, health_check_key_suffix
from redis.asyncio import Redis
from support.agents import DETAIL, Agent, Pushes, sample
from support.measures import CpuWindow, percentile, pids
from support.processes import (
    log_problems,
    print_log_tails,
    run_bench,
    start_api,
    stop_process,
    watchdeck,
)
from support.report import RULE, cpu_text, header, note_if_not_full_size, progress
from support.servers import Databases, servers
from support.team import ApiClient
from watchdeck.domain.hosts.jobs import METRIC_COLUMNS
from watchdeck.platform import keys

GOAL_RATE = 50_000
PUSH_P99_MS = 250.0
GOAL = (
    f"Goals: ≥ {GOAL_RATE:,} samples/s end to end on 2 cores, push p99 ≤ {PUSH_P99_MS:,.0f} ms, "
    "no accepted sample lost"
)
QUEUE = default_queue_name  # "arq:queue": every job waits here until a worker finishes it
STEP = timedelta(microseconds=100)  # between one host's samples: distinct, and never ahead


@dataclass
class Result:
    push_s: float = 0.0
    drain_s: float | None = None  # from the first push until the queue held no batch
    rows: int = 0
    max_depth: int = 0
    depth_at_stop: int = 0
    cpu_push: dict = field(default_factory=dict)
    cpu_all: dict = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    ceiling_rows: int = 0
    ceiling_s: float = 0.0


# ── the agents ─────────────────────────────────────────────────────────────────────────────


async def push_until(agent: Agent, size: int, deadline: float) -> None:
    """Push batches back to back until the deadline, each with fresh times."""
    last = datetime.now(UTC) - timedelta(minutes=1)
    while time.monotonic() < deadline:
        now = datetime.now(UTC)
        first = max(last + STEP, now - STEP * size)
        times = [first + STEP * i for i in range(size)]
        last = times[-1]
        if not await agent.push("metrics", now, samples=[sample(at, agent.rng) for at in times]):
            await asyncio.sleep(0.1)  # 429 / 503 / no answer: back off as an agent would


# ── one run ────────────────────────────────────────────────────────────────────────────────


async def queued_batches(redis: Redis) -> int:
    """Ingest jobs still in the queue (waiting or running); cron jobs do not count."""
    depth = await redis.zcard(QUEUE)
    if 0 < depth <= 10:
        members = await redis.zrange(QUEUE, 0, -1)
        depth = sum(1 for m in members if m.startswith(keys.PREFIX.encode() + b"ingest:"))
    return depth


async def watch_queue(redis: Redis, result: Result, stop: asyncio.Event) -> None:
    while not stop.is_set():
        result.max_depth = max(result.max_depth, await redis.zcard(QUEUE))
        try:
            await asyncio.wait_for(stop.wait(), 1.0)
        except TimeoutError:
            pass


async def copy_ceiling(conn, host_ids: list[uuid.UUID], count: int, result: Result) -> None:
    """One COPY of `count` rows shaped like stored samples into host_metrics, one connection."""
    rng = random.Random(7)
    values = [
        (*(rng.uniform(0, 100) for _ in range(11)), 2_000_000_000, 8_000_000_000, 150, 86_400)
        for _ in range(1000)
    ]
    start = datetime.now(UTC) - timedelta(hours=1)
    rows = [
        (host_ids[i % len(host_ids)], start + STEP * i, *values[i % 1000], DETAIL)
        for i in range(count)
    ]
    started = time.perf_counter()
    async with conn.transaction():
        await conn.copy_records_to_table("host_metrics", records=rows, columns=METRIC_COLUMNS)
    result.ceiling_s, result.ceiling_rows = time.perf_counter() - started, count


async def measure(args, dbs: Databases, folder: Path, lines: list[str]) -> tuple[Result, Pushes]:
    url = await dbs.fresh("ingest")
    lines += await dbs.describe()
    env = dbs.env(url)
    conn = await dbs.connect(url)
    redis = Redis.from_url(dbs.redis_url)
    logs = [folder / f"api-{i + 1}.log" for i in range(args.api_processes)]
    logs += [folder / f"worker-{i + 1}.log" for i in range(args.workers)]
    apis, workers, clients, tasks = [], [], [], []
    result, pushes = Result(), Pushes()
    try:
        progress(f"starting {args.api_processes} `watchdeck api` and {args.workers} workers")
        workers = [watchdeck(["worker"], env, log) for log in logs[args.api_processes :]]
        bases = []
        for log in logs[: args.api_processes]:
            api, base = await start_api(env, log)
            apis.append(api)
            bases.append(base)
        while not await redis.exists(QUEUE + health_check_key_suffix):
            if any(w.poll() is not None for w in workers):
                raise RuntimeError("a worker exited at start (see its log)")
            await asyncio.sleep(0.2)
        await asyncio.sleep(1.0 if args.workers > 1 else 0.0)  # the others start alike
        progress(f"signing up and creating {args.agents} hosts through the API")
        async with ApiClient(bases[0]) as api:
            await api.sign_up()
            hosts = await api.add_hosts(args.agents, "bench")
        shards = -(-args.agents // args.per_client)
        limits = httpx.Limits(max_connections=args.per_client)
        clients = [
            httpx.AsyncClient(base_url=bases[i % len(bases)], limits=limits, timeout=60)
            for i in range(shards)
        ]
        groups = {
            "api": pids(*(a.pid for a in apis)),
            "workers": pids(*(w.pid for w in workers)),
            **dbs.processes(url),
            "agents": pids(os.getpid()),
        }
        cpu_push, cpu_all = CpuWindow(groups), CpuWindow(groups)
        stop_watching = asyncio.Event()
        progress(
            f"{args.agents} agents push batches of {args.samples} samples for {args.seconds:.0f} s"
        )
        cpu_push.start()
        cpu_all.start()
        began = time.monotonic()
        watcher = asyncio.create_task(watch_queue(redis, result, stop_watching))
        deadline = began + args.seconds
        agents = [
            Agent(host, clients[i // args.per_client], pushes) for i, host in enumerate(hosts)
        ]
        tasks += [
            asyncio.create_task(push_until(agent, args.samples, deadline)) for agent in agents
        ]
        while not all(task.done() for task in tasks):
            await asyncio.wait(tasks, timeout=min(10.0, max(args.seconds / 6, 1.0)))
            elapsed = time.monotonic() - began
            accepted = pushes.accepted["metrics"]
            progress(
                f"  {elapsed:5.1f} s: {accepted:,} samples accepted "
                f"({accepted / elapsed:,.0f}/s), queue {await redis.zcard(QUEUE):,} jobs"
            )
        for task in tasks:
            task.result()  # an agent that crashed is a broken bench: say so
        result.push_s = time.monotonic() - began
        result.cpu_push = cpu_push.stop()
        result.depth_at_stop = await redis.zcard(QUEUE)
        progress(f"waiting for the queue to drain ({result.depth_at_stop:,} jobs left)")
        drain_deadline = time.monotonic() + args.drain_timeout
        while (left := await queued_batches(redis)) and time.monotonic() < drain_deadline:
            if any(w.poll() is not None for w in workers):
                raise RuntimeError("a worker exited while draining (see its log)")
            await asyncio.sleep(0.1)
        if not left:
            result.drain_s = time.monotonic() - began
        result.cpu_all = cpu_all.stop()
        stop_watching.set()
        await watcher
        result.rows = await conn.fetchval("SELECT count(*) FROM host_metrics")
        progress(f"  {result.rows:,} rows in host_metrics" + (f"; {left:,} jobs left" * bool(left)))
        result.problems = log_problems(logs)
        for process in [*apis, *workers]:
            stop_process(process)
        count = result.rows or pushes.accepted["metrics"]
        progress(f"ceiling: one raw COPY of {count:,} rows of the same shape into host_metrics")
        await copy_ceiling(conn, [host.id for host in hosts], count, result)
    except (RuntimeError, httpx.HTTPError):
        print_log_tails(logs, lines=10)
        raise
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*(client.aclose() for client in clients))
        for process in [*apis, *workers]:
            stop_process(process)
        await redis.aclose()
        await conn.close()
    return result, pushes


# ── the report ─────────────────────────────────────────────────────────────────────────────


def report(args, result: Result, pushes: Pushes, lines: list[str]) -> None:
    accepted = pushes.accepted["metrics"]
    accepted_rate = accepted / result.push_s if result.push_s else 0.0
    window = result.drain_s or (result.push_s + args.drain_timeout)
    stored_rate = result.rows / window if window else 0.0
    lat = [percentile(pushes.latencies_ms, q) for q in (50, 99)]
    others = {k: v for k, v in pushes.statuses.items() if k != 202}
    drained = (
        f"queue drained {result.drain_s - result.push_s:.1f} s after the agents stopped"
        if result.drain_s
        else f"queue NOT drained within {args.drain_timeout:.0f} s"
    )
    ceiling = result.ceiling_rows / result.ceiling_s if result.ceiling_s else 0.0
    rows = {
        "pushes": f"{pushes.statuses[202]:,} answered 202; other answers {dict(others) or 0}; "
        f"transport errors {dict(pushes.errors) or 0}",
        "accepted": f"{accepted_rate:,.0f} samples/s ({accepted:,} samples in "
        f"{result.push_s:.1f} s)",
        "stored end to end": f"{stored_rate:,.0f} samples/s ({result.rows:,} rows in "
        f"host_metrics over {window:.1f} s; {drained})",
        "not stored": f"{accepted - result.rows:,} accepted samples"
        + ("" if result.drain_s else " (the queue had not drained)"),
        "push latency": f"p50 {lat[0] or 0:,.1f} ms · p99 {lat[1] or 0:,.1f} ms · max "
        f"{max(pushes.latencies_ms, default=0):,.1f} ms ({len(pushes.latencies_ms):,} pushes)",
        "queue depth": f"max {result.max_depth:,} jobs (zcard {QUEUE} every 1 s); "
        f"{result.depth_at_stop:,} when the agents stopped",
        "CPU, pushing": cpu_text(result.cpu_push),
        "CPU, until drained": cpu_text(result.cpu_all),
        "logs": f"{len(result.problems)} warning/error lines"
        + (f"; first: {result.problems[0]}" if result.problems else ""),
        "ceiling: raw COPY": f"{ceiling:,.0f} rows/s ({result.ceiling_rows:,} rows in "
        f"{result.ceiling_s:.2f} s, one asyncpg copy_records_to_table, one connection)",
        "end to end vs COPY": f"{stored_rate / ceiling:.1%}" if ceiling else "n/a",
    }
    print("\n" + RULE + "\n" + "\n".join(lines) + "\n")
    for name, text in rows.items():
        print(f"  {name:<20} {text}")
    met = result.drain_s is not None and stored_rate >= GOAL_RATE
    diff = stored_rate - GOAL_RATE
    side = "over" if diff >= 0 else "short"
    how = f"{abs(diff):,.0f} samples/s ({abs(diff) / GOAL_RATE:.0%}) {side}"
    lost = accepted - result.rows
    verdicts = [
        (met, f"{stored_rate:,.0f} samples/s end to end, {how}"),
        (lat[1] is not None and lat[1] <= PUSH_P99_MS, f"push p99 {lat[1] or 0:,.1f} ms"),
        (result.drain_s is not None and lost == 0, f"{lost:,} accepted samples not stored"),
    ]
    print(f"\n{GOAL}")
    for ok, figure in verdicts:
        print(f"  {'PASS' if ok else 'MISS'}  {figure}")
    described = "50 agents × 100 samples for 60 s"
    note_if_not_full_size(args, described, agents=50, seconds=60, samples=100)
    print(RULE, flush=True)


# ── main ───────────────────────────────────────────────────────────────────────────────────


async def bench(args) -> None:
    lines = header("Watchdeck ingest benchmark (bench/ingest.py)")
    print("\n".join(lines), flush=True)
    lines.append(
        f"run      {args.agents} agents × {args.samples} samples per gzip'd batch for "
        f"{args.seconds:.0f} s, back to back; {args.per_client} agents per httpx client; "
        f"processes: api × {args.api_processes}, worker × {args.workers}"
    )
    async with servers("ingest") as (folder, dbs):
        result, pushes = await measure(args, dbs, folder, lines)
        report(args, result, pushes, lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--agents", type=int, default=50, help="simulated agents (= hosts)")
    parser.add_argument("--seconds", type=float, default=60, help="how long the agents push")
    parser.add_argument("--samples", type=int, default=100, help="samples per batch (≤ 500)")
    parser.add_argument("--api-processes", type=int, default=1, help="`watchdeck api` processes")
    parser.add_argument("--workers", type=int, default=1, help="`watchdeck worker` processes")
    parser.add_argument("--per-client", type=int, default=5, help="agents per httpx client")
    parser.add_argument("--drain-timeout", type=float, default=600, help="seconds, at most")
    parser.add_argument("--quick", action="store_true", help="a smoke run: 5 agents for 5 s")
    args = parser.parse_args()
    if args.quick:
        args.agents, args.seconds = 5, 5
    run_bench(bench, args)


if __name__ == "__main__":
    main()
