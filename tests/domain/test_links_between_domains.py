"""What one domain needs of another, as a team sees it: a new team's default rules, links
to services and hosts checked within the team, and alerts closed once their subject is gone.

Each of these goes from a lower domain to a higher one through a hook (watchdeck.wiring),
so these tests fail if a hook is left unfilled.
"""

from __future__ import annotations

import uuid

from sqlalchemy import delete
from watchdeck.domain.alerts.sweep import sweep_alerts
from watchdeck.domain.services.models import Service

from tests.support.accounts import sign_up
from tests.support.alerts import alerts_of, firing_alert
from tests.support.services import create_service


async def _host(client, account, name: str = "web-1") -> dict:
    response = await client.post(
        "/api/v1/hosts", json={"name": name, "interval_s": 10}, headers=account.headers
    )
    assert response.status_code == 201, response.text
    return response.json()["host"]


async def test_a_team_created_later_starts_with_the_default_rules_too(client):
    admin = await sign_up(client, team_name="One")
    created = await client.post("/api/v1/teams", json={"name": "Two"}, headers=admin.headers)
    assert created.status_code == 201, created.text
    switched = await client.post(
        "/api/v1/auth/switch-team", json={"team_id": created.json()["id"]}, headers=admin.headers
    )
    assert switched.status_code == 200, switched.text
    headers = {"Authorization": f"Bearer {switched.json()['access_token']}"}

    rules = (await client.get("/api/v1/alert-rules", headers=headers)).json()

    assert sorted(r["condition"] for r in rules) == ["host_missing", "service_down"]


async def test_links_to_another_teams_service_or_host_are_refused_naming_the_field(client):
    mine, theirs = await sign_up(client), await sign_up(client)
    their_service = await create_service(client, theirs, kind="push", name="Their job")
    their_host = await _host(client, theirs)

    attempts = [
        (
            "/api/v1/incidents",
            {"title": "x", "severity": "high", "service_id": their_service["id"]},
            "service_id",
        ),
        (
            "/api/v1/incidents",
            {"title": "x", "severity": "high", "host_id": their_host["id"]},
            "host_id",
        ),
        (
            "/api/v1/alert-rules",
            {"name": "x", "condition": "host_missing", "target_id": their_host["id"]},
            "target_id",
        ),
        (
            "/api/v1/services",
            {"name": "x", "kind": "push", "host_id": their_host["id"]},
            "host_id",
        ),
    ]
    for path, body, field in attempts:
        response = await client.post(path, json=body, headers=mine.headers)
        assert response.status_code == 422, (path, response.text)
        assert response.json()["error"]["fields"].get(field, "").startswith("no such"), (
            path,
            response.text,
        )

    my_host = await _host(client, mine)
    linked = await client.post(
        "/api/v1/incidents",
        json={"title": "disk full", "severity": "low", "host_id": my_host["id"]},
        headers=mine.headers,
    )
    assert linked.status_code == 201, linked.text
    assert linked.json()["host_id"] == my_host["id"]


async def test_an_alert_whose_service_vanished_is_closed_by_the_next_sweep(client, app, db):
    admin = await sign_up(client)
    kept = await create_service(client, admin, kind="push", name="Kept")
    gone = await create_service(client, admin, kind="push", name="Gone")
    rules = (await client.get("/api/v1/alert-rules", headers=admin.headers)).json()
    down = next(r for r in rules if r["condition"] == "service_down")
    await firing_alert(db, admin.team_id, down["id"], kept)
    await firing_alert(db, admin.team_id, down["id"], gone)
    async with db() as session:  # as if removed by a process that died before closing alerts
        await session.execute(delete(Service).where(Service.id == uuid.UUID(gone["id"])))
        await session.commit()

    state = app.state
    await sweep_alerts(
        {"session_factory": state.session_factory, "redis": state.arq, "settings": state.settings}
    )

    firing = await alerts_of(client, admin, status="firing")
    assert [a["subject_name"] for a in firing] == ["Kept"]
    resolved = await alerts_of(client, admin, status="resolved")
    assert [a["subject_name"] for a in resolved] == ["Gone"]
