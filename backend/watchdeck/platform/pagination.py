"""Keyset pages, newest first, and the cursors that continue them.

A page's `next_cursor` goes back as the `before` parameter of the next request. Most lists
hand out the last row's time and id, `"<iso time>|<id>"`; the audit log its last id alone,
check results their last time alone, a status page's history its first day. Each route
declares its `before` with one of the annotated types below, so a value that is not such a
cursor (malformed, or past what the column holds) is a 422 naming `before`, on every list
alike, before the handler runs (parameters.py).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Any, TypeVar

from litestar.params import QueryParameter
from sqlalchemy import and_, or_
from sqlalchemy.sql.elements import ColumnElement

from watchdeck.platform.errors import Invalid
from watchdeck.platform.parameters import BIGINT_MAX, Rule, day, instant

K = TypeVar("K")

NOT_A_CURSOR = "not a cursor from a previous page"


def serial(text: str) -> int:
    """A bigint id (an identity column), as a cursor holds it; ValueError otherwise."""
    if not text.isascii() or not text.isdigit() or len(text) > 19 or int(text) > BIGINT_MAX:
        raise ValueError(NOT_A_CURSOR)
    return int(text)


@dataclass(frozen=True)
class CursorFormat(Rule):
    """How one list's cursor reads: the last row's time, its id, or both as `<time>|<id>`."""

    time: Callable[[str], object] | None
    key: Callable[[str], object] | None = None

    def decode(self, text: str) -> tuple[Any, Any]:
        """(time, id) from the cursor, None for a part this format lacks; ValueError when
        `text` is not a cursor of this format."""
        if self.time is not None and self.key is not None:
            time_text, bar, key_text = text.rpartition("|")
            if not bar:
                raise ValueError(NOT_A_CURSOR)
            return self.time(time_text), self.key(key_text)
        if self.time is not None:
            return self.time(text), None
        assert self.key is not None
        return None, self.key(text)

    def check(self, text: str) -> None:
        try:
            self.decode(text)
        except ValueError:
            raise ValueError(NOT_A_CURSOR) from None


TIME_AND_UUID = CursorFormat(instant, uuid.UUID)
TIME_AND_SERIAL = CursorFormat(instant, serial)
SERIAL = CursorFormat(None, serial)
TIME = CursorFormat(instant)
DAY = CursorFormat(day)

_HELP = "the `next_cursor` of the previous page, for the next (older) one"
Before = Annotated[str | None, QueryParameter(description=_HELP), TIME_AND_UUID]
"""`before` of a list whose rows have a uuid id."""
SerialBefore = Annotated[str | None, QueryParameter(description=_HELP), TIME_AND_SERIAL]
"""`before` of a list whose rows have a bigint id."""
IdBefore = Annotated[int | None, QueryParameter(description=_HELP), SERIAL]
"""`before` of a list paged by its bigint id alone."""
TimeBefore = Annotated[datetime | None, QueryParameter(description=_HELP), TIME]
"""`before` of a list paged by its time alone."""
DayBefore = Annotated[
    date | None, QueryParameter(description="the first day of the page shown after this one"), DAY
]
"""`before` of a list paged by days."""


def cursor_after(at: datetime, key: object) -> str:
    """The cursor that continues after a row with this time and id."""
    return f"{at.isoformat()}|{key}"


def older_than(
    time_column: Any, id_column: Any, cursor: str, key_type: Callable[[str], K]
) -> tuple[ColumnElement[bool], datetime]:
    """The condition selecting rows after `cursor` (the `before` parameter), and its time.
    `key_type` reads the id (`int` for a bigint id, `uuid.UUID`).

    Raises Invalid("before") when the cursor is not one a page handed out.
    """
    cursor_format = TIME_AND_SERIAL if key_type is int else CursorFormat(instant, key_type)
    try:
        at, key = cursor_format.decode(cursor)
    except ValueError:
        raise Invalid("before", NOT_A_CURSOR) from None
    return or_(time_column < at, and_(time_column == at, id_column < key)), at
