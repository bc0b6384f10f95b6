"""Factories for accounts, made through the public API as a user would."""

from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass

from httpx import AsyncClient

PASSWORD = "correct horse battery"
_numbers = itertools.count(1)


@dataclass
class Account:
    email: str
    password: str
    access_token: str
    refresh_token: str
    team_id: uuid.UUID
    user_id: uuid.UUID

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.access_token}"}


def unique_email(prefix: str = "user") -> str:
    return f"{prefix}{next(_numbers)}-{uuid.uuid4().hex[:6]}@example.com"


async def _account(client: AsyncClient, email: str, password: str, pair: dict) -> Account:
    me = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {pair['access_token']}"})
    assert me.status_code == 200, me.text
    return Account(
        email=email,
        password=password,
        access_token=pair["access_token"],
        refresh_token=pair["refresh_token"],
        team_id=uuid.UUID(pair["team_id"]),
        user_id=uuid.UUID(me.json()["id"]),
    )


async def sign_up(client: AsyncClient, email: str | None = None, team_name: str = "Ops") -> Account:
    email = email or unique_email("admin")
    response = await client.post(
        "/api/v1/auth/signup",
        json={"email": email, "password": PASSWORD, "name": "Ada Admin", "team_name": team_name},
    )
    assert response.status_code == 201, response.text
    return await _account(client, email, PASSWORD, response.json())


async def invite(client: AsyncClient, admin: Account, role: str, email: str | None = None) -> dict:
    response = await client.post(
        "/api/v1/team/invites",
        json={"email": email or unique_email(role), "role": role},
        headers=admin.headers,
    )
    assert response.status_code == 201, response.text
    return response.json()


async def add_member(client: AsyncClient, admin: Account, role: str) -> Account:
    """Invite a new person with `role` and accept as them."""
    created = await invite(client, admin, role)
    response = await client.post(
        "/api/v1/invites/accept",
        json={"token": created["token"], "password": PASSWORD, "name": f"{role.title()} Person"},
    )
    assert response.status_code == 200, response.text
    return await _account(client, created["invite"]["email"], PASSWORD, response.json())


async def api_key(client: AsyncClient, admin: Account, kind: str, role: str | None = None) -> str:
    body = {"name": f"{kind} key", "kind": kind} | ({"role": role} if role else {})
    response = await client.post("/api/v1/team/api-keys", json=body, headers=admin.headers)
    assert response.status_code == 201, response.text
    return response.json()["key"]
