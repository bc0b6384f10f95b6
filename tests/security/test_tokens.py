"""Every way a bearer credential can be forged, stale or revoked: 401 over REST and Socket.IO.

Extends tests/domain/accounts/test_tokens.py (the basic forgeries over REST)
with algorithm confusion, time claims, missing claims, revocation by sign-out
and by refresh-token reuse, and the same checks on the Socket.IO connect.
"""

from __future__ import annotations

import base64
import json
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import jwt
import pytest
import socketio
from cryptography.hazmat.primitives.asymmetric import rsa
from sqlalchemy import delete
from watchdeck.domain.accounts.models import User

from tests.security.conftest import error_of
from tests.support.accounts import PASSWORD, Account, api_key, sign_up
from tests.support.sockets import Listener

# Signing with HS512 under the app's 48-byte test key is the point, not a mistake.
pytestmark = pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")

# What a refusal may say: short and generic, never the library's reason or the token's contents.
REFUSALS = {
    "invalid access token",
    "not an access token",
    "access token expired",
    "access token revoked",
    "not a member of this team any more",
    "invalid API key",
}


def _claims(token: str) -> dict:
    return jwt.decode(token, options={"verify_signature": False})


def _resign(claims: dict, secret: str, algorithm: str = "HS256") -> str:
    return jwt.encode(claims, secret, algorithm=algorithm)


def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def _tampered(token: str, **changes: str) -> str:
    header, _, signature = token.split(".")
    return f"{header}.{_b64(_claims(token) | changes)}.{signature}"


def _now(offset_s: int = 0) -> int:
    return int((datetime.now(UTC) + timedelta(seconds=offset_s)).timestamp())


def _forgeries(account: Account, secret: str) -> dict[str, str]:
    """Tokens that look like the account's but must not open anything."""
    token = account.access_token
    claims = _claims(token)
    rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    forged = {
        "role raised, signature kept": _tampered(token, role="admin"),
        "team changed, signature kept": _tampered(token, team=str(uuid.uuid4())),
        "user changed, signature kept": _tampered(token, sub=str(uuid.uuid4())),
        "signed with another key": _resign(claims, "another-secret-" * 4),
        "alg none": jwt.encode(claims, None, algorithm="none"),
        "alg none with the signature kept": ".".join(
            [_b64({"alg": "none", "typ": "JWT"}), *token.split(".")[1:]]
        ),
        "HS512 with the right key": _resign(claims, secret, "HS512"),
        "HS384 with the right key": _resign(claims, secret, "HS384"),
        "RS256 with a key of its own": _resign(claims, rsa_key, "RS256"),
        "expired": _resign(claims | {"exp": _now(-5)}, secret),
        "not valid yet (nbf)": _resign(claims | {"nbf": _now(3600)}, secret),
        "issued in the future (iat)": _resign(claims | {"iat": _now(3600)}, secret),
        "a refresh token instead": account.refresh_token,
        "not an access token (typ)": _resign(claims | {"typ": "refresh"}, secret),
        "role that does not exist": _resign(claims | {"role": "owner"}, secret),
        "user id that is not a uuid": _resign(claims | {"sub": "1 OR 1=1"}, secret),
        "garbage": "not.a.token",
        "made-up API key": "wd_" + "A" * 43,
    }
    for claim in ("sub", "team", "role", "ver", "sid", "typ", "exp", "iat"):
        forged[f"missing {claim}"] = _resign(
            {k: v for k, v in claims.items() if k != claim}, secret
        )
    return forged


async def _assert_refused_over_rest(client, token: str, what: str, secret: str) -> None:
    response = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401, f"{what}: {response.status_code} {response.text}"
    error = error_of(response)
    assert error["code"] == "unauthorized", what
    assert error["message"] in REFUSALS, f"{what} leaks detail: {error['message']!r}"
    assert secret not in response.text


async def _assert_refused_on_connect(base: str, token: str, what: str) -> None:
    listener = Listener()
    with pytest.raises(socketio.exceptions.ConnectionError) as refused:
        await listener.connect(base, token)
    said = listener.refusal.get("message") if isinstance(listener.refusal, dict) else None
    assert said in REFUSALS, f"{what} leaks detail on connect: {listener.refusal!r} {refused.value}"


async def _assert_refused(client, live_api, token: str, what: str, secret: str) -> None:
    await _assert_refused_over_rest(client, token, what, secret)
    await _assert_refused_on_connect(live_api.base, token, what)


async def _opens(client, token: str) -> bool:
    response = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    return response.status_code == 200


async def test_forged_and_malformed_tokens_are_refused_without_detail(client, live_api, settings):
    account = await sign_up(client)
    assert await _opens(client, account.access_token)

    for what, token in _forgeries(account, settings.secret_key).items():
        await _assert_refused(client, live_api, token, what, settings.secret_key)


async def test_a_connect_without_a_token_is_refused(live_api):
    listener = Listener()

    with pytest.raises(socketio.exceptions.ConnectionError):
        await listener.connect(live_api.base, None)


async def _refused_after(
    client, live_api, settings, account: Account, revoke: Callable, why: str
) -> None:
    assert await _opens(client, account.access_token)
    await revoke()
    await _assert_refused(client, live_api, account.access_token, why, settings.secret_key)


async def test_a_token_of_a_deleted_user_is_refused(client, live_api, settings, db):
    account = await sign_up(client)

    async def delete_user():
        async with db() as session:
            await session.execute(delete(User).where(User.id == account.user_id))
            await session.commit()

    await _refused_after(client, live_api, settings, account, delete_user, "deleted user")


async def test_a_token_of_a_removed_member_is_refused(client, live_api, settings):
    from tests.support.accounts import add_member

    admin = await sign_up(client)
    member = await add_member(client, admin, "developer")

    async def remove():
        response = await client.delete(
            f"/api/v1/team/members/{member.user_id}", headers=admin.headers
        )
        assert response.status_code == 204, response.text

    await _refused_after(client, live_api, settings, member, remove, "removed member")


async def test_an_access_token_stops_working_after_logout(client, live_api, settings):
    account = await sign_up(client)

    async def logout():
        response = await client.post(
            "/api/v1/auth/logout", json={"refresh_token": account.refresh_token}
        )
        assert response.status_code == 204

    await _refused_after(client, live_api, settings, account, logout, "after logout")


async def test_logout_leaves_other_sign_ins_working(client):
    account = await sign_up(client)
    other = await client.post(
        "/api/v1/auth/login", json={"email": account.email, "password": PASSWORD}
    )

    await client.post("/api/v1/auth/logout", json={"refresh_token": account.refresh_token})

    assert await _opens(client, other.json()["access_token"])


async def test_an_access_token_stops_working_after_a_password_change(client, live_api, settings):
    account = await sign_up(client)

    async def change():
        response = await client.post(
            "/api/v1/me/password",
            json={"current_password": PASSWORD, "new_password": "a much better passphrase"},
            headers=account.headers,
        )
        assert response.status_code == 204

    await _refused_after(client, live_api, settings, account, change, "after password change")


async def test_refresh_token_reuse_kills_the_new_pair_too(client, live_api, settings):
    account = await sign_up(client)
    rotated = await client.post(
        "/api/v1/auth/refresh", json={"refresh_token": account.refresh_token}
    )
    new_pair = rotated.json()
    assert await _opens(client, new_pair["access_token"])

    reuse = await client.post("/api/v1/auth/refresh", json={"refresh_token": account.refresh_token})

    assert reuse.status_code == 401
    assert error_of(reuse)["code"] == "unauthorized"
    for what, token in {
        "the old access token": account.access_token,
        "the new access token": new_pair["access_token"],
    }.items():
        await _assert_refused(client, live_api, token, what, settings.secret_key)
    again = await client.post(
        "/api/v1/auth/refresh", json={"refresh_token": new_pair["refresh_token"]}
    )
    assert again.status_code == 401


async def test_a_revoked_api_key_is_refused_over_rest_and_socket(client, live_api, settings):
    admin = await sign_up(client)
    key = await api_key(client, admin, "automation", "viewer")
    assert await _opens_team(client, key)
    [listed] = (await client.get("/api/v1/team/api-keys", headers=admin.headers)).json()

    revoked = await client.delete(f"/api/v1/team/api-keys/{listed['id']}", headers=admin.headers)

    assert revoked.status_code == 204
    response = await client.get("/api/v1/services", headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 401
    assert error_of(response)["message"] == "invalid API key"
    await _assert_refused_on_connect(live_api.base, key, "revoked API key")


async def _opens_team(client, key: str) -> bool:
    response = await client.get("/api/v1/services", headers={"Authorization": f"Bearer {key}"})
    return response.status_code == 200
