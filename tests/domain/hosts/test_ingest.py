"""Agents push metric batches; bad ones are refused whole, naming the field."""

import gzip
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from watchdeck.domain.hosts.models import host_metrics

from tests.support.accounts import api_key, sign_up
from tests.support.agents import answered, metrics_batch, push, recent_samples, sample
from tests.support.jobs import drain


async def _host(client, admin, name="web-1"):
    created = (
        await client.post("/api/v1/hosts", json={"name": name}, headers=admin.headers)
    ).json()
    return created["host"], created["token"]


async def _stored(db) -> int:
    async with db() as session:
        return await session.scalar(select(func.count()).select_from(host_metrics))


async def test_a_pushed_batch_brings_the_host_online_with_its_figures(client, app, db):
    admin = await sign_up(client)
    host, token = await _host(client, admin)

    response = await push(client, "metrics", token, metrics_batch(recent_samples(3)))
    await drain(app)

    assert response.status_code == 202
    assert answered(response) == (3, False)
    state = (await client.get(f"/api/v1/hosts/{host['id']}", headers=admin.headers)).json()
    assert state["status"] == "online"
    assert state["hostname"] == "web-1" and state["agent_version"] == "0.1.0"
    assert state["latest"]["cpu"] == 2.0
    assert state["latest"]["disk_pct"] == 50.0
    assert await _stored(db) == 3


async def test_the_same_batch_sent_twice_is_stored_once(client, app, db):
    admin = await sign_up(client)
    _, token = await _host(client, admin)
    batch = metrics_batch(recent_samples(4))

    first = await push(client, "metrics", token, batch)
    again = await push(client, "metrics", token, batch)
    await drain(app)

    assert first.json()["duplicate"] is False
    assert again.status_code == 202 and answered(again) == (0, True)
    assert await _stored(db) == 4


async def test_a_wrong_type_names_the_field_and_stores_nothing(client, app, db):
    admin = await sign_up(client)
    _, token = await _host(client, admin)
    samples = recent_samples(2)
    samples[1]["cpu_percent"] = "high"

    response = await push(client, "metrics", token, metrics_batch(samples))
    await drain(app)

    assert response.status_code == 422
    assert list(response.json()["error"]["fields"]) == ["samples[1].cpu_percent"]
    assert await _stored(db) == 0


async def test_out_of_range_and_missing_values_are_refused(client):
    admin = await sign_up(client)
    _, token = await _host(client, admin)
    now = datetime.now(UTC)
    missing = sample(now)
    del missing["mem_percent"]

    too_high = await push(client, "metrics", token, metrics_batch([sample(now, cpu=250.0)]))
    absent = await push(client, "metrics", token, metrics_batch([missing]))
    nan = await push(client, "metrics", token, b'{"batch_id": "abcdefgh", "cpu_percent": NaN}')

    assert "samples[0].cpu_percent" in too_high.json()["error"]["fields"]
    assert absent.status_code == 422 and "mem_percent" in absent.json()["error"]["message"]
    assert nan.status_code == 422 and "cpu_percent" in nan.json()["error"]["fields"]


async def test_future_and_ancient_timestamps_are_refused(client, db):
    admin = await sign_up(client)
    _, token = await _host(client, admin)
    now = datetime.now(UTC)

    future = await push(
        client, "metrics", token, metrics_batch([sample(now), sample(now + timedelta(hours=2))])
    )
    ancient = await push(
        client, "metrics", token, metrics_batch([sample(now - timedelta(days=30))])
    )

    assert future.json()["error"]["fields"].keys() == {"samples[1].at"}
    assert ancient.json()["error"]["fields"].keys() == {"samples[0].at"}
    assert await _stored(db) == 0


async def test_an_agent_clock_an_hour_behind_is_corrected(client, app, db):
    admin = await sign_up(client)
    host, token = await _host(client, admin)
    agent_now = datetime.now(UTC) - timedelta(hours=1)

    response = await push(
        client, "metrics", token, metrics_batch([sample(agent_now)], sent_at=agent_now)
    )
    await drain(app)

    assert response.status_code == 202
    state = (await client.get(f"/api/v1/hosts/{host['id']}", headers=admin.headers)).json()
    seen = datetime.fromisoformat(state["last_seen_at"])
    assert abs(seen - datetime.now(UTC)) < timedelta(minutes=1)


async def test_batches_over_the_limits_are_refused(client):
    admin = await sign_up(client)
    _, token = await _host(client, admin)
    bomb = gzip.compress(b" " * (40 * 1024 * 1024))

    too_many = await push(client, "metrics", token, metrics_batch(recent_samples(501, every_s=1)))
    too_big = await push(client, "metrics", token, bomb, gzipped=False)
    too_big_inflated = await client.post(
        "/api/v1/ingest/metrics",
        content=bomb,
        headers={"Authorization": f"Bearer {token}", "Content-Encoding": "gzip"},
    )

    assert too_many.status_code == 422 and "samples" in too_many.json()["error"]["fields"]
    assert too_big.status_code == 400
    assert too_big_inflated.status_code == 413


async def test_only_agent_keys_may_push(client):
    admin = await sign_up(client)
    automation = await api_key(client, admin, "automation", "admin")
    batch = metrics_batch(recent_samples(1))

    as_person = await push(client, "metrics", admin.access_token, batch)
    as_automation = await push(client, "metrics", automation, batch)
    as_nobody = await push(client, "metrics", "wd_not-a-key", batch)

    assert (as_person.status_code, as_automation.status_code, as_nobody.status_code) == (
        403,
        403,
        401,
    )


async def test_a_rotated_or_deleted_host_token_stops_working(client, app):
    admin = await sign_up(client)
    host, token = await _host(client, admin)
    other, other_token = await _host(client, admin, name="db-1")

    rotated = await client.post(f"/api/v1/hosts/{host['id']}/token", headers=admin.headers)
    await client.delete(f"/api/v1/hosts/{other['id']}", headers=admin.headers)

    assert (
        await push(client, "metrics", token, metrics_batch(recent_samples(1)))
    ).status_code == 401
    assert (
        await push(client, "metrics", other_token, metrics_batch(recent_samples(1)))
    ).status_code == 401
    fresh = rotated.json()["token"]
    assert (
        await push(client, "metrics", fresh, metrics_batch(recent_samples(1)))
    ).status_code == 202


async def test_a_team_agent_key_registers_hosts_by_name_in_its_own_team(client, app):
    team_a = await sign_up(client)
    team_b = await sign_up(client)
    a_host, _ = await _host(client, team_a, name="web-1")
    b_key = await api_key(client, team_b, "agent")

    await push(client, "metrics", b_key, metrics_batch(recent_samples(1), hostname="web-1"))
    await drain(app)

    a_state = (await client.get(f"/api/v1/hosts/{a_host['id']}", headers=team_a.headers)).json()
    assert a_state["status"] == "pending"
    [b_host] = (await client.get("/api/v1/hosts", headers=team_b.headers)).json()
    assert (b_host["name"], b_host["status"]) == ("web-1", "online")


async def test_services_push_request_and_error_counts(client, app):
    admin = await sign_up(client)
    other = await sign_up(client)
    service = (
        await client.post(
            "/api/v1/services", json={"name": "api", "kind": "push"}, headers=admin.headers
        )
    ).json()["service"]
    foreign = (
        await client.post(
            "/api/v1/services", json={"name": "x", "kind": "push"}, headers=other.headers
        )
    ).json()["service"]
    key = await api_key(client, admin, "agent")
    now = datetime.now(UTC)
    rows = [
        {
            "service_id": service["id"],
            "at": (now - timedelta(seconds=30 - i)).isoformat(),
            "requests": 100,
            "errors": i,
        }
        for i in range(5)
    ]
    batch = {"batch_id": "svc-batch-0001", "sent_at": now.isoformat(), "samples": rows}

    accepted = await push(client, "service-metrics", key, batch)
    refused = await push(
        client,
        "service-metrics",
        key,
        batch
        | {"batch_id": "svc-batch-0002", "samples": [rows[0] | {"service_id": foreign["id"]}]},
    )
    await drain(app)
    traffic = (
        await client.get(
            f"/api/v1/services/{service['id']}/traffic?range=1h", headers=admin.headers
        )
    ).json()

    assert accepted.status_code == 202
    assert refused.json()["error"]["fields"].keys() == {"samples[0].service_id"}
    assert sum(traffic["requests"]) == 500 and sum(traffic["errors"]) == 10
