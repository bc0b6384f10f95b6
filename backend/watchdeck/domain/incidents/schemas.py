"""Wire types of the incidents domain."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Any

import msgspec

from watchdeck.domain.incidents.models import COMMENT_MAX_CHARS, IncidentSource, IncidentStatus
from watchdeck.platform.text import label
from watchdeck.platform.vocabulary import Severity

Title = label(200)
Markdown = Annotated[str, msgspec.Meta(max_length=20_000, description="Markdown")]
CommentBody = Annotated[
    str, msgspec.Meta(min_length=1, max_length=COMMENT_MAX_CHARS, description="Markdown")
]
Note = Annotated[str, msgspec.Meta(max_length=COMMENT_MAX_CHARS, description="Markdown")]
UNSET = msgspec.UNSET
Unset = msgspec.UnsetType


class TimelineEntryOut(msgspec.Struct):
    id: int
    at: datetime
    kind: str
    actor: str | None
    data: dict[str, Any]


class IncidentOut(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    title: str
    description: str
    severity: Severity
    status: IncidentStatus
    source: IncidentSource
    service_id: uuid.UUID | None
    host_id: uuid.UUID | None
    assignee_id: uuid.UUID | None
    opened_at: datetime
    acknowledged_at: datetime | None
    resolved_at: datetime | None
    duration_s: float | None  # open to resolved
    timeline: list[TimelineEntryOut] | None = None


class IncidentPage(msgspec.Struct):
    items: list[IncidentOut]
    next_cursor: str | None  # pass as `before` for the next, older page


class IncidentIn(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """An incident opened by hand. Service, host and assignee must belong to the team."""

    title: Title
    severity: Severity
    description: Markdown = ""
    service_id: uuid.UUID | None = None
    host_id: uuid.UUID | None = None
    assignee_id: uuid.UUID | None = None


class IncidentPatch(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """Only the fields sent change; `assignee_id: null` unassigns.

    `status` here only acknowledges (open → investigating); resolving and
    reopening have their own routes.
    """

    title: Title | Unset = UNSET
    description: Markdown | Unset = UNSET
    severity: Severity | Unset = UNSET
    status: IncidentStatus | Unset = UNSET
    assignee_id: uuid.UUID | None | Unset = UNSET


class NoteIn(msgspec.Struct, forbid_unknown_fields=True):
    """An optional note recorded on the timeline with a resolve or reopen."""

    note: Note | None = None


class CommentIn(msgspec.Struct, forbid_unknown_fields=True):
    body: CommentBody


class CommentPatch(msgspec.Struct, forbid_unknown_fields=True):
    """The new text of a comment; `body` is required (checked once the comment is found)."""

    body: CommentBody | Unset = UNSET


class CommentOut(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    incident_id: uuid.UUID
    author_id: uuid.UUID | None  # None once the author's account is gone, or for an API key
    author: str  # the author's email (or "api key <name>") when they wrote it
    author_name: str
    body: str
    created_at: datetime
    edited_at: datetime | None


class WeekStats(msgspec.Struct):
    """Incidents opened in the ISO week starting `week_start` (a Monday, UTC)."""

    week_start: date
    opened: int
    resolved: int  # of those opened that week, how many are resolved now
    mtta_s: float | None  # mean time to acknowledge, over the acknowledged ones
    mttr_s: float | None  # mean time to resolve, over the resolved ones


class IncidentStats(msgspec.Struct):
    """Incidents opened in [from, to)."""

    start: datetime = msgspec.field(name="from")
    end: datetime = msgspec.field(name="to")
    total: int
    by_severity: dict[Severity, int]
    by_status: dict[IncidentStatus, int]
    mtta_s: float | None
    mttr_s: float | None
    weeks: list[WeekStats]
