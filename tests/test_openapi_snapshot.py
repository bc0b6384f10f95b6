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
