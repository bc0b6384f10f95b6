import base64
import json
import uuid
from datetime import UTC, datetime, timedelta

import jwt

from tests.support.accounts import PASSWORD, sign_up


async def _status(client, token: str) -> int:
    return (
        await client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    ).status_code


async def test_no_token_gets_401(client):
    response = await client.get("/api/v1/me")

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorized"


async def test_expired_access_token_is_refused(client, settings):
    account = await sign_up(client)
    claims = jwt.decode(account.access_token, options={"verify_signature": False})
    claims["exp"] = datetime.now(UTC) - timedelta(seconds=5)
    expired = jwt.encode(claims, settings.secret_key, algorithm="HS256")

    response = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {expired}"})

    assert response.status_code == 401
    assert "expired" in response.json()["error"]["message"]


async def test_tampered_token_is_refused(client):
    account = await sign_up(client)
    header, payload, signature = account.access_token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    claims["role"] = "admin"
    claims["team"] = str(uuid.uuid4())
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()

    assert await _status(client, f"{header}.{forged}.{signature}") == 401


async def test_alg_none_token_is_refused(client):
    account = await sign_up(client)
    claims = jwt.decode(account.access_token, options={"verify_signature": False})
    unsigned = jwt.encode(claims, key=None, algorithm="none")

    assert await _status(client, unsigned) == 401


async def test_token_signed_with_another_key_is_refused(client):
    account = await sign_up(client)
    claims = jwt.decode(account.access_token, options={"verify_signature": False})

    assert (
        await _status(client, jwt.encode(claims, "another-secret-" * 4, algorithm="HS256")) == 401
    )


async def test_password_change_revokes_every_token(client):
    account = await sign_up(client)

    changed = await client.post(
        "/api/v1/me/password",
        json={"current_password": PASSWORD, "new_password": "a much better passphrase"},
        headers=account.headers,
    )

    assert changed.status_code == 204
    assert await _status(client, account.access_token) == 401
    refresh = await client.post(
        "/api/v1/auth/refresh", json={"refresh_token": account.refresh_token}
    )
    assert refresh.status_code == 401
    login = await client.post(
        "/api/v1/auth/login", json={"email": account.email, "password": "a much better passphrase"}
    )
    assert login.status_code == 200


async def test_password_change_needs_the_current_password(client):
    account = await sign_up(client)

    response = await client.post(
        "/api/v1/me/password",
        json={"current_password": "wrong-one", "new_password": "a much better passphrase"},
        headers=account.headers,
    )

    assert response.status_code == 422
    assert "current_password" in response.json()["error"]["fields"]
    assert await _status(client, account.access_token) == 200
