"""Published incidents: what readers of a page are told, written by the team, never the
internal incident; its updates, its history, its feeds."""

from __future__ import annotations

import asyncio
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta

from tests.support.accounts import add_member, sign_up
from tests.support.services import create_service
from tests.support.statuspages import component, create_page

ATOM = "{http://www.w3.org/2005/Atom}"


async def _setup(client):
    admin = await sign_up(client)
    api = await create_service(client, admin, name="api-internal", kind="push")
    web = await create_service(client, admin, name="web-internal", kind="push")
    page = await create_page(
        client, admin, components=[component("API", [api]), component("Website", [web])]
    )
    incident = (
        await client.post(
            "/api/v1/incidents",
            json={"title": "pg-primary-3 disk full", "severity": "high"},
            headers=admin.headers,
        )
    ).json()
    return admin, page, incident


async def _publish(client, admin, page, incident, **fields):
    body = {
        "incident_id": incident["id"],
        "title": "Slow API responses",
        "impact": "partial_outage",
        "page_ids": [page["id"]],
        "component_ids": [page["components"][0]["id"]],
        "body": "We are looking into slow responses from the API.",
    } | fields
    response = await client.post("/api/v1/public-incidents", json=body, headers=admin.headers)
    assert response.status_code == 201, response.text
    return response.json()


async def test_a_published_incident_shows_on_the_page_with_its_own_words_only(client):
    admin, page, incident = await _setup(client)

    notice = await _publish(client, admin, page, incident)
    summary = (await client.get("/status/acme/api/summary.json")).json()
    html = (await client.get("/status/acme")).text

    [shown] = summary["incidents"]
    assert shown["name"] == "Slow API responses"
    assert shown["impact"] == "partial_outage" and shown["status"] == "investigating"
    assert shown["components"] == ["API"]
    assert shown["shortlink"].endswith(f"/status/acme/incidents/{notice['id']}")
    assert [u["body"] for u in shown["incident_updates"]] == [
        "We are looking into slow responses from the API."
    ]
    # The named component is shown as the impact says; the banner follows it.
    assert [(c["name"], c["status"]) for c in summary["components"]] == [
        ("API", "partial_outage"),
        ("Website", None),
    ]
    assert summary["status"]["description"] == "Partial outage"
    assert "Slow API responses" in html and "Current incidents" in html
    assert "pg-primary-3" not in html and "pg-primary-3" not in str(summary)


async def test_updates_go_through_the_stages_and_resolved_leaves_the_front_page(client):
    admin, page, incident = await _setup(client)
    notice = await _publish(client, admin, page, incident)
    url = f"/api/v1/public-incidents/{notice['id']}/updates"

    for status, body in [
        ("identified", "A full disk on one database server."),
        ("monitoring", "Space freed; watching."),
        ("resolved", "Responses are back to normal."),
    ]:
        response = await client.post(
            url, json={"status": status, "body": body}, headers=admin.headers
        )
        assert response.status_code == 201, response.text
    done = response.json()
    summary = (await client.get("/status/acme/api/summary.json")).json()
    history = (await client.get("/status/acme/history")).text
    one = await client.get(f"/status/acme/incidents/{notice['id']}")

    assert [u["status"] for u in done["updates"]] == [
        "investigating", "identified", "monitoring", "resolved"
    ]  # fmt: skip
    assert done["status"] == "resolved" and done["resolved_at"] is not None
    assert summary["incidents"] == []
    assert summary["status"]["description"] == "All systems operational"
    assert "Slow API responses" in history and "resolved" in history
    assert one.status_code == 200
    text = one.text
    assert text.index("Responses are back to normal.") < text.index("We are looking into")


async def test_each_step_lands_on_the_internal_incident_timeline(client):
    admin, page, incident = await _setup(client)
    notice = await _publish(client, admin, page, incident)
    await client.post(
        f"/api/v1/public-incidents/{notice['id']}/updates",
        json={"status": "identified", "body": "Found it."},
        headers=admin.headers,
    )

    detail = (await client.get(f"/api/v1/incidents/{incident['id']}", headers=admin.headers)).json()
    found = await client.get(
        f"/api/v1/public-incidents?incident_id={incident['id']}", headers=admin.headers
    )

    kinds = [entry["kind"] for entry in detail["timeline"]]
    assert kinds[-2:] == ["published", "public_update"]
    assert [n["id"] for n in found.json()] == [notice["id"]]


async def test_an_incident_is_published_once_and_targets_must_be_the_team_s(client):
    admin, page, incident = await _setup(client)
    other = await sign_up(client, team_name="Other")
    theirs = await create_page(client, other, slug="theirs")
    await _publish(client, admin, page, incident)

    again = await client.post(
        "/api/v1/public-incidents",
        json={
            "incident_id": incident["id"],
            "title": "x",
            "impact": "none",
            "page_ids": [page["id"]],
            "body": "x",
        },
        headers=admin.headers,
    )
    foreign = await client.post(
        "/api/v1/public-incidents",
        json={"title": "x", "impact": "none", "page_ids": [theirs["id"]], "body": "x"},
        headers=admin.headers,
    )
    not_on_page = await client.post(
        "/api/v1/public-incidents",
        json={
            "title": "x",
            "impact": "none",
            "page_ids": [page["id"]],
            "component_ids": [page["id"]],
            "body": "x",
        },
        headers=admin.headers,
    )
    bad_impact = await client.post(
        "/api/v1/public-incidents",
        json={"title": "x", "impact": "catastrophic", "page_ids": [page["id"]], "body": "x"},
        headers=admin.headers,
    )

    assert again.status_code == 409 and "incident_id" in again.json()["error"]["fields"]
    assert foreign.status_code == 422 and "page_ids[0]" in foreign.json()["error"]["fields"]
    assert not_on_page.status_code == 422
    assert "component_ids[0]" in not_on_page.json()["error"]["fields"]
    assert bad_impact.status_code == 422 and "impact" in bad_impact.json()["error"]["fields"]
    # Nothing half written: one notice only, on the right page.
    listed = (await client.get("/api/v1/public-incidents", headers=admin.headers)).json()
    assert len(listed) == 1


async def test_viewers_read_notices_but_only_developers_publish_and_admins_unpublish(client):
    admin, page, incident = await _setup(client)
    viewer = await add_member(client, admin, "viewer")
    developer = await add_member(client, admin, "developer")
    notice = await _publish(client, developer, page, incident)

    read = await client.get(f"/api/v1/public-incidents/{notice['id']}", headers=viewer.headers)
    refused = await client.post(
        f"/api/v1/public-incidents/{notice['id']}/updates",
        json={"status": "identified", "body": "x"},
        headers=viewer.headers,
    )
    kept = await client.delete(
        f"/api/v1/public-incidents/{notice['id']}", headers=developer.headers
    )
    gone = await client.delete(f"/api/v1/public-incidents/{notice['id']}", headers=admin.headers)

    assert read.status_code == 200 and refused.status_code == 403
    assert kept.status_code == 403 and gone.status_code == 204
    summary = (await client.get("/status/acme/api/summary.json")).json()
    assert summary["incidents"] == []
    missing = await client.get(f"/status/acme/incidents/{notice['id']}")
    assert missing.status_code == 404
    detail = await client.get(f"/api/v1/incidents/{incident['id']}", headers=admin.headers)
    assert detail.json()["timeline"][-1]["kind"] == "unpublished"


async def test_the_feeds_list_published_incidents_newest_first(client):
    admin, page, incident = await _setup(client)
    await _publish(client, admin, page, incident, title="First trouble")
    await _publish(client, admin, page, {"id": None}, title="Second trouble")

    atom = await client.get("/status/acme/feed.atom")
    rss = await client.get("/status/acme/feed.rss")

    assert atom.headers["content-type"].startswith("application/atom+xml")
    assert rss.headers["content-type"].startswith("application/rss+xml")
    entries = ET.fromstring(atom.content).findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}title").text for e in entries] == [
        "Second trouble (investigating)",
        "First trouble (investigating)",
    ]
    items = ET.fromstring(rss.content).findall("channel/item")
    assert [i.find("title").text for i in items][0] == "Second trouble (investigating)"
    assert "pg-primary-3" not in atom.text + rss.text


async def test_public_maintenance_is_announced_and_private_windows_are_not(client):
    admin, page, _ = await _setup(client)
    api_id = page["components"][0]["service_ids"][0]
    now = datetime.now(UTC)

    async def window(**fields):
        body = {"name": "internal name", "service_ids": [api_id]} | fields
        response = await client.post("/api/v1/maintenance", json=body, headers=admin.headers)
        assert response.status_code == 201, response.text

    await window(
        starts_at=(now + timedelta(days=2)).isoformat(),
        ends_at=(now + timedelta(days=2, hours=1)).isoformat(),
        public=True,
        public_title="Database upgrade",
        public_body="The API may be slow for a few minutes.",
    )
    await window(
        starts_at=(now - timedelta(minutes=5)).isoformat(),
        ends_at=(now + timedelta(minutes=30)).isoformat(),
        public=True,
        public_title="Network work",
    )
    await window(
        starts_at=(now + timedelta(days=1)).isoformat(),
        ends_at=(now + timedelta(days=1, hours=1)).isoformat(),
    )
    untitled = await client.post(
        "/api/v1/maintenance",
        json={
            "name": "x",
            "starts_at": now.isoformat(),
            "ends_at": (now + timedelta(hours=1)).isoformat(),
            "public": True,
        },
        headers=admin.headers,
    )

    summary = (await client.get("/status/acme/api/summary.json")).json()
    html = (await client.get("/status/acme")).text
    atom = (await client.get("/status/acme/feed.atom")).text

    assert [
        (m["name"], m["status"], m["components"]) for m in summary["scheduled_maintenances"]
    ] == [
        ("Network work", "in_progress", ["API"]),
        ("Database upgrade", "scheduled", ["API"]),
    ]
    assert summary["status"]["description"] == "Under maintenance"
    assert "Database upgrade" in html and "The API may be slow" in html
    assert "Maintenance: Database upgrade" in atom
    assert "internal name" not in html + atom + str(summary)
    assert untitled.status_code == 422 and "public_title" in untitled.json()["error"]["fields"]


async def test_the_live_stream_says_when_the_page_changed(client):
    admin, page, incident = await _setup(client)
    quiet = await client.get("/status/acme/events")

    listening = asyncio.create_task(client.get("/status/acme/events"))
    await asyncio.sleep(0.2)
    await _publish(client, admin, page, incident)
    told = await listening

    assert quiet.headers["content-type"].startswith("text/event-stream")
    assert "event: ready" in quiet.text and "event: changed" not in quiet.text
    assert "event: changed" in told.text
