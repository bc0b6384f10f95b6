"""Alembic environment: runs migrations over the async engine."""

import asyncio
import re

from alembic import context
from sqlalchemy import pool
from sqlalchemy.ext.asyncio import create_async_engine

from watchdeck.tables import Base

target_metadata = Base.metadata


# Day partitions are made and dropped at run time (db/partitions.py), not by migrations.
_PARTITION = re.compile(r"_(p\d{6,8}|default)$")


def _include(obj, name, type_, reflected, compare_to) -> bool:
    return not (type_ == "table" and reflected and _PARTITION.search(name or ""))


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        compare_type=True,
        include_object=_include,
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_async() -> None:
    engine = create_async_engine(
        context.config.get_main_option("sqlalchemy.url"), poolclass=pool.NullPool
    )
    async with engine.connect() as connection:
        await connection.run_sync(_run)
    await engine.dispose()


connection = context.config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    asyncio.run(_run_async())
