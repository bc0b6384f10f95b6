"""Password reset routes: ask for a link, look at it, use it. All public, all thin."""

from __future__ import annotations

from litestar import Controller, Request, get, post
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_202_ACCEPTED

from watchdeck.domain.accounts import password_reset
from watchdeck.domain.accounts.controllers import signed_in_as
from watchdeck.domain.accounts.roles import PUBLIC
from watchdeck.domain.accounts.schemas import (
    PasswordResetAcceptIn,
    PasswordResetDoneOut,
    PasswordResetPreviewOut,
    PasswordResetRequestedOut,
    PasswordResetRequestIn,
)
from watchdeck.domain.accounts.signin import normalize_email
from watchdeck.platform import ratelimit
from watchdeck.platform.dependencies import Cache, Config, Db, Jobs


class PasswordResetRequestController(Controller):
    path = "/api/v1/auth"
    tags = ["auth"]

    @post("/password-reset", opt=PUBLIC, status_code=HTTP_202_ACCEPTED)
    async def request_reset(
        self,
        request: Request,
        data: JSONBody[PasswordResetRequestIn],
        settings: Config,
        redis: Cache,
        jobs: Jobs,
    ) -> PasswordResetRequestedOut:
        """Mail a one-time reset link if an account has this email.

        The answer is the same whether or not one has, and so are the limits per IP and
        per email address.
        """
        window = settings.password_reset_limit_window
        ip = ratelimit.client_ip(request)
        await ratelimit.hit(
            redis,
            f"password-reset:ip:{ip}",
            settings.password_reset_limit_per_ip,
            window,
            "password reset",
        )
        await ratelimit.hit(
            redis,
            f"password-reset:account:{normalize_email(data.email)}",
            settings.password_reset_limit_per_account,
            window,
            "password reset",
        )
        await password_reset.queue_request(jobs, data.email)
        return PasswordResetRequestedOut(message=password_reset.REQUESTED)


class PasswordResetController(Controller):
    path = "/api/v1/password-resets"
    tags = ["auth"]

    @get("/{token:str}", opt=PUBLIC)
    async def preview(self, token: FromPath[str], db: Db) -> PasswordResetPreviewOut:
        """Whose password a reset link sets (email masked) and until when it works."""
        return await password_reset.preview(db, token)

    @post("/accept", opt=PUBLIC, status_code=HTTP_200_OK)
    async def accept(
        self,
        request: Request,
        data: JSONBody[PasswordResetAcceptIn],
        db: Db,
        redis: Cache,
        settings: Config,
    ) -> PasswordResetDoneOut:
        """Set a new password with a reset link, once: every earlier sign-in of the account
        ends, and the answer signs in to its first team (no session if it has none)."""
        user, done = await password_reset.accept(db, redis, settings, data.token, data.password)
        if done.session is not None:
            # Lets the audit log of that team record who reset their password.
            signed_in_as(request, user, done.session, None)
        return done
