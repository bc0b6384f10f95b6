"""Password reset in real Chromium: a real api and worker, the link mailed to a real SMTP server."""

from __future__ import annotations

import re

import httpx
from playwright.async_api import expect

from tests.support.accounts import PASSWORD, unique_email
from tests.support.smtp import smtp_server
from tests.support.waiting import eventually

NEW_PASSWORD = "a brand new passphrase"


async def test_a_person_resets_a_forgotten_password_from_the_mailed_link(
    browser, live_server, start_worker, clean
):
    email = unique_email("ada")
    async with httpx.AsyncClient(base_url=live_server, timeout=30) as http:
        signup = await http.post(
            "/api/v1/auth/signup",
            json={"email": email, "password": PASSWORD, "name": "Ada", "team_name": "Engines"},
        )
        assert signup.status_code == 201, signup.text

    with smtp_server() as smtp:
        start_worker(
            WATCHDECK_PUBLIC_URL=live_server,
            WATCHDECK_SMTP_HOST=smtp.host,
            WATCHDECK_SMTP_PORT=str(smtp.port),
            WATCHDECK_SMTP_FROM="watchdeck@acme.example",
            WATCHDECK_SMTP_STARTTLS="false",
        )
        context = await browser.new_context(base_url=live_server)
        page = await context.new_page()
        await page.goto("/login")
        await page.get_by_role("link", name="Forgot password?").click()
        await page.get_by_label("Email").fill(email)
        await page.get_by_role("button", name="Send reset link").click()
        await expect(page.get_by_role("heading", name="Check your email")).to_be_visible()

        async def mailed() -> str | None:
            if not smtp.messages:
                return None
            text = smtp.messages[-1].get_body(preferencelist=("plain",)).get_content()
            match = re.search(re.escape(live_server) + r"/reset-password/\S+", text)
            return match.group(0) if match else None

        link = await eventually(mailed, "the reset email")

    await page.goto(link)
    await expect(page.get_by_text(f"{email[0]}*")).to_be_visible()
    await page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    await page.get_by_label("New password again").fill(NEW_PASSWORD)
    await page.get_by_role("button", name="Set new password").click()
    await expect(page.get_by_text("Signed in as Ada")).to_be_visible()

    token = link.rsplit("/", 1)[1]
    browser.expect_refusal(404, f"/api/v1/password-resets/{token}")
    await page.goto(link)
    await expect(page.get_by_role("heading", name="This reset link can't be used")).to_be_visible()
    await expect(page.get_by_role("alert")).to_contain_text("already used")
    await context.close()
