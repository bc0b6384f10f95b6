"""Fixtures for the security suite: a real api process logging everything, live sockets, two teams.

The api process runs once per session at debug level with JSON logs, so the
secrets tests can read every line it printed; the socket tests connect to it
while the in-process client changes rows (same database, Redis and secret key).
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field

import httpx
import pytest
from sqlalchemy import text
from watchdeck.db.base import Base
from watchdeck.domain.statuspages.models import Subscriber
from watchdeck.embedded import free_port

from tests.conftest import _wipe
from tests.e2e.cli_process import CliProcess, answers_ready, cli_env
from tests.e2e.conftest import WEB_DIST
from tests.support.accounts import Account, add_member, api_key, invite, sign_up
from tests.support.alerts import firing_alert
from tests.support.services import allow_private_targets
from tests.support.sockets import Listener


@dataclass
class LiveApi:
    base: str
    process: CliProcess

    def printed_since(self, mark: int) -> list[str]:
        """Lines the process printed after `mark` (a length of `process.lines` taken earlier)."""
        return self.process.lines[mark:]


@pytest.fixture(scope="session")
def live_api(servers, settings, tmp_path_factory) -> Iterator[LiveApi]:
    """`watchdeck api` over the tests' database, serving the dashboard, logging at debug."""
    port = free_port()
    env = cli_env(
        tmp_path_factory.mktemp("security-api"),
        DATABASE_URL=servers.database_url,
        REDIS_URL=servers.redis_url,
        WATCHDECK_SECRET_KEY=settings.secret_key,
        WATCHDECK_PORT=str(port),
        WATCHDECK_WEB_DIST=str(WEB_DIST),
        WATCHDECK_LOG_FORMAT="json",
        WATCHDECK_LOG_LEVEL="debug",
        # Every test signs several people up from 127.0.0.1.
        WATCHDECK_SIGNUP_LIMIT_PER_IP="1000",
        WATCHDECK_LOGIN_LIMIT_PER_IP="1000",
    )
    process = CliProcess(["api"], env)
    base = f"http://127.0.0.1:{port}"

    try:
        process.wait_for(lambda: answers_ready(base), "the api to answer")
        yield LiveApi(base, process)
    finally:
        process.stop()


@pytest.fixture
async def live_client(live_api, running_app) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client of the real api process; the database and Redis are wiped afterwards."""
    async with httpx.AsyncClient(base_url=live_api.base, timeout=30) as client:
        yield client
    await _wipe(running_app)


@pytest.fixture
async def sockets(live_api) -> AsyncIterator:
    """`await sockets(token)` opens a connected Listener; all are closed afterwards."""
    opened: list[Listener] = []

    async def open_for(token: str | None) -> Listener:
        listener = Listener()
        opened.append(listener)
        return await listener.connect(live_api.base, token)

    yield open_for
    for listener in opened:
        if listener.sio.connected:
            await listener.sio.disconnect()


@dataclass
class Teams:
    """Team A with one person of each role, keys and a row of every kind; team B's admin."""

    admin: Account
    developer: Account
    viewer: Account
    outsider: Account
    keys: dict[str, str]
    ids: dict[str, str] = field(default_factory=dict)

    @property
    def people(self) -> dict[str, Account]:
        return {"viewer": self.viewer, "developer": self.developer, "admin": self.admin}


async def build_teams(client: httpx.AsyncClient, db) -> Teams:
    """Make both teams through the API; `ids` maps each path parameter name to a team A row."""
    admin = await sign_up(client, team_name="Team A")
    teams = Teams(
        admin=admin,
        developer=await add_member(client, admin, "developer"),
        viewer=await add_member(client, admin, "viewer"),
        outsider=await sign_up(client, team_name="Team B"),
        keys={
            kind: await api_key(client, admin, *kind.split(":"))
            for kind in ("automation:viewer", "automation:developer", "automation:admin", "agent")
        },
    )
    headers = admin.headers
    await allow_private_targets(client, admin)

    async def made(method: str, url: str, body: dict | None = None, by=admin) -> dict:
        response = await client.request(method, url, json=body, headers=by.headers)
        assert response.status_code in (200, 201), f"{method} {url}: {response.text}"
        return response.json()

    host = (await made("POST", "/api/v1/hosts", {"name": "web-1"}))["host"]
    service = (
        await made(
            "POST", "/api/v1/services", {"name": "Nightly", "kind": "push", "host_id": host["id"]}
        )
    )["service"]
    window = await made(
        "POST",
        "/api/v1/maintenance",
        {
            "name": "Upgrade",
            "starts_at": "2030-01-01T00:00:00Z",
            "ends_at": "2030-01-01T01:00:00Z",
            "service_ids": [service["id"]],
        },
    )
    incident = await made(
        "POST", "/api/v1/incidents", {"title": "Checkout errors", "severity": "high"}
    )
    comment = await made(
        "POST",
        f"/api/v1/incidents/{incident['id']}/comments",
        {"body": "Looking into it"},
        by=teams.developer,
    )
    channel = await made(
        "POST",
        "/api/v1/channels",
        {
            "name": "Ops hook",
            "kind": "webhook",
            "secrets": {"url": f"http://127.0.0.1:{free_port()}/hook"},
        },
    )
    rule = await made(
        "POST",
        "/api/v1/alert-rules",
        {"name": "Nightly down", "condition": "service_down", "channel_ids": [channel["id"]]},
    )
    alert = await firing_alert(db, admin.team_id, rule["id"], service)
    page = await made(
        "POST",
        "/api/v1/status-pages",
        {
            "slug": "team-a",
            "title": "Team A",
            "components": [{"name": "Backups", "service_ids": [service["id"]]}],
        },
    )
    notice = await made(
        "POST",
        "/api/v1/public-incidents",
        {
            "incident_id": incident["id"],
            "title": "Backups late",
            "impact": "degraded_performance",
            "page_ids": [page["id"]],
            "body": "Looking into it.",
        },
    )
    async with db() as session:
        subscriber = Subscriber(
            page_id=uuid.UUID(page["id"]), kind="email", address="reader@example.net"
        )
        session.add(subscriber)
        await session.commit()
    pending = await invite(client, admin, "viewer")
    keys = (await client.get("/api/v1/team/api-keys", headers=headers)).json()
    teams.ids = {
        "user_id": str(teams.viewer.user_id),
        "invite_id": pending["invite"]["id"],
        "key_id": keys[-1]["id"],
        "service_id": service["id"],
        "window_id": window["id"],
        "host_id": host["id"],
        "incident_id": incident["id"],
        "comment_id": comment["id"],
        "rule_id": rule["id"],
        "channel_id": channel["id"],
        "alert_id": str(alert),
        "page_id": page["id"],
        "notice_id": notice["id"],
        "subscriber_id": str(subscriber.id),
    }
    return teams


@pytest.fixture(scope="module")
async def api(running_app) -> AsyncIterator[httpx.AsyncClient]:
    """A client of the in-process app shared by a module's tests; wiped after the module.

    Signing six people up costs seconds of password hashing, so the modules that only
    read or add rows build their two teams once.
    """
    transport = httpx.ASGITransport(app=running_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client
    await _wipe(running_app)


@pytest.fixture(scope="module")
async def teams(api, running_app) -> Teams:
    return await build_teams(api, running_app.state.session_factory)


async def snapshot(db) -> dict[str, list]:
    """Every row of every table, to show that a series of calls changed nothing."""
    tables: dict[str, list] = {}
    async with db() as session:
        for table in Base.metadata.sorted_tables:
            rows = await session.execute(text(f'SELECT * FROM "{table.name}"'))
            tables[table.name] = sorted((tuple(map(str, row)) for row in rows), key=str)
    return tables


def error_of(response: httpx.Response) -> dict:
    """The error body's inner object; fails unless the body has exactly the documented shape."""
    body = response.json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) == {"code", "message", "fields"}, body
    return body["error"]
