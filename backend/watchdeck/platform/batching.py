"""Many concurrent writers, one transaction: gathers what they submit and stores it together.

`submit` returns once the batch holding the item is stored (with what the store answered
for that item) or raises what storing it raised, so a job that awaits it finishes only
after its work is committed: if the process dies first, the job runs again.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

import structlog

from watchdeck.platform.errors import as_unavailable

log = structlog.get_logger(__name__)

Item = TypeVar("Item")
Answer = TypeVar("Answer")


class Batcher(Generic[Item, Answer]):
    """Stores submitted items with `store(items) -> answers` (one per item, in order), at
    most `max_batch` at a time, waiting up to `max_wait_s` for a batch to fill."""

    def __init__(
        self,
        store: Callable[[list[Item]], Awaitable[list[Answer]]],
        what: str,
        max_batch: int = 500,
        max_wait_s: float = 0.2,
    ) -> None:
        self._store = store
        self._what = what  # for the log: "check results", "metric batches"
        self._max_batch = max_batch
        self._max_wait_s = max_wait_s
        self._pending: list[tuple[Item, asyncio.Future[Answer]]] = []
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    async def submit(self, item: Item) -> Answer:
        future: asyncio.Future[Answer] = asyncio.get_running_loop().create_future()
        self._pending.append((item, future))
        if len(self._pending) >= self._max_batch:
            self._wake.set()
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._flush_forever())
        return await future

    async def _flush_forever(self) -> None:
        while self._pending:
            try:
                await asyncio.wait_for(self._wake.wait(), self._max_wait_s)
            except TimeoutError:
                pass
            self._wake.clear()
            batch, self._pending = (
                self._pending[: self._max_batch],
                self._pending[self._max_batch :],
            )
            try:
                answers = await self._store([item for item, _ in batch])
            except Exception as exc:  # every submitter of this batch gets the error
                unavailable = as_unavailable(exc)
                if unavailable is None:
                    log.exception(f"storing a batch of {self._what} failed", size=len(batch))
                else:  # an outage, not a bug: one line per batch, no traceback
                    log.warning(
                        f"{self._what} not stored", size=len(batch), reason=unavailable.message
                    )
                for _, future in batch:
                    if not future.done():
                        future.set_exception(exc)
                continue
            for (_, future), answer in zip(batch, answers, strict=True):
                if not future.done():
                    future.set_result(answer)

    async def aclose(self) -> None:
        if self._task is not None:
            self._wake.set()
            await asyncio.gather(self._task, return_exceptions=True)
