"""A team with one person of each role, and a second team next door."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from tests.support.accounts import Account, add_member, sign_up


@dataclass
class Team:
    admin: Account
    developer: Account
    viewer: Account


@pytest.fixture
async def team(client) -> Team:
    admin = await sign_up(client, team_name="Payments")
    return Team(
        admin=admin,
        developer=await add_member(client, admin, "developer"),
        viewer=await add_member(client, admin, "viewer"),
    )


@pytest.fixture
async def outsider(client) -> Account:
    """The admin of another team."""
    return await sign_up(client, team_name="Elsewhere")
