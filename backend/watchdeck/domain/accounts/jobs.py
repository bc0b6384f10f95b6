"""Accounts jobs the worker runs."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import structlog
from sqlalchemy import delete, or_

from watchdeck.domain.accounts import password_reset
from watchdeck.domain.accounts.models import Invite, PasswordReset, RefreshToken
from watchdeck.platform.clock import utcnow

log = structlog.get_logger(__name__)

# Used and revoked tokens are kept a while so a late reuse is still recognised as reuse.
_KEEP_SPENT = timedelta(days=7)


async def prune_expired_credentials(ctx: dict[str, Any]) -> int:
    """Delete refresh tokens, invites and password reset links that can no longer be used."""
    now = utcnow()
    async with ctx["session_factory"]() as session:
        tokens = await session.execute(
            delete(RefreshToken).where(
                or_(RefreshToken.expires_at < now, RefreshToken.revoked_at < now - _KEEP_SPENT)
            )
        )
        invites = await session.execute(delete(Invite).where(Invite.expires_at < now - _KEEP_SPENT))
        resets = await session.execute(
            delete(PasswordReset).where(PasswordReset.expires_at < now - _KEEP_SPENT)
        )
        await session.commit()
    removed = tokens.rowcount + invites.rowcount + resets.rowcount
    log.info(
        "pruned expired credentials",
        refresh_tokens=tokens.rowcount,
        invites=invites.rowcount,
        password_resets=resets.rowcount,
    )
    return removed


async def send_password_reset(ctx: dict[str, Any], email: str) -> None:
    """Mail a reset link to `email` if it has an account (see password_reset.send_link)."""
    async with ctx["session_factory"]() as session:
        await password_reset.send_link(session, ctx["settings"], email)
