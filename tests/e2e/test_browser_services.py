"""Services in real Chromium: add one, see it checked, break it, find it down and the incident."""

from __future__ import annotations

from playwright.async_api import expect

from tests.e2e.browser_fixtures import allow_private_targets, sign_up, target, worker  # noqa: F401
from tests.e2e.conftest import screenshot

# A check is scheduled within a second of saving and the page refreshes every 5 s.
SEEN_WITHIN_MS = 20_000
VIEWPORT = {"width": 1280, "height": 900}


async def test_a_service_goes_up_then_down_and_opens_an_incident(
    browser,
    live_server,
    clean,
    worker,  # noqa: F811
    target,  # noqa: F811
):
    context = await browser.new_context(base_url=live_server, viewport=VIEWPORT)
    page = await context.new_page()
    await sign_up(page, "Grace Hopper", "Compilers")
    await allow_private_targets(page)

    await expect(page.get_by_text("No services yet")).to_be_visible()
    await page.get_by_role("link", name="Add a service").click()
    await page.get_by_label("Name", exact=True).fill("Checkout API")
    await page.get_by_label("URL").fill(target.url("/health"))
    await page.get_by_label("Tags").fill("prod, checkout")
    await page.get_by_role("button", name="Add service").click()

    await expect(page.get_by_role("heading", level=1, name="Checkout API")).to_be_visible()
    status = page.locator("main header").get_by_text("Up", exact=True)
    await expect(status).to_be_visible(timeout=SEEN_WITHIN_MS)
    checks = page.get_by_role("table", name="Recent checks, newest first")
    await expect(checks).to_contain_text("200")

    # Two failures in a row take it down (failures before down is 2 by default).
    target.respond(status=500, body="boom")
    check_now = page.get_by_role("button", name="Check now")
    await check_now.click()
    await expect(page.get_by_text("Check failed: HTTP 500")).to_be_visible()
    await expect(check_now).to_be_enabled()
    await check_now.click()
    await expect(page.locator("main header").get_by_text("Down", exact=True)).to_be_visible(
        timeout=SEEN_WITHIN_MS
    )
    await expect(page.get_by_text("Last error: expected 200-299, got 500")).to_be_visible()
    detail_url = page.url
    await screenshot(page, "services-detail")

    await page.get_by_role("navigation", name="Main").get_by_role("link", name="Overview").click()
    tile = page.get_by_role("list", name="Services", exact=True).get_by_role("listitem")
    await expect(tile).to_have_count(1)
    await expect(tile).to_contain_text("Checkout API")
    await expect(tile).to_contain_text("Down")
    await expect(page.get_by_role("button", name="Down 1")).to_be_visible()
    await expect(page.get_by_role("link", name="Open incidents 1")).to_be_visible(
        timeout=SEEN_WITHIN_MS
    )
    await screenshot(page, "services-overview")

    await page.get_by_role("link", name="Open incidents 1").click()
    incident = page.get_by_role("link", name="Checkout API is down")
    await expect(incident).to_be_visible()
    await screenshot(page, "services-incidents")

    await incident.click()
    await expect(page.get_by_role("heading", level=1, name="Checkout API is down")).to_be_visible()
    timeline = page.get_by_role("region", name="Timeline")
    await expect(timeline).to_contain_text("Opened")
    await expect(timeline).to_contain_text("expected 200-299, got 500")
    await screenshot(page, "services-incident")

    # The same pages in dark mode, for a look at colours and contrast.
    dark = await browser.new_context(
        base_url=live_server,
        viewport=VIEWPORT,
        color_scheme="dark",
        storage_state=await context.storage_state(),
    )
    dark_page = await dark.new_page()
    await dark_page.goto("/")
    await expect(dark_page.get_by_role("button", name="Down 1")).to_be_visible()
    await screenshot(dark_page, "services-overview-dark")
    await dark_page.goto(detail_url)
    await expect(dark_page.get_by_role("heading", level=1, name="Checkout API")).to_be_visible()
    await expect(dark_page.get_by_role("table", name="Recent checks, newest first")).to_be_visible()
    await screenshot(dark_page, "services-detail-dark")
    await dark.close()
    await context.close()
