"""Query strings and path parameters follow one set of rules on every route: what breaks
them is a 422 naming the parameter, and what a page handed out (a cursor) is taken back."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from litestar import Litestar, get
from litestar.params import FromQuery
from watchdeck.domain.accounts.roles import PUBLIC
from watchdeck.domain.incidents.models import IncidentStatus
from watchdeck.domain.services.models import checks
from watchdeck.domain.statuspages.models import Subscriber
from watchdeck.platform.errors import EXCEPTION_HANDLERS
from watchdeck.platform.parameters import ParameterRules

from tests.domain.incidents.factories import insert_incident
from tests.support.accounts import Account, sign_up
from tests.support.agents import iso, push
from tests.support.alerts import firing_alert
from tests.support.jobs import drain
from tests.support.services import create_service
from tests.support.statuspages import create_page


@dataclass
class World:
    admin: Account
    service: dict
    host: dict
    host_token: str
    page: dict


@pytest.fixture
async def world(client) -> World:
    admin = await sign_up(client)
    service = await create_service(client, admin, kind="push", url=None)
    created = await client.post("/api/v1/hosts", json={"name": "app-1"}, headers=admin.headers)
    page = await create_page(client, admin)
    return World(admin, service, created.json()["host"], created.json()["token"], page)


def _lists(w: World) -> dict[str, str]:
    """Every list that pages with `before`, by the kind of cursor it hands out."""
    return {
        "incidents": "/api/v1/incidents",
        "alerts": "/api/v1/alerts",
        "logs": "/api/v1/logs",
        "audit": "/api/v1/team/audit",
        "checks": f"/api/v1/services/{w.service['id']}/checks",
        "subscribers": f"/api/v1/status-pages/{w.page['id']}/subscribers",
        "status history": f"/status/{w.page['slug']}/history",
    }


def _time_filters(w: World) -> list[tuple[str, str]]:
    service, host = f"/api/v1/services/{w.service['id']}", f"/api/v1/hosts/{w.host['id']}"
    return [
        ("/api/v1/incidents", "from"),
        ("/api/v1/incidents", "to"),
        ("/api/v1/incidents/stats", "from"),
        ("/api/v1/logs", "from"),
        ("/api/v1/logs", "to"),
        (f"{service}/series", "from"),
        (f"{service}/traffic", "to"),
        (f"{host}/metrics", "from"),
    ]


async def _get(client, w: World, url: str, params=None) -> httpx.Response:
    return await client.get(url, params=params, headers=w.admin.headers)


def _refusal(response: httpx.Response, name: str) -> str:
    """The reason given for refusing `name`, after checking the answer is that refusal."""
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["code"] == "invalid", error
    assert list(error["fields"]) == [name], error
    assert error["message"] == f"{name}: {error['fields'][name]}"
    return error["fields"][name]


# -- cursors -------------------------------------------------------------------------------

MALFORMED_CURSORS = [
    "yesterday",
    "",
    "999999999999999999999999",  # past 64 bits
    "2026-03-01T10:00:00+00:00|999999999999999999999999",
    "2026-03-01T10:00:00+00:00|not-an-id",
    "1700000000.5",
    "2026-03",
    "0001-01-01",
    "a\x00b",
]


async def test_every_list_refuses_a_cursor_it_did_not_hand_out(client, world):
    for kind, url in _lists(world).items():
        for cursor in MALFORMED_CURSORS:
            response = await _get(client, world, url, {"before": cursor})
            assert _refusal(response, "before"), (kind, cursor)


async def test_a_numeric_cursor_past_64_bits_names_before_on_the_audit_log(client, world):
    response = await _get(client, world, "/api/v1/team/audit?before=999999999999999999999999")

    assert _refusal(response, "before") == "not a cursor from a previous page"


async def _pages(client, w: World, url: str, limit: int) -> list[list]:
    """Every page of a list, following each `next_cursor`."""
    pages, params = [], {"limit": limit}
    while True:
        response = await _get(client, w, url, params)
        assert response.status_code == 200, response.text
        body = response.json()
        pages.append([item["id"] if "id" in item else item["at"] for item in body["items"]])
        if body["next_cursor"] is None:
            return pages
        params = {"limit": limit, "before": body["next_cursor"]}


async def test_a_cursor_from_a_page_continues_every_list(client, app, world):
    w, team_id, now = world, world.admin.team_id, datetime.now(UTC)
    for hours in (1, 2, 3):
        await insert_incident(app.state.session_factory, team_id, now - timedelta(hours=hours))
    rules = (await _get(client, w, "/api/v1/alert-rules")).json()
    for _ in range(3):
        await firing_alert(app.state.session_factory, team_id, rules[0]["id"], w.service)
    async with app.state.engine.begin() as conn:
        await conn.execute(
            checks.insert(),
            [
                {"service_id": w.service["id"], "at": now - timedelta(minutes=n), "ok": True}
                for n in (1, 2, 3)
            ],
        )
    async with app.state.session_factory() as session:
        for n in range(3):
            address = f"reader{n}@example.net"
            session.add(Subscriber(page_id=uuid.UUID(w.page["id"]), kind="email", address=address))
        await session.commit()
    lines = [
        {"at": iso(now - timedelta(seconds=n)), "level": "info", "source": "app", "message": "hi"}
        for n in (1, 2, 3)
    ]
    batch = {"batch_id": "queries-logs", "sent_at": iso(now), "lines": lines}
    assert (await push(client, "logs", w.host_token, batch)).status_code == 202
    await drain(app)

    lists = _lists(w)
    for kind in ("incidents", "alerts", "logs", "checks", "subscribers"):
        pages = await _pages(client, w, lists[kind], limit=2)
        assert [len(page) for page in pages] == [2, 1], kind
        assert len({*pages[0], *pages[1]}) == 3, kind
    audit = await _pages(client, w, lists["audit"], limit=1)
    assert len(audit) >= 3 and all(len(page) == 1 for page in audit)
    assert len({page[0] for page in audit}) == len(audit)
    history = await _get(client, w, lists["status history"], {"before": "2026-01-01"})
    assert history.status_code == 200


# -- enums ---------------------------------------------------------------------------------


def _enum_filters(w: World) -> list[tuple[str, str, str]]:
    """(route, parameter, its values as the refusal lists them)."""
    service = f"/api/v1/services/{w.service['id']}"
    return [
        ("/api/v1/incidents", "status", "open, investigating, resolved"),
        ("/api/v1/incidents", "severity", "low, medium, high, critical"),
        ("/api/v1/incidents", "source", "manual"),
        ("/api/v1/alerts", "status", "firing, resolved"),
        ("/api/v1/alerts/count", "status", "firing, resolved"),
        ("/api/v1/logs", "level", "debug, info, warning, error, critical"),
        (f"{service}/series", "range", "1h, 24h, 7d, 30d, 90d, 1y"),
        (f"/api/v1/hosts/{w.host['id']}/metrics", "range", "1h, 24h"),
        ("/badge/any-key/uptime.svg", "period", "24h, 7d, 30d, 90d"),
    ]


async def test_an_unknown_filter_value_is_refused_with_the_values_allowed(client, world):
    for url, name, allowed in _enum_filters(world):
        response = await _get(client, world, url, {name: "nope"})
        reason = _refusal(response, name)
        assert reason.startswith("unknown nope; use ") and allowed in reason, (url, reason)


async def test_an_unknown_value_among_several_is_refused_too(client, world):
    repeated = await _get(client, world, "/api/v1/incidents?status=open&status=closed")
    comma_separated = await _get(client, world, "/api/v1/incidents?status=open,closed")
    in_logs = await _get(client, world, "/api/v1/logs?level=error&level=fatal")

    assert _refusal(repeated, "status").startswith("unknown closed;")
    assert _refusal(comma_separated, "status").startswith("unknown closed;")
    assert _refusal(in_logs, "level").startswith("unknown fatal;")


async def test_several_values_filter_alike_repeated_or_comma_separated(client, app, world):
    team_id, now = world.admin.team_id, datetime.now(UTC)
    for status in IncidentStatus:
        await insert_incident(app.state.session_factory, team_id, now, status=status)

    async def statuses(query: str) -> list[str]:
        response = await _get(client, world, f"/api/v1/incidents?{query}")
        assert response.status_code == 200, response.text
        return sorted(item["status"] for item in response.json()["items"])

    assert await statuses("status=open&status=resolved") == ["open", "resolved"]
    assert await statuses("status=open,resolved") == ["open", "resolved"]
    assert await statuses("status=open, resolved&limit=5") == ["open", "resolved"]


async def test_a_one_value_parameter_sent_twice_is_refused(client, world):
    alerts = await _get(client, world, "/api/v1/alerts?status=firing&status=resolved")
    limit = await _get(client, world, "/api/v1/incidents?limit=1&limit=2")

    assert _refusal(alerts, "status") == "takes one value, not 2"
    assert _refusal(limit, "limit") == "takes one value, not 2"


# -- times, numbers, ids -------------------------------------------------------------------

NOT_TIMES = {
    "1700000000.5": "not a number",
    "1700000000": "not a number",
    "2026-03-01T10:00:00": "needs a time zone",
    "2026-03-01": "not an RFC 3339 timestamp",
    "yesterday": "not an RFC 3339 timestamp",
    "2026-02-30T10:00:00Z": "not a real time",
    "0001-01-01T00:00:00Z": "out of range",
}


async def test_time_filters_take_rfc_3339_timestamps_with_an_offset_only(client, world):
    for url, name in _time_filters(world):
        for value, reason in NOT_TIMES.items():
            response = await _get(client, world, url, {name: value})
            assert reason in _refusal(response, name), (url, name, value)


async def test_an_offset_sent_with_a_bare_plus_is_explained(client, world):
    response = await _get(client, world, "/api/v1/logs?from=2026-03-01T10:00:00+02:00")

    assert "%2B" in _refusal(response, "from")


async def test_time_filters_with_z_or_an_offset_work(client, world):
    checks_page = (f"/api/v1/services/{world.service['id']}/checks", "before")
    for url, name in [*_time_filters(world), checks_page]:
        for value in ("2026-03-01T10:00:00Z", "2026-03-01T10:00:00.250+02:00"):
            response = await _get(client, world, url, {name: value})
            assert response.status_code == 200, (url, name, value, response.text)


async def test_numbers_and_ids_in_queries_are_checked_before_the_database_sees_them(client, world):
    huge = await _get(client, world, "/api/v1/incidents", {"limit": "9" * 30})
    fraction = await _get(client, world, "/api/v1/incidents", {"limit": "1.5"})
    not_an_id = await _get(client, world, "/api/v1/public-incidents", {"incident_id": "abc"})

    assert "out of range" in _refusal(huge, "limit")
    assert _refusal(fraction, "limit") == "not a whole number"
    assert _refusal(not_an_id, "incident_id") == "not an id (a UUID)"


async def test_an_empty_value_is_refused_except_for_plain_text(client, world):
    empty_status = await _get(client, world, "/api/v1/incidents?status=")
    empty_search = await _get(client, world, "/api/v1/logs?q=&source=")

    assert "empty" in _refusal(empty_status, "status")
    assert empty_search.status_code == 200


# -- control characters ------------------------------------------------------------------


async def test_nul_and_control_characters_are_refused_in_any_parameter(client, world):
    service_list, host = "/api/v1/services", f"/api/v1/hosts/{world.host['id']}"
    for url, name in [
        ("/api/v1/logs", "q"),
        ("/api/v1/logs", "source"),
        (service_list, "fields"),
        (f"{host}/metrics", "metrics"),
        ("/api/v1/incidents", "status"),
        ("/api/v1/incidents", "from"),
        ("/api/v1/incidents", "unknown_parameter"),
    ]:
        for value in ("a\x00b", "\x1b[31mred"):
            response = await _get(client, world, url, {name: value})
            assert "must not contain" in _refusal(response, name), (url, name, value)


async def test_a_control_character_in_a_parameter_name_is_refused(client, world):
    response = await _get(client, world, "/api/v1/logs?q%00x=1")

    assert "name must not contain NUL" in _refusal(response, "q\\x00x")


async def test_a_nul_in_a_path_parameter_is_refused_naming_it(client, world):
    status_page = await client.get("/status/a%00b")
    invite = await client.get("/api/v1/invites/a%00b")
    dashboard = await client.get("/services/a%00b")

    assert "NUL" in _refusal(status_page, "slug")
    assert "NUL" in _refusal(invite, "token")
    assert "NUL" in _refusal(dashboard, "path")


async def test_a_refusal_carries_the_request_id_like_any_answer(client, world):
    response = await client.get("/api/v1/logs?q=%00", headers={"X-Request-ID": "trace-me"})

    assert response.status_code == 422
    assert response.headers["x-request-id"] == "trace-me"


async def test_a_path_id_that_is_not_one_is_not_found(client, world):
    response = await _get(client, world, "/api/v1/services/%00")

    assert response.status_code == 404


# -- booleans: no route takes one in its query yet, so a route made for the rule ----------


FLAGS = ("true", "false", "1", "0", "yes", "True", "")


@get("/flag", opt=PUBLIC)
async def _flag(verbose: FromQuery[bool] = False) -> dict[str, bool]:
    return {"verbose": verbose}


async def test_query_booleans_are_true_or_false_only():
    app = Litestar([_flag], middleware=[ParameterRules()], exception_handlers=EXCEPTION_HANDLERS)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as flag_client:
        answers = {v: await flag_client.get("/flag", params={"verbose": v}) for v in FLAGS}

    assert answers["true"].json() == {"verbose": True}
    assert answers["false"].json() == {"verbose": False}
    for value in ("1", "0", "yes", "True", ""):
        assert _refusal(answers[value], "verbose"), value
    assert _refusal(answers["1"], "verbose") == "use true or false"
