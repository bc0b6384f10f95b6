"""Two people on one incident in real Chromium: presence, typing, a comment and a severity
change arriving live."""

from __future__ import annotations

from playwright.async_api import expect

from tests.e2e.browser_fixtures import sign_in
from tests.e2e.conftest import screenshot
from tests.support.accounts import add_member, sign_up

VIEWPORT = {"width": 1280, "height": 900}


async def test_a_comment_and_presence_reach_a_second_person_live(
    browser, live_server, client, clean
):
    admin = await sign_up(client, team_name="Payments")
    developer = await add_member(client, admin, "developer")
    created = await client.post(
        "/api/v1/incidents",
        json={"title": "Card payments failing", "severity": "critical"},
        headers=admin.headers,
    )
    assert created.status_code == 201, created.text
    incident_url = f"/incidents/{created.json()['id']}"
    first = await browser.new_context(base_url=live_server, viewport=VIEWPORT)
    second = await browser.new_context(base_url=live_server, viewport=VIEWPORT)
    try:
        ada, dev = await first.new_page(), await second.new_page()
        await sign_in(ada, admin.email, admin.password)
        await sign_in(dev, developer.email, developer.password)
        await ada.goto(incident_url)
        await dev.goto(incident_url)

        for page in (ada, dev):
            await expect(page.get_by_text("2 people here")).to_be_visible()
        box = ada.get_by_label("Add a comment")
        await box.fill("Rolled back **v2.3** on")
        await box.press_sequentially(" eu-1")
        await expect(dev.get_by_text("Ada Admin is typing…")).to_be_visible()
        await ada.get_by_role("button", name="Post comment").click()

        comments = dev.get_by_role("list", name="Comments")
        await expect(comments).to_contain_text("Rolled back v2.3 on eu-1")
        await expect(comments.locator("strong", has_text="v2.3")).to_be_visible()
        await expect(dev.get_by_text("Ada Admin is typing…")).to_have_count(0)
        await dev.get_by_label("Severity").select_option("medium")
        await expect(ada.get_by_label("Severity")).to_have_value("medium")
        timeline = ada.get_by_role("region", name="Timeline")
        await expect(timeline).to_contain_text("medium", ignore_case=True)
        await screenshot(dev, "incident-together")

        await ada.close()
        await expect(dev.get_by_text("1 person here")).to_be_visible()
    finally:
        await first.close()
        await second.close()


async def test_the_incident_page_links_its_service_and_its_host(
    browser, live_server, client, clean
):
    admin = await sign_up(client, team_name="Payments")
    service = await client.post(
        "/api/v1/services", json={"name": "Nightly backup", "kind": "push"}, headers=admin.headers
    )
    host = await client.post("/api/v1/hosts", json={"name": "db-1"}, headers=admin.headers)
    assert service.status_code == host.status_code == 201, (service.text, host.text)
    service_id = service.json()["service"]["id"]
    host_id = host.json()["host"]["id"]
    created = await client.post(
        "/api/v1/incidents",
        json={
            "title": "Backups fail on db-1",
            "severity": "high",
            "service_id": service_id,
            "host_id": host_id,
        },
        headers=admin.headers,
    )
    assert created.status_code == 201, created.text
    page = await browser.new_page(base_url=live_server, viewport=VIEWPORT)
    await sign_in(page, admin.email, admin.password)

    await page.goto(f"/incidents/{created.json()['id']}")
    details = page.get_by_role("region", name="Details")
    await details.get_by_role("link", name="db-1").click()
    await expect(page).to_have_url(f"{live_server}/hosts/{host_id}")
    await expect(page.get_by_role("heading", level=1, name="db-1")).to_be_visible()

    await page.go_back()
    await details.get_by_role("link", name="Nightly backup").click()
    await expect(page).to_have_url(f"{live_server}/services/{service_id}")
    await expect(page.get_by_role("heading", level=1, name="Nightly backup")).to_be_visible()


async def test_comment_edits_and_deletes_reach_the_other_person_live(
    browser, live_server, client, clean
):
    admin = await sign_up(client, team_name="Payments")
    developer = await add_member(client, admin, "developer")
    created = await client.post(
        "/api/v1/incidents",
        json={"title": "Refunds stuck", "severity": "high"},
        headers=admin.headers,
    )
    assert created.status_code == 201, created.text
    incident_id = created.json()["id"]
    ada_said = await client.post(
        f"/api/v1/incidents/{incident_id}/comments",
        json={"body": "Paging the payments team"},
        headers=admin.headers,
    )
    assert ada_said.status_code == 201, ada_said.text
    first = await browser.new_context(base_url=live_server, viewport=VIEWPORT)
    second = await browser.new_context(base_url=live_server, viewport=VIEWPORT)
    try:
        ada, dev = await first.new_page(), await second.new_page()
        await sign_in(ada, admin.email, admin.password)
        await sign_in(dev, developer.email, developer.password)
        for page in (ada, dev):
            await page.goto(f"/incidents/{incident_id}")

        # The developer writes, then edits their own comment; Ada sees both live.
        await dev.get_by_label("Add a comment").fill("Queue is stuck on **shard 3**")
        await dev.get_by_role("button", name="Post comment").click()
        ada_list = ada.get_by_role("list", name="Comments")
        dev_list = dev.get_by_role("list", name="Comments")
        theirs_for_ada = ada_list.get_by_role("listitem").filter(has_text="Queue is stuck")
        await expect(theirs_for_ada).to_contain_text("shard 3")
        mine = dev_list.get_by_role("listitem").filter(has_text="Queue is stuck")
        await mine.get_by_role("button", name="Edit").click()
        box = mine.get_by_label("Edit the comment")
        await expect(box).to_have_value("Queue is stuck on **shard 3**")
        await box.fill("Queue is stuck on **shard 4**")
        await mine.get_by_role("button", name="Save").click()
        await expect(theirs_for_ada).to_contain_text("shard 4")
        await expect(theirs_for_ada).to_contain_text("edited")

        # The buttons follow the server's rules: authors change their own, admins delete any.
        adas_for_dev = dev_list.get_by_role("listitem").filter(has_text="Paging the payments")
        await expect(adas_for_dev).to_be_visible()
        await expect(adas_for_dev.get_by_role("button")).to_have_count(0)
        await expect(theirs_for_ada.get_by_role("button", name="Edit")).to_have_count(0)
        await expect(theirs_for_ada.get_by_role("button", name="Delete")).to_be_visible()

        # Ada deletes the developer's comment; it leaves the developer's page too.
        await theirs_for_ada.get_by_role("button", name="Delete").click()
        await theirs_for_ada.get_by_role("button", name="Delete comment").click()
        await expect(ada_list.get_by_text("Queue is stuck")).to_have_count(0)
        await expect(dev_list.get_by_text("Queue is stuck")).to_have_count(0)
        await expect(dev_list).to_contain_text("Paging the payments team")
        timeline = dev.get_by_role("region", name="Timeline")
        await expect(timeline).to_contain_text("Comment deleted")
        await screenshot(ada, "incident-comment-changes")
    finally:
        await first.close()
        await second.close()
