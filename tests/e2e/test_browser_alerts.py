"""Alerts in real Chromium: a developer adds a webhook channel and tests it, writes a CPU rule;
a viewer sees rules and channels without any control to change them."""

from __future__ import annotations

import json
import uuid

import httpx
from playwright.async_api import expect

from tests.e2e.browser_fixtures import (  # noqa: F401
    PASSWORD,
    access_token,
    allow_private_targets,
    sign_in,
    sign_up,
    target,
)
from tests.e2e.conftest import screenshot
from tests.support.accounts import sign_up as sign_up_through_api
from tests.support.alerts import firing_alert
from tests.support.services import create_service

VIEWPORT = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


async def add_member(live_server: str, admin_token: str, role: str) -> str:
    """Invite someone with `role` and accept as them; returns their email."""
    async with httpx.AsyncClient(base_url=live_server, timeout=10) as api:
        invited = await api.post(
            "/api/v1/team/invites",
            json={"email": f"{role}-{uuid.uuid4().hex[:6]}@example.com", "role": role},
            headers={"Authorization": f"Bearer {admin_token}"},
        )
        assert invited.status_code == 201, invited.text
        accepted = await api.post(
            "/api/v1/invites/accept",
            json={"token": invited.json()["token"], "password": PASSWORD, "name": role.title()},
        )
        assert accepted.status_code == 200, accepted.text
    return invited.json()["invite"]["email"]


async def test_a_developer_tests_a_webhook_and_writes_a_rule_a_viewer_only_reads(
    browser,
    live_server,
    clean,
    target,  # noqa: F811
):
    admin = await browser.new_context(base_url=live_server, viewport=VIEWPORT)
    admin_page = await admin.new_page()
    await sign_up(admin_page, "Ada Admin", "Pagers")
    await allow_private_targets(admin_page)
    token = await access_token(admin_page)
    developer_email = await add_member(live_server, token, "developer")
    viewer_email = await add_member(live_server, token, "viewer")
    await admin.close()

    context = await browser.new_context(base_url=live_server, viewport=VIEWPORT)
    page = await context.new_page()
    await sign_in(page, developer_email, PASSWORD)
    await expect(page.get_by_role("link", name="Firing alerts 0")).to_be_visible()
    await page.get_by_role("navigation", name="Main").get_by_role("link", name="Alerts").click()
    await expect(page.get_by_role("heading", level=1, name="Alerts")).to_be_visible()
    await expect(page.get_by_text("Nothing is firing")).to_be_visible()

    # A webhook channel pointing at the local recorder, then a test send.
    await page.get_by_role("tab", name="Channels").click()
    await expect(page.get_by_text("No channels yet")).to_be_visible()
    await page.get_by_role("button", name="New channel").click()
    form = page.get_by_role("form", name="New channel")
    await form.get_by_label("Channel name").fill("Ops hook")
    await form.get_by_label("Kind").select_option("webhook")
    await expect(form.get_by_label("URL")).to_have_attribute("type", "password")
    await form.get_by_label("URL").fill(target.url("/hook"))
    await form.get_by_label("Signing secret").fill("s3cret")
    await form.get_by_role("button", name="Create channel").click()
    channels = page.get_by_role("list", name="Channels")
    await expect(channels).to_contain_text("Ops hook")
    await expect(channels).to_contain_text("Secrets set: url, signing_secret")

    await page.get_by_role("button", name="Send test to Ops hook").click()
    await expect(page.get_by_text("Test sent.")).to_be_visible()
    hook = [r for r in target.requests if r.path == "/hook"]
    assert len(hook) == 1, target.requests
    assert hook[0].method == "POST"
    assert json.loads(hook[0].text)["test"] is True
    assert "x-watchdeck-signature" in hook[0].headers
    await page.get_by_role("button", name="Recent deliveries of Ops hook").click()
    await expect(channels.get_by_role("list", name="Attempts")).to_contain_text("delivered")
    await screenshot(page, "alerts-channels")

    # A CPU rule on every host, sent to the channel.
    await page.get_by_role("tab", name="Rules").click()
    await page.get_by_role("button", name="New rule").click()
    form = page.get_by_role("form", name="New alert rule")
    await form.get_by_label("Rule name").fill("Busy CPU")
    await form.get_by_label("Condition").select_option("cpu")
    await form.get_by_role("button", name="Create rule").click()
    await expect(form.get_by_text("required")).to_be_visible()
    await form.get_by_label("Threshold (%)", exact=True).fill("90")
    await form.get_by_label("Hold for (samples)").fill("3")
    await form.get_by_label("Severity").select_option("critical")
    await form.get_by_label("Ops hook (webhook)").check()
    await screenshot(page, "alerts-rule-editor")
    await form.get_by_role("button", name="Create rule").click()
    rules = page.get_by_role("table", name="Alert rules")
    row = rules.get_by_role("row").filter(has_text="Busy CPU")
    await expect(row).to_contain_text("> 90 %")
    await expect(row).to_contain_text("3 samples")
    await expect(row).to_contain_text("Ops hook")
    await expect(row.get_by_role("checkbox", name="Busy CPU enabled")).to_be_checked()
    # Developers edit but do not delete.
    await expect(page.get_by_role("button", name="Edit Busy CPU")).to_be_visible()
    await expect(page.get_by_role("button", name="Delete Busy CPU")).to_have_count(0)
    await screenshot(page, "alerts-rules")
    await context.close()

    # A viewer, on a phone: everything readable, nothing to change.
    viewer = await browser.new_context(base_url=live_server, viewport=PHONE)
    vpage = await viewer.new_page()
    await sign_in(vpage, viewer_email, PASSWORD)
    await vpage.goto("/alerts?tab=rules")
    rules = vpage.get_by_role("table", name="Alert rules")
    await expect(rules).to_contain_text("Busy CPU")
    await expect(vpage.get_by_role("button", name="New rule")).to_have_count(0)
    await expect(vpage.get_by_role("button", name="Edit Busy CPU")).to_have_count(0)
    await expect(vpage.get_by_role("button", name="Delete Busy CPU")).to_have_count(0)
    await expect(rules.get_by_role("checkbox")).to_have_count(0)
    await vpage.get_by_role("tab", name="Channels").click()
    await expect(vpage.get_by_role("list", name="Channels")).to_contain_text("Ops hook")
    await expect(vpage.get_by_role("button", name="New channel")).to_have_count(0)
    await expect(vpage.get_by_role("button", name="Send test to Ops hook")).to_have_count(0)
    await expect(vpage.get_by_role("button", name="Edit Ops hook")).to_have_count(0)
    await expect(vpage.get_by_role("button", name="Delete Ops hook")).to_have_count(0)
    await vpage.get_by_role("tab", name="Firing and history").click()
    await expect(vpage.get_by_text("Nothing is firing")).to_be_visible()
    await screenshot(vpage, "alerts-page")
    await viewer.close()


async def test_the_overview_and_the_navigation_count_every_firing_alert(
    browser, live_server, client, db, clean
):
    admin = await sign_up_through_api(client)
    service = await create_service(client, admin, name="Nightly backup", kind="push")
    rules = (await client.get("/api/v1/alert-rules", headers=admin.headers)).json()
    down = next(rule for rule in rules if rule["condition"] == "service_down")
    # More than the 50 a page of the alerts list holds.
    for _ in range(57):
        await firing_alert(db, admin.team_id, down["id"], service)

    page = await browser.new_page(base_url=live_server, viewport=VIEWPORT)
    await sign_in(page, admin.email, admin.password)

    await expect(page.get_by_role("link", name="Firing alerts 57")).to_be_visible()
    nav = page.get_by_role("navigation", name="Main")
    await expect(nav.get_by_role("link", name="Alerts 57 firing")).to_be_visible()
    await expect(page.get_by_text("50+")).to_have_count(0)
