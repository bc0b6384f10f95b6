"""The server never reaches inward: monitors and notification channels refuse forbidden targets.

Everything goes through the real API and a real arq worker running the product's jobs in this
process. Forbidden targets are refused on create and update (a 4xx naming the field), and again
when a check or a delivery runs (a failed result that says why), because settings and DNS
answers change after saving. Where a forbidden address is on this machine (loopback, or 0.0.0.0,
which Linux dials as loopback), a real server listens there and must receive nothing.

Names resolving to forbidden addresses are real entries in the machine's /etc/hosts, added for
one test and removed after it: the product has no resolver setting of its own (it uses the
system's, like `getent`), so a DNS server on loopback would never be asked. The same entries
stand in for DNS rebinding: a name vetted while it points at an allowed address is re-pointed
at the metadata address, and the next check and delivery are refused. Within one connection
there is no window to race: the transport resolves the name once and dials exactly the address
it vetted (`targets.vetted_transport`).

A redirect to a private address while the team has not allowed private targets cannot be staged
here, since every local server is itself private; what covers it: every hop is vetted with the
team's setting by the same code as the first (shown with the always-forbidden addresses below),
and a team that turns private targets off has its next check refused at the first hop.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import pytest
from arq.worker import Worker
from watchdeck.domain.services import jobs as service_jobs
from watchdeck.worker import WorkerSettings

from tests.support.accounts import Account, sign_up
from tests.support.alerts import create_channel
from tests.support.services import allow_private_targets, create_service
from tests.support.smtp import SmtpServer, smtp_server
from tests.support.targets import Target, http_target
from tests.support.waiting import eventually

METADATA_SPELLINGS = [
    "http://169.254.169.254/latest/meta-data/",
    "https://169.254.169.254/",
    "http://169.254.169.254:8080/",
    "http://169.254.169.254./",
    "http://2852039166/",
    "http://0xa9fea9fe/",
    "http://0251.0376.0251.0376/",
    "http://0xa9.0xfe.0xa9.0xfe/",
    "http://169.254.43518/",
    "http://[::ffff:169.254.169.254]/",
    "http://[::ffff:a9fe:a9fe]:80/",
    "http://[::169.254.169.254]/",
    "http://[2002:a9fe:a9fe::]/",
    "http://[64:ff9b::a9fe:a9fe]/",
    "http://[fd00:ec2::254]/",
    "http://example.com@169.254.169.254/",
    "http://169.254.0.1/",
    "http://169.254.255.254:443/",
    "http://[fe80::1]/",
    "http://[febf::a9fe:a9fe]/",
    "http://0.0.0.0/",
    "http://[::]/",
    "file:///etc/passwd",
    "gopher://169.254.169.254/",
]
# SMTP hosts are names or addresses, not URLs.
METADATA_HOSTS = [
    "169.254.169.254",
    "2852039166",
    "0xa9fea9fe",
    "0251.0376.0251.0376",
    "::ffff:169.254.169.254",
    "::ffff:a9fe:a9fe",
    "64:ff9b::a9fe:a9fe",
    "2002:a9fe:a9fe::",
    "fe80::1",
    "0.0.0.0",
]
PRIVATE_SPELLINGS = [
    "http://127.0.0.1:9/",
    "http://127.1.2.3/",
    "http://2130706433/",
    "http://[::1]/",
    "http://[::ffff:127.0.0.1]/",
    "http://10.0.0.1/",
    "http://172.16.0.1/",
    "http://172.31.255.255/",
    "http://192.168.1.1/",
    "http://[fc00::1]/",
    "http://[fd12:3456::1]/",
    "http://100.64.0.1/",
    "http://localhost:9/",
]
DAY = 86400  # services' interval, so the scheduler leaves them to check-now in these tests
URL_FIELDS = {"webhook": "url", "slack": "webhook_url", "discord": "webhook_url"}


# --- fixtures ------------------------------------------------------------------------------


@pytest.fixture
async def worker(app) -> AsyncIterator[None]:
    """The product's worker jobs (checks, deliveries, scheduler) running in this process."""
    state = app.state
    running = Worker(
        functions=WorkerSettings.functions,
        redis_pool=state.arq,
        burst=False,
        poll_delay=0.01,
        handle_signals=False,
        keep_result=60,
        on_startup=service_jobs.start,
        on_shutdown=service_jobs.stop,
        ctx={
            "settings": state.settings,
            "engine": state.engine,
            "session_factory": state.session_factory,
        },
    )
    task = asyncio.create_task(running.main())
    yield
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    # Not `running.close()`: that would close the app's own Redis pool too.
    await service_jobs.stop(running.ctx)


@pytest.fixture(scope="module")
def servers_on_loopback() -> Iterator[tuple[Target, Target]]:
    with http_target() as site, http_target() as secret:
        yield site, secret


@pytest.fixture
def site(servers_on_loopback) -> Iterator[Target]:
    """A monitored site or webhook receiver on 127.0.0.1."""
    servers_on_loopback[0].reset()
    yield servers_on_loopback[0]
    servers_on_loopback[0].reset()


@pytest.fixture
def secret(servers_on_loopback) -> Iterator[Target]:
    """An inward server that no refused request may reach."""
    servers_on_loopback[1].reset()
    yield servers_on_loopback[1]
    servers_on_loopback[1].reset()


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    with smtp_server() as server:
        yield server


@pytest.fixture
def hosts_file() -> Iterator[Callable[[str, str], str]]:
    """`point(name, address)` makes the system resolver answer `address` for a fresh name.

    Returns the full name; pointing the same name again re-points it.
    """
    path = Path("/etc/hosts")
    if not os.access(path, os.W_OK):
        pytest.skip("needs a writable /etc/hosts")
    tag = f"wd-ssrf-{uuid.uuid4().hex[:8]}"
    ours: dict[str, str] = {}

    def write() -> None:
        kept = [line for line in path.read_text().splitlines() if tag not in line]
        lines = kept + [f"{address} {name}" for name, address in ours.items()]
        path.write_text("\n".join(lines) + "\n")

    def point(label: str, address: str) -> str:
        name = f"{label}.{tag}.test"
        ours[name] = address
        write()
        return name

    yield point
    ours.clear()
    write()


# --- helpers -------------------------------------------------------------------------------


def refusal(response, field: str) -> str:
    """The message for `field` of a 4xx answer, failing unless the answer names it."""
    assert 400 <= response.status_code < 500, response.text
    fields = response.json()["error"]["fields"]
    assert field in fields, response.text
    return fields[field].lower()


def channel_body(kind: str, target: str) -> dict:
    """A channel of `kind` aimed at `target` (a URL, or for email a host[:port])."""
    if kind == "email":
        host, _, port = target.rpartition(":") if target.count(":") == 1 else (target, "", "")
        return {
            "name": "Mail",
            "kind": "email",
            "config": {
                "to": ["ops@example.com"],
                "from_address": "watchdeck@example.com",
                "smtp_host": host,
                "smtp_port": int(port or 25),
                "security": "none",
            },
        }
    return {"name": kind, "kind": kind, "secrets": {URL_FIELDS[kind]: target}}


def target_field(kind: str) -> str:
    return "config.smtp_host" if kind == "email" else f"secrets.{URL_FIELDS[kind]}"


async def set_private(client, admin: Account, allowed: bool) -> None:
    response = await client.patch(
        "/api/v1/team", json={"allow_private_targets": allowed}, headers=admin.headers
    )
    assert response.status_code == 200, response.text


async def check_now(client, account: Account, service: dict) -> dict:
    response = await client.post(
        f"/api/v1/services/{service['id']}/check-now", headers=account.headers
    )
    assert response.status_code == 200, response.text
    return response.json()


async def send_test(client, account: Account, channel: dict) -> dict:
    response = await client.post(f"/api/v1/channels/{channel['id']}/test", headers=account.headers)
    assert response.status_code == 200, response.text
    return response.json()


async def route_down_alerts(client, admin: Account, channel: dict) -> None:
    rules = (await client.get("/api/v1/alert-rules", headers=admin.headers)).json()
    rule = next(r for r in rules if r["condition"] == "service_down")
    response = await client.patch(
        f"/api/v1/alert-rules/{rule['id']}",
        json={"channel_ids": [channel["id"]]},
        headers=admin.headers,
    )
    assert response.status_code == 200, response.text


async def first_delivery_error(client, admin: Account, channel: dict) -> str:
    """The error of the first attempt the worker made to deliver an alert to `channel`."""

    async def attempted():
        response = await client.get(
            f"/api/v1/channels/{channel['id']}/deliveries", headers=admin.headers
        )
        found = [d for d in response.json() if not d["test"] and d["log"]]
        return found[-1]["log"][0] if found else None

    entry = await eventually(attempted, "a delivery attempt by the worker", timeout=20)
    assert not entry["ok"], entry
    return entry["error"]


# --- refused when saved --------------------------------------------------------------------


async def test_metadata_and_link_local_services_are_refused_in_every_spelling(client):
    admin = await sign_up(client)
    await allow_private_targets(client, admin)  # these stay refused even then
    kept = await create_service(
        client, admin, interval_s=DAY, url="http://127.0.0.1:9/", enabled=False
    )

    for url in METADATA_SPELLINGS:
        created = await client.post(
            "/api/v1/services", json={"name": "Meta", "url": url}, headers=admin.headers
        )
        changed = await client.patch(
            f"/api/v1/services/{kept['id']}", json={"url": url}, headers=admin.headers
        )
        for response in (created, changed):
            message = refusal(response, "url")
            assert "private network" not in message, (url, message)

    services = (await client.get("/api/v1/services", headers=admin.headers)).json()
    assert [s["url"] for s in services] == ["http://127.0.0.1:9/"]


@pytest.mark.parametrize("kind", ["webhook", "slack", "discord", "email"])
async def test_metadata_and_link_local_channels_are_refused_in_every_spelling(client, kind):
    admin = await sign_up(client)
    await allow_private_targets(client, admin)
    allowed = "127.0.0.1:9" if kind == "email" else "http://127.0.0.1:9/"
    kept = await create_channel(client, admin, **channel_body(kind, allowed))
    field = target_field(kind)

    for target in METADATA_HOSTS if kind == "email" else METADATA_SPELLINGS:
        body = channel_body(kind, target)
        created = await client.post("/api/v1/channels", json=body, headers=admin.headers)
        change = {"config": body["config"]} if kind == "email" else {"secrets": body["secrets"]}
        changed = await client.patch(
            f"/api/v1/channels/{kept['id']}", json=change, headers=admin.headers
        )
        for response in (created, changed):
            assert "private network" not in refusal(response, field), target

    channels = (await client.get("/api/v1/channels", headers=admin.headers)).json()
    assert [c["id"] for c in channels] == [kept["id"]]


async def test_private_targets_are_refused_until_an_admin_allows_them(client):
    admin = await sign_up(client)

    for url in PRIVATE_SPELLINGS:
        service = await client.post(
            "/api/v1/services", json={"name": "Inner", "url": url}, headers=admin.headers
        )
        hook = await client.post(
            "/api/v1/channels", json=channel_body("webhook", url), headers=admin.headers
        )
        assert "private" in refusal(service, "url"), url
        assert "private" in refusal(hook, "secrets.url"), url
    mail = await client.post(
        "/api/v1/channels", json=channel_body("email", "10.1.2.3:25"), headers=admin.headers
    )
    assert "private" in refusal(mail, "config.smtp_host")

    await set_private(client, admin, True)
    for url in PRIVATE_SPELLINGS:
        # Paused, so nothing ever dials these while the test runs.
        service = await client.post(
            "/api/v1/services",
            json={"name": "Inner", "url": url, "enabled": False},
            headers=admin.headers,
        )
        hook = await client.post(
            "/api/v1/channels", json=channel_body("webhook", url), headers=admin.headers
        )
        assert (service.status_code, hook.status_code) == (201, 201), (url, service.text)
    for url in ("http://169.254.169.254/", "http://[::ffff:a9fe:a9fe]/", "http://0.0.0.0/"):
        response = await client.post(
            "/api/v1/services", json={"name": "Meta", "url": url}, headers=admin.headers
        )
        assert "private network" not in refusal(response, "url"), url


async def test_names_resolving_to_forbidden_addresses_are_refused(client, hosts_file):
    admin = await sign_up(client)
    names = {
        hosts_file("metadata", "169.254.169.254"): "169.254.169.254",
        hosts_file("mapped", "::ffff:169.254.169.254"): "169.254.169.254",
        hosts_file("linklocal6", "fe80::1"): "fe80::1",
    }
    private = {"localhost": "127.0.0.1", hosts_file("ip6-loopback", "::1"): "::1"}

    for name, address in names.items():
        service = await client.post(
            "/api/v1/services", json={"name": "N", "url": f"http://{name}/"}, headers=admin.headers
        )
        hook = await client.post(
            "/api/v1/channels",
            json=channel_body("slack", f"https://{name}/services/x"),
            headers=admin.headers,
        )
        mail = await client.post(
            "/api/v1/channels", json=channel_body("email", name), headers=admin.headers
        )
        assert address in refusal(service, "url") and "link-local" in refusal(service, "url")
        assert address in refusal(hook, "secrets.webhook_url")
        assert address in refusal(mail, "config.smtp_host")
    for name, address in private.items():
        service = await client.post(
            "/api/v1/services", json={"name": "N", "url": f"http://{name}/"}, headers=admin.headers
        )
        assert address in refusal(service, "url") and "private" in refusal(service, "url")


# --- refused when run ----------------------------------------------------------------------


async def test_turning_private_targets_off_stops_checks_and_deliveries_at_once(
    client, worker, site, smtp
):
    admin = await sign_up(client)
    await allow_private_targets(client, admin)
    hook = await create_channel(client, admin, **channel_body("webhook", site.url("/hook")))
    mail = await create_channel(client, admin, **channel_body("email", f"127.0.0.1:{smtp.port}"))
    await route_down_alerts(client, admin, hook)
    service = await create_service(
        client, admin, interval_s=DAY, url=site.url("/health"), failures_before_down=1
    )
    assert (await send_test(client, admin, hook))["status"] == "sent"

    await set_private(client, admin, False)
    site.reset()
    checked = await check_now(client, admin, service)
    tested = [await send_test(client, admin, channel) for channel in (hook, mail)]
    alerted = await first_delivery_error(client, admin, hook)

    assert not checked["ok"] and "refused" in checked["error"]
    assert "private network address (127.0.0.1)" in checked["error"]
    for delivery in tested:
        assert delivery["status"] == "failed"
        assert "target refused" in delivery["last_error"]
        assert "127.0.0.1" in delivery["last_error"]
    assert "target refused" in alerted and "127.0.0.1" in alerted
    assert site.requests == [] and smtp.messages == []


async def test_a_name_re_pointed_at_the_metadata_address_is_refused_when_used(
    client, worker, site, smtp, hosts_file
):
    admin = await sign_up(client)
    await allow_private_targets(client, admin)
    name = hosts_file("rebind", "127.0.0.1")
    port = site.url().rsplit(":", 1)[1].rstrip("/")
    service = await create_service(
        client, admin, interval_s=DAY, url=f"http://{name}:{port}/health"
    )
    hook = await create_channel(client, admin, **channel_body("discord", f"http://{name}:{port}/d"))
    mail = await create_channel(client, admin, **channel_body("email", f"{name}:{smtp.port}"))
    assert (await check_now(client, admin, service))["ok"]
    assert (await send_test(client, admin, hook))["status"] == "sent"
    assert (await send_test(client, admin, mail))["status"] == "sent"
    site.reset()
    smtp_before = len(smtp.messages)

    hosts_file("rebind", "169.254.169.254")
    checked = await check_now(client, admin, service)
    tested = [await send_test(client, admin, channel) for channel in (hook, mail)]

    assert not checked["ok"] and "target refused" in checked["error"]
    assert "link-local or metadata address (169.254.169.254)" in checked["error"]
    for delivery in tested:
        assert delivery["status"] == "failed"
        assert "169.254.169.254" in delivery["last_error"], delivery
    assert site.requests == [] and len(smtp.messages) == smtp_before


# --- redirects -----------------------------------------------------------------------------


FORBIDDEN_REDIRECTS = {
    "http://169.254.169.254/latest/meta-data/": "link-local or metadata address (169.254.169.254)",
    "http://2852039166/": "link-local or metadata address (169.254.169.254)",
    "http://[::ffff:a9fe:a9fe]/": "link-local or metadata address (::ffff:169.254.169.254)",
    "http://[64:ff9b::a9fe:a9fe]/": "link-local or metadata address (64:ff9b::a9fe:a9fe)",
    "http://user@127.0.0.1/": "must not contain a user name",
    "file:///etc/passwd": "must be an http or https url",
    "gopher://127.0.0.1:6379/_FLUSHALL": "must be an http or https url",
}


async def test_a_check_does_not_follow_a_redirect_to_a_forbidden_place(client, worker, site):
    admin = await sign_up(client)
    await allow_private_targets(client, admin)

    for location, reason in FORBIDDEN_REDIRECTS.items():
        site.reset()
        service = await create_service(
            client, admin, url=site.url(f"/redirect?to={location}"), enabled=False
        )

        checked = await check_now(client, admin, service)

        assert not checked["ok"] and checked["status_code"] is None, location
        error = checked["error"].lower()
        assert error.startswith("redirect to ") and reason in error, (location, error)
        assert [r.path for r in site.requests] == ["/redirect"], location


async def test_a_redirect_to_the_unspecified_address_never_reaches_loopback(
    client, worker, site, secret
):
    """0.0.0.0 is dialled as this machine by Linux: a classic way past a loopback filter."""
    admin = await sign_up(client)
    await allow_private_targets(client, admin)
    inward = secret.url("/admin").replace("127.0.0.1", "0.0.0.0")
    service = await create_service(
        client, admin, url=site.url(f"/redirect?to={inward}"), enabled=False
    )

    checked = await check_now(client, admin, service)

    assert not checked["ok"]
    assert "redirect to http://0.0.0.0" in checked["error"]
    assert "unspecified address" in checked["error"]
    assert secret.requests == []


@pytest.mark.parametrize("kind", ["webhook", "slack", "discord"])
async def test_channel_deliveries_never_follow_redirects(client, worker, site, secret, kind):
    admin = await sign_up(client)
    await allow_private_targets(client, admin)
    site.respond(status=307, body="", headers={"location": secret.url("/hook")})
    channel = await create_channel(client, admin, **channel_body(kind, site.url("/hook")))

    tested = await send_test(client, admin, channel)

    assert tested["status"] == "failed" and "HTTP 307" in tested["last_error"]
    assert secret.requests == [] and len(site.requests) == 1


async def test_an_alert_delivery_to_a_redirecting_webhook_stops_there(client, worker, site, secret):
    admin = await sign_up(client)
    await allow_private_targets(client, admin)
    inward = secret.url("/latest/meta-data/").replace("127.0.0.1", "0.0.0.0")
    site.respond(status=302, body="", headers={"location": inward}, path="/hook")
    site.respond(status=500, body="broken", path="/health")
    hook = await create_channel(client, admin, **channel_body("webhook", site.url("/hook")))
    await route_down_alerts(client, admin, hook)
    service = await create_service(
        client, admin, interval_s=DAY, url=site.url("/health"), failures_before_down=1
    )

    assert not (await check_now(client, admin, service))["ok"]
    error = await first_delivery_error(client, admin, hook)

    assert "HTTP 302" in error
    assert secret.requests == []
