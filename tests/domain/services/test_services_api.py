from sqlalchemy import select
from watchdeck.domain.services.models import Service

from tests.support.accounts import add_member, sign_up
from tests.support.services import allow_private_targets, create_service


async def test_a_developer_adds_a_service_with_sensible_defaults(client):
    admin = await sign_up(client)
    developer = await add_member(client, admin, "developer")
    await allow_private_targets(client, admin)

    service = await create_service(
        client, developer, url="http://127.0.0.1:9/health", interval_s=30
    )

    assert service["status"] == "pending"
    assert service["method"] == "GET"
    assert service["expected_statuses"] == "200-299"
    assert service["failures_before_down"] == 2
    assert service["timeout_s"] == 15
    listed = (await client.get("/api/v1/services", headers=admin.headers)).json()
    assert [s["name"] for s in listed] == ["Checkout API"]


async def test_an_http_service_needs_a_url(client):
    admin = await sign_up(client)

    response = await client.post("/api/v1/services", json={"name": "x"}, headers=admin.headers)

    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {"url": "required for an http service"}


async def test_the_interval_must_be_between_10_seconds_and_a_day(client):
    admin = await sign_up(client)

    for interval in (5, 86_401):
        response = await client.post(
            "/api/v1/services",
            json={"name": "x", "url": "http://93.184.216.34/", "interval_s": interval},
            headers=admin.headers,
        )
        assert response.status_code == 422
        assert "interval_s" in response.json()["error"]["fields"]


async def test_the_metadata_address_is_refused_even_with_private_targets_allowed(client):
    admin = await sign_up(client)
    await allow_private_targets(client, admin)

    response = await client.post(
        "/api/v1/services",
        json={"name": "x", "url": "http://169.254.169.254/latest/meta-data/"},
        headers=admin.headers,
    )

    assert response.status_code == 422
    assert "metadata" in response.json()["error"]["fields"]["url"]


async def test_private_targets_need_the_team_setting(client):
    admin = await sign_up(client)
    body = {"name": "x", "url": "http://127.0.0.1:8080/"}

    refused = await client.post("/api/v1/services", json=body, headers=admin.headers)
    await allow_private_targets(client, admin)
    accepted = await client.post("/api/v1/services", json=body, headers=admin.headers)

    assert refused.status_code == 422
    assert "private" in refused.json()["error"]["fields"]["url"]
    assert accepted.status_code == 201


async def test_non_http_schemes_are_refused(client):
    admin = await sign_up(client)

    response = await client.post(
        "/api/v1/services", json={"name": "x", "url": "file:///etc/passwd"}, headers=admin.headers
    )

    assert response.status_code == 422
    assert "url" in response.json()["error"]["fields"]


async def test_bad_status_ranges_and_json_paths_name_the_field(client):
    admin = await sign_up(client)
    base = {"name": "x", "url": "http://93.184.216.34/"}

    statuses = await client.post(
        "/api/v1/services", json=base | {"expected_statuses": "200-abc"}, headers=admin.headers
    )
    json_path = await client.post(
        "/api/v1/services", json=base | {"json_path": "$[[["}, headers=admin.headers
    )
    timeout = await client.post(
        "/api/v1/services", json=base | {"interval_s": 10, "timeout_s": 12}, headers=admin.headers
    )

    assert "expected_statuses" in statuses.json()["error"]["fields"]
    assert "json_path" in json_path.json()["error"]["fields"]
    assert "timeout_s" in timeout.json()["error"]["fields"]


async def test_a_refused_service_is_not_half_written(client):
    admin = await sign_up(client)

    await client.post(
        "/api/v1/services", json={"name": "x", "url": "http://10.0.0.1/"}, headers=admin.headers
    )

    assert (await client.get("/api/v1/services", headers=admin.headers)).json() == []


async def test_credential_headers_are_write_only(client, db):
    admin = await sign_up(client)
    await allow_private_targets(client, admin)
    service = await create_service(
        client,
        admin,
        url="http://127.0.0.1:9/",
        headers={"Authorization": "Bearer s3cret", "Accept": "application/json"},
    )

    patched = await client.patch(
        f"/api/v1/services/{service['id']}",
        json={"headers": service["headers"] | {"X-Extra": "1"}},
        headers=admin.headers,
    )

    assert service["headers"]["Authorization"] != "Bearer s3cret"
    assert service["headers"]["Accept"] == "application/json"
    assert "s3cret" not in patched.text
    async with db() as session:
        stored = await session.scalar(select(Service.headers))
    assert stored == {
        "Authorization": "Bearer s3cret",
        "Accept": "application/json",
        "X-Extra": "1",
    }


async def test_a_viewer_cannot_add_services(client):
    admin = await sign_up(client)
    viewer = await add_member(client, admin, "viewer")

    response = await client.post(
        "/api/v1/services",
        json={"name": "x", "url": "http://93.184.216.34/"},
        headers=viewer.headers,
    )

    assert response.status_code == 403


async def test_services_of_another_team_are_invisible(client):
    admin = await sign_up(client)
    other = await sign_up(client)
    await allow_private_targets(client, admin)
    service = await create_service(client, admin, url="http://127.0.0.1:9/")

    assert (await client.get("/api/v1/services", headers=other.headers)).json() == []
    response = await client.get(f"/api/v1/services/{service['id']}", headers=other.headers)
    assert response.status_code == 404


async def test_a_push_monitor_gets_its_url_once(client):
    admin = await sign_up(client)

    response = await client.post(
        "/api/v1/services", json={"name": "Nightly backup", "kind": "push"}, headers=admin.headers
    )

    body = response.json()
    assert body["push_url"].startswith("http")
    assert "/api/v1/push/" in body["push_url"]
    detail = await client.get(f"/api/v1/services/{body['service']['id']}", headers=admin.headers)
    assert "push_url" not in detail.json()
