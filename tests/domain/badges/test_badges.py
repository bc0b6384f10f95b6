"""Public SVG badges of a service: what they show, who may turn them on, how they are served."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import ROUND_FLOOR, Decimal

import pytest

from tests.support.accounts import add_member, sign_up
from tests.support.services import (
    allow_private_targets,
    check_once,
    create_service,
    service_state,
)
from tests.support.targets import Target, http_target

SVG = "{http://www.w3.org/2000/svg}"
GREEN, RED, YELLOW, BLUE, GREY = "#4c1", "#e05d44", "#dfb317", "#007ec6", "#9f9f9f"


@pytest.fixture
def target() -> Iterator[Target]:
    with http_target() as running:
        yield running


def read_badge(body: bytes) -> tuple[str, str, str]:
    """(label, message, message colour) as a viewer of the image sees them."""
    root = ET.fromstring(body)
    assert root.tag == f"{SVG}svg"
    shown = [t.text or "" for t in root.iter(f"{SVG}text") if t.get("aria-hidden") != "true"]
    fills = [r.get("fill") for r in root.iter(f"{SVG}rect") if r.get("fill", "").startswith("#")]
    label, message = shown
    return label, message, fills[1]


def floored(share: float) -> str:
    """A share as a per cent floored to hundredths, worked out apart from the app's code."""
    hundredths = (Decimal(repr(share)) * 100).quantize(Decimal("0.01"), rounding=ROUND_FLOOR)
    return f"{hundredths}%"


def key_of(service: dict) -> str:
    path = service["badge_path"]
    assert path is not None and re.fullmatch(r"/badge/[A-Za-z0-9_-]{16,32}", path), path
    return path.removeprefix("/badge/")


async def _badge(client, key: str, which: str, **params) -> tuple[str, str, str]:
    response = await client.get(f"/badge/{key}/{which}.svg", params=params)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("image/svg+xml")
    return read_badge(response.content)


async def test_uptime_badge_shows_the_api_s_figure_for_each_period(client, app, prober, target):
    admin = await sign_up(client)
    await allow_private_targets(client, admin)
    service = await create_service(
        client, admin, url=target.url("/health"), failures_before_down=1, badges=True
    )
    await check_once(app, service["id"], prober)
    await check_once(app, service["id"], prober)
    target.respond(status=503, path="/health")
    await check_once(app, service["id"], prober)
    reported = (await service_state(client, admin, service["id"]))["uptime"]

    for period in ("24h", "7d", "30d", "90d"):
        label, message, colour = await _badge(client, key_of(service), "uptime", period=period)

        assert label == f"uptime {period}"
        assert message == floored(reported[period])
        assert colour == RED
    # Two checks of three passed: floored, never rounded up.
    assert message == "66.66%"
    assert await _badge(client, key_of(service), "uptime") == ("uptime 30d", "66.66%", RED)


async def test_a_service_without_failures_reads_100_percent_in_green(client, app, prober, target):
    admin = await sign_up(client)
    await allow_private_targets(client, admin)
    service = await create_service(client, admin, url=target.url("/ok"), badges=True)
    await check_once(app, service["id"], prober)

    assert await _badge(client, key_of(service), "uptime", period="24h") == (
        "uptime 24h",
        "100.00%",
        GREEN,
    )


async def test_status_badge_names_the_state_in_its_colour(client, app, prober, target):
    admin = await sign_up(client)
    await allow_private_targets(client, admin)
    target.respond(status=503, path="/broken")
    up = await create_service(client, admin, name="a", url=target.url("/ok"), badges=True)
    down = await create_service(
        client, admin, name="b", url=target.url("/broken"), failures_before_down=1, badges=True
    )
    paused = await create_service(client, admin, name="c", kind="push", enabled=False, badges=True)
    pending = await create_service(client, admin, name="d", kind="push", badges=True)
    upgrading = await create_service(client, admin, name="e", url=target.url("/ok"), badges=True)
    for service in (up, down, upgrading):
        await check_once(app, service["id"], prober)
    now = datetime.now(UTC)
    window = await client.post(
        "/api/v1/maintenance",
        json={
            "name": "Upgrade",
            "starts_at": (now - timedelta(minutes=5)).isoformat(),
            "ends_at": (now + timedelta(hours=1)).isoformat(),
            "service_ids": [upgrading["id"]],
        },
        headers=admin.headers,
    )
    assert window.status_code == 201, window.text

    shown = [(await _badge(client, key_of(s), "status"))[1:] for s in (up, down, paused, pending)]
    assert shown == [("up", GREEN), ("down", RED), ("paused", GREY), ("pending", GREY)]
    assert await _badge(client, key_of(upgrading), "status") == ("status", "maintenance", BLUE)


async def test_latency_badge_shows_the_latest_check_s_time(client, app, prober, target):
    admin = await sign_up(client)
    await allow_private_targets(client, admin)
    target.respond(delay=0.05)
    service = await create_service(client, admin, url=target.url("/slowish"), badges=True)
    never_checked = await create_service(client, admin, name="new", kind="push", badges=True)
    await check_once(app, service["id"], prober)
    latest = (await service_state(client, admin, service["id"]))["last_latency_ms"]

    assert await _badge(client, key_of(service), "latency") == (
        "latency",
        f"{latest:.0f} ms",
        GREEN,
    )
    assert latest >= 50
    assert await _badge(client, key_of(never_checked), "latency") == ("latency", "no data", GREY)


async def test_badges_are_off_until_turned_on_and_keep_their_address(client):
    admin = await sign_up(client)
    developer = await add_member(client, admin, "developer")
    service = await create_service(client, admin, kind="push")
    assert service["badge_path"] is None

    turned_on = await client.patch(
        f"/api/v1/services/{service['id']}", json={"badges": True}, headers=developer.headers
    )
    again = await client.patch(
        f"/api/v1/services/{service['id']}", json={"badges": True}, headers=developer.headers
    )
    renamed = await client.patch(
        f"/api/v1/services/{service['id']}", json={"name": "Backups"}, headers=developer.headers
    )

    assert turned_on.status_code == 200, turned_on.text
    assert key_of(turned_on.json()) == key_of(again.json()) == key_of(renamed.json())
    read = await service_state(client, admin, service["id"])
    assert read["badge_path"] == turned_on.json()["badge_path"]
    assert (await client.get(f"{read['badge_path']}/status.svg")).status_code == 200


async def test_turned_off_badges_are_gone_and_turning_on_gives_a_new_address(client):
    admin = await sign_up(client)
    service = await create_service(client, admin, kind="push", badges=True)
    old = key_of(service)
    assert (await client.get(f"/badge/{old}/status.svg")).status_code == 200

    off = await client.patch(
        f"/api/v1/services/{service['id']}", json={"badges": False}, headers=admin.headers
    )
    gone = {w: await client.get(f"/badge/{old}/{w}.svg") for w in ("status", "uptime", "latency")}
    on = await client.patch(
        f"/api/v1/services/{service['id']}", json={"badges": True}, headers=admin.headers
    )

    assert off.json()["badge_path"] is None
    for response in gone.values():
        assert response.status_code == 404
        assert response.headers["content-type"].startswith("image/svg+xml")
        assert read_badge(response.content)[:2] == ("badge", "not found")
    new = key_of(on.json())
    assert new != old
    assert (await client.get(f"/badge/{old}/status.svg")).status_code == 404
    assert (await client.get(f"/badge/{new}/status.svg")).status_code == 200


async def test_a_deleted_service_s_badges_are_gone(client):
    admin = await sign_up(client)
    service = await create_service(client, admin, kind="push", badges=True)
    assert (await client.get(f"{service['badge_path']}/status.svg")).status_code == 200

    deleted = await client.delete(f"/api/v1/services/{service['id']}", headers=admin.headers)

    assert deleted.status_code == 204
    assert (await client.get(f"{service['badge_path']}/status.svg")).status_code == 404


async def test_an_unknown_key_is_not_found(client):
    for key in ("nope", "x" * 200):
        response = await client.get(f"/badge/{key}/uptime.svg")

        assert response.status_code == 404
        assert read_badge(response.content)[:2] == ("badge", "not found")


async def test_viewers_and_other_teams_cannot_turn_badges_on_or_learn_the_key(client):
    admin = await sign_up(client)
    viewer = await add_member(client, admin, "viewer")
    outsider = await sign_up(client, team_name="Other team")
    service = await create_service(client, admin, kind="push", badges=True)
    private = await create_service(client, admin, name="private", kind="push")

    by_viewer = await client.patch(
        f"/api/v1/services/{private['id']}", json={"badges": True}, headers=viewer.headers
    )
    by_outsider = await client.patch(
        f"/api/v1/services/{private['id']}", json={"badges": True}, headers=outsider.headers
    )
    off_by_outsider = await client.patch(
        f"/api/v1/services/{service['id']}", json={"badges": False}, headers=outsider.headers
    )
    read_by_outsider = await client.get(
        f"/api/v1/services/{service['id']}", headers=outsider.headers
    )

    assert (by_viewer.status_code, by_outsider.status_code) == (403, 404)
    assert (off_by_outsider.status_code, read_by_outsider.status_code) == (404, 404)
    assert (await service_state(client, admin, private["id"]))["badge_path"] is None
    assert (await service_state(client, admin, service["id"]))["badge_path"] == service[
        "badge_path"
    ]
    listed = (await client.get("/api/v1/services", headers=outsider.headers)).json()
    assert listed == []


async def test_a_label_is_escaped_and_widens_the_badge(client):
    admin = await sign_up(client)
    service = await create_service(client, admin, kind="push", badges=True)
    label = '<script>alert("hi")</script> & co'

    plain = await client.get(f"{service['badge_path']}/status.svg")
    named = await client.get(f"{service['badge_path']}/status.svg", params={"label": label})
    too_long = await client.get(f"{service['badge_path']}/status.svg", params={"label": "x" * 41})

    assert named.status_code == 200
    assert b"<script" not in named.content
    assert b"&lt;script&gt;" in named.content
    assert read_badge(named.content)[:2] == (label, "pending")
    width = [int(ET.fromstring(r.content).get("width")) for r in (plain, named)]
    assert width[1] > width[0]
    assert too_long.status_code == 422
    assert "label" in too_long.json()["error"]["fields"]


async def test_badges_are_cacheable_and_answer_304_to_a_known_etag(client):
    admin = await sign_up(client)
    service = await create_service(client, admin, kind="push", badges=True)
    url = f"{service['badge_path']}/uptime.svg"

    first = await client.get(url, headers={"Accept-Encoding": "gzip"})
    again = await client.get(url, headers={"If-None-Match": first.headers["etag"]})
    other_period = await client.get(url, params={"period": "7d"})

    assert first.status_code == 200
    assert first.headers["cache-control"] == "public, max-age=60"
    csp = first.headers["content-security-policy"]
    assert csp == "default-src 'none'; style-src 'unsafe-inline'"
    assert first.headers["content-encoding"] == "gzip"
    assert read_badge(first.content)[:2] == ("uptime 30d", "no data")  # httpx undid the gzip
    assert again.status_code == 304 and again.content == b""
    assert other_period.headers["etag"] != first.headers["etag"]


async def test_flat_square_style_has_square_corners_and_an_unknown_style_is_refused(client):
    admin = await sign_up(client)
    service = await create_service(client, admin, kind="push", badges=True)

    base = service["badge_path"]
    flat = await client.get(f"{base}/status.svg")
    square = await client.get(f"{base}/status.svg", params={"style": "flat-square"})
    odd = await client.get(f"{base}/status.svg", params={"style": "3d"})
    period = await client.get(f"{base}/uptime.svg", params={"period": "1y"})

    assert b'rx="3"' in flat.content and b"rx=" not in square.content
    assert read_badge(square.content)[:2] == ("status", "pending")
    assert (odd.status_code, period.status_code) == (422, 422)


async def test_badges_say_nothing_of_the_service_or_its_team(client, app, prober, target):
    admin = await sign_up(client, team_name="Secret team")
    await allow_private_targets(client, admin)
    service = await create_service(
        client, admin, name="billing-db", url=target.url("/internal-health"), badges=True
    )
    await check_once(app, service["id"], prober)

    for which in ("status", "uptime", "latency"):
        response = await client.get(f"{service['badge_path']}/{which}.svg")
        answer = response.text + " ".join(f"{k}: {v}" for k, v in response.headers.items())
        for private in ("billing-db", "internal-health", service["id"], str(admin.team_id)):
            assert private not in answer, f"{which} badge reveals {private}"
        assert "Secret team" not in answer
