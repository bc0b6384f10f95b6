"""Readers subscribe to a status page by email or webhook, confirm by the link sent, hear of
each published update of the components they chose, and leave by the link in every
message. Real SMTP server, real HTTP receiver, real arq jobs."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterator

import msgspec
import pytest
from sqlalchemy import select
from watchdeck.domain.statuspages import delivery, subscribers
from watchdeck.domain.statuspages.models import (
    Impact,
    NoticeStatus,
    PublicIncident,
    PublicUpdate,
    Subscriber,
)
from watchdeck.domain.statuspages.subscribers import Purpose

from tests.support.accounts import add_member, sign_up
from tests.support.jobs import drain
from tests.support.smtp import SmtpServer, smtp_server
from tests.support.statuspages import component, create_page
from tests.support.targets import Target, http_target

PUBLIC_URL = "https://status.acme.example"
CONFIRM = re.compile(re.escape(PUBLIC_URL) + r"(/status/acme/subscribe/confirm\?token=[\w.-]+)")
LEAVE = re.compile(re.escape(PUBLIC_URL) + r"(/status/acme/unsubscribe\?token=[\w.-]+)")
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


@pytest.fixture(scope="module")
def _smtp() -> Iterator[SmtpServer]:
    with smtp_server() as server:
        yield server


@pytest.fixture
def smtp(_smtp: SmtpServer) -> Iterator[SmtpServer]:
    _smtp.reset()
    yield _smtp
    _smtp.reset()


def _configure(app, **fields) -> Iterator[None]:
    original = app.state.settings
    app.state.settings = msgspec.structs.replace(original, public_url=PUBLIC_URL, **fields)
    try:
        yield
    finally:
        app.state.settings = original


@pytest.fixture
def instance(running_app, smtp: SmtpServer) -> Iterator[None]:
    """The instance sends mail through the test SMTP server; its pages are at PUBLIC_URL."""
    yield from _configure(
        running_app,
        smtp_host=smtp.host,
        smtp_port=smtp.port,
        smtp_from="status@acme.example",
        smtp_starttls=False,
    )


@pytest.fixture
def local_hooks(running_app) -> Iterator[None]:
    """Webhook subscribers may name this machine, where the test receiver listens."""
    yield from _configure(running_app, subscriber_webhook_allow_private=True)


@pytest.fixture
def receiver() -> Iterator[Target]:
    with http_target() as target:
        yield target


async def _page(client):
    """Team, page "acme" with components Payments and API; returns (admin, page, ids)."""
    admin = await sign_up(client, team_name="Acme internal")
    hosts = [
        (await client.post("/api/v1/hosts", json={"name": n}, headers=admin.headers)).json()["host"]
        for n in ("pay-1", "api-1")
    ]
    page = await create_page(
        client,
        admin,
        components=[component("Payments", hosts=hosts[:1]), component("API", hosts=hosts[1:])],
    )
    ids = {c["name"]: c["id"] for c in page["components"]}
    return admin, page, ids


def _text(mail) -> str:
    return mail.get_body(preferencelist=("plain",)).get_content()


def _mails_to(smtp: SmtpServer, address: str) -> list:
    return [m for m, e in zip(smtp.messages, smtp.envelopes, strict=True) if address in e.rcpt_tos]


async def _subscribe(client, email: str, components=()) -> None:
    answer = await client.post(
        "/status/acme/subscribe", json={"email": email, "components": list(components)}
    )
    assert answer.status_code == 202, answer.text


async def _confirmed(client, app, smtp: SmtpServer, email: str, components=()) -> None:
    """Sign `email` up and open the link mailed to it."""
    await _subscribe(client, email, components)
    await drain(app)
    link = CONFIRM.search(_text(_mails_to(smtp, email)[-1])).group(1)
    assert (await client.get(link)).status_code == 200


async def _publish(
    app, admin, page, title: str, components=(), body: str = "We are looking into it."
) -> uuid.UUID:
    """Publish a notice with its first update to `page`, tell subscribers, run the jobs."""
    async with app.state.session_factory() as session:
        notice = PublicIncident(
            team_id=admin.team_id,
            title=title,
            impact=Impact.partial_outage,
            status=NoticeStatus.investigating,
            page_ids=[uuid.UUID(page["id"])],
            component_ids=[uuid.UUID(c) for c in components],
        )
        notice.updates.append(PublicUpdate(status=NoticeStatus.investigating, body=body))
        session.add(notice)
        await session.commit()
        notice_id, update_id = notice.id, notice.updates[0].id
    await delivery.queue_update(app.state.redis, update_id)
    await drain(app)
    return notice_id


async def test_a_reader_subscribes_confirms_by_mail_and_hears_of_their_component(
    client, running_app, smtp, instance
):
    admin, page, ids = await _page(client)

    form = await client.get("/status/acme/subscribe")
    assert form.status_code == 200
    assert "Payments" in form.text and "API" in form.text and "<script" not in form.text
    answer = await client.post(
        "/status/acme/subscribe",
        content=f"email=Reader%40Example.net&components={ids['Payments']}",
        headers=FORM,
    )
    assert answer.status_code == 200
    assert "Check your inbox" in answer.text
    await drain(running_app)

    (invitation,) = smtp.messages
    assert smtp.envelopes[0].rcpt_tos == ("reader@example.net",)
    assert invitation["Subject"] == "Acme: confirm your subscription"
    assert "Payments" in _text(invitation)
    link = CONFIRM.search(_text(invitation)).group(1)
    confirmed = await client.get(link)
    assert confirmed.status_code == 200 and "Subscribed" in confirmed.text
    assert (await client.get(link)).status_code == 200  # opening it again is fine

    notice_id = await _publish(
        running_app, admin, page, "Card payments failing", [ids["Payments"]], "Cards decline."
    )

    update = smtp.messages[-1]
    assert len(smtp.messages) == 2
    assert update["Subject"] == "Acme: Card payments failing — Investigating"
    text = _text(update)
    assert "Cards decline." in text and "Impact: Partial outage" in text
    assert "Affected: Payments" in text and "API" not in text
    assert f"{PUBLIC_URL}/status/acme/incidents/{notice_id}" in text
    leave = LEAVE.search(text).group(0)
    assert update["List-Unsubscribe"] == f"<{leave}>"
    assert update["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "Acme internal" not in text and "pay-1" not in text


async def test_each_subscriber_hears_only_of_the_components_they_chose(
    client, running_app, smtp, instance
):
    admin, page, ids = await _page(client)
    await _confirmed(client, running_app, smtp, "payments@example.net", [ids["Payments"]])
    await _confirmed(client, running_app, smtp, "api@example.net", [ids["API"]])
    await _confirmed(client, running_app, smtp, "all@example.net")

    await _publish(running_app, admin, page, "Card payments failing", [ids["Payments"]])
    await _publish(running_app, admin, page, "Maintenance notice", [])

    def subjects(address: str) -> list[str]:
        return [m["Subject"] for m in _mails_to(smtp, address)[1:]]  # after the confirmation

    assert subjects("payments@example.net") == [
        "Acme: Card payments failing — Investigating",
        "Acme: Maintenance notice — Investigating",
    ]
    assert subjects("api@example.net") == ["Acme: Maintenance notice — Investigating"]
    assert subjects("all@example.net") == [
        "Acme: Card payments failing — Investigating",
        "Acme: Maintenance notice — Investigating",
    ]


async def test_an_unconfirmed_subscriber_gets_nothing(client, running_app, smtp, instance):
    admin, page, _ = await _page(client)
    await _subscribe(client, "later@example.net")
    await drain(running_app)

    await _publish(running_app, admin, page, "Everything is slow")

    assert [m["Subject"] for m in smtp.messages] == ["Acme: confirm your subscription"]


async def test_an_update_queued_twice_is_mailed_once(client, running_app, smtp, instance):
    admin, page, _ = await _page(client)
    await _confirmed(client, running_app, smtp, "once@example.net")
    async with running_app.state.session_factory() as session:
        notice = PublicIncident(
            team_id=admin.team_id,
            title="Slow checkout",
            impact=Impact.degraded_performance,
            status=NoticeStatus.identified,
            page_ids=[uuid.UUID(page["id"])],
        )
        notice.updates.append(PublicUpdate(status=NoticeStatus.identified, body="Found it."))
        session.add(notice)
        await session.commit()
        update_id = notice.updates[0].id

    for _ in range(2):
        await delivery.queue_update(running_app.state.redis, update_id)
        await drain(running_app)

    assert [m["Subject"] for m in smtp.messages[1:]] == ["Acme: Slow checkout — Identified"]


async def test_unsubscribing_works_once_and_opening_the_link_changes_nothing(
    client, running_app, smtp, instance
):
    admin, page, _ = await _page(client)
    await _confirmed(client, running_app, smtp, "leaving@example.net")
    await _confirmed(client, running_app, smtp, "oneclick@example.net")
    await _publish(running_app, admin, page, "First")
    leave = LEAVE.search(_text(_mails_to(smtp, "leaving@example.net")[-1])).group(1)
    one_click = _mails_to(smtp, "oneclick@example.net")[-1]["List-Unsubscribe"]

    opened = await client.get(leave)
    token = leave.split("token=")[1]
    assert opened.status_code == 200 and f'value="{token}"' in opened.text
    assert "leaving@example.net" not in opened.text
    await _publish(running_app, admin, page, "Second")  # opening the link left nothing
    assert len(_mails_to(smtp, "leaving@example.net")) == 3

    first = await client.post("/status/acme/unsubscribe", content=f"token={token}", headers=FORM)
    again = await client.post("/status/acme/unsubscribe", content=f"token={token}", headers=FORM)
    clicked = await client.post(
        one_click.strip("<>").removeprefix(PUBLIC_URL),
        content="List-Unsubscribe=One-Click",
        headers=FORM,
    )
    await _publish(running_app, admin, page, "Third")

    assert first.status_code == 200 and "no more incident updates" in first.text
    assert again.status_code == 200 and "already unsubscribed" in again.text
    assert clicked.status_code == 200 and "no more incident updates" in clicked.text
    assert "already unsubscribed" in (await client.get(leave)).text
    assert len(_mails_to(smtp, "leaving@example.net")) == 3
    assert len(_mails_to(smtp, "oneclick@example.net")) == 3


async def test_signing_up_again_answers_the_same_and_changes_no_choice(
    client, running_app, smtp, instance
):
    admin, page, ids = await _page(client)
    await _confirmed(client, running_app, smtp, "known@example.net", [ids["API"]])

    again = await client.post(
        "/status/acme/subscribe",
        content=f"email=known%40example.net&components={ids['Payments']}",
        headers=FORM,
    )
    new = await client.post(
        "/status/acme/subscribe", content="email=new%40example.net", headers=FORM
    )
    await drain(running_app)

    assert again.status_code == new.status_code == 200
    assert again.text == new.text
    note = _mails_to(smtp, "known@example.net")[-1]
    assert note["Subject"] == "Acme: you are already subscribed"
    assert "You hear about: API." in _text(note)
    listed = await client.get(
        f"/api/v1/status-pages/{page['id']}/subscribers", headers=admin.headers
    )
    known = next(s for s in listed.json()["items"] if s["address"] == "known@example.net")
    assert known["component_ids"] == [ids["API"]]


async def test_a_webhook_subscriber_confirms_by_the_posted_link_and_receives_json(
    client, running_app, receiver, local_hooks
):
    admin, page, ids = await _page(client)

    answer = await client.post(
        "/status/acme/subscribe",
        json={"webhook_url": receiver.url("/hook?key=abc"), "components": [ids["API"]]},
    )
    await drain(running_app)

    assert answer.status_code == 202
    (posted,) = receiver.requests
    assert posted.method == "POST" and posted.path == "/hook" and posted.query == "key=abc"
    confirmation = json.loads(posted.body)
    assert confirmation["type"] == "subscription_confirmation"
    assert confirmation["page"] == {
        "slug": "acme",
        "title": "Acme",
        "url": f"{PUBLIC_URL}/status/acme",
    }
    confirmed = await client.get(confirmation["confirm_url"].removeprefix(PUBLIC_URL))
    assert confirmed.status_code == 200

    notice_id = await _publish(running_app, admin, page, "API errors", [ids["API"]], "5xx rising")

    assert len(receiver.requests) == 2
    event = json.loads(receiver.requests[-1].body)
    at = event["update"].pop("at")
    assert event == {
        "page": {"slug": "acme", "title": "Acme", "url": f"{PUBLIC_URL}/status/acme"},
        "incident": {
            "id": str(notice_id),
            "title": "API errors",
            "impact": "partial_outage",
            "status": "investigating",
            "url": f"{PUBLIC_URL}/status/acme/incidents/{notice_id}",
        },
        "update": {"status": "investigating", "body": "5xx rising"},
        "components": ["API"],
    }
    assert at.startswith("20")
    assert receiver.requests[-1].headers["content-type"] == "application/json"
    assert "unsubscribe" in receiver.requests[-1].headers["list-unsubscribe"]


async def test_a_private_webhook_url_is_refused_naming_the_field(client, receiver):
    await _page(client)

    as_json = await client.post(
        "/status/acme/subscribe", json={"webhook_url": receiver.url("/hook")}
    )
    as_form = await client.post(
        "/status/acme/subscribe",
        content=f"webhook_url={receiver.url('/hook')}",
        headers=FORM,
    )
    metadata = await client.post(
        "/status/acme/subscribe", json={"webhook_url": "http://169.254.169.254/latest/"}
    )

    assert as_json.status_code == 400
    assert "private network" in as_json.json()["error"]["fields"]["webhook_url"]
    assert as_form.status_code == 400 and "private network" in as_form.text
    assert 'id="webhook_url"' in as_form.text and 'aria-invalid="true"' in as_form.text
    assert "link-local" in metadata.json()["error"]["fields"]["webhook_url"]
    assert receiver.requests == []


async def test_a_bad_email_or_component_is_refused_naming_the_field(client, instance):
    _, _, ids = await _page(client)

    bad = await client.post("/status/acme/subscribe", json={"email": "not-an-address"})
    empty = await client.post("/status/acme/subscribe", content="email=", headers=FORM)
    foreign = await client.post(
        "/status/acme/subscribe", json={"email": "a@example.net", "components": [str(uuid.uuid4())]}
    )

    assert bad.status_code == 400 and "email" in bad.json()["error"]["fields"]
    assert empty.status_code == 400 and 'aria-invalid="true"' in empty.text
    assert foreign.status_code == 400 and "components[0]" in foreign.json()["error"]["fields"]
    assert ids  # the page's own components are offered


async def test_without_instance_mail_only_webhooks_are_offered(client):
    await _page(client)

    form = await client.get("/status/acme/subscribe")
    refused = await client.post("/status/acme/subscribe", json={"email": "a@example.net"})

    assert 'name="email"' not in form.text and 'name="webhook_url"' in form.text
    assert refused.status_code == 400 and "email" in refused.json()["error"]["fields"]


async def test_a_link_of_another_page_does_not_work(client, running_app, smtp, instance):
    admin, _, _ = await _page(client)
    await create_page(client, admin, slug="other", title="Other")
    await _subscribe(client, "reader@example.net")
    await drain(running_app)
    link = CONFIRM.search(_text(smtp.messages[-1])).group(1)

    elsewhere = await client.get(link.replace("/status/acme/", "/status/other/"))
    tampered = await client.get(link[:-3] + "abc")

    assert elsewhere.status_code == tampered.status_code == 400
    async with running_app.state.session_factory() as session:
        assert (await session.scalar(select(Subscriber.confirmed_at))) is None


async def test_sign_ups_are_rate_limited_per_address(client, running_app, instance):
    await _page(client)
    limit = running_app.state.settings.subscribe_limit_per_ip

    answers = [
        await client.post("/status/acme/subscribe", json={"email": f"r{n}@example.net"})
        for n in range(limit + 1)
    ]

    assert [a.status_code for a in answers] == [202] * limit + [429]


async def test_developers_list_and_remove_subscribers_viewers_and_others_cannot(
    client, running_app, smtp, instance
):
    admin, page, _ = await _page(client)
    developer = await add_member(client, admin, "developer")
    viewer = await add_member(client, admin, "viewer")
    outsider = await sign_up(client, team_name="Elsewhere")
    await _confirmed(client, running_app, smtp, "confirmed@example.net")
    await _subscribe(client, "pending@example.net")
    url = f"/api/v1/status-pages/{page['id']}/subscribers"

    listed = await client.get(url, headers=developer.headers)
    by_viewer = await client.get(url, headers=viewer.headers)
    by_outsider = await client.get(url, headers=outsider.headers)

    assert listed.status_code == 200
    body = listed.json()
    assert (body["confirmed"], body["pending"]) == (1, 1)
    assert [s["address"] for s in body["items"]] == ["pending@example.net", "confirmed@example.net"]
    assert by_viewer.status_code == 403 and "example.net" not in by_viewer.text
    assert by_outsider.status_code == 404
    gone = body["items"][1]["id"]
    assert (await client.delete(f"{url}/{gone}", headers=outsider.headers)).status_code == 404
    assert (await client.delete(f"{url}/{gone}", headers=developer.headers)).status_code == 204
    after = (await client.get(url, headers=developer.headers)).json()
    assert [s["address"] for s in after["items"]] == ["pending@example.net"]


async def test_a_password_page_asks_for_it_but_its_mailed_links_work_without(
    client, running_app, smtp, instance
):
    admin = await sign_up(client, team_name="Acme internal")
    host = (await client.post("/api/v1/hosts", json={"name": "h"}, headers=admin.headers)).json()
    page = await create_page(
        client,
        admin,
        title="Acme secret",
        access="password",
        password="open sesame please",
        components=[component("Payments", hosts=[host["host"]])],
    )
    async with running_app.state.session_factory() as session:
        subscriber = Subscriber(
            page_id=uuid.UUID(page["id"]), kind="email", address="in@example.net", component_ids=[]
        )
        session.add(subscriber)
        await session.commit()
    leave = subscribers.token_for(running_app.state.settings, Purpose.unsubscribe, subscriber)

    form = await client.get("/status/acme/subscribe")
    signing = await client.post("/status/acme/subscribe", json={"email": "new@example.net"})
    forged = await client.get("/status/acme/unsubscribe?token=forged")
    left = await client.post("/status/acme/unsubscribe", content=f"token={leave}", headers=FORM)

    assert form.status_code == signing.status_code == forged.status_code == 401
    assert "Acme secret" not in form.text + forged.text
    assert left.status_code == 200 and "no more incident updates" in left.text
