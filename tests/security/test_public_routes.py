"""Every public route tells only what a team published.

A team with a page of one component over one service and one host, and everything
else it holds private: its name, its people, the service's URL, headers and errors,
the host's name, an unpublished service, an incident and its internal comment. Every
public route the app has (found from the app itself, so a new one is walked too) is
read plain and gzipped, and no answer carries any of it.
"""

from __future__ import annotations

import re
import uuid

from watchdeck.domain.accounts.auth import route_access
from watchdeck.domain.accounts.roles import Access
from watchdeck.domain.services.probe import Prober
from watchdeck.domain.statuspages.models import Subscriber
from watchdeck.domain.statuspages.subscribers import Purpose, token_for

from tests.support.accounts import add_member, sign_up
from tests.support.services import allow_private_targets, check_once, create_service
from tests.support.statuspages import component, create_page
from tests.support.targets import http_target

# Public routes outside status pages and badges, which say nothing about any team: health,
# the dashboard's files, sign-up and the like are walked by their own tests.
_STATUS_ROUTES = re.compile(r"^/(status|badge)/")


def _public_status_routes(app) -> list[str]:
    """Every public route readers GET; the forms they POST answer the same views."""
    found = []
    for route in app.routes:
        for handler in getattr(route, "route_handlers", []):
            if (
                route_access(handler) is Access.public
                and _STATUS_ROUTES.match(route.path)
                and "GET" in handler.http_methods
            ):
                found.append(route.path)
    return sorted(set(found))


async def test_no_public_route_reveals_anything_the_page_does_not_publish(client, app):
    secret = uuid.uuid4().hex
    team_name = f"Team {secret[:8]}"
    admin = await sign_up(client, team_name=team_name)
    developer = await add_member(client, admin, "developer")
    await allow_private_targets(client, admin)
    with http_target() as target:
        target.respond(path=f"/private-{secret}", status=503, body=f"stack trace {secret}")
        published = await create_service(
            client,
            admin,
            name=f"billing-db-{secret[:6]}",
            url=target.url(f"/private-{secret}?token={secret}"),
            headers={"Authorization": f"Bearer {secret}"},
            tags=[f"tag-{secret[:6]}"],
            failures_before_down=1,
            badges=True,  # its badge key is public by design; nothing else of it is
        )
        hidden = await create_service(client, admin, name=f"shadow-{secret[:6]}", kind="push")
        async with Prober() as prober:
            await check_once(app, published["id"], prober)
    host = (
        await client.post(
            "/api/v1/hosts",
            json={"name": f"db-{secret[:6]}.internal", "labels": {"rack": f"r-{secret[:6]}"}},
            headers=admin.headers,
        )
    ).json()["host"]
    incident = (
        await client.post(
            "/api/v1/incidents",
            json={"title": f"Disk full {secret[:6]}", "severity": "high"},
            headers=admin.headers,
        )
    ).json()
    await client.post(
        f"/api/v1/incidents/{incident['id']}/comments",
        json={"body": f"root password is {secret}"},
        headers=developer.headers,
    )
    page = await create_page(
        client,
        admin,
        slug="acme",
        title="Acme",
        components=[component("Payments", [published], hosts=[host], show_latency=True)],
    )
    # An incident published to the page under a public title, with a logo on the page, so
    # the incident page, the feeds and the logo answer with something to leak.
    notice = await client.post(
        "/api/v1/public-incidents",
        json={
            "incident_id": incident["id"],
            "title": "Payments are slow",
            "impact": "partial_outage",
            "page_ids": [page["id"]],
            "component_ids": [page["components"][0]["id"]],
            "body": "We are looking into slow payments.",
        },
        headers=developer.headers,
    )
    assert notice.status_code == 201, notice.text
    logo = await client.put(
        f"/api/v1/status-pages/{page['id']}/logo",
        content=bytes.fromhex("89504e470d0a1a0a") + b"\0" * 64,
        headers=admin.headers | {"content-type": "image/png"},
    )
    assert logo.status_code == 200, logo.text
    # A reader of the page subscribed: their address is private too, and the routes of the
    # links mailed to them are walked with valid links of their own.
    async with app.state.session_factory() as session:
        reader = Subscriber(
            page_id=uuid.UUID(page["id"]),
            kind="email",
            address=f"reader-{secret[:6]}@example.net",
            component_ids=[],
        )
        session.add(reader)
        await session.commit()
    settings = app.state.settings
    queries = {
        "/status/{slug:str}/subscribe/confirm": "?token="
        + token_for(settings, Purpose.confirm, reader),
        "/status/{slug:str}/unsubscribe": "?token="
        + token_for(settings, Purpose.unsubscribe, reader),
    }

    private = {
        "secret": secret,
        "team name": team_name,
        "team id": str(admin.team_id),
        "admin's email": admin.email,
        "developer's email": developer.email,
        "service name": published["name"],
        "service id": published["id"],
        "service url": target.url("/"),
        "unpublished service": hidden["name"],
        "unpublished service id": hidden["id"],
        "host name": host["name"],
        "host id": host["id"],
        "host label": f"r-{secret[:6]}",
        "incident title": incident["title"],
        "page id": page["id"],
        "subscriber's email": reader.address,
    }
    routes = _public_status_routes(app)
    assert len(routes) >= 5, routes  # the page, its summary and the three badges, at least

    read = 0
    for path in routes:
        url = re.sub(r"\{slug(?::\w+)?\}", "acme", path)
        url = re.sub(r"\{key(?::\w+)?\}", published["badge_path"].removeprefix("/badge/"), url)
        url = re.sub(r"\{notice_id(?::\w+)?\}", notice.json()["id"], url)
        url += queries.get(path, "")
        for encoding in ("identity", "gzip"):
            response = await client.get(url, headers={"Accept-Encoding": encoding})
            assert response.status_code == 200, (url, response.status_code)
            assert response.headers.get("content-type", "").count("charset") <= 1, url
            answer = response.text + " ".join(f"{k}: {v}" for k, v in response.headers.items())
            for what, value in private.items():
                assert value.lower() not in answer.lower(), f"{url} reveals the {what}"
            read += 1
    assert read == 2 * len(routes)
    # What the page does publish is there, so the walk read real answers.
    assert "Payments" in (await client.get("/status/acme")).text
    assert "Payments are slow" in (await client.get("/status/acme/feed.atom")).text
