"""Comments: developers and admins write, authors edit their own, admins delete any."""

from __future__ import annotations

from tests.domain.incidents.factories import comment, detail, open_incident, url
from tests.support.accounts import add_member


async def test_a_viewer_reads_comments_but_cannot_comment(client, team):
    incident = await open_incident(client, team.admin)
    await comment(client, team.developer, incident["id"], "Looking at the logs")

    read = await client.get(url(incident["id"], "comments"), headers=team.viewer.headers)
    written = await client.post(
        url(incident["id"], "comments"), json={"body": "me too"}, headers=team.viewer.headers
    )

    assert read.status_code == 200
    assert [c["body"] for c in read.json()] == ["Looking at the logs"]
    assert written.status_code == 403


async def test_a_comment_names_its_author_and_shows_on_the_timeline(client, team):
    incident = await open_incident(client, team.admin)

    written = await comment(client, team.developer, incident["id"], "Found it: `OOMKilled`")

    assert written["author_id"] == str(team.developer.user_id)
    assert written["author"] == team.developer.email
    assert written["author_name"] == "Developer Person"
    assert written["incident_id"] == incident["id"]
    assert written["edited_at"] is None
    entry = (await detail(client, team.viewer, incident["id"]))["timeline"][-1]
    assert (entry["kind"], entry["actor"]) == ("comment", team.developer.email)
    assert entry["data"] == {"comment_id": written["id"]}


async def test_comments_list_oldest_first(client, team):
    incident = await open_incident(client, team.admin)
    for body in ("first", "second", "third"):
        await comment(client, team.developer, incident["id"], body)

    listed = await client.get(url(incident["id"], "comments"), headers=team.viewer.headers)

    assert [c["body"] for c in listed.json()] == ["first", "second", "third"]


async def test_the_author_edits_their_comment(client, team):
    incident = await open_incident(client, team.admin)
    written = await comment(client, team.developer, incident["id"], "Restarting pods")

    response = await client.patch(
        url(incident["id"], "comments", written["id"]),
        json={"body": "Restarting pods (done)"},
        headers=team.developer.headers,
    )

    assert response.status_code == 200, response.text
    assert response.json()["body"] == "Restarting pods (done)"
    assert response.json()["edited_at"] is not None


async def test_nobody_else_edits_a_comment_not_even_an_admin(client, team):
    incident = await open_incident(client, team.admin)
    other_developer = await add_member(client, team.admin, "developer")
    written = await comment(client, team.developer, incident["id"], "Original words")
    path = url(incident["id"], "comments", written["id"])

    by_other = await client.patch(path, json={"body": "Changed"}, headers=other_developer.headers)
    by_admin = await client.patch(path, json={"body": "Changed"}, headers=team.admin.headers)

    assert (by_other.status_code, by_admin.status_code) == (403, 403)
    listed = await client.get(url(incident["id"], "comments"), headers=team.viewer.headers)
    assert [c["body"] for c in listed.json()] == ["Original words"]


async def test_an_edit_needs_a_body(client, team):
    incident = await open_incident(client, team.admin)
    written = await comment(client, team.developer, incident["id"], "Words")

    response = await client.patch(
        url(incident["id"], "comments", written["id"]), json={}, headers=team.developer.headers
    )

    assert response.status_code == 422
    assert "body" in response.json()["error"]["fields"]


async def test_another_developer_cannot_delete_a_comment_but_an_admin_can(client, team):
    incident = await open_incident(client, team.admin)
    other_developer = await add_member(client, team.admin, "developer")
    written = await comment(client, team.developer, incident["id"], "Wrong channel")
    path = url(incident["id"], "comments", written["id"])

    by_other = await client.delete(path, headers=other_developer.headers)
    by_admin = await client.delete(path, headers=team.admin.headers)

    assert (by_other.status_code, by_admin.status_code) == (403, 204)
    listed = await client.get(url(incident["id"], "comments"), headers=team.viewer.headers)
    assert listed.json() == []
    entry = (await detail(client, team.viewer, incident["id"]))["timeline"][-1]
    assert (entry["kind"], entry["actor"]) == ("comment_deleted", team.admin.email)
    assert entry["data"] == {"comment_id": written["id"]}


async def test_the_author_deletes_their_own_comment(client, team):
    incident = await open_incident(client, team.admin)
    written = await comment(client, team.developer, incident["id"], "Oops")

    response = await client.delete(
        url(incident["id"], "comments", written["id"]), headers=team.developer.headers
    )
    again = await client.delete(
        url(incident["id"], "comments", written["id"]), headers=team.developer.headers
    )

    assert (response.status_code, again.status_code) == (204, 404)


async def test_a_comment_is_between_1_and_10000_characters_and_not_blank(client, team):
    incident = await open_incident(client, team.admin)
    path = url(incident["id"], "comments")

    answers = [
        await client.post(path, json={"body": body}, headers=team.developer.headers)
        for body in ("", "   \n", "x" * 10_001, "x" * 10_000)
    ]

    assert [a.status_code for a in answers] == [422, 422, 422, 201]
    assert all("body" in a.json()["error"]["fields"] for a in answers[:3])


async def test_a_comment_of_another_incident_is_not_found(client, team):
    first = await open_incident(client, team.admin)
    second = await open_incident(client, team.admin)
    written = await comment(client, team.developer, first["id"], "On the first one")

    response = await client.patch(
        url(second["id"], "comments", written["id"]),
        json={"body": "moved?"},
        headers=team.developer.headers,
    )

    assert response.status_code == 404
