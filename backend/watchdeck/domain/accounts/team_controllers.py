"""Routes of the active team: settings, members and roles, invites, API keys, audit log."""

from __future__ import annotations

import uuid
from typing import Annotated

from litestar import Controller, delete, get, patch, post
from litestar.params import FromPath, JSONBody, QueryParameter

from watchdeck.domain.accounts import api_keys, audit, invites, teams
from watchdeck.domain.accounts.auth import Caller
from watchdeck.domain.accounts.roles import ADMIN, VIEWER
from watchdeck.domain.accounts.schemas import (
    ApiKeyCreatedOut,
    ApiKeyIn,
    ApiKeyOut,
    AuditPage,
    InviteCreatedOut,
    InviteIn,
    InviteOut,
    MemberOut,
    MemberUpdateIn,
    TeamOut,
    TeamUpdateIn,
)
from watchdeck.platform.dependencies import Cache, Config, Db
from watchdeck.platform.pagination import IdBefore


class TeamController(Controller):
    path = "/api/v1/team"
    tags = ["team"]

    @get("", opt=VIEWER)
    async def get_team(self, db: Db, principal: Caller) -> TeamOut:
        return await teams.get_team(db, principal.team_id)

    @patch("", opt=ADMIN)
    async def update_team(self, data: JSONBody[TeamUpdateIn], db: Db, principal: Caller) -> TeamOut:
        """Rename the team or allow monitoring of private-network targets."""
        return await teams.update_team(db, principal.team_id, data)

    @get("/members", opt=VIEWER)
    async def list_members(self, db: Db, principal: Caller) -> list[MemberOut]:
        return await teams.list_members(db, principal.team_id)

    @patch("/members/{user_id:uuid}", opt=ADMIN)
    async def change_role(
        self,
        user_id: FromPath[uuid.UUID],
        data: JSONBody[MemberUpdateIn],
        db: Db,
        redis: Cache,
        principal: Caller,
    ) -> MemberOut:
        """Change a member's role; the last admin cannot be demoted."""
        return await teams.change_role(db, redis, principal.team_id, user_id, data.role)

    @delete("/members/{user_id:uuid}", opt=ADMIN)
    async def remove_member(
        self, user_id: FromPath[uuid.UUID], db: Db, redis: Cache, principal: Caller
    ) -> None:
        """Remove a member; their tokens for this team stop working at once."""
        await teams.remove_member(db, redis, principal.team_id, user_id)

    @get("/invites", opt=ADMIN)
    async def list_invites(self, db: Db, principal: Caller) -> list[InviteOut]:
        return await invites.list_pending(db, principal.team_id)

    @post("/invites", opt=ADMIN)
    async def create_invite(
        self, data: JSONBody[InviteIn], db: Db, settings: Config, principal: Caller
    ) -> InviteCreatedOut:
        """Invite an email with a role; the token and link are shown once."""
        return await invites.create_invite(
            db, settings, principal.team_id, principal.user_id, data.email, data.role
        )

    @delete("/invites/{invite_id:uuid}", opt=ADMIN)
    async def revoke_invite(
        self, invite_id: FromPath[uuid.UUID], db: Db, principal: Caller
    ) -> None:
        await invites.revoke(db, principal.team_id, invite_id)

    @get("/api-keys", opt=ADMIN)
    async def list_api_keys(self, db: Db, principal: Caller) -> list[ApiKeyOut]:
        return await api_keys.list_keys(db, principal.team_id)

    @post("/api-keys", opt=ADMIN)
    async def create_api_key(
        self, data: JSONBody[ApiKeyIn], db: Db, principal: Caller
    ) -> ApiKeyCreatedOut:
        """Create a key; `agent` keys push metrics and logs, `automation` keys act with a role."""
        return await api_keys.create(
            db, principal.team_id, principal.user_id, data.name, data.kind, data.role
        )

    @delete("/api-keys/{key_id:uuid}", opt=ADMIN)
    async def revoke_api_key(
        self, key_id: FromPath[uuid.UUID], db: Db, redis: Cache, principal: Caller
    ) -> None:
        await api_keys.revoke(db, redis, principal.team_id, key_id)

    @get("/audit", opt=ADMIN)
    async def audit_log(
        self,
        db: Db,
        principal: Caller,
        before: IdBefore = None,
        limit: Annotated[int, QueryParameter(ge=1, le=200)] = 50,
    ) -> AuditPage:
        """Mutating requests of this team, newest first; pass `next_cursor` as `before`."""
        return await audit.list_entries(db, principal.team_id, before, limit)
