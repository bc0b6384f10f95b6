"""The built dashboard in real Chromium, through nginx in front of two api processes."""

from __future__ import annotations

import uuid

from playwright.async_api import expect

from tests.e2e.conftest import WEB_DIST
from tests.support.waiting import eventually

PASSWORD = "correct horse battery"


async def test_the_dashboard_signs_up_and_goes_live_through_nginx_under_its_policy(
    client, browser, start_api, start_nginx
):
    first, second = start_api(), start_api()
    nginx = start_nginx([first.address, second.address], WEB_DIST)
    context = await browser.new_context(base_url=nginx.base)
    page = await context.new_page()
    refused: list[str] = []  # what the Content-Security-Policy blocked, as Chromium reports it
    page.on(
        "console",
        lambda message: refused.append(message.text) if "Refused" in message.text else None,
    )
    frames: list[str] = []
    page.on(
        "websocket",
        lambda socket: socket.on("framereceived", lambda frame: frames.append(str(frame))),
    )

    await page.goto("/")
    await expect(page).to_have_url(f"{nginx.base}/login")
    await page.get_by_role("link", name="Create one").click()
    await page.get_by_label("Name", exact=True).fill("Ada Lovelace")
    await page.get_by_label("Email").fill(f"ada-{uuid.uuid4().hex[:6]}@example.com")
    await page.get_by_label("Team name").fill("Analytical Engines")
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Create account").click()
    await expect(page.get_by_text("Signed in as Ada Lovelace")).to_be_visible()

    async def socket_io_connected():
        return any(frame.startswith("40") for frame in frames)  # Socket.IO's CONNECT answer

    await eventually(socket_io_connected, "the dashboard's Socket.IO connection through nginx")
    await context.close()
    assert refused == []
