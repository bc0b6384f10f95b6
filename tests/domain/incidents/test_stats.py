"""Incident figures over a period: counts, MTTA, MTTR, and the same per ISO week."""

from __future__ import annotations

from watchdeck.domain.incidents.models import IncidentStatus
from watchdeck.platform.vocabulary import Severity

from tests.domain.incidents.factories import INCIDENTS, at, insert_incident

STATS = f"{INCIDENTS}/stats"
PERIOD = {"from": "2026-03-01T00:00:00Z", "to": "2026-03-15T00:00:00Z"}  # a Sunday to a Sunday


async def test_stats_over_incidents_with_known_times(client, db, team, outsider):
    team_id = team.admin.team_id
    # Week of Monday 2 March: acknowledged after 60 s and 180 s, one resolved after 600 s.
    await insert_incident(
        db,
        team_id,
        at("2026-03-02T10:00:00"),
        severity=Severity.high,
        status=IncidentStatus.resolved,
        acknowledged_at=at("2026-03-02T10:01:00"),
        resolved_at=at("2026-03-02T10:10:00"),
    )
    await insert_incident(
        db,
        team_id,
        at("2026-03-04T10:00:00"),
        severity=Severity.critical,
        status=IncidentStatus.investigating,
        acknowledged_at=at("2026-03-04T10:03:00"),
    )
    # Week of Monday 9 March: never acknowledged; one resolved after 1,200 s.
    await insert_incident(
        db,
        team_id,
        at("2026-03-09T00:00:00"),
        severity=Severity.low,
        status=IncidentStatus.resolved,
        resolved_at=at("2026-03-09T00:20:00"),
    )
    await insert_incident(db, team_id, at("2026-03-14T23:59:59"), severity=Severity.medium)
    # Outside the period, and another team's: not counted.
    await insert_incident(db, team_id, at("2026-02-28T23:59:59"))
    await insert_incident(db, team_id, at("2026-03-15T00:00:00"))
    await insert_incident(db, outsider.team_id, at("2026-03-03T00:00:00"))

    response = await client.get(STATS, params=PERIOD, headers=team.viewer.headers)

    assert response.status_code == 200, response.text
    stats = response.json()
    assert stats["total"] == 4
    assert stats["by_severity"] == {"low": 1, "medium": 1, "high": 1, "critical": 1}
    assert stats["by_status"] == {"open": 1, "investigating": 1, "resolved": 2}
    assert stats["mtta_s"] == 120.0
    assert stats["mttr_s"] == 900.0
    assert stats["weeks"] == [
        {"week_start": "2026-02-23", "opened": 0, "resolved": 0, "mtta_s": None, "mttr_s": None},
        {"week_start": "2026-03-02", "opened": 2, "resolved": 1, "mtta_s": 120.0, "mttr_s": 600.0},
        {"week_start": "2026-03-09", "opened": 2, "resolved": 1, "mtta_s": None, "mttr_s": 1200.0},
    ]


async def test_stats_default_to_the_last_90_days_and_are_empty_for_a_new_team(client, team):
    response = await client.get(STATS, headers=team.viewer.headers)

    assert response.status_code == 200, response.text
    stats = response.json()
    assert stats["total"] == 0
    assert (stats["mtta_s"], stats["mttr_s"]) == (None, None)
    assert set(stats["by_status"].values()) == {0}
    assert 13 <= len(stats["weeks"]) <= 14
    assert all(week["opened"] == 0 for week in stats["weeks"])


async def test_stats_refuse_a_period_that_ends_before_it_starts(client, team):
    backwards = {"from": PERIOD["to"], "to": PERIOD["from"]}

    response = await client.get(STATS, params=backwards, headers=team.viewer.headers)
    naive = await client.get(
        STATS, params={"from": "2026-03-01T00:00:00"}, headers=team.viewer.headers
    )

    assert response.status_code == naive.status_code == 422
    assert "to" in response.json()["error"]["fields"]
    assert "from" in naive.json()["error"]["fields"]
