"""Checks run by agents in real Chromium: choose where a check runs, then see each location."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import httpx
from playwright.async_api import expect

from tests.e2e.browser_fixtures import access_token, sign_up, worker  # noqa: F401
from tests.e2e.conftest import screenshot
from tests.support.agents import iso, push

VIEWPORT = {"width": 1280, "height": 900}
# Results are stored by the worker, then published to open pages.
SEEN_WITHIN_MS = 20_000


def results_batch(service_id: str, *oks: bool) -> dict:
    now = datetime.now(UTC)
    failed = {"error_class": "connect", "error": "connection failed: connection refused"}
    return {
        "batch_id": uuid.uuid4().hex,
        "sent_at": iso(now),
        "agent": {"version": "0.1.0", "hostname": "probe"},
        "results": [
            {
                "service_id": service_id,
                "at": iso(now - timedelta(seconds=len(oks) - i)),
                "ok": ok,
                "latency_ms": 4.0 if ok else None,
                **({} if ok else failed),
            }
            for i, ok in enumerate(oks)
        ],
    }


async def test_a_check_run_by_two_agents_shows_both_locations_and_follows_the_quorum(
    browser,
    live_server,
    clean,
    worker,  # noqa: F811
):
    context = await browser.new_context(base_url=live_server, viewport=VIEWPORT)
    page = await context.new_page()
    await sign_up(page, "Radia Perlman", "Bridges")
    headers = {"Authorization": f"Bearer {await access_token(page)}"}

    async with httpx.AsyncClient(base_url=live_server, timeout=10) as api:
        tokens = {}
        for name in ("office-gw", "branch-gw"):
            created = await api.post(
                "/api/v1/hosts", json={"name": name, "labels": {"net": "office"}}, headers=headers
            )
            assert created.status_code == 201, created.text
            tokens[name] = created.json()["token"]

        await page.get_by_role("link", name="Add a service").first.click()
        await page.get_by_label("Name", exact=True).fill("Office printer")
        await page.get_by_label("Kind").select_option("tcp")
        await page.get_by_label("Host name or IP").fill("10.0.0.7")
        await page.get_by_label("Port").fill("9100")
        runs_from = page.get_by_label("Runs from")
        await runs_from.select_option(label="Every agent whose host has these labels")
        await page.get_by_label("Host labels").fill("net=office")
        await page.get_by_role("button", name="Add service").click()

        await expect(page.get_by_role("heading", level=1, name="Office printer")).to_be_visible()
        locations = page.get_by_role("region", name="Locations")
        await expect(locations).to_contain_text("Down when a majority of the locations fail.")
        await expect(page.get_by_role("button", name="Check now")).to_have_count(0)
        service_id = page.url.rstrip("/").rsplit("/", 1)[-1]

        # One path to the printer works, the other is refused twice: one of two is no majority.
        sent = await push(api, "checks", tokens["office-gw"], results_batch(service_id, True))
        assert sent.status_code == 202, sent.text
        sent = await push(
            api, "checks", tokens["branch-gw"], results_batch(service_id, False, False)
        )
        assert sent.status_code == 202, sent.text

    office = locations.get_by_role("row").filter(has_text="office-gw").first
    branch = locations.get_by_role("row").filter(has_text="branch-gw")
    await expect(office).to_contain_text("Up", timeout=SEEN_WITHIN_MS)
    await expect(office).to_contain_text("4 ms")
    await expect(branch).to_contain_text("Down", timeout=SEEN_WITHIN_MS)
    await expect(branch).to_contain_text("connection failed: connection refused")
    await expect(page.locator("main header").get_by_text("Up", exact=True)).to_be_visible()
    history = page.get_by_role("table", name="Recent checks, newest first")
    await expect(history.get_by_role("row").filter(has_text="branch-gw")).to_have_count(2)
    await expect(page.get_by_role("region", name="Settings")).to_contain_text(
        "Agents on hosts with net=office"
    )
    await screenshot(page, "services-locations")
    await context.close()
