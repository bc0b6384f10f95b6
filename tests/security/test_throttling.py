"""Guessing a password is throttled wherever a password is asked for, without telling who exists.

The app here runs with small limits so a test reaches them in a few calls.
Invite, refresh and push tokens are 256 random bits (tokens.new_secret), out
of reach of guessing, so only the passwords behind them need counters;
test_secrets_that_travel_in_urls_are_too_long_to_guess pins that length.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import msgspec
import pytest
from asgi_lifespan import LifespanManager
from watchdeck.app import create_app

from tests.conftest import _wipe
from tests.security.conftest import error_of
from tests.support.accounts import PASSWORD, add_member, invite, sign_up, unique_email

PER_IP = 4
PER_ACCOUNT = 2
WINDOW = 900
PUBLIC_PER_IP = 5


@pytest.fixture
async def strict_app(settings):
    app = create_app(
        msgspec.structs.replace(
            settings,
            login_limit_per_ip=PER_IP,
            login_limit_per_account=PER_ACCOUNT,
            login_limit_window=WINDOW,
            signup_limit_per_ip=2,
            signup_limit_window=WINDOW,
            public_limit_per_ip=PUBLIC_PER_IP,
            public_limit_window=60,
        )
    )
    async with LifespanManager(app):
        yield app
        await _wipe(app)
        await app.state.engine.dispose()


@pytest.fixture
async def from_ip(strict_app) -> AsyncIterator:
    """`from_ip("10.0.0.1")`: a client of the strict app whose requests come from that address."""
    opened: list[httpx.AsyncClient] = []

    def make(ip: str) -> httpx.AsyncClient:
        transport = httpx.ASGITransport(app=strict_app, client=(ip, 40000))
        client = httpx.AsyncClient(transport=transport, base_url="http://testserver")
        opened.append(client)
        return client

    yield make
    for client in opened:
        await client.aclose()


def _assert_throttled(response: httpx.Response, window: int = WINDOW) -> dict:
    assert response.status_code == 429, response.text
    assert 1 <= int(response.headers["retry-after"]) <= window
    error = error_of(response)
    assert error["code"] == "rate_limited"
    return error


async def _login(client: httpx.AsyncClient, email: str, password: str) -> httpx.Response:
    return await client.post("/api/v1/auth/login", json={"email": email, "password": password})


async def test_login_is_throttled_per_address_across_accounts(from_ip):
    attacker = from_ip("10.0.0.1")
    bystander = from_ip("10.0.0.2")
    for _ in range(PER_IP):
        assert (await _login(attacker, unique_email(), "guess-guess")).status_code == 401

    _assert_throttled(await _login(attacker, unique_email(), "guess-guess"))
    assert (await _login(bystander, unique_email(), "guess-guess")).status_code == 401


async def test_login_throttle_answers_alike_for_real_and_unknown_accounts(from_ip):
    account = await sign_up(from_ip("10.0.1.1"))
    answers = {}
    for n, email in enumerate([account.email, unique_email("nobody")]):
        client = from_ip(f"10.0.2.{n}")
        failures = [await _login(client, email, "guess-guess") for _ in range(PER_ACCOUNT)]
        throttled = await _login(client, email, "guess-guess")
        answers[email] = (
            [(r.status_code, r.json()) for r in failures],
            throttled.status_code,
            throttled.json(),
            sorted(throttled.headers.keys() - {"x-request-id", "content-length"}),
        )
        _assert_throttled(throttled)

    real, unknown = answers.values()
    assert real == unknown


async def test_the_right_password_is_refused_once_an_account_is_throttled(from_ip):
    account = await sign_up(from_ip("10.0.3.1"))
    for n in range(PER_ACCOUNT):
        await _login(from_ip(f"10.0.4.{n}"), account.email, "guess-guess")

    _assert_throttled(await _login(from_ip("10.0.4.99"), account.email, PASSWORD))


async def test_signup_is_throttled_per_address(from_ip):
    client = from_ip("10.0.5.1")
    await sign_up(client)
    await sign_up(client)

    response = await client.post(
        "/api/v1/auth/signup",
        json={"email": unique_email(), "password": PASSWORD, "name": "Eve", "team_name": "Eve"},
    )

    _assert_throttled(response, window=WINDOW)
    assert (await from_ip("10.0.5.2").post("/api/v1/auth/login", json={})).status_code == 422


async def test_guessing_the_current_password_is_throttled(from_ip):
    client = from_ip("10.0.6.1")
    account = await sign_up(client)

    async def change(current: str) -> httpx.Response:
        return await client.post(
            "/api/v1/me/password",
            json={"current_password": current, "new_password": "a much better passphrase"},
            headers=account.headers,
        )

    for _ in range(PER_ACCOUNT):
        assert (await change("guess-guess")).status_code == 422

    _assert_throttled(await change(PASSWORD))
    assert (await _login(client, account.email, PASSWORD)).status_code == 200


async def test_guessing_an_existing_accounts_password_through_an_invite_is_throttled(from_ip):
    admin = await sign_up(from_ip("10.0.7.1"))
    other = await sign_up(from_ip("10.0.7.2"), team_name="Elsewhere")
    offer = await invite(from_ip("10.0.7.1"), admin, "viewer", email=other.email)

    async def accept(password: str, ip: str) -> httpx.Response:
        return await from_ip(ip).post(
            "/api/v1/invites/accept", json={"token": offer["token"], "password": password}
        )

    for n in range(PER_ACCOUNT):
        assert (await accept("guess-guess", f"10.0.8.{n}")).status_code == 422

    _assert_throttled(await accept(other.password, "10.0.8.99"))


async def test_invite_accepts_are_throttled_per_address(from_ip):
    admin = await sign_up(from_ip("10.0.9.1"))
    attacker = from_ip("10.0.9.2")
    for n in range(PER_IP):
        response = await attacker.post(
            "/api/v1/invites/accept", json={"token": f"made-up-{n}", "password": "guess-guess"}
        )
        assert response.status_code == 404

    response = await attacker.post(
        "/api/v1/invites/accept", json={"token": "made-up", "password": "guess-guess"}
    )

    _assert_throttled(response)
    newcomer = await add_member(from_ip("10.0.9.3"), admin, "viewer")
    assert newcomer.team_id == admin.team_id


async def test_secrets_that_travel_in_urls_are_too_long_to_guess(from_ip):
    client = from_ip("10.0.10.1")
    admin = await sign_up(client)
    offer = await invite(client, admin, "viewer")
    push = await client.post(
        "/api/v1/services", json={"name": "cron", "kind": "push"}, headers=admin.headers
    )
    push_token = push.json()["push_url"].rsplit("/", 1)[1]

    # 43 URL-safe characters are 256 random bits.
    for secret in (offer["token"], admin.refresh_token, push_token):
        assert len(secret) >= 43, secret


async def test_public_status_routes_are_throttled_per_address(from_ip):
    crowd = from_ip("10.0.9.1")
    reader = from_ip("10.0.9.2")
    # Misses count too: walking slugs is no way around the limit.
    for n in range(PUBLIC_PER_IP):
        path = "/status/acme" if n % 2 else "/status/nobody/api/summary.json"
        assert (await crowd.get(path)).status_code == 404

    _assert_throttled(await crowd.get("/status/acme"), window=60)
    _assert_throttled(await crowd.get("/status/acme/api/summary.json"), window=60)
    assert (await reader.get("/status/acme")).status_code == 404
