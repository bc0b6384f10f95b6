"""The one dispatcher that turns due slots into arq jobs.

Every worker runs a Dispatcher; only the holder of a Redis lease (a key with
an expiry, renewed while alive) dispatches. When the holder dies its lease
lapses and another worker takes over, rebuilding the schedule from
PostgreSQL first. Each job's id names its slot, so a slot is never queued twice.
"""

from __future__ import annotations

import asyncio
import os
import socket
import time

import msgspec
import structlog
from arq import ArqRedis
from redis.exceptions import RedisError
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from watchdeck.domain.accounts.teams import teams_allowing_private_targets
from watchdeck.domain.services.checks import enabled_services, spec_for
from watchdeck.domain.services.models import ServiceKind
from watchdeck.domain.services.scheduler import DueSlot, Schedule
from watchdeck.platform import keys

log = structlog.get_logger(__name__)

_RENEW = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
"""
_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
"""


class Dispatcher:
    def __init__(
        self,
        arq: ArqRedis,
        session_factory: async_sessionmaker[AsyncSession],
        tick_s: float = 0.1,
        lease_ms: int = 5_000,
        batch: int = 2_000,
    ) -> None:
        self.arq = arq
        self.schedule = Schedule(arq)
        self.session_factory = session_factory
        self.tick_s = tick_s
        self.lease_ms = lease_ms
        self.batch = batch
        self.identity = f"{socket.gethostname()}:{os.getpid()}:{id(self)}"
        self.leading = False
        self._renew = arq.register_script(_RENEW)
        self._release = arq.register_script(_RELEASE)
        self._last_renew = 0.0

    async def run(self) -> None:
        """Dispatch while holding the lease; runs until cancelled."""
        failing = False
        try:
            while True:
                try:
                    await self.step()
                except (RedisError, SQLAlchemyError, OSError) as exc:
                    if not failing:  # once per outage, not once a second
                        log.warning("dispatcher step failed; retrying", error=repr(exc))
                    failing = True
                    self.leading = False
                    await asyncio.sleep(1)
                else:
                    if failing:
                        log.info("dispatcher working again")
                    failing = False
                await asyncio.sleep(self.tick_s)
        finally:
            if self.leading:
                await asyncio.shield(
                    self._release(keys=[keys.SCHEDULE_LEASE], args=[self.identity])
                )

    async def step(self) -> int:
        """One tick: keep or take the lease, then queue every due check. Returns how many."""
        if not await self._hold_lease():
            return 0
        if not self.leading:
            count = await self.schedule.rebuild(self.session_factory)
            log.info(
                "scheduler lease taken; schedule rebuilt", worker=self.identity, services=count
            )
            self.leading = True
        return await self.dispatch_due()

    async def _hold_lease(self) -> bool:
        now = time.monotonic()
        if self.leading and now - self._last_renew < self.lease_ms / 3000:
            return True
        if self.leading and await self._renew(
            keys=[keys.SCHEDULE_LEASE], args=[self.identity, self.lease_ms]
        ):
            self._last_renew = now
            return True
        if self.leading:
            # The lease vanished under us (expired, or Redis restarted empty, schedule and
            # all): whoever takes it next, this worker included, rebuilds the schedule first.
            log.info("scheduler lease lost", worker=self.identity)
            self.leading = False
        taken = await self.arq.set(keys.SCHEDULE_LEASE, self.identity, nx=True, px=self.lease_ms)
        if taken:
            self._last_renew = now
        return bool(taken)

    async def dispatch_due(self) -> int:
        slots = await self.schedule.pop_due(time.time(), self.batch)
        if not slots:
            return 0
        async with self.session_factory() as session:
            services = await enabled_services(session, [slot.service_id for slot in slots])
            # Read at every dispatch, so an admin turning private targets off takes effect.
            allowed = await teams_allowing_private_targets(
                session, {service.team_id for service in services.values()}
            )
        jobs = []
        for slot in slots:
            service = services.get(slot.service_id)
            if service is None:
                await self.schedule.remove(slot.service_id)  # deleted or paused meanwhile
                continue
            jobs.append(self._enqueue(slot, service, allow_private=service.team_id in allowed))
        await asyncio.gather(*jobs)
        return len(jobs)

    async def _enqueue(self, slot: DueSlot, service, *, allow_private: bool) -> None:
        if service.kind is ServiceKind.push:
            await self.arq.enqueue_job("watch_push", str(service.id), slot.due, _job_id=slot.job_id)
        else:
            spec = msgspec.to_builtins(spec_for(service, allow_private=allow_private))
            await self.arq.enqueue_job("run_check", spec, slot.due, _job_id=slot.job_id)
