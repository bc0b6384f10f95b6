"""The demo team as `up --demo` leaves it on an empty data folder: seeded, a week backfilled.

Seeding and backfilling take a few seconds, so the tests of a module share one result and
only read it; the tables are wiped before and after.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import pytest
from watchdeck.demo import history
from watchdeck.demo.seed import DemoTeam, seed_demo
from watchdeck.platform.clock import utcnow

from tests.conftest import _wipe
from tests.support.accounts import Account, sign_up


@dataclass
class Backfilled:
    client: httpx.AsyncClient
    admin: Account
    demo: DemoTeam


@pytest.fixture(scope="module")
async def backfilled(running_app) -> AsyncIterator[Backfilled]:
    await _wipe(running_app)  # the demo goes to the oldest admin's team: this one must be it
    transport = httpx.ASGITransport(app=running_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        admin = await sign_up(client, team_name="Watchdeck")
        async with running_app.state.session_factory() as session:
            demo = await seed_demo(session, "http://127.0.0.1:9")
            assert demo is not None
            assert await history.backfill(session, demo, utcnow())
        yield Backfilled(client, admin, demo)
    await _wipe(running_app)
