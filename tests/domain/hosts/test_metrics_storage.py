"""Rollups agree with raw samples; charts pick a resolution; old partitions are dropped."""

import statistics
import uuid
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import text
from watchdeck.db.partitions import ensure_partitions, partition_name
from watchdeck.db.retention import maintain_partitions
from watchdeck.domain.hosts.jobs import ROLL_UP_HOURS, ROLL_UP_MINUTES, sweep_missing
from watchdeck.domain.hosts.models import host_metrics
from watchdeck.domain.hosts.series import plan

from tests.support.accounts import sign_up
from tests.support.agents import metrics_batch, push, sample
from tests.support.jobs import drain


async def _host_with_samples(client, app, samples):
    admin = await sign_up(client)
    created = (
        await client.post("/api/v1/hosts", json={"name": "db-1"}, headers=admin.headers)
    ).json()
    host_id = created["host"]["id"]
    rows = [
        {"host_id": host_id, "at": at, "cpu": cpu, "mem_pct": 40.0, "load1": 1.0}
        for at, cpu in samples
    ]
    async with app.state.engine.begin() as conn:
        await conn.execute(host_metrics.insert(), rows)
        start, end = min(a for a, _ in samples) - timedelta(hours=1), datetime.now(UTC)
        await conn.execute(ROLL_UP_MINUTES, {"start": start, "end": end})
        await conn.execute(ROLL_UP_HOURS, {"start": start, "end": end})
    return admin, host_id


async def test_rollups_match_the_raw_samples(client, app):
    base = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) - timedelta(hours=3)
    samples = [(base + timedelta(seconds=5 * i), float((i * 7) % 100)) for i in range(1440)]  # 2 h
    admin, host_id = await _host_with_samples(client, app, samples)

    async with app.state.engine.connect() as conn:
        minute = (
            await conn.execute(
                text(
                    "SELECT samples, cpu_avg, cpu_min, cpu_max FROM host_metrics_1m "
                    "WHERE host_id = :h AND bucket = :b"
                ),
                {"h": host_id, "b": base + timedelta(minutes=10)},
            )
        ).one()
        hour = (
            await conn.execute(
                text(
                    "SELECT samples, cpu_avg, cpu_max FROM host_metrics_1h "
                    "WHERE host_id = :h AND bucket = :b"
                ),
                {"h": host_id, "b": base + timedelta(hours=1)},
            )
        ).one()

    in_minute = [
        cpu
        for at, cpu in samples
        if base + timedelta(minutes=10) <= at < base + timedelta(minutes=11)
    ]
    in_hour = [
        cpu for at, cpu in samples if base + timedelta(hours=1) <= at < base + timedelta(hours=2)
    ]
    assert minute.samples == 12
    assert abs(minute.cpu_avg - statistics.mean(in_minute)) < 1e-3
    assert (minute.cpu_min, minute.cpu_max) == (min(in_minute), max(in_minute))
    assert hour.samples == 720
    assert abs(hour.cpu_avg - statistics.mean(in_hour)) < 1e-3
    assert hour.cpu_max == max(in_hour)


async def test_charts_read_the_resolution_that_fits_a_thousand_points(client, app):
    now = datetime.now(UTC)
    samples = [(now - timedelta(minutes=i), 50.0) for i in range(1, 600)]
    admin, host_id = await _host_with_samples(client, app, samples)

    hour = (
        await client.get(
            f"/api/v1/hosts/{host_id}/metrics?range=1h&metrics=cpu", headers=admin.headers
        )
    ).json()
    day = (
        await client.get(
            f"/api/v1/hosts/{host_id}/metrics?range=24h&metrics=cpu,mem_pct", headers=admin.headers
        )
    ).json()
    month = (
        await client.get(f"/api/v1/hosts/{host_id}/metrics?range=30d", headers=admin.headers)
    ).json()

    assert (hour["source"], day["source"], month["source"]) == ("raw", "1m", "1h")
    assert len(hour["t"]) == 59 and set(hour["series"]) == {"cpu"}
    assert day["bucket_s"] == 120 and 0 < len(day["t"]) <= 1000
    assert set(day["series"]) == {"cpu", "mem_pct"} and day["series"]["cpu"]["avg"][0] == 50.0
    assert 0 < len(month["t"]) <= 720


def test_every_range_stays_under_a_thousand_points():
    for days in (1 / 24, 1, 7, 30, 90, 365):
        source, bucket = plan(timedelta(days=days), 5)
        assert days * 86400 / bucket <= 1000, (days, source, bucket)


async def test_an_unknown_metric_is_refused_by_name(client, app):
    admin, host_id = await _host_with_samples(client, app, [(datetime.now(UTC), 1.0)])

    response = await client.get(
        f"/api/v1/hosts/{host_id}/metrics?metrics=cpu,temperature", headers=admin.headers
    )

    assert response.status_code == 422
    assert "temperature" in response.json()["error"]["fields"]["metrics"]


async def test_a_silent_host_goes_missing_and_comes_back(client, app):
    admin = await sign_up(client)
    created = (
        await client.post(
            "/api/v1/hosts",
            json={"name": "web-9", "interval_s": 5, "missing_after": 3},
            headers=admin.headers,
        )
    ).json()
    host_id, token = created["host"]["id"], created["token"]
    old = datetime.now(UTC) - timedelta(seconds=20)
    await push(client, "metrics", token, metrics_batch([sample(old)]))
    await drain(app)
    ctx = {
        "session_factory": app.state.session_factory,
        "redis": app.state.redis,
        "settings": app.state.settings,
    }

    assert await sweep_missing(ctx) == 1
    missing = (await client.get(f"/api/v1/hosts/{host_id}", headers=admin.headers)).json()
    [incident] = (await client.get("/api/v1/incidents", headers=admin.headers)).json()["items"]
    await push(client, "metrics", token, metrics_batch([sample(datetime.now(UTC))]))
    await drain(app)

    assert missing["status"] == "missing"
    assert (incident["title"], incident["host_id"]) == ("web-9 is missing", host_id)
    back = (await client.get(f"/api/v1/hosts/{host_id}", headers=admin.headers)).json()
    assert back["status"] == "online"
    [resolved] = (await client.get("/api/v1/incidents", headers=admin.headers)).json()["items"]
    assert resolved["status"] == "resolved"


async def test_partitions_past_retention_are_dropped_whole(app, settings, client):
    old_day = datetime.now(UTC).date() - timedelta(days=settings.metrics_raw_retention_days + 3)
    name = partition_name("host_metrics", old_day, "day")
    async with app.state.engine.begin() as conn:
        await conn.execute(
            text(
                f"CREATE TABLE {name} PARTITION OF host_metrics FOR VALUES FROM "
                f"('{old_day} 00:00+00') TO ('{old_day + timedelta(days=1)} 00:00+00')"
            )
        )
        await conn.execute(
            host_metrics.insert(),
            [{"host_id": uuid.uuid4(), "at": datetime.combine(old_day, datetime.min.time(), UTC)}],
        )

    changes = await maintain_partitions({"settings": settings, "engine": app.state.engine})

    assert f"-{name}" in changes["host_metrics"]
    async with app.state.engine.connect() as conn:
        left = await conn.scalar(
            text("SELECT count(*) FROM pg_class WHERE relname = :n"), {"n": name}
        )
        current = await conn.scalar(
            text("SELECT count(*) FROM pg_class WHERE relname = :n"),
            {"n": partition_name("host_metrics", date.today(), "day")},
        )
    assert (left, current) == (0, 1)


async def test_ensuring_partitions_twice_changes_nothing(app, client):
    async with app.state.engine.begin() as conn:
        await ensure_partitions(conn, "host_metrics_1h")
        assert await ensure_partitions(conn, "host_metrics_1h") == []
