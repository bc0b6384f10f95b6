"""What alert evaluation costs the check path, and how fast a mass failure becomes one message.

    .venv/bin/python bench/alerts.py                 # 10,000 services, batches of 500
    .venv/bin/python bench/alerts.py --services 2000 --batches 10

Storing check results evaluates the team's alert rules in the same transaction. This times
`record()` — the function a worker's result writer calls per batch — on batches of healthy
results with the team's rules enabled (the two default rules plus a p95-latency rule on every
service) and with them disabled, then one batch in which every service goes DOWN at once (an
alert row per service, one notification each on a webhook channel), and how long the flush
takes to turn those notifications into one delivery. No HTTP is involved: the figures are the
database and Redis work per batch, plus one alert sweep over every service, on embedded
PostgreSQL and Redis (or DATABASE_URL / REDIS_URL).
"""

from __future__ import annotations

import argparse
import time
import uuid
from datetime import UTC, datetime

from arq import ArqRedis
from redis.asyncio import Redis
from sqlalchemy import select, text, update
from support.measures import percentile
from support.processes import run_bench
from support.report import header, ms, progress
from support.servers import servers
from support.targets import NOWHERE
from support.team import seed_services
from watchdeck.db.engine import make_engine, make_session_factory
from watchdeck.domain.alerts.models import AlertRule, Channel, Condition
from watchdeck.domain.alerts.outbox import flush_channel
from watchdeck.domain.alerts.sweep import sweep_alerts
from watchdeck.domain.services.models import Service
from watchdeck.domain.services.probe import CheckResult
from watchdeck.domain.services.results import Outcome, record
from watchdeck.platform.config import Settings
from watchdeck.platform.vocabulary import TargetKind
from watchdeck.wiring import wire


def _results(ids: list[str], ok: bool) -> list[Outcome]:
    now = datetime.now(UTC)
    return [
        Outcome(
            CheckResult(
                service_id=i, at=now, ok=ok, degraded=False, status_code=200 if ok else 503,
                latency_ms=42.0, error_class=None if ok else "status",
                error=None if ok else "HTTP 503", tls_expires_at=None,
            )
        )
        for i in ids
    ]  # fmt: skip


async def _time_batches(factory, redis, settings, ids, batch, count) -> list[float]:
    timings = []
    for n in range(count):
        chunk = ids[(n * batch) % len(ids) :][:batch]
        start = time.perf_counter()
        await record(factory, redis, _results(chunk, ok=True), settings)
        timings.append((time.perf_counter() - start) * 1000)
    return timings


async def bench(args: argparse.Namespace) -> None:
    lines = header("Watchdeck alert evaluation benchmark (bench/alerts.py)")
    wire()  # the sweep reads services and hosts through the sources they provide
    lines.append(f"run      {args.services:,} services, batches of {args.batch}")
    async with servers("alerts") as (_, dbs):
        url = await dbs.fresh("alerts")
        progress(f"seeding {args.services:,} services")
        await seed_services(url, args.services, 30, NOWHERE)  # nothing is requested here
        settings = dbs.settings(url)
        engine = make_engine(settings)
        factory = make_session_factory(engine)
        redis = ArqRedis.from_url(dbs.redis_url)
        try:
            await _run(args, lines, settings, engine, factory, redis)
        finally:
            await redis.aclose()
            await engine.dispose()


async def _run(args, lines: list[str], settings: Settings, engine, factory, redis: Redis) -> None:
    async with factory() as session:
        ids = [str(i) for i in await session.scalars(select(Service.id).order_by(Service.id))]
        team_id = await session.scalar(select(Service.team_id).limit(1))
        channel = Channel(
            team_id=team_id, name="bench hook", kind="webhook", config={},
            secrets={"url": f"{NOWHERE}/hook", "signing_secret": None, "headers": {}},
        )  # fmt: skip
        session.add(channel)
        session.add(
            AlertRule(
                team_id=team_id, name="p95", condition=Condition.latency_p95,
                target_kind=TargetKind.service, target_tags=[], target_labels={},
                threshold=800,
            )
        )  # fmt: skip
        await session.flush()
        await session.execute(
            text(
                "INSERT INTO alert_rule_channels (rule_id, channel_id)"
                " SELECT id, :channel FROM alert_rules"
            ),
            {"channel": channel.id},
        )
        await session.commit()

    async def set_rules(enabled: bool) -> None:
        async with factory() as session:
            await session.execute(update(AlertRule).values(enabled=enabled))
            await session.commit()

    figures = {}
    for label, enabled in (("rules off", False), ("rules on", True), ("rules off", False)):
        await set_rules(enabled)
        progress(f"{args.batches} healthy batches, {label}")
        timings = await _time_batches(factory, redis, settings, ids, args.batch, args.batches)
        figures.setdefault(label, []).extend(timings)
    for label, timings in figures.items():
        lines.append(
            f"record() of {args.batch} healthy results, {label}: "
            f"p50 {ms(percentile(timings, 50))}, p95 {ms(percentile(timings, 95))}"
        )
    on, off = percentile(figures["rules on"], 50), percentile(figures["rules off"], 50)
    if on and off:
        lines.append(f"p50 difference per healthy check: {(on - off) / args.batch * 1000:+.0f} µs")

    await set_rules(True)
    ctx = {"redis": redis, "session_factory": factory, "settings": settings}
    sweeps = []
    for _ in range(5):
        start = time.perf_counter()
        await sweep_alerts(ctx)
        sweeps.append((time.perf_counter() - start) * 1000)
    lines.append(
        f"alert sweep (p95 latency over 5 min for {args.services:,} services): "
        f"p50 {ms(percentile(sweeps, 50))}, max {ms(max(sweeps))}"
    )
    failing = ids[: args.batch]
    progress(f"{len(failing)} services going DOWN in one batch")
    async with factory() as session:
        await session.execute(
            update(Service)
            .where(Service.id.in_([uuid.UUID(i) for i in failing]))
            .values(failures_before_down=1)
        )
        await session.commit()
    start = time.perf_counter()
    await record(factory, redis, _results(failing, ok=False), settings)
    fired = (time.perf_counter() - start) * 1000
    start = time.perf_counter()
    delivery = await flush_channel(ctx, str(channel.id))
    flushed = (time.perf_counter() - start) * 1000
    async with engine.connect() as conn:
        alerts = await conn.scalar(text("SELECT count(*) FROM alerts"))
        grouped = await conn.scalar(
            text("SELECT count(*) FROM notifications WHERE delivery_id = :d"), {"d": delivery}
        )
    lines.append(
        f"{len(failing)} services DOWN in one batch: record() {ms(fired)} "
        f"({alerts} alerts opened), flush into one delivery of {grouped} alerts {ms(flushed)}"
    )
    print("\n".join(lines))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--services", type=int, default=10_000)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--batches", type=int, default=20)
    run_bench(bench, parser.parse_args())
