"""The overview's list: encoded once a second per team, fresh at once after real changes,
304 while unchanged, gzip when asked, and only the fields an API user names."""

import httpx

from tests.support.accounts import sign_up
from tests.support.services import allow_private_targets, check_once, create_service


async def _list(client, admin, **headers) -> httpx.Response:
    return await client.get("/api/v1/services", headers=admin.headers | headers)


async def test_an_unchanged_list_answers_304_to_its_etag(client):
    admin = await sign_up(client)
    await create_service(client, admin, kind="push", name="Backup")

    first = await _list(client, admin)
    again = await _list(client, admin, **{"If-None-Match": first.headers["etag"]})

    assert first.status_code == 200 and [s["name"] for s in first.json()] == ["Backup"]
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == first.headers["etag"]


async def test_a_new_service_and_a_status_change_show_at_once(client, app, target, prober):
    admin = await sign_up(client)
    await allow_private_targets(client, admin)
    service = await create_service(client, admin, url=target.url("/health"), failures_before_down=1)
    before = await _list(client, admin)

    added = await create_service(client, admin, kind="push", name="Backup")
    with_new = await _list(client, admin, **{"If-None-Match": before.headers["etag"]})
    target.respond(status=503)
    await check_once(app, service["id"], prober)
    after_check = await _list(client, admin)

    assert with_new.status_code == 200
    assert {s["id"] for s in with_new.json()} == {service["id"], added["id"]}
    statuses = {s["name"]: s["status"] for s in after_check.json()}
    assert statuses == {"Checkout API": "down", "Backup": "pending"}


async def test_the_list_comes_gzipped_when_the_client_accepts_it(client):
    admin = await sign_up(client)
    for n in range(30):
        await create_service(client, admin, kind="push", name=f"job {n:02}")

    plain = await _list(client, admin, **{"Accept-Encoding": "identity"})
    packed = await client.get(
        "/api/v1/services", headers=admin.headers | {"Accept-Encoding": "gzip"}
    )

    assert packed.headers["content-encoding"] == "gzip"
    assert int(packed.headers["content-length"]) < len(plain.content) / 3
    assert packed.json() == plain.json()  # httpx inflates it, as a browser does


async def test_api_users_name_the_fields_they_want(client):
    admin = await sign_up(client)
    service = await create_service(client, admin, kind="push", name="Backup")

    slim = await client.get(
        "/api/v1/services", params={"fields": "status,id"}, headers=admin.headers
    )
    wrong = await client.get(
        "/api/v1/services", params={"fields": "id,secret"}, headers=admin.headers
    )

    assert slim.json() == [{"id": service["id"], "status": "pending"}]
    assert wrong.status_code in (400, 422)
    assert wrong.json()["error"]["fields"]["fields"].startswith("unknown field secret")
