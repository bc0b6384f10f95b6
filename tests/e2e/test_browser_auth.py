"""Sign-up and log-in in real Chromium against a real server."""

from __future__ import annotations

import uuid

from playwright.async_api import expect

from tests.e2e.conftest import screenshot

PASSWORD = "correct horse battery"


async def test_a_new_team_signs_up_logs_out_and_logs_back_in(browser, live_server, clean):
    context = await browser.new_context(base_url=live_server)
    page = await context.new_page()
    email = f"ada-{uuid.uuid4().hex[:6]}@example.com"

    await page.goto("/")
    await expect(page).to_have_url(f"{live_server}/login")
    await screenshot(page, "login")
    await page.get_by_role("link", name="Create one").click()
    await page.get_by_label("Name", exact=True).fill("Ada Lovelace")
    await page.get_by_label("Email").fill(email)
    await page.get_by_label("Team name").fill("Analytical Engines")
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Create account").click()

    await expect(page.get_by_text("Signed in as Ada Lovelace")).to_be_visible()
    await expect(page.get_by_text("Analytical Engines").first).to_be_visible()
    await screenshot(page, "home")

    await page.get_by_role("button", name="Log out").click()
    await expect(page).to_have_url(f"{live_server}/login")
    await page.get_by_label("Email").fill(email)
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Log in").click()
    await expect(page.get_by_text("Signed in as Ada Lovelace")).to_be_visible()
    await context.close()


async def test_a_wrong_password_is_shown_to_the_person(browser, live_server, clean):
    context = await browser.new_context(base_url=live_server)
    page = await context.new_page()

    await page.goto("/login")
    await page.get_by_label("Email").fill("nobody@example.com")
    await page.get_by_label("Password").fill("wrong password")
    browser.expect_refusal(401, "/api/v1/auth/login")
    await page.get_by_role("button", name="Log in").click()

    await expect(page.get_by_text("invalid email or password")).to_be_visible()
    await context.close()
