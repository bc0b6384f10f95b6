"""A real `watchdeck api` logging in JSON, a team with an incident, and raw Socket.IO clients.

The api process is the security suite's (tests/security/conftest.py): it logs every line at
debug level, so a test can show that nothing it sent made the server raise.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest
import socketio

from tests.security.conftest import LiveApi, api, live_api, sockets  # noqa: F401  (fixtures)
from tests.support.accounts import Account, add_member, sign_up


@dataclass
class Team:
    """An admin, a viewer and one open incident of theirs."""

    admin: Account
    viewer: Account
    incident_id: str


@pytest.fixture(scope="module")
async def team(api) -> Team:  # noqa: F811
    admin = await sign_up(api)
    viewer = await add_member(api, admin, "viewer")
    opened = await api.post(
        "/api/v1/incidents",
        json={"title": "Checkout errors", "severity": "high"},
        headers=admin.headers,
    )
    assert opened.status_code == 201, opened.text
    return Team(admin, viewer, opened.json()["id"])


@dataclass
class Refusal:
    """What a refused connect got back: python-socketio's ConnectionError and the server's
    `connect_error` data (None if the server never answered)."""

    error: socketio.exceptions.ConnectionError
    said: Any


async def connect_refused(base: str, auth: Any) -> Refusal:
    """Connect with `auth` as the connect payload, which the server must refuse."""
    sio = socketio.AsyncClient(reconnection=False)
    said: list[Any] = []

    async def refused(data: Any) -> None:
        said.append(data)

    sio.on("connect_error", refused)
    try:
        await sio.connect(base, auth=auth, transports=["websocket"], wait_timeout=10)
    except socketio.exceptions.ConnectionError as error:
        return Refusal(error, said[0] if said else None)
    await sio.disconnect()
    raise AssertionError(f"the connect with {auth!r} was let in")


def server_troubles(live: LiveApi, mark: int) -> list[str]:
    """What the api printed after `mark` at warning level or above, or any traceback."""
    troubles = []
    for line in live.printed_since(mark):
        try:
            entry = json.loads(line)
        except ValueError:
            if "Traceback" in line or "Error" in line:
                troubles.append(line)
            continue
        level = str(entry.get("level", "")).lower() if isinstance(entry, dict) else ""
        if level in ("warning", "error", "critical", "exception") or "exception" in entry:
            troubles.append(line)
    return troubles
