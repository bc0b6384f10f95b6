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
