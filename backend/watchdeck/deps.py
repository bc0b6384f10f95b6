"""Dependencies every route may ask for, and the annotated names handlers use for them."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import TypeAlias

from litestar.datastructures import State
from litestar.di import NamedDependency, Provide
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncSession

from watchdeck.config import Settings
from watchdeck.domain.accounts.auth import Principal, provide_principal

Db: TypeAlias = NamedDependency[AsyncSession]
Caller: TypeAlias = NamedDependency[Principal]
Config: TypeAlias = NamedDependency[Settings]
Cache: TypeAlias = NamedDependency[Redis]


async def provide_db(state: State) -> AsyncIterator[AsyncSession]:
    async with state.session_factory() as session:
        yield session


def provide_settings(state: State) -> Settings:
    return state.settings


def provide_redis(state: State) -> Redis:
    return state.redis


DEPENDENCIES = {
    "db": Provide(provide_db),
    "settings": Provide(provide_settings, sync_to_thread=False),
    "redis": Provide(provide_redis, sync_to_thread=False),
    "principal": Provide(provide_principal, sync_to_thread=False),
}
