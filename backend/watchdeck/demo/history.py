"""A week of history for the demo team, written once, so the dashboard is alive on first open.

On a database whose demo team has no history yet, `backfill` writes in one
transaction what seven days of `up --demo` would have left behind, following
the same simulators and the spells of demo/story.py:

- checks: every slot of every demo service (the 24 h and 7 d latency charts and
  the recent checks read raw rows), and their hourly rollups by the product's
  own rollup query (uptime figures, the 90 daily bars, longer charts);
- host metrics: 1-minute rollups made directly for the week, raw 5-second
  samples for the last hour (the 1 h charts), the minutes of that hour and
  every hour rolled up by the product's rollup queries;
- service traffic: request and error counts per minute, per 5 s in the last hour;
- three past incidents and one alert with its deliveries (demo/past_incidents.py).

Bulk rows go in with COPY into day partitions made for the week first.
"""

from __future__ import annotations

import bisect
import itertools
import math
import random
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime

import msgspec
from sqlalchemy import exists, or_, select, text, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from watchdeck.db.copy import copy_rows
from watchdeck.db.partitions import PARTITIONED, ensure_partitions
from watchdeck.demo.hosts import (
    INTERVAL_S,
    LOAD_DIVISORS,
    SPIKE_CHANCE,
    SPIKE_PERCENT,
    profile,
    sample,
)
from watchdeck.demo.past_incidents import write_incidents_and_alert
from watchdeck.demo.seed import DemoTeam
from watchdeck.demo.story import Story, week_before
from watchdeck.demo.targets import Key, answer, daily_load, traffic
from watchdeck.domain.hosts.jobs import METRIC_COLUMNS, ROLL_UP_HOURS, ROLL_UP_MINUTES
from watchdeck.domain.hosts.models import METRICS, Host, MetricRow, host_metrics_1m
from watchdeck.domain.incidents.models import Incident
from watchdeck.domain.ingest.accept import metric_row
from watchdeck.domain.ingest.schemas import MetricSample
from watchdeck.domain.services.models import Service, check_hourly, checks
from watchdeck.domain.services.probe import ErrorClass, format_status_ranges, parse_status_ranges
from watchdeck.domain.services.results import CHECK_COLUMNS
from watchdeck.domain.services.traffic import COLUMNS as TRAFFIC_COLUMNS
from watchdeck.domain.services.uptime import roll_up

DAYS = 7
RECENT_S = 3600  # the last hour: raw host samples and 5-second traffic, as the 1 h charts read
TRAFFIC_STEP_S = 60  # before that, one traffic sample per service per minute
PROBE_OVERHEAD_MS = (0.8, 3.0)  # what the prober adds to a loopback answer's delay
MINUTE_ROLLUP_COLUMNS = [column.name for column in host_metrics_1m.columns]
# P(at most k of a minute's samples spike), k = 0, 1, …: one draw picks a minute's spikes.
_PER_MINUTE = 60 // INTERVAL_S
_SPIKES_UP_TO = list(
    itertools.accumulate(
        math.comb(_PER_MINUTE, k) * SPIKE_CHANCE**k * (1 - SPIKE_CHANCE) ** (_PER_MINUTE - k)
        for k in range(_PER_MINUTE + 1)
    )
)
# One backfill at a time: two `up` starting together must not both write a week.
_LOCK = 7_150_001


def _when(t: float) -> datetime:
    return datetime.fromtimestamp(t, UTC)


async def has_history(session: AsyncSession, team_id: uuid.UUID) -> bool:
    """Whether the team has any checks, host metrics or incidents already."""
    services = select(Service.id).where(Service.team_id == team_id)
    hosts = select(Host.id).where(Host.team_id == team_id)
    found = await session.scalar(
        select(
            or_(
                exists().where(checks.c.service_id.in_(services)),
                exists().where(check_hourly.c.service_id.in_(services)),
                exists().where(host_metrics_1m.c.host_id.in_(hosts)),
                exists().where(Incident.team_id == team_id),
            )
        )
    )
    return bool(found)


async def backfill(session: AsyncSession, demo: DemoTeam, now: datetime) -> bool:
    """Write the demo team's week before `now` in one transaction and commit it.

    Returns False, writing nothing, when the team has any history already, so it runs
    once per database.
    """
    conn = await session.connection()
    await conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK})
    if await has_history(session, demo.team_id):
        await session.rollback()
        return False
    end = now.timestamp()
    start = (end - DAYS * 86400) // 60 * 60
    recent = end // 60 * 60 - RECENT_S
    story = week_before(end)
    rng = random.Random(demo.team_id.int)
    for table in PARTITIONED:
        await ensure_partitions(conn, table, since=_when(start).date())

    await _write_checks(session, conn, demo, story, start, end, rng)
    await _write_host_metrics(session, conn, demo, story, start, recent, end, rng)
    await copy_rows(
        session,
        "service_metrics",
        TRAFFIC_COLUMNS,
        list(_traffic_rows(demo.services, story, start, recent, end, rng)),
    )
    await write_incidents_and_alert(session, demo, story)
    await session.commit()
    return True


async def _write_checks(
    session: AsyncSession,
    conn: AsyncConnection,
    demo: DemoTeam,
    story: Story,
    start: float,
    end: float,
    rng: random.Random,
) -> None:
    services = {
        s.id: s
        for s in await session.scalars(
            select(Service).where(Service.id.in_(demo.services.values()))
        )
    }
    rows: list[tuple] = []
    for key, service_id in demo.services.items():
        rows.extend(_check_rows(services[service_id], key, story, start, end, rng))
    await copy_rows(session, "checks", CHECK_COLUMNS, rows)
    await roll_up(conn, _when(start), _when(end))


def _check_rows(
    service: Service, key: Key, story: Story, start: float, end: float, rng: random.Random
) -> Iterator[tuple]:
    """What the prober would have stored for each slot: the simulated answer, judged (by
    the server: no agent's host, none late)."""
    interval = service.interval_s
    threshold = service.latency_threshold_ms
    refusal = f"expected {format_status_ranges(parse_status_ranges(service.expected_statuses))}"
    status_error = ErrorClass.status.value
    t = math.ceil(start / interval) * interval
    while t < end:
        status, _, delay = answer(key, *story.trouble(key, t), rng)
        latency = round(delay * 1000 + rng.uniform(*PROBE_OVERHEAD_MS), 2)
        if 200 <= status < 300:
            degraded = threshold is not None and latency > threshold
            yield (service.id, _when(t), True, degraded, False, status, latency, None, None,
                   None, False)  # fmt: skip
        else:
            error = f"{refusal}, got {status}"
            yield (service.id, _when(t), False, False, False, status, latency, status_error, error,
                   None, False)  # fmt: skip
        t += interval


async def _write_host_metrics(
    session: AsyncSession,
    conn: AsyncConnection,
    demo: DemoTeam,
    story: Story,
    start: float,
    recent: float,
    end: float,
    rng: random.Random,
) -> None:
    minutes: list[tuple] = []
    samples: list[tuple] = []
    for host, host_id in demo.hosts.items():
        minutes.extend(_minute_rows(host, host_id, story, start, recent, rng))
        samples.extend(_sample_rows(host, host_id, story, recent, end, rng))
    await copy_rows(session, "host_metrics_1m", MINUTE_ROLLUP_COLUMNS, minutes)
    await copy_rows(session, "host_metrics", METRIC_COLUMNS, samples)
    await conn.execute(ROLL_UP_MINUTES, {"start": _when(recent), "end": _when(end)})
    await conn.execute(ROLL_UP_HOURS, {"start": _when(start // 3600 * 3600), "end": _when(end)})
    newest: dict[uuid.UUID, MetricRow] = {}
    for row in samples:
        newest[row.host_id] = row  # samples are in time order per host
    if newest:
        await session.execute(
            update(Host),
            [
                {
                    "id": host_id,
                    "last_seen_at": row.at,
                    "latest": {name: getattr(row, name) for name in METRICS},
                }
                for host_id, row in newest.items()
            ],
        )


def _minute_rows(
    host: str, host_id: uuid.UUID, story: Story, start: float, end: float, rng: random.Random
) -> Iterator[tuple]:
    """1-minute rollups of the samples the host would have sent in [start, end).

    Each figure moves little within a minute, so a minute's floor goes from its value at
    the first sample to its value at the last; the noise on top gives the average and, as
    order statistics of that many uniform draws, the least and greatest sample.
    """
    count = _PER_MINUTE
    edge = 1 / (count + 1)
    for t in range(int(start), int(end), 60):
        if story.silent(host, t):
            continue
        busy = story.reporting_slow(t)  # slow spells cover whole minutes
        first = profile(host, t, busy)
        last = profile(host, t + 60 - INTERVAL_S, busy)
        stats: dict[str, tuple[float, float, float]] = {}
        for name, (floor, width) in first.items():
            low, high = sorted((floor, last[name][0]))
            stats[name] = (
                (floor + last[name][0]) / 2 + width * rng.uniform(0.45, 0.55),
                low + width * rng.uniform(0, 2 * edge),
                high + width * rng.uniform(1 - 2 * edge, 1),
            )
        spikes = min(bisect.bisect(_SPIKES_UP_TO, rng.random()), count)
        if spikes:
            avg, low, high = stats["cpu"]
            avg = min(100.0, avg + SPIKE_PERCENT * spikes / count)
            stats["cpu"] = (avg, low, min(100.0, high + SPIKE_PERCENT))
        cpu = stats["cpu"]
        for name, divisor in LOAD_DIVISORS.items():
            stats[name] = (cpu[0] / divisor, cpu[1] / divisor, cpu[2] / divisor)
        stats["swap_pct"] = (0.0, 0.0, 0.0)
        row = [host_id, _when(t), count]
        for name in METRICS:
            row.extend(stats[name])
        yield tuple(row)


def _sample_rows(
    host: str, host_id: uuid.UUID, story: Story, start: float, end: float, rng: random.Random
) -> Iterator[tuple]:
    """Raw samples every INTERVAL_S in [start, end), stored as ingest stores an agent's."""
    t = math.ceil(start / INTERVAL_S) * INTERVAL_S
    while t < end:
        if not story.silent(host, t):
            wire = sample(host, t, story.reporting_slow(t), rng)
            parsed = msgspec.convert(wire, MetricSample, strict=False)
            yield metric_row(host_id, _when(t), parsed)
        t += INTERVAL_S


def _traffic_rows(
    services: dict[Key, uuid.UUID],
    story: Story,
    start: float,
    recent: float,
    end: float,
    rng: random.Random,
) -> Iterator[tuple]:
    """Each service's requests and errors per minute, then per INTERVAL_S in the last hour
    (as the simulated hosts push them), so every chart's buckets add up alike."""
    for key, service_id in services.items():
        for step, first, last in ((TRAFFIC_STEP_S, start, recent), (INTERVAL_S, recent, end)):
            t = math.ceil(first / step) * step
            while t < last:
                requests, errors, p95 = traffic(
                    key, step, daily_load(t), *story.trouble(key, t), rng
                )
                yield (service_id, _when(t), requests, errors, p95)
                t += step
