"""Services push their request and error counts; the traffic series sums them per bucket."""

import uuid
from datetime import UTC, datetime, timedelta

from tests.support.accounts import api_key, sign_up
from tests.support.agents import iso, push
from tests.support.jobs import drain


async def _push_service(client, admin) -> dict:
    return (
        await client.post(
            "/api/v1/services", json={"name": "api", "kind": "push"}, headers=admin.headers
        )
    ).json()["service"]


async def _traffic(client, admin, service_id: str, range_: str = "1h") -> dict:
    response = await client.get(
        f"/api/v1/services/{service_id}/traffic?range={range_}", headers=admin.headers
    )
    assert response.status_code == 200, response.text
    return response.json()


async def _push_samples(client, app, admin, samples: list[dict]) -> None:
    key = await api_key(client, admin, "agent")
    batch = {"batch_id": uuid.uuid4().hex, "sent_at": iso(datetime.now(UTC))}
    response = await push(client, "service-metrics", key, batch | {"samples": samples})
    assert response.status_code == 202, response.text
    await drain(app)


async def test_traffic_gives_requests_errors_and_their_rate_per_bucket(client, app):
    admin = await sign_up(client)
    service = await _push_service(client, admin)
    # Two samples in one minute, a third two minutes later: 1-hour charts have 10 s buckets.
    minute = datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(minutes=5)
    samples = [
        {"service_id": service["id"], "at": iso(at), "requests": requests, "errors": errors}
        for at, requests, errors in [
            (minute + timedelta(seconds=1), 300, 3),
            (minute + timedelta(seconds=2), 100, 5),
            (minute + timedelta(minutes=2), 50, 0),
        ]
    ]
    await _push_samples(client, app, admin, samples)

    traffic = await _traffic(client, admin, service["id"])

    assert traffic["bucket_s"] == 10
    assert traffic["t"] == [
        int(minute.timestamp()),
        int((minute + timedelta(minutes=2)).timestamp()),
    ]
    assert traffic["requests"] == [400, 50]
    assert traffic["errors"] == [8, 0]
    assert traffic["error_rate"] == [0.02, 0.0]
    assert traffic["last_sample_at"] == iso(minute + timedelta(minutes=2))


async def test_traffic_names_the_last_sample_when_none_falls_in_the_range(client, app):
    admin = await sign_up(client)
    service = await _push_service(client, admin)
    earlier = (datetime.now(UTC) - timedelta(hours=3)).replace(microsecond=0)
    sample = {"service_id": service["id"], "at": iso(earlier), "requests": 10, "errors": 1}
    await _push_samples(client, app, admin, [sample])

    quiet = await _traffic(client, admin, service["id"], "1h")
    longer = await _traffic(client, admin, service["id"], "24h")

    assert quiet["t"] == [] and quiet["requests"] == []
    assert quiet["last_sample_at"] == iso(earlier)
    assert sum(longer["requests"]) == 10 and longer["last_sample_at"] == iso(earlier)


async def test_traffic_of_a_service_that_never_pushed_has_no_last_sample(client, app):
    admin = await sign_up(client)
    service = await _push_service(client, admin)

    traffic = await _traffic(client, admin, service["id"], "90d")

    assert traffic["t"] == [] and traffic["error_rate"] == []
    assert traffic["last_sample_at"] is None
