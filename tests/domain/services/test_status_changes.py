"""A service's status follows its checks: DOWN after N failures, incident open and resolve."""

from tests.support.accounts import sign_up
from tests.support.services import allow_private_targets, check_once, create_service, service_state


async def _setup(client, target, **fields):
    admin = await sign_up(client)
    await allow_private_targets(client, admin)
    service = await create_service(client, admin, url=target.url("/health"), **fields)
    return admin, service


async def _incidents(client, admin):
    return (await client.get("/api/v1/incidents", headers=admin.headers)).json()["items"]


async def test_a_healthy_service_turns_up_on_its_first_check(client, app, target, prober):
    admin, service = await _setup(client, target)

    await check_once(app, service["id"], prober)

    state = await service_state(client, admin, service["id"])
    assert state["status"] == "up"
    assert state["last_status_code"] == 200
    assert state["last_latency_ms"] > 0


async def test_down_only_after_the_configured_failures_then_an_incident_opens(
    client, app, target, prober
):
    admin, service = await _setup(client, target, failures_before_down=3, severity="critical")
    await check_once(app, service["id"], prober)
    target.respond(status=503, body="maintenance")

    await check_once(app, service["id"], prober)
    await check_once(app, service["id"], prober)
    still_up = await service_state(client, admin, service["id"])
    await check_once(app, service["id"], prober)
    down = await service_state(client, admin, service["id"])

    assert still_up["status"] == "up"
    assert down["status"] == "down"
    assert "503" in down["last_error"]
    [incident] = await _incidents(client, admin)
    assert incident["title"] == "Checkout API is down"
    assert incident["severity"] == "critical"
    assert incident["status"] == "open"
    assert incident["service_id"] == service["id"]


async def test_recovery_resolves_the_incident_with_its_duration(client, app, target, prober):
    admin, service = await _setup(client, target, failures_before_down=1, successes_before_up=2)
    target.respond(status=500)
    await check_once(app, service["id"], prober)
    target.respond(status=200)

    await check_once(app, service["id"], prober)
    first_success = await service_state(client, admin, service["id"])
    await check_once(app, service["id"], prober)

    assert first_success["status"] == "down"
    assert (await service_state(client, admin, service["id"]))["status"] == "up"
    [incident] = await _incidents(client, admin)
    assert incident["status"] == "resolved"
    assert incident["duration_s"] >= 0
    detail = (await client.get(f"/api/v1/incidents/{incident['id']}", headers=admin.headers)).json()
    assert [entry["kind"] for entry in detail["timeline"]] == ["opened", "resolved"]
    assert "duration_s" in detail["timeline"][1]["data"]


async def test_a_second_outage_opens_a_new_incident_not_a_duplicate(client, app, target, prober):
    admin, service = await _setup(client, target, failures_before_down=1)
    for status in (500, 500, 200, 500):
        target.respond(status=status)
        await check_once(app, service["id"], prober)

    incidents = await _incidents(client, admin)

    assert [i["status"] for i in incidents] == ["open", "resolved"]


async def test_slow_answers_are_degraded(client, app, target, prober):
    admin, service = await _setup(client, target, latency_threshold_ms=50)
    target.respond(status=200, delay=0.2)

    await check_once(app, service["id"], prober)

    assert (await service_state(client, admin, service["id"]))["status"] == "degraded"


async def test_keyword_and_json_assertions_decide_the_status(client, app, target, prober):
    admin, service = await _setup(
        client, target, failures_before_down=1, json_path="$.status", json_expected="ok"
    )
    target.respond(status=200, body='{"status": "failing"}')

    await check_once(app, service["id"], prober)

    state = await service_state(client, admin, service["id"])
    assert state["status"] == "down"
    assert "failing" in state["last_error"]


async def test_a_hanging_target_fails_with_a_timeout(client, app, hanging, prober):
    admin = await sign_up(client)
    await allow_private_targets(client, admin)
    service = await create_service(
        client, admin, url=hanging.url("/"), timeout_s=0.5, failures_before_down=1
    )

    await check_once(app, service["id"], prober)

    checks = (
        await client.get(f"/api/v1/services/{service['id']}/checks", headers=admin.headers)
    ).json()
    assert checks["items"][0]["error_class"] == "timeout"
    assert (await service_state(client, admin, service["id"]))["status"] == "down"


async def test_a_paused_service_keeps_its_status_whatever_comes_in(client, app, target, prober):
    admin, service = await _setup(client, target, failures_before_down=1)
    await client.patch(
        f"/api/v1/services/{service['id']}", json={"enabled": False}, headers=admin.headers
    )
    target.respond(status=500)

    await check_once(app, service["id"], prober)

    assert (await service_state(client, admin, service["id"]))["status"] == "paused"
    assert await _incidents(client, admin) == []
