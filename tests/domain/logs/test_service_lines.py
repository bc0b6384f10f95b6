"""Lines about a service: found by their service, refused for a service of another team, and
sent to live tails with their service."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime, timedelta

from watchdeck.platform import keys
from watchdeck.platform.events import decode

from tests.support.accounts import sign_up
from tests.support.agents import iso, push
from tests.support.jobs import drain
from tests.support.services import create_service


def _batch(lines: list[tuple[str, str | None]]) -> dict:
    """A batch of (message, service id or None) lines, a second apart, oldest first."""
    now = datetime.now(UTC)
    return {
        "batch_id": uuid.uuid4().hex,
        "sent_at": iso(now),
        "lines": [
            {"at": iso(now - timedelta(seconds=len(lines) - i)), "message": message}
            | ({"service_id": service_id} if service_id else {})
            for i, (message, service_id) in enumerate(lines)
        ],
    }


async def _host_token(client, admin) -> str:
    created = await client.post("/api/v1/hosts", json={"name": "app-1"}, headers=admin.headers)
    assert created.status_code == 201, created.text
    return created.json()["token"]


async def _messages(client, admin, **params) -> list[str]:
    response = await client.get("/api/v1/logs", params=params, headers=admin.headers)
    assert response.status_code == 200, response.text
    return [line["message"] for line in response.json()["items"]]


async def test_lines_about_a_service_are_found_by_that_service(client, app):
    admin = await sign_up(client)
    payments = await create_service(client, admin, name="payments", kind="push")
    auth = await create_service(client, admin, name="auth", kind="push")
    token = await _host_token(client, admin)
    lines = [
        ("charge declined", payments["id"]),
        ("token refreshed", auth["id"]),
        ("cron ran", None),
        ("refund issued", payments["id"]),
    ]

    response = await push(client, "logs", token, _batch(lines))
    assert response.status_code == 202, response.text
    await drain(app)

    assert await _messages(client, admin, service_id=payments["id"]) == [
        "refund issued",
        "charge declined",
    ]
    assert await _messages(client, admin, service_id=auth["id"]) == ["token refreshed"]
    stored = (await client.get("/api/v1/logs", headers=admin.headers)).json()["items"]
    assert {line["message"]: line["service_id"] for line in stored}["cron ran"] is None


async def test_a_line_naming_another_teams_service_refuses_the_whole_batch(client, app):
    admin = await sign_up(client)
    mine = await create_service(client, admin, name="payments", kind="push")
    other = await sign_up(client, team_name="Elsewhere")
    theirs = await create_service(client, other, name="theirs", kind="push")
    token = await _host_token(client, admin)

    response = await push(
        client,
        "logs",
        token,
        _batch([("fine", mine["id"]), ("not yours", theirs["id"]), ("nowhere", str(uuid.uuid4()))]),
    )
    await drain(app)

    assert response.status_code == 422
    assert set(response.json()["error"]["fields"]) == {"lines[1].service_id"}
    assert await _messages(client, admin) == []


async def test_live_lines_carry_their_service(client, app):
    admin = await sign_up(client)
    payments = await create_service(client, admin, name="payments", kind="push")
    token = await _host_token(client, admin)
    pubsub = app.state.redis.pubsub()
    await pubsub.subscribe(keys.EVENTS_CHANNEL)
    # The confirmation means Redis has the subscription: nothing published after it is missed.
    confirmation = await pubsub.get_message(timeout=5)
    assert confirmation is not None and confirmation["type"] == "subscribe"
    try:
        response = await push(
            client, "logs", token, _batch([("charge declined", payments["id"]), ("cron ran", None)])
        )
        assert response.status_code == 202, response.text
        await drain(app)

        deadline = time.monotonic() + 5
        live = None
        while live is None and (left := deadline - time.monotonic()) > 0:
            message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=left)
            if message is not None and (event := decode(message["data"])).kind == "logs":
                live = event.data
    finally:
        await pubsub.aclose()

    assert live is not None, "no logs event within 5 s"
    assert [(line["message"], line["service_id"]) for line in live] == [
        ("charge declined", payments["id"]),
        ("cron ran", None),
    ]
