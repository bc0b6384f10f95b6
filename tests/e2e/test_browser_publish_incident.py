"""From the incident page in real Chromium, a developer tells the status page's readers:
the public words reach the page, the internal ones never do."""

from __future__ import annotations

from playwright.async_api import expect

from tests.e2e.browser_fixtures import sign_in
from tests.support.accounts import add_member, sign_up
from tests.support.services import create_service
from tests.support.statuspages import component, create_page

VIEWPORT = {"width": 1280, "height": 1000}


async def test_a_developer_publishes_an_incident_and_posts_its_resolution(
    browser, live_server, client, clean
):
    admin = await sign_up(client, team_name="Acme")
    developer = await add_member(client, admin, "developer")
    checkout = await create_service(client, admin, name="checkout-eu1-internal", kind="push")
    await create_page(
        client, admin, slug="acme", title="Acme", components=[component("Checkout", [checkout])]
    )
    created = await client.post(
        "/api/v1/incidents",
        json={"title": "pgbouncer pool exhausted on db-7", "severity": "critical"},
        headers=admin.headers,
    )
    assert created.status_code == 201, created.text

    page = await browser.new_page(base_url=live_server, viewport=VIEWPORT)
    await sign_in(page, developer.email, developer.password)
    await page.goto(f"/incidents/{created.json()['id']}")
    publish = page.get_by_role("form", name="Publish to status pages")
    await publish.get_by_label("Public title").fill("Checkout is failing")
    await publish.get_by_label("Impact").select_option(label="Major outage")
    await publish.get_by_role("group", name="Pages").get_by_label("Acme").check()
    await publish.get_by_label("Checkout").check()
    await publish.get_by_label("First update").fill("Payments fail at checkout; we are on it.")
    await publish.get_by_role("button", name="Publish to status pages").click()

    update = page.get_by_role("form", name="Post a public update")
    await expect(update).to_be_visible()
    await update.get_by_label("Status").select_option(label="Resolved")
    await update.get_by_label("Message").fill("Checkout works again.")
    await update.get_by_role("button", name="Post update").click()
    await expect(page.get_by_text("Checkout works again.")).to_be_visible()

    reader = await browser.new_page(base_url=live_server, viewport=VIEWPORT)
    await reader.goto("/status/acme/history")
    await expect(reader.get_by_role("link", name="Checkout is failing")).to_be_visible()
    await reader.get_by_role("link", name="Checkout is failing").click()
    await expect(reader.get_by_text("Checkout works again.")).to_be_visible()
    await expect(reader.get_by_text("Payments fail at checkout; we are on it.")).to_be_visible()
    assert "pgbouncer" not in await reader.content()
    # Resolved: the front page is back to green.
    await reader.goto("/status/acme")
    await expect(reader.get_by_role("status")).to_have_text("All systems operational")
