"""How long `watchdeck up --demo` takes to backfill the demo team's week on its first start.

    .venv/bin/python bench/demo_backfill.py            # 3 runs, each on a fresh database
    .venv/bin/python bench/demo_backfill.py --runs 1

Each run migrates a fresh database, creates the first admin and seeds the demo team as `up`
does, then times `history.backfill` (7 days of checks and their hourly rollups, host metric
rollups and the last hour's raw samples, service traffic, past incidents and an alert, in one
transaction, committed), and counts the rows it wrote. A second backfill on the same database
is timed too: it finds the history and writes nothing. Embedded PostgreSQL and Redis under a
temporary folder (or DATABASE_URL for a fresh database per run); nothing else of Watchdeck runs
meanwhile, and the machine's load average is printed, since other work on the cores shows in
the figure.
"""

from __future__ import annotations

import argparse
import time

from sqlalchemy import text
from support.measures import percentile
from support.processes import run_bench
from support.report import header, progress
from support.servers import Databases, servers
from support.targets import NOWHERE
from watchdeck.db.engine import make_engine, make_session_factory
from watchdeck.demo import history
from watchdeck.demo.seed import seed_demo
from watchdeck.domain.accounts.bootstrap import create_user
from watchdeck.platform.clock import utcnow

GOAL_S = 10.0
TABLES = [
    "checks", "check_hourly", "host_metrics", "host_metrics_1m", "host_metrics_1h",
    "service_metrics", "incidents", "incident_timeline", "incident_comments", "alerts",
    "deliveries",
]  # fmt: skip


async def _backfill(factory, demo) -> tuple[bool, float]:
    """(whether it wrote, seconds) of one backfill, committed."""
    async with factory() as session:
        start = time.perf_counter()
        wrote = await history.backfill(session, demo, utcnow())
        return wrote, time.perf_counter() - start


async def _run(dbs: Databases, label: str) -> tuple[float, float, dict[str, int]]:
    url = await dbs.fresh(label)
    engine = make_engine(dbs.settings(url))
    try:
        factory = make_session_factory(engine)
        async with factory() as session:
            await create_user(session, "admin@example.com", "Admin", "x" * 12, "Watchdeck")
            demo = await seed_demo(session, NOWHERE)
            assert demo is not None
        wrote, first = await _backfill(factory, demo)
        assert wrote, "a fresh database already had history"
        again, second = await _backfill(factory, demo)
        assert not again, "the second backfill wrote again"
        async with engine.connect() as conn:
            counts = {t: await conn.scalar(text(f"SELECT count(*) FROM {t}")) for t in TABLES}
        return first, second, counts
    finally:
        await engine.dispose()


async def bench(args: argparse.Namespace) -> None:
    lines = header("demo backfill: `up --demo` on an empty data folder")
    async with servers("demo") as (_, dbs):
        timings, repeats, counts = [], [], {}
        for run in range(args.runs):
            progress(f"run {run + 1} of {args.runs}: fresh database, seed, backfill")
            first, second, counts = await _run(dbs, f"demo{run}")
            timings.append(first)
            repeats.append(second)
            progress(f"  backfill {first:.2f} s, again {second * 1000:.0f} ms")
        lines += await dbs.describe()
    lines.append("rows     " + ", ".join(f"{t} {n:,}" for t, n in counts.items()))
    median = percentile(timings, 50)
    lines.append(
        f"backfill {median:.2f} s median of {len(timings)} (min {min(timings):.2f} s, "
        f"max {max(timings):.2f} s); goal ≤ {GOAL_S:.0f} s: "
        f"{'met' if max(timings) <= GOAL_S else 'missed'}"
    )
    again = max(repeats) * 1000
    lines.append(f"again    {again:.0f} ms at most: finds the history and writes nothing")
    print("\n".join(lines))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    run_bench(bench, parser.parse_args())
