"""The error body every 4xx shares, and the probes."""

from tests.support.accounts import add_member, sign_up


async def test_malformed_json_gets_a_400_error_body(client):
    response = await client.post(
        "/api/v1/auth/login", content=b"{not json", headers={"content-type": "application/json"}
    )

    assert response.status_code == 400
    assert set(response.json()["error"]) == {"code", "message", "fields"}


async def test_unknown_fields_are_refused_by_name(client):
    admin = await sign_up(client)

    response = await client.patch("/api/v1/team", json={"colour": "red"}, headers=admin.headers)

    assert response.status_code == 422
    assert "colour" in response.json()["error"]["message"]


async def test_unknown_api_path_is_a_json_404(client):
    response = await client.get("/api/v1/nothing-here")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


async def test_a_body_over_the_limit_is_refused(client, settings):
    response = await client.post(
        "/api/v1/auth/login",
        content=b"x" * (settings.max_body_bytes + 1),
        headers={"content-type": "application/json"},
    )

    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_large"


async def test_responses_carry_a_request_id_and_security_headers(client):
    response = await client.get("/healthz", headers={"X-Request-ID": "abc123"})

    assert response.headers["x-request-id"] == "abc123"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"


async def test_readyz_reports_database_and_redis(client):
    response = await client.get("/readyz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "redis": "ok"}}


async def test_the_openapi_schema_is_served(client):
    response = await client.get("/api/docs/openapi.json")

    assert response.status_code == 200
    assert "/api/v1/auth/login" in response.json()["paths"]


CHALLENGE = 'Bearer realm="watchdeck"'
REFUSED = 'Bearer realm="watchdeck", error="invalid_token"'


async def test_a_401_without_a_credential_asks_for_a_bearer_token(client):
    response = await client.get("/api/v1/services")

    assert response.status_code == 401
    assert response.headers["www-authenticate"] == CHALLENGE


async def test_a_401_for_a_refused_token_says_the_token_is_invalid(client):
    admin = await sign_up(client)
    await client.post(
        "/api/v1/auth/logout", json={"refresh_token": admin.refresh_token}, headers=admin.headers
    )

    for token in ("not-a-jwt", "wd_no-such-key", admin.access_token):
        response = await client.get(
            "/api/v1/services", headers={"Authorization": f"Bearer {token}"}
        )

        assert response.status_code == 401, token
        assert response.headers["www-authenticate"] == REFUSED


async def test_a_wrong_password_at_sign_in_is_a_401_with_the_challenge(client):
    admin = await sign_up(client)

    response = await client.post(
        "/api/v1/auth/login", json={"email": admin.email, "password": "wrong password!"}
    )

    assert response.status_code == 401
    assert response.headers["www-authenticate"] == CHALLENGE


async def test_answers_other_than_401_carry_no_challenge(client):
    admin = await sign_up(client)
    viewer = await add_member(client, admin, "viewer")

    allowed = await client.get("/api/v1/services", headers=viewer.headers)
    forbidden = await client.post("/api/v1/services", json={"name": "x"}, headers=viewer.headers)

    assert allowed.status_code == 200
    assert forbidden.status_code == 403
    assert "www-authenticate" not in allowed.headers
    assert "www-authenticate" not in forbidden.headers
