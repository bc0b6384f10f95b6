"""When each service is next due, and which worker is checking which slot, kept in Redis and
rebuilt from PostgreSQL.

Due times live in a sorted set (member: service id, score: epoch seconds). Workers take
slots with one script that pops what is due, moves each member one interval on and claims
the slot for the taker, in a single atomic step, so a slot is handed out once however many
workers race. A claim lasts `CLAIM_S` and its worker renews it while the check runs; a
claim that lapsed (its worker died) is handed out again, marked as such, so the slot is
checked by another worker within seconds. Rebuilding is the lease holder's (keeper.py).
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from redis.asyncio import Redis
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from watchdeck.domain.services.models import RunFrom, Service, ServiceKind
from watchdeck.platform import keys

# Hands out at most ARGV[2] slots to worker ARGV[4], claimed until ARGV[3]: first those
# whose claim lapsed at ARGV[1] (flagged "1": their first worker died), then those due by
# ARGV[5] (a moment ahead, so one call carries several ticks' slots). A due
# member moves one interval after its slot, or after now when it fell more than an interval
# behind, so a backlog is skipped rather than replayed. A claim is "<service id> <slot>".
_TAKE = """
local now, limit = tonumber(ARGV[1]), tonumber(ARGV[2])
local out = {}
local lapsed = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', now, 'LIMIT', 0, limit)
for _, claim in ipairs(lapsed) do
  redis.call('ZADD', KEYS[3], ARGV[3], claim)
  redis.call('HSET', KEYS[4], claim, ARGV[4])
  out[#out + 1] = claim
  out[#out + 1] = '1'
end
limit = limit - #lapsed
if limit <= 0 then return out end
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[5], 'WITHSCORES', 'LIMIT', 0, limit)
for i = 1, #due, 2 do
  local member, slot = due[i], tonumber(due[i + 1])
  local interval = tonumber(redis.call('HGET', KEYS[2], member))
  if interval then
    local next_due = slot + interval
    if next_due <= now then next_due = now + interval end
    redis.call('ZADD', KEYS[1], next_due, member)
    local claim = member .. ' ' .. due[i + 1]
    redis.call('ZADD', KEYS[3], ARGV[3], claim)
    redis.call('HSET', KEYS[4], claim, ARGV[4])
    out[#out + 1] = claim
    out[#out + 1] = '0'
  else
    redis.call('ZREM', KEYS[1], member)
  end
end
return out
"""

# Extends worker ARGV[2]'s claims to ARGV[1]; returns the claims it no longer holds.
_RENEW = """
local lost = {}
for i = 3, #ARGV do
  if redis.call('HGET', KEYS[2], ARGV[i]) == ARGV[2] then
    redis.call('ZADD', KEYS[1], 'XX', ARGV[1], ARGV[i])
  else
    lost[#lost + 1] = ARGV[i]
  end
end
return lost
"""

# Drops worker ARGV[1]'s claims on slots it finished; another worker's claim stays.
_RELEASE = """
for i = 2, #ARGV do
  if redis.call('HGET', KEYS[2], ARGV[i]) == ARGV[1] then
    redis.call('ZREM', KEYS[1], ARGV[i])
    redis.call('HDEL', KEYS[2], ARGV[i])
  end
end
return 0
"""

# Puts a service checked as soon as possible: within a second while fewer than ARGV[4]
# were so placed this second, else at its stable offset in the interval (ARGV[5]).
_PUT_SOON = """
local placed = redis.call('INCR', KEYS[3])
if placed == 1 then redis.call('EXPIRE', KEYS[3], 2) end
local due = ARGV[3]
if placed > tonumber(ARGV[4]) then due = ARGV[5] end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[1], due, ARGV[1])
return due
"""

# A person adding or editing a service sees it checked within a second; an import or a
# script adding thousands in a few seconds would make them all due in the same second of
# every interval, so past this many a second they spread like a restart does (first_due).
SOON_PER_SECOND = 20


# How long a claim lasts unrenewed: a dead worker's slots run again this long after its
# last renewal, well within the shortest interval (10 s), so a check is late, never missed.
CLAIM_S = 5.0


@dataclass(frozen=True)
class DueSlot:
    service_id: uuid.UUID
    due: float  # epoch seconds of the slot
    claim: str  # what renews and releases the slot (`Schedule.renew`, `Schedule.release`)
    again: bool = False  # handed out before to a worker whose claim lapsed

    @classmethod
    def of(cls, claim: bytes, again: bytes) -> DueSlot:
        member, due = claim.decode().split(" ")
        return cls(uuid.UUID(member), float(due), claim.decode(), again == b"1")


class Schedule:
    def __init__(self, redis: Redis) -> None:
        self.redis = redis
        self._take = redis.register_script(_TAKE)
        self._renew = redis.register_script(_RENEW)
        self._release = redis.register_script(_RELEASE)
        self._put_soon = redis.register_script(_PUT_SOON)

    async def put(self, service_id: uuid.UUID, interval_s: int, due: float) -> None:
        """(Re)schedule a service: next check at `due` (epoch s), then every `interval_s`."""
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.hset(keys.SCHEDULE_INTERVALS, str(service_id), interval_s)
            pipe.zadd(keys.SCHEDULE_DUE, {str(service_id): due})
            await pipe.execute()

    async def put_soon(self, service_id: uuid.UUID, interval_s: int) -> float:
        """Schedule a new or changed service to be checked within a second, unless a burst
        of them is under way; returns the slot it got (epoch s)."""
        now = time.time()
        second = f"{keys.SCHEDULE_SOON}:{int(now)}"
        due = await self._put_soon(
            keys=[keys.SCHEDULE_DUE, keys.SCHEDULE_INTERVALS, second],
            args=[str(service_id), interval_s, now + 1, SOON_PER_SECOND,
                  now + 1 + _offset(service_id, interval_s)],
        )  # fmt: skip
        return float(due)

    async def remove(self, service_id: uuid.UUID) -> None:
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.zrem(keys.SCHEDULE_DUE, str(service_id))
            pipe.hdel(keys.SCHEDULE_INTERVALS, str(service_id))
            await pipe.execute()

    async def take(self, worker: str, now: float, limit: int, ahead: float = 0.0) -> list[DueSlot]:
        """Claim up to `limit` slots for `worker`: lapsed claims first, then what is due
        within `ahead` seconds of `now` (the caller waits for each slot's moment)."""
        flat = await self._take(
            keys=[keys.SCHEDULE_DUE, keys.SCHEDULE_INTERVALS, keys.SCHEDULE_CLAIMS,
                  keys.SCHEDULE_CLAIMED_BY],
            args=[now, limit, now + CLAIM_S, worker, now + ahead],
        )  # fmt: skip
        return [DueSlot.of(flat[i], flat[i + 1]) for i in range(0, len(flat), 2)]

    async def renew(self, worker: str, claims: list[str]) -> list[str]:
        """Keep `worker`'s claims alive; returns those another worker has taken over."""
        if not claims:
            return []
        lost = await self._renew(
            keys=[keys.SCHEDULE_CLAIMS, keys.SCHEDULE_CLAIMED_BY],
            args=[time.time() + CLAIM_S, worker, *claims],
        )
        return [claim.decode() for claim in lost]

    async def release(self, worker: str, claims: list[str]) -> None:
        """Let go of finished slots (stored, skipped or given up)."""
        if claims:
            await self._release(
                keys=[keys.SCHEDULE_CLAIMS, keys.SCHEDULE_CLAIMED_BY], args=[worker, *claims]
            )

    async def due_of(self, service_id: uuid.UUID) -> float | None:
        return await self.redis.zscore(keys.SCHEDULE_DUE, str(service_id))

    async def size(self) -> int:
        return await self.redis.zcard(keys.SCHEDULE_DUE)

    async def rebuild(self, session_factory: async_sessionmaker[AsyncSession]) -> int:
        """Make the schedule match PostgreSQL: add missing services, drop stale ones.

        Services already scheduled keep their slot. New or overdue ones get a
        first slot spread over their interval, so a restart with thousands of
        services does not fire them all in the same second.
        """
        now = time.time()
        async with session_factory() as session:
            rows = (
                await session.execute(
                    select(
                        Service.id,
                        Service.kind,
                        Service.interval_s,
                        Service.grace_s,
                        Service.last_check_at,
                    ).where(Service.enabled.is_(True), Service.run_from == RunFrom.server)
                )
            ).all()
        wanted = {str(row.id): row for row in rows}
        present = {member.decode() for member in await self.redis.zrange(keys.SCHEDULE_DUE, 0, -1)}
        async with self.redis.pipeline(transaction=False) as pipe:
            for chunk in _chunks(present - wanted.keys(), 1000):
                pipe.zrem(keys.SCHEDULE_DUE, *chunk)
                pipe.hdel(keys.SCHEDULE_INTERVALS, *chunk)
            for member, row in wanted.items():
                pipe.hset(keys.SCHEDULE_INTERVALS, member, row.interval_s)
                if member not in present:
                    due = first_due(
                        row.id, row.kind, row.interval_s, row.grace_s, row.last_check_at, now
                    )
                    pipe.zadd(keys.SCHEDULE_DUE, {member: due})
            await pipe.execute()
        return len(wanted)


def first_due(
    service_id: uuid.UUID,
    kind: ServiceKind,
    interval_s: int,
    grace_s: int,
    last_check_at: datetime | None,
    now: float,
) -> float:
    """The first slot of a service that is not scheduled yet."""
    if kind is ServiceKind.push:
        # A push monitor is checked only when its ping is late: interval + grace after the last.
        last = last_check_at.timestamp() if last_check_at else now
        return last + interval_s + grace_s
    if last_check_at is not None and last_check_at.timestamp() + interval_s > now:
        return last_check_at.timestamp() + interval_s
    return now + _offset(service_id, interval_s)


def _offset(service_id: uuid.UUID, interval_s: int) -> float:
    """A stable offset per service within its interval, which spreads the herd."""
    return (service_id.int % (interval_s * 1000)) / 1000


def _chunks(items: Iterable[str], size: int) -> Iterable[list[str]]:
    batch: list[str] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
