"""Subscribers of a status page: signing up, confirming by the link sent, leaving by the
link in every message, and the team's list of them.

A sign-up stores an unconfirmed subscriber (or reuses the pending one) and has a worker
send the confirmation link, so the answer is the same whether or not the address was
subscribed already. Links carry a signed token naming its purpose, the subscriber and the
page: a confirmation link expires, a leaving link does not, and neither needs a row of
its own. An address is personal data: only the team's developers and admins see them.
"""

from __future__ import annotations

import re
import uuid
from datetime import datetime, timedelta
from enum import StrEnum

import jwt
import msgspec
from arq import ArqRedis
from jinja2 import Environment, PackageLoader, select_autoescape
from redis.asyncio import Redis
from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from watchdeck.domain.statuspages.models import StatusPage, Subscriber, SubscriberKind
from watchdeck.domain.statuspages.pages import public_path
from watchdeck.domain.statuspages.render import Frame
from watchdeck.platform.clock import utcnow
from watchdeck.platform.config import Settings
from watchdeck.platform.errors import DomainError, NotFound
from watchdeck.platform.outbound import TargetRefused, vet_url
from watchdeck.platform.pagination import cursor_after, older_than

CONFIRM_JOB = "send_subscriber_confirmation"
CONFIRM_TTL = timedelta(hours=48)
CHECK_INBOX = (
    "Thanks. If this address can be subscribed, a link to confirm is on its way: "
    "open it to start receiving updates."
)
CHECK_HOOK = (
    "Thanks. A link to confirm has been posted to the webhook URL: "
    "open it to start receiving updates there."
)
_ALGORITHM = "HS256"
_AUDIENCE = "watchdeck:status-subscriber"
_EMAIL = re.compile(r"^[^@\s\x00]+@[^@\s\x00]+\.[^@\s\x00]+$")
MAX_EMAIL = 254


class Purpose(StrEnum):
    confirm = "confirm"
    unsubscribe = "unsubscribe"


class BadInput(DomainError):
    """A field of a sign-up is wrong: a 400 naming it (the form shows it beside the field)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}", {field: message})
        self.field = field
        self.reason = message


class BadLink(DomainError):
    """A confirmation or leaving link that is not valid (or no longer) for this page."""


# --- wire types -------------------------------------------------------------------------


class SignUp(msgspec.Struct, kw_only=True):
    """One of `email` or `webhook_url`; `components` are ids of the page's components
    (none: every update of the page)."""

    email: str | None = None
    webhook_url: str | None = None
    components: list[str] = []


class SubscriberOut(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    kind: SubscriberKind
    address: str
    component_ids: list[uuid.UUID]  # []: every update of the page
    confirmed_at: datetime | None  # null: the confirmation link was not opened yet
    created_at: datetime


class SubscriberPage(msgspec.Struct, kw_only=True):
    items: list[SubscriberOut]
    next_cursor: str | None  # pass as `before` for the next, older page
    confirmed: int
    pending: int


# --- links ------------------------------------------------------------------------------


def page_url(settings: Settings, page: StatusPage) -> str:
    return settings.base_url + public_path(page.slug)


def notice_url(settings: Settings, page: StatusPage, notice_id: uuid.UUID) -> str:
    return f"{page_url(settings, page)}/incidents/{notice_id}"


def token_for(settings: Settings, purpose: Purpose, subscriber: Subscriber) -> str:
    claims: dict[str, object] = {
        "aud": _AUDIENCE,
        "purpose": purpose.value,
        "sub": str(subscriber.id),
        "page": str(subscriber.page_id),
        "iat": utcnow(),
    }
    if purpose is Purpose.confirm:
        claims["exp"] = utcnow() + CONFIRM_TTL
    return jwt.encode(claims, settings.require_secret_key(), algorithm=_ALGORITHM)


def confirm_url(settings: Settings, page: StatusPage, subscriber: Subscriber) -> str:
    token = token_for(settings, Purpose.confirm, subscriber)
    return f"{page_url(settings, page)}/subscribe/confirm?token={token}"


def unsubscribe_url(settings: Settings, page: StatusPage, subscriber: Subscriber) -> str:
    token = token_for(settings, Purpose.unsubscribe, subscriber)
    return f"{page_url(settings, page)}/unsubscribe?token={token}"


def read_token(settings: Settings, page: StatusPage, token: str, purpose: Purpose) -> uuid.UUID:
    """The subscriber a link of `purpose` on `page` names; BadLink otherwise."""
    try:
        claims = jwt.decode(
            token,
            settings.require_secret_key(),
            algorithms=[_ALGORITHM],
            audience=_AUDIENCE,
            options={"require": ["aud", "purpose", "sub", "page", "iat"]},
        )
        if claims["purpose"] != purpose.value or claims["page"] != str(page.id):
            raise BadLink("this link is not valid", {"token": "not valid"})
        return uuid.UUID(claims["sub"])
    except jwt.ExpiredSignatureError:
        raise BadLink(
            "this confirmation link has expired; subscribe again", {"token": "expired"}
        ) from None
    except (jwt.PyJWTError, ValueError, TypeError):
        raise BadLink("this link is not valid", {"token": "not valid"}) from None


# --- signing up, confirming, leaving -----------------------------------------------------


def _address(settings: Settings, data: SignUp) -> tuple[SubscriberKind, str]:
    email = (data.email or "").strip()
    url = (data.webhook_url or "").strip()
    if email and url:
        raise BadInput("webhook_url", "give an email address or a webhook URL, not both")
    if url:
        return SubscriberKind.webhook, url
    if not email:
        raise BadInput("email", "enter an email address (or a webhook URL)")
    if len(email) > MAX_EMAIL or not _EMAIL.match(email):
        raise BadInput("email", "enter a valid email address, like ada@example.com")
    if not settings.mail_configured:
        raise BadInput("email", "this instance does not send email; use a webhook URL")
    return SubscriberKind.email, email.lower()


def _chosen(page: StatusPage, wanted: list[str]) -> list[uuid.UUID]:
    ids = {c.id for c in page.components}
    chosen = []
    for index, raw in enumerate(wanted):
        try:
            component_id = uuid.UUID(raw)
        except ValueError:
            component_id = None
        if component_id not in ids:
            raise BadInput(f"components[{index}]", "not a component of this page")
        chosen.append(component_id)
    return list(dict.fromkeys(chosen))


async def sign_up(
    session: AsyncSession, redis: Redis, settings: Settings, page: StatusPage, data: SignUp
) -> SubscriberKind:
    """Store an unconfirmed subscriber (or refresh the pending one) and have a worker send
    the confirmation. Raises BadInput naming the field; commits."""
    kind, address = _address(settings, data)
    chosen = _chosen(page, data.components)
    if kind is SubscriberKind.webhook:
        try:
            await vet_url(
                address,
                allow_private=settings.subscriber_webhook_allow_private,
                field="webhook_url",
            )
        except TargetRefused as refused:
            raise BadInput("webhook_url", refused.message) from None
    fresh = insert(Subscriber).values(
        id=uuid.uuid4(), page_id=page.id, kind=kind, address=address, component_ids=chosen
    )
    # A confirmed subscriber keeps its choice: only its owner changes what it receives.
    await session.execute(
        fresh.on_conflict_do_update(
            index_elements=[Subscriber.page_id, Subscriber.kind, Subscriber.address],
            set_={"component_ids": fresh.excluded.component_ids},
            where=Subscriber.confirmed_at.is_(None),
        )
    )
    subscriber_id = await session.scalar(
        select(Subscriber.id).where(
            Subscriber.page_id == page.id, Subscriber.kind == kind, Subscriber.address == address
        )
    )
    await session.commit()
    jobs = redis if isinstance(redis, ArqRedis) else ArqRedis(redis.connection_pool)
    await jobs.enqueue_job(CONFIRM_JOB, str(subscriber_id))
    return kind


async def confirm(
    session: AsyncSession, settings: Settings, page: StatusPage, token: str
) -> Subscriber:
    """Confirm the subscriber the link names (again is fine); BadLink, or NotFound once it
    has left. Commits."""
    subscriber_id = read_token(settings, page, token, Purpose.confirm)
    subscriber = await session.get(Subscriber, subscriber_id, with_for_update=True)
    if subscriber is None or subscriber.page_id != page.id:
        raise NotFound("this subscription no longer exists; subscribe again")
    if subscriber.confirmed_at is None:
        subscriber.confirmed_at = utcnow()
    await session.commit()
    return subscriber


async def still_subscribed(
    session: AsyncSession, settings: Settings, page: StatusPage, token: str
) -> bool:
    """Whether the subscriber a leaving link names is still there (BadLink if not a link)."""
    subscriber_id = read_token(settings, page, token, Purpose.unsubscribe)
    found = await session.scalar(
        select(Subscriber.id).where(Subscriber.id == subscriber_id, Subscriber.page_id == page.id)
    )
    return found is not None


async def unsubscribe(
    session: AsyncSession, settings: Settings, page: StatusPage, token: str
) -> bool:
    """Remove the subscriber a leaving link names; False when it had left already. Commits."""
    subscriber_id = read_token(settings, page, token, Purpose.unsubscribe)
    subscriber = await session.get(Subscriber, subscriber_id)
    if subscriber is None or subscriber.page_id != page.id:
        return False
    await session.delete(subscriber)
    await session.commit()
    return True


def chosen_names(page: StatusPage, subscriber: Subscriber) -> list[str]:
    """The public names of the components a subscriber chose ([]: all of them)."""
    chosen = set(subscriber.component_ids)
    return [c.name for c in page.components if c.id in chosen]


# --- the team's view --------------------------------------------------------------------


async def _team_page(session: AsyncSession, team_id: uuid.UUID, page_id: uuid.UUID) -> None:
    found = await session.scalar(
        select(StatusPage.id).where(StatusPage.team_id == team_id, StatusPage.id == page_id)
    )
    if found is None:
        raise NotFound("no such status page")


def subscriber_out(subscriber: Subscriber) -> SubscriberOut:
    return SubscriberOut(
        id=subscriber.id,
        kind=subscriber.kind,
        address=subscriber.address,
        component_ids=list(subscriber.component_ids),
        confirmed_at=subscriber.confirmed_at,
        created_at=subscriber.created_at,
    )


async def list_subscribers(
    session: AsyncSession,
    team_id: uuid.UUID,
    page_id: uuid.UUID,
    *,
    before: str | None = None,
    limit: int = 100,
) -> SubscriberPage:
    """The page's subscribers newest first, with how many are confirmed and pending."""
    await _team_page(session, team_id, page_id)
    query = select(Subscriber).where(Subscriber.page_id == page_id)
    if before:
        older, _ = older_than(Subscriber.created_at, Subscriber.id, before, uuid.UUID)
        query = query.where(older)
    order = (Subscriber.created_at.desc(), Subscriber.id.desc())
    rows = list(await session.scalars(query.order_by(*order).limit(limit + 1)))
    items = [subscriber_out(s) for s in rows[:limit]]
    cursor = cursor_after(items[-1].created_at, items[-1].id) if len(rows) > limit else None
    counts = dict(
        (
            await session.execute(
                select(Subscriber.confirmed_at.is_not(None), func.count())
                .where(Subscriber.page_id == page_id)
                .group_by(Subscriber.confirmed_at.is_not(None))
            )
        ).all()
    )
    return SubscriberPage(
        items=items,
        next_cursor=cursor,
        confirmed=counts.get(True, 0),
        pending=counts.get(False, 0),
    )


async def remove(
    session: AsyncSession, team_id: uuid.UUID, page_id: uuid.UUID, subscriber_id: uuid.UUID
) -> None:
    """Remove one of the page's subscribers; NotFound when the team has no such one."""
    await _team_page(session, team_id, page_id)
    subscriber = await session.scalar(
        select(Subscriber).where(Subscriber.id == subscriber_id, Subscriber.page_id == page_id)
    )
    if subscriber is None:
        raise NotFound("no such subscriber")
    await session.delete(subscriber)
    await session.commit()


# --- pages and mails --------------------------------------------------------------------

_templates = Environment(
    loader=PackageLoader("watchdeck.domain.statuspages", "templates"),
    # HTML is escaped; the text of a mail is not HTML, so it is not.
    autoescape=select_autoescape(enabled_extensions=("html.j2",), default=False),
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)


def render(name: str, **values: object) -> str:
    return _templates.get_template(name).render(**values)


def _groups(page: StatusPage) -> list[tuple[str | None, list]]:
    groups: list[tuple[str | None, list]] = []
    for component in page.components:
        if groups and groups[-1][0] == component.group_name:
            groups[-1][1].append(component)
        else:
            groups.append((component.group_name, [component]))
    return groups


def form_html(
    page: StatusPage,
    frame: Frame,
    settings: Settings,
    *,
    data: SignUp | None = None,
    error: BadInput | None = None,
) -> str:
    """The sign-up form, filled with `data` and showing `error` beside its field."""
    data = data or SignUp()
    return render(
        "subscribe.html.j2",
        frame=frame,
        groups=_groups(page),
        mail=settings.mail_configured,
        email=data.email or "",
        webhook_url=data.webhook_url or "",
        checked=set(data.components),
        error=error,
    )


def message_html(
    frame: Frame,
    heading: str,
    text: str,
    *,
    button: str | None = None,
    token: str | None = None,
) -> str:
    """A page of one message; with `button`, a form that posts `token` to leave."""
    return render(
        "subscribe_message.html.j2",
        frame=frame,
        heading=heading,
        text=text,
        button=button,
        token=token,
    )
