"""Uptime and latency series, from hourly rollups plus the raw tail."""

from datetime import UTC, datetime, timedelta

from watchdeck.domain.services.models import checks
from watchdeck.domain.services.uptime import bucket_for, roll_up

from tests.support.accounts import sign_up
from tests.support.services import allow_private_targets, create_service


async def _service_with_history(client, app, admin, rows):
    await allow_private_targets(client, admin)
    service = await create_service(client, admin, url="http://127.0.0.1:9/")
    async with app.state.engine.begin() as conn:
        if not rows:
            return service
        await conn.execute(
            checks.insert(),
            [
                {
                    "service_id": service["id"],
                    "at": at,
                    "ok": ok,
                    "degraded": False,
                    "muted": muted,
                    "latency_ms": latency,
                }
                for at, ok, muted, latency in rows
            ],
        )
        now = datetime.now(UTC)
        await roll_up(conn, now - timedelta(days=3), now.replace(minute=0, second=0, microsecond=0))
    return service


async def test_uptime_counts_rollups_and_the_current_hour_and_skips_maintenance(client, app):
    admin = await sign_up(client)
    now = datetime.now(UTC)
    earlier = now - timedelta(hours=5)
    rows = [
        (earlier + timedelta(minutes=i), i % 4 != 0, False, 100.0) for i in range(40)
    ]  # 30/40 ok
    rows += [
        (now - timedelta(seconds=20 + i), True, False, 50.0) for i in range(10)
    ]  # tail, all ok
    rows += [(now - timedelta(hours=2, minutes=i), False, True, None) for i in range(5)]  # muted
    service = await _service_with_history(client, app, admin, rows)

    detail = (await client.get(f"/api/v1/services/{service['id']}", headers=admin.headers)).json()

    assert detail["uptime"]["24h"] == 40 / 50
    assert detail["uptime"]["1y"] == 40 / 50


async def test_the_list_shows_24h_uptime_from_rollups(client, app):
    admin = await sign_up(client)
    earlier = datetime.now(UTC) - timedelta(hours=3)
    rows = [(earlier + timedelta(minutes=i), i < 9, False, 80.0) for i in range(10)]
    await _service_with_history(client, app, admin, rows)

    [row] = (await client.get("/api/v1/services", headers=admin.headers)).json()

    assert row["uptime_24h"] == 0.9


async def test_series_buckets_stay_under_a_thousand_points(client, app):
    admin = await sign_up(client)
    now = datetime.now(UTC)
    rows = [(now - timedelta(minutes=2 * i), True, False, float(i)) for i in range(700)]
    service = await _service_with_history(client, app, admin, rows)

    day = (
        await client.get(
            f"/api/v1/services/{service['id']}/series?range=24h", headers=admin.headers
        )
    ).json()
    month = (
        await client.get(
            f"/api/v1/services/{service['id']}/series?range=30d", headers=admin.headers
        )
    ).json()

    assert day["bucket_s"] == 300 and 0 < len(day["points"]) <= 288
    assert month["bucket_s"] == 3600 and 0 < len(month["points"]) <= 720
    assert sum(p["total"] for p in day["points"]) == 700 - 0  # all 700 rows lie within 24 h


def test_every_named_range_fits_in_a_thousand_points():
    for span in (
        timedelta(hours=1),
        timedelta(days=1),
        timedelta(days=7),
        timedelta(days=90),
        timedelta(days=365),
    ):
        assert span.total_seconds() / bucket_for(span) <= 1000


async def test_a_custom_range_must_end_after_it_starts(client, app):
    admin = await sign_up(client)
    service = await _service_with_history(client, app, admin, [])

    response = await client.get(
        f"/api/v1/services/{service['id']}/series?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z",
        headers=admin.headers,
    )

    assert response.status_code == 422
    assert "to" in response.json()["error"]["fields"]


async def test_checks_page_newest_first(client, app):
    admin = await sign_up(client)
    now = datetime.now(UTC)
    service = await _service_with_history(
        client, app, admin, [(now - timedelta(minutes=i), True, False, 10.0) for i in range(5)]
    )
    url = f"/api/v1/services/{service['id']}/checks?limit=3"

    first = (await client.get(url, headers=admin.headers)).json()
    second = (
        await client.get(
            f"{url}&before={first['next_cursor'].replace('+', '%2B')}", headers=admin.headers
        )
    ).json()

    assert len(first["items"]) == 3 and len(second["items"]) == 2
    assert first["items"][0]["at"] > first["items"][1]["at"] > second["items"][0]["at"]
    assert second["next_cursor"] is None


async def test_uptime_per_day_for_the_bars_has_every_day_oldest_first(client, app):
    admin = await sign_up(client)
    two_days_ago = (datetime.now(UTC) - timedelta(days=2)).replace(hour=12, minute=0)
    rows = [(two_days_ago + timedelta(minutes=i), i != 0, False, 50.0) for i in range(4)]
    service = await _service_with_history(client, app, admin, rows)

    response = await client.get(
        f"/api/v1/services/{service['id']}/uptime-days",
        params={"days": 5},
        headers=admin.headers,
    )

    days = response.json()
    assert [d["day"] for d in days] == [
        (datetime.now(UTC).date() - timedelta(days=n)).isoformat() for n in range(4, -1, -1)
    ]
    assert days[2] == {"day": days[2]["day"], "total": 4, "failures": 1, "uptime": 0.75}
    assert [d["uptime"] for d in days if d["day"] != days[2]["day"]] == [None] * 4


async def test_uptime_days_refuses_a_range_past_a_year(client):
    admin = await sign_up(client)
    await allow_private_targets(client, admin)
    service = await create_service(client, admin, url="http://127.0.0.1:9/")

    response = await client.get(
        f"/api/v1/services/{service['id']}/uptime-days",
        params={"days": 400},
        headers=admin.headers,
    )

    assert response.status_code == 422 and "days" in response.text


async def test_todays_bar_counts_checks_not_rolled_up_yet(client, app):
    admin = await sign_up(client)
    now = datetime.now(UTC)
    service = await _service_with_history(client, app, admin, [])
    async with app.state.engine.begin() as conn:
        await conn.execute(
            checks.insert(),
            [
                {"service_id": service["id"], "at": now - timedelta(seconds=s), "ok": s != 1,
                 "degraded": False, "muted": False, "latency_ms": 10.0}
                for s in (1, 2)
            ],
        )  # fmt: skip

    days = (
        await client.get(
            f"/api/v1/services/{service['id']}/uptime-days",
            params={"days": 1},
            headers=admin.headers,
        )
    ).json()

    assert days == [{"day": now.date().isoformat(), "total": 2, "failures": 1, "uptime": 0.5}]
