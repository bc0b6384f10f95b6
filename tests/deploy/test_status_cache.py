"""nginx/watchdeck.conf keeps public status pages for the seconds the api allows, one copy
per Host and encoding, and never keeps an answer meant for one reader."""

from __future__ import annotations

import gzip
import uuid

import httpx
import pytest

from tests.support.accounts import sign_up
from tests.support.services import allow_private_targets, create_service
from tests.support.targets import Target, http_target

PAGE = "<!doctype html><p>All systems operational</p>"


@pytest.fixture
def target():
    with http_target() as running:
        yield running


def _upstream_hits(nginx, path: str) -> int:
    """Requests for `path` that nginx passed on to an api (a cached answer has no address)."""
    return sum(1 for _, uri, _, upstream in nginx.access_log() if uri == path and upstream != "-")


def _answer(target: Target, **headers: str) -> None:
    target.respond(body=PAGE, headers={"content-type": "text/html; charset=utf-8", **headers})


async def test_a_second_reader_of_a_status_page_is_answered_by_nginx(
    clean, start_api, start_nginx, target
):
    api = start_api()
    nginx = start_nginx([api.address])
    slug = f"shop-{uuid.uuid4().hex[:6]}"
    async with httpx.AsyncClient(base_url=nginx.base, timeout=10) as http:
        admin = await sign_up(http)
        await allow_private_targets(http, admin)
        service = await create_service(http, admin, name="checkout", url=target.url("/health"))
        created = await http.post(
            "/api/v1/status-pages",
            json={
                "slug": slug,
                "title": "Shop",
                "components": [{"name": "Checkout", "service_ids": [service["id"]]}],
            },
            headers=admin.headers,
        )
        assert created.status_code == 201, created.text

        first = await http.get(f"/status/{slug}", headers={"accept-encoding": "gzip"})
        second = await http.get(f"/status/{slug}", headers={"accept-encoding": "gzip, br"})
        summary = [await http.get(f"/status/{slug}/api/summary.json") for _ in range(2)]

    assert first.status_code == second.status_code == 200
    assert first.headers["x-cache-status"] == "MISS"
    assert second.headers["x-cache-status"] == "HIT"
    assert second.headers["content-encoding"] == "gzip"
    assert second.text == first.text and "Checkout" in second.text
    assert second.headers["cache-control"] == first.headers["cache-control"]
    assert _upstream_hits(nginx, f"/status/{slug}") == 1
    assert [s.headers["x-cache-status"] for s in summary] == ["MISS", "HIT"]
    assert summary[1].json()["components"][0]["name"] == "Checkout"


async def test_each_host_and_each_encoding_has_its_own_copy(start_nginx, target):
    nginx = start_nginx([target.base_url.removeprefix("http://")])
    target.respond(
        body=gzip.compress(PAGE.encode()),
        headers={
            "content-type": "text/html; charset=utf-8",
            "content-encoding": "gzip",
            "cache-control": "public, max-age=10",
            "vary": "Accept-Encoding",
        },
    )
    async with httpx.AsyncClient(base_url=nginx.base, timeout=10) as http:
        zipped = await http.get("/status/shop", headers={"accept-encoding": "gzip, deflate, br"})
        other_host = await http.get(
            "/status/shop",
            headers={"host": "status.example.com", "accept-encoding": "gzip, deflate, br"},
        )
        _answer(target, **{"cache-control": "public, max-age=10", "vary": "Accept-Encoding"})
        plain = await http.get("/status/shop", headers={"accept-encoding": "identity"})
        plain_again = await http.get("/status/shop", headers={"accept-encoding": "identity"})
        zipped_again = await http.get("/status/shop", headers={"accept-encoding": "gzip"})

    assert [r.headers["x-cache-status"] for r in (zipped, other_host, plain)] == ["MISS"] * 3
    assert [r.headers["x-cache-status"] for r in (plain_again, zipped_again)] == ["HIT"] * 2
    # A reader that cannot unpack gzip never gets the gzipped copy, and the other way round.
    assert "content-encoding" not in plain_again.headers and plain_again.text == PAGE
    assert zipped_again.headers["content-encoding"] == "gzip" and zipped_again.text == PAGE
    # The api is asked in the two words nginx keys on, whatever the browser sent.
    assert [r.headers.get("accept-encoding", "") for r in target.requests] == ["gzip", "gzip", ""]
    # And it still learns the page's Host (custom domains) and the reader's address.
    assert target.requests[1].headers["host"] == "status.example.com"
    assert target.requests[0].headers["x-forwarded-for"] == "127.0.0.1"


@pytest.mark.parametrize(
    "headers",
    [
        {"cache-control": "private"},
        {"cache-control": "private, max-age=10"},
        {"cache-control": "public, max-age=10", "set-cookie": "wd_status_shop=t; Path=/status"},
    ],
    ids=["private", "private-with-max-age", "set-cookie"],
)
async def test_an_answer_for_one_reader_is_never_kept(start_nginx, target, headers):
    nginx = start_nginx([target.base_url.removeprefix("http://")])
    _answer(target, **headers)

    async with httpx.AsyncClient(base_url=nginx.base, timeout=10) as http:
        answers = [await http.get("/status/shop") for _ in range(3)]

    assert all(a.status_code == 200 and a.text == PAGE for a in answers)
    assert "HIT" not in {a.headers["x-cache-status"] for a in answers}
    assert len(target.requests) == 3


async def test_a_reader_who_unlocked_a_page_goes_past_the_cache(start_nginx, target):
    nginx = start_nginx([target.base_url.removeprefix("http://")])
    _answer(target, **{"cache-control": "public, max-age=10"})
    unlocked = {"cookie": "theme=dark; wd_status_shop=signed-token"}

    async with httpx.AsyncClient(base_url=nginx.base, timeout=10) as http:
        with_cookie = [await http.get("/status/shop", headers=unlocked) for _ in range(2)]
        without = await http.get("/status/shop")

    assert [a.headers["x-cache-status"] for a in with_cookie] == ["BYPASS", "BYPASS"]
    # Nothing the unlocked reader was sent was kept for the next reader.
    assert without.headers["x-cache-status"] == "MISS"
    assert len(target.requests) == 3
