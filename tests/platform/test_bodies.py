"""Request bodies as a client sends them wrong: each refusal names where the fault is, and
nothing of a refused body is written."""

from __future__ import annotations

import json

import pytest

from tests.support.accounts import sign_up

UNAUTHENTICATED_BODIES = [
    "/api/v1/auth/signup",
    "/api/v1/auth/login",
    "/api/v1/auth/password-reset",
    "/api/v1/password-resets/accept",
    "/api/v1/invites/accept",
]


def refused_field(response) -> dict[str, str]:
    assert 400 <= response.status_code < 500, response.text
    return response.json()["error"]["fields"]


async def incident_titles(client, admin) -> list[str]:
    listed = await client.get("/api/v1/incidents", headers=admin.headers)
    return [item["title"] for item in listed.json()["items"]]


@pytest.mark.parametrize("path", UNAUTHENTICATED_BODIES)
async def test_a_body_nested_a_thousand_levels_is_refused_by_depth(client, path):
    deep = "[" * 5000 + "]" * 5000

    response = await client.post(path, content=deep, headers={"content-type": "application/json"})

    assert response.status_code == 400
    assert "nests deeper than 32 levels" in response.json()["error"]["message"]


async def test_a_nul_in_a_sign_up_name_is_refused_by_field(client):
    body = {
        "email": "nul@example.com",
        "password": "long enough pw",
        "name": "A\x00",
        "team_name": "T",
    }

    response = await client.post("/api/v1/auth/signup", json=body)

    assert response.status_code == 422
    assert refused_field(response) == {"name": "must not contain NUL characters"}
    signed_in = await client.post(
        "/api/v1/auth/login", json={"email": "nul@example.com", "password": "long enough pw"}
    )
    assert signed_in.status_code == 401  # no account was made


@pytest.mark.parametrize(
    ("title", "why"),
    [
        ("down\x00", "must not contain NUL characters"),
        ("\x1b[31mred\x1b[0m", "must not contain control characters (U+001B)"),
        ("   ", "must not be blank"),
        ("\u200b\u200b", "must not contain invisible or direction-changing characters (U+200B)"),
        ("ad\u200bmin", "must not contain invisible or direction-changing characters (U+200B)"),
        (
            "invoice\u202egpj.exe",
            "must not contain invisible or direction-changing characters (U+202E)",
        ),
        ("two\nlines", "must be one line"),
    ],
)
async def test_titles_that_would_display_as_something_else_are_refused(client, title, why):
    admin = await sign_up(client)

    response = await client.post(
        "/api/v1/incidents", json={"title": title, "severity": "high"}, headers=admin.headers
    )

    assert response.status_code == 422
    assert refused_field(response) == {"title": why}
    assert await incident_titles(client, admin) == []


async def test_a_label_loses_its_surrounding_spaces_and_keeps_emoji_joiners(client):
    admin = await sign_up(client)
    coder = "\U0001f469\u200d\U0001f4bb on call"

    response = await client.post(
        "/api/v1/incidents",
        json={"title": f"  {coder}  ", "severity": "low", "description": "line one\n\tline two"},
        headers=admin.headers,
    )

    assert response.status_code == 201, response.text
    assert response.json()["title"] == coder
    assert response.json()["description"] == "line one\n\tline two"  # free text keeps its lines


async def test_a_nul_deep_in_a_body_is_named_by_its_path(client):
    admin = await sign_up(client)
    page = {
        "title": "Acme status",
        "slug": "acme-nul",
        "components": [{"name": "API"}, {"name": "Web", "description": "front\x00end"}],
    }

    response = await client.post("/api/v1/status-pages", json=page, headers=admin.headers)

    assert response.status_code == 422
    assert refused_field(response) == {
        "components[1].description": "must not contain NUL characters"
    }
    listed = await client.get("/api/v1/status-pages", headers=admin.headers)
    assert listed.json() == []


async def test_a_nul_in_a_header_name_of_a_service_is_refused(client):
    admin = await sign_up(client)
    service = {
        "name": "API",
        "kind": "http",
        "url": "https://example.com/",
        "headers": {"X-Tenant\x00": "acme"},
    }

    response = await client.post("/api/v1/services", json=service, headers=admin.headers)

    assert response.status_code == 422
    assert refused_field(response) == {"headers[key]": "field name must not contain NUL characters"}


async def test_missing_and_unknown_fields_are_named_themselves(client):
    admin = await sign_up(client)

    missing = await client.post(
        "/api/v1/incidents", json={"severity": "high"}, headers=admin.headers
    )
    unknown = await client.post(
        "/api/v1/incidents",
        json={"title": "x", "severity": "high", "colour": "red"},
        headers=admin.headers,
    )
    nested = await client.post(
        "/api/v1/status-pages",
        json={"title": "Acme", "slug": "acme-missing", "components": [{"name": "API"}, {}]},
        headers=admin.headers,
    )

    assert refused_field(missing) == {"title": "required"}
    assert refused_field(unknown) == {"colour": "unknown field"}
    assert refused_field(nested) == {"components[1].name": "required"}


async def test_an_enum_refusal_lists_the_allowed_values(client):
    admin = await sign_up(client)

    response = await client.post(
        "/api/v1/incidents", json={"title": "x", "severity": "huge"}, headers=admin.headers
    )

    assert refused_field(response) == {
        "severity": "must be one of low, medium, high, critical (got 'huge')"
    }


@pytest.mark.parametrize("content", [b"", None])
async def test_a_missing_body_says_a_body_is_needed(client, content):
    admin = await sign_up(client)
    headers = {**admin.headers, "content-type": "application/json"}

    response = await client.post("/api/v1/incidents", content=content, headers=headers)

    assert response.status_code == 400
    assert response.json()["error"] == {
        "code": "bad_request",
        "message": "this request needs a JSON body",
        "fields": {"body": "required"},
    }


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", None])
async def test_a_body_that_is_not_sent_as_json_is_refused_with_415(client, content_type):
    admin = await sign_up(client)
    headers = dict(admin.headers)
    if content_type is not None:
        headers["content-type"] = content_type

    response = await client.post(
        "/api/v1/incidents",
        content=json.dumps({"title": "Plain", "severity": "high"}),
        headers=headers,
    )

    assert response.status_code == 415
    assert response.json()["error"]["code"] == "unsupported_media_type"
    assert await incident_titles(client, admin) == []


async def test_a_json_media_type_with_a_suffix_and_charset_is_read(client):
    admin = await sign_up(client)
    headers = {**admin.headers, "content-type": "application/merge-patch+json; charset=utf-8"}

    response = await client.patch("/api/v1/team", content=b'{"name": "Platform"}', headers=headers)

    assert response.status_code == 200, response.text
    assert response.json()["name"] == "Platform"


@pytest.mark.parametrize(
    ("field", "value", "why"),
    [
        ("interval_s", "60", "expected an integer, got a string"),
        ("follow_redirects", 0, "expected true or false, got an integer"),
        ("timeout_s", True, "expected a number or null, got true or false"),
    ],
)
async def test_values_of_the_wrong_json_type_are_not_coerced(client, field, value, why):
    admin = await sign_up(client)
    service = {"name": "API", "kind": "http", "url": "https://example.com/", field: value}

    response = await client.post("/api/v1/services", json=service, headers=admin.headers)

    assert response.status_code == 422
    assert refused_field(response) == {field: why}
