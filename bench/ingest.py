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
import gzip
import os
import random
import shutil
import tempfile
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import msgspec
import psutil
from _stack import DETAIL, fresh_stack, header, run, start_api, team_with_hosts
from _support import (
    CpuWindow,
    Databases,
    log_problems,
    percentile,
    pids,
    postgres_pid,
    progress,
    redis_pid,
    stop_process,
    tree,
    watchdeck,
)
from arq.constants import default_queue_name, health_check_key_suffix
from redis.asyncio import Redis
from watchdeck.domain.hosts.jobs import METRIC_COLUMNS

GOAL_RATE = 20_000
GOAL = f"Goal: ≥ {GOAL_RATE:,} samples/s end to end on 2 cores"
QUEUE = default_queue_name  # "arq:queue": every job waits here until a worker finishes it
STEP = timedelta(microseconds=100)  # between one host's samples: distinct, and never ahead
GZIP_LEVEL = 6  # what watchdeck-agent uses


@dataclass
class Pushes:
    accepted: int = 0
    statuses: Counter = field(default_factory=Counter)
    errors: Counter = field(default_factory=Counter)
    latencies_ms: list[float] = field(default_factory=list)


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


def sample(at: datetime, rng: random.Random) -> dict:
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


async def agent(
    name: str, token: str, client: httpx.AsyncClient, size: int, deadline: float, out: Pushes
) -> None:
    """Push batches back to back until the deadline, each with a fresh batch id and times."""
    rng = random.Random(name)
    headers = {
        "Authorization": f"Bearer {token}",
        "Content-Type": "application/json",
        "Content-Encoding": "gzip",
    }
    info = {"version": "0.1.0", "hostname": name, "os": "linux"}
    last = datetime.now(UTC) - timedelta(minutes=1)
    while time.monotonic() < deadline:
        now = datetime.now(UTC)
        first = max(last + STEP, now - STEP * size)
        times = [first + STEP * i for i in range(size)]
        last = times[-1]
        batch = {"batch_id": uuid.uuid4().hex, "sent_at": now, "agent": info}
        batch["samples"] = [sample(at, rng) for at in times]
        body = gzip.compress(msgspec.json.encode(batch), compresslevel=GZIP_LEVEL)
        started = time.perf_counter()
        try:
            response = await client.post("/api/v1/ingest/metrics", content=body, headers=headers)
        except httpx.HTTPError as exc:
            out.errors[type(exc).__name__] += 1
            await asyncio.sleep(0.1)
            continue
        out.statuses[response.status_code] += 1
        if response.status_code == 202:
            out.latencies_ms.append((time.perf_counter() - started) * 1000)
            out.accepted += response.json()["accepted"]
        else:
            await asyncio.sleep(0.1)  # 429 / 503: back off as an agent would


# ── one run ────────────────────────────────────────────────────────────────────────────────


async def queued_batches(redis: Redis) -> int:
    """Ingest jobs still in the queue (waiting or running); cron jobs do not count."""
    depth = await redis.zcard(QUEUE)
    if 0 < depth <= 10:
        members = await redis.zrange(QUEUE, 0, -1)
        depth = sum(1 for m in members if m.startswith(b"ingest:"))
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
    url, env = await fresh_stack(dbs, "ingest", lines)
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
        _, hosts = await team_with_hosts(bases[0], args.agents, prefix="bench")
        shards = -(-args.agents // args.per_client)
        limits = httpx.Limits(max_connections=args.per_client)
        clients = [
            httpx.AsyncClient(base_url=bases[i % len(bases)], limits=limits, timeout=60)
            for i in range(shards)
        ]
        groups = {
            "api": pids(*(a.pid for a in apis)),
            "workers": pids(*(w.pid for w in workers)),
            "postgres": tree(postgres_pid(url)),
            "redis": tree(redis_pid(dbs.redis_url)),
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
        tasks += [
            asyncio.create_task(
                agent(name, token, clients[i // args.per_client], args.samples, deadline, pushes)
            )
            for i, (_, name, token) in enumerate(hosts)
        ]
        while not all(task.done() for task in tasks):
            await asyncio.wait(tasks, timeout=min(10.0, max(args.seconds / 6, 1.0)))
            elapsed = time.monotonic() - began
            progress(
                f"  {elapsed:5.1f} s: {pushes.accepted:,} samples accepted "
                f"({pushes.accepted / elapsed:,.0f}/s), queue {await redis.zcard(QUEUE):,} jobs"
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
        count = result.rows or pushes.accepted
        progress(f"ceiling: one raw COPY of {count:,} rows of the same shape into host_metrics")
        await copy_ceiling(conn, [host_id for host_id, _, _ in hosts], count, result)
    except (RuntimeError, httpx.HTTPError):
        for log in logs:
            tail = log.read_text(errors="replace").splitlines()[-10:] if log.exists() else []
            print("\n".join(f"    {log.name}: {line}" for line in tail), flush=True)
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


def _cpu(used: dict) -> str:
    parts = [f"{k} {'n/a' if v is None else f'{v:.0f} %'}" for k, v in used.items()]
    return " · ".join(parts) + f" (of {psutil.cpu_count() * 100} %)"


def report(args, result: Result, pushes: Pushes, lines: list[str]) -> None:
    accepted_rate = pushes.accepted / result.push_s if result.push_s else 0.0
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
        "accepted": f"{accepted_rate:,.0f} samples/s ({pushes.accepted:,} samples in "
        f"{result.push_s:.1f} s)",
        "stored end to end": f"{stored_rate:,.0f} samples/s ({result.rows:,} rows in "
        f"host_metrics over {window:.1f} s; {drained})",
        "not stored": f"{pushes.accepted - result.rows:,} accepted samples"
        + ("" if result.drain_s else " (the queue had not drained)"),
        "push latency": f"p50 {lat[0] or 0:,.1f} ms · p99 {lat[1] or 0:,.1f} ms · max "
        f"{max(pushes.latencies_ms, default=0):,.1f} ms ({len(pushes.latencies_ms):,} pushes)",
        "queue depth": f"max {result.max_depth:,} jobs (zcard {QUEUE} every 1 s); "
        f"{result.depth_at_stop:,} when the agents stopped",
        "CPU, pushing": _cpu(result.cpu_push),
        "CPU, until drained": _cpu(result.cpu_all),
        "logs": f"{len(result.problems)} warning/error lines"
        + (f"; first: {result.problems[0]}" if result.problems else ""),
        "ceiling: raw COPY": f"{ceiling:,.0f} rows/s ({result.ceiling_rows:,} rows in "
        f"{result.ceiling_s:.2f} s, one asyncpg copy_records_to_table, one connection)",
        "end to end vs COPY": f"{stored_rate / ceiling:.1%}" if ceiling else "n/a",
    }
    print("\n" + "═" * 100 + "\n" + "\n".join(lines) + "\n")
    for name, text in rows.items():
        print(f"  {name:<20} {text}")
    met = result.drain_s is not None and stored_rate >= GOAL_RATE
    diff = stored_rate - GOAL_RATE
    side = "over" if diff >= 0 else "short"
    how = f"{abs(diff):,.0f} samples/s ({abs(diff) / GOAL_RATE:.0%}) {side}"
    verdict = "PASS" if met else "MISS"
    print(f"\n{GOAL}\n  {verdict}  {stored_rate:,.0f} samples/s end to end, {how}")
    if args.agents != 50 or args.seconds != 60 or args.samples != 100:
        print("  (not the full-size run: 50 agents × 100 samples for 60 s)")
    print("═" * 100, flush=True)


# ── main ───────────────────────────────────────────────────────────────────────────────────


async def bench(args) -> None:
    lines = header("Watchdeck ingest benchmark (bench/ingest.py)")
    print("\n".join(lines), flush=True)
    lines.append(
        f"run      {args.agents} agents × {args.samples} samples per gzip'd batch for "
        f"{args.seconds:.0f} s, back to back; {args.per_client} agents per httpx client; "
        f"processes: api × {args.api_processes}, worker × {args.workers}"
    )
    folder = Path(tempfile.mkdtemp(prefix="watchdeck-bench-ingest-"))
    dbs = None
    try:
        progress("starting PostgreSQL and Redis")
        dbs = Databases(folder / "servers")
        result, pushes = await measure(args, dbs, folder, lines)
        report(args, result, pushes, lines)
    finally:
        progress("cleaning up: processes, servers, temporary folder")
        if dbs is not None:
            try:
                await dbs.drop_all()
            finally:
                dbs.stop()
        shutil.rmtree(folder, ignore_errors=True)


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
    run(bench, args)


if __name__ == "__main__":
    main()
