"""Telling subscribers of each published update, by email or by a webhook POST.

An update of a notice is handed to `queue_update` after its commit. A worker job fans it
out: one job per confirmed subscriber of the notice's pages whose component choice meets
the notice's (an empty choice takes everything; a notice naming no component goes to all).
Each such job has the id `notify:<update>:<subscriber>` and marks itself done in the
database before it sends, so neither a repeated fan-out nor a retried job sends one update
to one subscriber twice.

Only what the notice says leaves: its title, impact, status, updates and the public names
of its components, never the internal incident. Webhooks go to public addresses only (a
stranger chose the URL), through the vetting transport, which checks the address again
when it connects.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, make_msgid, parseaddr
from typing import Any

import httpx
import msgspec
import structlog
from arq import ArqRedis, Retry
from redis.asyncio import Redis
from sqlalchemy import delete, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from watchdeck.db.once import first_time, job_marks
from watchdeck.domain.statuspages import subscribers
from watchdeck.domain.statuspages.models import (
    PublicIncident,
    PublicUpdate,
    StatusPage,
    Subscriber,
    SubscriberKind,
)
from watchdeck.platform.config import Settings
from watchdeck.platform.mail import MailFailed, SmtpServer, send_message
from watchdeck.platform.outbound import TargetRefused, parse_http_url, vetted_transport

log = structlog.get_logger(__name__)

FAN_OUT_JOB = "fan_out_update"
NOTIFY_JOB = "notify_subscriber"
SEND_TIMEOUT = 10.0  # seconds for one mail or one webhook POST
TRIES = 4  # a failed send is tried again this many times in all, with growing pauses
RETRY_BASE_S = 30.0

IMPACT_LABELS = {
    "none": "None",
    "degraded_performance": "Degraded performance",
    "partial_outage": "Partial outage",
    "major_outage": "Major outage",
}


def _jobs(redis: Redis) -> ArqRedis:
    return redis if isinstance(redis, ArqRedis) else ArqRedis(redis.connection_pool)


async def queue_update(redis: Redis, update_id: int) -> None:
    """Have a worker tell the subscribers of `update_id`'s notice; call after the commit."""
    await _jobs(redis).enqueue_job(FAN_OUT_JOB, update_id, _job_id=f"notify:{update_id}")


# --- wire types of the webhook POSTs ----------------------------------------------------


class HookPage(msgspec.Struct):
    slug: str
    title: str
    url: str


class HookIncident(msgspec.Struct):
    id: uuid.UUID
    title: str
    impact: str
    status: str
    url: str


class HookUpdate(msgspec.Struct):
    status: str
    body: str
    at: datetime


class HookEvent(msgspec.Struct):
    """An update of a published incident, as a webhook subscriber receives it."""

    page: HookPage
    incident: HookIncident
    update: HookUpdate
    components: list[str]


class HookConfirmation(msgspec.Struct):
    """What a new webhook subscriber receives: the link its owner opens to confirm."""

    type: str
    page: HookPage
    confirm_url: str
    unsubscribe_url: str


_json = msgspec.json.Encoder()


# --- jobs -------------------------------------------------------------------------------


async def fan_out_update(ctx: dict[str, Any], update_id: int) -> int:
    """Queue one send per subscriber the update concerns; returns how many."""
    async with ctx["session_factory"]() as session:
        found = await _update(session, update_id)
        if found is None:
            return 0  # unpublished since
        _, notice = found
        chosen = Subscriber.component_ids.overlap(list(notice.component_ids))
        query = select(Subscriber.id).where(
            Subscriber.page_id.in_(list(notice.page_ids)),
            Subscriber.confirmed_at.is_not(None),
        )
        if notice.component_ids:
            query = query.where(or_(func.cardinality(Subscriber.component_ids) == 0, chosen))
        subscriber_ids = list(await session.scalars(query))
    jobs = _jobs(ctx["redis"])
    for subscriber_id in subscriber_ids:
        await jobs.enqueue_job(
            NOTIFY_JOB,
            update_id,
            str(subscriber_id),
            _job_id=f"notify:{update_id}:{subscriber_id}",
        )
    return len(subscriber_ids)


async def notify_subscriber(ctx: dict[str, Any], update_id: int, subscriber_id: str) -> str:
    """Send one update to one subscriber, once; a failed send is tried again later."""
    settings: Settings = ctx["settings"]
    mark = f"notify:{update_id}:{subscriber_id}"
    async with ctx["session_factory"]() as session:
        found = await _update(session, update_id)
        subscriber = await session.get(Subscriber, uuid.UUID(subscriber_id))
        if found is None or subscriber is None or subscriber.confirmed_at is None:
            return "gone"
        update, notice = found
        if subscriber.page_id not in notice.page_ids:
            return "gone"  # taken off the subscriber's page since the fan-out
        page = await session.get_one(StatusPage, subscriber.page_id)
        if not await first_time(session, mark):
            return "sent already"
        await session.commit()
    try:
        await _send_update(settings, page, notice, update, subscriber)
    except SendFailed as failed:
        log.warning(
            "subscriber update failed", page=page.slug, subscriber_id=subscriber_id,
            update_id=update_id, reason=str(failed), attempt=ctx.get("job_try", 1),
        )  # fmt: skip
        async with ctx["session_factory"]() as session:
            await session.execute(delete(job_marks).where(job_marks.c.key == mark))
            await session.commit()
        tried = ctx.get("job_try", 1)
        if tried < TRIES:
            raise Retry(defer=timedelta(seconds=RETRY_BASE_S * 2 ** (tried - 1))) from None
        return "failed"
    return "sent"


async def send_subscriber_confirmation(ctx: dict[str, Any], subscriber_id: str) -> str:
    """Send a new subscriber the link that confirms it (see subscribers.sign_up).

    A subscriber already confirmed is told so by mail instead (a webhook, nothing), so
    signing up an address a second time changes nothing its owner did not confirm.
    """
    settings: Settings = ctx["settings"]
    async with ctx["session_factory"]() as session:
        subscriber = await session.get(Subscriber, uuid.UUID(subscriber_id))
        if subscriber is None:
            return "gone"
        page = await session.get_one(StatusPage, subscriber.page_id)
    try:
        if subscriber.kind is SubscriberKind.webhook:
            if subscriber.confirmed_at is not None:
                return "confirmed already"
            await _post(
                subscriber.address,
                _json.encode(
                    HookConfirmation(
                        type="subscription_confirmation",
                        page=_hook_page(settings, page),
                        confirm_url=subscribers.confirm_url(settings, page, subscriber),
                        unsubscribe_url=subscribers.unsubscribe_url(settings, page, subscriber),
                    )
                ),
                {},
                settings,
            )
        else:
            await _mail(settings, _confirmation_mail(settings, page, subscriber))
    except SendFailed as failed:
        # Not retried: the reader who signed up can ask again, and a retry could send twice.
        log.warning(
            "subscriber confirmation failed", page=page.slug, subscriber_id=subscriber_id,
            reason=str(failed),
        )  # fmt: skip
        return "failed"
    return "sent"


async def _update(
    session: AsyncSession, update_id: int
) -> tuple[PublicUpdate, PublicIncident] | None:
    update = await session.get(PublicUpdate, update_id)
    if update is None:
        return None
    notice = await session.get(PublicIncident, update.notice_id)
    return None if notice is None else (update, notice)


# --- what is sent -----------------------------------------------------------------------


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _label(value: str) -> str:
    return value.replace("_", " ").capitalize()


def _hook_page(settings: Settings, page: StatusPage) -> HookPage:
    return HookPage(slug=page.slug, title=page.title, url=subscribers.page_url(settings, page))


def _affected(page: StatusPage, notice: PublicIncident) -> list[str]:
    """The public names of the notice's components that are on `page`, in page order."""
    named = set(notice.component_ids)
    return [c.name for c in page.components if c.id in named]


async def _send_update(
    settings: Settings,
    page: StatusPage,
    notice: PublicIncident,
    update: PublicUpdate,
    subscriber: Subscriber,
) -> None:
    leave = subscribers.unsubscribe_url(settings, page, subscriber)
    one_click = {
        "List-Unsubscribe": f"<{leave}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    if subscriber.kind is SubscriberKind.webhook:
        event = HookEvent(
            page=_hook_page(settings, page),
            incident=HookIncident(
                id=notice.id,
                title=notice.title,
                impact=notice.impact.value,
                status=notice.status.value,
                url=subscribers.notice_url(settings, page, notice.id),
            ),
            update=HookUpdate(status=update.status.value, body=update.body, at=update.at),
            components=_affected(page, notice),
        )
        await _post(subscriber.address, _json.encode(event), one_click, settings)
        return
    status = _label(update.status.value)
    email = _message(settings, page, subscriber.address)
    email["Subject"] = _one_line(f"{page.title}: {notice.title} — {status}")
    for name, value in one_click.items():
        email[name] = value
    values = {
        "page": page,
        "notice": notice,
        "update": update,
        "status": status,
        "impact": IMPACT_LABELS[notice.impact.value],
        "components": _affected(page, notice),
        "notice_url": subscribers.notice_url(settings, page, notice.id),
        "unsubscribe_url": leave,
    }
    email.set_content(subscribers.render("subscribe_mail_update.txt.j2", **values))
    email.add_alternative(
        subscribers.render("subscribe_mail_update.html.j2", **values), subtype="html"
    )
    await _mail(settings, email)


def _confirmation_mail(
    settings: Settings, page: StatusPage, subscriber: Subscriber
) -> EmailMessage:
    email = _message(settings, page, subscriber.address)
    values = {
        "page": page,
        "page_url": subscribers.page_url(settings, page),
        "confirm_url": subscribers.confirm_url(settings, page, subscriber),
        "unsubscribe_url": subscribers.unsubscribe_url(settings, page, subscriber),
        "hours": subscribers.CONFIRM_TTL // timedelta(hours=1),
        "components": subscribers.chosen_names(page, subscriber),
    }
    if subscriber.confirmed_at is not None:
        email["Subject"] = _one_line(f"{page.title}: you are already subscribed")
        email.set_content(subscribers.render("subscribe_mail_already.txt.j2", **values))
        return email
    email["Subject"] = _one_line(f"{page.title}: confirm your subscription")
    email.set_content(subscribers.render("subscribe_mail_confirm.txt.j2", **values))
    email.add_alternative(
        subscribers.render("subscribe_mail_confirm.html.j2", **values), subtype="html"
    )
    return email


def _message(settings: Settings, page: StatusPage, to: str) -> EmailMessage:
    sender = settings.smtp_from or ""
    name, address = parseaddr(sender)
    email = EmailMessage()
    # The instance's address, under the page's name unless the operator gave one.
    email["From"] = sender if name else formataddr((_one_line(f"{page.title} status"), address))
    email["To"] = to
    email["Date"] = format_datetime(datetime.now(UTC))
    # Passing the domain keeps make_msgid from looking up this machine's name (blocking DNS).
    email["Message-ID"] = make_msgid(domain=address.rpartition("@")[2] or "watchdeck.local")
    return email


# --- how it is sent ---------------------------------------------------------------------


class SendFailed(Exception):
    """A mail or POST did not go through; `str()` says why, without the target's secrets."""


async def _mail(settings: Settings, email: EmailMessage) -> None:
    if not settings.mail_configured:
        raise SendFailed("instance mail is not configured (WATCHDECK_SMTP_HOST, _FROM)")
    server = SmtpServer(
        settings.smtp_host or "",
        settings.smtp_port,
        "starttls" if settings.smtp_starttls else "none",
        settings.smtp_username,
    )
    try:
        # The operator chose this relay, so a private or local one is fine.
        await send_message(
            email, server, settings.smtp_password, allow_private=True, timeout=SEND_TIMEOUT
        )
    except MailFailed as failed:
        raise SendFailed(str(failed)) from None


async def _post(url: str, body: bytes, headers: dict[str, str], settings: Settings) -> None:
    """POST JSON to a subscriber's URL; a redirect is a failure, never followed (its target
    was not vetted)."""
    client = httpx.AsyncClient(
        transport=vetted_transport(allow_private=settings.subscriber_webhook_allow_private),
        timeout=SEND_TIMEOUT,
        follow_redirects=False,
        trust_env=False,
    )
    try:
        parse_http_url(url)
        # The answer's body is never read: a receiver's reply matters only by its status.
        async with (
            client,
            client.stream(
                "POST",
                url,
                content=body,
                headers={
                    "Content-Type": "application/json",
                    "User-Agent": "Watchdeck status page",
                    **headers,
                },
            ) as response,
        ):
            status = response.status_code
    except TargetRefused as refused:
        raise SendFailed(f"target refused: {refused.message}") from None
    except httpx.TimeoutException:
        raise SendFailed(f"no answer within {SEND_TIMEOUT:g} s") from None
    except httpx.HTTPError as error:
        raise SendFailed(f"could not deliver: {type(error).__name__}") from None
    if not 200 <= status < 300:
        raise SendFailed(f"HTTP {status}")
