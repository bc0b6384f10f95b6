"""Counting alerts: the exact number, however many there are, not one page of them."""

from __future__ import annotations

import uuid
from datetime import timedelta

from watchdeck.domain.alerts.models import Alert, AlertStatus, Condition
from watchdeck.platform.clock import utcnow
from watchdeck.platform.vocabulary import Severity, TargetKind

from tests.support.accounts import add_member, sign_up
from tests.support.services import create_service


async def _alerts(db, team_id: uuid.UUID, rule_id: str, service: dict, status, how_many: int):
    """`how_many` alerts of a rule about a service, as the evaluator would have stored them."""
    now = utcnow()
    async with db() as session:
        for i in range(how_many):
            started = now - timedelta(minutes=i + 1)
            session.add(
                Alert(
                    id=uuid.uuid4(),
                    team_id=team_id,
                    rule_id=uuid.UUID(rule_id),
                    rule_name="Service down",
                    condition=Condition.service_down,
                    subject_kind=TargetKind.service,
                    subject_id=uuid.UUID(service["id"]),
                    subject_name=service["name"],
                    severity=Severity.high,
                    status=status,
                    summary="down",
                    started_at=started,
                    resolved_at=now if status is AlertStatus.resolved else None,
                )
            )
        await session.commit()


async def _count(client, account, **params) -> int:
    response = await client.get("/api/v1/alerts/count", params=params, headers=account.headers)
    assert response.status_code == 200, response.text
    return response.json()["count"]


async def _rule_named(client, account, name: str) -> dict:
    rules = (await client.get("/api/v1/alert-rules", headers=account.headers)).json()
    return next(rule for rule in rules if rule["name"] == name)


async def test_more_firing_alerts_than_a_page_are_counted_exactly(client, db):
    admin = await sign_up(client)
    service = await create_service(client, admin, name="cron", kind="push")
    rule = await _rule_named(client, admin, "Service down")
    await _alerts(db, admin.team_id, rule["id"], service, AlertStatus.firing, 73)
    await _alerts(db, admin.team_id, rule["id"], service, AlertStatus.resolved, 4)

    page = (
        await client.get("/api/v1/alerts", params={"status": "firing"}, headers=admin.headers)
    ).json()

    assert len(page["items"]) == 50 and page["next_cursor"] is not None
    assert await _count(client, admin, status="firing") == 73
    assert await _count(client, admin, status="resolved") == 4
    assert await _count(client, admin) == 77


async def test_counts_follow_the_rule_and_subject_filters(client, db):
    admin = await sign_up(client)
    cron = await create_service(client, admin, name="cron", kind="push")
    backup = await create_service(client, admin, name="backup", kind="push")
    down = await _rule_named(client, admin, "Service down")
    missing = await _rule_named(client, admin, "Host missing")
    await _alerts(db, admin.team_id, down["id"], cron, AlertStatus.firing, 3)
    await _alerts(db, admin.team_id, down["id"], backup, AlertStatus.firing, 2)

    assert await _count(client, admin, status="firing", subject_id=cron["id"]) == 3
    assert await _count(client, admin, rule_id=down["id"]) == 5
    assert await _count(client, admin, rule_id=missing["id"]) == 0


async def test_a_viewer_counts_only_their_own_teams_alerts(client, db):
    admin = await sign_up(client)
    viewer = await add_member(client, admin, "viewer")
    other = await sign_up(client, team_name="Elsewhere")
    service = await create_service(client, admin, name="cron", kind="push")
    rule = await _rule_named(client, admin, "Service down")
    await _alerts(db, admin.team_id, rule["id"], service, AlertStatus.firing, 2)

    assert await _count(client, viewer, status="firing") == 2
    assert await _count(client, other, status="firing") == 0


async def test_an_unknown_status_is_refused_naming_the_parameter(client):
    admin = await sign_up(client)

    response = await client.get(
        "/api/v1/alerts/count", params={"status": "burning"}, headers=admin.headers
    )

    assert response.status_code == 422
    assert "status" in response.json()["error"]["fields"]
