"""Fixtures for browser tests that watch services being checked.

Import the ones a test module uses: `from tests.e2e.browser_fixtures import target, worker`.
"""

from __future__ import annotations

import uuid

import pytest
from playwright.async_api import expect

from tests.support.targets import http_target

PASSWORD = "correct horse battery"


@pytest.fixture
def worker(start_worker):
    """A running `watchdeck worker`: scheduled checks and "Check now" need one."""
    return start_worker()


@pytest.fixture
def target():
    """A local HTTP server standing in for a monitored service; it answers 200 until told not to."""
    with http_target() as running:
        yield running


async def allow_private_targets(page) -> None:
    """Let the signed-in admin's team monitor 127.0.0.1, using the session the page holds."""
    status = await page.evaluate(
        """async () => {
            const { state } = JSON.parse(localStorage.getItem('watchdeck.auth'))
            const response = await fetch('/api/v1/team', {
                method: 'PATCH',
                headers: {
                    'Content-Type': 'application/json',
                    Authorization: `Bearer ${state.accessToken}`,
                },
                body: JSON.stringify({ allow_private_targets: true }),
            })
            return response.status
        }"""
    )
    assert status == 200, f"PATCH /api/v1/team answered {status}"


async def access_token(page) -> str:
    """The access token of the session the page holds, to call the API as that person."""
    return await page.evaluate(
        "() => JSON.parse(localStorage.getItem('watchdeck.auth')).state.accessToken"
    )


async def sign_in(page, email: str, password: str) -> None:
    """Log in through the login page and wait for the overview."""
    await page.goto("/login")
    await page.get_by_label("Email").fill(email)
    await page.get_by_label("Password").fill(password)
    await page.get_by_role("button", name="Log in").click()
    await page.get_by_role("heading", name="Overview").wait_for()


async def sign_up(page, name: str, team: str) -> None:
    """Create an account and its team through the sign-up page and wait for the overview."""
    await page.goto("/signup")
    await page.get_by_label("Name", exact=True).fill(name)
    handle = name.split()[0].lower()
    await page.get_by_label("Email").fill(f"{handle}-{uuid.uuid4().hex[:6]}@example.com")
    await page.get_by_label("Team name").fill(team)
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Create account").click()
    await expect(page.get_by_role("heading", name="Overview")).to_be_visible()
