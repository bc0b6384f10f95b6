"""Reading at scale: host metric charts over 30 days of 5-second samples for 100 hosts, and log
search over 10 M lines, through the real HTTP API (`watchdeck api`), p50/p95 per query.

    .venv/bin/python bench/queries.py             # 100 hosts, 30 days, 10 M log lines
    .venv/bin/python bench/queries.py --quick     # 5 hosts, 3 days, 50 k log lines: a smoke run
    .venv/bin/python bench/queries.py --hosts 20 --raw-days 2 --log-lines 1000000

The data (the output says it again): raw samples only for the raw retention window
(`--raw-days`, default 7), made inside PostgreSQL (INSERT … SELECT over generate_series, in time
order); 1-minute rollups by the product's ROLL_UP_MINUTES over them, and generated directly
before that window, where raw rows would be gone; 1-hour rollups by the product's ROLL_UP_HOURS
over all `--days` of 1-minute ones; log lines from templates over a vocabulary, by COPY; then
VACUUM (ANALYZE), as autovacuum would have done by then.

Starts everything it needs and removes it at the end (also on Ctrl-C): embedded PostgreSQL and
Redis under a temporary folder (or DATABASE_URL / REDIS_URL: a fresh database per run, the Redis
database is flushed) and one `watchdeck api`. No worker runs: nothing rolls up or prunes while
the queries are timed.
"""

from __future__ import annotations

import argparse
import random
import time
import uuid
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool
from support.agents import DETAIL
from support.measures import percentile
from support.processes import run_bench, start_api, stop_process
from support.report import RULE, header, note_if_not_full_size, progress
from support.servers import servers
from support.team import ApiClient
from watchdeck.db.engine import normalize_url
from watchdeck.db.partitions import PARTITIONED, partition_name
from watchdeck.domain.hosts.jobs import METRIC_COLUMNS, ROLL_UP_HOURS, ROLL_UP_MINUTES
from watchdeck.domain.hosts.models import METRICS
from watchdeck.domain.logs.jobs import COLUMNS as LOG_COLUMNS
from watchdeck.domain.logs.models import log_lines
from watchdeck.domain.logs.search import text_query

CHART_P95_MS, SEARCH_P95_MS = 50.0, 200.0
GOAL = "Goals: every chart query p95 ≤ 50 ms; log search p95 ≤ 200 ms"
CHART_RANGES = ["1h", "24h", "7d", "30d"]
LOG_QUERIES = {  # kind → variants, run in turn; common, middling and rare terms
    "word": [{"q": "timeout"}, {"q": "checkpoint"}, {"q": "grace.hopper"}],
    "phrase": [{"q": '"connection refused"'}, {"q": '"card declined"'}, {"q": '"heap exhausted"'}],
    "prefix": [{"q": "pay*"}, {"q": "certif*"}, {"q": "invent*"}],
    "level filter": [{"level": "error"}, {"level": "critical"}, {"level": "warning,error"}],
}

# ── generated metrics: a slow wave per host (12.6 h), with noise ───────────────────────────────

WAVE = "sin(extract(epoch FROM ts) / 7200.0 + n)"
BASE = {  # in terms of the wave w in [-1, 1] and the host's number n
    "cpu": "35 + 25 * w", "load1": "1.4 + w", "load5": "1.3 + 0.8 * w", "load15": "1.2 + 0.6 * w",
    "mem_pct": "55 + 15 * w", "swap_pct": "2 + 2 * w", "disk_pct": "30 + n % 50 + w",
    "disk_read_bps": "2e6 * (1 + w)", "disk_write_bps": "3e6 * (1 + w)",
    "net_rx_bps": "8e6 * (1 + w)", "net_tx_bps": "5e6 * (1 + w)",
}  # fmt: skip
PERCENT = {"cpu", "mem_pct", "swap_pct", "disk_pct"}


def _bounded(metric: str, expr: str) -> str:
    return f"least(100, {expr})" if metric in PERCENT else expr


def _series(step: str) -> str:
    """Every host at every `step` of [$2, $3), in time order: rows as ingest would write them."""
    return (
        f"FROM (SELECT h.id, h.n, ts, {WAVE} AS w FROM generate_series($2::timestamptz, "
        f"$3::timestamptz - interval '{step}', interval '{step}') AS ts, "
        "unnest($1::uuid[]) WITH ORDINALITY AS h(id, n) ORDER BY ts, h.n) AS g"
    )


RAW_SQL = (
    f"INSERT INTO host_metrics ({', '.join(METRIC_COLUMNS)}) SELECT id, ts, "
    + ", ".join(_bounded(m, f"({BASE[m]}) * (0.85 + 0.3 * random())") for m in METRICS)
    + ", (8e9 * (55 + 15 * w) / 100)::bigint, 8000000000, (150 + 50 * w)::int, "
    "86400 + extract(epoch FROM ts - $2)::bigint, $4::jsonb " + _series("5 seconds")
)
MINUTES_SQL = (
    "INSERT INTO host_metrics_1m (host_id, bucket, samples, "
    + ", ".join(f"{m}_{s}" for m in METRICS for s in ("avg", "min", "max"))
    + ") SELECT id, ts, 12, "
    + ", ".join(
        f"{BASE[m]}, ({BASE[m]}) * 0.85, {_bounded(m, f'({BASE[m]}) * 1.15')}" for m in METRICS
    )
    + " "
    + _series("1 minute")
)

# ── generated log lines ────────────────────────────────────────────────────────────────────

SERVICES = ["auth", "payments", "reporting", "search", "billing", "inventory", "gateway", "mailer"]
FIRST = ["ada", "alan", "grace", "linus", "barbara", "ken", "margaret", "dennis", "edsger", "fran"]
LAST = ["lovelace", "turing", "hopper", "torvalds", "liskov", "thompson", "hamilton", "ritchie"]
USERS = [f"{a}.{b}" for a in FIRST for b in LAST]
TABLES = ["orders", "invoices", "users", "sessions", "events", "line_items"]
TEMPLATES = [  # weight, level, source, message
    (30, "info", "/var/log/nginx/access.log", "GET /api/v1/{svc}/{id} 200 {ms}ms"),
    (10, "info", "/var/log/nginx/access.log", "POST /api/v1/{svc} 201 {ms}ms user={user}"),
    (8, "info", "app", "user {user} logged in from 10.{a}.{b}.{c}"),
    (8, "debug", "app", "cache miss for key {svc}:{id}"),
    (6, "info", "worker", "worker {a} processed {b} jobs in {ms}ms"),
    (5, "warning", "app", "timeout after {ms}ms waiting for {svc}"),
    (4, "warning", "postgresql", "slow query took {ms}ms: SELECT * FROM {table} WHERE id = {id}"),
    (3, "info", "postgresql", "checkpoint complete: wrote {a} buffers ({b}.{c}%)"),
    (3, "error", "app", "connection refused to {svc}:{port}, retrying (attempt {a} of 5)"),
    (3, "error", "payments", "payment {id} for user {user} failed: card declined"),
    (2, "warning", "kernel", "disk usage on /var at {b}% on volume {id}"),
    (2, "info", "inventory", "inventory sync for {table} finished: {b} rows changed"),
    (1, "error", "gateway", "TLS handshake with 10.{a}.{b}.{c} failed: certificate expired"),
    (1, "critical", "app", "OutOfMemoryError in {svc}: heap exhausted after {b} s"),
]


def message_pool(size: int, hosts: list[uuid.UUID], rng: random.Random) -> list[tuple]:
    """`size` generated (level, host_id, service_id, source, message, attributes) tuples."""
    weights = [t[0] for t in TEMPLATES]
    pool = []
    for template in rng.choices(TEMPLATES, weights, k=size):
        _, level, source, text = template
        message = text.format(
            svc=rng.choice(SERVICES), id=rng.randrange(10**6), ms=rng.randrange(1, 5000),
            user=rng.choice(USERS), table=rng.choice(TABLES), port=rng.choice([5432, 6379, 443]),
            a=rng.randrange(256), b=rng.randrange(100), c=rng.randrange(256),
        )  # fmt: skip
        pool.append((level, rng.choice(hosts), None, source, message, None))
    return pool


# ── building the data set ──────────────────────────────────────────────────────────────────


async def make_partitions(conn, table: str, first: date, last: date) -> None:
    """The day (or month) partitions of `table` from `first` through `last`, named alike."""
    span = PARTITIONED[table]
    start = first if span == "day" else first.replace(day=1)
    while start <= last:
        end = start + timedelta(days=1 if span == "day" else 32)
        end = end if span == "day" else end.replace(day=1)
        await conn.execute(
            f'CREATE TABLE IF NOT EXISTS "{partition_name(table, start, span)}" PARTITION OF '
            f"\"{table}\" FOR VALUES FROM ('{start} 00:00+00') TO ('{end} 00:00+00')"
        )
        start = end


async def in_chunks(label: str, start: datetime, end: datetime, step: timedelta, run) -> int:
    """await run(a, b) for consecutive [a, b) chunks; a progress line per chunk; rows made."""
    made, began, chunk = 0, time.monotonic(), start
    while chunk < end:
        upper = min(chunk + step, end)
        made += await run(chunk, upper)
        chunk = upper
        rate = made / (time.monotonic() - began)
        progress(f"  {label}: up to {upper:%Y-%m-%d %H:%M}, {made:,} rows ({rate:,.0f}/s)")
    return made


def _count(status: str) -> int:
    return int(status.split()[-1])  # "INSERT 0 123"


async def build(args, conn, engine, hosts: list[uuid.UUID], team_id: uuid.UUID) -> dict:
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    raw_from, first = now - timedelta(days=args.raw_days), now - timedelta(days=args.days)
    log_from = now - timedelta(days=args.log_days)
    for table, since in [
        ("host_metrics", raw_from),
        ("host_metrics_1m", first),
        ("host_metrics_1h", first),
        ("log_lines", log_from),
    ]:
        await make_partitions(conn, table, since.date(), now.date())
    await conn.execute("SET work_mem = '64MB'")  # sorts the generated rows into time order
    made, day, timings = {}, timedelta(days=1), {}

    async def timed(name: str, coroutine) -> None:
        started = time.monotonic()
        made[name] = await coroutine
        timings[name] = time.monotonic() - started

    async def raw(a, b):
        return _count(await conn.execute(RAW_SQL, hosts, a, b, DETAIL))

    async def minutes(a, b):
        return _count(await conn.execute(MINUTES_SQL, hosts, a, b))

    def rollup(statement):
        async def roll(a, b):
            async with engine.begin() as sa:
                return (await sa.execute(statement, {"start": a, "end": b})).rowcount

        return roll

    progress(f"raw samples: {len(hosts)} hosts every 5 s for {args.raw_days} days")
    await timed("raw (generated)", in_chunks("raw", raw_from, now, timedelta(hours=6), raw))
    progress("1-minute rollups: the product's ROLL_UP_MINUTES over the raw window")
    await timed(
        "1m (ROLL_UP_MINUTES)", in_chunks("1m", raw_from, now, day, rollup(ROLL_UP_MINUTES))
    )
    if first < raw_from:
        progress(
            f"1-minute rollups before the raw window: generated, {args.days - args.raw_days} d"
        )
        await timed("1m (generated)", in_chunks("1m", first, raw_from, day, minutes))
    progress(f"1-hour rollups: the product's ROLL_UP_HOURS over {args.days} days of 1-minute ones")
    await timed("1h (ROLL_UP_HOURS)", in_chunks("1h", first, now, day * 5, rollup(ROLL_UP_HOURS)))
    progress(f"log lines: COPY of {args.log_lines:,} over {args.log_days} days")
    await timed("log lines (COPY)", copy_logs(args, conn, hosts[:5], team_id, log_from, now))
    progress("VACUUM (ANALYZE) of the four tables")
    started = time.monotonic()
    await conn.execute("VACUUM (ANALYZE) host_metrics, host_metrics_1m, host_metrics_1h, log_lines")
    timings["VACUUM (ANALYZE)"] = time.monotonic() - started
    return {"rows": made, "seconds": timings}


async def copy_logs(args, conn, hosts, team_id, start: datetime, end: datetime) -> int:
    rng = random.Random(42)
    pool = message_pool(min(args.log_lines, 200_000), hosts, rng)
    step_us = (end - start) / timedelta(microseconds=1) / max(args.log_lines, 1)
    began, chunk = time.monotonic(), 100_000
    for first in range(0, args.log_lines, chunk):
        rows = [
            (team_id, start + timedelta(microseconds=i * step_us), *rng.choice(pool))
            for i in range(first, min(first + chunk, args.log_lines))
        ]
        await conn.copy_records_to_table("log_lines", records=rows, columns=LOG_COLUMNS)
        done = first + len(rows)
        if done % 1_000_000 == 0 or done == args.log_lines:
            progress(f"  logs: {done:,} lines ({done / (time.monotonic() - began):,.0f}/s)")
    return args.log_lines


# ── timing through the API ─────────────────────────────────────────────────────────────────


async def time_queries(args, api: ApiClient, hosts: list[uuid.UUID]) -> dict[str, dict]:
    rng, results = random.Random(1), {}
    for name in CHART_RANGES:
        progress(f"timing GET /api/v1/hosts/{{id}}/metrics?range={name} × {args.repeats}")
        await api.get(f"/api/v1/hosts/{hosts[0]}/metrics", {"range": name})  # warm-up
        times, shape = [], ""
        for _ in range(args.repeats):
            ms, answer = await api.get(
                f"/api/v1/hosts/{rng.choice(hosts)}/metrics", {"range": name}
            )
            times.append(ms)
            body = answer.json()
            shape = f"{body['source']} data, {len(body['t'])} points, {len(answer.content):,} B"
        results[f"chart {name}"] = {"ms": times, "limit": CHART_P95_MS, "what": shape}
    for kind, variants in LOG_QUERIES.items():
        progress(f"timing GET /api/v1/logs ({kind}) × {args.repeats}")
        await api.get("/api/v1/logs", variants[0])  # warm-up
        times = []
        for i in range(args.repeats):
            times.append((await api.get("/api/v1/logs", variants[i % len(variants)]))[0])
        what = "; ".join(" ".join(f"{k}={v}" for k, v in p.items()) for p in variants)
        results[f"logs {kind}"] = {"ms": times, "limit": SEARCH_P95_MS, "what": what}
    return results


async def count_matches(engine, team_id: uuid.UUID) -> dict[str, int]:
    """How many lines each search variant matches, with the product's own conditions."""
    found = {}
    async with engine.connect() as conn:
        for variants in LOG_QUERIES.values():
            for params in variants:
                query = select(func.count()).select_from(log_lines)
                query = query.where(log_lines.c.team_id == team_id)
                if "q" in params:
                    query = query.where(text_query(params["q"]))
                if "level" in params:
                    query = query.where(log_lines.c.level.in_(params["level"].split(",")))
                found[" ".join(f"{k}={v}" for k, v in params.items())] = await conn.scalar(query)
    return found


# ── the report ─────────────────────────────────────────────────────────────────────────────


def report(args, data: dict, sizes: dict, results: dict, matches: dict, lines: list) -> None:
    print("\n" + RULE + "\n" + "\n".join(lines) + "\n\ndata set:")
    for name, rows in data["rows"].items():
        print(f"  {name:<22} {rows:>13,} rows in {data['seconds'][name]:7.1f} s")
    print(
        f"  {'VACUUM (ANALYZE)':<22} {'':>13}      in {data['seconds']['VACUUM (ANALYZE)']:7.1f} s"
    )
    print("  table sizes: " + ", ".join(f"{t} {s}" for t, s in sizes.items()))
    print(f"\n  {'query':<20} {'p50':>9} {'p95':>9} {'limit':>8}  verdict   what")
    misses = []
    for name, result in results.items():
        p50, p95 = percentile(result["ms"], 50), percentile(result["ms"], 95)
        met = p95 <= result["limit"]
        if not met:
            misses.append(f"{name} {p95 - result['limit']:,.0f} ms over")
        verdict = "PASS" if met else f"MISS {p95 / result['limit']:.1f}×"
        print(
            f"  {name:<20} {p50:>6,.1f} ms {p95:>6,.1f} ms {result['limit']:>5.0f} ms  "
            f"{verdict:<9} {result['what']}"
        )
    print(
        "\n  lines each log query matches: " + "; ".join(f"{k}: {v:,}" for k, v in matches.items())
    )
    print(f"\n{GOAL}")
    print(f"  {'MISS: ' + '; '.join(misses) if misses else 'PASS'}")
    described = "100 hosts, 30 days, 7 raw days, 10 M log lines"
    note_if_not_full_size(args, described, hosts=100, days=30, raw_days=7, log_lines=10_000_000)
    print(RULE, flush=True)


# ── main ───────────────────────────────────────────────────────────────────────────────────


async def bench(args) -> None:
    lines = header("Watchdeck query benchmark (bench/queries.py)")
    print("\n".join(lines), flush=True)
    lines.append(
        f"run      {args.hosts} hosts × {args.days} days (raw: last {args.raw_days} d); "
        f"{args.log_lines:,} log lines over {args.log_days} d; {args.repeats} requests per query"
    )
    async with servers("queries") as (folder, dbs):
        url = await dbs.fresh("queries")
        lines += await dbs.describe()
        api_process, base = await start_api(dbs.env(url), folder / "api.log")
        conn = engine = None
        try:
            async with ApiClient(base, timeout=300) as api:
                progress(f"signing up and creating {args.hosts} hosts through the API")
                team_id = (await api.sign_up()).team_id
                hosts = [host.id for host in await api.add_hosts(args.hosts, "host")]
                conn = await dbs.connect(url)
                engine = create_async_engine(normalize_url(url), poolclass=NullPool)
                data = await build(args, conn, engine, hosts, team_id)
                sizes = {
                    table: await conn.fetchval(
                        "SELECT pg_size_pretty(sum(pg_total_relation_size(relid))) "
                        "FROM pg_partition_tree($1)",
                        table,
                    )
                    for table in ("host_metrics", "host_metrics_1m", "host_metrics_1h", "log_lines")
                }
                results = await time_queries(args, api, hosts)
            progress("counting the lines each log query matches")
            matches = await count_matches(engine, team_id)
            report(args, data, sizes, results, matches, lines)
        finally:
            stop_process(api_process)
            if conn is not None:
                await conn.close()
            if engine is not None:
                await engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--hosts", type=int, default=100)
    parser.add_argument("--days", type=int, default=30, help="days of 1-minute/1-hour rollups")
    parser.add_argument("--raw-days", type=int, default=7, help="days of raw 5-second samples")
    parser.add_argument("--log-lines", type=int, default=10_000_000)
    parser.add_argument("--log-days", type=int, default=7, help="days the log lines span")
    parser.add_argument("--repeats", type=int, default=50, help="timed requests per query")
    parser.add_argument("--quick", action="store_true", help="a smoke run: a small data set")
    args = parser.parse_args()
    if args.quick:
        args.hosts, args.days, args.raw_days, args.log_days = 5, 3, 1, 2
        args.log_lines, args.repeats = 50_000, 10
    args.raw_days = min(args.raw_days, args.days)
    run_bench(bench, args)


if __name__ == "__main__":
    main()
