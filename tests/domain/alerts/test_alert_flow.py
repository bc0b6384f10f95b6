"""Rules fire once and resolve once, from real checks and agent samples, to real receivers."""

from __future__ import annotations

import asyncio
import json
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, text, update
from watchdeck.domain.alerts.models import Delivery
from watchdeck.domain.alerts.sweep import sweep_alerts
from watchdeck.domain.hosts.jobs import sweep_missing
from watchdeck.domain.services.checks import spec_for
from watchdeck.domain.services.models import Service
from watchdeck.domain.services.results import Outcome, record

from tests.support.accounts import sign_up
from tests.support.agents import metrics_batch, push, sample
from tests.support.alerts import alerts_of, create_channel, create_rule, webhook_channel
from tests.support.jobs import drain
from tests.support.services import allow_private_targets, check_once, create_service
from tests.support.waiting import eventually


def messages(hook) -> list[dict]:
    return [json.loads(r.body) for r in hook.requests]


def states(hook) -> list[list[str]]:
    return [[a["state"] for a in m["alerts"]] for m in messages(hook)]


def ctx(app) -> dict:
    state = app.state
    return {
        "session_factory": state.session_factory,
        "redis": state.arq,
        "settings": state.settings,
    }


async def team_with_hook(client, hook):
    admin = await sign_up(client)
    await allow_private_targets(client, admin)
    channel = await webhook_channel(client, admin, hook.url("/hook"))
    return admin, channel


async def default_rule(client, admin, condition: str) -> dict:
    rules = (await client.get("/api/v1/alert-rules", headers=admin.headers)).json()
    return next(r for r in rules if r["condition"] == condition)


async def route_to(client, admin, rule: dict, *channels: dict) -> None:
    response = await client.patch(
        f"/api/v1/alert-rules/{rule['id']}",
        json={"channel_ids": [c["id"] for c in channels]},
        headers=admin.headers,
    )
    assert response.status_code == 200, response.text


async def test_a_service_going_down_sends_one_message_and_one_when_it_recovers(
    client, app, hook, site, prober
):
    admin, channel = await team_with_hook(client, hook)
    await route_to(client, admin, await default_rule(client, admin, "service_down"), channel)
    service = await create_service(
        client, admin, name="Checkout", url=site.url("/health"), failures_before_down=1
    )

    site.respond(status=503)
    for _ in range(3):
        await check_once(app, service["id"], prober)
    await drain(app)
    site.respond(status=200)
    await check_once(app, service["id"], prober)
    await drain(app)

    assert states(hook) == [["firing"], ["resolved"]]
    fired, resolved = (m["alerts"][0] for m in messages(hook))
    assert fired["subject"] == "Checkout" and fired["rule"] == "Service down"
    assert fired["url"].endswith(f"/services/{service['id']}")
    assert resolved["duration_s"] is not None and resolved["resolved_at"] is not None
    [alert] = await alerts_of(client, admin)
    assert alert["status"] == "resolved" and alert["notified"]
    detail = (await client.get(f"/api/v1/alerts/{alert['id']}", headers=admin.headers)).json()
    assert [d["kinds"] for d in detail["deliveries"]] == [["firing"], ["resolved"]]
    assert all(d["status"] == "sent" and d["attempts"] == 1 for d in detail["deliveries"])


@pytest.mark.parametrize(
    ("condition", "reading"),
    [
        ("cpu", lambda v: {"cpu_percent": v}),
        ("ram", lambda v: {"mem_percent": v}),
        (
            "disk",
            lambda v: {"disks": [{"mount": "/", "used_bytes": 1, "total_bytes": 2, "percent": v}]},
        ),
    ],
)
async def test_a_host_metric_must_hold_for_n_samples_and_resolves_past_the_hysteresis(
    client, app, hook, condition, reading
):
    admin, channel = await team_with_hook(client, hook)
    prod = (
        await client.post(
            "/api/v1/hosts",
            json={"name": "db-1", "labels": {"env": "prod"}},
            headers=admin.headers,
        )
    ).json()
    staging = (
        await client.post("/api/v1/hosts", json={"name": "db-2"}, headers=admin.headers)
    ).json()
    await create_rule(
        client, admin, name=f"{condition} high", condition=condition, threshold=85,
        for_samples=3, target_labels={"env": "prod"}, channel_ids=[channel["id"]],
    )  # fmt: skip
    start = datetime.now(UTC) - timedelta(minutes=2)

    async def send(token: str, offset: int, value: float) -> None:
        at = start + timedelta(seconds=5 * offset)
        response = await push(
            client, "metrics", token, metrics_batch([sample(at, **reading(value))])
        )
        assert response.status_code == 202, response.text
        await drain(app)

    for i, value in enumerate([95, 96]):
        await send(prod["token"], i, value)
        await send(staging["token"], i, 99)  # not labelled prod: never alerts
    assert await alerts_of(client, admin) == []
    await send(prod["token"], 2, 97)  # the third sample in a row: fires
    await send(prod["token"], 3, 84)  # below the threshold, inside the hysteresis band
    assert states(hook) == [["firing"]]
    await send(prod["token"], 4, 60)
    assert states(hook) == [["firing"], ["resolved"]]
    [alert] = await alerts_of(client, admin)
    assert alert["subject_name"] == "db-1" and alert["status"] == "resolved"


async def add_checks(app, service_id: str, rows: list[tuple[datetime, bool, float]]) -> None:
    async with app.state.engine.begin() as conn:
        await conn.execute(
            text(
                "INSERT INTO checks (service_id, at, ok, degraded, muted, latency_ms)"
                " VALUES (:service_id, :at, :ok, false, false, :latency)"
            ),
            [{"service_id": service_id, "at": a, "ok": ok, "latency": ms} for a, ok, ms in rows],
        )


@pytest.mark.parametrize(
    ("condition", "threshold", "bad", "good"),
    [
        ("latency_p95", 800, (True, 950.0), (True, 120.0)),
        ("latency_avg", 500, (True, 700.0), (True, 90.0)),
        ("error_rate", 5, (False, None), (True, 80.0)),
    ],
)
async def test_windowed_conditions_fire_and_resolve_once(
    client, app, hook, condition, threshold, bad, good
):
    admin, channel = await team_with_hook(client, hook)
    service = await create_service(client, admin, url="http://127.0.0.1:9/", enabled=False)
    await client.patch(
        f"/api/v1/services/{service['id']}", json={"enabled": True}, headers=admin.headers
    )
    await create_rule(
        client, admin, name=condition, condition=condition, threshold=threshold, window_s=60,
        channel_ids=[channel["id"]],
    )  # fmt: skip
    now = datetime.now(UTC)
    await add_checks(app, service["id"], [(now - timedelta(seconds=s), *bad) for s in range(50)])
    await add_checks(
        app, service["id"], [(now + timedelta(seconds=s), *good) for s in range(20, 90)]
    )

    for later in (0, 10, 90):  # bad; still bad (nothing new); only good checks in the window
        await sweep_alerts(ctx(app), now + timedelta(seconds=later))
        await drain(app)

    assert states(hook) == [["firing"], ["resolved"]]


async def test_a_certificate_close_to_expiry_alerts_until_it_is_renewed(client, app, hook):
    admin, channel = await team_with_hook(client, hook)
    service = await create_service(client, admin, url="https://127.0.0.1:9/")
    await create_rule(
        client, admin, name="TLS", condition="tls_expiry", channel_ids=[channel["id"]]
    )
    service_id = uuid.UUID(service["id"])

    async def expires_in(days: int) -> None:
        async with app.state.session_factory() as session:
            await session.execute(
                update(Service)
                .where(Service.id == service_id)
                .values(tls_expires_at=datetime.now(UTC) + timedelta(days=days))
            )
            await session.commit()
        await sweep_alerts(ctx(app))
        await drain(app)

    await expires_in(5)
    await expires_in(4)
    await expires_in(89)

    assert states(hook) == [["firing"], ["resolved"]]
    assert "expires in 5 days" in messages(hook)[0]["alerts"][0]["summary"]


async def test_a_silent_host_alerts_as_missing_and_resolves_when_it_reports(client, app, hook):
    admin, channel = await team_with_hook(client, hook)
    await route_to(client, admin, await default_rule(client, admin, "host_missing"), channel)
    created = (
        await client.post(
            "/api/v1/hosts",
            json={"name": "web-9", "interval_s": 5, "missing_after": 3},
            headers=admin.headers,
        )
    ).json()
    old = datetime.now(UTC) - timedelta(seconds=20)
    await push(client, "metrics", created["token"], metrics_batch([sample(old)]))
    await drain(app)

    assert await sweep_missing(ctx(app)) == 1
    await sweep_alerts(ctx(app))  # the sweep sees it missing too: still one alert
    await drain(app)
    await push(client, "metrics", created["token"], metrics_batch([sample(datetime.now(UTC))]))
    await drain(app)

    assert states(hook) == [["firing"], ["resolved"]]
    assert messages(hook)[0]["alerts"][0]["subject"] == "web-9"


async def test_fifty_services_failing_together_make_one_message_per_channel(
    client, app, hook, other_hook, site, prober
):
    admin, webhook = await team_with_hook(client, hook)
    slack = await create_channel(
        client, admin, "slack", secrets={"webhook_url": other_hook.url("/slack")}
    )
    await route_to(client, admin, await default_rule(client, admin, "service_down"), webhook, slack)
    services = [
        await create_service(
            client, admin, name=f"svc-{i:02}", url=site.url(f"/{i}"), failures_before_down=1
        )
        for i in range(50)
    ]
    site.respond(status=500)

    async with app.state.session_factory() as session:
        rows = await session.scalars(
            select(Service).where(Service.id.in_([uuid.UUID(s["id"]) for s in services]))
        )
        specs = [spec_for(row, allow_private=True) for row in rows]
    results = await asyncio.gather(*(prober.run(spec) for spec in specs))
    await record(
        app.state.session_factory, app.state.redis, [Outcome(r) for r in results],
        app.state.settings,
    )  # fmt: skip
    await drain(app)

    [grouped] = messages(hook)
    assert len(grouped["alerts"]) == 50 and {a["state"] for a in grouped["alerts"]} == {"firing"}
    [slack_message] = [json.loads(r.body) for r in other_hook.requests]
    assert slack_message["text"].startswith("50 alerts")
    assert any("and " in str(block) and "more" in str(block) for block in slack_message["blocks"])
    assert len(await alerts_of(client, admin, status="firing")) == 50


async def test_a_recurrence_within_the_dedup_window_is_not_sent_again(
    client, app, hook, site, prober
):
    admin, channel = await team_with_hook(client, hook)
    await route_to(client, admin, await default_rule(client, admin, "service_down"), channel)
    service = await create_service(client, admin, url=site.url("/"), failures_before_down=1)

    for status in (500, 200, 500, 200):  # flaps: down, up, down, up within minutes
        site.respond(status=status)
        await check_once(app, service["id"], prober)
        await drain(app)

    assert states(hook) == [["firing"], ["resolved"]]
    second, first = await alerts_of(client, admin)
    assert first["notified"] and not second["notified"]
    assert second["status"] == "resolved"


async def test_a_host_alert_covers_the_services_that_run_on_it(client, app, hook, site, prober):
    admin, channel = await team_with_hook(client, hook)
    host_rule = await default_rule(client, admin, "host_missing")
    await route_to(client, admin, host_rule, channel)
    await client.patch(
        f"/api/v1/alert-rules/{(await default_rule(client, admin, 'service_down'))['id']}",
        json={"enabled": False},
        headers=admin.headers,
    )
    await create_rule(
        client, admin, name="API down", condition="service_down", channel_ids=[channel["id"]],
        depends_on_id=host_rule["id"],
    )  # fmt: skip
    host = (
        await client.post(
            "/api/v1/hosts",
            json={"name": "web-9", "interval_s": 5, "missing_after": 3},
            headers=admin.headers,
        )
    ).json()
    service = await create_service(
        client, admin, url=site.url("/"), failures_before_down=1, host_id=host["host"]["id"]
    )
    await push(
        client,
        "metrics",
        host["token"],
        metrics_batch([sample(datetime.now(UTC) - timedelta(seconds=20))]),
    )  # noqa: E501
    await drain(app)
    await sweep_missing(ctx(app))

    site.respond(status=500)
    await check_once(app, service["id"], prober)
    await drain(app)

    assert [[a["subject"] for a in m["alerts"]] for m in messages(hook)] == [["web-9"]]
    service_alert = next(
        a for a in await alerts_of(client, admin) if a["subject_kind"] == "service"
    )
    assert service_alert["suppressed"] and service_alert["status"] == "firing"


async def test_a_channel_answering_500_is_retried_until_it_accepts(
    client, app, hook, site, prober, alert_settings
):
    alert_settings(alert_retry_base_s=0.5)
    admin, channel = await team_with_hook(client, hook)
    await route_to(client, admin, await default_rule(client, admin, "service_down"), channel)
    service = await create_service(client, admin, url=site.url("/"), failures_before_down=1)
    hook.respond(status=500, body="upstream broke")
    site.respond(status=500)
    await check_once(app, service["id"], prober)

    worker = asyncio.create_task(drain(app))
    await eventually(lambda: _async(len(hook.requests) >= 1), "the first attempt")
    hook.respond(status=200)
    await worker

    assert len(hook.requests) == 2
    async with app.state.session_factory() as session:
        delivery = await session.scalar(select(Delivery))
    assert delivery.status == "sent" and delivery.attempts == 2
    assert [entry["ok"] for entry in delivery.log] == [False, True]
    assert "HTTP 500" in delivery.log[0]["error"]


async def test_retries_stop_at_the_limit_and_the_delivery_is_marked_failed(
    client, app, hook, site, prober, alert_settings
):
    alert_settings(alert_max_attempts=3, alert_retry_base_s=0.05)
    admin, channel = await team_with_hook(client, hook)
    await route_to(client, admin, await default_rule(client, admin, "service_down"), channel)
    service = await create_service(client, admin, url=site.url("/"), failures_before_down=1)
    hook.respond(status=500)
    site.respond(status=500)

    await check_once(app, service["id"], prober)
    await drain(app)

    assert len(hook.requests) == 3
    deliveries = (
        await client.get(f"/api/v1/channels/{channel['id']}/deliveries", headers=admin.headers)
    ).json()
    assert [(d["status"], d["attempts"]) for d in deliveries] == [("failed", 3)]


async def test_a_hanging_channel_does_not_hold_up_another(client, app, hook, hanging, site, prober):
    admin, good = await team_with_hook(client, hook)
    stuck = await webhook_channel(client, admin, hanging.url("/hook"))
    await route_to(client, admin, await default_rule(client, admin, "service_down"), stuck, good)
    service = await create_service(client, admin, url=site.url("/"), failures_before_down=1)
    site.respond(status=500)
    await check_once(app, service["id"], prober)

    worker = asyncio.create_task(drain(app))
    await eventually(lambda: _async(len(hook.requests) == 1), "the good channel's message")
    async with app.state.session_factory() as session:
        stuck_delivery = await session.scalar(
            select(Delivery).where(Delivery.channel_id == uuid.UUID(stuck["id"]))
        )
    await worker

    assert stuck_delivery is not None and stuck_delivery.attempts == 0  # still waiting on it


async def test_a_maintenance_window_mutes_alerts(client, app, hook, site, prober):
    admin, channel = await team_with_hook(client, hook)
    await route_to(client, admin, await default_rule(client, admin, "service_down"), channel)
    service = await create_service(client, admin, url=site.url("/"), failures_before_down=1)
    window = await client.post(
        "/api/v1/maintenance",
        json={
            "name": "Deploy",
            "starts_at": datetime.now(UTC).isoformat(),
            "ends_at": (datetime.now(UTC) + timedelta(hours=1)).isoformat(),
        },
        headers=admin.headers,
    )
    assert window.status_code == 201, window.text
    site.respond(status=500)

    await check_once(app, service["id"], prober)
    await drain(app)

    assert hook.requests == [] and await alerts_of(client, admin) == []


async def test_a_rule_can_open_an_incident_that_shows_the_alert(client, app, hook, site, prober):
    admin, channel = await team_with_hook(client, hook)
    await create_rule(
        client, admin, name="Latency", condition="latency_avg", threshold=100, window_s=60,
        open_incident=True, severity="critical",
    )  # fmt: skip
    service = await create_service(client, admin, name="Search", url=site.url("/"))
    now = datetime.now(UTC)
    await add_checks(
        app, service["id"], [(now - timedelta(seconds=s), True, 400.0) for s in range(5)]
    )

    await sweep_alerts(ctx(app), now)

    [incident] = (await client.get("/api/v1/incidents", headers=admin.headers)).json()["items"]
    assert incident["title"] == "Search: Latency" and incident["severity"] == "critical"
    page = (await client.get(f"/api/v1/incidents/{incident['id']}", headers=admin.headers)).json()
    assert any(e["kind"] == "alert" and e["data"]["state"] == "firing" for e in page["timeline"])


async def _async(value):
    return value


async def test_a_degraded_service_alerts_and_resolves_once(client, app, hook, site, prober):
    admin, channel = await team_with_hook(client, hook)
    await create_rule(
        client, admin, name="Slow", condition="service_degraded", channel_ids=[channel["id"]]
    )
    service = await create_service(client, admin, url=site.url("/"), latency_threshold_ms=50)

    for delay in (0.15, 0.15, 0.0):  # slower than the service's latency threshold, then fast
        site.respond(status=200, delay=delay)
        await check_once(app, service["id"], prober)
        await drain(app)

    assert states(hook) == [["firing"], ["resolved"]]
    assert messages(hook)[0]["alerts"][0]["summary"] == "degraded"
