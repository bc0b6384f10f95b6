from tests.support.accounts import add_member, sign_up


async def test_a_role_change_takes_effect_at_once(client):
    admin = await sign_up(client)
    colleague = await add_member(client, admin, "admin")
    assert (await client.get("/api/v1/team/audit", headers=colleague.headers)).status_code == 200

    demoted = await client.patch(
        f"/api/v1/team/members/{colleague.user_id}", json={"role": "viewer"}, headers=admin.headers
    )

    assert demoted.status_code == 200
    assert demoted.json()["role"] == "viewer"
    assert (await client.get("/api/v1/team/audit", headers=colleague.headers)).status_code == 403


async def test_the_last_admin_cannot_be_demoted_or_removed(client):
    admin = await sign_up(client)

    demote = await client.patch(
        f"/api/v1/team/members/{admin.user_id}", json={"role": "developer"}, headers=admin.headers
    )
    remove = await client.delete(f"/api/v1/team/members/{admin.user_id}", headers=admin.headers)

    assert demote.status_code == remove.status_code == 409
    me = (await client.get("/api/v1/me", headers=admin.headers)).json()
    assert me["role"] == "admin"


async def test_a_removed_member_is_locked_out_at_once(client):
    admin = await sign_up(client)
    viewer = await add_member(client, admin, "viewer")

    removed = await client.delete(f"/api/v1/team/members/{viewer.user_id}", headers=admin.headers)

    assert removed.status_code == 204
    assert (await client.get("/api/v1/team", headers=viewer.headers)).status_code == 401
    refreshed = await client.post(
        "/api/v1/auth/refresh", json={"refresh_token": viewer.refresh_token}
    )
    assert refreshed.status_code == 401


async def test_members_of_another_team_cannot_be_touched(client):
    admin = await sign_up(client)
    stranger_admin = await sign_up(client)

    response = await client.patch(
        f"/api/v1/team/members/{stranger_admin.user_id}",
        json={"role": "viewer"},
        headers=admin.headers,
    )

    assert response.status_code == 404


async def test_team_settings_change_for_admins(client):
    admin = await sign_up(client, team_name="Old name")

    response = await client.patch(
        "/api/v1/team",
        json={"name": "New name", "allow_private_targets": True},
        headers=admin.headers,
    )

    assert response.status_code == 200
    team = (await client.get("/api/v1/team", headers=admin.headers)).json()
    assert (team["name"], team["allow_private_targets"]) == ("New name", True)


async def test_a_person_can_create_another_team_and_lead_it(client):
    admin = await sign_up(client, team_name="One")

    created = await client.post("/api/v1/teams", json={"name": "Two"}, headers=admin.headers)

    assert created.status_code == 201
    teams = (await client.get("/api/v1/teams", headers=admin.headers)).json()
    assert {t["name"]: t["role"] for t in teams} == {"One": "admin", "Two": "admin"}
