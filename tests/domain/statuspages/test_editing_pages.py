"""A team makes status pages: components over its own services and hosts, validated."""

from __future__ import annotations

import uuid

from tests.support.accounts import add_member, sign_up
from tests.support.services import create_service
from tests.support.statuspages import component, create_page


async def test_a_developer_creates_a_page_and_reads_it_back_in_order(client):
    admin = await sign_up(client)
    developer = await add_member(client, admin, "developer")
    web = await create_service(client, admin, name="web", kind="push")
    api = await create_service(client, admin, name="api", kind="push")

    page = await create_page(
        client,
        developer,
        slug="acme-status",
        title="Acme status",
        theme="dark",
        footer_links=[{"label": "Support", "url": "https://acme.example/support"}],
        components=[
            component("Website", [web], group="Public"),
            component("API", [api, web], group="Public", show_latency=True),
        ],
    )

    read = (await client.get(f"/api/v1/status-pages/{page['id']}", headers=admin.headers)).json()
    assert read["path"] == "/status/acme-status"
    assert read["theme"] == "dark"
    assert [(c["name"], c["group"]) for c in read["components"]] == [
        ("Website", "Public"),
        ("API", "Public"),
    ]
    assert read["components"][1]["service_ids"] == [api["id"], web["id"]]
    listed = (await client.get("/api/v1/status-pages", headers=admin.headers)).json()
    assert [p["slug"] for p in listed] == ["acme-status"]


async def test_a_slug_another_team_holds_is_refused_naming_the_field(client):
    first = await sign_up(client, team_name="First")
    second = await sign_up(client, team_name="Second")
    await create_page(client, first, slug="status")

    taken = await client.post(
        "/api/v1/status-pages", json={"slug": "status", "title": "Mine"}, headers=second.headers
    )

    assert taken.status_code == 409
    assert taken.json()["error"]["fields"] == {"slug": "already taken"}


async def test_bad_input_is_refused_naming_the_field_and_nothing_is_written(client):
    admin = await sign_up(client, team_name="Ours")
    other = await sign_up(client, team_name="Theirs")
    ours = await create_service(client, admin, name="ours", kind="push")
    theirs = await create_service(client, other, name="theirs", kind="push")
    base = {"slug": "ours", "title": "Ours"}
    cases = {
        "slug": base | {"slug": "Not A Slug"},
        "components[0]": base | {"components": [component("Empty")]},
        "components[1].service_ids": base
        | {"components": [component("Mine", [ours]), component("Not mine", [theirs])]},
        "footer_links[0].url": base | {"footer_links": [{"label": "x", "url": "javascript:1"}]},
    }

    for field, body in cases.items():
        response = await client.post("/api/v1/status-pages", json=body, headers=admin.headers)
        assert response.status_code == 422, (field, response.text)
        assert field in response.json()["error"]["fields"], (field, response.text)

    reserved = await client.post(
        "/api/v1/status-pages", json=base | {"slug": "api"}, headers=admin.headers
    )
    assert reserved.status_code == 422 and "slug" in reserved.json()["error"]["fields"]
    assert (await client.get("/api/v1/status-pages", headers=admin.headers)).json() == []


async def test_a_change_shows_on_the_public_page_at_once(client):
    admin = await sign_up(client)
    web = await create_service(client, admin, name="web", kind="push")
    page = await create_page(client, admin, title="Before", components=[component("Web", [web])])
    assert "Before" in (await client.get("/status/acme")).text

    changed = await client.patch(
        f"/api/v1/status-pages/{page['id']}",
        json={"title": "After", "slug": "acme-2", "components": [component("Site", [web])]},
        headers=admin.headers,
    )

    assert changed.status_code == 200, changed.text
    assert [c["name"] for c in changed.json()["components"]] == ["Site"]
    now = await client.get("/status/acme-2")
    assert "After" in now.text and "Site" in now.text
    assert (await client.get("/status/acme")).status_code == 404


async def test_another_team_cannot_read_change_or_delete_a_page(client):
    admin = await sign_up(client, team_name="Ours")
    outsider = await sign_up(client, team_name="Theirs")
    page = await create_page(client, admin)
    url = f"/api/v1/status-pages/{page['id']}"

    answers = [
        (await client.get(url, headers=outsider.headers)).status_code,
        (await client.patch(url, json={"title": "x"}, headers=outsider.headers)).status_code,
        (await client.delete(url, headers=outsider.headers)).status_code,
    ]

    assert answers == [404, 404, 404]
    assert (await client.get(url, headers=admin.headers)).json()["title"] == "Acme"


async def test_a_component_sent_back_with_its_id_stays_the_same_component(client):
    admin = await sign_up(client)
    api = await create_service(client, admin, name="api", kind="push")
    web = await create_service(client, admin, name="web", kind="push")
    page = await create_page(
        client, admin, components=[component("API", [api]), component("Website", [web])]
    )
    api_row, web_row = page["components"]

    changed = await client.patch(
        f"/api/v1/status-pages/{page['id']}",
        json={
            "components": [
                component("Website", [web]) | {"id": web_row["id"]},
                component("Public API", [api]) | {"id": api_row["id"]},
                component("Search", [api]) | {"id": str(uuid.uuid4())},
            ]
        },
        headers=admin.headers,
    )

    assert changed.status_code == 200, changed.text
    rows = changed.json()["components"]
    assert [(c["name"], c["id"]) for c in rows[:2]] == [
        ("Website", web_row["id"]),
        ("Public API", api_row["id"]),
    ]
    assert rows[2]["id"] not in {api_row["id"], web_row["id"]}
