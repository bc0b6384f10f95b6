"""Pages that are not for everyone, pages on their own domain, and their logos."""

from __future__ import annotations

import httpx
import pytest
from watchdeck.domain.statuspages.domains import Domains
from watchdeck.middleware import CustomDomains

from tests.support.accounts import sign_up
from tests.support.services import create_service
from tests.support.statuspages import component, create_page

# The smallest PNG: one transparent pixel.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6300010000050001"
    "0d0a2db40000000049454e44ae426082"
)
VIEWS = ["", "/api/summary.json", "/history", "/feed.atom", "/feed.rss"]


async def _private_page(client, **fields):
    admin = await sign_up(client)
    payments = await create_service(client, admin, name="payments", kind="push")
    page = await create_page(
        client, admin, title="Acme internal", components=[component("Payments", [payments])],
        **fields,
    )  # fmt: skip
    return admin, page


async def test_a_password_page_refuses_every_view_until_the_password_is_given(client):
    admin, page = await _private_page(client, access="password", password="correct horse")

    refused = {view: await client.get(f"/status/acme{view}") for view in VIEWS}
    wrong = await client.post("/status/acme/unlock", data={"password": "wrong horse"})
    right = await client.post("/status/acme/unlock", data={"password": "correct horse"})
    opened = await client.get("/status/acme")

    for view, response in refused.items():
        assert response.status_code == 401, view
        assert "Payments" not in response.text and "Acme internal" not in response.text, view
    assert 'type="password"' in refused[""].text
    assert wrong.status_code == 401 and "not right" in wrong.text
    assert right.status_code == 303 and right.headers["location"] == "/status/acme"
    cookie = right.headers["set-cookie"]
    assert "HttpOnly" in cookie and "Path=/status/acme" in cookie
    assert opened.status_code == 200 and "Payments" in opened.text
    # Never kept by a shared cache in front.
    assert opened.headers["cache-control"].startswith("private")
    assert page["has_password"] is True and "password" not in page


async def test_changing_the_password_locks_out_whoever_knew_the_old_one(client):
    admin, page = await _private_page(client, access="password", password="correct horse")
    await client.post("/status/acme/unlock", data={"password": "correct horse"})
    assert (await client.get("/status/acme")).status_code == 200

    await client.patch(
        f"/api/v1/status-pages/{page['id']}",
        json={"password": "battery staple"},
        headers=admin.headers,
    )

    assert (await client.get("/status/acme")).status_code == 401


async def test_an_address_list_admits_readers_from_it_only(client):
    # The in-process client comes from 127.0.0.1.
    admin, page = await _private_page(client, access="ip", allowed_ips=["10.0.0.0/8"])
    refused = await client.get("/status/acme")
    summary = await client.get("/status/acme/api/summary.json")

    await client.patch(
        f"/api/v1/status-pages/{page['id']}",
        json={"allowed_ips": ["10.0.0.0/8", "127.0.0.1"]},
        headers=admin.headers,
    )
    admitted = await client.get("/status/acme")

    assert refused.status_code == 403 and "Payments" not in refused.text
    assert summary.status_code == 403
    assert admitted.status_code == 200 and "Payments" in admitted.text


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"access": "password"}, "password"),
        ({"access": "ip"}, "allowed_ips"),
        ({"access": "ip", "allowed_ips": ["10.0.0.0/8", "not-an-address"]}, "allowed_ips[1]"),
        ({"custom_domain": "http://status.acme.test/"}, "custom_domain"),
        ({"custom_domain": "10.1.2.3"}, "custom_domain"),
    ],
)
async def test_access_settings_without_what_they_need_are_refused(client, fields, field):
    admin = await sign_up(client)
    response = await client.post(
        "/api/v1/status-pages",
        json={"slug": "acme", "title": "Acme"} | fields,
        headers=admin.headers,
    )

    assert response.status_code == 422, response.text
    assert field in response.json()["error"]["fields"]
    listed = await client.get("/api/v1/status-pages", headers=admin.headers)
    assert listed.json() == []


async def test_a_page_is_served_on_its_own_domain(client, running_app, settings):
    admin = await sign_up(client)
    payments = await create_service(client, admin, name="payments", kind="push")
    await create_page(
        client, admin, custom_domain="Status.Acme.test",
        components=[component("Payments", [payments])],
    )  # fmt: skip
    other = await sign_up(client, team_name="Other")
    taken = await client.post(
        "/api/v1/status-pages",
        json={"slug": "other", "title": "Other", "custom_domain": "status.acme.test"},
        headers=other.headers,
    )
    served = CustomDomains(running_app, Domains(running_app.state.session_factory, "http://wd"))

    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=served), base_url="http://status.acme.test"
    ) as domain:
        home = await domain.get("/")
        summary = await domain.get("/api/summary.json")
        history = await domain.get("/history")
        dashboard = await domain.get("/api/v1/me")
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=served), base_url="http://wd"
    ) as own:
        instance = await own.get("/status/acme")

    assert taken.status_code == 409 and "custom_domain" in taken.json()["error"]["fields"]
    assert home.status_code == 200 and "Payments" in home.text
    # Links stay on the domain.
    assert 'href="/history"' in home.text and "/status/acme" not in home.text
    assert summary.json()["page"]["url"] == "http://status.acme.test"
    assert history.status_code == 200
    assert dashboard.status_code == 404  # nothing but the page answers on its domain
    assert instance.status_code == 200 and 'href="/status/acme/history"' in instance.text


async def test_a_logo_is_checked_stored_and_served_with_the_page(client):
    admin = await sign_up(client)
    page = await create_page(client, admin)
    url = f"/api/v1/status-pages/{page['id']}/logo"

    fake = await client.put(
        url, content=b"<svg onload=alert(1)>", headers=admin.headers | {"content-type": "image/png"}
    )
    svg = await client.put(
        url, content=b"<svg/>", headers=admin.headers | {"content-type": "image/svg+xml"}
    )
    big = await client.put(
        url,
        content=PNG + b"\0" * (300 * 1024),
        headers=admin.headers | {"content-type": "image/png"},
    )
    stored = await client.put(
        url, content=PNG, headers=admin.headers | {"content-type": "image/png"}
    )
    logo_path = stored.json()["logo_path"]
    html = (await client.get("/status/acme")).text
    image = await client.get(logo_path)
    removed = await client.delete(url, headers=admin.headers)

    for refused in (fake, svg, big):
        assert refused.status_code == 422 and "logo" in refused.json()["error"]["fields"]
    assert stored.status_code == 200 and logo_path.startswith("/status/acme/logo?v=")
    assert f'src="{logo_path}"' in html.replace("&amp;", "&")
    assert image.status_code == 200 and image.content == PNG
    assert image.headers["content-type"] == "image/png"
    assert removed.json()["logo_path"] is None
    assert (await client.get("/status/acme/logo")).status_code == 404
