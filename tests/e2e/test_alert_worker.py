"""Alerts from real `watchdeck worker` processes: sent once, and not again after a restart."""

from __future__ import annotations

import json
import os
import signal

import pytest

from tests.support.accounts import sign_up
from tests.support.alerts import webhook_channel
from tests.support.services import allow_private_targets, create_service
from tests.support.targets import http_target
from tests.support.waiting import eventually

FAST_ALERTS = {"WATCHDECK_ALERT_GROUP_S": "0.5", "WATCHDECK_ALERT_RETRY_BASE_S": "0.5"}


@pytest.fixture(scope="module")
def receivers():
    with http_target() as hook, http_target() as site:
        yield hook, site


async def test_a_worker_restart_does_not_notify_a_firing_alert_again(
    client, receivers, start_worker
):
    hook, site = receivers
    admin = await sign_up(client)
    await allow_private_targets(client, admin)
    channel = await webhook_channel(client, admin, hook.url("/hook"))
    rules = (await client.get("/api/v1/alert-rules", headers=admin.headers)).json()
    down = next(r for r in rules if r["condition"] == "service_down")
    await client.patch(
        f"/api/v1/alert-rules/{down['id']}",
        json={"channel_ids": [channel["id"]]},
        headers=admin.headers,
    )
    site.respond(status=503)
    service = await create_service(
        client, admin, url=site.url("/"), interval_s=10, failures_before_down=1
    )
    worker = start_worker(**FAST_ALERTS)

    async def fired():
        return [json.loads(r.body) for r in hook.requests]

    [message] = await eventually(fired, "the firing message", timeout=30)
    assert message["alerts"][0]["state"] == "firing"

    os.kill(worker.process.pid, signal.SIGKILL)
    worker.process.wait()
    start_worker(**FAST_ALERTS)

    async def checked_twice_more():
        response = await client.get(
            f"/api/v1/services/{service['id']}/checks", headers=admin.headers
        )
        return len(response.json()["items"]) >= 3

    await eventually(checked_twice_more, "two more failing checks after the restart", timeout=40)
    site.respond(status=200)

    async def recovered():
        return len(hook.requests) >= 2

    await eventually(recovered, "the recovery message", timeout=40)
    states = [json.loads(r.body)["alerts"][0]["state"] for r in hook.requests]
    assert states == ["firing", "resolved"]
