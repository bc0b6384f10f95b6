from tests.support.accounts import add_member, sign_up


async def test_a_new_host_comes_with_its_token_and_install_line_once(client):
    admin = await sign_up(client)

    created = (
        await client.post(
            "/api/v1/hosts",
            json={"name": "web-1", "labels": {"env": "prod"}},
            headers=admin.headers,
        )
    ).json()

    assert created["token"].startswith("wd_")
    assert created["token"] in created["install_command"]
    assert "watchdeck-agent" in created["install_command"]
    assert created["host"]["status"] == "pending" and created["host"]["labels"] == {"env": "prod"}
    listed = (await client.get("/api/v1/hosts", headers=admin.headers)).text
    assert created["token"] not in listed


async def test_a_host_named_with_all_100_characters_gets_its_token_and_a_new_one(client):
    admin = await sign_up(client)
    name = "h" * 100

    response = await client.post("/api/v1/hosts", json={"name": name}, headers=admin.headers)

    assert response.status_code == 201, response.text
    host = response.json()["host"]
    assert host["name"] == name
    rotated = await client.post(f"/api/v1/hosts/{host['id']}/token", headers=admin.headers)
    assert rotated.status_code == 200, rotated.text


async def test_host_settings_are_validated_by_field(client):
    admin = await sign_up(client)

    response = await client.post(
        "/api/v1/hosts",
        json={"name": "x", "labels": {"bad key": "v"}, "missing_after": 1},
        headers=admin.headers,
    )

    assert response.status_code == 422
    assert set(response.json()["error"]["fields"]) & {"labels", "missing_after"}


async def test_a_viewer_sees_hosts_but_cannot_add_one(client):
    admin = await sign_up(client)
    viewer = await add_member(client, admin, "viewer")
    await client.post("/api/v1/hosts", json={"name": "web-1"}, headers=admin.headers)

    assert len((await client.get("/api/v1/hosts", headers=viewer.headers)).json()) == 1
    assert (
        await client.post("/api/v1/hosts", json={"name": "x"}, headers=viewer.headers)
    ).status_code == 403
