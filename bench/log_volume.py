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
import os
import shutil
import tempfile
import time
from pathlib import Path

from _support import (
    Databases,
    machine,
    progress,
    seed_services,
    start_target,
    stop_process,
    watchdeck,
)
from redis.asyncio import Redis
from watchdeck.db.migrate import upgrade
from watchdeck.embedded import free_port

BUDGET_BYTES_PER_DAY = 50e6
BUDGET_AT = "3,000 services @ 20 s"
SECRET_KEY = "bench-secret-key-" + "x" * 32
DAY_S = 86_400


async def measure(args: argparse.Namespace, folder: Path) -> list[str]:
    dbs = Databases(folder / "servers")
    target = start_target(folder / "target")
    processes = []
    try:
        url = await dbs.fresh("logs")
        progress("migrating a fresh database")
        await asyncio.to_thread(upgrade, url)
        redis = Redis.from_url(dbs.redis_url)
        await redis.flushdb()
        await redis.aclose()
        progress(f"seeding {args.services:,} services every {args.interval} s")
        await seed_services(
            url, args.services, args.interval, target, "bench@example.com", "bench-password-1"
        )
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "REDIS_URL": dbs.redis_url,
            "WATCHDECK_SECRET_KEY": SECRET_KEY,
            "WATCHDECK_LOG_FORMAT": "json",
        }
        env.pop("WATCHDECK_LOG_LEVEL", None)  # the default level is what is measured
        logs = [folder / "api.log", folder / "worker.log"]
        processes.append(watchdeck(["api", "--port", str(free_port())], env, logs[0]))
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
        target.stop()
        await dbs.drop_all()
        dbs.stop()

    per_day = sum(written) / elapsed * DAY_S
    checks_per_s = args.services / args.interval
    return [
        "Log volume at the default level (JSON off a terminal)",
        f"date     {time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC",
        f"machine  {machine()}",
        f"workload {args.services:,} services @ {args.interval} s = {checks_per_s:,.0f} checks/s, "
        f"measured {elapsed:.0f} s after the first round",
        f"api      {written[0]:,} bytes ({lines[0]} lines in the whole file)",
        f"worker   {written[1]:,} bytes ({lines[1]} lines in the whole file)",
        f"per day  {per_day / 1e6:,.2f} MB; budget {BUDGET_BYTES_PER_DAY / 1e6:.0f} MB a day at "
        f"{BUDGET_AT}: {per_day / BUDGET_BYTES_PER_DAY:.1%} of it",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--services", type=int, default=3000)
    parser.add_argument("--interval", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=120)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="watchdeck-bench-logs-"))
    try:
        print("\n".join(asyncio.run(measure(args, folder))))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
