"""Checks run by agents, through the API as agents call it: where a service runs from, what
each agent is assigned, the results it sends, each location's status and the quorum."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from watchdeck.domain.services.scheduler import Schedule

from tests.support.accounts import sign_up
from tests.support.agents import answered, iso, metrics_batch, push, recent_samples
from tests.support.jobs import drain
from tests.support.services import allow_private_targets, create_service, service_state


async def _host(client, admin, name: str, **labels: str) -> tuple[str, str]:
    created = await client.post(
        "/api/v1/hosts", json={"name": name, "labels": labels}, headers=admin.headers
    )
    assert created.status_code == 201, created.text
    return created.json()["host"]["id"], created.json()["token"]


async def _assigned(client, token: str) -> dict:
    response = await client.get(
        "/api/v1/agent/assignments", headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 200, response.text
    return response.json()


async def _version(client, token: str) -> int:
    response = await push(client, "metrics", token, metrics_batch(recent_samples(1)))
    assert response.status_code == 202, response.text
    return response.json()["assignments"]


def _result(service_id: str, at: datetime, ok: bool, **extra) -> dict:
    failed = {"error_class": "connect", "error": "connection failed: connection refused"}
    return {
        "service_id": service_id,
        "at": iso(at),
        "ok": ok,
        "latency_ms": 3.5 if ok else None,
        **({} if ok else failed),
        **extra,
    }


def _batch(*results: dict, batch_id: str | None = None) -> dict:
    return {
        "batch_id": batch_id or uuid.uuid4().hex,
        "sent_at": iso(datetime.now(UTC)),
        "agent": {"version": "0.1.0", "hostname": "probe"},
        "results": list(results),
    }


async def _send(client, app, token: str, *results: dict, batch_id: str | None = None):
    response = await push(client, "checks", token, _batch(*results, batch_id=batch_id))
    assert response.status_code == 202, response.text
    await drain(app)
    return response


async def _locations(client, admin, service_id: str) -> dict[str, dict]:
    response = await client.get(f"/api/v1/services/{service_id}/locations", headers=admin.headers)
    assert response.status_code == 200, response.text
    return {loc["host_name"]: loc for loc in response.json()}


async def _incidents(client, admin) -> list[dict]:
    return (await client.get("/api/v1/incidents", headers=admin.headers)).json()["items"]


# ── where it runs from ────────────────────────────────────────────────────────────────────


async def test_run_from_fields_are_checked_and_each_refusal_names_its_field(client):
    admin = await sign_up(client)
    host_id, _ = await _host(client, admin, "eu-1", region="eu")
    base = {"name": "db", "kind": "tcp", "host": "db.internal", "port": 5432, "interval_s": 30}
    cases = [
        ({"run_from": "host"}, "run_host_id"),
        ({"run_from": "host", "run_host_id": str(uuid.uuid4())}, "run_host_id"),
        ({"run_from": "labels"}, "run_labels"),
        ({"run_from": "labels", "run_labels": {"region": "eu"}, "run_host_id": host_id},
         "run_host_id"),
        ({"run_from": "host", "run_host_id": host_id, "run_labels": {"a": "b"}}, "run_labels"),
        ({"quorum": 2}, "quorum"),
        ({"run_labels": {"region": "eu"}}, "run_labels"),
        ({"run_from": "host", "run_host_id": host_id, "host": "169.254.169.254"}, "host"),
    ]  # fmt: skip
    for fields, field in cases:
        response = await client.post("/api/v1/services", json=base | fields, headers=admin.headers)
        assert response.status_code == 422, (fields, response.text)
        assert field in response.text, (fields, response.text)
    push_monitor = {"name": "cron", "kind": "push", "run_from": "host", "run_host_id": host_id}
    json_check = {
        "name": "api", "url": "http://api.internal/health", "json_path": "$.ok",
        "run_from": "host", "run_host_id": host_id,
    }  # fmt: skip
    for body, field in ((push_monitor, "run_from"), (json_check, "json_path")):
        response = await client.post("/api/v1/services", json=body, headers=admin.headers)
        assert response.status_code == 422 and field in response.text, response.text
    listed = (await client.get("/api/v1/services", headers=admin.headers)).json()
    assert listed == []


async def test_an_agent_run_check_may_name_a_private_host_the_server_cannot_resolve(client, app):
    admin = await sign_up(client)
    host_id, _ = await _host(client, admin, "dc-1")
    fields = {"kind": "tcp", "host": "postgres.corp.invalid", "port": 5432}

    by_server = await client.post(
        "/api/v1/services", json={"name": "pg", **fields}, headers=admin.headers
    )
    by_agent = await create_service(
        client, admin, name="pg", run_from="host", run_host_id=host_id, **fields
    )

    assert by_server.status_code == 422 and "host" in by_server.text
    assert by_agent["run_from"] == "host" and by_agent["run_host_id"] == host_id
    # The workers leave it alone: its agent checks it.
    assert await Schedule(app.state.redis).due_of(uuid.UUID(by_agent["id"])) is None
    now = await client.post(f"/api/v1/services/{by_agent['id']}/check-now", headers=admin.headers)
    assert now.status_code == 422 and "run_from" in now.text


# ── what each agent runs ──────────────────────────────────────────────────────────────────


async def test_each_agent_is_assigned_its_host_s_checks_and_those_its_labels_match(client):
    admin = await sign_up(client)
    eu_id, eu_token = await _host(client, admin, "eu-1", region="eu", tier="edge")
    _, us_token = await _host(client, admin, "us-1", region="us")
    pinned = await create_service(
        client, admin, name="redis on eu-1", kind="tcp", host="10.0.0.5", port=6379,
        run_from="host", run_host_id=eu_id, interval_s=20,
    )  # fmt: skip
    regional = await create_service(
        client, admin, name="eu api", url="http://api.eu.internal/health",
        headers={"Authorization": "Bearer s3cret"}, run_from="labels",
        run_labels={"region": "eu"}, quorum=1,
    )  # fmt: skip
    await allow_private_targets(client, admin)
    await create_service(client, admin, name="by the server", url="http://127.0.0.1:9/")

    eu = await _assigned(client, eu_token)
    us = await _assigned(client, us_token)

    assert sorted(c["service_id"] for c in eu["checks"]) == sorted([pinned["id"], regional["id"]])
    by_id = {c["service_id"]: c for c in eu["checks"]}
    pinned_check = by_id[pinned["id"]]
    assert (pinned_check["kind"], pinned_check["host"], pinned_check["port"]) == (
        "tcp", "10.0.0.5", 6379,
    )  # fmt: skip
    assert by_id[pinned["id"]]["interval_s"] == 20
    # The agent needs the real header to make the request; the dashboard only sees it masked.
    assert by_id[regional["id"]]["headers"] == {"Authorization": "Bearer s3cret"}
    assert by_id[regional["id"]]["expected_statuses"] == [[200, 299]]
    assert us["checks"] == []
    assert eu["version"] == us["version"]


async def test_the_version_in_metrics_answers_moves_when_an_agent_s_checks_change(client):
    admin = await sign_up(client)
    eu_id, eu_token = await _host(client, admin, "eu-1", region="eu")
    us_id, us_token = await _host(client, admin, "us-1", region="us")
    first = await _version(client, eu_token)

    assert await _version(client, eu_token) == first  # nothing changed
    service = await create_service(
        client, admin, name="eu api", url="http://api.eu.internal/", run_from="labels",
        run_labels={"region": "eu"},
    )  # fmt: skip
    after_create = await _version(client, us_token)
    relabelled = await client.patch(
        f"/api/v1/hosts/{us_id}", json={"labels": {"region": "eu"}}, headers=admin.headers
    )
    after_relabel = await _version(client, us_token)
    us_now = await _assigned(client, us_token)
    paused = await client.patch(
        f"/api/v1/services/{service['id']}", json={"enabled": False}, headers=admin.headers
    )
    after_pause = await _version(client, eu_token)

    assert after_create > first
    assert relabelled.status_code == 200 and after_relabel > after_create
    assert [c["service_id"] for c in us_now["checks"]] == [service["id"]]
    assert paused.status_code == 200 and after_pause > after_relabel
    assert (await _assigned(client, eu_token))["checks"] == []
    assert eu_id != us_id


# ── results, locations and the quorum ─────────────────────────────────────────────────────


async def test_the_quorum_takes_a_majority_of_locations_to_call_a_service_down(client, app):
    admin = await sign_up(client)
    tokens = {}
    for name in ("eu-1", "eu-2", "eu-3"):
        _, tokens[name] = await _host(client, admin, name, region="eu")
    service = await create_service(
        client, admin, name="billing", kind="tcp", host="billing.internal", port=443,
        run_from="labels", run_labels={"region": "eu"}, interval_s=10, failures_before_down=1,
    )  # fmt: skip
    sid = service["id"]
    t0 = datetime.now(UTC) - timedelta(seconds=5)

    for name in ("eu-1", "eu-2"):
        await _send(client, app, tokens[name], _result(sid, t0, True))
    await _send(client, app, tokens["eu-3"], _result(sid, t0, False))
    one_bad_path = await service_state(client, admin, sid)
    locations = await _locations(client, admin, sid)

    t1 = t0 + timedelta(seconds=2)
    await _send(client, app, tokens["eu-2"], _result(sid, t1, False))
    two_of_three = await service_state(client, admin, sid)
    opened = await _incidents(client, admin)

    t2 = t1 + timedelta(seconds=2)
    await _send(client, app, tokens["eu-2"], _result(sid, t2, True))
    recovered = await service_state(client, admin, sid)

    assert one_bad_path["status"] == "up"
    assert "down from 1 of 3 locations" in one_bad_path["last_error"]
    assert {n: loc["status"] for n, loc in locations.items()} == {
        "eu-1": "up", "eu-2": "up", "eu-3": "down",
    }  # fmt: skip
    assert all(loc["counted"] for loc in locations.values())
    assert locations["eu-1"]["uptime_24h"] == 1.0 and locations["eu-3"]["uptime_24h"] == 0.0
    assert locations["eu-1"]["last_latency_ms"] == 3.5
    assert two_of_three["status"] == "down"
    assert two_of_three["last_error"].startswith("down from 2 of 3 locations")
    assert [i["title"] for i in opened] == ["billing is down"]
    assert recovered["status"] == "up"
    assert (await _incidents(client, admin))[0]["status"] == "resolved"


async def test_a_single_location_decides_alone_and_an_explicit_quorum_is_kept(client, app):
    admin = await sign_up(client)
    host_id, token = await _host(client, admin, "dc-1", site="dc")
    _, other = await _host(client, admin, "dc-2", site="dc")
    alone = await create_service(
        client, admin, name="nas", kind="ping", host="192.168.1.20", run_from="host",
        run_host_id=host_id, interval_s=10, failures_before_down=1,
    )  # fmt: skip
    strict = await create_service(
        client, admin, name="vpn", kind="tcp", host="10.8.0.1", port=1194, run_from="labels",
        run_labels={"site": "dc"}, quorum=1, interval_s=10, failures_before_down=1,
    )  # fmt: skip
    at = datetime.now(UTC) - timedelta(seconds=1)

    await _send(client, app, other, _result(strict["id"], at, True))
    await _send(
        client, app, token, _result(alone["id"], at, False), _result(strict["id"], at, False)
    )

    assert (await service_state(client, admin, alone["id"]))["status"] == "down"
    assert (await service_state(client, admin, strict["id"]))["status"] == "down"


async def test_late_results_are_kept_for_the_record_but_move_no_status(client, app):
    admin = await sign_up(client)
    host_id, token = await _host(client, admin, "branch-office")
    service = await create_service(
        client, admin, name="printer", kind="tcp", host="10.1.1.9", port=9100,
        run_from="host", run_host_id=host_id, interval_s=10, failures_before_down=1,
    )  # fmt: skip
    sid = service["id"]
    now = datetime.now(UTC)
    await _send(client, app, token, _result(sid, now - timedelta(seconds=1), True))

    # An agent back from an hour offline sends what it checked meanwhile: a failure, then
    # the recovery. Neither flips the status now.
    old = now - timedelta(hours=1)
    await _send(client, app, token, _result(sid, old, False),
                _result(sid, old + timedelta(seconds=10), True))  # fmt: skip
    state = await service_state(client, admin, sid)
    history = (await client.get(f"/api/v1/services/{sid}/checks", headers=admin.headers)).json()[
        "items"
    ]

    assert state["status"] == "up" and state["status_changed_at"] <= iso(now)
    assert await _incidents(client, admin) == []
    assert [(c["ok"], c["late"]) for c in history] == [(True, False), (True, True), (False, True)]
    assert {c["host_id"] for c in history} == {host_id}


async def test_a_resent_batch_is_stored_once_and_results_for_others_are_refused(client, app):
    admin = await sign_up(client)
    host_id, token = await _host(client, admin, "dc-1")
    _, other_token = await _host(client, admin, "dc-2")
    service = await create_service(
        client, admin, name="ldap", kind="tcp", host="10.0.0.2", port=389,
        run_from="host", run_host_id=host_id, interval_s=10,
    )  # fmt: skip
    stranger = await sign_up(client, team_name="Elsewhere")
    await allow_private_targets(client, stranger)
    theirs = await create_service(client, stranger, name="theirs", url="http://127.0.0.1:9/")
    at = datetime.now(UTC) - timedelta(seconds=1)
    batch_id = uuid.uuid4().hex

    first = await _send(client, app, token, _result(service["id"], at, True), batch_id=batch_id)
    again = await _send(client, app, token, _result(service["id"], at, True), batch_id=batch_id)
    not_assigned = await _send(client, app, other_token, _result(service["id"], at, True))
    foreign = await push(client, "checks", token, _batch(_result(theirs["id"], at, True)))
    history = (
        await client.get(f"/api/v1/services/{service['id']}/checks", headers=admin.headers)
    ).json()["items"]

    assert answered(first) == (1, False)
    assert answered(again) == (0, True)
    assert answered(not_assigned) == (0, False)
    assert foreign.status_code == 422 and "results[0].service_id" in foreign.text
    assert len(history) == 1
    assert list(await _locations(client, admin, service["id"])) == ["dc-1"]


def test_the_first_location_to_fail_does_not_take_a_service_of_several_down_alone():
    from watchdeck.domain.services.models import ServiceStatus as S
    from watchdeck.domain.services.status import quorum

    # Two agents will vote; only the failing one has reported so far.
    assert quorum([S.down], None, waiting=1) is S.pending
    assert quorum([S.down], 1, waiting=1) is S.down  # a quorum of one is met at once
    assert quorum([S.down, S.up], None) is S.up
    assert quorum([S.down, S.down], None, waiting=1) is S.down
    assert quorum([S.down], None) is S.down  # one of one
