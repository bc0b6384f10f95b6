"""The API fuzz's own `watchdeck api` and `watchdeck worker`, its callers, and rows to aim at.

Only tests that ask for `fuzz_api` start these processes; the other fuzz tests here use the
fixtures of tests/conftest.py alone.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from watchdeck.app import create_app
from watchdeck.embedded import free_port
from watchdeck.platform.config import Settings

from tests.conftest import _wipe
from tests.e2e.cli_process import CliProcess, answers_ready, cli_env
from tests.support.accounts import Account, add_member, api_key, sign_up
from tests.support.alerts import create_channel, create_rule, firing_alert
from tests.support.services import allow_private_targets, create_service
from tests.support.targets import Target, http_target

# The fuzz signs up and signs in hundreds of times; under the usual throttles, whether a call
# met a 429 would depend on the order the operations ran in.
_UNTHROTTLED = {
    "WATCHDECK_LOGIN_LIMIT_PER_IP": "1000000",
    "WATCHDECK_LOGIN_LIMIT_PER_ACCOUNT": "1000000",
    "WATCHDECK_SIGNUP_LIMIT_PER_IP": "1000000",
}


def app_schema() -> dict[str, Any]:
    """The schema the app serves at /api/docs/openapi.json (building the app connects nowhere)."""
    app = create_app(
        Settings(
            secret_key=secrets.token_urlsafe(48),
            database_url="postgresql+asyncpg://localhost/watchdeck",
            redis_url="redis://localhost:6379/0",
        )
    )
    return json.loads(json.dumps(app.openapi_schema.to_schema()))


@dataclass
class FuzzApi:
    """The processes the fuzz talks to, and what they printed (for a failure's report)."""

    base_url: str
    api: CliProcess
    worker: CliProcess

    def stop(self) -> None:
        for process in (self.worker, self.api):
            if process.process.poll() is None:
                process.stop(timeout=30)

    def log_lines(self, request_id: str) -> list[str]:
        """What the api and the worker printed about one request."""
        return [line for line in self.api.lines + self.worker.lines if request_id in line]


@pytest.fixture(scope="module")
def fuzz_api(servers, settings, tmp_path_factory) -> Iterator[FuzzApi]:
    """A real `watchdeck api` (with sign-in throttles lifted) and a worker for `check-now`."""
    port = free_port()
    env = cli_env(
        tmp_path_factory.mktemp("fuzz"),
        DATABASE_URL=servers.database_url,
        REDIS_URL=servers.redis_url,
        WATCHDECK_SECRET_KEY=settings.secret_key,
        WATCHDECK_PORT=str(port),
        **_UNTHROTTLED,
    )
    base = f"http://127.0.0.1:{port}"
    api = CliProcess(["api"], env)
    worker = CliProcess(["worker"], env)

    try:
        api.wait_for(lambda: answers_ready(base), "the api to answer")
        worker.wait_for(lambda: "Starting worker" in worker.output, "the worker to start")
        yield FuzzApi(base, api, worker)
    finally:
        FuzzApi(base, api, worker).stop()


@dataclass(frozen=True)
class Caller:
    name: str
    headers: dict[str, str]


@dataclass
class Seeded:
    """Who calls, and the ids of real rows that path parameters sometimes take."""

    callers: list[Caller]
    ids: dict[str, list[str]] = field(default_factory=dict)

    def caller(self, name: str) -> Caller:
        return next(caller for caller in self.callers if caller.name == name)


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def _post(client: httpx.AsyncClient, account: Account, path: str, body: dict) -> dict:
    response = await client.post(path, json=body, headers=account.headers)
    assert response.status_code in (200, 201), response.text
    return response.json()


@pytest.fixture(scope="module")
async def fuzz_seeded(fuzz_api: FuzzApi, running_app) -> AsyncIterator[Seeded]:
    """One team with a person of each role, two API keys and a few rows of every kind.

    Everything the fuzz wrote is wiped afterwards, so later tests start from a clean slate.
    """
    with http_target() as target:
        async with httpx.AsyncClient(base_url=fuzz_api.base_url, timeout=30) as client:
            seeded = await _seed(client, target, running_app.state.session_factory)
        yield seeded
    # Stopped first, so no check or delivery lands after the wipe.
    fuzz_api.stop()
    await _wipe(running_app)


async def _seed(client: httpx.AsyncClient, target: Target, db) -> Seeded:
    admin = await sign_up(client)
    viewer = await add_member(client, admin, "viewer")
    developer = await add_member(client, admin, "developer")
    # Rows the fuzz may delete or change the role of, so the callers above keep theirs.
    spare = await add_member(client, admin, "developer")
    automation = await api_key(client, admin, "automation", "developer")
    agent = await api_key(client, admin, "agent")
    spare_key = await _post(
        client,
        admin,
        "/api/v1/team/api-keys",
        {"name": "spare", "kind": "automation", "role": "viewer"},
    )
    invite = await _post(
        client, admin, "/api/v1/team/invites", {"email": "later@example.com", "role": "viewer"}
    )

    await allow_private_targets(client, admin)
    service = await create_service(client, admin, url=target.url("/health"))
    push = await _post(
        client, admin, "/api/v1/services", {"name": "Nightly backup", "kind": "push"}
    )
    host = await _post(client, admin, "/api/v1/hosts", {"name": "web-1"})
    incident = await _post(
        client, admin, "/api/v1/incidents", {"title": "Checkout slow", "severity": "high"}
    )
    comment = await _post(
        client, admin, f"/api/v1/incidents/{incident['id']}/comments", {"body": "Looking"}
    )
    channel = await create_channel(client, admin, "webhook", secrets={"url": target.url("/hook")})
    rule = await create_rule(client, admin, channel_ids=[channel["id"]])
    window = await _post(
        client,
        admin,
        "/api/v1/maintenance",
        {
            "name": "Upgrade",
            "starts_at": (datetime.now(UTC) + timedelta(days=1)).isoformat(),
            "ends_at": (datetime.now(UTC) + timedelta(days=1, hours=1)).isoformat(),
            "service_ids": [service["id"]],
        },
    )
    alert_id = await firing_alert(db, admin.team_id, rule["id"], service)

    callers = [
        Caller("nobody", {}),
        Caller("viewer", viewer.headers),
        Caller("developer", developer.headers),
        Caller("automation key", _bearer(automation)),
        Caller("agent key", _bearer(agent)),
        Caller("admin", admin.headers),
    ]
    return Seeded(
        callers=callers,
        ids={
            "service_id": [service["id"], push["service"]["id"]],
            "host_id": [host["host"]["id"]],
            "incident_id": [incident["id"]],
            "comment_id": [comment["id"]],
            "rule_id": [rule["id"]],
            "channel_id": [channel["id"]],
            "alert_id": [str(alert_id)],
            "window_id": [window["id"]],
            "user_id": [str(spare.user_id)],
            "key_id": [spare_key["api_key"]["id"]],
            "invite_id": [invite["invite"]["id"]],
            "invite_token": [invite["token"]],
            "push_token": [push["push_url"].rsplit("/", 1)[-1]],
        },
    )
