"""Listing incidents: filters, and cursor pages that neither skip nor repeat."""

from __future__ import annotations

import uuid

from watchdeck.domain.incidents.models import IncidentSource, IncidentStatus
from watchdeck.platform.vocabulary import Severity

from tests.domain.incidents.factories import INCIDENTS, at, insert_incident
from tests.support.services import create_service


async def _ids(client, account, **params) -> list[str]:
    response = await client.get(INCIDENTS, params=params, headers=account.headers)
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["items"]]


async def test_filters_by_status_severity_source_subject_and_time(client, db, team):
    service = await create_service(client, team.admin, kind="push", url=None)
    host = (
        await client.post("/api/v1/hosts", json={"name": "db-1"}, headers=team.admin.headers)
    ).json()["host"]
    team_id = team.admin.team_id
    down = await insert_incident(
        db,
        team_id,
        at("2026-03-01T10:00:00"),
        source=IncidentSource.service_status,
        severity=Severity.critical,
        service_id=uuid.UUID(service["id"]),
    )
    missing = await insert_incident(
        db,
        team_id,
        at("2026-03-02T10:00:00"),
        source=IncidentSource.host_status,
        status=IncidentStatus.investigating,
        host_id=uuid.UUID(host["id"]),
    )
    manual = await insert_incident(
        db,
        team_id,
        at("2026-03-03T10:00:00"),
        severity=Severity.low,
        status=IncidentStatus.resolved,
        resolved_at=at("2026-03-03T11:00:00"),
    )
    ids = {down: str(down), missing: str(missing), manual: str(manual)}
    v = team.viewer

    assert await _ids(client, v) == [ids[manual], ids[missing], ids[down]]
    assert await _ids(client, v, status="open,investigating") == [ids[missing], ids[down]]
    assert await _ids(client, v, severity="critical,low") == [ids[manual], ids[down]]
    assert await _ids(client, v, source="host_status") == [ids[missing]]
    assert await _ids(client, v, source="manual,service_status") == [ids[manual], ids[down]]
    assert await _ids(client, v, service_id=service["id"]) == [ids[down]]
    assert await _ids(client, v, host_id=host["id"]) == [ids[missing]]
    window = {"from": "2026-03-02T00:00:00Z", "to": "2026-03-03T10:00:00Z"}
    assert await _ids(client, v, **window) == [ids[missing]]


async def test_unknown_filter_values_name_the_field(client, team):
    answers = {
        field: await client.get(INCIDENTS, params={field: value}, headers=team.viewer.headers)
        for field, value in (
            ("status", "open,closed"),
            ("severity", "sev1"),
            ("source", "pager"),
            ("from", "2026-03-01T00:00:00"),
            ("before", "yesterday"),
        )
    }

    for field, response in answers.items():
        assert response.status_code == 422, (field, response.text)
        assert field in response.json()["error"]["fields"], (field, response.text)


async def test_cursor_pages_are_stable_when_incidents_share_an_opening_time(client, db, team):
    same_moment = at("2026-03-05T12:00:00")
    inserted = [
        await insert_incident(db, team.admin.team_id, same_moment, title=f"burst {n}")
        for n in range(5)
    ]
    inserted.append(await insert_incident(db, team.admin.team_id, at("2026-03-06T00:00:00")))
    inserted.append(await insert_incident(db, team.admin.team_id, at("2026-03-04T00:00:00")))

    seen: list[str] = []
    pages = 0
    params: dict[str, str | int] = {"limit": 2}
    while True:
        response = await client.get(INCIDENTS, params=params, headers=team.viewer.headers)
        body = response.json()
        seen += [item["id"] for item in body["items"]]
        pages += 1
        if body["next_cursor"] is None:
            break
        params["before"] = body["next_cursor"]

    newest, oldest = str(inserted[5]), str(inserted[6])
    burst = sorted((str(i) for i in inserted[:5]), key=uuid.UUID, reverse=True)
    assert seen == [newest, *burst, oldest]
    assert pages == 4
