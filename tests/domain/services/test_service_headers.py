"""A service's request headers: what no check could ever send is refused when saved, with a
422 naming the header; what can be sent (Host included) reaches the target as written."""

from __future__ import annotations

import pytest

from tests.support.accounts import sign_up
from tests.support.services import allow_private_targets, check_once, create_service, service_state

UNSENDABLE = [
    pytest.param("X-Token", "line\r\nInjected: yes", id="CR LF in a value"),
    pytest.param("X-Token", "trailing-newline\n", id="LF ending a value"),
    pytest.param("X-Token", "caf\u00e9-latte", id="non-ASCII value"),
    pytest.param("X-Token", " padded", id="value with a leading space"),
    pytest.param("X-Token\n", "x", id="LF ending a name"),
    pytest.param("Bad Header", "x", id="space in a name"),
    pytest.param("X:Token", "x", id="colon in a name"),
    pytest.param("X-T\u00f6ken", "x", id="non-ASCII name"),
    pytest.param("Content-Length", "3", id="Content-Length"),
    pytest.param("transfer-encoding", "chunked", id="Transfer-Encoding"),
    pytest.param("Connection", "close", id="Connection"),
    pytest.param("Upgrade", "websocket", id="Upgrade"),
]


async def _admin(client):
    admin = await sign_up(client)
    await allow_private_targets(client, admin)
    return admin


@pytest.mark.parametrize(("name", "value"), UNSENDABLE)
async def test_a_header_no_check_could_send_is_refused_naming_it(client, target, name, value):
    admin = await _admin(client)

    response = await client.post(
        "/api/v1/services",
        json={"name": "api", "url": target.url("/health"), "headers": {name: value}},
        headers=admin.headers,
    )

    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert list(error["fields"]) == [f"headers.{name}"]
    assert value.strip() not in error["message"]  # values may be credentials
    listed = (await client.get("/api/v1/services", headers=admin.headers)).json()
    assert listed == []


async def test_changing_a_service_to_an_unsendable_header_is_refused_and_keeps_the_old_ones(
    client, target
):
    admin = await _admin(client)
    service = await create_service(
        client, admin, url=target.url("/health"), headers={"X-Env": "prod"}
    )

    response = await client.patch(
        f"/api/v1/services/{service['id']}",
        json={"headers": {"X-Env": "prod", "Transfer-Encoding": "chunked"}},
        headers=admin.headers,
    )

    assert response.status_code == 422
    assert list(response.json()["error"]["fields"]) == ["headers.Transfer-Encoding"]
    assert (await service_state(client, admin, service["id"]))["headers"] == {"X-Env": "prod"}


async def test_the_same_header_twice_in_other_cases_is_refused(client, target):
    admin = await _admin(client)

    response = await client.post(
        "/api/v1/services",
        json={
            "name": "api",
            "url": target.url("/health"),
            "headers": {"Host": "a.example", "host": "b.example"},
        },
        headers=admin.headers,
    )

    assert response.status_code == 422
    assert list(response.json()["error"]["fields"]) == ["headers.host"]


async def test_a_check_sends_a_host_override_and_custom_headers_as_written(
    client, app, prober, target
):
    admin = await _admin(client)
    service = await create_service(
        client,
        admin,
        url=target.url("/health"),
        headers={"Host": "shop.example", "X-Env": "prod", "Accept": "text/plain"},
    )

    await check_once(app, service["id"], prober)

    received = target.requests[-1].headers
    assert received["host"] == "shop.example"
    assert received["x-env"] == "prod"
    assert received["accept"] == "text/plain"
    assert (await service_state(client, admin, service["id"]))["status"] == "up"
