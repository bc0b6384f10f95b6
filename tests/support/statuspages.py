"""Status pages made through the API, as a team would."""

from __future__ import annotations

from httpx import AsyncClient

from tests.support.accounts import Account


async def create_page(client: AsyncClient, account: Account, **fields) -> dict:
    body = {"slug": "acme", "title": "Acme"} | fields
    response = await client.post("/api/v1/status-pages", json=body, headers=account.headers)
    assert response.status_code == 201, response.text
    return response.json()


def component(name: str, services=(), hosts=(), **fields) -> dict:
    return {
        "name": name,
        "service_ids": [s["id"] for s in services],
        "host_ids": [h["id"] for h in hosts],
    } | fields
