"""Scheduled checks, run straight from the schedule: no queued job per check.

Every worker runs a CheckRunner. Each tick it claims as many slots due by the
next tick as it has room for (one script call, scheduler.py), reads their
services in one query, and probes each at its moment, concurrently; results go
to the result writer, which stores them in batches. While a check runs its
claim is renewed; once its result is stored (or the check was given up) the
claim is released. A worker that dies stops
renewing, and its slots go to another worker within `CLAIM_S` seconds, which
first looks whether the slot's result was stored after all, so a slot is
checked once, late rather than never.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

import structlog
from redis.exceptions import RedisError
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from watchdeck.domain.accounts.teams import teams_allowing_private_targets
from watchdeck.domain.services.checks import enabled_services, missed_ping, spec_for
from watchdeck.domain.services.keeper import worker_identity
from watchdeck.domain.services.models import Service, ServiceKind
from watchdeck.domain.services.probe import Prober
from watchdeck.domain.services.results import Outcome
from watchdeck.domain.services.scheduler import DueSlot, Schedule
from watchdeck.platform.batching import Batcher
from watchdeck.platform.errors import as_unavailable

log = structlog.get_logger(__name__)

RENEW_S = 1.0
# Slots due within this are taken at once and wait for their moment: a tick's round trips
# carry more slots, and a check starts on time rather than up to a tick late.
AHEAD_S = 0.25
STOP_WAIT_S = 5.0  # how long a stopping worker lets running checks finish


@dataclass
class CheckCounts:
    """What the runner did, for the worker's summary line."""

    done: int = 0  # stored
    skipped: int = 0  # handed over, and its result was stored already
    failed: int = 0  # not stored (PostgreSQL or Redis out of reach): the slot is missed


class CheckRunner:
    def __init__(
        self,
        schedule: Schedule,
        session_factory: async_sessionmaker[AsyncSession],
        prober: Prober,
        writer: Batcher[Outcome, None],
        capacity: int,
        tick_s: float = 0.2,
    ) -> None:
        self.schedule = schedule
        self.session_factory = session_factory
        self.prober = prober
        self.writer = writer
        self.capacity = capacity
        self.tick_s = tick_s
        self.identity = worker_identity(self)
        self.counts = CheckCounts()
        self._running: dict[str, asyncio.Task[None]] = {}  # claim → its check
        self._storing: set[str] = set()  # claims whose result is with the writer
        self._finished: list[str] = []  # claims to release
        self._renewed_at = 0.0

    @property
    def running(self) -> int:
        return len(self._running)

    async def run(self) -> None:
        """Take and run due checks until cancelled."""
        failing = False
        while True:
            try:
                await self.step()
            except (RedisError, SQLAlchemyError, OSError) as exc:
                if not failing:  # once per outage, not once a tick
                    log.warning("taking due checks failed; retrying", error=repr(exc))
                failing = True
                await asyncio.sleep(1)
                continue
            if failing:
                log.info("taking due checks again")
                failing = False
            await asyncio.sleep(self.tick_s)

    async def step(self) -> int:
        """Release what finished, renew what runs, take what is due. Returns how many taken."""
        if self._finished:
            finished, self._finished = self._finished, []
            try:
                await self.schedule.release(self.identity, finished)
            except BaseException:
                self._finished += finished
                raise
        now = time.monotonic()
        if now - self._renewed_at >= RENEW_S:
            self._renewed_at = now
            for claim in await self.schedule.renew(self.identity, list(self._running)):
                self._hand_over(claim)
        room = self.capacity - len(self._running)
        if room <= 0:
            return 0
        slots = await self.schedule.take(self.identity, time.time(), room, ahead=AHEAD_S)
        if slots:
            await self._start(slots)
        return len(slots)

    async def _start(self, slots: list[DueSlot]) -> None:
        try:
            async with self.session_factory() as session:
                services = await enabled_services(session, [slot.service_id for slot in slots])
                # Read at every take, so an admin turning private targets off takes effect.
                allowed = await teams_allowing_private_targets(
                    session, {service.team_id for service in services.values()}
                )
        except Exception:
            # These slots are missed (their next ones come round); their claims go at once.
            self._finished += [slot.claim for slot in slots]
            raise
        for slot in slots:
            service = services.get(slot.service_id)
            if service is None:
                await self.schedule.remove(slot.service_id)  # deleted or paused meanwhile
                self._finished.append(slot.claim)
                continue
            task = asyncio.create_task(
                self._check(slot, service, allow_private=service.team_id in allowed)
            )
            self._running[slot.claim] = task

    async def _check(self, slot: DueSlot, service: Service, *, allow_private: bool) -> None:
        log.debug("check started", service_id=str(slot.service_id), slot=slot.due, again=slot.again)
        outcome = "stored"
        try:
            # A loop: the event loop's timers may wake a little early, and a check is
            # never run before its slot.
            while (wait := slot.due - time.time()) > 0:  # noqa: ASYNC110  (a deadline, not an event)
                await asyncio.sleep(wait)
            if slot.again and await self._checked_since(slot):
                outcome = "skipped"
                self.counts.skipped += 1
                return
            if service.kind is ServiceKind.push:
                result = missed_ping(service)
                if result is None:
                    outcome = "pinged in time"
                    return
            else:
                result = await self.prober.run(spec_for(service, allow_private=allow_private))
            self._storing.add(slot.claim)
            await self.writer.submit(Outcome(result, slot.due))
            self.counts.done += 1
        except asyncio.CancelledError:
            outcome = "handed over"
            raise
        except Exception as exc:
            outcome = "failed"
            self.counts.failed += 1
            if as_unavailable(exc) is None:  # the writer logged outages already
                log.exception("a check failed", service_id=str(slot.service_id))
        finally:
            self._running.pop(slot.claim, None)
            self._storing.discard(slot.claim)
            if outcome != "handed over":  # a claim given up lapses, and another worker runs it
                self._finished.append(slot.claim)
            log.debug(
                "check ended", service_id=str(slot.service_id), slot=slot.due, outcome=outcome
            )

    def _hand_over(self, claim: str) -> None:
        """Another worker took this slot over (this one stalled past its claim): stop probing
        it, unless its result is already with the writer."""
        task = self._running.get(claim)
        if task is not None and claim not in self._storing:
            task.cancel()

    async def _checked_since(self, slot: DueSlot) -> bool:
        async with self.session_factory() as session:
            last = await session.scalar(
                select(Service.last_check_at).where(Service.id == slot.service_id)
            )
        return last is not None and last.timestamp() >= slot.due

    async def stop(self) -> None:
        """Let running checks finish for a few seconds; the rest go to other workers once
        their claims lapse."""
        tasks = list(self._running.values())
        if tasks:
            _, late = await asyncio.wait(tasks, timeout=STOP_WAIT_S)
            for task in late:
                task.cancel()
            await asyncio.gather(*late, return_exceptions=True)
        try:
            await self.schedule.release(self.identity, self._finished)
        except (RedisError, OSError):
            pass  # the claims lapse, and the slots are looked at again by another worker
