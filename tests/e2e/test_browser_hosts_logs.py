"""Hosts and logs in real Chromium: metric charts, log filters and search, the live tail."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import httpx
from playwright.async_api import expect

from tests.e2e.browser_fixtures import access_token, sign_up, worker  # noqa: F401
from tests.e2e.conftest import screenshot
from tests.support.agents import iso, metrics_batch, push, recent_samples
from tests.support.waiting import eventually

VIEWPORT = {"width": 1280, "height": 900}
# Pushed batches are stored by the worker, then published to open pages.
SEEN_WITHIN_MS = 20_000


def logs_batch(lines: list[dict]) -> dict:
    return {
        "batch_id": uuid.uuid4().hex,
        "sent_at": iso(datetime.now(UTC)),
        "agent": {"version": "0.1.0", "hostname": "web-1", "os": "linux"},
        "lines": lines,
    }


def line(message: str, level: str, seconds_ago: float = 0) -> dict:
    at = datetime.now(UTC) - timedelta(seconds=seconds_ago)
    return {"at": iso(at), "message": message, "level": level, "source": "app.log"}


async def test_a_host_shows_its_charts_and_its_logs_filter_search_and_tail(
    browser,
    live_server,
    clean,
    worker,  # noqa: F811
):
    context = await browser.new_context(base_url=live_server, viewport=VIEWPORT)
    page = await context.new_page()
    await sign_up(page, "Linus Torvalds", "Kernel")
    headers = {"Authorization": f"Bearer {await access_token(page)}"}

    async with httpx.AsyncClient(base_url=live_server, timeout=10) as api:
        created = await api.post(
            "/api/v1/hosts", json={"name": "web-1", "labels": {"env": "prod"}}, headers=headers
        )
        assert created.status_code == 201, created.text
        host_id = created.json()["host"]["id"]
        agent_token = created.json()["token"]

        answer = await push(api, "metrics", agent_token, metrics_batch(recent_samples(60)))
        assert answer.status_code == 202, answer.text
        answer = await push(
            api,
            "logs",
            agent_token,
            logs_batch(
                [
                    line("GET /health 200 in 3 ms", "info", 30),
                    line("payment gateway timeout after 30 s", "error", 20),
                    line("cache warmed", "info", 10),
                    line("disk almost full on /var", "warning", 5),
                ]
            ),
        )
        assert answer.status_code == 202, answer.text

        async def stored():
            found = await api.get("/api/v1/logs", headers=headers)
            hosts = await api.get("/api/v1/hosts", headers=headers)
            return len(found.json()["items"]) == 4 and hosts.json()[0]["latest"]

        await eventually(stored, "the pushed metrics and lines to be stored")

        # The hosts list: status, labels and the latest figures.
        await page.get_by_role("navigation", name="Main").get_by_role("link", name="Hosts").click()
        row = page.get_by_role("table", name="Hosts").get_by_role("row").filter(has_text="web-1")
        await expect(row).to_contain_text("Online")
        await expect(row).to_contain_text("env=prod")
        await expect(row).to_contain_text("25%")  # RAM of the samples
        await screenshot(page, "hosts-list")

        # The host page draws its charts.
        await row.get_by_role("link", name="web-1").click()
        await expect(page.get_by_role("heading", level=1, name="web-1")).to_be_visible()
        for title in ("CPU", "Memory", "Disk", "Network", "Load"):
            panel = page.get_by_role("region", name=title, exact=True)
            await expect(panel.locator("canvas").first).to_be_visible()
            await expect(panel).not_to_contain_text("No samples")
        await screenshot(page, "hosts-detail")
        # Longer ranges read rollups, which the worker computes later; the picker itself moves.
        await page.get_by_text("24h", exact=True).click()
        await expect(page.get_by_role("radio", name="Last 24 hours")).to_be_checked()

        # Logs: newest first, then filtered by level, then searched.
        await page.get_by_role("navigation", name="Main").get_by_role("link", name="Logs").click()
        lines = page.get_by_role("list", name="Log lines").get_by_role("listitem")
        await expect(lines).to_have_count(4)
        await expect(lines.first).to_contain_text("disk almost full")
        await page.get_by_label("Level").select_option("error")
        await expect(lines).to_have_count(1)
        await expect(lines.first).to_contain_text("payment gateway timeout")
        await page.get_by_label("Level").select_option("")
        await expect(lines).to_have_count(4)

        await page.get_by_label("Search").fill("timeout")
        await expect(lines).to_have_count(1)
        await expect(lines.first.locator("mark")).to_have_text("timeout")
        await screenshot(page, "logs")
        await page.get_by_label("Search").fill("")
        await expect(lines).to_have_count(4)

        # The live tail: a line pushed now shows up on top without a reload.
        await push(api, "logs", agent_token, logs_batch([line("deploy 42 finished", "info")]))
        await expect(lines.first).to_contain_text("deploy 42 finished", timeout=SEEN_WITHIN_MS)
        await expect(lines).to_have_count(5)

        # Paused: new lines are counted, not inserted; resuming inserts them.
        await page.get_by_role("button", name="Pause").click()
        await push(api, "logs", agent_token, logs_batch([line("while paused", "info")]))
        await expect(page.get_by_text("Paused: 1 new line")).to_be_visible(timeout=SEEN_WITHIN_MS)
        await expect(lines).to_have_count(5)
        await expect(page.get_by_text("while paused")).to_have_count(0)
        await page.get_by_role("button", name="Resume").click()
        await expect(lines.first).to_contain_text("while paused")
        await expect(lines).to_have_count(6)

    assert host_id
    await context.close()


async def test_the_live_tail_filtered_by_a_service_shows_only_that_services_lines(
    browser,
    live_server,
    clean,
    worker,  # noqa: F811
):
    context = await browser.new_context(base_url=live_server, viewport=VIEWPORT)
    page = await context.new_page()
    await sign_up(page, "Linus Torvalds", "Kernel")
    headers = {"Authorization": f"Bearer {await access_token(page)}"}

    async with httpx.AsyncClient(base_url=live_server, timeout=10) as api:
        created = await api.post("/api/v1/hosts", json={"name": "web-1"}, headers=headers)
        assert created.status_code == 201, created.text
        agent_token = created.json()["token"]
        services = {}
        for name in ("payments", "auth"):
            made = await api.post(
                "/api/v1/services", json={"name": name, "kind": "push"}, headers=headers
            )
            assert made.status_code == 201, made.text
            services[name] = made.json()["service"]["id"]

        def about(message: str, service: str | None, seconds_ago: float = 0) -> dict:
            shipped = line(message, "info", seconds_ago)
            return shipped | ({"service_id": services[service]} if service else {})

        answer = await push(
            api,
            "logs",
            agent_token,
            logs_batch([about("charge declined", "payments", 20), about("cron ran", None, 10)]),
        )
        assert answer.status_code == 202, answer.text

        async def stored():
            found = await api.get("/api/v1/logs", headers=headers)
            return len(found.json()["items"]) == 2

        await eventually(stored, "the first lines to be stored")

        await page.get_by_role("navigation", name="Main").get_by_role("link", name="Logs").click()
        lines = page.get_by_role("list", name="Log lines").get_by_role("listitem")
        await expect(lines).to_have_count(2)
        await page.get_by_label("Source").select_option(label="Service: payments")
        await expect(lines).to_have_count(1)
        await expect(lines.first).to_contain_text("charge declined")

        # Live: the service's new line shows up on top; the others stay out.
        await push(
            api,
            "logs",
            agent_token,
            logs_batch(
                [
                    about("token refreshed", "auth"),
                    about("disk cleaned", None),
                    about("refund issued", "payments"),
                ]
            ),
        )
        await expect(lines.first).to_contain_text("refund issued", timeout=SEEN_WITHIN_MS)
        await expect(lines).to_have_count(2)
        await expect(page.get_by_text("token refreshed")).to_have_count(0)
        await expect(page.get_by_text("disk cleaned")).to_have_count(0)

        await page.get_by_label("Source").select_option(label="All sources")
        await expect(lines).to_have_count(5)

    await context.close()


async def test_an_admin_deletes_a_host_from_its_page_after_confirming(browser, live_server, clean):
    context = await browser.new_context(base_url=live_server, viewport=VIEWPORT)
    page = await context.new_page()
    await sign_up(page, "Linus Torvalds", "Kernel")
    headers = {"Authorization": f"Bearer {await access_token(page)}"}

    async with httpx.AsyncClient(base_url=live_server, timeout=10) as api:
        for name in ("web-1", "db-1"):
            created = await api.post("/api/v1/hosts", json={"name": name}, headers=headers)
            assert created.status_code == 201, created.text
        host_id = created.json()["host"]["id"]

        await page.goto(f"/hosts/{host_id}")
        await expect(page.get_by_role("heading", level=1, name="db-1")).to_be_visible()
        await page.get_by_role("button", name="Delete").click()
        dialog = page.get_by_role("alertdialog")
        await expect(dialog).to_contain_text("Delete db-1?")
        await dialog.get_by_role("button", name="Cancel").click()
        await expect(dialog).to_have_count(0)

        await page.get_by_role("button", name="Delete").click()
        await page.get_by_role("alertdialog").get_by_role("button", name="Delete host").click()
        await expect(page).to_have_url(f"{live_server}/hosts")
        table = page.get_by_role("table", name="Hosts")
        await expect(table.get_by_role("row").filter(has_text="web-1")).to_have_count(1)
        await expect(table.get_by_role("row").filter(has_text="db-1")).to_have_count(0)
        gone = await api.get(f"/api/v1/hosts/{host_id}", headers=headers)
        assert gone.status_code == 404

    await context.close()
