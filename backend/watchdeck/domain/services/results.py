"""Storing check results: one transaction per batch, never one per check.

A batch COPYs its rows into `checks`, moves each service's health under a
row lock (so two workers never race on the same service), opens or resolves
incidents on DOWN and recovery, commits, then announces what changed.
"""

from __future__ import annotations

import asyncio
import uuid
from collections import defaultdict, deque
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import msgspec
import structlog
from redis.asyncio import Redis
from sqlalchemy import ARRAY, Uuid, bindparam, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from watchdeck.db.copy import copy_rows
from watchdeck.db.once import first_time
from watchdeck.domain.alerts import evaluator
from watchdeck.domain.alerts.models import Condition
from watchdeck.domain.alerts.observations import Observation, Subject
from watchdeck.domain.alerts.outbox import request_flush
from watchdeck.domain.incidents import lifecycle
from watchdeck.domain.incidents.models import IncidentSource
from watchdeck.domain.services import listing
from watchdeck.domain.services.events import CheckSeen, StatusChanged
from watchdeck.domain.services.maintenance import muting_at
from watchdeck.domain.services.models import Service, ServiceLocation, ServiceStatus
from watchdeck.domain.services.probe import CheckResult
from watchdeck.domain.services.status import Health, Thresholds, advance, quorum
from watchdeck.platform import keys
from watchdeck.platform.batching import Batcher
from watchdeck.platform.clock import utcnow
from watchdeck.platform.config import Settings
from watchdeck.platform.errors import as_unavailable
from watchdeck.platform.events import Event, EventKind, publish_many
from watchdeck.platform.vocabulary import TargetKind

log = structlog.get_logger(__name__)

CHECK_COLUMNS = [
    "service_id", "at", "ok", "degraded", "muted",
    "status_code", "latency_ms", "error_class", "error", "host_id", "late",
]  # fmt: skip
# A location counts towards the quorum while its latest result is this many intervals old.
COUNTED_INTERVALS = 3


class AgentResult(msgspec.Struct, array_like=True):
    """A result an agent sent, as ingest hands it to the worker."""

    result: CheckResult
    late: bool


@dataclass(frozen=True)
class Outcome:
    result: CheckResult
    due: float | None = None  # the slot's epoch seconds, when it came from the schedule
    host_id: uuid.UUID | None = None  # the agent's host that ran it; none: a worker
    late: bool = False  # stored for the record, too old to move any status


async def record(
    session_factory: async_sessionmaker[AsyncSession],
    redis: Redis,
    outcomes: list[Outcome],
    settings: Settings,
    announcements: Announcements | None = None,
    once: str | None = None,
) -> None:
    """Store a batch of results, apply status changes and alert rules, then announce what
    changed: at once, or through `announcements`, which wait out a Redis outage. With
    `once`, a batch under that key already stored is not stored again."""
    async with session_factory() as session:
        if once is not None and not await first_time(session, once):
            return
        events, observations = await _apply(session, outcomes)
        effects = await evaluator.evaluate(session, observations, settings)
        await session.commit()
    lags = [
        round((o.result.at.timestamp() - o.due) * 1000, 1) for o in outcomes if o.due is not None
    ]
    announcement = Announcement(events + effects.events, lags, effects.channels)
    if announcements is None:
        await announcement.send(redis, settings)
    else:
        await announcements.send(announcement, len(outcomes))


@dataclass(frozen=True)
class Announcement:
    """What a stored batch tells the others: live events, the service list's new version,
    lag samples, and the alert channels with notifications to flush."""

    events: list[Event]
    lags: list[float]
    channels: set[uuid.UUID]

    async def send(self, redis: Redis, settings: Settings) -> None:
        async with redis.pipeline(transaction=False) as pipe:
            if self.lags:
                pipe.lpush(keys.CHECK_LAG_SAMPLES, *self.lags)
                pipe.ltrim(keys.CHECK_LAG_SAMPLES, 0, 99_999)
            changed = {e.team_id for e in self.events if e.kind == EventKind.service_status}
            listing.changed(pipe, changed)
            await pipe.execute()
        await publish_many(redis, self.events)
        await request_flush(redis, self.channels, settings.alert_group_s)


class Announcements:
    """Sends the announcements of stored batches in the order the batches were stored.

    Results committed while Redis is out of reach are stored all the same: their
    announcements wait, in order, and go once Redis answers, so no stored result counts as
    lost and no dashboard gets an older status after a newer one. Past `WAITING_LIMIT` the
    oldest waiting ones are dropped (dashboards catch up from the stored state when they
    reconnect; alert flushes are also swept).
    """

    WAITING_LIMIT = 10_000
    RETRY_S = 1.0

    def __init__(self, redis: Redis, settings: Settings) -> None:
        self.redis = redis
        self.settings = settings
        self._waiting: deque[Announcement] = deque()
        self._lock = asyncio.Lock()
        self._retrying: asyncio.Task[None] | None = None
        self.dropped = 0

    async def send(self, announcement: Announcement, results: int) -> None:
        async with self._lock:
            if not self._waiting:
                try:
                    await announcement.send(self.redis, self.settings)
                    return
                except Exception as exc:
                    if as_unavailable(exc) is None:
                        raise
                    log.warning(
                        "check results stored; announcing them waits for Redis",
                        results=results,
                        error=repr(exc),
                    )
            if len(self._waiting) >= self.WAITING_LIMIT:
                self._waiting.popleft()
                self.dropped += 1
            self._waiting.append(announcement)
            if self._retrying is None or self._retrying.done():
                self._retrying = asyncio.create_task(self._send_waiting())

    async def _send_waiting(self) -> None:
        while True:
            await asyncio.sleep(self.RETRY_S)
            async with self._lock:
                try:
                    while self._waiting:
                        await self._waiting[0].send(self.redis, self.settings)
                        self._waiting.popleft()
                except Exception as exc:
                    if as_unavailable(exc) is None:  # a fault of this one, not an outage
                        log.exception("announcing stored check results failed")
                        self._waiting.popleft()
                    continue
                log.info("waiting check announcements sent", dropped=self.dropped)
                self.dropped = 0
                return


async def _apply(
    session: AsyncSession, outcomes: list[Outcome]
) -> tuple[list[Event], list[Observation]]:
    ids = sorted({uuid.UUID(o.result.service_id) for o in outcomes})
    rows = {
        row.id: row
        for row in (
            await session.execute(
                select(
                    Service.id,
                    Service.team_id,
                    Service.name,
                    Service.tags,
                    Service.host_id,
                    Service.status,
                    Service.enabled,
                    Service.severity,
                    Service.interval_s,
                    Service.quorum,
                    Service.consecutive_failures,
                    Service.consecutive_successes,
                    Service.failures_before_down,
                    Service.successes_before_up,
                )
                .where(Service.id.in_(ids))
                .order_by(Service.id)  # a fixed lock order keeps two writers from deadlocking
                # NO KEY UPDATE: rows that only reference a service (service_uptime written by
                # the rollup job, checks, incidents) take KEY SHARE locks, which this must not
                # wait on, or the rollup and a writer deadlock.
                .with_for_update(key_share=True)
            )
        ).all()
    }
    # Under the services' locks, so their locations need none of their own.
    located_ids = {uuid.UUID(o.result.service_id) for o in outcomes if o.host_id}
    locations = await _locations(session, located_ids)
    waiting = await _waiting(session, located_ids)
    muting = await muting_at(session, {row.team_id for row in rows.values()}, utcnow())
    records: list[tuple[Any, ...]] = []
    health: dict[uuid.UUID, Health] = {}
    latest: dict[uuid.UUID, CheckResult] = {}
    located: set[uuid.UUID] = set()  # services a location's result moved
    changes: list[tuple[Any, ServiceStatus, ServiceStatus, CheckResult]] = []
    observations: list[Observation] = []
    for outcome in sorted(outcomes, key=lambda o: o.result.at):
        result = outcome.result
        service_id = uuid.UUID(result.service_id)
        row = rows.get(service_id)
        if row is None:
            continue  # deleted while its check was in flight
        muted = muting.covers(row.team_id, service_id)
        records.append(
            (service_id, result.at, result.ok, result.degraded, muted, result.status_code,
             result.latency_ms, result.error_class, result.error, outcome.host_id, outcome.late)
        )  # fmt: skip
        if outcome.host_id is not None:
            if _moves_location(session, locations, row, outcome, muted):
                located.add(service_id)
                latest[service_id] = result
            continue
        before = health.get(service_id) or Health(
            row.status, row.consecutive_failures, row.consecutive_successes
        )
        after = before
        if row.enabled:
            thresholds = Thresholds(row.failures_before_down, row.successes_before_up)
            after = advance(before, thresholds, result.ok, result.degraded, muted)
        health[service_id] = after
        if row.enabled and not muted:
            observations += _observations(row, after.status, result.at)
        latest[service_id] = result
        if after.status is not before.status:
            changes.append((row, before.status, after.status, result))
    if not records:
        return [], []
    await copy_rows(session, "checks", CHECK_COLUMNS, records)
    for service_id in located:
        row = rows[service_id]
        result = latest[service_id]
        muted = muting.covers(row.team_id, service_id)
        status, error = _by_quorum(
            row, locations.get(service_id, {}), result.at, waiting.get(service_id, 0)
        )
        if muted:
            status = row.status
        health[service_id] = Health(status, row.consecutive_failures, row.consecutive_successes)
        if error is not None:
            latest[service_id] = msgspec.structs.replace(result, error=error)
        if not muted:
            observations += _observations(row, status, result.at)
        if status is not row.status:
            changes.append((row, row.status, status, latest[service_id]))
    changed_at = {row.id: result.at for row, _, _, result in changes}
    if health:
        await session.execute(
            update(Service),
            [_service_row(id_, state, latest[id_], changed_at) for id_, state in health.items()],
        )
    events = _check_events(rows, latest)
    for row, before, after, result in changes:
        events.extend(await _on_status_change(session, row, before, after, result))
    return events, observations


def _service_row(
    service_id: uuid.UUID, state: Health, result: CheckResult, changed_at: dict[uuid.UUID, datetime]
) -> dict[str, Any]:
    return {
        "id": service_id,
        "status": state.status,
        "consecutive_failures": state.consecutive_failures,
        "consecutive_successes": state.consecutive_successes,
        "last_check_at": result.at,
        "last_latency_ms": result.latency_ms,
        "last_status_code": result.status_code,
        "last_error": result.error,
        "last_figures": result.figures,
        **({"status_changed_at": changed_at[service_id]} if service_id in changed_at else {}),
        **({"tls_expires_at": result.tls_expires_at} if result.tls_expires_at else {}),
    }


async def _locations(
    session: AsyncSession, service_ids: set[uuid.UUID]
) -> dict[uuid.UUID, dict[uuid.UUID, ServiceLocation]]:
    found: dict[uuid.UUID, dict[uuid.UUID, ServiceLocation]] = defaultdict(dict)
    if service_ids:
        for location in await session.scalars(
            select(ServiceLocation).where(ServiceLocation.service_id.in_(service_ids))
        ):
            found[location.service_id][location.host_id] = location
    return found


def _moves_location(
    session: AsyncSession,
    locations: dict[uuid.UUID, dict[uuid.UUID, ServiceLocation]],
    row: Any,
    outcome: Outcome,
    muted: bool,
) -> bool:
    """Apply an agent's result to its location's health; False when it is stored only:
    late, older than the location's latest, or its service is paused."""
    result = outcome.result
    assert outcome.host_id is not None
    of_service = locations[row.id]
    location = of_service.get(outcome.host_id)
    if location is None:
        location = ServiceLocation(
            service_id=row.id,
            host_id=outcome.host_id,
            status=ServiceStatus.pending,
            status_changed_at=result.at,
            consecutive_failures=0,
            consecutive_successes=0,
            last_figures={},
        )
        session.add(location)
        of_service[outcome.host_id] = location
    if outcome.late or not row.enabled:
        return False
    if location.last_check_at is not None and result.at <= location.last_check_at:
        return False
    before = Health(location.status, location.consecutive_failures, location.consecutive_successes)
    thresholds = Thresholds(row.failures_before_down, row.successes_before_up)
    after = advance(before, thresholds, result.ok, result.degraded, muted)
    if after.status is not location.status:
        location.status_changed_at = result.at
    location.status = after.status
    location.consecutive_failures = after.consecutive_failures
    location.consecutive_successes = after.consecutive_successes
    location.last_check_at = result.at
    location.last_latency_ms = result.latency_ms
    location.last_status_code = result.status_code
    location.last_error = result.error
    location.last_figures = result.figures
    return True


def counted(location: ServiceLocation, interval_s: int, now: datetime) -> bool:
    """Whether a location takes part in its service's quorum: it reported lately."""
    last = location.last_check_at
    return last is not None and (now - last).total_seconds() <= COUNTED_INTERVALS * interval_s


# Hosts a service runs from whose agents are alive (not pending) but have not reported
# on it yet: each will vote, so the first to report does not decide alone.
_WAITING = text(
    """
    SELECT s.id, count(h.id)::int
    FROM services s
    JOIN hosts h ON h.team_id = s.team_id AND h.status <> 'pending' AND (
      (s.run_from = 'host' AND h.id = s.run_host_id)
      OR (s.run_from = 'labels' AND s.run_labels <@ h.labels))
    LEFT JOIN service_locations l ON l.service_id = s.id AND l.host_id = h.id
    WHERE s.id = ANY(:ids) AND l.host_id IS NULL
    GROUP BY s.id
    """
).bindparams(bindparam("ids", type_=ARRAY(Uuid)))


async def _waiting(session: AsyncSession, service_ids: set[uuid.UUID]) -> dict[uuid.UUID, int]:
    if not service_ids:
        return {}
    rows = await session.execute(_WAITING, {"ids": list(service_ids)})
    return {service_id: count for service_id, count in rows}


def _by_quorum(
    row: Any, of_service: dict[uuid.UUID, ServiceLocation], now: datetime, waiting: int
) -> tuple[ServiceStatus, str | None]:
    """The service's status from its counted locations, and the error to show with it."""
    live = [loc for loc in of_service.values() if counted(loc, row.interval_s, now)]
    status = quorum([loc.status for loc in live], row.quorum, waiting)
    failing = [loc for loc in live if loc.status is ServiceStatus.down]
    if not failing:
        return status, None
    newest = max(failing, key=lambda loc: loc.last_check_at or now)
    return status, f"down from {len(failing)} of {len(live)} locations: {newest.last_error}"


def _observations(row: Any, status: ServiceStatus, at: datetime) -> list[Observation]:
    subject = Subject(
        row.id, row.team_id, TargetKind.service, row.name, tuple(row.tags), host_id=row.host_id
    )
    return [
        Observation(subject, Condition.service_down, float(status is ServiceStatus.down), at),
        Observation(
            subject, Condition.service_degraded, float(status is ServiceStatus.degraded), at
        ),
    ]


async def _on_status_change(
    session: AsyncSession,
    row: Any,
    before: ServiceStatus,
    after: ServiceStatus,
    result: CheckResult,
) -> list[Event]:
    changed = StatusChanged(
        service_id=row.id,
        name=row.name,
        before=before,
        after=after,
        at=result.at.isoformat(),
        error=result.error,
    )
    events = [Event(team_id=row.team_id, kind=EventKind.service_status, data=changed)]
    if after is ServiceStatus.down:
        _, opened = await lifecycle.open_for(
            session,
            row.team_id,
            IncidentSource.service_status,
            f"{row.name} is down",
            result.error,
            result.at,
            severity=row.severity,
            service_id=row.id,
        )
        events.append(opened)
    elif before is ServiceStatus.down:
        resolved = await lifecycle.resolve_for(
            session, IncidentSource.service_status, result.at, service_id=row.id
        )
        if resolved is not None:
            events.append(resolved)
    return events


def _check_events(rows: dict[uuid.UUID, Any], latest: dict[uuid.UUID, CheckResult]) -> list[Event]:
    """One coalesced `checks` event per team per batch, not one per check."""
    per_team: dict[uuid.UUID, list[CheckSeen]] = defaultdict(list)
    for service_id, result in latest.items():
        per_team[rows[service_id].team_id].append(
            CheckSeen(
                service_id=service_id,
                at=result.at.isoformat(),
                ok=result.ok,
                degraded=result.degraded,
                latency_ms=result.latency_ms,
                status_code=result.status_code,
            )
        )
    return [
        Event(team_id=team, kind=EventKind.checks, data=items) for team, items in per_team.items()
    ]


def result_writer(
    session_factory: async_sessionmaker[AsyncSession], redis: Redis, settings: Settings
) -> Batcher[Outcome, None]:
    """Gathers the results of concurrent checks into batches (`record`): a check's `submit`
    returns once its result is committed."""
    announcements = Announcements(redis, settings)

    async def store(outcomes: list[Outcome]) -> list[None]:
        await record(session_factory, redis, outcomes, settings, announcements)
        return [None] * len(outcomes)

    return Batcher(store, "check results")
