"""Agents ship log lines; people filter them and search their text."""

from datetime import UTC, datetime, timedelta

from tests.support.accounts import sign_up
from tests.support.agents import iso, push
from tests.support.jobs import drain

LINES = [
    ("info", "GET /health 200 in 3ms"),
    ("error", "payment gateway timed out after 30s"),
    ("warning", "disk almost full on /var"),
    ("error", "connection refused by payments-db"),
    ("info", "user ada@example.com logged in"),
]


async def _ship(client, app, admin, lines=LINES, source="/var/log/app.log"):
    created = (
        await client.post("/api/v1/hosts", json={"name": "app-1"}, headers=admin.headers)
    ).json()
    now = datetime.now(UTC)
    batch = {
        "batch_id": f"logs-{now.timestamp():.6f}".replace(".", "-"),
        "sent_at": iso(now),
        "lines": [
            {
                "at": iso(now - timedelta(seconds=len(lines) - i)),
                "level": level,
                "source": source,
                "message": message,
            }
            for i, (level, message) in enumerate(lines)
        ],
    }
    response = await push(client, "logs", created["token"], batch)
    assert response.status_code == 202, response.text
    await drain(app)
    return created["host"]


async def _messages(client, admin, query: str) -> list[str]:
    response = await client.get(f"/api/v1/logs?{query}", headers=admin.headers)
    assert response.status_code == 200, response.text
    return [line["message"] for line in response.json()["items"]]


async def test_lines_come_back_newest_first_with_their_host(client, app):
    admin = await sign_up(client)
    host = await _ship(client, app, admin)

    page = (await client.get("/api/v1/logs", headers=admin.headers)).json()

    assert [line["message"] for line in page["items"]] == [m for _, m in reversed(LINES)]
    assert page["items"][0]["host_id"] == host["id"]
    assert page["items"][0]["source"] == "/var/log/app.log"


async def test_filters_by_level_and_time(client, app):
    admin = await sign_up(client)
    await _ship(client, app, admin)
    future = iso(datetime.now(UTC) + timedelta(hours=1)).replace("+", "%2B")

    errors = await _messages(client, admin, "level=error")
    warnings_and_errors = await _messages(client, admin, "level=warning,error")
    nothing_later = await _messages(client, admin, f"from={future}")

    assert errors == ["connection refused by payments-db", "payment gateway timed out after 30s"]
    assert len(warnings_and_errors) == 3
    assert nothing_later == []


async def test_search_words_phrases_and_prefixes(client, app):
    admin = await sign_up(client)
    await _ship(client, app, admin)

    assert await _messages(client, admin, "q=timed") == ["payment gateway timed out after 30s"]
    assert await _messages(client, admin, "q=%22timed+out%22") == [
        "payment gateway timed out after 30s"
    ]
    assert await _messages(client, admin, "q=%22out+timed%22") == []
    assert len(await _messages(client, admin, "q=pay*")) == 2
    assert await _messages(client, admin, "q=refused+payments*") == [
        "connection refused by payments-db"
    ]


async def test_pages_follow_the_cursor(client, app):
    admin = await sign_up(client)
    await _ship(client, app, admin)

    first = (await client.get("/api/v1/logs?limit=2", headers=admin.headers)).json()
    second = (
        await client.get(
            f"/api/v1/logs?limit=2&before={first['next_cursor']}".replace("+", "%2B"),
            headers=admin.headers,
        )
    ).json()

    assert len(first["items"]) == 2 and len(second["items"]) == 2
    assert {i["id"] for i in first["items"]}.isdisjoint(i["id"] for i in second["items"])


async def test_another_team_sees_none_of_the_lines(client, app):
    admin = await sign_up(client)
    other = await sign_up(client)
    await _ship(client, app, admin)

    assert (await client.get("/api/v1/logs", headers=other.headers)).json()["items"] == []


async def test_unknown_levels_and_empty_searches_are_refused(client):
    admin = await sign_up(client)

    level = await client.get("/api/v1/logs?level=loud", headers=admin.headers)
    empty = await client.get("/api/v1/logs?q=%22%22", headers=admin.headers)

    assert "level" in level.json()["error"]["fields"]
    assert "q" in empty.json()["error"]["fields"]


async def test_search_finds_old_lines_newest_first_across_days(client, app):
    admin = await sign_up(client)
    created = (
        await client.post("/api/v1/hosts", json={"name": "app-2"}, headers=admin.headers)
    ).json()
    now = datetime.now(UTC)
    ages = [timedelta(days=10), timedelta(days=2), timedelta(hours=2), timedelta(minutes=5)]
    batch = {
        "batch_id": "logs-across-days-1",
        "sent_at": iso(now),
        "lines": [
            {
                "at": iso(now - age),
                "level": "error",
                "source": "app",
                "message": f"disk failure {i}",
            }
            for i, age in enumerate(ages)
        ],
    }
    assert (await push(client, "logs", created["token"], batch)).status_code == 202
    await drain(app)

    first = (
        await client.get("/api/v1/logs?q=%22disk+failure%22&limit=3", headers=admin.headers)
    ).json()
    rest = (
        await client.get(
            f"/api/v1/logs?q=%22disk+failure%22&limit=3&before={first['next_cursor']}".replace(
                "+00", "%2B00"
            ),
            headers=admin.headers,
        )
    ).json()

    assert [line["message"] for line in first["items"]] == [
        "disk failure 3",
        "disk failure 2",
        "disk failure 1",
    ]
    assert [line["message"] for line in rest["items"]] == ["disk failure 0"]
