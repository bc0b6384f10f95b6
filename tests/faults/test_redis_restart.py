"""Redis crashes and comes back empty: api and worker carry on without a restart of theirs."""

from __future__ import annotations

import time
import uuid

import socketio
from sqlalchemy import func, select
from watchdeck.domain.services.models import checks

from tests.faults.outage import (  # noqa: F401  (fixtures)
    client_fixture,
    database_fixture,
    stack_fixture,
)
from tests.support.accounts import sign_up
from tests.support.services import allow_private_targets, create_service
from tests.support.waiting import eventually

INTERVAL_S = 10


class LiveClient:
    """A real Socket.IO client that reconnects by itself and records what it receives."""

    def __init__(self) -> None:
        self.sio = socketio.AsyncClient(reconnection_delay=0.5, reconnection_delay_max=1)
        self.events: list[tuple[str, dict]] = []
        self.connects = 0
        self.sio.on("*", self._record)
        self.sio.on("connect", self._connected)

    async def _connected(self) -> None:
        self.connects += 1

    async def _record(self, event: str, data: dict) -> None:
        self.events.append((event, data))

    def last_seq(self) -> int:
        return max(data["seq"] for _, data in self.events)

    def got(self, kind: str) -> list:
        return [data["data"] for event, data in self.events if event == kind]

    def checks_of(self, service_id: str) -> list[dict]:
        return [c for batch in self.got("checks") for c in batch if c["service_id"] == service_id]


async def _checks_of(database, service_id: str, after: float = 0.0) -> int:
    async with database.connect() as conn:
        return await conn.scalar(
            select(func.count())
            .select_from(checks)
            .where(
                checks.c.service_id == uuid.UUID(service_id),
                func.extract("epoch", checks.c.at) > after,
            )
        )


async def test_a_redis_crash_heals_checks_readiness_and_live_updates(
    stack, client, database, target
):
    admin = await sign_up(client)
    await allow_private_targets(client, admin)
    service = await create_service(client, admin, url=target.url("/health"), interval_s=INTERVAL_S)
    live = LiveClient()
    await live.sio.connect(
        stack.base_url, auth={"token": admin.access_token}, transports=["websocket"]
    )
    try:
        await eventually(lambda: _checks_of(database, service["id"]), "the first check")
        await eventually(lambda: live.checks_of(service["id"]), "a live check event")
        seen_before = live.last_seq()

        stack.servers.crash_redis(lose_data=True)
        crashed_at = time.monotonic()
        answers = []

        async def down_long_enough() -> bool:
            answers.append(await client.get("/readyz"))
            return time.monotonic() - crashed_at >= 6

        await eventually(down_long_enough, "six seconds of outage", timeout=20)
        assert {a.status_code for a in answers} == {503}
        assert answers[-1].json()["checks"]["redis"].startswith("unavailable")
        assert answers[-1].json()["checks"]["database"] == "ok"

        stack.servers.start_redis()
        back_at = time.time()
        ready = await eventually(
            lambda: _status_is(client, "/readyz", 200), "/readyz to say ready", timeout=15
        )
        assert ready.json()["checks"] == {"database": "ok", "redis": "ok"}

        # The schedule lived only in Redis: it is rebuilt from PostgreSQL and the existing
        # service is checked again within its interval.
        await eventually(
            lambda: _checks_of(database, service["id"], after=back_at),
            "a check of the existing service after Redis came back",
            timeout=INTERVAL_S + 10,
        )

        await eventually(
            lambda: live.connects >= 2 and live.sio.connected,
            "the live client to reconnect by itself",
            timeout=15,
        )
        caught_up = await live.sio.call("resume", {"since": seen_before}, timeout=10)
        # Redis forgot the change log, so the only honest answer is "refetch everything".
        assert caught_up["changed"] is None, caught_up

        created = await create_service(
            client, admin, name="Added after the crash", url=target.url("/new"), interval_s=60
        )

        async def announced():
            return [e for e in live.got("service.created") if e["service_id"] == created["id"]]

        await eventually(announced, "the new service's live event", timeout=10)

        await eventually(
            lambda: live.checks_of(created["id"]),
            "the new service's check, live",
            timeout=15,
        )
        stack.assert_still_running()
    finally:
        await live.sio.disconnect()


async def _status_is(client, path: str, status: int):
    response = await client.get(path)
    return response if response.status_code == status else None
