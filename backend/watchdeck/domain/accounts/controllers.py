"""Accounts routes: sign-in, the caller, their teams, invites. Thin: parse, call, return."""

from __future__ import annotations

import uuid

from litestar import Controller, Request, get, post
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_204_NO_CONTENT

from watchdeck.domain.accounts import invites, signin, teams
from watchdeck.domain.accounts.auth import Caller, Principal
from watchdeck.domain.accounts.models import User
from watchdeck.domain.accounts.roles import PUBLIC, USER, Role
from watchdeck.domain.accounts.schemas import (
    InviteAcceptIn,
    InvitePreviewOut,
    LoginIn,
    MeOut,
    MyTeam,
    PasswordChangeIn,
    RefreshIn,
    SignupIn,
    SwitchTeamIn,
    TeamCreateIn,
    TeamOut,
    TokenPair,
)
from watchdeck.domain.accounts.tokens import digest
from watchdeck.platform import ratelimit
from watchdeck.platform.dependencies import Cache, Config, Db
from watchdeck.platform.errors import Forbidden


def signed_in_as(request: Request, user: User, pair: TokenPair, role: Role | None) -> None:
    """Let the audit log name who just signed in on a public route."""
    request.scope["user"] = Principal(
        team_id=pair.team_id, role=role, label=user.email, user_id=user.id
    )


class AuthController(Controller):
    path = "/api/v1/auth"
    tags = ["auth"]

    @post("/signup", opt=PUBLIC)
    async def signup(
        self, request: Request, data: JSONBody[SignupIn], db: Db, settings: Config, redis: Cache
    ) -> TokenPair:
        """Create an account and its team, with the caller as the team's admin."""
        if not settings.signup_enabled:
            raise Forbidden("sign-up is disabled on this server; ask an admin for an invite")
        await ratelimit.hit(
            redis,
            f"signup:ip:{ratelimit.client_ip(request)}",
            settings.signup_limit_per_ip,
            settings.signup_limit_window,
            "sign-up",
        )
        user, team = await signin.create_user_with_team(
            db, data.email, data.password, data.name, data.team_name
        )
        pair = await signin.issue_pair(db, settings, user, team.id, role=Role.admin)
        await db.commit()
        signed_in_as(request, user, pair, Role.admin)
        return pair

    @post("/login", opt=PUBLIC, status_code=HTTP_200_OK)
    async def login(
        self, request: Request, data: JSONBody[LoginIn], db: Db, settings: Config, redis: Cache
    ) -> TokenPair:
        """Exchange email and password for an access token and a refresh token."""
        window = settings.login_limit_window
        await ratelimit.hit(
            redis,
            f"login:ip:{ratelimit.client_ip(request)}",
            settings.login_limit_per_ip,
            window,
            "login",
        )
        account_key = f"login:account:{signin.normalize_email(data.email)}"
        await ratelimit.hit(redis, account_key, settings.login_limit_per_account, window, "login")
        user, pair = await signin.login(db, settings, data.email, data.password)
        await ratelimit.clear(redis, account_key)
        return pair

    @post("/refresh", opt=PUBLIC, status_code=HTTP_200_OK)
    async def refresh(
        self, data: JSONBody[RefreshIn], db: Db, redis: Cache, settings: Config
    ) -> TokenPair:
        """Rotate a refresh token. Reusing an old one revokes the whole sign-in."""
        return await signin.refresh(db, redis, settings, data.refresh_token)

    @post("/logout", opt=PUBLIC, status_code=HTTP_204_NO_CONTENT)
    async def logout(self, data: JSONBody[RefreshIn], db: Db, redis: Cache) -> None:
        """Revoke the refresh token and every token rotated from the same sign-in."""
        await signin.logout(db, redis, data.refresh_token)

    @post("/switch-team", opt=USER, status_code=HTTP_200_OK)
    async def switch_team(
        self, data: JSONBody[SwitchTeamIn], db: Db, settings: Config, principal: Caller
    ) -> TokenPair:
        """New tokens for another team the caller belongs to."""
        return await signin.switch_team(db, settings, _user_id(principal), data.team_id)


class MeController(Controller):
    path = "/api/v1/me"
    tags = ["auth"]

    @get("", opt=USER)
    async def me(self, db: Db, principal: Caller) -> MeOut:
        """The caller, their role in the active team, and every team they belong to."""
        return await signin.me(db, _user_id(principal), principal.team_id)

    @post("/password", opt=USER, status_code=HTTP_204_NO_CONTENT)
    async def change_password(
        self,
        data: JSONBody[PasswordChangeIn],
        db: Db,
        principal: Caller,
        settings: Config,
        redis: Cache,
    ) -> None:
        """Change the password; every token issued before stops working."""
        # A stolen access token must not become a way to guess the password behind it.
        await ratelimit.hit(
            redis,
            f"password:user:{principal.user_id}",
            settings.login_limit_per_account,
            settings.login_limit_window,
            "password",
        )
        await signin.change_password(
            db, redis, _user_id(principal), data.current_password, data.new_password
        )


class TeamsController(Controller):
    path = "/api/v1/teams"
    tags = ["teams"]

    @get("", opt=USER)
    async def my_teams(self, db: Db, principal: Caller) -> list[MyTeam]:
        return (await signin.me(db, _user_id(principal), principal.team_id)).teams

    @post("", opt=USER)
    async def create_team(self, data: JSONBody[TeamCreateIn], db: Db, principal: Caller) -> TeamOut:
        """Create another team with the caller as its admin; switch to it with /auth/switch-team."""
        return await teams.create_team(db, _user_id(principal), data.name)


class InviteAcceptController(Controller):
    path = "/api/v1/invites"
    tags = ["team"]

    @get("/{token:str}", opt=PUBLIC)
    async def preview(self, token: FromPath[str], db: Db) -> InvitePreviewOut:
        """What an invite link offers, for the accept page."""
        return await invites.preview(db, token)

    @post("/accept", opt=PUBLIC, status_code=HTTP_200_OK)
    async def accept(
        self,
        request: Request,
        data: JSONBody[InviteAcceptIn],
        db: Db,
        settings: Config,
        redis: Cache,
    ) -> TokenPair:
        """Accept an invite once: creates the account if needed and signs in to the team."""
        # An invite for an existing account asks for its password, so guesses are throttled
        # like logins: per address, and per invite (one invite names one account).
        window = settings.login_limit_window
        await ratelimit.hit(
            redis,
            f"invite:ip:{ratelimit.client_ip(request)}",
            settings.login_limit_per_ip,
            window,
            "invite",
        )
        await ratelimit.hit(
            redis,
            f"invite:token:{digest(data.token)}",
            settings.login_limit_per_account,
            window,
            "invite",
        )
        user, pair = await invites.accept(db, settings, data.token, data.password, data.name)
        signed_in_as(request, user, pair, None)
        return pair


def _user_id(principal: Caller) -> uuid.UUID:
    assert principal.user_id is not None  # Access.user routes admit people only
    return principal.user_id
