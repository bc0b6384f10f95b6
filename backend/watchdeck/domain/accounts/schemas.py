"""Wire types of the accounts domain."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

import msgspec

from watchdeck.domain.accounts.roles import KeyKind, Role
from watchdeck.platform.text import label

Email = Annotated[
    str,
    msgspec.Meta(
        max_length=254,
        pattern=r"^[^@\s\x00]+@[^@\s\x00]+\.[^@\s\x00]+$",  # PostgreSQL stores no NUL
        description="an email address",
        examples=["ada@example.com"],
    ),
]
Password = Annotated[str, msgspec.Meta(min_length=8, max_length=256)]
Name = label(100)
Secret = Annotated[str, msgspec.Meta(min_length=1, max_length=512)]


class SignupIn(msgspec.Struct, forbid_unknown_fields=True):
    email: Email
    password: Password
    name: Name
    team_name: Name


class LoginIn(msgspec.Struct):
    email: Email
    password: Annotated[str, msgspec.Meta(min_length=1, max_length=256)]


class RefreshIn(msgspec.Struct):
    refresh_token: Secret


class SwitchTeamIn(msgspec.Struct):
    team_id: uuid.UUID


class PasswordChangeIn(msgspec.Struct):
    current_password: Annotated[str, msgspec.Meta(min_length=1, max_length=256)]
    new_password: Password


class TokenPair(msgspec.Struct):
    access_token: str
    refresh_token: str
    expires_in: int
    team_id: uuid.UUID
    token_type: str = "bearer"


class TeamRef(msgspec.Struct):
    id: uuid.UUID
    name: str


class MyTeam(msgspec.Struct):
    id: uuid.UUID
    name: str
    role: Role


class MeOut(msgspec.Struct):
    id: uuid.UUID
    email: str
    name: str
    role: Role
    team: TeamRef
    teams: list[MyTeam]


class TeamCreateIn(msgspec.Struct, forbid_unknown_fields=True):
    name: Name


class TeamOut(msgspec.Struct):
    id: uuid.UUID
    name: str
    allow_private_targets: bool
    created_at: datetime


class TeamUpdateIn(msgspec.Struct, forbid_unknown_fields=True):
    name: Name | msgspec.UnsetType = msgspec.UNSET
    allow_private_targets: bool | msgspec.UnsetType = msgspec.UNSET


class MemberOut(msgspec.Struct):
    user_id: uuid.UUID
    email: str
    name: str
    role: Role
    joined_at: datetime


class MemberUpdateIn(msgspec.Struct, forbid_unknown_fields=True):
    role: Role


class InviteIn(msgspec.Struct, forbid_unknown_fields=True):
    email: Email
    role: Role


class InviteOut(msgspec.Struct):
    id: uuid.UUID
    email: str
    role: Role
    expires_at: datetime
    created_at: datetime


class InviteCreatedOut(msgspec.Struct):
    invite: InviteOut
    token: str  # shown once; only its digest is stored
    accept_url: str


class InvitePreviewOut(msgspec.Struct):
    team_name: str
    email: str
    role: Role
    expires_at: datetime
    existing_user: bool


class InviteAcceptIn(msgspec.Struct, forbid_unknown_fields=True):
    token: Secret
    password: Annotated[str, msgspec.Meta(min_length=1, max_length=256)]
    name: Name | None = None


class PasswordResetRequestIn(msgspec.Struct, forbid_unknown_fields=True):
    email: Email


class PasswordResetRequestedOut(msgspec.Struct):
    """The same answer whether or not an account has this email."""

    message: str


class PasswordResetPreviewOut(msgspec.Struct):
    email: str  # masked: the link may have been forwarded
    expires_at: datetime


class PasswordResetAcceptIn(msgspec.Struct, forbid_unknown_fields=True):
    token: Secret
    password: Password


class PasswordResetDoneOut(msgspec.Struct):
    email: str
    # Signed in to the first team; None when the account belongs to no team any more.
    session: TokenPair | None


class ApiKeyIn(msgspec.Struct, forbid_unknown_fields=True):
    name: Name
    kind: KeyKind
    role: Role | None = None


class ApiKeyOut(msgspec.Struct):
    id: uuid.UUID
    name: str
    kind: KeyKind
    role: Role | None
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class ApiKeyCreatedOut(msgspec.Struct):
    api_key: ApiKeyOut
    key: str  # shown once; only its digest is stored


class AuditEntryOut(msgspec.Struct):
    id: int
    at: datetime
    actor: str
    action: str
    target: dict[str, Any]
    status_code: int
    ip: str | None
    user_agent: str | None
    request_id: str | None


class AuditPage(msgspec.Struct):
    items: list[AuditEntryOut]
    next_cursor: int | None
