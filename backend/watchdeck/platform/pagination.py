"""Keyset pages, newest first: a cursor is the last row's time and id, `"<iso time>|<id>"`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import and_, or_
from sqlalchemy.sql.elements import ColumnElement

from watchdeck.platform.errors import Invalid

K = TypeVar("K")


def cursor_after(at: datetime, key: object) -> str:
    """The cursor that continues after a row with this time and id."""
    return f"{at.isoformat()}|{key}"


def older_than(
    time_column: Any, id_column: Any, cursor: str, key_type: Callable[[str], K]
) -> tuple[ColumnElement[bool], datetime]:
    """The condition selecting rows after `cursor` (the `before` parameter), and its time.

    Raises Invalid("before") when the cursor is not one a page handed out.
    """
    try:
        text, _, key_text = cursor.rpartition("|")
        at, key = datetime.fromisoformat(text), key_type(key_text)
    except ValueError:
        raise Invalid("before", "not a cursor from a previous page") from None
    return or_(time_column < at, and_(time_column == at, id_column < key)), at
