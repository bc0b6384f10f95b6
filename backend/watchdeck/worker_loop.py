"""arq's worker loop, made to ride out a Redis outage instead of exiting.

arq's own loop lets the first connection error end the worker. Here a failed
poll is logged once, retried every second, and the worker carries on when
Redis answers again; a job whose start was cut short gives its slot back.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import structlog
from redis.exceptions import RedisError

from watchdeck.claims import ClaimingWorker

log = structlog.get_logger(__name__)

RETRY_EVERY_S = 1.0


class OutageTolerantWorker(ClaimingWorker):
    """The worker `watchdeck worker` runs: claims on running jobs (claims.py), and polls
    that survive a Redis outage."""

    _redis_lost = False
    _summary_at = 0.0
    _summarized = (0, 0, 0, 0, 0, 0)  # jobs complete, failed, retried; checks done,
    # skipped, failed: at the last summary

    def __init__(self, *args: Any, summary_every_s: float = 60.0, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.summary_every_s = summary_every_s

    async def _poll_iteration(self) -> None:
        try:
            await super()._poll_iteration()
        except (RedisError, OSError) as exc:
            if not self._redis_lost:
                log.warning("worker lost Redis; retrying every second", error=repr(exc))
            self._redis_lost = True
            await asyncio.sleep(RETRY_EVERY_S)
            return
        if self._redis_lost:
            log.info("worker reached Redis again")
            self._redis_lost = False

    async def record_health(self) -> None:
        """arq's health key, and every `summary_every_s` one line of what the worker did
        meanwhile: the line an operator reads instead of one per job."""
        await super().record_health()
        now = time.monotonic()
        if not self._summary_at:
            self._summary_at = now
        if now - self._summary_at < self.summary_every_s:
            return
        runner = self.ctx.get("check_runner")
        counts = runner.counts if runner is not None else None
        done = (
            self.jobs_complete, self.jobs_failed, self.jobs_retried,
            *((counts.done, counts.skipped, counts.failed) if counts else (0, 0, 0)),
        )  # fmt: skip
        delta = [a - b for a, b in zip(done, self._summarized, strict=True)]
        log.info(
            "worker summary",
            seconds=round(now - self._summary_at),
            checks_done=delta[3],
            checks_skipped=delta[4],
            checks_failed=delta[5],
            checks_running=runner.running if runner is not None else 0,
            jobs_done=delta[0],
            jobs_failed=delta[1],
            jobs_retried=delta[2],
            running=sum(not task.done() for task in self.tasks.values()),
            queued=await self.pool.zcard(self.queue_name),
        )
        self._summary_at, self._summarized = now, done

    async def start_jobs(self, job_ids: list[bytes]) -> None:
        # One at a time: arq takes a slot before talking to Redis about a job and keeps it
        # if that talk fails, so a failure here hands back exactly that one slot.
        for job_id in job_ids:
            try:
                await super().start_jobs([job_id])
            except (RedisError, OSError):
                self._release_sem_dec_counter_on_complete()
                raise
