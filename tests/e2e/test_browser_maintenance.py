"""A developer schedules public maintenance in the dashboard in real Chromium, and readers
of the status page see it coming, under its public title only."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from playwright.async_api import expect

from tests.e2e.browser_fixtures import sign_in
from tests.support.accounts import add_member, sign_up
from tests.support.services import create_service
from tests.support.statuspages import component, create_page

VIEWPORT = {"width": 1280, "height": 1000}


async def test_a_public_window_made_in_the_dashboard_shows_on_the_status_page(
    browser, live_server, client, clean
):
    admin = await sign_up(client, team_name="Acme")
    developer = await add_member(client, admin, "developer")
    shop = await create_service(client, admin, name="shop-eu1", kind="push")
    await create_service(client, admin, name="batch-internal", kind="push")
    await create_page(client, admin, slug="acme", components=[component("Shop", [shop])])
    starts = datetime.now(UTC).replace(second=0, microsecond=0) + timedelta(days=2)

    page = await browser.new_page(base_url=live_server, viewport=VIEWPORT)
    await sign_in(page, developer.email, developer.password)
    await page.goto("/maintenance")
    await page.get_by_role("link", name="Add a maintenance window").first.click()
    await page.get_by_label("Name").fill("pg-7 failover (internal)")
    await page.get_by_label("Starts (UTC)").fill(starts.strftime("%Y-%m-%dT%H:%M"))
    ends = starts + timedelta(hours=1)
    await page.get_by_label("Ends (UTC)").fill(ends.strftime("%Y-%m-%dT%H:%M"))
    await page.get_by_label("shop-eu1").check()
    await page.get_by_label("Show on status pages").check()
    await page.get_by_label("Public title").fill("Database upgrade")
    await page.get_by_label("Public message").fill("Checkout may be slow for a few minutes.")
    await page.get_by_role("button", name="Add maintenance window").click()
    await expect(page.get_by_text("pg-7 failover (internal)")).to_be_visible()

    reader = await browser.new_page(base_url=live_server, viewport=VIEWPORT)
    await reader.goto("/status/acme")
    planned = reader.get_by_role("region", name="Maintenance")
    await expect(planned).to_contain_text("Database upgrade")
    await expect(planned).to_contain_text("Checkout may be slow for a few minutes.")
    await expect(planned).to_contain_text("Affects Shop")
    assert "pg-7" not in await reader.content()
