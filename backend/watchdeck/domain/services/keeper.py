"""The one worker that keeps the schedule in Redis matching PostgreSQL.

Every worker takes due slots (runner.py); one of them, the holder of a Redis
lease (a key with an expiry, renewed while alive), also rebuilds the schedule
when it takes the lease: at start-up, after its holder died, and after Redis
came back empty. Between rebuilds the api keeps the schedule up to date as
services are added, changed and removed.
"""

from __future__ import annotations

import asyncio
import os
import socket
import time

import structlog
from redis.asyncio import Redis
from redis.exceptions import RedisError
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from watchdeck.domain.services.scheduler import Schedule
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


def worker_identity(owner: object) -> str:
    """host:pid:object, unique among live workers; the pid is how tests find a process."""
    return f"{socket.gethostname()}:{os.getpid()}:{id(owner)}"


class Keeper:
    def __init__(
        self,
        redis: Redis,
        session_factory: async_sessionmaker[AsyncSession],
        tick_s: float = 0.25,
        lease_ms: int = 5_000,
    ) -> None:
        self.redis = redis
        self.schedule = Schedule(redis)
        self.session_factory = session_factory
        self.tick_s = tick_s
        self.lease_ms = lease_ms
        self.identity = worker_identity(self)
        self.leading = False
        self._renew = redis.register_script(_RENEW)
        self._release = redis.register_script(_RELEASE)
        self._last_renew = 0.0

    async def run(self) -> None:
        """Hold the lease, or wait to take it over; runs until cancelled."""
        failing = False
        try:
            while True:
                try:
                    await self.step()
                except (RedisError, SQLAlchemyError, OSError) as exc:
                    if not failing:  # once per outage, not once a second
                        log.warning("schedule keeper failed; retrying", error=repr(exc))
                    failing = True
                    self.leading = False
                    await asyncio.sleep(1)
                else:
                    if failing:
                        log.info("schedule keeper working again")
                    failing = False
                await asyncio.sleep(self.tick_s)
        finally:
            if self.leading:
                await asyncio.shield(
                    self._release(keys=[keys.SCHEDULE_LEASE], args=[self.identity])
                )

    async def step(self) -> bool:
        """One tick: keep or take the lease, rebuilding on taking it. Returns whether held."""
        if not await self._hold_lease():
            return False
        if not self.leading:
            count = await self.schedule.rebuild(self.session_factory)
            log.info(
                "scheduler lease taken; schedule rebuilt", worker=self.identity, services=count
            )
            self.leading = True
        return True

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
        taken = await self.redis.set(keys.SCHEDULE_LEASE, self.identity, nx=True, px=self.lease_ms)
        if taken:
            self._last_renew = now
        return bool(taken)
