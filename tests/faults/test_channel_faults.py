"""A real worker alerting through a hanging channel, a failing one and a healthy one."""

from __future__ import annotations

import json
import uuid
from collections import defaultdict
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlalchemy import select
from watchdeck.domain.alerts.models import Delivery
from watchdeck.domain.services.models import checks

from tests.faults.conftest import log_records
from tests.support.accounts import sign_up
from tests.support.alerts import create_channel
from tests.support.services import allow_private_targets, create_service
from tests.support.targets import hanging_target, http_target
from tests.support.waiting import eventually

INTERVAL_S = 10
MAX_ATTEMPTS = 3
SHORT_ALERTS = {
    "WATCHDECK_ALERT_GROUP_S": "0.3",
    "WATCHDECK_ALERT_RETRY_BASE_S": "0.3",
    "WATCHDECK_ALERT_SEND_TIMEOUT_S": "2",
    "WATCHDECK_ALERT_MAX_ATTEMPTS": str(MAX_ATTEMPTS),
}


@pytest.fixture
def receivers():
    """(hanging, failing, healthy) webhook receivers."""
    with hanging_target() as hanging, http_target() as failing, http_target() as healthy:
        failing.respond(status=500, body="upstream broke")
        yield hanging, failing, healthy


async def _checks(app, service_ids: list[str]) -> dict[str, list[datetime]]:
    async with app.state.engine.connect() as conn:
        rows = await conn.execute(
            select(checks.c.service_id, checks.c.at)
            .where(checks.c.service_id.in_([uuid.UUID(s) for s in service_ids]))
            .order_by(checks.c.at)
        )
        found: dict[str, list[datetime]] = defaultdict(list)
        for service_id, at in rows:
            found[str(service_id)].append(at)
    return found


async def _attempts(app, channel: dict) -> int:
    async with app.state.session_factory() as session:
        delivery = await session.scalar(
            select(Delivery).where(Delivery.channel_id == uuid.UUID(channel["id"]))
        )
    return delivery.attempts if delivery else 0


def _gave_up(worker, channel: dict) -> list[dict]:
    return [
        record
        for record in log_records(worker)
        if record.get("level") == "warning"
        and "gave up" in record.get("event", "")
        and record.get("channel") == channel["name"]
    ]


async def test_a_hanging_and_a_failing_channel_hold_up_neither_the_healthy_one_nor_checks(
    clean, app, live_server, start_worker, target, receivers
):
    hanging, failing, healthy = receivers
    worker = start_worker(**SHORT_ALERTS)
    async with httpx.AsyncClient(base_url=live_server, timeout=10) as http:
        admin = await sign_up(http)
        await allow_private_targets(http, admin)
        channels = [
            await create_channel(
                http, admin, "webhook", name=name, secrets={"url": receiver.url("/hook")}
            )
            for receiver, name in ((hanging, "hangs"), (failing, "answers 500"), (healthy, "ok"))
        ]
        rules = (await http.get("/api/v1/alert-rules", headers=admin.headers)).json()
        down = next(rule for rule in rules if rule["condition"] == "service_down")
        routed = await http.patch(
            f"/api/v1/alert-rules/{down['id']}",
            json={"channel_ids": [channel["id"] for channel in channels]},
            headers=admin.headers,
        )
        assert routed.status_code == 200, routed.text
        prefix = f"/bystander-{uuid.uuid4().hex[:8]}"
        bystanders = [
            await create_service(
                http,
                admin,
                name=f"bystander {n}",
                url=target.url(f"{prefix}/{n}"),
                interval_s=INTERVAL_S,
            )  # fmt: skip
            for n in range(3)
        ]
        ids = [service["id"] for service in bystanders]
        broken = f"/broken-{uuid.uuid4().hex[:8]}"
        target.respond(status=503, path=broken)
        failing_service = await create_service(
            http, admin, name="payments", url=target.url(broken), interval_s=INTERVAL_S,
            failures_before_down=1,
        )  # fmt: skip

    async def healthy_told():
        return [json.loads(request.body) for request in healthy.requests]

    [message] = await eventually(healthy_told, "the healthy channel's message", timeout=30)
    assert [(a["state"], a["subject"]) for a in message["alerts"]] == [
        ("firing", failing_service["name"])
    ]
    # It did not wait for the hanging channel's attempt to time out.
    assert await _attempts(app, channels[0]) == 0

    hung, failed, _ = channels
    for channel in (hung, failed):
        await eventually(
            lambda channel=channel: _gave_up(worker, channel),
            f"the worker to give up on {channel['name']}",
            timeout=60,
        )
    gave_up_at = datetime.now(UTC)

    # One more check of every service after that: nothing more goes to the failing channel.
    async def checked_again():
        found = await _checks(app, [*ids, failing_service["id"]])
        return all(found[s] and found[s][-1] > gave_up_at for s in [*ids, failing_service["id"]])

    await eventually(checked_again, "another round of checks", timeout=30)
    assert len(failing.requests) == MAX_ATTEMPTS
    assert len(hanging.requests) == MAX_ATTEMPTS
    assert len(healthy.requests) == 1
    [record] = _gave_up(worker, failed)
    assert record["attempts"] == MAX_ATTEMPTS and "500" in record["error"]

    # The bystanders kept their schedule while the channels hung and failed.
    found = await _checks(app, ids)
    for service in bystanders:
        times = found[service["id"]]
        gaps = [later - earlier for earlier, later in zip(times, times[1:], strict=False)]
        assert gaps and max(gaps) < timedelta(seconds=INTERVAL_S * 1.5), f"late: {times}"
