"""Password reset: a one-time link, mailed on request or printed for an operator, sets a new
password and ends every sign-in of the account.

Like invites, the token is random, only its digest is stored, it works once and it expires.
Issuing a link supersedes the account's earlier unused ones. A request answers the same way
whether or not the email has an account: the lookup and the mail happen in a worker job, so
neither the answer nor its timing tells them apart.
"""

from __future__ import annotations

import html
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

import structlog
from arq import ArqRedis
from redis.asyncio import Redis
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from watchdeck.domain.accounts.models import PasswordReset, User
from watchdeck.domain.accounts.passwords import hash_password
from watchdeck.domain.accounts.schemas import PasswordResetDoneOut, PasswordResetPreviewOut
from watchdeck.domain.accounts.signin import (
    announce_sessions_revoked,
    first_membership,
    issue_pair,
    normalize_email,
    revoke_sessions,
)
from watchdeck.domain.accounts.tokens import digest, new_secret
from watchdeck.platform.clock import utcnow
from watchdeck.platform.config import Settings
from watchdeck.platform.errors import NotFound
from watchdeck.platform.mail import MailFailed, SmtpServer, send_message

log = structlog.get_logger(__name__)

REQUESTED = "If an account uses this email, a link to reset its password is on its way."
SEND_JOB = "send_password_reset"
SEND_TIMEOUT = 30.0


def reset_url(settings: Settings, token: str) -> str:
    return f"{settings.base_url}/reset-password/{token}"


async def issue(session: AsyncSession, settings: Settings, user: User) -> str:
    """A new reset token for `user`; earlier unused ones stop working. Commits."""
    now = utcnow()
    await session.execute(
        update(PasswordReset)
        .where(
            PasswordReset.user_id == user.id,
            PasswordReset.used_at.is_(None),
            PasswordReset.superseded_at.is_(None),
        )
        .values(superseded_at=now)
    )
    token = new_secret()
    session.add(
        PasswordReset(
            user_id=user.id,
            token_hash=digest(token),
            expires_at=now + timedelta(seconds=settings.password_reset_ttl),
        )
    )
    await session.commit()
    return token


async def _user_by_email(session: AsyncSession, email: str) -> User | None:
    return await session.scalar(select(User).where(User.email == normalize_email(email)))


async def link_for(session: AsyncSession, settings: Settings, email: str) -> str:
    """A one-time reset link for the account of `email`, for an operator to pass on.

    Raises NotFound naming the email when no account has it.
    """
    user = await _user_by_email(session, email)
    if user is None:
        raise NotFound("no account has this email", {"email": "no account has this email"})
    return reset_url(settings, await issue(session, settings, user))


async def queue_request(jobs: ArqRedis, email: str) -> None:
    """Hand a reset request to a worker; nothing about the account is looked up here."""
    await jobs.enqueue_job(SEND_JOB, normalize_email(email))


async def send_link(session: AsyncSession, settings: Settings, email: str) -> None:
    """Mail a new reset link to `email` when it has an account and instance mail is set up.

    Failures are logged (never with the token), not raised: the requester was answered
    long ago and a retry would mail a second link.
    """
    if not settings.mail_configured:
        log.warning(
            "password reset requested, but reset mail is not configured; set WATCHDECK_SMTP_HOST"
            " and WATCHDECK_SMTP_FROM, or print a link with `watchdeck user reset-password`"
        )
        return
    user = await _user_by_email(session, email)
    if user is None:
        log.info("password reset requested for an email no account has")
        return
    token = await issue(session, settings, user)
    server = SmtpServer(
        settings.smtp_host or "",
        settings.smtp_port,
        "starttls" if settings.smtp_starttls else "none",
        settings.smtp_username,
    )
    email_message = compose(settings, user.email, token, now=datetime.now(UTC))
    try:
        # The operator chose this host, so a private or local relay is fine.
        await send_message(
            email_message,
            server,
            settings.smtp_password,
            allow_private=True,
            timeout=SEND_TIMEOUT,
        )
    except MailFailed as failed:
        log.warning("password reset mail failed", user_id=str(user.id), reason=str(failed))
        return
    log.info("password reset mail sent", user_id=str(user.id))


def compose(settings: Settings, to: str, token: str, *, now: datetime) -> EmailMessage:
    """The reset email: the link in a text part and an HTML alternative."""
    url = reset_url(settings, token)
    minutes = max(settings.password_reset_ttl // 60, 1)
    sender = settings.smtp_from or ""
    email = EmailMessage()
    email["Subject"] = "Reset your Watchdeck password"
    email["From"] = sender
    email["To"] = to
    email["Date"] = format_datetime(now)
    # Passing the domain keeps make_msgid from looking up this machine's name (blocking DNS).
    email["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or "watchdeck.local")
    email.set_content(
        f"Someone asked to reset the password of the Watchdeck account {to}.\n\n"
        f"Open this link within {minutes} minutes to choose a new password:\n{url}\n\n"
        "The link works once. If you did not ask for it, ignore this email: "
        "your password stays as it is.\n"
    )
    e = html.escape
    email.add_alternative(
        '<!DOCTYPE html><html><body style="font-family: sans-serif">'
        f"<p>Someone asked to reset the password of the Watchdeck account {e(to)}.</p>"
        f'<p><a href="{e(url)}">Choose a new password</a> within {minutes} minutes.</p>'
        "<p><small>The link works once. If you did not ask for it, ignore this email: "
        "your password stays as it is.</small></p></body></html>\n",
        subtype="html",
    )
    return email


def mask_email(email: str) -> str:
    """`ada@example.com` as `a*a@example.com`: enough to recognise, not to harvest."""
    local, _, domain = email.partition("@")
    shown = local[0] + "*" * max(len(local) - 2, 1) + (local[-1] if len(local) > 1 else "")
    return f"{shown}@{domain}"


async def _usable(session: AsyncSession, token: str, lock: bool = False) -> PasswordReset:
    query = select(PasswordReset).where(PasswordReset.token_hash == digest(token))
    reset = await session.scalar(query.with_for_update() if lock else query)
    if reset is None:
        reason = "this reset link is not valid"
    elif reset.used_at is not None:
        reason = "this reset link was already used"
    elif reset.superseded_at is not None:
        reason = "a newer reset link replaced this one"
    elif reset.expires_at <= utcnow():
        reason = "this reset link has expired"
    else:
        return reset
    raise NotFound(f"token: {reason}; ask for a new link", {"token": reason})


async def preview(session: AsyncSession, token: str) -> PasswordResetPreviewOut:
    """Whose password the link resets (masked) and until when, for the reset page."""
    reset = await _usable(session, token)
    user = await session.get_one(User, reset.user_id)
    return PasswordResetPreviewOut(email=mask_email(user.email), expires_at=reset.expires_at)


async def accept(
    session: AsyncSession, redis: Redis, settings: Settings, token: str, password: str
) -> tuple[User, PasswordResetDoneOut]:
    """Set the new password once, end every earlier sign-in, and sign in to the first team."""
    reset = await _usable(session, token, lock=True)
    user = await session.get_one(User, reset.user_id)
    user.password_hash = await hash_password(password)
    reset.used_at = utcnow()
    await revoke_sessions(session, user)
    membership = await first_membership(session, user.id)
    pair = (
        await issue_pair(session, settings, user, membership.team_id, membership.role)
        if membership
        else None
    )
    await session.commit()
    # The new sign-in has no live connection yet; every earlier one is dropped.
    await announce_sessions_revoked(redis, user.id)
    log.info("password reset", user_id=str(user.id))
    return user, PasswordResetDoneOut(email=user.email, session=pair)
