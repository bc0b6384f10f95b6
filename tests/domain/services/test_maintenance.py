"""Maintenance windows mute status changes and stay out of uptime."""

from datetime import UTC, datetime, timedelta

from watchdeck.domain.services.maintenance import is_active
from watchdeck.domain.services.models import MaintenanceWindow

from tests.support.accounts import sign_up
from tests.support.services import allow_private_targets, check_once, create_service, service_state


def _iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


async def test_a_window_mutes_status_changes_and_opens_no_incident(client, app, target, prober):
    admin = await sign_up(client)
    await allow_private_targets(client, admin)
    service = await create_service(client, admin, url=target.url("/"), failures_before_down=1)
    await check_once(app, service["id"], prober)
    now = datetime.now(UTC)
    window = await client.post(
        "/api/v1/maintenance",
        json={
            "name": "DB upgrade",
            "starts_at": _iso(now - timedelta(minutes=1)),
            "ends_at": _iso(now + timedelta(hours=1)),
            "service_ids": [service["id"]],
        },
        headers=admin.headers,
    )
    target.respond(status=500)

    await check_once(app, service["id"], prober)

    assert window.status_code == 201 and window.json()["active"] is True
    assert (await service_state(client, admin, service["id"]))["status"] == "up"
    assert (await client.get("/api/v1/incidents", headers=admin.headers)).json()["items"] == []
    checks = (
        await client.get(f"/api/v1/services/{service['id']}/checks", headers=admin.headers)
    ).json()
    assert checks["items"][0]["muted"] is True


async def test_a_team_wide_window_covers_every_service(client, app, target, prober):
    admin = await sign_up(client)
    await allow_private_targets(client, admin)
    service = await create_service(client, admin, url=target.url("/"), failures_before_down=1)
    now = datetime.now(UTC)
    await client.post(
        "/api/v1/maintenance",
        json={
            "name": "All",
            "starts_at": _iso(now - timedelta(minutes=1)),
            "ends_at": _iso(now + timedelta(minutes=5)),
        },
        headers=admin.headers,
    )
    target.respond(status=500)

    await check_once(app, service["id"], prober)

    assert (await service_state(client, admin, service["id"]))["status"] == "pending"


def test_a_weekly_window_follows_local_time_across_daylight_saving():
    # Sundays 02:00–03:00 in Berlin: 01:00 UTC in winter, 00:00 UTC in summer.
    window = MaintenanceWindow(
        name="Sunday",
        starts_at=datetime(2026, 1, 4, 1, 0, tzinfo=UTC),  # Sunday 02:00 CET
        rrule="FREQ=WEEKLY;BYDAY=SU",
        duration_min=60,
        timezone="Europe/Berlin",
    )

    assert is_active(window, datetime(2026, 1, 11, 1, 30, tzinfo=UTC))
    assert not is_active(window, datetime(2026, 1, 11, 2, 30, tzinfo=UTC))
    assert is_active(window, datetime(2026, 7, 5, 0, 30, tzinfo=UTC))
    assert not is_active(window, datetime(2026, 7, 5, 1, 30, tzinfo=UTC))
    assert not is_active(window, datetime(2026, 7, 6, 0, 30, tzinfo=UTC))


async def test_bad_windows_name_the_field(client):
    admin = await sign_up(client)
    start = "2030-01-01T00:00:00Z"

    cases = {
        "ends_at": {"name": "x", "starts_at": start, "ends_at": "2029-01-01T00:00:00Z"},
        "timezone": {
            "name": "x",
            "starts_at": start,
            "rrule": "FREQ=DAILY",
            "duration_min": 5,
            "timezone": "Mars/Base",
        },
        "rrule": {"name": "x", "starts_at": start, "rrule": "FREQ=SOMETIMES", "duration_min": 5},
        "duration_min": {"name": "x", "starts_at": start, "rrule": "FREQ=DAILY"},
        "service_ids": {
            "name": "x",
            "starts_at": start,
            "ends_at": "2030-01-02T00:00:00Z",
            "service_ids": ["6b1e4d6c-3d6a-4a43-9d5e-3b8f6e0d2f11"],
        },
    }
    for field, body in cases.items():
        response = await client.post("/api/v1/maintenance", json=body, headers=admin.headers)
        assert response.status_code == 422, (field, response.text)
        assert field in response.json()["error"]["fields"], (field, response.text)
