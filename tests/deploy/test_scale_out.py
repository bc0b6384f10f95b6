"""Scale-out without Docker: real nginx (nginx/watchdeck.conf) in front of two `watchdeck api`
processes, with two `watchdeck worker` processes, over the tests' PostgreSQL and Redis."""

from __future__ import annotations

import json
import os
import signal
from collections import defaultdict
from collections.abc import AsyncIterator
from datetime import datetime, timedelta

import httpx
import pytest
import socketio
from sqlalchemy import select
from watchdeck.domain.services.models import checks
from watchdeck.platform import keys

from tests.support.accounts import Account, sign_up
from tests.support.services import allow_private_targets, create_service
from tests.support.targets import http_target
from tests.support.waiting import eventually

INTERVAL_S = 10


class Listener:
    """A dashboard's Socket.IO connection: websocket transport, as nginx/watchdeck.conf needs."""

    def __init__(self, reconnect: bool = False) -> None:
        self.sio = socketio.AsyncClient(reconnection=reconnect, reconnection_delay=0.2)
        self.events: list[tuple[str, dict]] = []
        self.connects = 0
        self.sio.on("*", self._record)
        self.sio.on("connect", self._connected)

    async def _record(self, event: str, data: dict) -> None:
        self.events.append((event, data))

    async def _connected(self) -> None:
        self.connects += 1

    async def connect(self, base: str, token: str) -> Listener:
        await self.sio.connect(
            base, auth={"token": token}, transports=["websocket"], wait_timeout=10
        )
        return self

    def created(self) -> set[str]:
        return {
            data["data"]["service_id"] for event, data in self.events if event == "service.created"
        }

    def checked(self) -> set[str]:
        return {
            item["service_id"]
            for event, message in self.events
            if event == "checks"
            for item in message["data"]
        }


@pytest.fixture(scope="module")
def target():
    with http_target() as running:
        yield running


@pytest.fixture
async def listeners() -> AsyncIterator:
    opened: list[Listener] = []

    async def open_at(base: str, token: str, reconnect: bool = False) -> Listener:
        listener = await Listener(reconnect).connect(base, token)
        opened.append(listener)
        return listener

    yield open_at
    for listener in opened:
        await listener.sio.disconnect()


@pytest.fixture
def stack(start_api, start_nginx, start_worker):
    """Two apis behind nginx and two workers; returns (first api, second api, nginx, workers)."""
    first, second = start_api(), start_api()
    nginx = start_nginx([first.address, second.address])
    # At the debug level a worker logs each job it starts: how this test sees who runs what.
    workers = [start_worker(WATCHDECK_LOG_LEVEL="debug") for _ in range(2)]
    return first, second, nginx, workers


async def _admin(base: str) -> Account:
    async with httpx.AsyncClient(base_url=base, timeout=10) as http:
        admin = await sign_up(http)
        await allow_private_targets(http, admin)
    return admin


async def _create(base: str, admin: Account, name: str, url: str) -> dict:
    async with httpx.AsyncClient(base_url=base, timeout=10) as http:
        return await create_service(http, admin, name=name, url=url, interval_s=INTERVAL_S)


async def _checks_by_service(app) -> dict[str, list[datetime]]:
    async with app.state.engine.connect() as conn:
        rows = (
            await conn.execute(select(checks.c.service_id, checks.c.at).order_by(checks.c.at))
        ).all()
    found = defaultdict(list)
    for service_id, at in rows:
        found[str(service_id)].append(at)
    return found


def _assert_checked_once_per_interval(times: list[datetime], name: str) -> None:
    gaps = [later - earlier for earlier, later in zip(times, times[1:], strict=False)]
    assert min(gaps) >= timedelta(seconds=INTERVAL_S - 1), f"{name} checked twice: {times}"


async def test_events_from_either_api_and_from_the_workers_reach_sockets_behind_nginx(
    client, stack, listeners, target
):
    first, second, nginx, _ = stack
    admin = await _admin(nginx.base)
    # Two dashboards through nginx: least_conn puts the second socket on the other replica.
    sockets = [await listeners(nginx.base, admin.access_token) for _ in range(2)]

    # Each change is made on one replica directly; every socket hears about both.
    created = [
        await _create(api.base, admin, f"via api {n}", target.url(f"/via-{n}"))
        for n, api in enumerate((first, second), start=1)
    ]
    ids = {service["id"] for service in created}

    async def everyone_heard_of_both():
        return all(ids <= listener.created() for listener in sockets)

    await eventually(everyone_heard_of_both, "service.created from both apis on both sockets")

    async def workers_results_arrived():
        return all(ids <= listener.checked() for listener in sockets)

    await eventually(workers_results_arrived, "check results from the workers", timeout=20)

    for listener in sockets:
        await listener.sio.disconnect()

    async def sockets_logged():
        rows = [row for row in nginx.access_log() if row[1].startswith("/socket.io/")]
        return rows if len(rows) == 2 else None

    rows = await eventually(sockets_logged, "nginx to log both socket connections", timeout=10)
    assert {row[3] for row in rows} == {first.address, second.address}


async def test_two_workers_behind_the_stack_check_each_service_once_per_interval(
    client, app, stack, target
):
    _, _, nginx, workers = stack
    admin = await _admin(nginx.base)
    services = [
        await _create(nginx.base, admin, f"svc {n}", target.url(f"/svc-{n}")) for n in range(20)
    ]

    async def three_rounds():
        found = await _checks_by_service(app)
        return all(len(found[service["id"]]) >= 3 for service in services)

    await eventually(three_rounds, "three rounds of checks", timeout=45)
    found = await _checks_by_service(app)
    for service in services:
        _assert_checked_once_per_interval(found[service["id"]], service["name"])
    # Both workers ran checks, and no check job (one id per service and slot) ran on both.
    started = [_check_jobs_started(worker) for worker in workers]
    assert all(started), "a worker ran no check"
    assert not set(started[0]) & set(started[1])
    assert all(len(jobs) == len(set(jobs)) for jobs in started)


def _check_jobs_started(worker) -> list[str]:
    """The check slots a worker started (service and slot), from its JSON log lines."""
    jobs = []
    for line in list(worker.lines):
        if not line.startswith("{"):
            continue
        record = json.loads(line)
        if record["event"] == "check started":
            jobs.append(f"{record['service_id']}:{record['slot']}")
    return jobs


async def test_the_stack_keeps_serving_when_an_api_and_a_worker_are_killed(
    client, app, stack, listeners, target
):
    first, second, nginx, workers = stack
    admin = await _admin(nginx.base)
    # One dashboard on each replica (least_conn), reconnecting by themselves as browsers do.
    dashboards = [await listeners(nginx.base, admin.access_token, reconnect=True) for _ in "ab"]
    services = [
        await _create(nginx.base, admin, f"svc {n}", target.url(f"/kill-{n}")) for n in range(5)
    ]

    async def all_checked():
        found = await _checks_by_service(app)
        return all(found[service["id"]] for service in services)

    await eventually(all_checked, "the first round of checks", timeout=20)

    os.kill(first.process.process.pid, signal.SIGKILL)
    first.process.process.wait(timeout=10)

    async with httpx.AsyncClient(base_url=nginx.base, timeout=10) as http:
        answers = [await http.get("/api/v1/services", headers=admin.headers) for _ in range(10)]
        answers.append(await http.get("/readyz"))
        answers.append(
            await http.post(
                "/api/v1/services",
                json={"name": "after the kill", "url": target.url("/after"), "interval_s": 60},
                headers=admin.headers,
            )
        )
    assert [answer.status_code for answer in answers] == [200] * 11 + [201]
    assert len(answers[0].json()) >= len(services)
    retried = [row for row in nginx.access_log() if first.address in row[3] and "," in row[3]]
    assert retried, "no request was tried on the killed api and passed on"
    assert all(row[2] != "502" for row in nginx.access_log())

    # The dashboard that lost its replica reconnects through nginx to the other one, and
    # both keep receiving events.
    await eventually(
        lambda: _socket_closed_by(nginx, first.address), "nginx to drop the killed api's socket"
    )
    await eventually(lambda: _reconnected(dashboards), "the dashboard to reconnect")
    late = await _create(nginx.base, admin, "created after the kill", target.url("/late"))
    await eventually(
        lambda: _all_heard(dashboards, late["id"]), "service.created on both dashboards"
    )

    holder = await eventually(
        lambda: app.state.redis.get(keys.SCHEDULE_LEASE), "a worker to hold the lease"
    )
    leader_pid = int(holder.decode().split(":")[-2])
    leader = next(worker for worker in workers if worker.process.pid == leader_pid)
    os.kill(leader_pid, signal.SIGKILL)
    leader.process.wait(timeout=10)
    killed_at = max(times[-1] for times in (await _checks_by_service(app)).values())

    async def checked_after_the_kill():
        found = await _checks_by_service(app)
        return all(any(at > killed_at for at in found[s["id"]]) for s in services)

    await eventually(checked_after_the_kill, "checks after the worker was killed", timeout=40)
    found = await _checks_by_service(app)
    for service in services:
        _assert_checked_once_per_interval(found[service["id"]], service["name"])
    assert second.process.process.poll() is None


async def _socket_closed_by(nginx, address: str) -> bool:
    return any(row[1].startswith("/socket.io/") and address in row[3] for row in nginx.access_log())


async def _reconnected(dashboards: list[Listener]) -> bool:
    return all(d.sio.connected for d in dashboards) and sum(d.connects for d in dashboards) == 3


async def _all_heard(dashboards: list[Listener], service_id: str) -> bool:
    return all(service_id in d.created() for d in dashboards)
