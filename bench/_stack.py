"""Helpers of bench/ingest.py and bench/queries.py: a Watchdeck stack over a fresh database,
a team with hosts made through the API, and the plumbing every bench script shares."""

from __future__ import annotations

import asyncio
import os
import signal
import uuid
from datetime import UTC, datetime
from pathlib import Path

import httpx
from _support import Databases, machine, progress, stop_process, wait_until_ready, watchdeck
from redis.asyncio import Redis
from watchdeck.db.migrate import upgrade
from watchdeck.embedded import free_port

EMAIL = "bench@example.com"
PASSWORD = "bench password 1234"
SECRET_KEY = "bench-secret-key-" + "x" * 32
# The `detail` column of a stored sample, as the ingest route writes it for a 2-core host.
DETAIL = '{"cpu_per_core": [12.5, 30.1], "disks": [{"mount": "/", "percent": 50.0}]}'
PG_SETTINGS = ["shared_buffers", "work_mem", "max_connections", "synchronous_commit"]


def header(title: str) -> list[str]:
    return [
        title,
        f"date     {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        f"machine  {machine()}",
    ]


async def fresh_stack(dbs: Databases, label: str, lines: list[str]) -> tuple[str, dict]:
    """A migrated fresh database and a flushed Redis; returns its URL and the environment of
    `watchdeck` processes over them. Adds the servers and PostgreSQL settings to `lines`."""
    url = await dbs.fresh(label)
    progress("migrating a fresh database")
    await asyncio.to_thread(upgrade, url)
    redis = Redis.from_url(dbs.redis_url)
    await redis.flushdb()
    await redis.aclose()
    conn = await dbs.connect(url)
    try:
        settings = await conn.fetch(
            "SELECT name, current_setting(name) FROM unnest($1::text[]) AS name", PG_SETTINGS
        )
    finally:
        await conn.close()
    lines.append(f"servers  PostgreSQL: {dbs.postgres_source}; Redis: {dbs.redis_source}")
    lines.append("postgres " + ", ".join(f"{name} {value}" for name, value in settings))
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "REDIS_URL": dbs.redis_url,
        "WATCHDECK_SECRET_KEY": SECRET_KEY,
        "WATCHDECK_LOG_LEVEL": "warning",
        "WATCHDECK_LOG_FORMAT": "json",
        "WATCHDECK_LOGIN_LIMIT_PER_ACCOUNT": "1000",  # long runs sign in again
    }
    return url, env


async def start_api(env: dict, log: Path):
    """A `watchdeck api` process on a free port, once /readyz answers; (process, base URL)."""
    port = free_port()
    process = watchdeck(["api", "--port", str(port)], env, log)
    base = f"http://127.0.0.1:{port}"
    try:
        async with httpx.AsyncClient(base_url=base, timeout=5) as client:
            await wait_until_ready(client, process)
    except BaseException:
        stop_process(process)
        raise
    return process, base


async def team_with_hosts(base: str, count: int, prefix: str = "host") -> tuple[uuid.UUID, list]:
    """Sign up (a team and its admin), then create `count` hosts through the API; returns the
    team id and (host id, name, agent token) per host."""
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        account = {"email": EMAIL, "password": PASSWORD, "name": "Bench", "team_name": "Bench"}
        signup = await client.post("/api/v1/auth/signup", json=account)
        signup.raise_for_status()
        headers = {"Authorization": f"Bearer {signup.json()['access_token']}"}
        hosts = []
        for i in range(count):
            name = f"{prefix}-{i:04d}"
            created = await client.post("/api/v1/hosts", json={"name": name}, headers=headers)
            created.raise_for_status()
            hosts.append((uuid.UUID(created.json()["host"]["id"]), name, created.json()["token"]))
        return uuid.UUID(signup.json()["team_id"]), hosts


def run(bench, args) -> None:
    """asyncio.run(bench(args)), stopping cleanly on Ctrl-C and SIGTERM."""

    async def main() -> None:
        task = asyncio.current_task()
        asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, task.cancel)
        await bench(args)

    signal.signal(signal.SIGINT, signal.default_int_handler)  # Ctrl-C, even when in background
    try:
        asyncio.run(main())
    except (KeyboardInterrupt, asyncio.CancelledError):
        progress("interrupted: every process was stopped and the temporary folder removed")
