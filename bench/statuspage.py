"""A public status page under a crowd: one page of 100 components (each over one service, most
of them in groups) with 90 days of history, read at 1,000 requests/s from cache, built with
the cache forgotten, and weighed; beside the same servers answering a trivial request under
the same load, the ceiling.

    .venv/bin/python bench/statuspage.py                         # about 4 minutes
    .venv/bin/python bench/statuspage.py --seconds 4 --builds 20 # a quicker look
    .venv/bin/python bench/statuspage.py --profile               # and where the time goes

How each figure is taken:

- from cache: GET /status/<slug> (Accept-Encoding: gzip, as browsers send) from a load
  client in a process of its own: Debian's wrk (`make wrk`) paced to 1,000 requests/s by a
  Lua script (bench/support/load.py says how, and what pacing leaves out), or a Python load
  process where wrk is missing; the output names which. Each load starts on a copy of the
  page just built. "Warm" loads end before that copy is FRESH_S (10 s) old, so every answer
  is a cached one; the "across a rebuild" load runs 15 s, so it also meets the moment the
  copy expires and is built again, which a crowd meets every 10 s. The ceiling is GET
  /healthz under the same load: what the same api process answers doing nothing. After each
  load the bench waits until the api answers /healthz promptly again, and says how long.
- requests/s: the same client with no pacing (each connection sends as soon as it has its
  answer), warm, the page and /healthz alike.
- built from scratch: GET /status/<slug>, one at a time, with the page's copies forgotten
  (its Redis key deleted, and the api told the page changed so it drops its own copy)
  just before each, so every request builds it (queries, render, gzip) as the first reader
  after a change does. No request parameter can skip the cache, and a shorter FRESH_S would
  still serve some from it: deleting the key is the only way every request builds. The
  ceilings: GET /healthz one at a time (the HTTP floor), and the one query of 90 days of
  daily counts, alone (the data floor).
- size: the page's body as sent without and with gzip (the CSS is inline), 1 kB = 1,000 B.
- nginx: the same loads through nginx/watchdeck.conf (its proxy_cache for /status/) in
  front of the api, when nginx is installed (`make nginx`); its ceiling is a small static
  file that nginx serves itself.

The data: the team, its admin and the services by COPY (bench/support/team.py), their
statuses set directly, hourly rollups (check_hourly) for 90 days made inside PostgreSQL and
summed by day (check_daily, what uptime.daily_counts reads for whole days), and raw checks
for the current hour (the tail it reads from `checks`); then the page through the API, as a
team makes it. The api runs with its public rate limit raised, since the load comes from
one address; the limiter still runs on every request. Embedded PostgreSQL and Redis under
a temporary folder (or DATABASE_URL / REDIS_URL: a fresh database, the Redis database
flushed), removed at the end, also on Ctrl-C.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import gc
import io
import pstats
import re
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import httpx
import msgspec
from asgi_lifespan import LifespanManager
from redis.asyncio import Redis
from sqlalchemy import text
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine
from sqlalchemy.pool import NullPool
from support import load
from support.front import Front, nginx_binary
from support.measures import percentile
from support.processes import run_bench, start_api, stop_process
from support.report import RULE, header, note_if_not_full_size, progress
from support.servers import servers
from support.targets import NOWHERE
from support.team import ApiClient, seed_services
from watchdeck.app import create_app
from watchdeck.db.engine import make_engine, normalize_url
from watchdeck.db.partitions import ensure_partitions
from watchdeck.domain.services import uptime
from watchdeck.domain.statuspages import cache as statuspage_cache
from watchdeck.domain.statuspages.cache import FRESH_S
from watchdeck.platform import keys
from watchdeck.platform.config import Settings

CACHED_P95_MS, BUILD_P95_MS, SIZE_KB, MIN_RPS = 20.0, 150.0, 100.0, 1000.0
RATE = 1000.0
GOAL = (
    "Bars: from cache p95 ≤ 20 ms at 1,000 requests/s and ≥ 1,000 requests/s; built from "
    "scratch p95 ≤ 150 ms; the page (HTML with its inline CSS) ≤ 100 kB"
)
SLUG = "bench-status"
DAYS = 90
GZIP = {"Accept-Encoding": "gzip"}
GROUPS = ["Core platform", "Payments", "Data pipeline", "Integrations", "Regions"]
UNGROUPED = 20  # the first components stand alone, the rest fill the groups in turn
RAISED_LIMIT = 10**9

# ── the data ───────────────────────────────────────────────────────────────────────────────

# Most services up, a few degraded or down, with a last latency for those that show one.
STATUSES_SQL = text(
    """
    UPDATE services s SET
      status = CASE WHEN n % 37 = 5 THEN 'down' WHEN n % 23 = 7 THEN 'degraded' ELSE 'up' END,
      last_latency_ms = 40 + (n * 7919) % 160
    FROM (SELECT id, row_number() OVER (ORDER BY name) AS n FROM services) o
    WHERE s.id = o.id
    """
)
# One row per service per whole hour of the 90 days, a check a minute. About one hour in 40
# has a failure or a few (so about two days in five are not quite 100 %), one in 500 is an
# outage; every tenth service is 60 days younger, so its first bars are empty.
HOURLY_SQL = text(
    """
    INSERT INTO check_hourly (service_id, hour, total, failures, degraded,
                              latency_avg, latency_p50, latency_p95, latency_max)
    SELECT id, h, 60,
           CASE WHEN r < 0.002 THEN 60 WHEN r < 0.025 THEN 1 + (r * 1000)::int % 4 ELSE 0 END,
           (r * 1000)::int % 3, 80 + r * 40, 75 + r * 30, 140 + r * 90, 200 + r * 400
    FROM (
      SELECT s.id, s.n, h, random() AS r
      FROM (SELECT id, row_number() OVER (ORDER BY name) AS n FROM services) s
      CROSS JOIN generate_series(CAST(:since AS timestamptz),
                                 CAST(:tail AS timestamptz) - interval '1 hour',
                                 interval '1 hour') AS h
    ) g
    WHERE n % 10 <> 0 OR h >= CAST(:since AS timestamptz) + interval '60 days'
    """
)
RAW_SQL = text(
    """
    INSERT INTO checks (service_id, at, ok, degraded, muted, status_code, latency_ms, late)
    SELECT id, t, random() > 0.01, false, false, 200, 60 + random() * 120, false
    FROM services
    CROSS JOIN generate_series(CAST(:tail AS timestamptz), CAST(:now AS timestamptz),
                               interval '1 minute') AS t
    """
)


async def seed(url: str, count: int) -> dict:
    """The team, `count` services with 90 days of history; row counts and seconds."""
    started = time.monotonic()
    await seed_services(url, count, 60, NOWHERE)
    now = datetime.now(UTC)
    tail = now.replace(minute=0, second=0, microsecond=0)
    first = now.date() - timedelta(days=DAYS - 1)
    since = datetime(first.year, first.month, first.day, tzinfo=UTC)
    engine = create_async_engine(normalize_url(url), poolclass=NullPool)
    try:
        async with engine.begin() as conn:
            await ensure_partitions(conn, "checks")
            await conn.execute(text("SELECT setseed(0.42)"))
            await conn.execute(STATUSES_SQL)
            hourly = await conn.execute(HOURLY_SQL, {"since": since, "tail": tail})
            # The daily sums, as the rollup job keeps them.
            await uptime.sum_days(conn, since, tail)
            raw = await conn.execute(RAW_SQL, {"tail": tail, "now": now})
        async with engine.connect() as conn:
            autocommit = await conn.execution_options(isolation_level="AUTOCOMMIT")
            await autocommit.execute(
                text("VACUUM (ANALYZE) check_hourly, check_daily, checks, services")
            )
            ids = (await conn.execute(text("SELECT id FROM services ORDER BY name"))).scalars()
            service_ids = list(ids)
    finally:
        await engine.dispose()
    return {
        "services": service_ids,
        "hourly": hourly.rowcount,
        "raw": raw.rowcount,
        "seconds": time.monotonic() - started,
    }


def components(service_ids: list[uuid.UUID]) -> list[dict]:
    """One component per service: the first UNGROUPED alone, the others in GROUPS; some
    with a description, some showing latency."""
    made, grouped = [], max(len(service_ids) - UNGROUPED, 1)
    for i, service_id in enumerate(service_ids):
        group = None if i < UNGROUPED else GROUPS[(i - UNGROUPED) * len(GROUPS) // grouped]
        made.append(
            {
                "name": f"{group or 'Service'} {i + 1:03d}",
                "group": group,
                "description": "Sign-in, sessions and tokens" if i % 7 == 0 else None,
                "service_ids": [str(service_id)],
                "show_latency": i % 3 == 0,
            }
        )
    return made


async def create_page(base: str, service_ids: list[uuid.UUID]) -> None:
    async with ApiClient(base) as api:
        await api.log_in()
        created = await api.client.post(
            "/api/v1/status-pages",
            json={
                "slug": SLUG,
                "title": "Bench Inc.",
                "description": "Live status of Bench Inc.'s services",
                "components": components(service_ids),
            },
        )
        if created.status_code != 201:
            raise RuntimeError(f"the page was refused: {created.status_code} {created.text}")


# ── measuring ──────────────────────────────────────────────────────────────────────────────


def sizes(html: bytes, gzipped: bytes, encoding: str | None) -> dict:
    """The page's size as sent plain and gzipped, and where its bytes go."""
    css = re.search(rb"<style>(.*?)</style>", html, re.S)
    bars = re.findall(rb"<i [^>]*></i>", html)
    return {
        "plain": len(html),
        "gzip": len(gzipped),
        "gzip_sent": encoding == "gzip",
        "css": len(css.group(1)) if css else 0,
        "bars": sum(len(bar) for bar in bars),
        "bar_count": len(bars),
    }


async def measure_sizes(base: str) -> dict:
    # Plain as a client that accepts nothing else; gzipped as it travels (not unpacked).
    async with httpx.AsyncClient(base_url=base, timeout=30) as http:
        page = await http.get(f"/status/{SLUG}", headers={"Accept-Encoding": "identity"})
        page.raise_for_status()
        async with http.stream("GET", f"/status/{SLUG}", headers=GZIP) as zipped:
            raw = b"".join([chunk async for chunk in zipped.aiter_raw()])
            encoding = zipped.headers.get("content-encoding")
    return sizes(page.content, raw, encoding)


async def one_at_a_time(base: str, path: str, count: int, before=None) -> list[float]:
    """ms of `count` GETs of `path`, one after another, each after `before()` if given."""
    times = []
    async with httpx.AsyncClient(base_url=base, timeout=30, headers=GZIP) as http:
        await http.get(path)  # a connection, and whatever the first request warms
        for _ in range(count):
            if before is not None:
                await before()
            started = time.perf_counter()
            answer = await http.get(path)
            times.append((time.perf_counter() - started) * 1000)
            answer.raise_for_status()
    return times


async def measure_builds(base: str, redis_url: str, count: int) -> dict:
    redis = Redis.from_url(redis_url)
    try:

        async def forget() -> None:
            await forget_page(redis)

        builds = await one_at_a_time(base, f"/status/{SLUG}", count, forget)
    finally:
        await redis.aclose()
    floor = await one_at_a_time(base, "/healthz", count)
    return {"builds": builds, "healthz": floor}


async def measure_query(url: str, service_ids: list[uuid.UUID], count: int) -> list[float]:
    """ms of the product's daily_counts over the page's services, alone, on a connection
    set up as the product's are."""
    engine = make_engine(Settings(database_url=url, db_pool_size=1))
    gc.freeze()  # as the api does after start: the collector's full passes skip start-up
    times = []
    try:
        async with async_sessionmaker(engine)() as session:
            await uptime.daily_counts(session, service_ids, datetime.now(UTC), DAYS)
            for _ in range(count):
                started = time.perf_counter()
                await uptime.daily_counts(session, service_ids, datetime.now(UTC), DAYS)
                times.append((time.perf_counter() - started) * 1000)
    finally:
        await engine.dispose()
    return times


@dataclass
class Server:
    """One server the loads go to, its ceiling beside it, and how to start a window with a
    copy of the page just built there (the URL to load then)."""

    name: str
    ceiling: str  # a URL: the trivial request this server answers
    fresh: Callable[[int], Awaitable[str]]
    loads: dict[str, load.Load] = field(default_factory=dict)
    drained: dict[str, float] = field(default_factory=dict)


# Every load starts on a page copy just built; a warm window ends before the copy expires,
# the crowd's window runs past that, so the rebuild a crowd meets every FRESH_S is in it.
MODES = [
    ("ceiling paced", RATE, False),
    ("page warm, paced", RATE, True),
    ("page across a rebuild, paced", RATE, True),
    ("ceiling flat out", None, False),
    ("page warm, flat out", None, True),
]


async def drain(base: str) -> float:
    """Seconds until the api answers /healthz promptly again: requests a load client gave up
    on are still being served, and the next load must not meet them."""
    started = time.monotonic()
    async with httpx.AsyncClient(base_url=base, timeout=60) as http:
        while time.monotonic() - started < 180:
            sent = time.perf_counter()
            await http.get("/healthz")
            if time.perf_counter() - sent < 0.02:
                break
            await asyncio.sleep(0.2)
    return time.monotonic() - started


async def run_loads(args, servers_: list[Server], api_base: str) -> None:
    for mode, rate, page in MODES:
        seconds = args.seconds if "across" not in mode else FRESH_S + 5
        for server in servers_:
            url = await server.fresh(len(server.loads)) if page else server.ceiling
            what = f"{rate:,.0f} requests/s" if rate else "no pacing"
            progress(
                f"{server.name}: {mode} ({what}, {args.connections} connections, {seconds:g} s)"
            )
            server.loads[mode] = await asyncio.to_thread(
                load.run, url, seconds, rate, args.connections, GZIP
            )
            server.drained[mode] = await drain(api_base)
            if server.drained[mode] > 1:
                progress(f"  the api took {server.drained[mode]:.1f} s to catch up afterwards")


async def forget_page(redis: Redis) -> None:
    """Make the api build the page anew: its Redis copy goes, and the api process lets go
    of the copy it holds when it hears the page changed (as after an edit)."""
    await redis.delete(keys.status_page(SLUG))
    await redis.publish(keys.STATUS_PAGES_CHANNEL, SLUG)
    await asyncio.sleep(0.05)


def api_server(base: str, redis: Redis) -> Server:
    async def fresh(_: int) -> str:
        await forget_page(redis)
        async with httpx.AsyncClient(timeout=60, headers=GZIP) as http:
            (await http.get(f"{base}/status/{SLUG}")).raise_for_status()
        return f"{base}/status/{SLUG}"

    return Server("api", f"{base}/healthz", fresh)


def nginx_server(front: Front, redis: Redis) -> Server:
    async def fresh(window: int) -> str:
        # A query string nginx has not seen is a new cache entry (the api ignores it), so the
        # window starts on a copy nginx has just fetched, from a page the api has just built.
        await redis.delete(keys.status_page(SLUG))
        url = f"{front.base}/status/{SLUG}?window={window}"
        async with httpx.AsyncClient(timeout=60, headers=GZIP) as http:
            (await http.get(url)).raise_for_status()
        return url

    return Server("nginx", f"{front.base}/ok.txt", fresh)


async def _asgi_get(app, path: str) -> int:
    """GET `path` straight into the app with gzip accepted, as the server receives it (no
    client library whose own work would join the profile); the answer's status."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"bench"), (b"accept-encoding", b"gzip")],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 80),
    }
    status = 0

    async def receive() -> dict:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    await app(scope, receive, send)
    return status


async def profile(settings, counts: dict[str, int]) -> dict[str, tuple[str, list[float]]]:
    """Requests for the page in this process under cProfile, straight into the app (ASGI,
    no socket): `counts["builds"]` with the cache forgotten before each, `counts["hits"]`
    from the cache. Where the time goes, by package and function."""
    app = create_app(settings)
    found = {}
    async with LifespanManager(app):
        await _asgi_get(app, f"/status/{SLUG}")
        for kind, count in counts.items():
            profiler, walls = cProfile.Profile(), []
            for _ in range(count):
                if kind == "builds":
                    await app.state.redis.delete(keys.status_page(SLUG))
                    statuspage_cache.drop_held()
                started = time.perf_counter()
                profiler.enable()
                status = await _asgi_get(app, f"/status/{SLUG}")
                profiler.disable()
                walls.append((time.perf_counter() - started) * 1000)
                if status != 200:
                    raise RuntimeError(f"the page answered {status} in this process")
            found[kind] = (_profile_text(pstats.Stats(profiler), count), walls)
    return found


def _package(file: str, function: str) -> str:
    if file == "~":
        if "epoll" in function or "select" in function:
            return "waiting (PostgreSQL, Redis answering)"
        if "zlib" in function or "compress" in function:
            return "gzip"
        if "msgspec" in function:
            return "msgspec (encode, decode)"
        return "built-ins"
    if ".j2" in file or "/jinja2/" in file:
        return "jinja2 (render)"
    if "/watchdeck/" in file:
        return "watchdeck"
    match = re.search(r"site-packages/([^/]+)/", file) or re.search(r"python3\.\d+/([^/]+)", file)
    return match.group(1).removesuffix(".py") if match else file


def _short(file: str, line: int, function: str) -> str:
    if file == "~":
        return function
    for marker in ("/watchdeck/", "site-packages/", "/lib/python3.11/"):
        if marker in file:
            file = file.split(marker, 1)[1]
            break
    return f"{file}:{line} {function}"


def _profile_text(stats: pstats.Stats, count: int) -> str:
    by_package: dict[str, float] = {}
    own_times, ours = [], []
    for (file, line, function), (_, _, own, cumulative, _) in stats.stats.items():
        package = _package(file, function)
        by_package[package] = by_package.get(package, 0.0) + own
        own_times.append((own, _short(file, line, function)))
        if "/watchdeck/" in file:
            ours.append((cumulative, _short(file, line, function)))
    total = sum(by_package.values()) or 1.0
    out = io.StringIO()
    out.write("    own time by package, ms per request (under cProfile, which slows Python):\n")
    for package, own in sorted(by_package.items(), key=lambda item: -item[1])[:10]:
        out.write(f"      {own * 1000 / count:8.2f} ms {own / total:6.1%}  {package}\n")
    out.write("    functions by own time, ms per request:\n")
    for own, name in sorted(own_times, reverse=True)[:8]:
        out.write(f"      {own * 1000 / count:8.2f} ms  {name[:90]}\n")
    out.write("    Watchdeck functions by cumulative time, ms per request (awaits not counted):\n")
    for cumulative, name in sorted(ours, reverse=True)[:12]:
        out.write(f"      {cumulative * 1000 / count:8.2f} ms  {name[:90]}\n")
    return out.getvalue().rstrip()


# ── the report ─────────────────────────────────────────────────────────────────────────────


def _verdict(met: bool | None) -> str:
    return {True: "PASS", False: "MISS", None: "n/a "}[met]


def _ms(value: float | None) -> str:
    return "n/a" if value is None else f"{value:,.1f} ms"


def _latencies(run: load.Load) -> str:
    return (
        f"p50 {_ms(run.p50)} · p90 {_ms(run.p90)} · p95 {_ms(run.p95)} · p99 {_ms(run.p99)} · "
        f"max {_ms(run.max)}; {run.rps:,.0f} requests/s achieved, {run.requests:,} requests, "
        f"{run.errors:,} errors"
    )


def _ratio(value: float | None, ceiling: float | None, unit: str) -> str:
    if value is None or not ceiling:
        return "n/a"
    return f"{value / ceiling:.2f}× the ceiling's {ceiling:,.1f}{unit}"


def _paced_row(bar: str, run: load.Load, ceiling: load.Load) -> tuple[str, bool | None, str]:
    kept_up = run.rps >= RATE * 0.95 and not run.errors
    met = None if run.p95 is None else run.p95 <= CACHED_P95_MS and kept_up
    figure = (
        f"{_ms(run.p95)} at {run.rps:,.0f}/s = {(run.p95 or 0) / CACHED_P95_MS:.2f}× the bar; "
        f"{_ratio(run.p95, ceiling.p95, ' ms')}"
    )
    return bar, met, figure + ("" if kept_up else "; did not keep up the rate")


def goal_rows(server: Server) -> list[tuple[str, bool | None, str]]:
    """(bar, met, figure with its ratio to the bar and to the ceiling) for one server."""
    loads, bar = server.loads, f"p95 ≤ {CACHED_P95_MS:g} ms at {RATE:,.0f}/s"
    flat, ceiling = loads["page warm, flat out"], loads["ceiling flat out"]
    return [
        _paced_row(f"{server.name}: warm {bar}", loads["page warm, paced"], loads["ceiling paced"]),
        _paced_row(
            f"{server.name}: across a rebuild {bar}",
            loads["page across a rebuild, paced"],
            loads["ceiling paced"],
        ),
        (
            f"{server.name}: warm ≥ {MIN_RPS:,.0f} requests/s",
            flat.rps >= MIN_RPS and not flat.errors,
            f"{flat.rps:,.0f}/s = {flat.rps / MIN_RPS:.2f}× the bar; "
            f"{_ratio(flat.rps, ceiling.rps, '/s')}",
        ),
    ]


def _spread(times: list[float]) -> str:
    return (
        f"p50 {_ms(percentile(times, 50))} · p95 {_ms(percentile(times, 95))} · "
        f"max {_ms(max(times, default=None))}"
    )


def _load_lines(server: Server) -> None:
    for mode, run in server.loads.items():
        late = server.drained[mode]
        after = f"; the api caught up {late:.1f} s after" if late > 1 else ""
        print(f"  {mode:<29} {_latencies(run)}{after}")


def _size_lines(size: dict) -> list[tuple[str, bool | None, str]]:
    plain, css, bars = size["plain"], size["css"], size["bars"]
    sent = "" if size["gzip_sent"] else " (the api did NOT gzip it)"
    print("\nsize of the page as sent (1 kB = 1,000 B):")
    print(f"  plain {plain / 1000:,.1f} kB · gzipped {size['gzip'] / 1000:,.1f} kB{sent}")
    print(
        f"  of the plain bytes: inline CSS {css / 1000:,.1f} kB; the uptime bars' "
        f"{size['bar_count']:,} stretches (alike days drawn as one) {bars / 1000:,.1f} kB "
        f"({bars / plain:.0%}, {bars / max(size['bar_count'], 1):.0f} B each); the rest "
        f"{(plain - css - bars) / 1000:,.1f} kB"
    )
    rows = []
    for label, value in (("plain", plain), ("gzipped", size["gzip"])):
        kb = value / 1000
        figure = f"{kb:,.1f} kB = {kb / SIZE_KB:.2f}× the bar"
        rows.append((f"page ≤ {SIZE_KB:g} kB, {label}", kb <= SIZE_KB, figure))
    return rows


def _build_row(found: dict) -> tuple[str, bool | None, str]:
    builds, floor, query = found["builds"], found["healthz"], found["query"]
    print(f"\n{len(builds)} builds from scratch, one at a time, the copies forgotten before each:")
    print(f"  page                   {_spread(builds)}")
    print(f"  /healthz (ceiling)     {_spread(floor)}   the HTTP floor")
    print(f"  90-day query alone     {_spread(query)}   uptime.daily_counts: the data floor")
    b95 = percentile(builds, 95)
    return (
        f"built from scratch p95 ≤ {BUILD_P95_MS:g} ms",
        b95 <= BUILD_P95_MS,
        f"{_ms(b95)} = {b95 / BUILD_P95_MS:.2f}× the bar; "
        f"{_ratio(b95, percentile(floor, 95), ' ms')} (/healthz), "
        f"{_ratio(b95, percentile(query, 95), ' ms')} (the query alone)",
    )


def report(args, lines: list[str], data: dict, found: dict) -> None:
    count = len(data["services"])
    print("\n" + RULE + "\n" + "\n".join(lines))
    print(
        f"\ndata     {count} services, {data['hourly']:,} hourly rollups over {DAYS} days, "
        f"{data['raw']:,} raw checks this hour; seeded in {data['seconds']:.1f} s"
    )
    print(
        f"page     /status/{SLUG}: {count} components ({UNGROUPED} alone, the rest in "
        f"{len(GROUPS)} groups), {DAYS} daily bars each"
    )
    print(f"load     {load.tool_name()}; {args.connections} connections; Accept-Encoding: gzip")
    print(f"\n{GOAL}")

    rows: list[tuple[str, bool | None, str]] = []
    for server in found["servers"]:
        if server.name == "api":
            print("\nthe api alone (one `watchdeck api` process); its ceiling: GET /healthz")
        else:
            print(
                f"\nthrough nginx/watchdeck.conf ({found['front']}, 1 worker) and its /status/ "
                "cache, in front of the same api; its ceiling: a small static file"
            )
        _load_lines(server)
        rows += goal_rows(server)
    if found.get("front_missing"):
        print(f"\nnginx: {found['front_missing']}")
    else:
        print(f"  X-Cache-Status of three answers after the loads: {found['cache_statuses']}")
    rows.append(_build_row(found))
    rows += _size_lines(found["sizes"])

    titles = {"builds": "a build from scratch", "hits": "an answer from the api's cache"}
    for kind, (text_, walls) in found.get("profile", {}).items():
        print(
            f"\nwhere the time of {titles[kind]} goes ({len(walls)} requests through the app in "
            f"this process, no socket; wall p50 {_ms(percentile(walls, 50))} under the profiler):"
        )
        print(text_)

    print("\nbars:")
    for bar, met, figure in rows:
        print(f"  {_verdict(met)}  {bar:<40} {figure}")
    misses = [bar for bar, met, _ in rows if met is False]
    print(f"  {'MISS: ' + '; '.join(misses) if misses else 'PASS'}")
    full = {"components": 100, "seconds": 8.0, "builds": 60}
    note_if_not_full_size(args, "100 components, 8 s warm loads, 60 builds", **full)
    print(RULE, flush=True)


# ── main ───────────────────────────────────────────────────────────────────────────────────


async def bench(args) -> None:
    lines = header("Watchdeck status page benchmark (bench/statuspage.py)")
    print("\n".join(lines), flush=True)
    async with servers("statuspage") as (folder, dbs):
        url = await dbs.fresh("statuspage")
        lines += await dbs.describe()
        progress(f"seeding {args.components} services and {DAYS} days of hourly rollups")
        data = await seed(url, args.components)
        env = dbs.env(url) | {"WATCHDECK_PUBLIC_LIMIT_PER_IP": str(RAISED_LIMIT)}
        api, base = await start_api(env, folder / "api.log")
        front = None
        found: dict = {}
        try:
            progress("creating the page through the API")
            await create_page(base, data["services"])
            found["sizes"] = await measure_sizes(base)
            progress(f"building the page {args.builds} times, its cache forgotten before each")
            found |= await measure_builds(base, dbs.redis_url, args.builds)
            found["query"] = await measure_query(url, data["services"], args.builds)
            redis = Redis.from_url(dbs.redis_url)
            try:
                servers_ = [api_server(base, redis)]
                binary = nginx_binary()
                if binary:
                    web_root = folder / "web"
                    web_root.mkdir()
                    (web_root / "index.html").write_text("<!doctype html><div id=root></div>\n")
                    (web_root / "ok.txt").write_text("ok\n")
                    api_address = base.removeprefix("http://")
                    front = Front(binary, folder / "nginx", api_address, web_root)
                    found["front"] = front.version
                    servers_.append(nginx_server(front, redis))
                else:
                    found["front_missing"] = "not installed (`make nginx`): left out"
                await run_loads(args, servers_, base)
            finally:
                await redis.aclose()
            found["servers"] = servers_
            if front is not None:
                found["cache_statuses"] = await cache_statuses(front.base)
            counts = {}
            if args.profile or percentile(found["builds"], 95) > BUILD_P95_MS:
                counts["builds"] = min(args.builds, 10)
            if args.profile or any(met is False for _, met, _ in goal_rows(servers_[0])):
                counts["hits"] = 300
            if counts:
                progress("profiling requests in this process: " + ", ".join(counts))
                settings = msgspec.structs.replace(
                    dbs.settings(url), public_limit_per_ip=RAISED_LIMIT, log_level="warning"
                )
                found["profile"] = await profile(settings, counts)
        finally:
            if front is not None:
                front.stop()
            stop_process(api)
        report(args, lines, data, found)


async def cache_statuses(base: str) -> str:
    """What nginx says of a few answers in a row, after the loads."""
    async with httpx.AsyncClient(base_url=base, timeout=10, headers=GZIP) as http:
        answers = [await http.get(f"/status/{SLUG}") for _ in range(3)]
    return ", ".join(a.headers.get("x-cache-status", "none") for a in answers)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--components", type=int, default=100, help="one service each")
    parser.add_argument(
        "--seconds", type=float, default=8.0, help=f"length of a warm load (< {FRESH_S} s)"
    )
    parser.add_argument("--connections", type=int, default=50, help="the load client's")
    parser.add_argument("--builds", type=int, default=60, help="timed builds from scratch")
    parser.add_argument("--profile", action="store_true", help="profile even when the bars are met")
    args = parser.parse_args()
    args.seconds = min(args.seconds, FRESH_S - 2)  # a warm window ends before the copy expires
    run_bench(bench, args)


if __name__ == "__main__":
    main()
