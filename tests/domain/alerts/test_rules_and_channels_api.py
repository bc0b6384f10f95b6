"""The rules and channels API: defaults, validation that names the field, secrets kept secret."""

from __future__ import annotations

import json
import uuid

import pytest
from watchdeck.domain.alerts.models import Channel

from tests.support.accounts import add_member, sign_up
from tests.support.alerts import create_channel, create_rule, webhook_channel
from tests.support.services import allow_private_targets, create_service


async def test_a_new_team_alerts_on_down_services_and_missing_hosts_out_of_the_box(client):
    admin = await sign_up(client)

    rules = (await client.get("/api/v1/alert-rules", headers=admin.headers)).json()

    assert sorted((r["name"], r["condition"], r["target_id"]) for r in rules) == [
        ("Host missing", "host_missing", None),
        ("Service down", "service_down", None),
    ]
    assert all(r["enabled"] for r in rules)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"condition": "cpu"}, "threshold"),
        ({"condition": "cpu", "threshold": 250}, "threshold"),
        ({"condition": "service_down", "threshold": 3}, "threshold"),
        ({"condition": "cpu", "threshold": 80, "recovery_threshold": 90}, "recovery_threshold"),
        ({"condition": "cpu", "threshold": 80, "target_kind": "service"}, "target_kind"),
        ({"condition": "cpu", "threshold": 80, "target_tags": ["prod"]}, "target_tags"),
        ({"condition": "latency_p95", "threshold": 800, "window_s": 5}, "window_s"),
        ({"condition": "latency_p95", "threshold": 800, "repeat_s": 10}, "repeat_s"),
        ({"condition": "nonsense"}, "condition"),
        (
            {"condition": "service_down", "target_id": "00000000-0000-0000-0000-000000000001"},
            "target_id",
        ),  # noqa: E501
        (
            {"condition": "service_down", "depends_on_id": "00000000-0000-0000-0000-000000000001"},
            "depends_on_id",
        ),  # noqa: E501
    ],
)
async def test_a_bad_rule_is_refused_naming_the_field(client, body, field):
    admin = await sign_up(client)

    response = await client.post(
        "/api/v1/alert-rules", json={"name": "Rule"} | body, headers=admin.headers
    )

    assert response.status_code in (400, 422), response.text
    assert field in response.text
    rules = (await client.get("/api/v1/alert-rules", headers=admin.headers)).json()
    assert len(rules) == 2  # only the defaults: nothing half written


async def test_rules_cannot_depend_on_each_other_in_a_loop(client):
    admin = await sign_up(client)
    first = await create_rule(client, admin, name="First")
    second = await create_rule(client, admin, name="Second", depends_on_id=first["id"])

    response = await client.patch(
        f"/api/v1/alert-rules/{first['id']}",
        json={"depends_on_id": second["id"]},
        headers=admin.headers,
    )

    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {
        "depends_on_id": "rules would depend on each other in a loop"
    }


async def test_a_changed_rule_cannot_depend_on_an_unknown_rule(client):
    admin = await sign_up(client)
    rule = await create_rule(client, admin, name="First")

    response = await client.patch(
        f"/api/v1/alert-rules/{rule['id']}",
        json={"depends_on_id": "00000000-0000-0000-0000-000000000001"},
        headers=admin.headers,
    )

    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {"depends_on_id": "no such rule in this team"}
    kept = await client.get(f"/api/v1/alert-rules/{rule['id']}", headers=admin.headers)
    assert kept.json()["depends_on_id"] is None


async def test_a_rule_cannot_use_another_teams_channel(client):
    admin, outsider = await sign_up(client), await sign_up(client, team_name="Other")
    await allow_private_targets(client, outsider)
    theirs = await webhook_channel(client, outsider, "http://127.0.0.1:9/hook")

    response = await client.post(
        "/api/v1/alert-rules",
        json={"name": "Down", "condition": "service_down", "channel_ids": [theirs["id"]]},
        headers=admin.headers,
    )

    assert response.status_code == 422 and "channel_ids" in response.json()["error"]["fields"]


async def test_a_rule_for_one_service_shows_its_settings(client):
    admin = await sign_up(client)
    await allow_private_targets(client, admin)
    service = await create_service(client, admin, url="http://127.0.0.1:9/", enabled=False)

    rule = await create_rule(
        client, admin, name="Slow checkout", condition="latency_p95", threshold=800,
        for_s=300, target_id=service["id"], severity="critical", repeat_s=3600,
    )  # fmt: skip

    assert rule["target_kind"] == "service" and rule["target_id"] == service["id"]
    assert (rule["threshold"], rule["for_s"], rule["repeat_s"]) == (800, 300, 3600)
    fetched = await client.get(f"/api/v1/alert-rules/{rule['id']}", headers=admin.headers)
    assert fetched.json() == rule


async def test_channel_secrets_are_never_returned_and_survive_a_change(client, app):
    admin = await sign_up(client)
    viewer = await add_member(client, admin, "viewer")
    await allow_private_targets(client, admin)
    secret_url = "http://127.0.0.1:9/hooks/T000/B000/very-secret-token"
    channel = await webhook_channel(
        client, admin, secret_url, signing_secret="s3cr3t-signing", headers={"X-Token": "abc123"}
    )

    renamed = await client.patch(
        f"/api/v1/channels/{channel['id']}", json={"name": "Ops"}, headers=admin.headers
    )
    seen = [
        channel,
        renamed.json(),
        (await client.get("/api/v1/channels", headers=viewer.headers)).json(),
        (await client.get(f"/api/v1/channels/{channel['id']}", headers=viewer.headers)).json(),
    ]

    text = json.dumps(seen)
    for secret in ("very-secret-token", "s3cr3t-signing", "abc123"):
        assert secret not in text
    assert renamed.json()["secrets_set"] == ["url", "signing_secret", "headers"]
    async with app.state.session_factory() as session:
        stored = await session.get(Channel, uuid.UUID(channel["id"]))
    assert stored.secrets["url"] == secret_url and stored.secrets["signing_secret"]


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://169.254.169.254/latest", "link-local"),
        ("http://[::ffff:169.254.169.254]/", "link-local"),
        ("http://127.0.0.1:9/hook", "private"),
        ("file:///etc/passwd", "http"),
    ],
)
async def test_webhook_targets_follow_the_ssrf_rules(client, url, message):
    admin = await sign_up(client)

    response = await client.post(
        "/api/v1/channels",
        json={"name": "Hook", "kind": "webhook", "secrets": {"url": url}},
        headers=admin.headers,
    )

    assert response.status_code == 422, response.text
    fields = response.json()["error"]["fields"]
    assert list(fields) == ["secrets.url"]
    assert message in fields["secrets.url"].lower() or message in response.text.lower()


async def test_send_test_reports_success_and_failure(client, hook):
    admin = await sign_up(client)
    await allow_private_targets(client, admin)
    slack = await create_channel(
        client, admin, "slack", secrets={"webhook_url": hook.url("/services/T/B/X")}
    )

    ok = await client.post(f"/api/v1/channels/{slack['id']}/test", headers=admin.headers)
    hook.respond(status=404, body="no_service")
    failed = await client.post(f"/api/v1/channels/{slack['id']}/test", headers=admin.headers)

    assert ok.status_code == 200 and ok.json()["status"] == "sent"
    assert failed.json()["status"] == "failed" and "HTTP 404" in failed.json()["last_error"]
    [first, _] = hook.requests
    assert "test" in json.loads(first.body)["text"].lower()
    log = (
        await client.get(f"/api/v1/channels/{slack['id']}/deliveries", headers=admin.headers)
    ).json()
    assert [(d["test"], d["status"]) for d in log] == [(True, "failed"), (True, "sent")]


async def test_a_viewer_cannot_change_rules_or_channels(client):
    admin = await sign_up(client)
    viewer = await add_member(client, admin, "viewer")
    [rule, _] = (await client.get("/api/v1/alert-rules", headers=viewer.headers)).json()

    edit = await client.patch(
        f"/api/v1/alert-rules/{rule['id']}", json={"enabled": False}, headers=viewer.headers
    )
    add = await client.post(
        "/api/v1/channels",
        json={"name": "x", "kind": "slack", "secrets": {"webhook_url": "http://127.0.0.1/"}},
        headers=viewer.headers,
    )

    assert (edit.status_code, add.status_code) == (403, 403)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "x", "kind": "pager"}, "kind"),
        ({"name": "x", "kind": "slack", "secrets": {}}, "secrets.webhook_url"),
        ({"name": "x", "kind": "email", "config": {"to": ["not-an-address"]}}, "config.to"),
        ({"name": "x", "kind": "webhook", "secrets": {"url": 5}}, "secrets.url"),
    ],
)
async def test_a_bad_channel_is_refused_naming_the_field(client, body, field):
    admin = await sign_up(client)

    response = await client.post("/api/v1/channels", json=body, headers=admin.headers)

    assert 400 <= response.status_code < 500, response.text
    assert field in response.text
    assert (await client.get("/api/v1/channels", headers=admin.headers)).json() == []


async def test_a_refused_channel_change_keeps_the_channel_as_it_was(client, hook):
    admin = await sign_up(client)
    await allow_private_targets(client, admin)
    channel = await webhook_channel(client, admin, hook.url("/hook"))

    response = await client.patch(
        f"/api/v1/channels/{channel['id']}",
        json={"name": "Renamed", "secrets": {"url": "http://169.254.169.254/"}},
        headers=admin.headers,
    )

    assert response.status_code == 422 and "secrets.url" in response.json()["error"]["fields"]
    after = (await client.get(f"/api/v1/channels/{channel['id']}", headers=admin.headers)).json()
    assert after["name"] == channel["name"]


@pytest.mark.parametrize(
    ("params", "field"), [({"status": "burning"}, "status"), ({"before": "yesterday"}, "before")]
)
async def test_bad_alert_filters_name_the_parameter(client, params, field):
    admin = await sign_up(client)

    response = await client.get("/api/v1/alerts", params=params, headers=admin.headers)

    assert 400 <= response.status_code < 500 and field in response.text
