"""Factories and helpers for services, through the API, and one real check end to end."""

from __future__ import annotations

import uuid

from httpx import AsyncClient
from litestar import Litestar
from watchdeck.domain.accounts.teams import allows_private_targets
from watchdeck.domain.services.checks import spec_for
from watchdeck.domain.services.models import Service
from watchdeck.domain.services.probe import Prober
from watchdeck.domain.services.results import Outcome, record

from tests.support.accounts import Account


async def allow_private_targets(client: AsyncClient, admin: Account) -> None:
    """Local test targets live on 127.0.0.1, a private address."""
    response = await client.patch(
        "/api/v1/team", json={"allow_private_targets": True}, headers=admin.headers
    )
    assert response.status_code == 200, response.text


async def create_service(client: AsyncClient, account: Account, **fields) -> dict:
    body = {"name": "Checkout API", "interval_s": 60} | fields
    response = await client.post("/api/v1/services", json=body, headers=account.headers)
    assert response.status_code == 201, response.text
    return response.json()["service"]


async def check_once(app: Litestar, service_id: str | uuid.UUID, prober: Prober) -> None:
    """Probe the service for real and store the result, as a worker would."""
    async with app.state.session_factory() as session:
        service = await session.get(Service, uuid.UUID(str(service_id)))
        assert service is not None
        allow_private = await allows_private_targets(session, service.team_id)
    result = await prober.run(spec_for(service, allow_private=allow_private))
    await record(app.state.session_factory, app.state.redis, [Outcome(result)], app.state.settings)


async def service_state(client: AsyncClient, account: Account, service_id: str) -> dict:
    response = await client.get(f"/api/v1/services/{service_id}", headers=account.headers)
    assert response.status_code == 200, response.text
    return response.json()
