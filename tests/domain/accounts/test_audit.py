from tests.support.accounts import add_member, sign_up


async def test_mutating_requests_are_recorded_with_who_and_from_where(client):
    admin = await sign_up(client)
    await client.patch("/api/v1/team", json={"name": "Renamed"}, headers=admin.headers)
    await client.get("/api/v1/team", headers=admin.headers)

    page = (await client.get("/api/v1/team/audit", headers=admin.headers)).json()

    actions = [entry["action"] for entry in page["items"]]
    assert actions[0] == "PATCH /api/v1/team"
    assert "POST /api/v1/auth/signup" in actions
    assert not any(action.startswith("GET") for action in actions)
    newest = page["items"][0]
    assert newest["actor"] == admin.email
    assert newest["status_code"] == 200
    assert newest["ip"]


async def test_the_audit_log_records_targets_and_pages_newest_first(client):
    admin = await sign_up(client)
    viewer = await add_member(client, admin, "viewer")
    await client.patch(
        f"/api/v1/team/members/{viewer.user_id}", json={"role": "developer"}, headers=admin.headers
    )

    first = (await client.get("/api/v1/team/audit?limit=1", headers=admin.headers)).json()
    second = (
        await client.get(
            f"/api/v1/team/audit?limit=1&before={first['next_cursor']}", headers=admin.headers
        )
    ).json()

    assert first["items"][0]["target"] == {"user_id": str(viewer.user_id)}
    assert second["items"][0]["id"] < first["items"][0]["id"]


async def test_failed_requests_leave_no_audit_entry(client):
    admin = await sign_up(client)
    before = len((await client.get("/api/v1/team/audit", headers=admin.headers)).json()["items"])

    await client.patch("/api/v1/team", json={"name": ""}, headers=admin.headers)

    after = (await client.get("/api/v1/team/audit", headers=admin.headers)).json()["items"]
    assert len(after) == before
