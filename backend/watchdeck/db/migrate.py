"""Alembic, driven from code: upgrade, and the check that refuses an unmigrated database."""

from __future__ import annotations

import asyncio

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import NullPool

from watchdeck.db.engine import normalize_url


class NotMigrated(Exception):
    """The database schema is behind the code."""


def alembic_config(database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", "watchdeck.db:migrations")
    config.set_main_option("sqlalchemy.url", normalize_url(database_url).replace("%", "%%"))
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    """Bring the schema to `revision` and create the coming periods' partitions.

    Runs its own event loop: call from sync code.
    """
    command.upgrade(alembic_config(database_url), revision)
    asyncio.run(_prepare_partitions(database_url))


async def _prepare_partitions(database_url: str) -> None:
    from watchdeck.db.partitions import PARTITIONED, ensure_partitions

    engine = create_async_engine(normalize_url(database_url), poolclass=NullPool)
    try:
        async with engine.begin() as conn:
            for table in PARTITIONED:
                await ensure_partitions(conn, table)
    finally:
        await engine.dispose()


def head_revision(database_url: str) -> str | None:
    return ScriptDirectory.from_config(alembic_config(database_url)).get_current_head()


async def ensure_migrated(engine: AsyncEngine) -> None:
    """Raise NotMigrated with the command that fixes it when the schema is not at head."""
    async with engine.connect() as conn:
        current = await conn.run_sync(
            lambda sync_conn: MigrationContext.configure(sync_conn).get_current_revision()
        )
    head = head_revision(engine.url.render_as_string(hide_password=False))
    if current != head:
        raise NotMigrated(
            f"the database is at revision {current or 'none'} but the code needs {head}: "
            "run `watchdeck migrate`"
        )
