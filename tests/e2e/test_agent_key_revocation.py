"""Agent pushes are authenticated from each api's memory; revoking a key still ends them
everywhere within a second: here the key is revoked through one api and refused by another."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import httpx

from tests.support.accounts import sign_up
from tests.support.agents import metrics_batch, push, sample
from tests.support.waiting import eventually


async def _host(client, admin, name: str) -> tuple[str, str]:
    created = await client.post(
        "/api/v1/hosts", json={"name": name, "interval_s": 10}, headers=admin.headers
    )
    assert created.status_code == 201, created.text
    return created.json()["host"]["id"], created.json()["token"]


async def _refused_within_a_second(live: httpx.AsyncClient, token: str) -> float:
    revoked_at = time.monotonic()

    async def refused():
        answer = await push(live, "metrics", token, metrics_batch([sample(datetime.now(UTC))]))
        assert answer.status_code in (202, 401), answer.text
        return answer.status_code == 401

    await eventually(refused, "the other api to refuse the revoked key", timeout=1.0)
    return time.monotonic() - revoked_at


async def test_a_rotated_or_deleted_hosts_old_token_stops_on_every_api(client, live_server):
    admin = await sign_up(client)
    rotated_id, rotated = await _host(client, admin, "rotated")
    _, deleted = await _host(client, admin, "deleted")
    async with httpx.AsyncClient(base_url=live_server, timeout=10) as live:
        for token in (rotated, deleted):  # the other api now holds both keys in memory
            answer = await push(live, "metrics", token, metrics_batch([sample(datetime.now(UTC))]))
            assert answer.status_code == 202, answer.text

        new = await client.post(f"/api/v1/hosts/{rotated_id}/token", headers=admin.headers)
        assert new.status_code == 200, new.text
        await _refused_within_a_second(live, rotated)
        fresh = await push(
            live, "metrics", new.json()["token"], metrics_batch([sample(datetime.now(UTC))])
        )
        assert fresh.status_code == 202, fresh.text

        hosts = (await client.get("/api/v1/hosts", headers=admin.headers)).json()
        gone = next(host for host in hosts if host["name"] == "deleted")
        removed = await client.delete(f"/api/v1/hosts/{gone['id']}", headers=admin.headers)
        assert removed.status_code == 204, removed.text
        await _refused_within_a_second(live, deleted)


async def test_a_revoked_team_agent_key_stops_on_every_api(client, live_server):
    admin = await sign_up(client)
    made = await client.post(
        "/api/v1/team/api-keys", json={"name": "fleet", "kind": "agent"}, headers=admin.headers
    )
    assert made.status_code == 201, made.text
    token = made.json()["key"]
    async with httpx.AsyncClient(base_url=live_server, timeout=10) as live:
        answer = await push(live, "metrics", token, metrics_batch([sample(datetime.now(UTC))]))
        assert answer.status_code == 202, answer.text

        keys = (await client.get("/api/v1/team/api-keys", headers=admin.headers)).json()
        fleet = next(key for key in keys if key["name"] == "fleet")
        revoked = await client.delete(f"/api/v1/team/api-keys/{fleet['id']}", headers=admin.headers)
        assert revoked.status_code == 204
        await _refused_within_a_second(live, token)
