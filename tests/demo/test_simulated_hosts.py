"""The demo's simulated hosts report on the hosts the demo services run on, with their traffic."""

from __future__ import annotations

import random
import time

from watchdeck.demo.hosts import HOSTS, metrics_batch, traffic_batch
from watchdeck.demo.seed import seed_demo
from watchdeck.demo.targets import OUTAGE_EVERY_S, OUTAGE_FOR_S, payments_down

from tests.support.accounts import sign_up
from tests.support.agents import push
from tests.support.jobs import drain


async def _seed(client, app):
    admin = await sign_up(client, team_name="Watchdeck")
    async with app.state.session_factory() as session:
        demo = await seed_demo(session, "http://127.0.0.1:9")
    assert demo is not None
    return admin, demo


async def test_seeding_makes_the_hosts_up_front_and_puts_each_service_on_one(client, app):
    admin, demo = await _seed(client, app)

    hosts = (await client.get("/api/v1/hosts", headers=admin.headers)).json()
    assert sorted(h["name"] for h in hosts) == sorted(HOSTS)
    assert {h["name"]: h["id"] for h in hosts} == {n: str(i) for n, i in demo.hosts.items()}
    for key, host in {"auth": "web-1", "payments": "web-2", "reporting": "db-1"}.items():
        service = await client.get(f"/api/v1/services/{demo.services[key]}", headers=admin.headers)
        assert service.json()["host_id"] == str(demo.hosts[host])


async def test_the_simulated_hosts_pushes_land_on_the_seeded_hosts(client, app):
    admin, demo = await _seed(client, app)
    rng, now = random.Random(1), time.time()

    for host in HOSTS:
        response = await push(client, "metrics", demo.token, metrics_batch(host, now, rng))
        assert response.status_code == 202, response.text
    services = {key: str(service_id) for key, service_id in demo.services.items()}
    response = await push(client, "service-metrics", demo.token, traffic_batch(services, now, rng))
    assert response.status_code == 202, response.text
    assert response.json()["accepted"] == 3
    await drain(app)

    hosts = (await client.get("/api/v1/hosts", headers=admin.headers)).json()
    assert sorted(h["name"] for h in hosts) == sorted(HOSTS)  # no second row per name
    assert {h["status"] for h in hosts} == {"online"}
    for service_id in services.values():
        traffic = await client.get(
            f"/api/v1/services/{service_id}/traffic?range=1h", headers=admin.headers
        )
        assert sum(traffic.json()["requests"]) > 0


def test_payments_reports_errors_while_it_is_down_and_hardly_any_otherwise():
    rng = random.Random(7)
    services = {"auth": "a", "payments": "p"}
    down = (time.time() // OUTAGE_EVERY_S) * OUTAGE_EVERY_S + OUTAGE_FOR_S / 2
    up = down + OUTAGE_FOR_S
    assert payments_down(down) and not payments_down(up)

    def error_share(at: float) -> dict[str, float]:
        # Over 20 intervals: at a quiet hour one interval is a handful of requests, and a
        # single error would be a large share of them.
        totals = {key: [0, 0] for key in services.values()}
        for _ in range(20):
            for s in traffic_batch(services, at, rng)["samples"]:
                totals[s["service_id"]][0] += s["errors"]
                totals[s["service_id"]][1] += s["requests"]
        return {key: errors / max(requests, 1) for key, (errors, requests) in totals.items()}

    assert error_share(down)["p"] > 0.8
    assert error_share(up)["p"] < 0.05
    assert error_share(down)["a"] < 0.05
