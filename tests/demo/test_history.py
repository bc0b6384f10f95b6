"""After `up --demo` on an empty data folder, the dashboard's API shows a week at once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select, text
from watchdeck.demo import history
from watchdeck.demo.seed import seed_demo
from watchdeck.domain.hosts.models import Host
from watchdeck.domain.services.models import Service
from watchdeck.platform.clock import utcnow

from tests.demo.conftest import Backfilled

HISTORY_TABLES = [
    "checks", "check_hourly", "host_metrics", "host_metrics_1m", "host_metrics_1h",
    "service_metrics", "incidents", "incident_timeline", "incident_comments", "alerts",
    "notifications", "deliveries",
]  # fmt: skip


async def _get(backfilled: Backfilled, path: str, **params) -> dict | list:
    response = await backfilled.client.get(
        f"/api/v1{path}", params=params, headers=backfilled.admin.headers
    )
    assert response.status_code == 200, response.text
    return response.json()


async def test_every_demo_service_has_a_week_of_uptime_and_payments_fell_short(backfilled):
    for key, service_id in backfilled.demo.services.items():
        uptime = (await _get(backfilled, f"/services/{service_id}"))["uptime"]

        assert all(uptime[window] is not None for window in ("24h", "7d", "30d", "90d")), key
        if key == "payments":
            assert 0.8 < uptime["7d"] < 1
        else:
            assert uptime["7d"] == 1


async def test_latency_charts_have_points_on_every_range(backfilled):
    for service_id in backfilled.demo.services.values():
        for range_ in ("1h", "24h", "7d", "30d", "90d"):
            series = await _get(backfilled, f"/services/{service_id}/series", range=range_)
            latencies = [p["latency_avg"] for p in series["points"] if p["total"]]

            assert latencies and all(value > 0 for value in latencies), range_
        week = await _get(backfilled, f"/services/{service_id}/series", range="7d")
        assert len([p for p in week["points"] if p["total"]]) > 600  # 672 buckets of 15 min


async def test_the_last_seven_uptime_bars_have_checks_and_payments_bars_show_its_outages(
    backfilled,
):
    services = backfilled.demo.services
    for key, service_id in services.items():
        days = await _get(backfilled, f"/services/{service_id}/uptime-days", days=90)

        assert len(days) == 90
        assert all(day["total"] > 0 for day in days[-7:]), key
        assert all(day["total"] == 0 for day in days[:-8]), key
        if key == "payments":
            assert all(day["uptime"] < 1 for day in days[-7:])


async def test_recent_checks_list_the_backfilled_checks_up_to_now(backfilled):
    page = await _get(backfilled, f"/services/{backfilled.demo.services['auth']}/checks", limit=5)

    assert len(page["items"]) == 5
    newest = datetime.fromisoformat(page["items"][0]["at"])
    assert utcnow() - newest < timedelta(minutes=1)


async def test_payments_error_rate_rises_exactly_when_its_checks_fail(backfilled):
    payments = backfilled.demo.services["payments"]
    checks = await _get(backfilled, f"/services/{payments}/series", range="7d")
    traffic = await _get(backfilled, f"/services/{payments}/traffic", range="7d")
    assert checks["bucket_s"] == traffic["bucket_s"]
    rates = dict(zip(traffic["t"], traffic["error_rate"], strict=True))

    compared = 0
    for point in checks["points"]:
        t = int(datetime.fromisoformat(point["t"]).timestamp())
        if point["total"] and t in rates:
            failing = point["failures"] / point["total"]
            assert abs(rates[t] - failing) < 0.15, (point, rates[t])
            compared += 1

    assert compared > 600
    assert max(traffic["error_rate"]) > 0.8  # the long outage three days ago


async def test_every_demo_service_has_traffic_on_every_range(backfilled):
    for key, service_id in backfilled.demo.services.items():
        for range_ in ("1h", "24h", "7d"):
            traffic = await _get(backfilled, f"/services/{service_id}/traffic", range=range_)

            assert sum(traffic["requests"]) > 0, (key, range_)
            assert sum(traffic["errors"]) > 0, (key, range_)
        hour = await _get(backfilled, f"/services/{service_id}/traffic", range="1h")
        assert hour["bucket_s"] == 10 and len(hour["t"]) > 300


async def test_demo_services_run_on_the_simulated_hosts(backfilled):
    hosts = {h["id"]: h["name"] for h in await _get(backfilled, "/hosts")}

    assert sorted(hosts.values()) == ["batch-1", "db-1", "web-1", "web-2"]
    for key, service_id in backfilled.demo.services.items():
        service = await _get(backfilled, f"/services/{service_id}")
        assert hosts[service["host_id"]] == {
            "auth": "web-1", "payments": "web-2", "reporting": "db-1"
        }[key]  # fmt: skip


async def test_demo_hosts_have_metrics_on_every_range(backfilled):
    expected = {"1h": "raw", "24h": "1m", "7d": "1h", "30d": "1h"}
    for host in await _get(backfilled, "/hosts"):
        assert host["latest"]["cpu"] > 0
        for range_, source in expected.items():
            metrics = await _get(backfilled, f"/hosts/{host['id']}/metrics", range=range_)

            assert metrics["source"] == source
            assert len(metrics["t"]) > 100, (host["name"], range_)
            cpu = metrics["series"]["cpu"]
            assert all(low <= avg <= high for low, avg, high in zip(
                cpu["min"], cpu["avg"], cpu["max"], strict=True))  # fmt: skip


async def test_past_incidents_are_resolved_with_timelines_and_comments(backfilled):
    page = await _get(backfilled, "/incidents")

    assert len(page["items"]) == 3
    assert {i["severity"] for i in page["items"]} == {"critical", "medium", "high"}
    assert {i["status"] for i in page["items"]} == {"resolved"}
    for item in page["items"]:
        incident = await _get(backfilled, f"/incidents/{item['id']}")
        timeline = incident["timeline"]
        times = [entry["at"] for entry in timeline]
        assert times == sorted(times)
        assert timeline[0]["kind"] == "opened"
        [resolved] = [e for e in timeline if e["kind"] == "resolved"]
        assert resolved["data"]["duration_s"] > 60
        comments = await _get(backfilled, f"/incidents/{item['id']}/comments")
        assert comments and all(c["author"] == backfilled.admin.email for c in comments)
        assert len(comments) == len([e for e in timeline if e["kind"] == "comment"])


async def test_incident_statistics_count_the_past_incidents(backfilled):
    stats = await _get(backfilled, "/incidents/stats")

    assert stats["total"] == 3
    assert stats["by_status"]["resolved"] == 3
    assert stats["mtta_s"] > 0 and stats["mttr_s"] > 0
    assert sum(week["resolved"] for week in stats["weeks"]) == 3


async def test_the_payments_outage_alert_shows_with_its_deliveries(backfilled):
    [alert] = (await _get(backfilled, "/alerts"))["items"]

    assert alert["subject_name"] == "Payments API"
    assert alert["status"] == "resolved" and alert["notified"]
    deliveries = (await _get(backfilled, f"/alerts/{alert['id']}"))["deliveries"]
    assert [d["kinds"] for d in deliveries] == [["firing"], ["resolved"]]
    assert [d["status"] for d in deliveries] == ["sent", "sent"]
    assert deliveries[0]["attempts"] == 2 and not deliveries[0]["log"][0]["ok"]
    outage = await _get(
        backfilled, "/incidents", service_id=str(backfilled.demo.services["payments"])
    )
    [incident] = outage["items"]
    assert incident["opened_at"] == alert["started_at"]


async def _counts(session) -> dict[str, int]:
    counts = {t: await session.scalar(text(f"SELECT count(*) FROM {t}")) for t in HISTORY_TABLES}
    counts["hosts"] = await session.scalar(select(func.count()).select_from(Host))
    counts["services"] = await session.scalar(select(func.count()).select_from(Service))
    return counts


async def test_seeding_and_backfilling_again_adds_nothing(backfilled, running_app):
    async with running_app.state.session_factory() as session:
        before = await _counts(session)
        demo = await seed_demo(session, "http://127.0.0.1:9")
        assert demo is not None
        assert await history.has_history(session, demo.team_id)

        assert not await history.backfill(session, demo, datetime.now(UTC))
        assert demo.services == backfilled.demo.services
        assert demo.hosts == backfilled.demo.hosts
        assert await _counts(session) == before
