from sqlalchemy import func, select
from watchdeck.domain.accounts.models import Team, User

from tests.support.accounts import PASSWORD, sign_up, unique_email


async def test_signup_makes_the_person_admin_of_a_new_team(client):
    account = await sign_up(client, team_name="Payments")

    me = (await client.get("/api/v1/me", headers=account.headers)).json()

    assert me["role"] == "admin"
    assert me["team"]["name"] == "Payments"
    assert me["teams"] == [{"id": str(account.team_id), "name": "Payments", "role": "admin"}]


async def test_signup_with_a_taken_email_names_the_field_and_writes_nothing(client, db):
    email = unique_email()
    await sign_up(client, email=email)

    response = await client.post(
        "/api/v1/auth/signup",
        json={"email": email.upper(), "password": PASSWORD, "name": "Again", "team_name": "Second"},
    )

    assert response.status_code == 409
    assert response.json()["error"]["fields"] == {"email": "already registered"}
    async with db() as session:
        assert await session.scalar(select(func.count()).select_from(Team)) == 1
        assert await session.scalar(select(func.count()).select_from(User)) == 1


async def test_signup_with_a_short_password_names_the_field(client):
    response = await client.post(
        "/api/v1/auth/signup",
        json={"email": unique_email(), "password": "short", "name": "A", "team_name": "T"},
    )

    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert "password" in error["fields"]
    assert "password" in error["message"]


async def test_signup_with_a_malformed_email_names_the_field(client):
    response = await client.post(
        "/api/v1/auth/signup",
        json={"email": "not-an-email", "password": PASSWORD, "name": "A", "team_name": "T"},
    )

    assert response.status_code == 422
    assert "email" in response.json()["error"]["fields"]


async def test_signup_is_throttled_per_address(client, settings):
    for _ in range(settings.signup_limit_per_ip):
        await sign_up(client)

    response = await client.post(
        "/api/v1/auth/signup",
        json={"email": unique_email(), "password": PASSWORD, "name": "A", "team_name": "T"},
    )

    assert response.status_code == 429
    assert int(response.headers["retry-after"]) > 0
    assert response.json()["error"]["code"] == "rate_limited"


async def test_passwords_are_stored_hashed(client, db):
    account = await sign_up(client)

    async with db() as session:
        stored = await session.scalar(select(User.password_hash).where(User.id == account.user_id))

    assert PASSWORD not in stored
    assert stored.startswith("$argon2id$")
