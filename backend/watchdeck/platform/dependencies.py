"""Dependencies every route may ask for, and the annotated names handlers use for them.

The caller (`Caller`, accounts/auth.py) and what one domain alone needs are provided
by their own domain; app.py gathers them all.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import TypeAlias

from arq import ArqRedis
from litestar.datastructures import State
from litestar.di import NamedDependency, Provide
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncSession

from watchdeck.platform.config import Settings

Db: TypeAlias = NamedDependency[AsyncSession]
Config: TypeAlias = NamedDependency[Settings]
Cache: TypeAlias = NamedDependency[Redis]
Jobs: TypeAlias = NamedDependency[ArqRedis]


async def provide_db(state: State) -> AsyncIterator[AsyncSession]:
    async with state.session_factory() as session:
        yield session


def provide_settings(state: State) -> Settings:
    return state.settings


def provide_redis(state: State) -> Redis:
    return state.redis


def provide_jobs(state: State) -> ArqRedis:
    return state.arq


DEPENDENCIES = {
    "db": Provide(provide_db),
    "settings": Provide(provide_settings, sync_to_thread=False),
    "redis": Provide(provide_redis, sync_to_thread=False),
    "jobs": Provide(provide_jobs, sync_to_thread=False),
}
