"""Real `watchdeck worker` processes: scheduling, edits, check-now, no duplicates, failover."""

from __future__ import annotations

import os
import signal
from collections import defaultdict
from datetime import timedelta

import pytest
from sqlalchemy import select
from watchdeck.domain.services.models import checks
from watchdeck.platform import keys

from tests.support.accounts import sign_up
from tests.support.services import allow_private_targets, create_service
from tests.support.targets import http_target
from tests.support.waiting import eventually


@pytest.fixture(scope="module")
def target():
    with http_target() as running:
        yield running


async def _checks_by_service(app) -> dict[str, list]:
    async with app.state.engine.connect() as conn:
        rows = (
            await conn.execute(select(checks.c.service_id, checks.c.at).order_by(checks.c.at))
        ).all()
    found = defaultdict(list)
    for service_id, at in rows:
        found[str(service_id)].append(at)
    return found


async def test_a_new_service_is_checked_within_a_second_and_then_every_interval(
    client, app, target, start_worker
):
    start_worker()
    admin = await sign_up(client)
    await allow_private_targets(client, admin)
    service = await create_service(client, admin, url=target.url("/health"), interval_s=10)

    async def two_checks():
        return len((await _checks_by_service(app))[service["id"]]) >= 2

    await eventually(two_checks, "two checks", timeout=25)
    first, second = (await _checks_by_service(app))[service["id"]][:2]
    assert timedelta(seconds=9) <= second - first <= timedelta(seconds=11.5)
    state = (await client.get(f"/api/v1/services/{service['id']}", headers=admin.headers)).json()
    assert state["status"] == "up"


async def test_an_edit_takes_effect_at_once_and_a_pause_stops_checks(
    client, app, target, start_worker
):
    start_worker()
    admin = await sign_up(client)
    await allow_private_targets(client, admin)
    service = await create_service(
        client, admin, url=target.url("/health"), interval_s=60, failures_before_down=1
    )
    target.respond(status=500, path="/broken")
    await eventually(
        lambda: _status(client, admin, service["id"], "up"), "the first check", timeout=10
    )

    await client.patch(
        f"/api/v1/services/{service['id']}",
        json={"url": target.url("/broken")},
        headers=admin.headers,
    )
    await eventually(
        lambda: _status(client, admin, service["id"], "down"), "the edit to be checked", timeout=10
    )
    await client.patch(
        f"/api/v1/services/{service['id']}", json={"enabled": False}, headers=admin.headers
    )
    paused_at = len((await _checks_by_service(app))[service["id"]])
    await client.post(f"/api/v1/services/{service['id']}/check-now", headers=admin.headers)

    assert await _status(client, admin, service["id"], "paused")
    # check-now of a paused service is stored but the status stays paused; no scheduled check ran
    assert len((await _checks_by_service(app))[service["id"]]) == paused_at + 1


async def _status(client, admin, service_id, wanted):
    state = (await client.get(f"/api/v1/services/{service_id}", headers=admin.headers)).json()
    return state["status"] == wanted


async def test_check_now_answers_with_the_result(client, target, start_worker):
    start_worker()
    admin = await sign_up(client)
    await allow_private_targets(client, admin)
    service = await create_service(client, admin, url=target.url("/teapot"), interval_s=3600)
    target.respond(status=418, body="short and stout", path="/teapot")

    response = await client.post(
        f"/api/v1/services/{service['id']}/check-now", headers=admin.headers
    )

    assert response.status_code == 200
    assert response.json()["ok"] is False
    assert response.json()["status_code"] == 418


async def test_two_workers_never_run_the_same_check_twice(client, app, target, start_worker):
    start_worker()
    start_worker()
    admin = await sign_up(client)
    await allow_private_targets(client, admin)
    services = [
        await create_service(
            client, admin, name=f"svc {i}", url=target.url(f"/s{i}"), interval_s=10
        )
        for i in range(30)
    ]

    async def three_rounds():
        found = await _checks_by_service(app)
        return all(len(found[s["id"]]) >= 3 for s in services)

    await eventually(three_rounds, "three rounds of checks", timeout=40)
    for service in services:
        times = (await _checks_by_service(app))[service["id"]]
        gaps = [later - earlier for earlier, later in zip(times, times[1:], strict=False)]
        assert min(gaps) >= timedelta(seconds=9), f"{service['name']} checked twice: {times}"


async def test_when_the_dispatching_worker_dies_another_takes_over(
    client, app, target, start_worker
):
    workers = [start_worker(), start_worker()]
    admin = await sign_up(client)
    await allow_private_targets(client, admin)
    services = [
        await create_service(
            client, admin, name=f"svc {i}", url=target.url(f"/f{i}"), interval_s=10
        )
        for i in range(10)
    ]

    async def leader():
        holder = await app.state.redis.get(keys.SCHEDULE_LEASE)
        return holder and int(holder.decode().split(":")[1])

    leader_pid = await eventually(leader, "a worker to take the lease", timeout=15)
    await eventually(
        lambda: _all_checked_since(app, services, None), "the first round of checks", timeout=15
    )
    os.kill(leader_pid, signal.SIGKILL)
    killed_at = (await _checks_by_service(app))[services[0]["id"]][-1]

    async def new_leader():
        pid = await leader()
        return pid and pid != leader_pid

    await eventually(new_leader, "another worker to take the lease", timeout=20)
    await eventually(
        lambda: _all_checked_since(app, services, killed_at),
        "checks after the failover",
        timeout=30,
    )
    survivors = [w for w in workers if w.process.pid != leader_pid]
    assert survivors and survivors[0].process.poll() is None


async def _all_checked_since(app, services, since) -> bool:
    found = await _checks_by_service(app)
    return all(any(since is None or at > since for at in found[s["id"]]) for s in services)
