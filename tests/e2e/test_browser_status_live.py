"""A status page left open in Chromium follows what happens, without a reload: a service
changing state and an incident the team publishes; a password page opens with its
password. The page's own script runs under its strict CSP (not bypassed here)."""

from __future__ import annotations

import httpx
from playwright.async_api import expect

from tests.support.accounts import sign_up
from tests.support.services import create_service
from tests.support.statuspages import component, create_page


async def test_an_open_page_follows_a_state_change_and_a_published_incident(
    browser, live_server, clean
):
    async with httpx.AsyncClient(base_url=live_server, timeout=10) as api:
        admin = await sign_up(api, team_name="Acme")
        created = await api.post(
            "/api/v1/services",
            json={"name": "checkout-internal", "kind": "push", "interval_s": 60},
            headers=admin.headers,
        )
        checkout, push_url = created.json()["service"], created.json()["push_url"]
        page_row = await create_page(
            api, admin, slug="acme", title="Acme", components=[component("Checkout", [checkout])]
        )

        page = await browser.new_page(base_url=live_server)
        await page.goto("/status/acme")
        checkout_row = page.get_by_role("listitem").filter(has_text="Checkout")
        await expect(checkout_row).to_contain_text("No data yet")
        await expect(page.get_by_role("status")).to_have_text("All systems operational")
        # The live stream is open before anything changes.
        await page.wait_for_selector("html[data-live=on]", state="attached")

        pinged = await api.get("/api/v1/push/" + push_url.rsplit("/", 1)[-1])
        assert pinged.status_code == 200
        await expect(checkout_row).to_contain_text("Operational", timeout=10_000)

        published = await api.post(
            "/api/v1/public-incidents",
            json={
                "title": "Payments failing for some cards",
                "impact": "major_outage",
                "page_ids": [page_row["id"]],
                "component_ids": [page_row["components"][0]["id"]],
                "body": "Card payments fail for some customers; we are on it.",
            },
            headers=admin.headers,
        )
        assert published.status_code == 201, published.text
        await expect(page.get_by_role("status")).to_have_text("Major outage", timeout=10_000)
        notices = page.get_by_role("region", name="Current incidents")
        await expect(notices).to_contain_text("Payments failing for some cards")
        await expect(notices).to_contain_text("Card payments fail for some customers")
        await expect(checkout_row).to_contain_text("Major outage")

        feed = await api.get("/status/acme/feed.atom")
        assert "Payments failing for some cards" in feed.text


async def test_a_password_page_opens_with_its_password_only(browser, live_server, clean):
    async with httpx.AsyncClient(base_url=live_server, timeout=10) as api:
        admin = await sign_up(api, team_name="Acme")
        billing = await create_service(api, admin, name="billing", kind="push")
        await create_page(
            api,
            admin,
            slug="internal",
            title="Acme internal",
            access="password",
            password="correct horse",
            components=[component("Billing", [billing])],
        )

    browser.expect_refusal(401, "/status/internal")
    browser.expect_refusal(401, "/status/internal/unlock")
    page = await browser.new_page(base_url=live_server)
    await page.goto("/status/internal")
    await expect(
        page.get_by_role("heading", name="This status page needs a password")
    ).to_be_visible()
    await expect(page.get_by_text("Billing")).to_have_count(0)

    await page.get_by_label("Password", exact=True).fill("wrong horse")
    await page.get_by_role("button", name="Open the page").click()
    await expect(page.get_by_role("alert")).to_have_text("That password is not right.")

    await page.get_by_label("Password", exact=True).fill("correct horse")
    await page.get_by_role("button", name="Open the page").click()
    await expect(page.get_by_role("heading", level=1, name="Acme internal")).to_be_visible()
    await expect(page.get_by_role("listitem").filter(has_text="Billing")).to_be_visible()
