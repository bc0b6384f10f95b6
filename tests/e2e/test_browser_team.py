"""Team admin, roles and settings in real Chromium: invites, keys, what a viewer sees, theme."""

from __future__ import annotations

import uuid

import httpx
from playwright.async_api import expect

from tests.e2e.browser_fixtures import PASSWORD, access_token, sign_in, sign_up
from tests.e2e.conftest import screenshot
from tests.support import accounts

VIEWPORT = {"width": 1280, "height": 900}


async def test_an_admin_invites_and_creates_a_key_a_viewer_sees_no_edit_controls(
    browser, live_server, clean
):
    admin = await browser.new_context(base_url=live_server, viewport=VIEWPORT)
    page = await admin.new_page()
    await sign_up(page, "Margaret Hamilton", "Apollo")
    headers = {"Authorization": f"Bearer {await access_token(page)}"}

    # An invite: its link is shown once, with a copy button.
    await page.get_by_role("navigation", name="Main").get_by_role("link", name="Team").click()
    await expect(page.get_by_role("table", name="Members")).to_contain_text("Margaret Hamilton")
    viewer_email = f"viewer-{uuid.uuid4().hex[:6]}@example.com"
    await page.get_by_label("Email to invite").fill(viewer_email)
    await page.get_by_label("Invite as").select_option("viewer")
    await page.get_by_role("button", name="Create invite").click()
    link = page.get_by_label("Invite link", exact=True)
    await expect(link).to_contain_text("/invite/")
    await expect(page.get_by_role("button", name="Copy invite link")).to_be_visible()
    await expect(page.get_by_role("list", name="Pending invites")).to_contain_text(viewer_email)
    invite_token = (await link.inner_text()).rstrip("/").rsplit("/", 1)[-1]

    # An API key: the whole key is shown once, the list keeps only its start.
    await page.get_by_label("Key name").fill("deploy bot")
    await page.get_by_label("Kind").select_option("automation")
    await page.get_by_label("Acts as").select_option("developer")
    await page.get_by_role("button", name="Create key").click()
    key = page.get_by_label("API key", exact=True)
    await expect(key).to_contain_text("wd_")
    whole_key = await key.inner_text()
    await expect(page.get_by_role("button", name="Copy api key")).to_be_visible()
    keys = page.get_by_role("table", name="API keys")
    await expect(keys).to_contain_text("deploy bot")
    await expect(keys).not_to_contain_text(whole_key)
    await page.get_by_role("button", name="I have copied it").click()
    await expect(page.get_by_text(whole_key)).to_have_count(0)
    await expect(page.get_by_role("table", name="Audit log, newest first")).to_be_visible()
    await screenshot(page, "team")

    # Something to look at for the viewer: a service and a host.
    async with httpx.AsyncClient(base_url=live_server, timeout=10) as api:
        service = await api.post(
            "/api/v1/services",
            json={"name": "Nightly backup", "kind": "push", "interval_s": 3600},
            headers=headers,
        )
        assert service.status_code == 201, service.text
        host = await api.post("/api/v1/hosts", json={"name": "db-1"}, headers=headers)
        assert host.status_code == 201, host.text
        accepted = await api.post(
            "/api/v1/invites/accept",
            json={"token": invite_token, "password": PASSWORD, "name": "Vera Viewer"},
        )
        assert accepted.status_code == 200, accepted.text
    service_id = service.json()["service"]["id"]
    host_id = host.json()["host"]["id"]

    viewer = await browser.new_context(base_url=live_server, viewport=VIEWPORT)
    vpage = await viewer.new_page()
    await sign_in(vpage, viewer_email, PASSWORD)
    await expect(vpage.get_by_role("list", name="Services", exact=True)).to_contain_text(
        "Nightly backup"
    )
    await expect(vpage.get_by_role("link", name="Add a service")).to_have_count(0)

    await vpage.goto(f"/services/{service_id}")
    await expect(vpage.get_by_role("heading", level=1, name="Nightly backup")).to_be_visible()
    for name in ("Edit", "Pause", "Delete", "Check now"):
        await expect(vpage.get_by_role("link", name=name, exact=True)).to_have_count(0)
        await expect(vpage.get_by_role("button", name=name, exact=True)).to_have_count(0)

    await vpage.goto("/hosts")
    await expect(vpage.get_by_role("table", name="Hosts")).to_contain_text("db-1")
    await expect(vpage.get_by_role("button", name="Add a host")).to_have_count(0)
    await vpage.goto(f"/hosts/{host_id}")
    await expect(vpage.get_by_role("heading", level=1, name="db-1")).to_be_visible()
    await expect(vpage.get_by_role("link", name="Edit", exact=True)).to_have_count(0)
    await expect(vpage.get_by_role("button", name="Rotate agent token")).to_have_count(0)

    await vpage.goto("/team")
    members = vpage.get_by_role("table", name="Members")
    await expect(members).to_contain_text("Vera Viewer")
    await expect(members.get_by_role("combobox")).to_have_count(0)
    await expect(vpage.get_by_role("button", name="Remove", exact=False)).to_have_count(0)
    await expect(vpage.get_by_label("Email to invite")).to_have_count(0)
    await expect(vpage.get_by_label("Key name")).to_have_count(0)
    await expect(vpage.get_by_text("Only admins invite people")).to_be_visible()
    await viewer.close()

    # The theme: dark is kept across a reload.
    await page.get_by_role("navigation", name="Main").get_by_role("link", name="Settings").click()
    await page.get_by_role("radio", name="Dark").check()
    await expect(page.locator("html")).to_have_class("dark")
    await page.reload()
    await expect(page.get_by_role("radio", name="Dark")).to_be_checked()
    await expect(page.locator("html")).to_have_class("dark")
    await screenshot(page, "settings-dark")
    # Painted dark before the app's own code runs, so the page never flashes light.
    await page.route(
        "**/assets/*.js",
        lambda route: route.fulfill(body="", content_type="text/javascript"),
    )
    await page.reload()
    await expect(page.locator("html")).to_have_class("dark")
    await page.unroute("**/assets/*.js")
    await page.goto("/team")
    await expect(page.get_by_role("table", name="Members")).to_be_visible()
    await screenshot(page, "team-dark")
    await admin.close()


async def test_an_invite_link_signs_a_new_person_in_to_the_team_once(browser, live_server, clean):
    team_name = f"Voyager {uuid.uuid4().hex[:6]}"
    async with httpx.AsyncClient(base_url=live_server, timeout=10) as api:
        admin = await accounts.sign_up(api, team_name=team_name)
        created = await accounts.invite(api, admin, "developer")
    email = created["invite"]["email"]

    # A fresh context: the invited person has no session in this browser.
    context = await browser.new_context(base_url=live_server, viewport=VIEWPORT)
    page = await context.new_page()
    await page.goto(f"/invite/{created['token']}")
    await expect(page.get_by_role("heading", name=f"Join {team_name} as developer")).to_be_visible()
    await expect(page.get_by_text(email)).to_be_visible()
    await page.get_by_label("Name", exact=True).fill("Dorothy Vaughan")
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Create account and join").click()

    await expect(page.get_by_role("heading", name="Overview")).to_be_visible()
    await expect(page.get_by_role("link", name="Signed in as Dorothy Vaughan")).to_be_visible()
    await expect(page.get_by_role("banner").get_by_text(team_name, exact=True)).to_be_visible()

    # The link works once: opening it again explains why it can't be used.
    browser.expect_refusal(404, f"/api/v1/invites/{created['token']}")
    await page.goto(f"/invite/{created['token']}")
    await expect(page.get_by_role("heading", name="This invite link can't be used")).to_be_visible()
    await expect(page.get_by_role("link", name="Log in")).to_be_visible()
    await expect(page.get_by_label("Password")).to_have_count(0)
    await context.close()
