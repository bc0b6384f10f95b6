"""Push monitors: a job calls its secret URL; silence past interval + grace is DOWN."""

from datetime import timedelta

import pytest
from sqlalchemy import update
from watchdeck.domain.services.checks import missed_ping
from watchdeck.domain.services.models import Service
from watchdeck.domain.services.results import Outcome, record
from watchdeck.platform.clock import utcnow

from tests.support.accounts import sign_up
from tests.support.services import service_state


async def _push_monitor(client, admin, **fields):
    body = {"name": "Nightly backup", "kind": "push", "interval_s": 3600, "grace_s": 300} | fields
    response = await client.post("/api/v1/services", json=body, headers=admin.headers)
    assert response.status_code == 201, response.text
    created = response.json()
    return created["service"], created["push_url"].split("/api/v1/push/")[1]


async def _watch(app, service_id):
    """What the worker's push watch does when the slot comes due."""
    async with app.state.session_factory() as session:
        service = await session.get(Service, service_id)
    result = missed_ping(service)
    if result is not None:
        await record(
            app.state.session_factory, app.state.redis, [Outcome(result)], app.state.settings
        )


async def test_a_ping_marks_the_monitor_up(client):
    admin = await sign_up(client)
    service, token = await _push_monitor(client, admin)

    response = await client.post(f"/api/v1/push/{token}")

    assert response.status_code == 200
    assert (await service_state(client, admin, service["id"]))["status"] == "up"


async def test_a_get_ping_works_too_for_curl_in_cron(client):
    admin = await sign_up(client)
    service, token = await _push_monitor(client, admin)

    assert (await client.get(f"/api/v1/push/{token}")).status_code == 200


@pytest.mark.parametrize(
    ("silent_for", "status"), [(3600 + 301, "down"), (3600 + 100, "up")], ids=["late", "in grace"]
)
async def test_silence_past_interval_and_grace_turns_it_down(client, app, db, silent_for, status):
    admin = await sign_up(client)
    service, token = await _push_monitor(client, admin, failures_before_down=1)
    await client.post(f"/api/v1/push/{token}")
    async with db() as session:
        await session.execute(
            update(Service).values(last_check_at=utcnow() - timedelta(seconds=silent_for))
        )
        await session.commit()

    await _watch(app, service["id"])

    state = await service_state(client, admin, service["id"])
    assert state["status"] == status
    if status == "down":
        assert "no ping within 3900 s" in state["last_error"]


async def test_an_unknown_or_rotated_token_is_refused(client):
    admin = await sign_up(client)
    service, token = await _push_monitor(client, admin)

    rotated = await client.post(f"/api/v1/services/{service['id']}/push-url", headers=admin.headers)

    assert (await client.post(f"/api/v1/push/{token}")).status_code == 404
    new_token = rotated.json()["push_url"].split("/api/v1/push/")[1]
    assert (await client.post(f"/api/v1/push/{new_token}")).status_code == 200
