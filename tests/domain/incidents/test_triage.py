"""Opening incidents by hand, acknowledging them and editing them, each step on the timeline."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from watchdeck.domain.incidents import lifecycle
from watchdeck.domain.incidents.models import IncidentSource

from tests.domain.incidents.factories import INCIDENTS, detail, open_incident, url
from tests.support.services import create_service


async def test_a_developer_opens_an_incident_by_hand(client, team):
    service = await create_service(client, team.admin, kind="push", url=None)

    incident = await open_incident(
        client,
        team.developer,
        title="  Payments slow  ",
        description="p95 above **2 s** since the deploy",
        severity="critical",
        service_id=service["id"],
        assignee_id=str(team.developer.user_id),
    )

    assert incident["title"] == "Payments slow"
    assert incident["description"] == "p95 above **2 s** since the deploy"
    assert (incident["severity"], incident["status"], incident["source"]) == (
        "critical",
        "open",
        "manual",
    )
    assert incident["service_id"] == service["id"]
    assert incident["assignee_id"] == str(team.developer.user_id)
    [opened] = incident["timeline"]
    assert (opened["kind"], opened["actor"]) == ("opened", team.developer.email)
    listed = (await client.get(INCIDENTS, headers=team.viewer.headers)).json()["items"]
    assert [i["id"] for i in listed] == [incident["id"]]


async def test_a_developer_acknowledges_an_incident(client, team):
    incident = await open_incident(client, team.admin)

    response = await client.patch(
        url(incident["id"]), json={"status": "investigating"}, headers=team.developer.headers
    )

    assert response.status_code == 200, response.text
    acknowledged = response.json()
    assert acknowledged["status"] == "investigating"
    assert acknowledged["acknowledged_at"] is not None
    entry = acknowledged["timeline"][-1]
    assert entry["kind"] == "status"
    assert entry["actor"] == team.developer.email
    assert entry["data"] == {"from": "open", "to": "investigating"}


async def test_each_edit_adds_a_timeline_entry_with_from_and_to(client, team):
    incident = await open_incident(client, team.admin, title="Errors", severity="low")

    response = await client.patch(
        url(incident["id"]),
        json={
            "severity": "high",
            "title": "Errors on checkout",
            "description": "Seen from **EU** only",
            "assignee_id": str(team.developer.user_id),
        },
        headers=team.developer.headers,
    )
    unassigned = await client.patch(
        url(incident["id"]), json={"assignee_id": None}, headers=team.developer.headers
    )

    assert response.status_code == unassigned.status_code == 200, response.text
    timeline = unassigned.json()["timeline"]
    changes = {entry["kind"]: entry["data"] for entry in timeline[1:]}
    assert [entry["kind"] for entry in timeline] == [
        "opened",
        "severity",
        "title",
        "description",
        "assignee",
        "assignee",
    ]
    assert changes["severity"] == {"from": "low", "to": "high"}
    assert changes["title"] == {"from": "Errors", "to": "Errors on checkout"}
    assert timeline[4]["data"] == {"from": None, "to": str(team.developer.user_id)}
    assert timeline[5]["data"] == {"from": str(team.developer.user_id), "to": None}
    assert {entry["actor"] for entry in timeline[1:]} == {team.developer.email}
    assert unassigned.json()["assignee_id"] is None


async def test_an_edit_that_changes_nothing_leaves_no_trace(client, team):
    incident = await open_incident(client, team.admin, severity="high")

    response = await client.patch(
        url(incident["id"]),
        json={"severity": "high", "title": incident["title"]},
        headers=team.developer.headers,
    )

    assert response.status_code == 200
    assert [entry["kind"] for entry in response.json()["timeline"]] == ["opened"]


async def test_service_host_and_assignee_must_belong_to_the_team(client, team, outsider):
    their_service = await create_service(client, outsider, kind="push", url=None)
    their_host = (
        await client.post("/api/v1/hosts", json={"name": "db-1"}, headers=outsider.headers)
    ).json()["host"]
    body = {"title": "Broken", "severity": "low"}

    answers = [
        await client.post(INCIDENTS, json=body | extra, headers=team.developer.headers)
        for extra in (
            {"service_id": their_service["id"]},
            {"host_id": their_host["id"]},
            {"assignee_id": str(outsider.user_id)},
        )
    ]

    assert [a.status_code for a in answers] == [422, 422, 422]
    assert [list(a.json()["error"]["fields"]) for a in answers] == [
        ["service_id"],
        ["host_id"],
        ["assignee_id"],
    ]
    listed = (await client.get(INCIDENTS, headers=team.admin.headers)).json()
    assert listed["items"] == []


async def test_bad_input_names_the_field(client, team):
    incident = await open_incident(client, team.admin)

    blank_title = await client.post(
        INCIDENTS, json={"title": "   ", "severity": "low"}, headers=team.developer.headers
    )
    bad_severity = await client.post(
        INCIDENTS, json={"title": "x", "severity": "apocalyptic"}, headers=team.developer.headers
    )
    stranger = await client.patch(
        url(incident["id"]),
        json={"assignee_id": str(uuid.uuid4())},
        headers=team.developer.headers,
    )

    assert blank_title.status_code == bad_severity.status_code == stranger.status_code == 422
    assert "title" in blank_title.json()["error"]["fields"]
    assert "severity" in bad_severity.json()["error"]["fields"]
    assert "assignee_id" in stranger.json()["error"]["fields"]


async def test_a_refused_edit_writes_nothing(client, team):
    incident = await open_incident(client, team.admin, severity="low")

    response = await client.patch(
        url(incident["id"]),
        json={"severity": "critical", "assignee_id": str(uuid.uuid4())},
        headers=team.developer.headers,
    )

    assert response.status_code == 422
    after = await detail(client, team.admin, incident["id"])
    assert after["severity"] == "low"
    assert [entry["kind"] for entry in after["timeline"]] == ["opened"]


async def test_going_back_from_investigating_to_open_is_a_conflict(client, team):
    incident = await open_incident(client, team.admin)
    await client.patch(
        url(incident["id"]), json={"status": "investigating"}, headers=team.developer.headers
    )

    response = await client.patch(
        url(incident["id"]), json={"status": "open"}, headers=team.developer.headers
    )

    assert response.status_code == 409
    assert (await detail(client, team.admin, incident["id"]))["status"] == "investigating"


async def test_a_viewer_reads_incidents_but_cannot_open_or_edit_them(client, team):
    incident = await open_incident(client, team.admin)

    read = await client.get(url(incident["id"]), headers=team.viewer.headers)
    opened = await client.post(
        INCIDENTS, json={"title": "x", "severity": "low"}, headers=team.viewer.headers
    )
    edited = await client.patch(
        url(incident["id"]), json={"status": "investigating"}, headers=team.viewer.headers
    )

    assert (read.status_code, opened.status_code, edited.status_code) == (200, 403, 403)


async def test_an_incident_opened_by_a_failing_service_is_acknowledged_then_recovers(
    client, app, team
):
    service = await create_service(client, team.admin, kind="push", url=None)
    async with app.state.session_factory() as session:
        opened, _ = await lifecycle.open_for(
            session,
            team.admin.team_id,
            IncidentSource.service_status,
            "Nightly backup is down",
            "no ping",
            datetime.now(UTC),
            service_id=uuid.UUID(service["id"]),
        )
        await session.commit()

    acknowledged = await client.patch(
        url(opened.id), json={"status": "investigating"}, headers=team.developer.headers
    )
    async with app.state.session_factory() as session:
        await lifecycle.resolve_for(
            session,
            IncidentSource.service_status,
            datetime.now(UTC),
            service_id=uuid.UUID(service["id"]),
        )
        await session.commit()

    assert acknowledged.status_code == 200
    after = await detail(client, team.viewer, str(opened.id))
    assert after["status"] == "resolved"
    assert [entry["kind"] for entry in after["timeline"]] == ["opened", "status", "resolved"]
    assert after["timeline"][-1]["data"]["from"] == "investigating"
