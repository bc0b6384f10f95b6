"""The api serves the dashboard for page routes only; every other unknown path is a JSON 404."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import WEB_DIST

pytestmark = pytest.mark.skipif(
    not (WEB_DIST / "index.html").exists(), reason="web/dist is not built: run `make web`"
)

NOT_PAGES = [
    "/metrics",
    "/api/v1/nope",
    "/api/v2/services",
    "/api",
    "/api/v1/ingest/nothing-here",
    "/healthz/extra",
    "/socket.io/x",
    "/favicon.ico",
    "/wp-login.php",
    "/assets/index-Gone0000.js",
    "/assets/nope.js",
    "/assets/nope",
    "/assets/",
    "/assets/fonts/gone.woff2",
    "/theme.js.map",
    "/old-bundle.js/",
    "/services/6f1c2f0e/report.csv",
]


@pytest.mark.parametrize("path", NOT_PAGES)
async def test_unknown_paths_that_are_no_page_answer_a_json_404(client, path):
    response = await client.get(path)

    assert response.status_code == 404, path
    assert response.headers["content-type"].startswith("application/json")
    assert response.json()["error"]["code"] == "not_found"
    assert "<div id" not in response.text


@pytest.mark.parametrize(
    "path", ["/", "/services/6f1c2f0e/checks", "/incidents", "/login", "/reset-password/abc"]
)
async def test_page_routes_load_the_dashboard(client, path):
    response = await client.get(path)

    assert response.status_code == 200, path
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert '<div id="root">' in response.text or "<div id=root>" in response.text


async def test_a_built_asset_is_served_with_its_own_type_and_kept_for_a_year(client):
    asset = next((WEB_DIST / "assets").glob("*.js"))

    response = await client.get(f"/assets/{asset.name}")

    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == "text/javascript"
    assert "immutable" in response.headers["cache-control"]
    assert response.content == asset.read_bytes()
