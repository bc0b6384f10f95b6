"""Factories for alert rules, channels and alerts, and reading what channels received."""

from __future__ import annotations

import uuid

from httpx import AsyncClient
from watchdeck.domain.alerts.models import Alert, AlertStatus, Condition
from watchdeck.platform.clock import utcnow
from watchdeck.platform.vocabulary import Severity, TargetKind

from tests.support.accounts import Account


async def create_rule(client: AsyncClient, account: Account, **fields) -> dict:
    body = {"name": "Checkout down", "condition": "service_down"} | fields
    response = await client.post("/api/v1/alert-rules", json=body, headers=account.headers)
    assert response.status_code == 201, response.text
    return response.json()


async def create_channel(client: AsyncClient, account: Account, kind: str, **fields) -> dict:
    body = {"name": f"{kind} channel", "kind": kind} | fields
    response = await client.post("/api/v1/channels", json=body, headers=account.headers)
    assert response.status_code == 201, response.text
    return response.json()


async def webhook_channel(client: AsyncClient, account: Account, url: str, **secrets) -> dict:
    return await create_channel(client, account, "webhook", secrets={"url": url, **secrets})


async def alerts_of(client: AsyncClient, account: Account, **params) -> list[dict]:
    response = await client.get("/api/v1/alerts", params=params, headers=account.headers)
    assert response.status_code == 200, response.text
    return response.json()["items"]


async def firing_alert(db, team_id: uuid.UUID, rule_id: str, service: dict) -> uuid.UUID:
    """A firing alert row for a service, as the evaluator would have written it."""
    alert = Alert(
        id=uuid.uuid4(),
        team_id=team_id,
        rule_id=uuid.UUID(rule_id),
        rule_name="Service down",
        condition=Condition.service_down,
        subject_kind=TargetKind.service,
        subject_id=uuid.UUID(service["id"]),
        subject_name=service["name"],
        severity=Severity.high,
        status=AlertStatus.firing,
        summary="down",
        started_at=utcnow(),
    )
    async with db() as session:
        session.add(alert)
        await session.commit()
    return alert.id
