from sqlalchemy import select
from watchdeck.domain.accounts.models import ApiKey

from tests.support.accounts import api_key, sign_up


def _bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


async def test_a_key_is_shown_once_and_stored_hashed(client, db):
    admin = await sign_up(client)

    key = await api_key(client, admin, "automation", "viewer")

    assert key.startswith("wd_")
    listed = (await client.get("/api/v1/team/api-keys", headers=admin.headers)).json()
    assert len(listed) == 1 and "key" not in listed[0]
    assert key.startswith(listed[0]["prefix"])
    async with db() as session:
        stored = await session.scalar(select(ApiKey.key_hash))
    assert key not in stored


async def test_an_automation_key_acts_with_its_role(client):
    admin = await sign_up(client)
    key = await api_key(client, admin, "automation", "viewer")

    read = await client.get("/api/v1/team/members", headers=_bearer(key))
    write = await client.patch("/api/v1/team", json={"name": "x"}, headers=_bearer(key))

    assert read.status_code == 200
    assert write.status_code == 403


async def test_an_automation_key_is_not_a_person(client):
    admin = await sign_up(client)
    key = await api_key(client, admin, "automation", "admin")

    assert (await client.get("/api/v1/me", headers=_bearer(key))).status_code == 403


async def test_an_agent_key_cannot_read_the_team(client):
    admin = await sign_up(client)
    key = await api_key(client, admin, "agent")

    assert (await client.get("/api/v1/team", headers=_bearer(key))).status_code == 403


async def test_a_revoked_key_stops_working(client):
    admin = await sign_up(client)
    key = await api_key(client, admin, "automation", "viewer")
    key_id = (await client.get("/api/v1/team/api-keys", headers=admin.headers)).json()[0]["id"]

    revoked = await client.delete(f"/api/v1/team/api-keys/{key_id}", headers=admin.headers)

    assert revoked.status_code == 204
    assert (await client.get("/api/v1/team", headers=_bearer(key))).status_code == 401


async def test_an_automation_key_needs_a_role(client):
    admin = await sign_up(client)

    response = await client.post(
        "/api/v1/team/api-keys", json={"name": "ci", "kind": "automation"}, headers=admin.headers
    )

    assert response.status_code == 422
    assert "role" in response.json()["error"]["fields"]


async def test_a_made_up_key_is_refused(client):
    assert (await client.get("/api/v1/team", headers=_bearer("wd_made-up"))).status_code == 401
