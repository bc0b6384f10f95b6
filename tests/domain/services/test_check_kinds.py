"""tcp, ping, dns and tls services end to end: created through the API, probed for real
against local servers, stored as a worker stores them (status, incidents, figures)."""

from __future__ import annotations

import trustme
from watchdeck.domain.services.probe import Prober

from tests.support.accounts import sign_up
from tests.support.network_targets import closed_port, dns_server, tcp_server, tls_server
from tests.support.services import allow_private_targets, check_once, create_service


async def _admin(client):
    admin = await sign_up(client)
    await allow_private_targets(client, admin)
    return admin


async def _state(client, admin, service):
    response = await client.get(f"/api/v1/services/{service['id']}", headers=admin.headers)
    return response.json()


async def _incident_titles(client, admin):
    response = await client.get("/api/v1/incidents", headers=admin.headers)
    return [i["title"] for i in response.json()["items"]]


# ── tcp ───────────────────────────────────────────────────────────────────────────────────


async def test_a_tcp_service_is_up_while_its_port_answers_and_down_once_it_closes(
    client, app, prober
):
    admin = await _admin(client)
    async with tcp_server(banner=b"SSH-2.0-OpenSSH_9.6\r\n") as port:
        service = await create_service(
            client, admin, name="bastion ssh", kind="tcp", host="127.0.0.1", port=port,
            keyword="SSH-2.0", failures_before_down=1,
        )  # fmt: skip
        await check_once(app, service["id"], prober)
        up = await _state(client, admin, service)
    await check_once(app, service["id"], prober)
    down = await _state(client, admin, service)

    assert up["status"] == "up"
    assert up["last_latency_ms"] > 0
    assert down["status"] == "down"
    assert down["last_error"] == "connection failed: connection refused"
    assert "bastion ssh is down" in await _incident_titles(client, admin)


async def test_a_tcp_reply_without_the_expected_text_is_down(client, app, prober):
    admin = await _admin(client)
    async with tcp_server(echo=True) as port:
        service = await create_service(
            client, admin, kind="tcp", host="127.0.0.1", port=port, body="PING\r\n",
            keyword="+PONG", failures_before_down=1,
        )  # fmt: skip
        await check_once(app, service["id"], prober)

    state = await _state(client, admin, service)
    assert state["status"] == "down"
    assert state["last_error"] == "'+PONG' not found in the reply"


# ── ping ──────────────────────────────────────────────────────────────────────────────────


async def test_pinging_loopback_is_up_with_loss_and_round_trips(client, app, prober):
    admin = await _admin(client)
    service = await create_service(
        client, admin, kind="ping", host="127.0.0.1", ping_count=3, interval_s=30
    )

    await check_once(app, service["id"], prober)

    state = await _state(client, admin, service)
    assert state["status"] == "up", state["last_error"]
    figures = state["last_figures"]
    assert figures["sent"] == 3 and figures["received"] == 3 and figures["loss_pct"] == 0
    assert 0 < figures["rtt_min_ms"] <= figures["rtt_avg_ms"] <= figures["rtt_max_ms"]
    assert state["last_latency_ms"] == figures["rtt_avg_ms"]


# ── dns ───────────────────────────────────────────────────────────────────────────────────


async def test_a_dns_service_follows_the_record_the_server_answers(client, app, prober):
    admin = await _admin(client)
    with dns_server() as (zone, port):
        zone.set("api.internal.test", "A", "10.0.0.5", "10.0.0.6")
        service = await create_service(
            client, admin, name="api record", kind="dns", host="api.internal.test",
            dns_server=f"127.0.0.1:{port}", dns_expected=["10.0.0.5"], failures_before_down=1,
        )  # fmt: skip
        await check_once(app, service["id"], prober)
        up = await _state(client, admin, service)
        zone.set("api.internal.test", "A", "10.0.0.9")
        await check_once(app, service["id"], prober)
        moved = await _state(client, admin, service)

    assert up["status"] == "up"
    assert up["last_figures"]["answers"] == ["10.0.0.5", "10.0.0.6"]
    assert moved["status"] == "down"
    assert moved["last_error"] == ("expected any of 10.0.0.5; missing 10.0.0.5; got 10.0.0.9")


async def test_dns_all_of_the_expected_values_must_be_answered(client, app, prober):
    admin = await _admin(client)
    with dns_server() as (zone, port):
        zone.set("example.test", "MX", "10 mx1.example.test.", "20 mx2.example.test.")
        both = await create_service(
            client, admin, kind="dns", host="example.test", dns_record_type="MX",
            dns_server=f"127.0.0.1:{port}", dns_expected=["mx1.example.test", "mx2.example.test"],
            dns_match="all", failures_before_down=1,
        )  # fmt: skip
        missing = await create_service(
            client, admin, kind="dns", host="example.test", dns_record_type="MX",
            dns_server=f"127.0.0.1:{port}", dns_expected=["mx1.example.test", "mx3.example.test"],
            dns_match="all", failures_before_down=1,
        )  # fmt: skip
        await check_once(app, both["id"], prober)
        await check_once(app, missing["id"], prober)

    assert (await _state(client, admin, both))["status"] == "up"
    failed = await _state(client, admin, missing)
    assert failed["status"] == "down"
    assert "missing mx3.example.test" in failed["last_error"]


async def test_nxdomain_and_servfail_are_down(client, app, prober):
    admin = await _admin(client)
    with dns_server() as (zone, port):
        zone.failing.add("broken.test")
        gone = await create_service(
            client, admin, kind="dns", host="gone.test", dns_server=f"127.0.0.1:{port}",
            failures_before_down=1,
        )  # fmt: skip
        broken = await create_service(
            client, admin, kind="dns", host="broken.test", dns_server=f"127.0.0.1:{port}",
            failures_before_down=1,
        )  # fmt: skip
        await check_once(app, gone["id"], prober)
        await check_once(app, broken["id"], prober)

    gone_state = await _state(client, admin, gone)
    broken_state = await _state(client, admin, broken)
    assert gone_state["status"] == "down"
    assert gone_state["last_error"] == "NXDOMAIN: gone.test does not exist"
    assert broken_state["status"] == "down"
    assert broken_state["last_error"] == "SERVFAIL: no server answered for broken.test"


# ── tls ───────────────────────────────────────────────────────────────────────────────────


async def test_a_trusted_certificate_is_up_with_its_days_left(client, app, tmp_path):
    admin = await _admin(client)
    ca = trustme.CA()
    ca_file = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    async with tls_server(ca, "127.0.0.1", days=90) as port, Prober(ca_file=str(ca_file)) as p:
        service = await create_service(client, admin, kind="tls", host="127.0.0.1", port=port)
        await check_once(app, service["id"], p)
    state = await _state(client, admin, service)

    assert state["status"] == "up", state["last_error"]
    assert state["last_figures"]["days_left"] in (89, 90)
    assert state["tls_expires_at"] is not None


async def test_a_certificate_close_to_expiry_is_degraded(client, app, tmp_path):
    admin = await _admin(client)
    ca = trustme.CA()
    ca_file = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    async with tls_server(ca, "127.0.0.1", days=5) as port, Prober(ca_file=str(ca_file)) as p:
        service = await create_service(
            client, admin, kind="tls", host="127.0.0.1", port=port, tls_warn_days=14
        )
        await check_once(app, service["id"], p)
    state = await _state(client, admin, service)

    assert state["status"] == "degraded"
    assert state["last_figures"]["days_left"] in (4, 5)


async def test_self_signed_expired_and_misnamed_certificates_are_down(client, app, tmp_path):
    admin = await _admin(client)
    trusted = trustme.CA()
    ca_file = tmp_path / "ca.pem"
    trusted.cert_pem.write_to_path(str(ca_file))
    states = {}
    async with Prober(ca_file=str(ca_file)) as prober:
        for case, ca, names, expired in (
            ("untrusted", trustme.CA(), ("127.0.0.1",), False),
            ("expired", trusted, ("127.0.0.1",), True),
            ("misnamed", trusted, ("other.example",), False),
        ):
            async with tls_server(ca, *names, expired=expired) as port:
                service = await create_service(
                    client, admin, name=case, kind="tls", host="127.0.0.1", port=port,
                    failures_before_down=1,
                )  # fmt: skip
                await check_once(app, service["id"], prober)
            states[case] = await _state(client, admin, service)

    assert {case: s["status"] for case, s in states.items()} == dict.fromkeys(states, "down")
    assert (
        "self-signed" in states["untrusted"]["last_error"]
        or "unable to get local issuer" in (states["untrusted"]["last_error"])
    )
    assert "expired" in states["expired"]["last_error"]
    assert states["expired"]["last_figures"]["days_left"] < 0
    assert "mismatch" in states["misnamed"]["last_error"].lower()


async def test_an_expired_certificate_is_down_even_with_verification_off(client, app, prober):
    admin = await _admin(client)
    async with tls_server(trustme.CA(), "127.0.0.1", expired=True) as port:
        service = await create_service(
            client, admin, kind="tls", host="127.0.0.1", port=port, verify_tls=False,
            failures_before_down=1,
        )  # fmt: skip
        await check_once(app, service["id"], prober)
    state = await _state(client, admin, service)

    assert state["status"] == "down"
    assert state["last_error"].startswith("certificate expired on ")


# ── fields ────────────────────────────────────────────────────────────────────────────────


async def _refused(client, admin, body):
    response = await client.post(
        "/api/v1/services", json={"name": "x"} | body, headers=admin.headers
    )
    assert response.status_code == 422, response.text
    return response.json()["error"]["fields"]


async def test_each_kind_refuses_what_it_lacks_or_does_not_use_naming_the_field(client):
    admin = await _admin(client)
    port = closed_port()

    assert await _refused(client, admin, {"kind": "tcp", "host": "127.0.0.1"}) == {
        "port": "required for a tcp service"
    }
    assert await _refused(client, admin, {"kind": "ping"}) == {
        "host": "required for a ping service"
    }
    assert "url" in await _refused(
        client, admin, {"kind": "tcp", "host": "127.0.0.1", "port": port, "url": "http://x/"}
    )
    assert "port" in await _refused(client, admin, {"kind": "ping", "host": "127.0.0.1", "port": 1})
    assert "dns_expected" in await _refused(
        client, admin, {"kind": "tls", "host": "127.0.0.1", "dns_expected": ["a"]}
    )
    assert "keyword" in await _refused(
        client, admin, {"kind": "dns", "host": "example.test", "keyword": "x"}
    )
    assert "dns_server" in await _refused(
        client, admin, {"kind": "dns", "host": "example.test", "dns_server": "10.0.0.1:99999"}
    )
    assert "dns_record_type" in await _refused(
        client, admin, {"kind": "dns", "host": "example.test", "dns_record_type": "PTR"}
    )
    assert "ping_count" in await _refused(
        client, admin, {"kind": "ping", "host": "127.0.0.1", "ping_count": 50}
    )
    listed = (await client.get("/api/v1/services", headers=admin.headers)).json()
    assert listed == []


async def test_the_target_policy_of_http_applies_to_hosts_and_dns_servers(client):
    admin = await sign_up(client)

    private = await _refused(client, admin, {"kind": "tcp", "host": "10.1.2.3", "port": 5432})
    metadata = await _refused(client, admin, {"kind": "ping", "host": "169.254.169.254"})
    server = await _refused(
        client, admin, {"kind": "dns", "host": "example.test", "dns_server": "192.168.1.1"}
    )
    await allow_private_targets(client, admin)
    still_metadata = await _refused(client, admin, {"kind": "tls", "host": "169.254.169.254"})
    allowed = await create_service(client, admin, kind="tcp", host="10.1.2.3", port=5432)

    assert "private" in private["host"]
    assert "metadata" in metadata["host"]
    assert "private" in server["dns_server"]
    assert "metadata" in still_metadata["host"]
    assert allowed["host"] == "10.1.2.3" and allowed["port"] == 5432


async def test_a_tls_service_checks_port_443_unless_told(client):
    admin = await _admin(client)

    service = await create_service(client, admin, kind="tls", host="127.0.0.1")

    assert service["port"] == 443
    assert service["url"] is None
