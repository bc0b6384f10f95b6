"""Worker jobs of the hosts domain: store batches, mark silent hosts MISSING, roll up."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any, NamedTuple

import msgspec
import structlog
from sqlalchemy import func, literal, select, text

from watchdeck.db.copy import copy_rows
from watchdeck.domain.alerts import evaluator
from watchdeck.domain.alerts.models import Condition
from watchdeck.domain.alerts.observations import Observation, Subject
from watchdeck.domain.alerts.outbox import request_flush
from watchdeck.domain.hosts.events import HostMetrics, HostStatusChanged
from watchdeck.domain.hosts.models import METRICS, Host, HostStatus, MetricRow
from watchdeck.domain.incidents import lifecycle
from watchdeck.domain.incidents.models import IncidentSource
from watchdeck.platform.batching import Batcher
from watchdeck.platform.clock import utcnow
from watchdeck.platform.events import Event, EventKind, publish_many
from watchdeck.platform.vocabulary import TargetKind

log = structlog.get_logger(__name__)

METRIC_COLUMNS = list(MetricRow._fields)


class MetricBatch(NamedTuple):
    host_id: uuid.UUID
    agent: dict[str, str] | None
    rows: list[MetricRow]


def start(ctx: dict[str, Any]) -> None:
    """Worker start-up: the writer that stores concurrent metric batches together."""

    async def store(batches: list[MetricBatch]) -> list[int]:
        return await store_batches(ctx, batches)

    ctx["metrics_writer"] = Batcher(store, "metric batches", max_wait_s=0.05)


async def stop(ctx: dict[str, Any]) -> None:
    await ctx["metrics_writer"].aclose()


async def store_metrics(
    ctx: dict[str, Any], host_id: str, agent: dict[str, str] | None, rows: bytes
) -> int:
    """Store one batch of an agent's samples (msgpack-encoded rows); returns the rows stored.

    Batches being stored at the same time on this worker go in one transaction."""
    decoded = msgspec.msgpack.decode(rows, type=list[MetricRow])
    return await ctx["metrics_writer"].submit(MetricBatch(uuid.UUID(host_id), agent, decoded))


async def store_batches(ctx: dict[str, Any], batches: list[MetricBatch]) -> list[int]:
    """COPY the samples of many batches and bring their hosts ONLINE; returns the rows each
    batch stored.

    Samples a host already has (same time) are skipped, under the hosts' row locks, so
    running a batch again after its worker died stores nothing twice.
    """
    events: list[Event] = []
    async with ctx["session_factory"]() as session:
        ids = sorted({batch.host_id for batch in batches})
        hosts = {
            host.id: host
            for host in await session.scalars(
                select(Host)
                .where(Host.id.in_(ids))
                .order_by(Host.id)  # a fixed lock order keeps two writers from deadlocking
                # NO KEY UPDATE, so rollups inserting rows that reference a host don't
                # deadlock with it.
                .with_for_update(key_share=True)
            )
        }
        taken = await _stored(session, [b for b in batches if b.host_id in hosts])
        fresh: list[list[MetricRow]] = []
        for batch in batches:
            rows = []
            if batch.host_id in hosts:  # else deleted while the batch waited
                for row in batch.rows:
                    if (row.host_id, row.at) not in taken:
                        taken.add((row.host_id, row.at))
                        rows.append(row)
            fresh.append(rows)
        every = [row for rows in fresh for row in rows]
        if not every:
            return [0] * len(batches)
        await copy_rows(session, "host_metrics", METRIC_COLUMNS, every)
        observations: list[Observation] = []
        for batch, rows in zip(batches, fresh, strict=True):
            if rows:
                host = hosts[batch.host_id]
                events += await _seen(session, host, batch.agent, rows)
                observations += _observations(host, rows)
        effects = await evaluator.evaluate(session, observations, ctx["settings"])
        await session.commit()
    for host_id in {batch.host_id for batch, rows in zip(batches, fresh, strict=True) if rows}:
        host = hosts[host_id]
        latest = HostMetrics(host_id=host.id, **host.latest)
        events.append(Event(team_id=host.team_id, kind=EventKind.host_metrics, data=latest))
    await publish_many(ctx["redis"], events + effects.events)
    await request_flush(ctx["redis"], effects.channels, ctx["settings"].alert_group_s)
    return [len(rows) for rows in fresh]


async def _seen(
    session, host: Host, agent: dict[str, str] | None, rows: list[MetricRow]
) -> list[Event]:
    """The host's latest figures and agent details from `rows`; ONLINE if it was not."""
    newest = max(rows, key=lambda row: row.at)
    if host.last_seen_at is None or newest.at > host.last_seen_at:
        host.last_seen_at = newest.at
        host.latest = {name: getattr(newest, name) for name in METRICS}
    if agent:
        host.hostname = agent.get("hostname") or host.hostname
        host.agent_version = agent.get("version") or host.agent_version
        host.os = agent.get("os") or host.os
    if host.status is not HostStatus.online:
        return await _host_status(session, host, HostStatus.online)
    return []


async def _stored(session, batches: list[MetricBatch]) -> set[tuple[uuid.UUID, datetime]]:
    """Which of the batches' (host, time) pairs `host_metrics` already has."""
    pairs = {(row.host_id, row.at) for batch in batches for row in batch.rows}
    if not pairs:
        return set()
    hosts, times = zip(*pairs, strict=True)
    found = await session.execute(_STORED, {"hosts": list(hosts), "times": list(times)})
    return {(row.host_id, row.at) for row in found}


_STORED = text(
    "SELECT m.host_id, m.at FROM host_metrics m "
    "JOIN unnest(CAST(:hosts AS uuid[]), CAST(:times AS timestamptz[])) AS w(host_id, at) "
    "ON m.host_id = w.host_id AND m.at = w.at"
)


_RULE_METRICS = {Condition.cpu: "cpu", Condition.ram: "mem_pct", Condition.disk: "disk_pct"}


def _subject(host: Host) -> Subject:
    return Subject(host.id, host.team_id, TargetKind.host, host.name, labels=host.labels or {})


def _observations(host: Host, rows: list[MetricRow]) -> list[Observation]:
    """Each sample's CPU, RAM and disk for the rules, and the host being back if it was missing."""
    subject = _subject(host)
    observations = [
        Observation(subject, condition, float(getattr(row, metric)), row.at)
        for row in rows
        for condition, metric in _RULE_METRICS.items()
        if getattr(row, metric) is not None
    ]
    newest = max(row.at for row in rows)
    observations.append(Observation(subject, Condition.host_missing, 0.0, newest))
    return observations


async def _host_status(session, host: Host, status: HostStatus) -> list[Event]:
    before, now = host.status, utcnow()
    host.status, host.status_changed_at = status, now
    changed = HostStatusChanged(host_id=host.id, name=host.name, before=before, after=status)
    events = [Event(team_id=host.team_id, kind=EventKind.host_status, data=changed)]
    if status is HostStatus.missing:
        _, opened = await lifecycle.open_for(
            session,
            host.team_id,
            IncidentSource.host_status,
            f"{host.name} is missing",
            f"no metrics for {host.interval_s * host.missing_after} s",
            now,
            host_id=host.id,
        )
        events.append(opened)
    elif before is HostStatus.missing:
        resolved = await lifecycle.resolve_for(
            session, IncidentSource.host_status, now, host_id=host.id
        )
        if resolved is not None:
            events.append(resolved)
    return events


async def sweep_missing(ctx: dict[str, Any]) -> int:
    """Mark ONLINE hosts MISSING once they are silent for `missing_after` intervals."""
    now = utcnow()
    events: list[Event] = []
    async with ctx["session_factory"]() as session:
        silent = await session.scalars(
            select(Host)
            .where(
                Host.status == HostStatus.online,
                Host.last_seen_at
                < literal(now)
                - func.make_interval(0, 0, 0, 0, 0, 0, Host.interval_s * Host.missing_after),
            )
            .with_for_update(skip_locked=True)
        )
        observations = []
        for host in silent:
            events += await _host_status(session, host, HostStatus.missing)
            observations.append(Observation(_subject(host), Condition.host_missing, 1.0, now))
        effects = await evaluator.evaluate(session, observations, ctx["settings"])
        await session.commit()
    await publish_many(ctx["redis"], events + effects.events)
    await request_flush(ctx["redis"], effects.channels, ctx["settings"].alert_group_s)
    return sum(1 for e in events if e.kind == EventKind.host_status)


def _rollup_sql(target: str, source: str, unit: str, weighted: bool) -> str:
    stats = []
    for m in METRICS:
        if weighted:  # from a finer rollup: weight averages by their sample counts
            stats += [
                f"sum({m}_avg * samples) / nullif(sum(samples), 0)",
                f"min({m}_min)",
                f"max({m}_max)",
            ]
        else:
            stats += [f"avg({m})", f"min({m})", f"max({m})"]
    columns = ", ".join(f"{m}_{s}" for m in METRICS for s in ("avg", "min", "max"))
    time_column, count = ("bucket", "sum(samples)") if weighted else ("at", "count(*)")
    updates = ", ".join(f"{c} = excluded.{c}" for c in ["samples", *columns.split(", ")])
    return (
        f"INSERT INTO {target} (host_id, bucket, samples, {columns}) "
        f"SELECT host_id, date_trunc('{unit}', {time_column}), {count}, {', '.join(stats)} "
        f"FROM {source} WHERE {time_column} >= :start AND {time_column} < :end "
        f"GROUP BY 1, 2 ON CONFLICT (host_id, bucket) DO UPDATE SET {updates}"
    )


ROLL_UP_MINUTES = text(_rollup_sql("host_metrics_1m", "host_metrics", "minute", weighted=False))
ROLL_UP_HOURS = text(_rollup_sql("host_metrics_1h", "host_metrics_1m", "hour", weighted=True))


async def roll_up_metrics(ctx: dict[str, Any]) -> None:
    """Refresh the last few minutes' 1-minute rollups and the current hour's 1-hour rollup."""
    now = utcnow()
    minute = now.replace(second=0, microsecond=0)
    hour = now.replace(minute=0, second=0, microsecond=0)
    if now - hour < timedelta(minutes=5):
        hour -= timedelta(hours=1)  # late samples of the hour that just ended
    async with ctx["engine"].begin() as conn:
        await conn.execute(ROLL_UP_MINUTES, {"start": minute - timedelta(minutes=3), "end": now})
        await conn.execute(ROLL_UP_HOURS, {"start": hour, "end": now})
