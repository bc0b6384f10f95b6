"""Resolving is for admins, through its own route; so is reopening."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import update
from watchdeck.domain.incidents.models import Incident

from tests.domain.incidents.factories import detail, open_incident, url


async def _opened_hours_ago(db, incident_id: str, hours: int) -> None:
    async with db() as session:
        await session.execute(
            update(Incident)
            .where(Incident.id == uuid.UUID(incident_id))
            .values(opened_at=datetime.now(UTC) - timedelta(hours=hours))
        )
        await session.commit()


async def test_a_developer_cannot_resolve_but_an_admin_can_and_the_duration_is_recorded(
    client, db, team
):
    incident = await open_incident(client, team.developer)
    await _opened_hours_ago(db, incident["id"], 2)

    by_developer = await client.post(
        url(incident["id"], "resolve"), json={}, headers=team.developer.headers
    )
    by_admin = await client.post(
        url(incident["id"], "resolve"),
        json={"note": "Rolled back the **deploy**"},
        headers=team.admin.headers,
    )

    assert by_developer.status_code == 403
    assert by_admin.status_code == 200, by_admin.text
    resolved = by_admin.json()
    assert resolved["status"] == "resolved"
    assert resolved["resolved_at"] is not None
    assert 7200 <= resolved["duration_s"] < 7300
    entry = resolved["timeline"][-1]
    assert (entry["kind"], entry["actor"]) == ("resolved", team.admin.email)
    assert entry["data"]["from"] == "open"
    assert entry["data"]["note"] == "Rolled back the **deploy**"
    assert 7200 <= entry["data"]["duration_s"] < 7300


async def test_resolving_needs_no_body(client, team):
    incident = await open_incident(client, team.admin)

    response = await client.post(url(incident["id"], "resolve"), headers=team.admin.headers)

    assert response.status_code == 200, response.text
    assert "note" not in response.json()["timeline"][-1]["data"]


async def test_patch_refuses_to_resolve_and_names_the_route(client, team):
    incident = await open_incident(client, team.admin)

    response = await client.patch(
        url(incident["id"]), json={"status": "resolved"}, headers=team.admin.headers
    )

    assert response.status_code == 422
    assert "/resolve" in response.json()["error"]["fields"]["status"]
    assert (await detail(client, team.admin, incident["id"]))["status"] == "open"


async def test_resolving_a_resolved_incident_is_a_conflict(client, team):
    incident = await open_incident(client, team.admin)
    await client.post(url(incident["id"], "resolve"), json={}, headers=team.admin.headers)

    again = await client.post(url(incident["id"], "resolve"), json={}, headers=team.admin.headers)

    assert again.status_code == 409
    kinds = [e["kind"] for e in (await detail(client, team.admin, incident["id"]))["timeline"]]
    assert kinds == ["opened", "resolved"]


async def test_an_admin_reopens_and_the_first_acknowledgement_is_kept(client, team):
    incident = await open_incident(client, team.admin)
    acknowledged = await client.patch(
        url(incident["id"]), json={"status": "investigating"}, headers=team.developer.headers
    )
    await client.post(url(incident["id"], "resolve"), json={}, headers=team.admin.headers)

    by_developer = await client.post(
        url(incident["id"], "reopen"), json={}, headers=team.developer.headers
    )
    by_patch = await client.patch(
        url(incident["id"]), json={"status": "open"}, headers=team.admin.headers
    )
    reopened = await client.post(
        url(incident["id"], "reopen"), json={"note": "Back again"}, headers=team.admin.headers
    )
    acknowledged_again = await client.patch(
        url(incident["id"]), json={"status": "investigating"}, headers=team.developer.headers
    )

    assert by_developer.status_code == 403
    assert by_patch.status_code == 422
    assert "/reopen" in by_patch.json()["error"]["fields"]["status"]
    assert reopened.status_code == 200, reopened.text
    assert reopened.json()["status"] == "open"
    assert reopened.json()["resolved_at"] is None
    assert reopened.json()["timeline"][-1]["kind"] == "reopened"
    assert reopened.json()["timeline"][-1]["data"]["note"] == "Back again"
    first = acknowledged.json()["acknowledged_at"]
    assert acknowledged_again.json()["acknowledged_at"] == first


async def test_reopening_an_open_incident_is_a_conflict(client, team):
    incident = await open_incident(client, team.admin)

    response = await client.post(url(incident["id"], "reopen"), json={}, headers=team.admin.headers)

    assert response.status_code == 409


async def test_acknowledging_a_resolved_incident_is_a_conflict(client, team):
    incident = await open_incident(client, team.admin)
    await client.post(url(incident["id"], "resolve"), json={}, headers=team.admin.headers)

    response = await client.patch(
        url(incident["id"]), json={"status": "investigating"}, headers=team.developer.headers
    )

    assert response.status_code == 409
