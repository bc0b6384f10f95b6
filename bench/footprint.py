"""Footprint: what Watchdeck costs a machine for the workload most teams run, 1,000 HTTP
services checked every 20 s by one real `watchdeck worker` process while one real `watchdeck
api` process runs. Over the measured window, after one interval of warm-up, it prints the CPU
(in % of one core) and the PSS memory (proportional set size: shared pages split between the
processes sharing them, so the figures add up) of the api, the worker, PostgreSQL with all its
child processes and Redis, their total against the bars (≤ 5 % of one core, ≤ 250 MB), and the
checks per second achieved against those scheduled, so the figures are those of the work done.

    .venv/bin/python bench/footprint.py                   # 1,000 services every 20 s, 120 s
    .venv/bin/python bench/footprint.py --seconds 30      # a quick look

Starts everything it needs and removes it at the end (also on Ctrl-C), like bench/checks.py:
embedded PostgreSQL and Redis under a temporary folder (or the servers in DATABASE_URL /
REDIS_URL: a fresh database per run, and the Redis database is flushed, so point it at a
throwaway one; a server on another machine is reported as n/a), and a local nginx target
(bench/support/nginx-target.conf; a slower uvicorn target stands in when nginx is missing). The
target and this script are measured too, but shown apart and not counted in the total. This
script holds no PostgreSQL connection during the window, so no backend of its own is counted.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import psutil
from redis.asyncio import Redis
from support.measures import CpuWindow, Finder, pids, tree
from support.processes import (
    log_problems,
    print_log_tails,
    run_bench,
    start_api,
    stop_process,
    watchdeck,
)
from support.report import RULE, header, note_if_not_full_size, progress
from support.schedule import wait_for_schedule
from support.servers import Databases, servers
from support.targets import Target, start_target
from support.team import seed_services

GOAL = (
    "Goal: 1,000 HTTP services every 20 s with one api and one worker cost ≤ 5 % of one core "
    "and ≤ 250 MB of memory (PSS), api + worker + PostgreSQL + Redis together"
)
CPU_BAR = 5.0  # % of one core, api + worker + postgres + redis
PSS_BAR = 250e6  # bytes (MB = 10^6 bytes), the same four
THROUGHPUT_SHARE = 0.99  # achieved / scheduled: a check straddling the window's edge may miss it
COUNTED = ("api", "worker", "postgres", "redis")
APART = ("target", "bench")  # measured, shown, not counted
SAMPLE_EVERY_S = 10.0  # PSS samples during the window


@dataclass
class Run:
    services: int
    interval: int
    seed_s: float = 0.0
    seconds: float = 0.0  # the measured window, as it really lasted
    checks: int = 0
    failed: int = 0
    cpu: dict[str, float | None] = field(default_factory=dict)
    # per group: (bytes, processes) at each sample; None when the group is not on this machine
    pss: list[dict[str, tuple[int, int] | None]] = field(default_factory=list)
    window: tuple[datetime, datetime] | None = None
    log_problems: list[str] = field(default_factory=list)
    error: str | None = None

    @property
    def scheduled(self) -> float:
        return self.services / self.interval

    @property
    def achieved(self) -> float:
        return self.checks / self.seconds if self.seconds else 0.0

    def cpu_total(self) -> float | None:
        """api + worker + postgres + redis, or None when one of them cannot be measured."""
        used = [self.cpu.get(name) for name in COUNTED]
        return None if None in used else sum(used)

    def pss_total(self, sample: dict) -> int | None:
        sizes = [sample.get(name) for name in COUNTED]
        return None if None in sizes else sum(size for size, _ in sizes)

    def pss_peak(self) -> int | None:
        """The highest total of the four over the window's samples."""
        totals = [self.pss_total(sample) for sample in self.pss]
        return None if not totals or None in totals else max(totals)


# ── one run ────────────────────────────────────────────────────────────────────────────────


def pss(find: Finder) -> tuple[int, int] | None:
    """(bytes of PSS, processes) of a group, None when none of its processes is found here."""
    total = counted = 0
    for process in find():
        try:
            total += process.memory_full_info().pss
            counted += 1
        except psutil.Error:
            pass  # a postgres backend that just exited
    return (total, counted) if counted else None


def groups_of(api, worker, url: str, dbs: Databases, target: Target) -> dict[str, Finder]:
    return {
        "api": tree(api.pid),
        "worker": tree(worker.pid),
        **dbs.processes(url),  # postgres: the postmaster and its children; redis
        "target": tree(target.process.pid),
        "bench": pids(os.getpid()),
    }


async def measure(run: Run, seconds: float, groups: dict[str, Finder], watched: list) -> None:
    cpu = CpuWindow(groups)

    def sample() -> dict[str, tuple[int, int] | None]:
        taken = {name: pss(find) for name, find in groups.items()}
        run.pss.append(taken)
        return taken

    start = datetime.now(UTC)
    cpu.start()
    progress(f"measuring for {seconds:.0f} s (PSS every {SAMPLE_EVERY_S:.0f} s)")
    began = time.monotonic()
    sample()
    while (left := seconds - (time.monotonic() - began)) > 0:
        await asyncio.sleep(min(SAMPLE_EVERY_S, left))
        if any(process.poll() is not None for process in watched):
            raise RuntimeError("the api or the worker exited during the measurement (see logs)")
        total = run.pss_total(sample())
        shown = "n/a" if total is None else f"{total / 1e6:,.1f} MB"
        progress(f"  {time.monotonic() - began:5.0f} s: PSS of the four {shown}")
    end = datetime.now(UTC)
    run.cpu = cpu.stop()
    run.seconds = (end - start).total_seconds()
    run.window = (start, end)


async def count_checks(run: Run, dbs: Databases, url: str) -> None:
    """Checks stored in the window, once it is over (no connection of ours during it)."""
    start, end = run.window
    await asyncio.sleep(1)  # the worker stores its results in batches
    conn = await dbs.connect(url)
    try:
        query = "SELECT count(*), count(*) FILTER (WHERE NOT ok) FROM checks "
        query += "WHERE at >= $1 AND at < $2"
        run.checks, run.failed = await conn.fetchrow(query, start, end)
    finally:
        await conn.close()


async def run_once(args, dbs: Databases, target: Target, folder: Path) -> Run:
    progress(f"══ {args.services:,} services every {args.interval} s, 1 api, 1 worker ══")
    url = await dbs.fresh(str(args.services))
    progress(f"seeding a team, its admin and {args.services:,} http services")
    started = time.monotonic()
    await seed_services(url, args.services, args.interval, target.base)
    run = Run(args.services, args.interval, seed_s=time.monotonic() - started)
    progress(f"  seeded in {run.seed_s:.1f} s")
    redis = Redis.from_url(dbs.redis_url)
    env = dbs.env(url)
    logs = [folder / "api.log", folder / "worker.log"]
    api = worker = None
    try:
        progress("starting `watchdeck api`")
        api, _ = await start_api(env, logs[0])
        progress("starting `watchdeck worker`")
        worker = watchdeck(["worker"], env, logs[1])
        await wait_for_schedule(redis, args.services, [worker])
        progress(f"warming up for one interval ({args.interval} s)")
        await asyncio.sleep(args.interval)
        groups = groups_of(api, worker, url, dbs, target)
        await measure(run, args.seconds, groups, [api, worker])
        progress("counting the checks stored in the window")
        await count_checks(run, dbs, url)
        run.log_problems = log_problems(logs)
    except RuntimeError as exc:
        run.error = str(exc)
        progress(f"  the run failed: {exc}")
        print_log_tails(logs)
    finally:
        progress("stopping the worker and the api")
        for process in (worker, api):
            if process is not None:
                stop_process(process)
        await redis.aclose()
    return run


# ── the report ─────────────────────────────────────────────────────────────────────────────


def _ratio(value: float | None, bar: float) -> str:
    return "" if value is None else f" = {value / bar:.2f}× the bar"


def goals(run: Run) -> list[tuple[str, bool | None, str]]:
    """(goal, met or None when it cannot be told, figure) for each goal."""
    rate_met = run.achieved >= run.scheduled * THROUGHPUT_SHARE
    rate = f"{run.achieved:,.1f} checks/s = {run.achieved / run.scheduled:.1%} of scheduled"
    if not rate_met:
        rate += f", {run.scheduled - run.achieved:,.1f} checks/s short"
    cpu, peak = run.cpu_total(), run.pss_peak()
    return [
        (
            f"CPU ≤ {CPU_BAR:g} % of one core (the four together)",
            None if cpu is None else cpu <= CPU_BAR,
            ("n/a (a server is not on this machine)" if cpu is None else f"{cpu:.2f} %")
            + _ratio(cpu, CPU_BAR),
        ),
        (
            f"PSS ≤ {PSS_BAR / 1e6:.0f} MB (the four together, peak)",
            None if peak is None else peak <= PSS_BAR,
            ("n/a (a server is not on this machine)" if peak is None else f"{peak / 1e6:.1f} MB")
            + _ratio(peak, PSS_BAR),
        ),
        (f"checks/s ≥ {THROUGHPUT_SHARE:.0%} of {run.scheduled:,.1f} scheduled", rate_met, rate),
    ]


def _mb(size: tuple[int, int] | None) -> str:
    return "n/a" if size is None else f"{size[0] / 1e6:,.1f} MB"


def group_rows(run: Run) -> list[str]:
    """CPU and PSS (at the end of the window and at its peak) per group, and the total."""
    end = run.pss[-1] if run.pss else {}
    lines = [f"    {'group':<10} {'CPU, % of a core':>16} {'PSS at end':>12} {'PSS peak':>12}"]

    def row(name: str, cpu: float | None, at_end: str, peak: str, note: str = "") -> None:
        shown = "n/a" if cpu is None else f"{cpu:.2f} %"
        lines.append(f"    {name:<10} {shown:>16} {at_end:>12} {peak:>12}{note}")

    for name in (*COUNTED, *APART):
        sizes = [sample.get(name) for sample in run.pss]
        peak = max((size for size in sizes if size is not None), default=None)
        processes = end.get(name)[1] if end.get(name) else 0
        note = f"  {processes} processes" if processes > 1 else ""
        if name in APART:
            note += "  (not counted)"
        if name == APART[0]:
            total_end = run.pss_total(end) if end else None
            peak_total = run.pss_peak()
            row(
                "TOTAL",
                run.cpu_total(),
                "n/a" if total_end is None else f"{total_end / 1e6:,.1f} MB",
                "n/a" if peak_total is None else f"{peak_total / 1e6:,.1f} MB",
                "  api + worker + postgres + redis",
            )
        row(name, run.cpu.get(name), _mb(end.get(name)), _mb(peak), note)
    return lines


def report(args, run: Run, lines: list[str]) -> None:
    print("\n" + RULE + "\n" + "\n".join(lines) + "\n" + GOAL)
    note_if_not_full_size(
        args, "1,000 services every 20 s for 120 s", services=1000, interval=20, seconds=120
    )
    print(f"\n── {run.services:,} services every {run.interval} s, 1 api, 1 worker ──")
    if run.error:
        print(f"  FAILED: {run.error}")
        print(RULE, flush=True)
        return
    machine, other = run.cpu.get("machine"), run.cpu.get("other")
    rows = {
        "seeding": f"{run.seed_s:.1f} s (COPY of {run.services:,} services)",
        "window": f"{run.seconds:.1f} s, after one interval of warm-up; "
        f"PSS sampled {len(run.pss)} times",
        "checks/s": f"{run.achieved:,.1f} achieved / {run.scheduled:,.1f} scheduled "
        f"({run.achieved / run.scheduled:.1%}); {run.checks:,} checks, {run.failed:,} failed",
        "machine": "n/a"
        if machine is None
        else f"{machine:.0f} % of {psutil.cpu_count() * 100} % busy; "
        f"other processes {other or 0:.0f} %",
        "logs": f"{len(run.log_problems)} warning/error lines"
        + (f"; first: {run.log_problems[0]}" if run.log_problems else ""),
    }
    for name, text in rows.items():
        print(f"  {name:<20} {text}")
    print("  CPU and memory (PSS, MB = 10^6 bytes; postgres includes all its child processes):")
    print("\n".join(group_rows(run)))
    if (other or 0) >= 25:
        print(f"  NOTE: other processes took {other:.0f} % of one core meanwhile;")
        print("        the CPU figures may be higher than on a quiet machine")
    print("  goals:")
    for name, met, figure in goals(run):
        print(f"    {({True: 'PASS', False: 'MISS'}).get(met, 'n/a '):4}  {name:<44} {figure}")
    print(RULE, flush=True)


# ── main ───────────────────────────────────────────────────────────────────────────────────


async def bench(args) -> None:
    lines = header("Watchdeck footprint benchmark (bench/footprint.py)")
    print("\n".join(lines), flush=True)
    async with servers("footprint") as (folder, dbs):
        with start_target(folder / "target") as target:
            lines += await dbs.describe()
            lines += [
                f"target   {target.kind} at {target.base}",
                f"run      {args.services:,} services, interval {args.interval} s, "
                f"window {args.seconds:.0f} s, 1 `watchdeck api`, 1 `watchdeck worker`",
            ]
            progress(f"  {lines[-2].split(maxsplit=1)[1]}")
            run = await run_once(args, dbs, target, folder / "run")
            report(args, run, lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--services", type=int, default=1000)
    parser.add_argument("--interval", type=int, default=20, help="seconds between checks")
    parser.add_argument("--seconds", type=float, default=120, help="the measured window")
    run_bench(bench, parser.parse_args())


if __name__ == "__main__":
    main()
