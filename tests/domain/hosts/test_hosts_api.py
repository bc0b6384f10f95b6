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
    assert set(response.json()["error"]["fields"]) & {"labels[key]", "missing_after"}


async def test_a_viewer_sees_hosts_but_cannot_add_one(client):
    admin = await sign_up(client)
    viewer = await add_member(client, admin, "viewer")
    await client.post("/api/v1/hosts", json={"name": "web-1"}, headers=admin.headers)

    assert len((await client.get("/api/v1/hosts", headers=viewer.headers)).json()) == 1
    assert (
        await client.post("/api/v1/hosts", json={"name": "x"}, headers=viewer.headers)
    ).status_code == 403


async def _host(client, account, name: str = "web-1") -> dict:
    response = await client.post("/api/v1/hosts", json={"name": name}, headers=account.headers)
    assert response.status_code == 201, response.text
    return response.json()["host"]


async def test_an_admin_deletes_a_host_and_the_audit_log_says_who(client):
    admin = await sign_up(client)
    host = await _host(client, admin)

    response = await client.delete(f"/api/v1/hosts/{host['id']}", headers=admin.headers)

    assert response.status_code == 204, response.text
    assert (
        await client.get(f"/api/v1/hosts/{host['id']}", headers=admin.headers)
    ).status_code == 404
    assert (await client.get("/api/v1/hosts", headers=admin.headers)).json() == []
    [entry, *_] = (await client.get("/api/v1/team/audit", headers=admin.headers)).json()["items"]
    assert entry["action"] == "DELETE /api/v1/hosts/{host_id}"
    assert entry["actor"] == admin.email
    assert entry["target"] == {"host_id": host["id"]}


async def test_a_developer_cannot_delete_a_host(client):
    admin = await sign_up(client)
    developer = await add_member(client, admin, "developer")
    host = await _host(client, admin)

    response = await client.delete(f"/api/v1/hosts/{host['id']}", headers=developer.headers)

    assert response.status_code == 403
    assert (
        await client.get(f"/api/v1/hosts/{host['id']}", headers=admin.headers)
    ).status_code == 200


async def test_a_deleted_hosts_incidents_stay_without_it(client):
    admin = await sign_up(client)
    host = await _host(client, admin)
    opened = await client.post(
        "/api/v1/incidents",
        json={"title": "web-1 is swapping", "severity": "medium", "host_id": host["id"]},
        headers=admin.headers,
    )
    assert opened.status_code == 201, opened.text

    await client.delete(f"/api/v1/hosts/{host['id']}", headers=admin.headers)

    incident = await client.get(f"/api/v1/incidents/{opened.json()['id']}", headers=admin.headers)
    assert incident.status_code == 200
    assert incident.json()["title"] == "web-1 is swapping" and incident.json()["host_id"] is None


async def test_another_teams_host_cannot_be_deleted(client):
    admin = await sign_up(client)
    outsider = await sign_up(client, team_name="Elsewhere")
    host = await _host(client, admin)

    response = await client.delete(f"/api/v1/hosts/{host['id']}", headers=outsider.headers)

    assert response.status_code == 404
    assert (
        await client.get(f"/api/v1/hosts/{host['id']}", headers=admin.headers)
    ).status_code == 200
