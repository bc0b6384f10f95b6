from datetime import timedelta

from sqlalchemy import update
from watchdeck.domain.accounts.models import Invite
from watchdeck.platform.clock import utcnow

from tests.support.accounts import PASSWORD, add_member, invite, sign_up, unique_email


async def _accept(client, token: str, password: str = PASSWORD, name: str | None = "New Person"):
    body = {"token": token, "password": password} | ({"name": name} if name else {})
    return await client.post("/api/v1/invites/accept", json=body)


async def test_invited_person_joins_with_the_invited_role(client):
    admin = await sign_up(client)

    developer = await add_member(client, admin, "developer")

    me = (await client.get("/api/v1/me", headers=developer.headers)).json()
    assert me["role"] == "developer"
    assert me["team"]["id"] == str(admin.team_id)
    members = (await client.get("/api/v1/team/members", headers=admin.headers)).json()
    assert {m["email"]: m["role"] for m in members}[developer.email] == "developer"


async def test_an_invite_accepts_only_once(client):
    admin = await sign_up(client)
    created = await invite(client, admin, "viewer")
    assert (await _accept(client, created["token"])).status_code == 200

    again = await _accept(client, created["token"])

    assert again.status_code == 404


async def test_an_expired_invite_is_refused(client, db):
    admin = await sign_up(client)
    created = await invite(client, admin, "viewer")
    async with db() as session:
        await session.execute(update(Invite).values(expires_at=utcnow() - timedelta(minutes=1)))
        await session.commit()

    assert (await _accept(client, created["token"])).status_code == 404
    assert (await client.get(f"/api/v1/invites/{created['token']}")).status_code == 404


async def test_a_revoked_invite_is_refused(client):
    admin = await sign_up(client)
    created = await invite(client, admin, "viewer")

    revoked = await client.delete(
        f"/api/v1/team/invites/{created['invite']['id']}", headers=admin.headers
    )

    assert revoked.status_code == 204
    assert (await _accept(client, created["token"])).status_code == 404
    assert (await client.get("/api/v1/team/invites", headers=admin.headers)).json() == []


async def test_the_invite_page_shows_team_and_role_without_signing_in(client):
    admin = await sign_up(client, team_name="Platform")
    created = await invite(client, admin, "developer")

    preview = (await client.get(f"/api/v1/invites/{created['token']}")).json()

    assert preview["team_name"] == "Platform"
    assert preview["role"] == "developer"
    assert preview["existing_user"] is False


async def test_an_existing_user_joins_a_second_team_and_switches_to_it(client):
    first = await sign_up(client, team_name="First")
    second_admin = await sign_up(client, team_name="Second")
    created = await invite(client, second_admin, "viewer", email=first.email)

    accepted = await _accept(client, created["token"], password=first.password, name=None)

    assert accepted.status_code == 200
    me = (await client.get("/api/v1/me", headers=first.headers)).json()
    assert {t["name"]: t["role"] for t in me["teams"]} == {"First": "admin", "Second": "viewer"}
    switched = await client.post(
        "/api/v1/auth/switch-team",
        json={"team_id": str(second_admin.team_id)},
        headers=first.headers,
    )
    assert switched.status_code == 200
    token = switched.json()["access_token"]
    me = (await client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})).json()
    assert (me["team"]["name"], me["role"]) == ("Second", "viewer")


async def test_an_existing_user_must_prove_the_password(client):
    first = await sign_up(client)
    other_admin = await sign_up(client)
    created = await invite(client, other_admin, "viewer", email=first.email)

    response = await _accept(client, created["token"], password="not-their-password", name=None)

    assert response.status_code == 422
    assert "password" in response.json()["error"]["fields"]


async def test_a_new_person_must_give_a_name(client):
    admin = await sign_up(client)
    created = await invite(client, admin, "viewer")

    response = await _accept(client, created["token"], name=None)

    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {"name": "required to create your account"}


async def test_switching_to_a_team_you_are_not_in_is_refused(client):
    mine = await sign_up(client)
    theirs = await sign_up(client)

    response = await client.post(
        "/api/v1/auth/switch-team", json={"team_id": str(theirs.team_id)}, headers=mine.headers
    )

    assert response.status_code == 404


async def test_inviting_a_current_member_is_a_conflict(client):
    admin = await sign_up(client)

    response = await client.post(
        "/api/v1/team/invites", json={"email": admin.email, "role": "viewer"}, headers=admin.headers
    )

    assert response.status_code == 409
    assert "email" in response.json()["error"]["fields"]


async def test_invite_with_an_unknown_role_names_the_field(client):
    admin = await sign_up(client)

    response = await client.post(
        "/api/v1/team/invites",
        json={"email": unique_email(), "role": "owner"},
        headers=admin.headers,
    )

    assert response.status_code == 422
    assert "role" in response.json()["error"]["fields"]
