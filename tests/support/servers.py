"""Real PostgreSQL and Redis for the tests: the system's when DATABASE_URL / REDIS_URL are
set, otherwise embedded ones under a temporary folder."""

from __future__ import annotations

import asyncio
import secrets
from pathlib import Path

import asyncpg
from sqlalchemy.engine import make_url
from watchdeck.db.engine import normalize_url
from watchdeck.embedded import EmbeddedServers


def _asyncpg_args(url: str, database: str) -> dict:
    parsed = make_url(normalize_url(url))
    return {
        "user": parsed.username,
        "password": parsed.password,
        "host": parsed.query.get("host") or parsed.host,
        "port": parsed.port,
        "database": database,
    }


async def _create_database(url: str, name: str) -> None:
    conn = await asyncpg.connect(**_asyncpg_args(url, "postgres"))
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()


async def _drop_database(url: str, name: str) -> None:
    conn = await asyncpg.connect(**_asyncpg_args(url, "postgres"))
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


class TestServers:
    """A fresh database (on the system server or an embedded one) and a Redis."""

    def __init__(self, folder: Path, database_url: str | None, redis_url: str | None) -> None:
        self.embedded = EmbeddedServers(folder, database_name="watchdeck_test")
        self._system_database = None
        if database_url:
            name = f"watchdeck_test_{secrets.token_hex(4)}"
            asyncio.run(_create_database(database_url, name))
            self._system_database = (database_url, name)
            self.database_url = str(make_url(normalize_url(database_url)).set(database=name))
        else:
            self.database_url = self.embedded.start_postgres()
        self.redis_url = redis_url or self.embedded.start_redis()

    def stop(self) -> None:
        if self._system_database:
            asyncio.run(_drop_database(*self._system_database))
        self.embedded.stop()
