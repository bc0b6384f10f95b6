"""Handing an accepted batch to the workers: one arq job per batch, deduplicated by batch id.

The answer is 202 once the job is queued. A batch id seen in the last day is answered as a
duplicate, so an agent's resend after a lost answer stores nothing twice.
"""

from __future__ import annotations

import uuid
from contextlib import suppress

from arq import ArqRedis
from redis.exceptions import RedisError

from watchdeck.platform import keys
from watchdeck.platform.errors import Unavailable

DEDUP_TTL_S = 24 * 3600


async def hand_over(
    arq: ArqRedis, team_id: uuid.UUID, kind: str, batch_id: str, job: str, *args: object
) -> bool:
    """Queue `job` for a new batch; False when this batch id was already taken."""
    key = keys.ingest_batch(kind, team_id, batch_id)
    unavailable = Unavailable("cannot queue the batch right now; send it again later")
    try:
        if not await arq.set(key, 1, nx=True, ex=DEDUP_TTL_S):
            return False
    except (RedisError, OSError):
        raise unavailable from None
    try:
        queued = await arq.enqueue_job(job, *args, _job_id=key)
    except (RedisError, OSError):
        with suppress(RedisError, OSError):
            await arq.delete(key)  # so the agent's resend is not taken for a duplicate
        raise unavailable from None
    if queued is None:  # a job with this id is already waiting: same batch
        return False
    return True
