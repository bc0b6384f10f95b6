"""Another team's ids: not found through any route, and refused wherever a body or filter names one.

The routes come from the app itself, so a route added later with an id in its
path is called here without anyone remembering to list it. Extends
tests/test_role_matrix.py, which checks the status of each route alone: here
every method of every id route runs against one set of rows, and the whole
database must read the same afterwards.
"""

from __future__ import annotations

import re

from watchdeck.domain.accounts.auth import route_access
from watchdeck.domain.accounts.roles import Access

from tests.security.conftest import Teams, error_of, snapshot

_PARAM = re.compile(r"\{(\w+):(\w+)\}")
WINDOW = {"starts_at": "2030-01-01T00:00:00Z", "ends_at": "2030-01-02T00:00:00Z"}

# Valid bodies, so the outsider's call passes validation and reaches the row lookup.
BODIES = {
    ("PATCH", "/api/v1/team/members/{user_id:uuid}"): {"role": "admin"},
    ("PATCH", "/api/v1/services/{service_id:uuid}"): {"name": "Mine now", "enabled": False},
    ("PATCH", "/api/v1/maintenance/{window_id:uuid}"): {"name": "Mine now"},
    ("PATCH", "/api/v1/incidents/{incident_id:uuid}"): {"title": "Mine now"},
    ("POST", "/api/v1/incidents/{incident_id:uuid}/comments"): {"body": "I was here"},
    ("PATCH", "/api/v1/incidents/{incident_id:uuid}/comments/{comment_id:uuid}"): {
        "body": "I was here"
    },
    ("PATCH", "/api/v1/hosts/{host_id:uuid}"): {"name": "mine-now"},
    ("PATCH", "/api/v1/alert-rules/{rule_id:uuid}"): {"name": "Mine now", "enabled": False},
    ("PATCH", "/api/v1/channels/{channel_id:uuid}"): {"name": "Mine now"},
    ("POST", "/api/v1/public-incidents/{notice_id:uuid}/updates"): {
        "status": "resolved",
        "body": "Mine now",
    },
}


def id_routes(app) -> list[tuple[str, str]]:
    """(method, path) of every route with a uuid in its path, as the app has them now;
    public ones (a status page's published incident) show their row to anyone."""
    found = set()
    for route in app.routes:
        if not any(kind == "uuid" for _, kind in _PARAM.findall(route.path)):
            continue
        for handler in getattr(route, "route_handlers", []):
            if route_access(handler) is Access.public:
                continue
            found.update((method, route.path) for method in handler.http_methods - {"OPTIONS"})
    return sorted(found)


def _fill(path: str, ids: dict[str, str]) -> str:
    return _PARAM.sub(lambda m: ids[m.group(1)], path)


async def test_every_id_in_a_path_has_a_row_of_team_a(app, teams: Teams):
    names = {name for _, path in id_routes(app) for name, _ in _PARAM.findall(path)}

    assert names - set(teams.ids) == set(), "give build_teams a team A row for each new id"


async def test_another_teams_ids_are_not_found_by_any_method_and_nothing_changes(
    api, app, db, teams: Teams
):
    routes = id_routes(app)
    assert len(routes) > 30  # the app's routes were found, not an empty list
    before = await snapshot(db)

    for method, path in routes:
        body = BODIES.get((method, path), {}) if method in {"POST", "PATCH", "PUT"} else None
        url = _fill(path, teams.ids)
        response = await api.request(method, url, json=body, headers=teams.outsider.headers)
        assert response.status_code == 404, (
            f"{method} {url}: {response.status_code} {response.text}"
        )
        assert error_of(response)["code"] == "not_found"

    assert await snapshot(db) == before, "a call by another team changed team A's rows"


async def _refused(client, method: str, url: str, body: dict, headers, field: str) -> None:
    response = await client.request(method, url, json=body, headers=headers)
    assert 400 <= response.status_code < 500, f"{method} {url} {body}: {response.text}"
    assert response.status_code not in (401, 403), response.text
    error = error_of(response)
    assert field in error["fields"], f"{method} {url} {body}: {error}"


async def test_ids_of_another_team_in_bodies_are_refused_naming_the_field(api, db, teams: Teams):
    mine = teams.outsider.headers
    a = teams.ids
    own_service = await api.post(
        "/api/v1/services", json={"name": "Own", "kind": "push"}, headers=mine
    )
    own_incident = await api.post(
        "/api/v1/incidents", json={"title": "Own", "severity": "low"}, headers=mine
    )
    own_window = await api.post(
        "/api/v1/maintenance",
        json={
            "name": "Own",
            "starts_at": "2030-01-01T00:00:00Z",
            "ends_at": "2030-01-02T00:00:00Z",
        },
        headers=mine,
    )
    [own_rule, *_] = (await api.get("/api/v1/alert-rules", headers=mine)).json()
    service_url = f"/api/v1/services/{own_service.json()['service']['id']}"
    incident_url = f"/api/v1/incidents/{own_incident.json()['id']}"
    window_url = f"/api/v1/maintenance/{own_window.json()['id']}"
    rule_url = f"/api/v1/alert-rules/{own_rule['id']}"
    new_rule = {"name": "Theirs", "condition": "service_down"}
    window = {"name": "W"} | WINDOW
    incident = {"title": "I", "severity": "low"}
    cases = [
        ("POST", "/api/v1/services", {"name": "S", "kind": "push", "host_id": a["host_id"]}),
        ("PATCH", service_url, {"host_id": a["host_id"]}),
        ("POST", "/api/v1/maintenance", window | {"service_ids": [a["service_id"]]}),
        ("PATCH", window_url, {"service_ids": [a["service_id"]]}),
        (
            "POST",
            "/api/v1/incidents",
            incident | {"service_id": a["service_id"]},
        ),
        ("POST", "/api/v1/incidents", incident | {"host_id": a["host_id"]}),
        (
            "POST",
            "/api/v1/incidents",
            incident | {"assignee_id": a["user_id"]},
        ),
        ("PATCH", incident_url, {"assignee_id": a["user_id"]}),
        ("POST", "/api/v1/alert-rules", new_rule | {"channel_ids": [a["channel_id"]]}),
        ("POST", "/api/v1/alert-rules", new_rule | {"target_id": a["service_id"]}),
        ("POST", "/api/v1/alert-rules", new_rule | {"depends_on_id": a["rule_id"]}),
        ("PATCH", rule_url, {"channel_ids": [a["channel_id"]]}),
        ("PATCH", rule_url, {"target_id": a["service_id"]}),
        ("PATCH", rule_url, {"depends_on_id": a["rule_id"]}),
    ]
    before = await snapshot(db)

    for method, url, body in cases:
        field = next(key for key in body if key.endswith(("_id", "_ids")))
        await _refused(api, method, url, body, mine, field)

    assert await snapshot(db) == before, "a refused call wrote something"


async def test_filters_with_another_teams_ids_find_nothing_of_theirs(api, teams: Teams):
    """A filter is not a lookup: another team's id matches nothing in yours, which tells nothing."""
    a = teams.ids
    mine = teams.outsider.headers
    filters = [
        ("/api/v1/alerts", {"rule_id": a["rule_id"]}),
        ("/api/v1/alerts", {"subject_id": a["service_id"]}),
        ("/api/v1/incidents", {"service_id": a["service_id"]}),
        ("/api/v1/incidents", {"host_id": a["host_id"]}),
        ("/api/v1/logs", {"host_id": a["host_id"]}),
        ("/api/v1/logs", {"service_id": a["service_id"]}),
    ]
    own = await api.get("/api/v1/alerts", params=filters[0][1], headers=teams.admin.headers)
    assert own.json()["items"], "team A sees its own alert through the same filter"

    for url, params in filters:
        response = await api.get(url, params=params, headers=mine)
        assert response.status_code == 200, response.text
        body = response.json()
        items = body["items"] if isinstance(body, dict) else body
        assert items == [], f"{url} {params} showed team A's rows: {items}"
