"""Comments on incidents: write, edit your own, delete your own (admins: any).

Comments live in their own table and are listed by GET /incidents/{id}/comments.
The timeline only records that one was written (`comment`) or deleted
(`comment_deleted`), with its id and who did it; edits show as `edited_at` on
the comment itself.
"""

from __future__ import annotations

import uuid

from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncSession

from watchdeck.domain.accounts.auth import Principal, check_access
from watchdeck.domain.accounts.roles import Access
from watchdeck.domain.incidents import broadcast, queries
from watchdeck.domain.incidents.models import Comment, TimelineEntry
from watchdeck.domain.incidents.schemas import UNSET, CommentOut, CommentPatch
from watchdeck.platform.clock import utcnow
from watchdeck.platform.errors import Forbidden, Invalid


async def add(
    session: AsyncSession,
    redis: Redis,
    principal: Principal,
    incident_id: uuid.UUID,
    body: str,
) -> CommentOut:
    """Comment on the team's incident; publishes `incident.comment`."""
    incident = await queries.get_incident(session, principal.team_id, incident_id)
    author = (
        await queries.team_member(session, principal.team_id, principal.user_id)
        if principal.user_id
        else None
    )
    now = utcnow()
    comment = Comment(
        id=uuid.uuid4(),
        incident_id=incident.id,
        author_id=principal.user_id,
        author=principal.label,
        author_name=author.name if author else principal.label,
        body=_text(body),
        created_at=now,
    )
    session.add(comment)
    await session.flush()  # the comment exists before the timeline points at it
    session.add(
        TimelineEntry(
            incident_id=incident.id,
            at=now,
            kind="comment",
            actor=principal.label,
            data={"comment_id": str(comment.id)},
        )
    )
    await session.commit()
    out = queries.comment_out(comment)
    await broadcast.comment_written(redis, principal.team_id, out)
    return out


async def edit(
    session: AsyncSession,
    redis: Redis,
    principal: Principal,
    incident_id: uuid.UUID,
    comment_id: uuid.UUID,
    changes: CommentPatch,
) -> CommentOut:
    """Change the text of your own comment; publishes `incident.comment` with `edited_at`."""
    comment = await queries.get_comment(session, principal.team_id, incident_id, comment_id)
    # What is missing from the request is said before whether the caller may edit.
    if changes.body is UNSET:
        raise Invalid("body", "required: the comment's new text")
    if not _is_author(principal, comment):
        raise Forbidden("only its author may edit a comment")
    comment.body = _text(changes.body)
    comment.edited_at = utcnow()
    await session.commit()
    out = queries.comment_out(comment)
    await broadcast.comment_written(redis, principal.team_id, out)
    return out


async def delete(
    session: AsyncSession,
    redis: Redis,
    principal: Principal,
    incident_id: uuid.UUID,
    comment_id: uuid.UUID,
) -> None:
    """Delete a comment: its author may, and so may an admin; publishes
    `incident.comment_deleted`."""
    comment = await queries.get_comment(session, principal.team_id, incident_id, comment_id)
    if not _is_author(principal, comment):
        try:
            check_access(principal, Access.admin)
        except Forbidden:
            raise Forbidden("only its author or an admin may delete a comment") from None
    await session.delete(comment)
    session.add(
        TimelineEntry(
            incident_id=comment.incident_id,
            at=utcnow(),
            kind="comment_deleted",
            actor=principal.label,
            data={"comment_id": str(comment.id)},
        )
    )
    await session.commit()
    await broadcast.comment_deleted(redis, principal.team_id, comment.incident_id, comment.id)


def _is_author(principal: Principal, comment: Comment) -> bool:
    return comment.author_id is not None and comment.author_id == principal.user_id


def _text(body: str) -> str:
    if not body.strip():
        raise Invalid("body", "must not be blank")
    return body
