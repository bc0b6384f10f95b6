"""Worker jobs of the hosts domain: store batches, mark silent hosts MISSING, roll up."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import structlog
from sqlalchemy import func, literal, select, text

from watchdeck.db.copy import copy_rows
from watchdeck.domain.alerts import evaluator
from watchdeck.domain.alerts.models import Condition
from watchdeck.domain.alerts.observations import Observation, Subject
from watchdeck.domain.alerts.outbox import request_flush
from watchdeck.domain.hosts.events import HostMetrics, HostStatusChanged
from watchdeck.domain.hosts.models import METRICS, Host, HostStatus, MetricRow, host_metrics
from watchdeck.domain.incidents import lifecycle
from watchdeck.domain.incidents.models import IncidentSource
from watchdeck.platform.clock import utcnow
from watchdeck.platform.events import Event, EventKind, publish_many
from watchdeck.platform.vocabulary import TargetKind

log = structlog.get_logger(__name__)

METRIC_COLUMNS = list(MetricRow._fields)


async def store_metrics(
    ctx: dict[str, Any], host_id: str, agent: dict[str, str] | None, rows: list[MetricRow]
) -> int:
    """COPY a batch of samples and bring the host ONLINE; returns the rows stored.

    Samples the host already has (same time) are skipped, under the host's row
    lock, so running a batch again after its worker died stores nothing twice.
    """
    events: list[Event] = []
    async with ctx["session_factory"]() as session:
        # NO KEY UPDATE, so rollups inserting rows that reference the host don't deadlock with it.
        host = await session.get(Host, uuid.UUID(host_id), with_for_update={"key_share": True})
        if host is None:
            return 0  # deleted while the batch waited
        rows = await _unstored(session, host.id, rows)
        if not rows:
            return 0
        await copy_rows(session, "host_metrics", METRIC_COLUMNS, rows)
        newest = max(rows, key=lambda row: row.at)
        if host.last_seen_at is None or newest.at > host.last_seen_at:
            host.last_seen_at = newest.at
            host.latest = {name: getattr(newest, name) for name in METRICS}
        if agent:
            host.hostname = agent.get("hostname") or host.hostname
            host.agent_version = agent.get("version") or host.agent_version
            host.os = agent.get("os") or host.os
        if host.status is not HostStatus.online:
            events += await _host_status(session, host, HostStatus.online)
        effects = await evaluator.evaluate(session, _observations(host, rows), ctx["settings"])
        await session.commit()
    latest = HostMetrics(host_id=host.id, **host.latest)
    events.append(Event(team_id=host.team_id, kind=EventKind.host_metrics, data=latest))
    await publish_many(ctx["redis"], events + effects.events)
    await request_flush(ctx["redis"], effects.channels, ctx["settings"].alert_group_s)
    return len(rows)


async def _unstored(session, host_id: uuid.UUID, rows: list[MetricRow]) -> list[MetricRow]:
    stored = set(
        await session.scalars(
            select(host_metrics.c.at).where(
                host_metrics.c.host_id == host_id,
                host_metrics.c.at.in_([row.at for row in rows]),
            )
        )
    )
    return [row for row in rows if row.at not in stored]


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
