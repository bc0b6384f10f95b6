"""Fixtures: real PostgreSQL and Redis, the app over them, a client, a clean slate per test."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
from asgi_lifespan import LifespanManager
from litestar import Litestar
from redis.asyncio import Redis
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from watchdeck.app import create_app
from watchdeck.db.base import Base
from watchdeck.db.migrate import upgrade
from watchdeck.domain.statuspages import cache as statuspage_cache
from watchdeck.platform.config import Settings
from watchdeck.tables import Base as _AllModels  # noqa: F401  (registers every table)

from tests.support.servers import TestServers


@pytest.fixture(scope="session")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestServers]:
    running = TestServers(
        tmp_path_factory.mktemp("servers"),
        os.environ.get("DATABASE_URL"),
        os.environ.get("REDIS_URL"),
    )
    try:
        upgrade(running.database_url)
        yield running
    finally:
        running.stop()


@pytest.fixture(scope="session")
def settings(servers: TestServers) -> Settings:
    return Settings(
        database_url=servers.database_url,
        redis_url=servers.redis_url,
        secret_key="test-secret-key-" + "x" * 32,
        log_format="console",
        log_level="warning",
        # Short enough that tests don't wait on alert grouping or retries.
        alert_group_s=0.3,
        alert_retry_base_s=0.2,
        alert_send_timeout_s=2.0,
        # A status page's live stream ends soon, so a walk over every route reads it whole.
        status_stream_s=0.5,
    )


@pytest.fixture(scope="session")
def app(settings: Settings) -> Litestar:
    return create_app(settings)


@pytest.fixture(scope="session")
async def running_app(app: Litestar) -> AsyncIterator[Litestar]:
    async with LifespanManager(app):
        yield app


@pytest.fixture
async def client(running_app: Litestar) -> AsyncIterator[httpx.AsyncClient]:
    """A client of the app in this event loop; all tables and Redis keys are wiped afterwards."""
    transport = httpx.ASGITransport(app=running_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client
    await _wipe(running_app)


@pytest.fixture
async def clean(running_app: Litestar) -> AsyncIterator[None]:
    """All tables and Redis keys are wiped after the test (for tests without `client`)."""
    yield
    await _wipe(running_app)


async def _wipe(app: Litestar) -> None:
    tables = ", ".join(f'"{table.name}"' for table in Base.metadata.sorted_tables)
    for attempt in range(5):
        try:
            async with app.state.engine.begin() as conn:
                await conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
            break
        except DBAPIError as exc:
            # A request the live api was still answering locks tables in another order;
            # PostgreSQL picks the TRUNCATE to break the deadlock, and it is safe to repeat.
            if "deadlock" not in str(exc) or attempt == 4:
                raise
            await asyncio.sleep(0.2)
    redis: Redis = app.state.redis
    await redis.flushdb()
    # What this process held of Redis's status page copies went with the flush.
    statuspage_cache.drop_held()


@pytest.fixture
def db(app: Litestar):
    """A session factory for looking at rows directly."""
    return app.state.session_factory
