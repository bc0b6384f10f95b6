"""Security headers on every answer, the dashboard's policy, no version, no open CORS."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest
from asgi_lifespan import LifespanManager
from sqlalchemy.ext.asyncio import create_async_engine
from watchdeck.app import create_app
from watchdeck.db.engine import make_session_factory
from watchdeck.embedded import free_port

from tests.e2e.conftest import WEB_DIST
from tests.security.conftest import error_of
from tests.support.accounts import sign_up

NGINX_CONF = Path(__file__).resolve().parents[2] / "nginx" / "watchdeck.conf"
SAFE_REFERRER_POLICIES = {
    "no-referrer",
    "same-origin",
    "strict-origin",
    "strict-origin-when-cross-origin",
}


def assert_security_headers(response: httpx.Response) -> None:
    where = f"{response.request.method} {response.request.url.path} -> {response.status_code}"
    headers = response.headers
    assert headers.get("x-content-type-options") == "nosniff", where
    assert headers.get("x-frame-options") == "DENY", where
    assert headers.get("referrer-policy") in SAFE_REFERRER_POLICIES, where
    assert "server" not in headers, f"{where}: server {headers.get('server')}"
    assert "x-powered-by" not in headers, where
    assert headers.get("access-control-allow-origin") is None, where


def nginx_policy(host: str) -> str:
    """The Content-Security-Policy nginx sends, as it would read for a request to `host`."""
    [policy] = re.findall(r'add_header Content-Security-Policy "([^"]+)"', NGINX_CONF.read_text())
    return policy.replace("$http_host", host)


def directives(policy: str) -> dict[str, set[str]]:
    parts = (part.split() for part in policy.split(";") if part.strip())
    return {name: set(sources) for name, *sources in parts}


def _asset() -> str:
    assets = sorted((WEB_DIST / "assets").glob("*.js")) if (WEB_DIST / "assets").is_dir() else []
    return f"/assets/{assets[0].name}" if assets else "/favicon.ico"


async def test_every_answer_of_the_real_api_carries_the_headers(live_api, live_client):
    admin = await sign_up(live_client)
    auth = admin.headers
    calls = [
        ("GET", "/healthz", None, {}),
        ("GET", "/readyz", None, {}),
        ("GET", "/api/v1/services", None, auth),
        ("GET", "/api/v1/me", None, {}),  # 401
        ("GET", f"/api/v1/services/{admin.user_id}", None, auth),  # 404
        ("GET", "/api/v1/no-such-route", None, auth),  # 404
        ("DELETE", "/api/v1/auth/login", None, {}),  # 405
        ("POST", "/api/v1/auth/login", {"email": 3}, {}),  # 422
        ("POST", "/api/v1/team/api-keys", {}, auth | {"Content-Type": "text/plain"}),
        ("GET", "/api/docs/openapi.json", None, {}),
        ("GET", "/", None, {}),
        ("GET", "/services/some-client-route", None, {}),
        ("GET", _asset(), None, {}),
    ]

    for method, path, body, headers in calls:
        response = await live_client.request(method, path, json=body, headers=headers)
        assert_security_headers(response)
        if response.status_code >= 400:
            error_of(response)


async def test_every_route_answers_with_the_headers(app, client):
    for route in app.routes:
        path = re.sub(
            r"\{(\w+):(\w+)\}",
            lambda m: "0" * 8 if m.group(2) != "uuid" else "00000000-0000-0000-0000-000000000000",
            route.path,
        )
        for handler in getattr(route, "route_handlers", []):
            for method in handler.http_methods:
                response = await client.request(method, path)
                assert_security_headers(response)


@pytest.mark.parametrize("path", ["/", "/incidents/123", "/invite/some-token"])
async def test_the_dashboard_page_carries_the_nginx_policy(live_api, live_client, path):
    host = live_api.base.removeprefix("http://")

    response = await live_client.get(path)

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert directives(response.headers["content-security-policy"]) == directives(nginx_policy(host))


async def test_a_forged_host_cannot_write_into_the_policy(live_client):
    response = await live_client.get("/", headers={"Host": "evil.example; script-src *"})

    # Refused outright, or served with a policy the header could not write into.
    assert response.status_code in (200, 400)
    policy = response.headers.get("content-security-policy", "")
    assert "*" not in policy and "evil" not in policy


async def test_cross_origin_requests_are_not_invited(live_api, live_client):
    evil = {"Origin": "https://evil.example"}
    preflight = await live_client.options(
        "/api/v1/services",
        headers=evil
        | {
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "authorization",
        },
    )
    simple = await live_client.get("/healthz", headers=evil)
    socket_handshake = await live_client.get(
        "/socket.io/", params={"EIO": "4", "transport": "polling"}, headers=evil
    )

    for response in (preflight, simple, socket_handshake):
        allowed = response.headers.get("access-control-allow-origin")
        assert allowed is None, f"{response.request.url}: {allowed}"
        assert response.headers.get("access-control-allow-credentials") is None


async def test_a_server_error_carries_the_headers_and_no_detail(settings):
    app = create_app(settings)
    async with LifespanManager(app):
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://testserver"
        ) as client:
            admin = await sign_up(client)
            # The database goes away under the running app: a real failure, answered as a 500.
            dead = create_async_engine(f"postgresql+asyncpg://nobody@127.0.0.1:{free_port()}/x")
            app.state.session_factory = make_session_factory(dead)
            response = await client.get("/api/v1/services", headers=admin.headers)
            await dead.dispose()
        await app.state.engine.dispose()

    assert response.status_code >= 500
    assert_security_headers(response)
    error_of(response)
    for detail in ("Traceback", "asyncpg", "Connect call failed", "127.0.0.1"):
        assert detail not in response.text
