"""Every route × every kind of caller, against the role table in DESIGN.md.

EXPECTED is the specification: a route added to the app without an entry here
fails `test_every_route_has_an_entry`, so no route ships without a decision on
who may call it. Callers: nobody, a viewer, a developer and an admin of team A,
an admin of team B (who must never reach team A's rows), automation keys with
each role, and an agent key.
"""

from __future__ import annotations

import re
import uuid

import pytest
from watchdeck.domain.accounts.auth import route_access
from watchdeck.domain.accounts.roles import Access
from watchdeck.domain.statuspages.models import Subscriber
from watchdeck.embedded import free_port

from tests.support.accounts import Account, add_member, api_key, invite, sign_up
from tests.support.alerts import firing_alert
from tests.support.services import allow_private_targets

P, U, V, D, A, G = (
    Access.public,
    Access.user,
    Access.viewer,
    Access.developer,
    Access.admin,
    Access.agent,
)

EXPECTED: dict[tuple[str, str], Access] = {
    ("GET", "/healthz"): P,
    ("GET", "/readyz"): P,
    ("GET", "/"): P,
    ("GET", "/{path:path}"): P,
    ("GET", "/api/docs"): P,
    ("GET", "/api/docs/openapi.json"): P,
    ("GET", "/api/docs/scalar"): P,
    ("GET", "/api/docs/{path:str}"): P,
    ("POST", "/api/v1/auth/signup"): P,
    ("POST", "/api/v1/auth/login"): P,
    ("POST", "/api/v1/auth/refresh"): P,
    ("POST", "/api/v1/auth/logout"): P,
    ("POST", "/api/v1/auth/switch-team"): U,
    ("POST", "/api/v1/auth/password-reset"): P,
    ("GET", "/api/v1/password-resets/{token:str}"): P,
    ("POST", "/api/v1/password-resets/accept"): P,
    ("GET", "/api/v1/me"): U,
    ("POST", "/api/v1/me/password"): U,
    ("GET", "/api/v1/teams"): U,
    ("POST", "/api/v1/teams"): U,
    ("GET", "/api/v1/invites/{token:str}"): P,
    ("POST", "/api/v1/invites/accept"): P,
    ("GET", "/api/v1/team"): V,
    ("PATCH", "/api/v1/team"): A,
    ("GET", "/api/v1/team/members"): V,
    ("PATCH", "/api/v1/team/members/{user_id:uuid}"): A,
    ("DELETE", "/api/v1/team/members/{user_id:uuid}"): A,
    ("GET", "/api/v1/team/invites"): A,
    ("POST", "/api/v1/team/invites"): A,
    ("DELETE", "/api/v1/team/invites/{invite_id:uuid}"): A,
    ("GET", "/api/v1/team/api-keys"): A,
    ("POST", "/api/v1/team/api-keys"): A,
    ("DELETE", "/api/v1/team/api-keys/{key_id:uuid}"): A,
    ("GET", "/api/v1/team/audit"): A,
    ("GET", "/api/v1/services"): V,
    ("POST", "/api/v1/services"): D,
    ("GET", "/api/v1/services/{service_id:uuid}"): V,
    ("PATCH", "/api/v1/services/{service_id:uuid}"): D,
    ("DELETE", "/api/v1/services/{service_id:uuid}"): A,
    ("POST", "/api/v1/services/{service_id:uuid}/check-now"): D,
    ("POST", "/api/v1/services/{service_id:uuid}/push-url"): D,
    ("GET", "/api/v1/services/{service_id:uuid}/checks"): V,
    ("GET", "/api/v1/services/{service_id:uuid}/series"): V,
    ("GET", "/api/v1/services/{service_id:uuid}/uptime-days"): V,
    ("GET", "/api/v1/services/{service_id:uuid}/locations"): V,
    ("GET", "/api/v1/push/{token:str}"): P,
    ("POST", "/api/v1/push/{token:str}"): P,
    ("GET", "/api/v1/maintenance"): V,
    ("POST", "/api/v1/maintenance"): D,
    ("PATCH", "/api/v1/maintenance/{window_id:uuid}"): D,
    ("DELETE", "/api/v1/maintenance/{window_id:uuid}"): A,
    ("GET", "/api/v1/incidents"): V,
    ("GET", "/api/v1/incidents/{incident_id:uuid}"): V,
    ("POST", "/api/v1/incidents"): D,
    ("GET", "/api/v1/incidents/stats"): V,
    ("PATCH", "/api/v1/incidents/{incident_id:uuid}"): D,
    ("POST", "/api/v1/incidents/{incident_id:uuid}/resolve"): A,
    ("POST", "/api/v1/incidents/{incident_id:uuid}/reopen"): A,
    ("GET", "/api/v1/incidents/{incident_id:uuid}/comments"): V,
    ("POST", "/api/v1/incidents/{incident_id:uuid}/comments"): D,
    ("PATCH", "/api/v1/incidents/{incident_id:uuid}/comments/{comment_id:uuid}"): D,
    ("DELETE", "/api/v1/incidents/{incident_id:uuid}/comments/{comment_id:uuid}"): D,
    ("GET", "/api/v1/hosts"): V,
    ("POST", "/api/v1/hosts"): D,
    ("GET", "/api/v1/hosts/{host_id:uuid}"): V,
    ("PATCH", "/api/v1/hosts/{host_id:uuid}"): D,
    ("DELETE", "/api/v1/hosts/{host_id:uuid}"): A,
    ("POST", "/api/v1/hosts/{host_id:uuid}/token"): D,
    ("GET", "/api/v1/hosts/{host_id:uuid}/metrics"): V,
    ("GET", "/api/v1/services/{service_id:uuid}/traffic"): V,
    ("POST", "/api/v1/ingest/metrics"): G,
    ("POST", "/api/v1/ingest/logs"): G,
    ("POST", "/api/v1/ingest/service-metrics"): G,
    ("POST", "/api/v1/ingest/checks"): G,
    ("GET", "/api/v1/agent/assignments"): G,
    ("GET", "/api/v1/logs"): V,
    ("GET", "/api/v1/alert-rules"): V,
    ("POST", "/api/v1/alert-rules"): D,
    ("GET", "/api/v1/alert-rules/{rule_id:uuid}"): V,
    ("PATCH", "/api/v1/alert-rules/{rule_id:uuid}"): D,
    ("DELETE", "/api/v1/alert-rules/{rule_id:uuid}"): A,
    ("GET", "/api/v1/channels"): V,
    ("POST", "/api/v1/channels"): D,
    ("GET", "/api/v1/channels/{channel_id:uuid}"): V,
    ("PATCH", "/api/v1/channels/{channel_id:uuid}"): D,
    ("DELETE", "/api/v1/channels/{channel_id:uuid}"): A,
    ("POST", "/api/v1/channels/{channel_id:uuid}/test"): D,
    ("GET", "/api/v1/channels/{channel_id:uuid}/deliveries"): V,
    ("GET", "/api/v1/alerts"): V,
    ("GET", "/api/v1/alerts/count"): V,
    ("GET", "/api/v1/alerts/{alert_id:uuid}"): V,
    ("GET", "/api/v1/status-pages"): V,
    ("POST", "/api/v1/status-pages"): D,
    ("GET", "/api/v1/status-pages/{page_id:uuid}"): V,
    ("PATCH", "/api/v1/status-pages/{page_id:uuid}"): D,
    ("DELETE", "/api/v1/status-pages/{page_id:uuid}"): A,
    ("GET", "/status/{slug:str}"): P,
    ("GET", "/status/{slug:str}/api/summary.json"): P,
    ("GET", "/status/{slug:str}/history"): P,
    ("GET", "/status/{slug:str}/incidents/{notice_id:uuid}"): P,
    ("GET", "/status/{slug:str}/feed.atom"): P,
    ("GET", "/status/{slug:str}/feed.rss"): P,
    ("GET", "/status/{slug:str}/events"): P,
    ("GET", "/status/{slug:str}/live.js"): P,
    ("GET", "/status/{slug:str}/logo"): P,
    ("POST", "/status/{slug:str}/unlock"): P,
    ("PUT", "/api/v1/status-pages/{page_id:uuid}/logo"): D,
    ("DELETE", "/api/v1/status-pages/{page_id:uuid}/logo"): D,
    ("GET", "/api/v1/public-incidents"): V,
    ("POST", "/api/v1/public-incidents"): D,
    ("GET", "/api/v1/public-incidents/{notice_id:uuid}"): V,
    ("PATCH", "/api/v1/public-incidents/{notice_id:uuid}"): D,
    ("POST", "/api/v1/public-incidents/{notice_id:uuid}/updates"): D,
    ("DELETE", "/api/v1/public-incidents/{notice_id:uuid}"): A,
    ("GET", "/api/v1/status-pages/{page_id:uuid}/subscribers"): D,
    ("DELETE", "/api/v1/status-pages/{page_id:uuid}/subscribers/{subscriber_id:uuid}"): D,
    ("GET", "/status/{slug:str}/subscribe"): P,
    ("POST", "/status/{slug:str}/subscribe"): P,
    ("GET", "/status/{slug:str}/subscribe/confirm"): P,
    ("GET", "/status/{slug:str}/unsubscribe"): P,
    ("POST", "/status/{slug:str}/unsubscribe"): P,
    ("GET", "/badge/{key:str}/status.svg"): P,
    ("GET", "/badge/{key:str}/uptime.svg"): P,
    ("GET", "/badge/{key:str}/latency.svg"): P,
}


# Valid bodies for routes that take an id, so the outsider's call reaches the row lookup.
BODIES = {
    ("PATCH", "/api/v1/team/members/{user_id:uuid}"): {"role": "viewer"},
    ("POST", "/api/v1/incidents/{incident_id:uuid}/comments"): {"body": "Looking into it"},
    ("POST", "/api/v1/public-incidents/{notice_id:uuid}/updates"): {
        "status": "identified",
        "body": "Found it",
    },
}


def app_routes(app) -> dict[tuple[str, str], Access]:
    found = {}
    for route in app.routes:
        for handler in getattr(route, "route_handlers", []):
            for method in handler.http_methods - {"OPTIONS"}:
                found[(method, route.path)] = route_access(handler)
    return found


def test_every_route_has_an_entry(app):
    routes = app_routes(app)

    assert set(routes) - set(EXPECTED) == set(), "new routes need a line in EXPECTED"
    assert set(EXPECTED) - set(routes) == set(), "EXPECTED lists routes the app no longer has"


def test_every_route_declares_the_expected_level(app):
    assert app_routes(app) == EXPECTED


class World:
    """Team A with a person of each role and keys; team B's admin as the outsider."""

    async def build(self, client, db) -> World:
        self.admin = await sign_up(client, team_name="Team A")
        self.developer = await add_member(client, self.admin, "developer")
        self.viewer = await add_member(client, self.admin, "viewer")
        self.outsider = await sign_up(client, team_name="Team B")
        self.pending = await invite(client, self.admin, "viewer")
        self.keys = {
            kind: await api_key(client, self.admin, *kind.split(":"))
            for kind in ("automation:viewer", "automation:developer", "automation:admin", "agent")
        }
        key_list = (await client.get("/api/v1/team/api-keys", headers=self.admin.headers)).json()
        # A push monitor: "check now" answers at once (422) instead of waiting for a worker.
        service = await client.post(
            "/api/v1/services",
            json={"name": "Nightly backup", "kind": "push", "badges": True},
            headers=self.admin.headers,
        )
        window = await client.post(
            "/api/v1/maintenance",
            json={
                "name": "Upgrade",
                "starts_at": "2030-01-01T00:00:00Z",
                "ends_at": "2030-01-01T01:00:00Z",
            },
            headers=self.admin.headers,
        )
        host = await client.post(
            "/api/v1/hosts", json={"name": "web-1"}, headers=self.admin.headers
        )
        assert service.status_code == window.status_code == host.status_code == 201, (
            service.text,
            window.text,
            host.text,
        )
        incident = await client.post(
            "/api/v1/incidents",
            json={"title": "Checkout errors", "severity": "high"},
            headers=self.admin.headers,
        )
        assert incident.status_code == 201, incident.text
        # By the developer: the one in-team caller ordered before the admin, so DELETE
        # (author or admin) finds the author first and everyone after gets a 404.
        comment = await client.post(
            f"/api/v1/incidents/{incident.json()['id']}/comments",
            json={"body": "Looking into it"},
            headers=self.developer.headers,
        )
        assert comment.status_code == 201, comment.text
        await allow_private_targets(client, self.admin)
        channel = await client.post(
            "/api/v1/channels",
            json={
                "name": "Ops hook",
                "kind": "webhook",
                "secrets": {"url": f"http://127.0.0.1:{free_port()}/hook"},
            },
            headers=self.admin.headers,
        )
        assert channel.status_code == 201, channel.text
        [rule, *_] = (await client.get("/api/v1/alert-rules", headers=self.admin.headers)).json()
        alert = await firing_alert(db, self.admin.team_id, rule["id"], service.json()["service"])
        page = await client.post(
            "/api/v1/status-pages",
            json={
                "slug": "team-a",
                "title": "Team A",
                "components": [
                    {"name": "Backups", "service_ids": [service.json()["service"]["id"]]}
                ],
            },
            headers=self.admin.headers,
        )
        assert page.status_code == 201, page.text
        notice = await client.post(
            "/api/v1/public-incidents",
            json={
                "title": "Backups late",
                "impact": "degraded_performance",
                "page_ids": [page.json()["id"]],
                "body": "Looking into it.",
            },
            headers=self.admin.headers,
        )
        assert notice.status_code == 201, notice.text
        async with db() as session:
            subscriber = Subscriber(
                page_id=uuid.UUID(page.json()["id"]), kind="email", address="reader@example.net"
            )
            session.add(subscriber)
            await session.commit()
        self.path_params = {
            "user_id": str(self.viewer.user_id),
            "invite_id": self.pending["invite"]["id"],
            "key_id": key_list[-1]["id"],
            "token": self.pending["token"],
            "path": "overview",
            "service_id": service.json()["service"]["id"],
            "window_id": window.json()["id"],
            "host_id": host.json()["host"]["id"],
            "incident_id": incident.json()["id"],
            "comment_id": comment.json()["id"],
            "rule_id": rule["id"],
            "channel_id": channel.json()["id"],
            "alert_id": str(alert),
            "page_id": page.json()["id"],
            "subscriber_id": str(subscriber.id),
            "notice_id": notice.json()["id"],
            "slug": "team-a",
            "key": service.json()["service"]["badge_path"].removeprefix("/badge/"),
        }
        return self

    def callers(self) -> dict[str, tuple[dict[str, str], Access | None, bool]]:
        """name -> (headers, highest access it has, is it in team A)."""

        def bearer(token: str) -> dict[str, str]:
            return {"Authorization": f"Bearer {token}"}

        return {
            "nobody": ({}, None, False),
            "viewer": (self.viewer.headers, V, True),
            "developer": (self.developer.headers, D, True),
            "admin": (self.admin.headers, A, True),
            "outsider": (self.outsider.headers, A, False),
            "viewer key": (bearer(self.keys["automation:viewer"]), V, True),
            "developer key": (bearer(self.keys["automation:developer"]), D, True),
            "admin key": (bearer(self.keys["automation:admin"]), A, True),
            "agent key": (bearer(self.keys["agent"]), G, True),
        }


def _allowed(access: Access, caller: str, level: Access | None) -> bool:
    if access is Access.public:
        return True
    if level is None:
        return False
    if access is Access.agent:
        return level is Access.agent
    if access is Access.user:
        return caller in {"viewer", "developer", "admin", "outsider"}
    return level is not Access.agent and level >= access


def _fill(path: str, params: dict[str, str]) -> str:
    return re.sub(r"\{(\w+)(?::\w+)?\}", lambda m: params[m.group(1)], path)


@pytest.mark.parametrize(("method", "path"), sorted(EXPECTED), ids=lambda v: str(v))
async def test_each_caller_gets_what_the_role_table_says(client, db, method, path):
    world = await World().build(client, db)
    access = EXPECTED[(method, path)]
    url = _fill(path, world.path_params)
    # A public route shows what is published to anyone (a status page's incident, say).
    has_ids = access is not P and bool(
        re.search(
            r"\{(user_id|invite_id|key_id|service_id|window_id|incident_id|rule_id|channel_id|alert_id|page_id|subscriber_id|notice_id)",
            path,
        )
    )

    # Callers that may act go last, so a DELETE by an admin doesn't change what others see.
    ordered = sorted(
        world.callers().items(), key=lambda item: _allowed(access, item[0], item[1][1])
    )
    for name, (headers, level, in_team) in ordered:
        body = BODIES.get((method, path), {}) if method in {"POST", "PATCH", "PUT"} else None
        response = await client.request(method, url, json=body, headers=headers)
        status = response.status_code
        if not _allowed(access, name, level):
            expected = 401 if level is None else 403
            assert status == expected, f"{name} {method} {url}: {status} {response.text}"
        elif has_ids and not in_team:
            assert status == 404, f"{name} reached team A's row: {method} {url} -> {status}"
        else:
            assert status not in (401, 403), f"{name} {method} {url}: {status} {response.text}"
            assert status < 500, f"{name} {method} {url}: {status} {response.text}"


async def test_ids_of_another_team_are_not_found_even_with_valid_bodies(client, db):
    world = await World().build(client, db)
    outsider: Account = world.outsider

    role_change = await client.patch(
        f"/api/v1/team/members/{world.viewer.user_id}",
        json={"role": "admin"},
        headers=outsider.headers,
    )
    revoke_key = await client.delete(
        f"/api/v1/team/api-keys/{world.path_params['key_id']}", headers=outsider.headers
    )
    revoke_invite = await client.delete(
        f"/api/v1/team/invites/{world.path_params['invite_id']}", headers=outsider.headers
    )

    assert (role_change.status_code, revoke_key.status_code, revoke_invite.status_code) == (
        404,
        404,
        404,
    )
    me = (await client.get("/api/v1/me", headers=world.viewer.headers)).json()
    assert me["role"] == "viewer"


async def test_a_random_id_is_not_found(client):
    admin = await sign_up(client)

    response = await client.delete(f"/api/v1/team/api-keys/{uuid.uuid4()}", headers=admin.headers)

    assert response.status_code == 404
