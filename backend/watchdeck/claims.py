"""An arq worker whose running jobs hold short claims, renewed while the worker lives.

arq marks a job it starts with an "in progress" key and runs the job again on
another worker only once that key has expired. arq gives the key the longest
job timeout plus 10 s, and never renews it, so with our two-minute timeouts a
check or an agent batch in flight on a worker that died (kill -9, OOM, a lost
machine) would run again only after two minutes: several missed check slots.

Here the key lives `CLAIM_S` and the worker renews the keys of its running
jobs every `RENEW_S`. The guarantee this gives, for every queued job:

- it runs on one worker at a time while that worker's event loop keeps running;
- if its worker dies, another worker starts it again within about `CLAIM_S`
  seconds of the last renewal, which is well within the shortest check
  interval (10 s), so a scheduled check is late by at most one interval;
- it runs at least once, so a job must be harmless to run again after its
  worker died between committing its work and telling arq it was done: a
  check skips a slot that is already stored, a metrics batch skips samples
  its host already has, and log and service-metric batches find their job
  marked done (db/once.py).
"""

from __future__ import annotations

import asyncio
from typing import Any

import structlog
from arq.constants import in_progress_key_prefix
from arq.worker import Worker
from redis.exceptions import RedisError

log = structlog.get_logger(__name__)

CLAIM_S = 5.0
RENEW_S = 1.0

# Extends the expiry of each key still present, never shortens one: a finished
# cron job's key is kept longer on purpose, so it does not run twice in a slot.
_RENEW = """
local claim = tonumber(ARGV[1])
for _, key in ipairs(KEYS) do
  local left = redis.call('PTTL', key)
  if left >= 0 and left < claim then
    redis.call('PEXPIRE', key, claim)
  end
end
return 0
"""


class ClaimingWorker(Worker):
    """arq's `Worker` with short, renewed claims on its running jobs (see the module)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.in_progress_timeout_s = CLAIM_S

    async def main(self) -> None:
        renewing = asyncio.create_task(self._renew_claims())
        try:
            await super().main()
        finally:
            renewing.cancel()
            await asyncio.gather(renewing, return_exceptions=True)

    async def _renew_claims(self) -> None:
        renew = None
        while True:
            await asyncio.sleep(RENEW_S)
            if self._pool is None or not self.tasks:
                continue
            if renew is None:
                renew = self._pool.register_script(_RENEW)
            keys = [in_progress_key_prefix + job_id for job_id in list(self.tasks)]
            try:
                await renew(keys=keys, args=[int(CLAIM_S * 1000)])
            except (RedisError, OSError) as exc:
                # The claims lapse if this goes on: other workers then take the jobs over.
                log.warning("renewing job claims failed", jobs=len(keys), error=str(exc))
