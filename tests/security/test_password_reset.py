"""Reset and invite tokens: single use, expiring, superseded or revoked, never each other,
stored hashed; a reset ends every sign-in; requests reveal nothing and are throttled."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

import msgspec
import pytest
from sqlalchemy import select, text, update
from watchdeck.domain.accounts.models import PasswordReset
from watchdeck.domain.accounts.password_reset import link_for
from watchdeck.platform.clock import utcnow

from tests.support.accounts import PASSWORD, invite, sign_up, unique_email

NEW_PASSWORD = "a brand new passphrase"


async def reset_token(app, email: str) -> str:
    async with app.state.session_factory() as session:
        link = await link_for(session, app.state.settings, email)
    return link.rsplit("/", 1)[1]


async def accept(client, token: str, password: str = NEW_PASSWORD):
    return await client.post(
        "/api/v1/password-resets/accept", json={"token": token, "password": password}
    )


def token_error(response) -> str:
    assert 400 <= response.status_code < 500, response.text
    error = response.json()["error"]
    assert set(error["fields"]) == {"token"}, error
    return error["fields"]["token"]


@pytest.fixture
def change_settings(running_app):
    """Change the app's settings for one test."""
    original = running_app.state.settings

    def change(**fields):
        running_app.state.settings = msgspec.structs.replace(original, **fields)

    yield change
    running_app.state.settings = original


async def test_a_reset_link_works_only_once(client, running_app):
    user = await sign_up(client)
    token = await reset_token(running_app, user.email)
    assert (await accept(client, token)).status_code == 200

    again = await accept(client, token, password="yet another passphrase")

    assert "already used" in token_error(again)
    assert "already used" in token_error(await client.get(f"/api/v1/password-resets/{token}"))
    login = await client.post(
        "/api/v1/auth/login", json={"email": user.email, "password": NEW_PASSWORD}
    )
    assert login.status_code == 200


async def test_two_uses_at_the_same_moment_succeed_once(client, running_app):
    user = await sign_up(client)
    token = await reset_token(running_app, user.email)

    answers = await asyncio.gather(
        accept(client, token, "first racer password"),
        accept(client, token, "second racer password"),
    )

    assert sorted(a.status_code for a in answers) == [200, 404]


async def test_an_expired_reset_link_is_refused(client, running_app, db):
    user = await sign_up(client)
    token = await reset_token(running_app, user.email)
    async with db() as session:
        await session.execute(
            update(PasswordReset).values(expires_at=utcnow() - timedelta(seconds=1))
        )
        await session.commit()

    assert "expired" in token_error(await client.get(f"/api/v1/password-resets/{token}"))
    assert "expired" in token_error(await accept(client, token))
    login = await client.post(
        "/api/v1/auth/login", json={"email": user.email, "password": PASSWORD}
    )
    assert login.status_code == 200


async def test_a_link_lasts_as_long_as_the_ttl_setting(client, running_app, change_settings):
    change_settings(password_reset_ttl=120)
    user = await sign_up(client)
    before = utcnow()

    token = await reset_token(running_app, user.email)

    preview = (await client.get(f"/api/v1/password-resets/{token}")).json()
    expires = datetime.fromisoformat(preview["expires_at"])
    assert before + timedelta(seconds=119) <= expires <= utcnow() + timedelta(seconds=120)


async def test_a_new_link_makes_earlier_unused_ones_invalid(client, running_app):
    user = await sign_up(client)
    first = await reset_token(running_app, user.email)
    second = await reset_token(running_app, user.email)

    assert "newer reset link" in token_error(await accept(client, first))
    assert (await accept(client, second)).status_code == 200


async def test_an_unknown_token_is_refused_naming_the_field(client):
    await sign_up(client)

    assert "not valid" in token_error(await client.get("/api/v1/password-resets/made-up-token"))
    assert "not valid" in token_error(await accept(client, "made-up-token"))


async def test_reset_tokens_are_stored_only_as_digests(client, running_app, db):
    user = await sign_up(client)
    token = await reset_token(running_app, user.email)

    async with db() as session:
        rows = (await session.execute(text("SELECT * FROM password_resets"))).all()

    assert len(rows) == 1
    assert token not in str(rows)


async def test_a_reset_ends_every_earlier_sign_in(client, running_app):
    user = await sign_up(client)
    other_login = await client.post(
        "/api/v1/auth/login", json={"email": user.email, "password": PASSWORD}
    )
    other = other_login.json()
    token = await reset_token(running_app, user.email)

    done = await accept(client, token)

    for access in (user.access_token, other["access_token"]):
        me = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {access}"})
        assert me.status_code == 401
    for refresh in (user.refresh_token, other["refresh_token"]):
        refreshed = await client.post("/api/v1/auth/refresh", json={"refresh_token": refresh})
        assert refreshed.status_code == 401
    fresh = done.json()["session"]
    me = await client.get(
        "/api/v1/me", headers={"Authorization": f"Bearer {fresh['access_token']}"}
    )
    assert me.status_code == 200
    refreshed = await client.post(
        "/api/v1/auth/refresh", json={"refresh_token": fresh["refresh_token"]}
    )
    assert refreshed.status_code == 200


async def test_an_unknown_email_gets_the_same_answer_as_a_known_one(client, db):
    user = await sign_up(client)

    known = await client.post("/api/v1/auth/password-reset", json={"email": user.email})
    unknown = await client.post("/api/v1/auth/password-reset", json={"email": unique_email()})

    assert known.status_code == unknown.status_code == 202
    assert known.content == unknown.content
    skip = {"date", "x-request-id"}
    assert {k: v for k, v in known.headers.items() if k not in skip} == {
        k: v for k, v in unknown.headers.items() if k not in skip
    }
    # The account is looked up later, by a worker: the answer itself touched no row.
    async with db() as session:
        assert list(await session.scalars(select(PasswordReset))) == []


@pytest.mark.parametrize("exists", [True, False], ids=["known email", "unknown email"])
async def test_requests_for_one_email_are_throttled(client, exists):
    email = (await sign_up(client)).email if exists else unique_email()

    answers = [
        (await client.post("/api/v1/auth/password-reset", json={"email": email})).status_code
        for _ in range(4)
    ]

    assert answers == [202, 202, 202, 429]


async def test_requests_from_one_ip_are_throttled(client):
    answers = [
        (await client.post("/api/v1/auth/password-reset", json={"email": unique_email()}))
        for _ in range(21)
    ]

    assert [a.status_code for a in answers] == [202] * 20 + [429]
    assert int(answers[-1].headers["retry-after"]) > 0


async def test_a_request_with_a_bad_email_names_the_field(client):
    response = await client.post("/api/v1/auth/password-reset", json={"email": "not-an-email"})

    assert response.status_code == 422
    assert "email" in response.json()["error"]["fields"]


async def test_an_invite_token_is_not_a_reset_token(client):
    admin = await sign_up(client)
    created = await invite(client, admin, "viewer", email=admin.email.replace("admin", "x"))

    assert token_error(await client.get(f"/api/v1/password-resets/{created['token']}"))
    assert token_error(await accept(client, created["token"]))
    # The invite still works afterwards.
    joined = await client.post(
        "/api/v1/invites/accept",
        json={"token": created["token"], "password": PASSWORD, "name": "Vic Viewer"},
    )
    assert joined.status_code == 200


async def test_a_reset_token_is_not_an_invite_token(client, running_app):
    user = await sign_up(client)
    token = await reset_token(running_app, user.email)

    preview = await client.get(f"/api/v1/invites/{token}")
    accepted = await client.post(
        "/api/v1/invites/accept", json={"token": token, "password": PASSWORD, "name": "Eve"}
    )

    assert preview.status_code == accepted.status_code == 404
    assert (await accept(client, token)).status_code == 200


async def test_invite_tokens_are_stored_only_as_digests(client, db):
    admin = await sign_up(client)
    created = await invite(client, admin, "developer")

    async with db() as session:
        rows = (await session.execute(text("SELECT * FROM invites"))).all()

    assert len(rows) == 1
    assert created["token"] not in str(rows)
