"""An open Socket.IO connection loses its access when its access ends.

Sockets connect to a real `watchdeck api` process while every change is made through
the in-process app, another process, so the announcement travels through Redis as it
does between api replicas. After each cause the affected sockets are disconnected,
hear no team event caused afterwards and cannot come back with their token; everyone
else stays connected and keeps hearing the team.
"""

from __future__ import annotations

import time
import uuid

import jwt
import pytest
import socketio
from watchdeck.domain.accounts.password_reset import link_for

from tests.support.accounts import PASSWORD, Account, add_member, api_key, sign_up
from tests.support.sockets import Listener
from tests.support.waiting import eventually

NEW_PASSWORD = "a brand new passphrase"


async def _dropped(listener: Listener, what: str) -> None:
    async def gone() -> bool:
        return not listener.sio.connected

    await eventually(gone, f"{what} to be disconnected", timeout=15)


async def _team_changes(client, admin: Account, kept: list[Listener], dropped: list[Listener]):
    """Cause a team event: every kept socket hears it and is still connected; no dropped
    socket hears it (each would, being in the same team, were it still connected)."""
    name = f"after-{uuid.uuid4().hex[:8]}"
    created = await client.post(
        "/api/v1/services", json={"name": name, "kind": "push"}, headers=admin.headers
    )
    assert created.status_code == 201, created.text

    for listener in kept:

        async def heard(listener: Listener = listener) -> bool:
            return any(data["data"]["name"] == name for data in listener.got("service.created"))

        await eventually(heard, "an unaffected socket to hear the new service")
        assert listener.sio.connected
    for listener in dropped:
        assert not listener.sio.connected
        assert name not in [data["data"]["name"] for data in listener.got("service.created")]


async def _refused(live_api, token: str) -> None:
    with pytest.raises(socketio.exceptions.ConnectionError):
        await Listener().connect(live_api.base, token)


async def _login(client, account: Account) -> dict:
    response = await client.post(
        "/api/v1/auth/login", json={"email": account.email, "password": account.password}
    )
    assert response.status_code == 200, response.text
    return response.json()


async def _developer_and_viewer(client) -> tuple[Account, Account, Account]:
    admin = await sign_up(client)
    return (
        admin,
        await add_member(client, admin, "developer"),
        await add_member(client, admin, "viewer"),
    )


async def test_a_removed_member_is_disconnected_and_hears_nothing_more(client, sockets, live_api):
    admin, developer, viewer = await _developer_and_viewer(client)
    incident = await client.post(
        "/api/v1/incidents", json={"title": "Slow", "severity": "low"}, headers=admin.headers
    )
    looking = {"incident_id": incident.json()["id"]}
    removed = await sockets(viewer.access_token)
    kept = [await sockets(admin.access_token), await sockets(developer.access_token)]
    assert (await removed.call("incident.view", looking))["ok"]
    assert (await kept[0].call("incident.view", looking))["ok"]

    response = await client.delete(f"/api/v1/team/members/{viewer.user_id}", headers=admin.headers)

    assert response.status_code == 204, response.text
    await _dropped(removed, "the removed member's socket")
    await _team_changes(client, admin, kept, [removed])
    await _refused(live_api, viewer.access_token)

    # Nor is the removed member still shown among the incident's viewers.
    async def left() -> bool:
        latest = kept[0].got("presence")[-1]["data"]["viewers"]
        return str(viewer.user_id) not in [person["user_id"] for person in latest]

    await eventually(left, "the removed member to leave the incident's viewers")


async def test_removal_from_one_team_leaves_the_persons_connection_to_another(client, sockets):
    admin = await sign_up(client)
    other_admin = await sign_up(client, team_name="Other")
    both = await add_member(client, other_admin, "viewer")
    # The same person, invited to the first team too, keeps one connection to each.
    invited = await client.post(
        "/api/v1/team/invites", json={"email": both.email, "role": "viewer"}, headers=admin.headers
    )
    accepted = await client.post(
        "/api/v1/invites/accept",
        json={"token": invited.json()["token"], "password": PASSWORD, "name": "Both"},
    )
    assert accepted.status_code == 200, accepted.text
    in_first = await sockets(accepted.json()["access_token"])
    in_other = await sockets(both.access_token)

    response = await client.delete(f"/api/v1/team/members/{both.user_id}", headers=admin.headers)

    assert response.status_code == 204, response.text
    await _dropped(in_first, "the removed member's socket to the first team")
    await _team_changes(client, admin, [], [in_first])
    await _team_changes(client, other_admin, [in_other], [])


async def test_a_member_whose_role_changes_reconnects_with_the_new_role(client, sockets):
    admin, developer, viewer = await _developer_and_viewer(client)
    demoted = await sockets(developer.access_token)
    kept = [await sockets(admin.access_token), await sockets(viewer.access_token)]
    incident = await client.post(
        "/api/v1/incidents", json={"title": "Slow", "severity": "low"}, headers=admin.headers
    )
    typing = {"incident_id": incident.json()["id"], "typing": True}
    assert "error" not in await demoted.call(
        "incident.view", {"incident_id": typing["incident_id"]}
    )
    assert await demoted.call("incident.typing", typing) == {"ok": True}

    response = await client.patch(
        f"/api/v1/team/members/{developer.user_id}", json={"role": "viewer"}, headers=admin.headers
    )

    assert response.status_code == 200, response.text
    await _dropped(demoted, "the demoted developer's socket")
    await _team_changes(client, admin, kept, [demoted])
    again = await sockets(developer.access_token)  # the token is good; the role is new
    await again.call("incident.view", {"incident_id": typing["incident_id"]})
    assert "role" in (await again.call("incident.typing", typing))["error"]["message"]


async def test_setting_the_same_role_again_leaves_the_connection_alone(client, sockets):
    admin, developer, _ = await _developer_and_viewer(client)
    unchanged = await sockets(developer.access_token)

    response = await client.patch(
        f"/api/v1/team/members/{developer.user_id}",
        json={"role": "developer"},
        headers=admin.headers,
    )

    assert response.status_code == 200, response.text
    await _team_changes(client, admin, [unchanged], [])


async def test_signing_out_disconnects_that_sign_in_only(client, sockets, live_api):
    admin, developer, _ = await _developer_and_viewer(client)
    elsewhere = await _login(client, developer)
    signed_out = await sockets(developer.access_token)
    kept = [await sockets(elsewhere["access_token"]), await sockets(admin.access_token)]

    response = await client.post(
        "/api/v1/auth/logout", json={"refresh_token": developer.refresh_token}
    )

    assert response.status_code == 204, response.text
    await _dropped(signed_out, "the signed-out socket")
    await _team_changes(client, admin, kept, [signed_out])
    await _refused(live_api, developer.access_token)


async def test_a_reused_refresh_token_disconnects_its_sign_in(client, sockets, live_api):
    admin, developer, _ = await _developer_and_viewer(client)
    elsewhere = await _login(client, developer)
    rotated = await client.post(
        "/api/v1/auth/refresh", json={"refresh_token": developer.refresh_token}
    )
    assert rotated.status_code == 200, rotated.text
    # Both the thief's and the owner's connections of that sign-in go.
    stolen = [
        await sockets(developer.access_token),
        await sockets(rotated.json()["access_token"]),
    ]
    kept = [await sockets(elsewhere["access_token"]), await sockets(admin.access_token)]

    reuse = await client.post(
        "/api/v1/auth/refresh", json={"refresh_token": developer.refresh_token}
    )

    assert reuse.status_code == 401, reuse.text
    for listener in stolen:
        await _dropped(listener, "a socket of the leaked sign-in")
    await _team_changes(client, admin, kept, stolen)
    await _refused(live_api, rotated.json()["access_token"])


async def test_a_password_change_disconnects_every_sign_in_of_the_person(client, sockets, live_api):
    admin, developer, viewer = await _developer_and_viewer(client)
    elsewhere = await _login(client, developer)
    changed = [await sockets(developer.access_token), await sockets(elsewhere["access_token"])]
    kept = [await sockets(admin.access_token), await sockets(viewer.access_token)]

    response = await client.post(
        "/api/v1/me/password",
        json={"current_password": PASSWORD, "new_password": NEW_PASSWORD},
        headers=developer.headers,
    )

    assert response.status_code == 204, response.text
    for listener in changed:
        await _dropped(listener, "a socket of the person who changed their password")
    await _team_changes(client, admin, kept, changed)
    await _refused(live_api, elsewhere["access_token"])


async def test_a_password_reset_disconnects_every_earlier_sign_in(
    client, sockets, live_api, running_app
):
    admin, developer, viewer = await _developer_and_viewer(client)
    elsewhere = await _login(client, developer)
    reset = [await sockets(developer.access_token), await sockets(elsewhere["access_token"])]
    kept = [await sockets(admin.access_token), await sockets(viewer.access_token)]
    async with running_app.state.session_factory() as session:
        link = await link_for(session, running_app.state.settings, developer.email)

    response = await client.post(
        "/api/v1/password-resets/accept",
        json={"token": link.rsplit("/", 1)[1], "password": NEW_PASSWORD},
    )

    assert response.status_code == 200, response.text
    for listener in reset:
        await _dropped(listener, "a socket from before the reset")
    # The sign-in the reset answered with is new, and connects.
    kept.append(await sockets(response.json()["session"]["access_token"]))
    await _team_changes(client, admin, kept, reset)
    await _refused(live_api, developer.access_token)


async def test_a_revoked_api_key_is_disconnected_and_other_keys_stay(client, sockets, live_api):
    admin = await sign_up(client)
    revoked_key = await api_key(client, admin, "automation", "viewer")
    other_key = await api_key(client, admin, "automation", "developer")
    revoked = await sockets(revoked_key)
    kept = [await sockets(other_key), await sockets(admin.access_token)]
    keys = (await client.get("/api/v1/team/api-keys", headers=admin.headers)).json()
    [key_id] = [key["id"] for key in keys if revoked_key.startswith(key["prefix"])]

    response = await client.delete(f"/api/v1/team/api-keys/{key_id}", headers=admin.headers)

    assert response.status_code == 204, response.text
    await _dropped(revoked, "the revoked key's socket")
    await _team_changes(client, admin, kept, [revoked])
    await _refused(live_api, revoked_key)


async def test_a_connection_whose_token_expired_stays_until_its_access_is_revoked(
    client, sockets, live_api, settings
):
    """A socket outlives its access token's expiry (it is checked at connect), but not a
    revocation: the announcement needs no live token to find it."""
    admin, developer, _ = await _developer_and_viewer(client)
    claims = jwt.decode(developer.access_token, options={"verify_signature": False})
    short = jwt.encode(claims | {"exp": int(time.time()) + 3}, settings.secret_key, "HS256")
    expiring = await sockets(short)
    kept = [await sockets(admin.access_token)]

    async def expired() -> bool:
        answer = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {short}"})
        return answer.status_code == 401

    await eventually(expired, "the short token to expire")
    await _team_changes(client, admin, kept + [expiring], [])

    response = await client.post(
        "/api/v1/auth/logout", json={"refresh_token": developer.refresh_token}
    )

    assert response.status_code == 204, response.text
    await _dropped(expiring, "the socket of the expired token")
    await _team_changes(client, admin, kept, [expiring])
