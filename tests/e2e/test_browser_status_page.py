"""A public status page in real Chromium: read by someone signed out, light and dark,
with no script but its own live updates, and no accessibility violation axe-core can find."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from playwright.async_api import expect
from sqlalchemy import insert
from watchdeck.domain.services import uptime
from watchdeck.domain.services.models import check_hourly

from tests.e2e.browser_fixtures import target, worker  # noqa: F401
from tests.e2e.conftest import screenshot
from tests.support.accounts import sign_up
from tests.support.services import allow_private_targets, create_service
from tests.support.statuspages import component, create_page
from tests.support.waiting import eventually

AXE = Path(__file__).resolve().parents[2] / "web" / "node_modules" / "axe-core" / "axe.min.js"
VIEWPORT = {"width": 1100, "height": 900}


async def _history(db, service_id: str, bad_days: dict[int, int]) -> None:
    """Eighty-nine past days of hourly rollups: clean, but for `bad_days` (days ago ->
    failed checks of 60 in each of that day's hours)."""
    today = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    rows = [
        {
            "service_id": uuid.UUID(service_id),
            "hour": today - timedelta(days=back) + timedelta(hours=hour),
            "total": 60,
            "failures": bad_days.get(back, 0),
            "degraded": 0,
            "latency_avg": 80.0 + (back * 7) % 45,
        }
        for back in range(1, 90)
        for hour in range(24)
    ]
    async with db() as session:
        await session.execute(insert(check_hourly), rows)
        await uptime.sum_days(await session.connection(), today - timedelta(days=89), today)
        await session.commit()


async def _axe_violations(page) -> list[str]:
    await page.add_script_tag(path=str(AXE))
    result = await page.evaluate("() => axe.run(document)")
    return [
        f"{v['id']}: {v['help']} ({', '.join(str(n['target']) for n in v['nodes'])})"
        for v in result["violations"]
    ]


async def test_a_signed_out_reader_sees_each_component_and_the_page_passes_axe(
    browser,
    live_server,
    clean,
    db,
    worker,  # noqa: F811
    target,  # noqa: F811
):
    target.respond(path="/search", status=503)
    async with httpx.AsyncClient(base_url=live_server, timeout=10) as api:
        admin = await sign_up(api, team_name="Acme")
        await allow_private_targets(api, admin)
        web = await create_service(api, admin, name="web", url=target.url("/"), interval_s=10)
        search = await create_service(
            api, admin, name="search", url=target.url("/search"), failures_before_down=1
        )
        for service in (web, search):
            await eventually(
                lambda s=service: _status_known(api, admin, s["id"]), f"{service['name']} checked"
            )
        await _history(db, web["id"], {12: 30, 40: 2})
        await _history(db, search["id"], {5: 60, 6: 10})
        await create_page(
            api,
            admin,
            slug="acme",
            title="Acme",
            description="Live status of Acme's shop and its API.",
            footer_links=[{"label": "Support", "url": "https://acme.example/support"}],
            components=[
                component("Website", [web], group="Shop", show_latency=True),
                component("Search", [search], group="Shop"),
                component("Public API", [web, search]),
            ],
        )
        # Something to tell: an incident being worked on and maintenance coming.
        page_row = (await api.get("/api/v1/status-pages", headers=admin.headers)).json()[0]
        notice = await api.post(
            "/api/v1/public-incidents",
            json={
                "title": "Search results missing",
                "impact": "partial_outage",
                "page_ids": [page_row["id"]],
                "component_ids": [page_row["components"][1]["id"]],
                "status": "identified",
                "body": "A search index node failed; it is being rebuilt.",
            },
            headers=admin.headers,
        )
        assert notice.status_code == 201, notice.text
        soon = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) + timedelta(days=3)
        window = await api.post(
            "/api/v1/maintenance",
            json={
                "name": "db-7 failover",
                "starts_at": soon.isoformat(),
                "ends_at": (soon + timedelta(hours=1)).isoformat(),
                "service_ids": [web["id"]],
                "public": True,
                "public_title": "Database upgrade",
                "public_body": "The shop may be slow for a few minutes.",
            },
            headers=admin.headers,
        )
        assert window.status_code == 201, window.text

    for scheme in ("light", "dark"):
        context = await browser.new_context(
            base_url=live_server, viewport=VIEWPORT, color_scheme=scheme, bypass_csp=True
        )
        page = await context.new_page()
        response = await page.goto("/status/acme")
        assert response is not None and response.status == 200

        await expect(page.get_by_role("heading", level=1, name="Acme")).to_be_visible()
        await expect(page.get_by_role("status")).to_have_text("Major outage")
        shop = page.get_by_role("region", name="Shop")
        await expect(shop.get_by_role("listitem").filter(has_text="Website")).to_contain_text(
            "Operational"
        )
        await expect(shop.get_by_role("listitem").filter(has_text="Search")).to_contain_text(
            "Major outage"
        )
        await expect(page.get_by_role("listitem").filter(has_text="Public API")).to_contain_text(
            "Partial outage"
        )
        # One script, the page's own live updates; days alike merge into one stretch.
        assert await page.locator("script").count() == 1
        days = await page.eval_on_selector_all(
            ".bar",
            "bars => bars.map(bar => [...bar.children]"
            ".reduce((sum, day) => sum + Number(day.style.flexGrow || 1), 0))",
        )
        assert days == [90, 90, 90]
        await expect(page.get_by_role("region", name="Current incidents")).to_contain_text(
            "Search results missing"
        )
        await expect(page.get_by_role("region", name="Maintenance")).to_contain_text(
            "Database upgrade"
        )
        await screenshot(page, f"status-page-{scheme}")
        assert await _axe_violations(page) == []
        # The page's other views pass too.
        for path in ("/history", f"/incidents/{notice.json()['id']}", "/subscribe"):
            await page.goto(f"/status/acme{path}")
            await expect(page.get_by_role("main")).to_be_visible()
            assert await _axe_violations(page) == [], path
        await context.close()


async def _status_known(api: httpx.AsyncClient, admin, service_id: str) -> bool:
    answer = await api.get(f"/api/v1/services/{service_id}", headers=admin.headers)
    return answer.json()["status"] in {"up", "down"}
