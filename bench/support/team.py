"""The bench team and its admin: seeded straight into the database with its services, or made
through the API by a client that then stays signed in."""

from __future__ import annotations

import json
import time
import uuid
from typing import NamedTuple

import httpx
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine
from sqlalchemy.pool import NullPool
from watchdeck.db.copy import copy_rows
from watchdeck.db.engine import normalize_url
from watchdeck.domain.accounts.bootstrap import create_user
from watchdeck.domain.accounts.models import Membership, Team
from watchdeck.domain.services.catalog import default_timeout
from watchdeck.domain.services.models import Service
from watchdeck.tables import Base  # noqa: F401  (registers every table)

EMAIL = "bench@example.com"
PASSWORD = "bench password 1234"


class Session(NamedTuple):
    team_id: uuid.UUID
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


class Host(NamedTuple):
    id: uuid.UUID
    name: str
    token: str  # the agent's


async def seed_services(
    url: str, count: int, interval: int, base: str, kind: str = "http", dns_server: str = ""
) -> None:
    """A team allowing private targets, its admin (a real password hash) and `count`
    services of `kind`, COPYed in one go: http at distinct paths under `base`, tcp to its
    port, ping to 127.0.0.1, dns of distinct names through `dns_server`."""
    engine = create_async_engine(normalize_url(url), poolclass=NullPool)
    try:
        async with async_sessionmaker(engine, expire_on_commit=False)() as session:
            user = await create_user(session, EMAIL, "Bench", PASSWORD, team_name="Bench")
            team_id = await session.scalar(
                select(Membership.team_id).where(Membership.user_id == user.id)
            )
            await session.execute(
                update(Team).where(Team.id == team_id).values(allow_private_targets=True)
            )
            columns = list(Service.__table__.columns)
            rows = []
            for i in range(count):
                given = {
                    "team_id": team_id,
                    "name": f"bench {i:05d}",
                    "kind": kind,
                    "interval_s": interval,
                    "timeout_s": default_timeout(interval),
                    **_target(kind, i, base, dns_server),
                }
                rows.append(tuple(_column_value(column, given) for column in columns))
            await copy_rows(session, "services", [c.name for c in columns], rows)
            await session.commit()
    finally:
        await engine.dispose()


def _target(kind: str, i: int, base: str, dns_server: str) -> dict:
    if kind == "http":
        return {"url": f"{base}/s/{i}"}
    if kind == "tcp":
        return {"host": "127.0.0.1", "port": int(base.rsplit(":", 1)[1])}
    if kind == "ping":
        return {"host": "127.0.0.1", "ping_count": 1}
    return {"host": f"s{i}.bench.test", "dns_server": dns_server}


def _column_value(column, given: dict) -> object:
    """The given value, else the column's Python-side default, in a form COPY takes."""
    if column.name in given:
        value = given[column.name]
    elif column.default is None:
        value = None
    else:
        value = column.default.arg(None) if column.default.is_callable else column.default.arg
    if isinstance(value, dict):
        return json.dumps(value)  # JSONB
    return getattr(value, "value", value)  # enums are stored as their value


class ApiClient:
    """A client of `watchdeck api` that signs up or in as the bench admin and then sends the
    access token with every request; get() times a request and signs in again when the token
    has expired."""

    def __init__(self, base: str, timeout: float = 60) -> None:
        self.client = httpx.AsyncClient(base_url=base, timeout=timeout)

    async def __aenter__(self) -> ApiClient:
        return self

    async def __aexit__(self, *exc) -> None:
        await self.client.aclose()

    async def _signed_in(self, answer: httpx.Response) -> Session:
        answer.raise_for_status()
        session = Session(uuid.UUID(answer.json()["team_id"]), answer.json()["access_token"])
        self.client.headers.update(session.headers)
        return session

    async def sign_up(self) -> Session:
        """A new team and its admin."""
        account = {"email": EMAIL, "password": PASSWORD, "name": "Bench", "team_name": "Bench"}
        return await self._signed_in(await self.client.post("/api/v1/auth/signup", json=account))

    async def log_in(self) -> Session:
        """As the admin that seed_services() or sign_up() made."""
        login = {"email": EMAIL, "password": PASSWORD}
        self.client.headers.pop("Authorization", None)  # an expired token must not go along
        return await self._signed_in(await self.client.post("/api/v1/auth/login", json=login))

    async def add_hosts(self, count: int, prefix: str) -> list[Host]:
        """`count` hosts named `prefix-0000`…, with their agent tokens."""
        hosts = []
        for i in range(count):
            name = f"{prefix}-{i:04d}"
            created = await self.client.post("/api/v1/hosts", json={"name": name})
            created.raise_for_status()
            host = created.json()
            hosts.append(Host(uuid.UUID(host["host"]["id"]), name, host["token"]))
        return hosts

    async def get(
        self, path: str, params: dict | None = None, headers: dict | None = None
    ) -> tuple[float, httpx.Response]:
        """(milliseconds, the answer) of a GET; raises when it is neither a success nor 304."""
        started = time.perf_counter()
        answer = await self.client.get(path, params=params, headers=headers)
        elapsed = (time.perf_counter() - started) * 1000
        if answer.status_code == 401:
            await self.log_in()
            return await self.get(path, params, headers)
        if answer.status_code != 304:
            answer.raise_for_status()
        return elapsed, answer
