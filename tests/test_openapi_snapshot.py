"""The web client is checked against `web/src/api/openapi.json`; that file must match the API."""

from __future__ import annotations

import json
from pathlib import Path

SNAPSHOT = Path(__file__).resolve().parents[1] / "web" / "src" / "api" / "openapi.json"


def test_the_web_clients_openapi_snapshot_matches_the_api(app):
    current = json.loads(json.dumps(app.openapi_schema.to_schema()))

    snapshot = json.loads(SNAPSHOT.read_text())

    changed = sorted(set(current["paths"]) ^ set(snapshot["paths"]))
    assert changed == [], f"routes differ: {changed}; run `make openapi`"
    assert snapshot == current, "the API's schema changed; run `make openapi`"


def _refs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            elif key == "mapping":
                yield from value.values()
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


def test_every_reference_in_the_schema_names_a_component(app):
    document = app.openapi_schema.to_schema()
    components = set(document["components"]["schemas"])

    missing = {ref for ref in _refs(document) if ref.rsplit("/", 1)[-1] not in components}

    assert missing == set()


def test_a_channel_is_documented_with_the_settings_of_its_kind(app):
    schemas = app.openapi_schema.to_schema()["components"]["schemas"]

    created = schemas["ChannelIn"]
    webhook = schemas[created["discriminator"]["mapping"]["webhook"].rsplit("/", 1)[-1]]
    secrets = schemas[webhook["properties"]["secrets"]["$ref"].rsplit("/", 1)[-1]]

    assert created["discriminator"]["propertyName"] == "kind"
    assert sorted(created["discriminator"]["mapping"]) == ["discord", "email", "slack", "webhook"]
    assert webhook["properties"]["kind"]["const"] == "webhook"
    assert "signing_secret" in secrets["properties"]
    assert "X-Watchdeck-Signature" in secrets["properties"]["signing_secret"]["description"]
    assert secrets["required"] == ["url"]
    change = schemas["ChannelPatch"]["anyOf"]
    assert len(change) == 4
    listed = schemas["ChannelOut"]["oneOf"]
    assert len(listed) == 4
