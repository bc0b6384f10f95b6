from tests.support.accounts import PASSWORD, sign_up, unique_email


async def test_login_returns_tokens_that_open_the_api(client):
    account = await sign_up(client)

    response = await client.post(
        "/api/v1/auth/login", json={"email": account.email, "password": PASSWORD}
    )

    assert response.status_code == 200
    pair = response.json()
    assert pair["token_type"] == "bearer"
    me = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {pair['access_token']}"})
    assert me.json()["email"] == account.email


async def test_wrong_password_and_unknown_email_get_the_same_answer(client):
    account = await sign_up(client)

    wrong_password = await client.post(
        "/api/v1/auth/login", json={"email": account.email, "password": "not the password"}
    )
    unknown_email = await client.post(
        "/api/v1/auth/login", json={"email": unique_email(), "password": PASSWORD}
    )

    assert wrong_password.status_code == unknown_email.status_code == 401
    assert wrong_password.json()["error"]["message"] == unknown_email.json()["error"]["message"]


async def test_login_is_throttled_per_account_even_with_the_right_password(client, settings):
    account = await sign_up(client)
    for _ in range(settings.login_limit_per_account):
        await client.post(
            "/api/v1/auth/login", json={"email": account.email, "password": "guess-guess"}
        )

    response = await client.post(
        "/api/v1/auth/login", json={"email": account.email, "password": PASSWORD}
    )

    assert response.status_code == 429
    assert "retry-after" in response.headers


async def test_a_successful_login_resets_the_account_counter(client, settings):
    account = await sign_up(client)
    for _ in range(settings.login_limit_per_account - 1):
        await client.post(
            "/api/v1/auth/login", json={"email": account.email, "password": "guess-guess"}
        )
    ok = await client.post(
        "/api/v1/auth/login", json={"email": account.email, "password": PASSWORD}
    )

    again = await client.post(
        "/api/v1/auth/login", json={"email": account.email, "password": "nope-nope"}
    )

    assert ok.status_code == 200
    assert again.status_code == 401
