"""Secrets never leave the server: not in any GET answer, the audit log, the logs, or live events.

Rows with secrets are made through a real `watchdeck api` process logging at
debug level in JSON, with a team member's browser connected, then changed; then
every GET route is walked as each role and every place is searched for every
secret value.
"""

from __future__ import annotations

import re
import secrets as random

from tests.support.accounts import Account, add_member, api_key, sign_up
from tests.support.services import allow_private_targets
from tests.support.sockets import Listener
from tests.support.targets import http_target
from tests.support.waiting import eventually

_PARAM = re.compile(r"\{(\w+):(\w+)\}")


def _secret(label: str) -> str:
    return f"{label}-{random.token_hex(12)}"


async def _made(client, method: str, url: str, account: Account, body: dict | None = None) -> dict:
    response = await client.request(method, url, json=body, headers=account.headers)
    assert response.status_code in (200, 201), f"{method} {url}: {response.text}"
    return response.json()


async def test_secrets_appear_in_no_answer_log_or_event(app, live_api, live_client, sockets):
    mark = len(live_api.process.lines)
    password = _secret("password")
    client = live_client
    admin = await sign_up(client)
    viewer = await add_member(client, admin, "viewer")
    developer = await add_member(client, admin, "developer")
    found: dict[str, str] = {"password": password}
    changed_password = await client.post(
        "/api/v1/me/password",
        json={"current_password": admin.password, "new_password": password},
        headers=admin.headers,
    )
    assert changed_password.status_code == 204
    login = await client.post(
        "/api/v1/auth/login", json={"email": admin.email, "password": password}
    )
    admin.access_token = login.json()["access_token"]
    await allow_private_targets(client, admin)
    browser = await sockets(admin.access_token)
    viewer_browser: Listener = await sockets(viewer.access_token)

    with http_target() as target:
        hook = {
            "url": target.url(f"/{_secret('hook-path')}"),
            "signing_secret": _secret("signing"),
            "headers": {"X-Api-Token": _secret("header")},
        }
        slack = {"webhook_url": target.url(f"/{_secret('slack-path')}")}
        discord = {"webhook_url": target.url(f"/{_secret('discord-path')}")}
        smtp = {"smtp_password": _secret("smtp")}
        channels = {
            "webhook": await _made(
                client,
                "POST",
                "/api/v1/channels",
                developer,
                {"name": "hook", "kind": "webhook", "secrets": hook},
            ),
            "slack": await _made(
                client,
                "POST",
                "/api/v1/channels",
                developer,
                {"name": "slack", "kind": "slack", "secrets": slack},
            ),
            "discord": await _made(
                client,
                "POST",
                "/api/v1/channels",
                developer,
                {"name": "discord", "kind": "discord", "secrets": discord},
            ),
            "email": await _made(
                client,
                "POST",
                "/api/v1/channels",
                developer,
                {
                    "name": "mail",
                    "kind": "email",
                    "config": {
                        "to": ["ops@example.com"],
                        "from_address": "wd@example.com",
                        "smtp_host": "127.0.0.1",
                        "smtp_username": "wd",
                    },
                    "secrets": smtp,
                },
            ),
        }
        found |= {
            "webhook url": hook["url"],
            "signing secret": hook["signing_secret"],
            "webhook header": hook["headers"]["X-Api-Token"],
            "slack url": slack["webhook_url"],
            "discord url": discord["webhook_url"],
            "smtp password": smtp["smtp_password"],
        }
        # Changing a channel, with and without new secrets, and sending through it.
        new_header = _secret("header2")
        found["changed webhook header"] = new_header
        webhook_id = channels["webhook"]["id"]
        await _made(
            client,
            "PATCH",
            f"/api/v1/channels/{webhook_id}",
            developer,
            {"name": "hook 2", "secrets": {"headers": {"X-Api-Token": new_header}}},
        )
        await _made(client, "PATCH", f"/api/v1/channels/{webhook_id}", developer, {"name": "h3"})
        for channel in channels.values():
            await client.post(f"/api/v1/channels/{channel['id']}/test", headers=developer.headers)
        assert target.requests, "the test sends reached the local target"

    created = await _made(client, "POST", "/api/v1/hosts", developer, {"name": "web-1"})
    host_id = created["host"]["id"]
    rotated = await _made(client, "POST", f"/api/v1/hosts/{host_id}/token", developer)
    found |= {"agent token": created["token"], "rotated agent token": rotated["token"]}
    found["api key"] = await api_key(client, admin, "automation", "viewer")
    found["agent key"] = await api_key(client, admin, "agent")
    rule = await _made(
        client,
        "POST",
        "/api/v1/alert-rules",
        developer,
        {
            "name": "down",
            "condition": "service_down",
            "channel_ids": [c["id"] for c in channels.values()],
        },
    )
    await eventually(lambda: browser.got("alert_rule.created"), "the rule's live event")

    ids = {
        "channel_id": webhook_id,
        "host_id": host_id,
        "rule_id": rule["id"],
        "user_id": str(viewer.user_id),
    }
    answers = await _walk_get_routes(
        app, client, ids, {"viewer": viewer, "developer": developer, "admin": admin}
    )

    places = {
        **answers,
        "api log": "\n".join(live_api.printed_since(mark)),
        "admin's live events": repr(browser.events),
        "viewer's live events": repr(viewer_browser.events),
    }
    assert "audit" in " ".join(answers), "the audit log was read"
    for where, text in places.items():
        for what, value in found.items():
            assert value not in text, f"the {what} appears in {where}"


async def _walk_get_routes(app, client, ids: dict[str, str], people: dict[str, Account]) -> dict:
    """The body of every GET route with ids (list and detail) as each person: place -> text."""
    answers = {}
    for route in app.routes:
        params = _PARAM.findall(route.path)
        if any(kind != "uuid" for _, kind in params) or route.path == "/":
            continue  # the dashboard's files, docs pages and token links hold no rows
        if any(name not in ids for name, _ in params):
            continue
        if not any("GET" in h.http_methods for h in getattr(route, "route_handlers", [])):
            continue
        url = _PARAM.sub(lambda m: ids[m.group(1)], route.path)
        for name, person in people.items():
            response = await client.get(url, headers=person.headers)
            answers[f"GET {url} as {name} ({response.status_code})"] = response.text
    return answers
