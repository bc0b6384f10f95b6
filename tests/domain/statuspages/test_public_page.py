"""Anyone reads a status page: each component's state, its daily uptime and the banner."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from tests.support.accounts import sign_up
from tests.support.services import allow_private_targets, check_once, create_service
from tests.support.statuspages import component, create_page


async def _up_and_down(client, app, prober, target, admin):
    """A service that passed its one check and one that failed it."""
    await allow_private_targets(client, admin)
    up = await create_service(client, admin, name="web", url=target.url("/ok"))
    down = await create_service(
        client, admin, name="db", url=target.url("/broken"), failures_before_down=1
    )
    target.respond(path="/broken", status=503)
    await check_once(app, up["id"], prober)
    await check_once(app, down["id"], prober)
    return up, down


async def test_each_component_shows_its_state_and_the_banner_the_worst(client, app, prober, target):
    admin = await sign_up(client)
    up, down = await _up_and_down(client, app, prober, target, admin)
    host = (
        await client.post("/api/v1/hosts", json={"name": "db-1"}, headers=admin.headers)
    ).json()["host"]
    await create_page(
        client,
        admin,
        components=[
            component("Website", [up], group="Frontend"),
            component("Checkout", [up, down], group="Frontend"),
            component("Database", [down]),
            component("Batch host", hosts=[host]),
        ],
    )

    summary = (await client.get("/status/acme/api/summary.json")).json()
    page = await client.get("/status/acme")

    assert [(c["name"], c["status"]) for c in summary["components"]] == [
        ("Website", "operational"),
        ("Checkout", "partial_outage"),
        ("Database", "major_outage"),
        ("Batch host", None),  # no sample from its agent yet
    ]
    assert summary["status"] == {"indicator": "critical", "description": "Major outage"}
    assert summary["page"]["url"].endswith("/status/acme")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    html = page.text
    assert re.search(r'role="status">Major outage<', html)
    assert html.index("Frontend") < html.index("Website") < html.index("Checkout")
    assert "Partial outage" in html and "No data yet" in html
    # No inline script: only the page's own script, which keeps an open page current.
    assert re.findall(r"<script[^>]*>[^<]*", html) == ['<script src="/status/acme/live.js" defer>']


async def test_today_s_bar_counts_the_day_s_checks_and_older_days_have_no_data(
    client, app, prober, target
):
    admin = await sign_up(client)
    up, down = await _up_and_down(client, app, prober, target, admin)
    await create_page(client, admin, components=[component("Shop", [up, down])])

    [shop] = (await client.get("/status/acme/api/summary.json")).json()["components"]

    today = datetime.now(UTC).date()
    assert len(shop["days"]) == 90
    assert shop["days"][-1] == {"date": today.isoformat(), "uptime": 0.5}
    assert shop["days"][0] == {"date": (today - timedelta(days=89)).isoformat(), "uptime": None}
    assert shop["uptime_90d"] == 0.5
    html = (await client.get("/status/acme")).text
    assert f'title="{today.day} {today:%b %Y}: 50.00%"' in html
    assert "Uptime over the last 90 days: 50.00%" in html


async def test_all_members_in_maintenance_show_under_maintenance(client, app, prober, target):
    admin = await sign_up(client)
    up, down = await _up_and_down(client, app, prober, target, admin)
    now = datetime.now(UTC)
    window = await client.post(
        "/api/v1/maintenance",
        json={
            "name": "Database upgrade",
            "starts_at": (now - timedelta(minutes=5)).isoformat(),
            "ends_at": (now + timedelta(hours=1)).isoformat(),
            "service_ids": [down["id"]],
        },
        headers=admin.headers,
    )
    assert window.status_code == 201, window.text
    await create_page(
        client, admin, components=[component("Database", [down]), component("Web", [up])]
    )

    summary = (await client.get("/status/acme/api/summary.json")).json()

    assert [c["status"] for c in summary["components"]] == ["under_maintenance", "operational"]
    assert summary["status"]["description"] == "Under maintenance"


async def test_the_page_is_cacheable_compressed_and_runs_no_inline_script(client):
    admin = await sign_up(client)
    web = await create_service(client, admin, name="web", kind="push")
    await create_page(client, admin, components=[component("Web", [web])])

    first = await client.get("/status/acme", headers={"Accept-Encoding": "gzip"})
    again = await client.get("/status/acme", headers={"If-None-Match": first.headers["etag"]})

    assert first.headers["cache-control"].startswith("public, max-age=")
    assert "script-src 'self';" in first.headers["content-security-policy"]
    assert "unsafe-eval" not in first.headers["content-security-policy"]
    assert first.headers["content-security-policy"].startswith("default-src 'none'")
    assert first.headers["content-encoding"] == "gzip"
    assert "Web" in first.text  # httpx has undone the gzip
    assert again.status_code == 304 and again.content == b""
    plain = await client.get("/status/acme", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers and "Web" in plain.text


async def test_search_engines_are_kept_away_unless_the_team_wants_the_page_found(client):
    admin = await sign_up(client)
    page = await create_page(client, admin)

    hidden = await client.get("/status/acme")
    await client.patch(
        f"/api/v1/status-pages/{page['id']}", json={"indexed": True}, headers=admin.headers
    )
    found = await client.get("/status/acme")

    assert hidden.headers["x-robots-tag"] == "noindex, nofollow"
    assert 'name="robots"' in hidden.text
    assert "x-robots-tag" not in found.headers
    assert 'name="robots"' not in found.text


async def test_an_unknown_page_is_a_plain_not_found_page(client):
    page = await client.get("/status/nobody-here")
    summary = await client.get("/status/nobody-here/api/summary.json")

    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")
    assert "Status page not found" in page.text
    assert summary.status_code == 404
    assert summary.json()["error"]["code"] == "not_found"
