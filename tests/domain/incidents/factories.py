"""Incidents and comments for the tests: through the API as people make them, or as rows with
the times a test needs."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from httpx import AsyncClient
from watchdeck.domain.incidents.models import Incident, IncidentSource, IncidentStatus
from watchdeck.platform.vocabulary import Severity

from tests.support.accounts import Account

INCIDENTS = "/api/v1/incidents"


def url(incident_id: str | uuid.UUID, *rest: str | uuid.UUID) -> str:
    return "/".join([INCIDENTS, str(incident_id), *(str(part) for part in rest)])


async def open_incident(client: AsyncClient, account: Account, **fields: Any) -> dict:
    body = {"title": "Checkout errors", "severity": "high"} | fields
    response = await client.post(INCIDENTS, json=body, headers=account.headers)
    assert response.status_code == 201, response.text
    return response.json()


async def comment(client: AsyncClient, account: Account, incident_id: str, body: str) -> dict:
    response = await client.post(
        url(incident_id, "comments"), json={"body": body}, headers=account.headers
    )
    assert response.status_code == 201, response.text
    return response.json()


async def detail(client: AsyncClient, account: Account, incident_id: str) -> dict:
    response = await client.get(url(incident_id), headers=account.headers)
    assert response.status_code == 200, response.text
    return response.json()


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


async def insert_incident(
    db,
    team_id: uuid.UUID,
    opened_at: datetime,
    *,
    title: str = "Disk full",
    severity: Severity = Severity.high,
    status: IncidentStatus = IncidentStatus.open,
    source: IncidentSource = IncidentSource.manual,
    acknowledged_at: datetime | None = None,
    resolved_at: datetime | None = None,
    service_id: uuid.UUID | None = None,
    host_id: uuid.UUID | None = None,
    incident_id: uuid.UUID | None = None,
) -> uuid.UUID:
    """An incident row with exactly these times, written straight to the database."""
    incident = Incident(
        id=incident_id or uuid.uuid4(),
        team_id=team_id,
        title=title,
        severity=severity,
        status=status,
        source=source,
        opened_at=opened_at,
        acknowledged_at=acknowledged_at,
        resolved_at=resolved_at,
        service_id=service_id,
        host_id=host_id,
    )
    async with db() as session:
        session.add(incident)
        await session.commit()
    return incident.id
