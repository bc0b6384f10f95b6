"""Another team's incidents and comments do not exist for you: every route answers 404."""

from __future__ import annotations

from tests.domain.incidents.factories import INCIDENTS, comment, detail, open_incident, url


async def test_another_teams_incident_and_comment_are_not_found_anywhere(client, team, outsider):
    incident = await open_incident(client, team.admin)
    written = await comment(client, team.developer, incident["id"], "Ours")
    one, its_comment = url(incident["id"]), url(incident["id"], "comments", written["id"])
    h = outsider.headers

    answers = {
        "read": await client.get(one, headers=h),
        "edit": await client.patch(one, json={"severity": "low"}, headers=h),
        "acknowledge": await client.patch(one, json={"status": "investigating"}, headers=h),
        "resolve": await client.post(f"{one}/resolve", json={}, headers=h),
        "reopen": await client.post(f"{one}/reopen", json={}, headers=h),
        "comments": await client.get(f"{one}/comments", headers=h),
        "comment": await client.post(f"{one}/comments", json={"body": "hi"}, headers=h),
        "edit comment": await client.patch(its_comment, json={"body": "x"}, headers=h),
        "delete comment": await client.delete(its_comment, headers=h),
    }

    assert {name: r.status_code for name, r in answers.items()} == dict.fromkeys(answers, 404)
    theirs = (await client.get(INCIDENTS, headers=h)).json()["items"]
    assert theirs == []
    ours = await detail(client, team.admin, incident["id"])
    assert (ours["status"], ours["severity"]) == ("open", "high")
    assert [e["kind"] for e in ours["timeline"]] == ["opened", "comment"]


async def test_another_teams_comment_cannot_be_reached_through_your_own_incident(
    client, team, outsider
):
    theirs = await open_incident(client, outsider)
    their_comment = await comment(client, outsider, theirs["id"], "Theirs")
    ours = await open_incident(client, team.admin)

    response = await client.delete(
        url(ours["id"], "comments", their_comment["id"]), headers=team.admin.headers
    )

    assert response.status_code == 404
