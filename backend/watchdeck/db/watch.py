"""Whether this process reaches PostgreSQL now, known without a round trip per request.

Agent pushes are authenticated from memory (accounts/key_cache.py), so a push would
otherwise be accepted while PostgreSQL is down and wait in Redis for it. Refused
instead, an agent keeps its samples itself (on disk, however long the outage) and
sends them again later. The watch asks PostgreSQL every `EVERY_S`.
"""

from __future__ import annotations

import asyncio

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from watchdeck.platform.errors import Unavailable, as_unavailable

EVERY_S = 0.5
ANSWER_WITHIN_S = 2.0


class DatabaseWatch:
    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self.reachable = True

    def require(self) -> None:
        """Raise the database's 503 unless the last look found PostgreSQL answering."""
        if not self.reachable:
            raise Unavailable(
                "the database is unavailable; try again shortly", {"database": "unavailable"}
            )

    async def run(self) -> None:
        while True:
            self.reachable = await self.look()
            await asyncio.sleep(EVERY_S)

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
