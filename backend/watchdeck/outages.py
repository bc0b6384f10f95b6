"""Worker jobs during a database or Redis outage: a structured warning, never a traceback.

Housekeeping jobs are skipped (their next run does the work); jobs that hold an
accepted batch are run again later, so nothing an agent was told was accepted
is lost while PostgreSQL is away.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from typing import Any

import structlog
from arq import Retry

from watchdeck.platform.errors import as_unavailable

log = structlog.get_logger(__name__)

Job = Callable[..., Awaitable[Any]]

RETRY_STEP_S = 5  # a batch waits 5 s, then 10, 15 … (at most 30) between tries
RETRY_CAP_S = 30
BATCH_TRIES = 20  # with those waits, about eight minutes of outage


def skipped_during_outages(job: Job) -> Job:
    """Run `job`; when PostgreSQL or Redis is unreachable, log a warning and return None."""

    @functools.wraps(job)
    async def run(ctx: dict[str, Any], *args: Any, **kwargs: Any) -> Any:
        try:
            return await job(ctx, *args, **kwargs)
        except Exception as exc:
            unavailable = as_unavailable(exc)
            if unavailable is None:
                raise
            log.warning("job skipped", job=job.__name__, reason=unavailable.message)
            return None

    return run


def retried_after_outages(job: Job) -> Job:
    """Run `job`; when PostgreSQL is unreachable, queue it again a little later (arq's Retry).

    Only a database outage retries: the job's work commits last, so nothing of it is kept
    yet, whereas a Redis failure may come after the commit and a rerun would store twice.
    """

    @functools.wraps(job)
    async def run(ctx: dict[str, Any], *args: Any, **kwargs: Any) -> Any:
        try:
            return await job(ctx, *args, **kwargs)
        except Exception as exc:
            unavailable = as_unavailable(exc)
            if unavailable is None or "database" not in unavailable.fields:
                raise
            delay = min(RETRY_STEP_S * ctx.get("job_try", 1), RETRY_CAP_S)
            log.warning("job deferred", job=job.__name__, reason=unavailable.message, in_s=delay)
            raise Retry(defer=delay) from None

    return run
