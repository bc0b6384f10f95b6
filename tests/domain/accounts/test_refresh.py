from tests.support.accounts import sign_up


async def _refresh(client, token: str):
    return await client.post("/api/v1/auth/refresh", json={"refresh_token": token})


async def test_refresh_rotates_the_token(client):
    account = await sign_up(client)

    first = await _refresh(client, account.refresh_token)

    assert first.status_code == 200
    rotated = first.json()
    assert rotated["refresh_token"] != account.refresh_token
    me = await client.get(
        "/api/v1/me", headers={"Authorization": f"Bearer {rotated['access_token']}"}
    )
    assert me.status_code == 200


async def test_reusing_a_refresh_token_revokes_the_whole_sign_in(client):
    account = await sign_up(client)
    rotated = (await _refresh(client, account.refresh_token)).json()

    reuse = await _refresh(client, account.refresh_token)

    assert reuse.status_code == 401
    assert "already used" in reuse.json()["error"]["message"]
    # The legitimate newer token of the same family is dead too.
    assert (await _refresh(client, rotated["refresh_token"])).status_code == 401


async def test_other_sign_ins_survive_a_reuse_in_one_family(client):
    account = await sign_up(client)
    other = (
        await client.post(
            "/api/v1/auth/login", json={"email": account.email, "password": account.password}
        )
    ).json()
    await _refresh(client, account.refresh_token)
    await _refresh(client, account.refresh_token)

    assert (await _refresh(client, other["refresh_token"])).status_code == 200


async def test_logout_revokes_the_refresh_token(client):
    account = await sign_up(client)

    response = await client.post(
        "/api/v1/auth/logout", json={"refresh_token": account.refresh_token}
    )

    assert response.status_code == 204
    assert (await _refresh(client, account.refresh_token)).status_code == 401


async def test_unknown_refresh_token_is_refused(client):
    assert (await _refresh(client, "made-up-token")).status_code == 401
