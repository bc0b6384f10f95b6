"""Log volume: how many bytes a day the api and a worker write at their default log level
while checking services, beside the budget of 50 MB a day at 3,000 services every 20 s.

    .venv/bin/python bench/log_volume.py                       # 3,000 services @ 20 s, 120 s
    .venv/bin/python bench/log_volume.py --services 300 --seconds 60

Starts its own embedded PostgreSQL and Redis (or uses DATABASE_URL / REDIS_URL: a fresh
database, and the Redis database is flushed) and a local nginx target, runs `watchdeck api`
and one `watchdeck worker` with JSON logs at the default level, lets the first round of
checks pass, then counts what both write over the measured window and scales it to a day.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from pathlib import Path

from support.processes import run_bench, start_api, stop_process, watchdeck
from support.report import header, progress
from support.servers import Databases, servers
from support.targets import start_target
from support.team import seed_services

BUDGET_BYTES_PER_DAY = 50e6
BUDGET_AT = "3,000 services @ 20 s"
DAY_S = 86_400


async def measure(args: argparse.Namespace, folder: Path, dbs: Databases) -> list[str]:
    url = await dbs.fresh("logs")
    progress(f"seeding {args.services:,} services every {args.interval} s")
    processes = []
    with start_target(folder / "target") as target:
        await seed_services(url, args.services, args.interval, target.base)
        env = dbs.env(url, log_level=None)  # the default level is what is measured
        logs = [folder / "api.log", folder / "worker.log"]
        try:
            processes.append((await start_api(env, logs[0]))[0])
            processes.append(watchdeck(["worker"], env, logs[1]))
            progress(f"letting the first round pass ({args.interval + 10} s)")
            await asyncio.sleep(args.interval + 10)
            before = [log.stat().st_size for log in logs]
            started = time.monotonic()
            progress(f"counting log bytes for {args.seconds} s")
            await asyncio.sleep(args.seconds)
            elapsed = time.monotonic() - started
            written = [log.stat().st_size - size for log, size in zip(logs, before, strict=True)]
            lines = [log.read_bytes().count(b"\n") for log in logs]  # start-up lines included
        finally:
            for process in processes:
                stop_process(process)

    per_day = sum(written) / elapsed * DAY_S
    checks_per_s = args.services / args.interval
    return [
        f"workload {args.services:,} services @ {args.interval} s = {checks_per_s:,.0f} checks/s, "
        f"measured {elapsed:.0f} s after the first round",
        f"api      {written[0]:,} bytes ({lines[0]} lines in the whole file)",
        f"worker   {written[1]:,} bytes ({lines[1]} lines in the whole file)",
        f"per day  {per_day / 1e6:,.2f} MB; budget {BUDGET_BYTES_PER_DAY / 1e6:.0f} MB a day at "
        f"{BUDGET_AT}: {per_day / BUDGET_BYTES_PER_DAY:.1%} of it",
    ]


async def bench(args: argparse.Namespace) -> None:
    lines = header("Log volume at the default level (JSON off a terminal)")
    async with servers("logs") as (folder, dbs):
        lines += await measure(args, folder, dbs)
    print("\n".join(lines))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--services", type=int, default=3000)
    parser.add_argument("--interval", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=120)
    run_bench(bench, parser.parse_args())


if __name__ == "__main__":
    main()
