"""The error body every 4xx shares, and the probes."""

from tests.support.accounts import sign_up


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
