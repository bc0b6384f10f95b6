"""Whether this process reaches PostgreSQL now, known without a round trip per request.

Agent pushes are authenticated from memory (accounts/key_cache.py), so a push would
otherwise be accepted while PostgreSQL is down and wait in Redis for it. Refused
instead, an agent keeps its samples itself (on disk, however long the outage) and
sends them again later.

The watch keeps one connection of its own and asks it every `EVERY_S`; PostgreSQL
closing that connection (a shutdown, a crash, a failover) marks the database down at
once rather than at the next look. While it is down, a request looks again itself (one
look shared by all requests waiting), so the first push after PostgreSQL is back is
not refused on a stale answer.
"""

from __future__ import annotations

import asyncio
from contextlib import suppress

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from watchdeck.platform.errors import Unavailable, as_unavailable

EVERY_S = 0.5
ANSWER_WITHIN_S = 2.0


class DatabaseWatch:
    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self.reachable = True
        self._looking: asyncio.Task[bool] | None = None

    async def require(self) -> None:
        """Raise the database's 503 unless PostgreSQL answers."""
        if self.reachable:
            return
        if self._looking is None or self._looking.done():
            self._looking = asyncio.create_task(self.look())
        self.reachable = await asyncio.shield(self._looking)
        if not self.reachable:
            raise Unavailable(
                "the database is unavailable; try again shortly", {"database": "unavailable"}
            )

    async def run(self) -> None:
        while True:
            try:
                await self._watch_one_connection()
            except TimeoutError:
                pass
            except Exception as exc:
                if as_unavailable(exc) is None:
                    raise
            self.reachable = False
            await asyncio.sleep(EVERY_S)

    async def _watch_one_connection(self) -> None:
        async with asyncio.timeout(ANSWER_WITHIN_S):
            conn = await self.engine.connect()
        try:
            driver = (await conn.get_raw_connection()).driver_connection
            lost = asyncio.Event()

            def closed(_: object) -> None:
                self.reachable = False
                lost.set()

            driver.add_termination_listener(closed)
            while not lost.is_set():
                async with asyncio.timeout(ANSWER_WITHIN_S):
                    await driver.fetchval("SELECT 1")
                self.reachable = True
                with suppress(TimeoutError):
                    async with asyncio.timeout(EVERY_S):
                        await lost.wait()
        finally:
            # Never handed back to the pool: it may be the connection PostgreSQL closed.
            await conn.invalidate()
            with suppress(Exception):
                await conn.close()

    async def look(self) -> bool:
        try:
            async with asyncio.timeout(ANSWER_WITHIN_S):
                async with self.engine.connect() as conn:
                    await conn.execute(text("SELECT 1"))
        except TimeoutError:
            return False
        except Exception as exc:
            if as_unavailable(exc) is None:
                raise
            return False
        return True
