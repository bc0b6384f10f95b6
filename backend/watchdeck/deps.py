"""Dependencies every route may ask for, and the annotated names handlers use for them."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import TypeAlias

from arq import ArqRedis
from litestar.datastructures import State
from litestar.di import NamedDependency, Provide
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncSession

from watchdeck.domain.accounts.auth import Principal, provide_principal
from watchdeck.domain.services.scheduler import Schedule
from watchdeck.platform.config import Settings

Db: TypeAlias = NamedDependency[AsyncSession]
Caller: TypeAlias = NamedDependency[Principal]
Config: TypeAlias = NamedDependency[Settings]
Cache: TypeAlias = NamedDependency[Redis]
Jobs: TypeAlias = NamedDependency[ArqRedis]
Scheduler: TypeAlias = NamedDependency[Schedule]


async def provide_db(state: State) -> AsyncIterator[AsyncSession]:
    async with state.session_factory() as session:
        yield session


def provide_settings(state: State) -> Settings:
    return state.settings


def provide_redis(state: State) -> Redis:
    return state.redis


def provide_jobs(state: State) -> ArqRedis:
    return state.arq


def provide_schedule(state: State) -> Schedule:
    return state.schedule


DEPENDENCIES = {
    "db": Provide(provide_db),
    "settings": Provide(provide_settings, sync_to_thread=False),
    "redis": Provide(provide_redis, sync_to_thread=False),
    "principal": Provide(provide_principal, sync_to_thread=False),
    "jobs": Provide(provide_jobs, sync_to_thread=False),
    "schedule": Provide(provide_schedule, sync_to_thread=False),
}
