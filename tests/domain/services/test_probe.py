"""The HTTP probe against real local targets."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from watchdeck.domain.services.probe import (
    CheckSpec,
    ErrorClass,
    Prober,
    format_status_ranges,
    parse_status_ranges,
)

from tests.support.targets import Target, refused_url


def spec(url: str, **options) -> CheckSpec:
    # The local targets listen on 127.0.0.1, a private address.
    return CheckSpec(url=url, **({"service_id": "svc-1", "allow_private": True} | options))


async def test_a_2xx_answer_is_up(prober: Prober, target: Target) -> None:
    before = datetime.now(UTC)
    result = await prober.run(spec(target.url("/health")))

    assert result.ok
    assert not result.degraded
    assert result.service_id == "svc-1"
    assert result.status_code == 200
    assert result.error_class is None and result.error is None
    assert result.latency_ms is not None and result.latency_ms > 0
    assert before <= result.at <= datetime.now(UTC)
    assert result.tls_expires_at is None


async def test_an_unexpected_status_is_down_with_the_code_in_the_message(
    prober: Prober, target: Target
) -> None:
    target.respond(status=503, body="maintenance")
    result = await prober.run(spec(target.url()))

    assert not result.ok
    assert result.status_code == 503
    assert result.error_class is ErrorClass.status
    assert result.error == "expected 200-299, got 503"
    assert result.latency_ms is not None


async def test_custom_status_ranges_accept_a_404(prober: Prober, target: Target) -> None:
    target.respond(status=404, body="not here")

    accepted = await prober.run(spec(target.url(), expected_statuses=[(200, 299), (404, 404)]))
    rejected = await prober.run(spec(target.url()))

    assert accepted.ok and accepted.status_code == 404
    assert not rejected.ok and rejected.error_class is ErrorClass.status


async def test_keyword_present_and_absent(prober: Prober, target: Target) -> None:
    target.respond(body="status: healthy, queue: 3")

    present = await prober.run(spec(target.url(), keyword="healthy"))
    missing = await prober.run(spec(target.url(), keyword="ready"))
    absent = await prober.run(spec(target.url(), keyword="error", keyword_absent=True))
    unwanted = await prober.run(spec(target.url(), keyword="queue", keyword_absent=True))

    assert present.ok
    assert not missing.ok and missing.error_class is ErrorClass.keyword
    assert missing.error == "keyword 'ready' not found"
    assert absent.ok
    assert not unwanted.ok and unwanted.error_class is ErrorClass.keyword
    assert "queue" in unwanted.error


async def test_keyword_is_searched_in_the_first_mebibyte_only(
    prober: Prober, target: Target
) -> None:
    target.respond(body="a" * (1024 * 1024) + "needle" + "b" * 4096)

    result = await prober.run(spec(target.url(), keyword="needle"))

    assert not result.ok and result.error_class is ErrorClass.keyword


async def test_json_path_assertion(prober: Prober, target: Target) -> None:
    document = '{"status": "ok", "checks": [{"name": "db", "ok": true}, {"ok": false}]}'
    target.respond(body=document, headers={"content-type": "application/json"})

    async def check(path: str, expected: str | None = None):
        return await prober.run(spec(target.url(), json_path=path, json_expected=expected))

    assert (await check("$.status", "ok")).ok
    assert (await check("$.checks[0].ok")).ok
    assert (await check("$.checks[0].ok", "True")).ok
    assert (await check("$.checks[0].ok", "true")).ok

    wrong = await check("$.status", "degraded")
    assert not wrong.ok and wrong.error_class is ErrorClass.json
    assert wrong.error == "JSON path $.status: expected 'degraded', got 'ok'"
    falsy = await check("$.checks[1].ok")
    assert not falsy.ok and falsy.error_class is ErrorClass.json
    missing = await check("$.uptime")
    assert not missing.ok and "not found" in missing.error
    invalid_path = await check("$[[[")
    assert not invalid_path.ok and invalid_path.error_class is ErrorClass.json

    target.respond(body="<html>not json</html>")
    not_json = await check("$.status", "ok")
    assert not not_json.ok and not_json.error_class is ErrorClass.json
    assert not_json.error == "response body is not valid JSON"


async def test_a_hanging_target_times_out_within_the_timeout(
    prober: Prober, hanging: Target
) -> None:
    result = await prober.run(spec(hanging.url(), timeout_s=0.5))

    assert not result.ok
    assert result.error_class is ErrorClass.timeout
    assert result.error == "timed out after 0.5 s"
    assert result.status_code is None and result.latency_ms is None


async def test_slow_but_fine_is_degraded(prober: Prober, target: Target) -> None:
    target.respond(delay=0.3)

    slow = await prober.run(spec(target.url(), latency_threshold_ms=100))
    patient = await prober.run(spec(target.url(), latency_threshold_ms=10_000))

    assert slow.ok and slow.degraded
    assert slow.latency_ms is not None and slow.latency_ms >= 300
    assert patient.ok and not patient.degraded


async def test_redirects_followed_or_not(prober: Prober, target: Target) -> None:
    followed = await prober.run(spec(target.url("/redirect?to=/landed")))
    not_followed = await prober.run(spec(target.url("/redirect"), follow_redirects=False))
    accepted = await prober.run(
        spec(target.url("/redirect"), follow_redirects=False, expected_statuses=[(300, 399)])
    )
    looping = await prober.run(spec(target.url("/redirect-loop")))

    assert followed.ok and followed.status_code == 200
    assert [r.path for r in target.requests[:2]] == ["/redirect", "/landed"]
    assert not not_followed.ok and not_followed.status_code == 302
    assert not_followed.error == "expected 200-299, got 302"
    assert accepted.ok and accepted.status_code == 302
    assert not looping.ok and looping.error_class is ErrorClass.redirects


async def test_self_signed_certificate_fails_verification_but_reports_expiry_when_not_verifying(
    prober: Prober, tls_target: Target
) -> None:
    verified = await prober.run(spec(tls_target.url()))
    unverified = await prober.run(spec(tls_target.url(), verify_tls=False))

    assert not verified.ok
    assert verified.error_class is ErrorClass.tls
    assert "certificate" in verified.error.lower()
    assert unverified.ok and unverified.status_code == 200
    assert unverified.tls_expires_at == tls_target.not_after
    assert unverified.tls_expires_at - datetime.now(UTC) > timedelta(days=41)


async def test_method_headers_and_body_are_sent(prober: Prober, target: Target) -> None:
    target.respond(status=201, body="created")
    result = await prober.run(
        spec(
            target.url("/jobs?dry=1"),
            method="POST",
            headers={"X-Token": "s3cret", "Content-Type": "application/json"},
            body='{"ping": true}',
        )
    )

    assert result.ok and result.status_code == 201
    [received] = target.requests
    assert received.method == "POST"
    assert received.path == "/jobs" and received.query == "dry=1"
    assert received.headers["x-token"] == "s3cret"
    assert received.headers["content-type"] == "application/json"
    assert received.headers["user-agent"] == "Watchdeck/0.1 (+health check)"
    assert received.text == '{"ping": true}'


async def test_other_methods_and_an_unknown_one(prober: Prober, target: Target) -> None:
    head = await prober.run(spec(target.url(), method="HEAD"))
    delete = await prober.run(spec(target.url(), method="delete"))
    unknown = await prober.run(spec(target.url(), method="BREW"))

    assert head.ok and delete.ok
    assert [r.method for r in target.requests] == ["HEAD", "DELETE"]
    assert not unknown.ok and unknown.error_class is ErrorClass.other


async def test_connection_refused_is_a_connect_error(prober: Prober) -> None:
    with refused_url() as url:
        result = await prober.run(spec(url, timeout_s=5))

    assert not result.ok
    assert result.error_class is ErrorClass.connect
    assert result.error and len(result.error) <= 500
    assert result.status_code is None


async def test_a_malformed_url_is_a_result_not_an_exception(prober: Prober) -> None:
    result = await prober.run(spec("ftp://127.0.0.1/"))

    assert not result.ok and result.error_class is ErrorClass.other


async def test_many_checks_concurrently(prober: Prober, target: Target) -> None:
    results = await asyncio.gather(
        *(prober.run(spec(target.url(f"/{i}"), service_id=f"svc-{i}")) for i in range(200))
    )

    assert all(r.ok for r in results), [r.error for r in results if not r.ok]
    assert [r.service_id for r in results] == [f"svc-{i}" for i in range(200)]
    assert len(target.requests) == 200


async def test_a_small_prober_queues_checks_beyond_its_capacity(target: Target) -> None:
    target.respond(delay=0.05)
    async with Prober(concurrency=4) as small:
        results = await asyncio.gather(*(small.run(spec(target.url())) for _ in range(20)))

    assert all(r.ok for r in results)


async def test_a_closed_prober_reports_instead_of_raising(target: Target) -> None:
    prober = Prober()
    await prober.aclose()

    result = await prober.run(spec(target.url()))

    assert not result.ok and result.error_class is ErrorClass.other


@pytest.mark.parametrize(
    ("text", "ranges"),
    [
        ("200-299", [(200, 299)]),
        ("200-299, 301,302", [(200, 299), (301, 301), (302, 302)]),
        (" 404 ", [(404, 404)]),
        ("100-599", [(100, 599)]),
        ("200 - 204,", [(200, 204)]),
    ],
)
def test_parse_status_ranges_accepts_codes_and_ranges(text: str, ranges) -> None:
    assert parse_status_ranges(text) == ranges


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        ("", "no status codes"),
        (" , ", "no status codes"),
        ("ok", "invalid status range 'ok'"),
        ("2xx", "invalid status range '2xx'"),
        ("200-", "invalid status range '200-'"),
        ("200-250-299", "invalid status range"),
        ("-5", "invalid status range"),
        ("99", "must be 100..599"),
        ("200-600", "must be 100..599"),
        ("299-200", "start is greater than end"),
    ],
)
def test_parse_status_ranges_rejects_bad_input(text: str, complaint: str) -> None:
    with pytest.raises(ValueError, match=complaint):
        parse_status_ranges(text)


def test_format_status_ranges_round_trips() -> None:
    ranges = [(200, 299), (301, 301), (404, 404)]

    assert format_status_ranges(ranges) == "200-299, 301, 404"
    assert parse_status_ranges(format_status_ranges(ranges)) == ranges
