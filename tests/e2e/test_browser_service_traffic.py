"""A service's own page in real Chromium: the traffic it pushes and the host it runs on."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import httpx
from playwright.async_api import expect

from tests.e2e.browser_fixtures import access_token, sign_up, worker  # noqa: F401
from tests.e2e.conftest import screenshot
from tests.support.agents import iso, metrics_batch, push, recent_samples
from tests.support.waiting import eventually

VIEWPORT = {"width": 1280, "height": 1000}
# Pushed batches are stored by a worker, then published to open pages.
SEEN_WITHIN_MS = 20_000
# Six samples of 100 requests, 20 of them failed in all: 3.3 % errors.
ERRORS = [0, 1, 2, 3, 4, 10]


def traffic_batch(service_id: str) -> dict:
    now = datetime.now(UTC)
    samples = [
        {
            "service_id": service_id,
            "at": iso(now - timedelta(seconds=10 * (len(ERRORS) - i))),
            "requests": 100,
            "errors": errors,
        }
        for i, errors in enumerate(ERRORS)
    ]
    return {"batch_id": uuid.uuid4().hex, "sent_at": iso(now), "samples": samples}


async def test_a_service_page_shows_its_traffic_and_its_hosts_cpu_and_ram(
    browser,
    live_server,
    clean,
    worker,  # noqa: F811
):
    context = await browser.new_context(base_url=live_server, viewport=VIEWPORT)
    page = await context.new_page()
    await sign_up(page, "Margaret Hamilton", "Apollo")
    headers = {"Authorization": f"Bearer {await access_token(page)}"}

    async with httpx.AsyncClient(base_url=live_server, timeout=10) as api:
        created = await api.post("/api/v1/hosts", json={"name": "web-1"}, headers=headers)
        assert created.status_code == 201, created.text
        host_id = created.json()["host"]["id"]
        host_token = created.json()["token"]
        key = await api.post(
            "/api/v1/team/api-keys", json={"name": "checkout", "kind": "agent"}, headers=headers
        )
        assert key.status_code == 201, key.text
        agent_key = key.json()["key"]

        # A push monitor running on web-1, added through the form.
        await page.get_by_role("link", name="Add a service").first.click()
        await page.get_by_label("Kind").select_option("push")
        await page.get_by_label("Name", exact=True).fill("Checkout API")
        await page.get_by_label("Host", exact=True).select_option(label="web-1")
        await page.get_by_role("button", name="Add service").click()
        await page.get_by_role("link", name="Go to the service").click()
        await expect(page.get_by_role("heading", level=1, name="Checkout API")).to_be_visible()
        service_id = page.url.rstrip("/").rsplit("/", 1)[-1]

        # Nothing pushed yet: the page says so, and how.
        traffic = page.get_by_role("region", name="Traffic", exact=True)
        await expect(traffic).to_contain_text("This service has not pushed any request counts yet.")
        await expect(traffic).to_contain_text("POST /api/v1/ingest/service-metrics")
        await expect(traffic.get_by_label("Example body", exact=True)).to_contain_text(service_id)
        host = page.get_by_role("region", name="Host", exact=True)
        await expect(host).to_contain_text("web-1 has not sent any samples yet")
        await screenshot(page, "service-traffic-none")

        answer = await push(api, "metrics", host_token, metrics_batch(recent_samples(60)))
        assert answer.status_code == 202, answer.text
        answer = await push(api, "service-metrics", agent_key, traffic_batch(service_id))
        assert answer.status_code == 202, answer.text

        async def stored():
            found = await api.get(f"/api/v1/services/{service_id}/traffic", headers=headers)
            return sum(found.json()["requests"]) == 600

        await eventually(stored, "the pushed request counts to be stored")

        # The host's figures arrive live, without a reload.
        ram = host.get_by_role("region", name="RAM", exact=True)
        await expect(ram).to_contain_text("25% now", timeout=SEEN_WITHIN_MS)

        # The last hour: raw samples, so every chart has its values at once.
        await page.get_by_text("1h", exact=True).click()
        await expect(page.get_by_role("radio", name="Last hour")).to_be_checked()

        requests = traffic.get_by_role("region", name="Requests per 10 s")
        await expect(requests).to_contain_text("600 requests")
        await expect(requests.locator("canvas").first).to_be_visible()
        errors = traffic.get_by_role("region", name="Error rate", exact=True)
        await expect(errors).to_contain_text("3.3% errors")
        await expect(errors.locator("canvas").first).to_be_visible()
        await expect(
            traffic.get_by_role("group", name="Error rate over the last hour: 3.3% overall")
        ).to_have_count(1)

        cpu = host.get_by_role("region", name="CPU", exact=True)
        await expect(cpu.locator("canvas").first).to_be_visible()
        await expect(cpu).not_to_contain_text("No samples")
        await expect(ram.locator("canvas").first).to_be_visible()
        await expect(ram).not_to_contain_text("No samples")
        await expect(host.get_by_text("Online")).to_be_visible()
        await screenshot(page, "service-traffic")

        await host.get_by_role("link", name="web-1").click()
        await expect(page.get_by_role("heading", level=1, name="web-1")).to_be_visible()
        assert page.url.endswith(f"/hosts/{host_id}")

    await context.close()
