"""What text may hold once it is stored and shown to a team.

Two rules, applied wherever text enters (request bodies, query strings, socket payloads):

- **Any text** refuses NUL (PostgreSQL cannot store it) and the other C0/C1 control
  characters, tab, line feed and carriage return apart: they corrupt logs and terminals
  (ANSI escapes start with one) and no form can type them.
- **A label** (a name or a title: what a list or a page shows to tell rows apart) also
  refuses line breaks, bidirectional controls (which make "gpj.exe" read as "exe.jpg") and
  the invisible characters that make two names look alike, and needs one visible character.
  Surrounding whitespace is removed rather than refused. The zero-width joiner stays allowed:
  emoji sequences and several scripts need it.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated, Any

import msgspec

# The `extra` a string type carries to be read as a label (see `label`).
LABEL_MARK = {"text": "label"}

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_NOT_IN_LABELS = re.compile(
    r"[\x00-\x1f\x7f-\x9f\u061c\u200b\u200e\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]"
)
# Letters, marks that stand alone, digits, punctuation and symbols are what a reader sees.
_INVISIBLE = frozenset({"Zs", "Zl", "Zp", "Cc", "Cf", "Mn", "Me"})


def label(max_length: int, *, description: str | None = None) -> Any:
    """A string type for a name or a title, up to `max_length` characters."""
    return Annotated[
        str,
        msgspec.Meta(
            min_length=1, max_length=max_length, description=description, extra=LABEL_MARK
        ),
    ]


def _describe(char: str) -> str:
    if char == "\x00":
        return "NUL characters"
    name = unicodedata.name(char, "")
    return f"control characters (U+{ord(char):04X}{' ' + name if name else ''})"


def text_problem(value: str) -> str | None:
    """Why `value` cannot be stored as text, or None."""
    found = _CONTROL.search(value)
    return None if found is None else f"must not contain {_describe(found.group())}"


def label_problem(value: str) -> str | None:
    """Why `value` (already stripped) cannot be a label, or None."""
    found = _NOT_IN_LABELS.search(value)
    if found is not None:
        char = found.group()
        if char in "\t\n\r":
            return "must be one line"
        if _CONTROL.match(char):
            return f"must not contain {_describe(char)}"
        return f"must not contain invisible or direction-changing characters (U+{ord(char):04X})"
    if not any(unicodedata.category(char) not in _INVISIBLE for char in value):
        return "must not be blank"
    return None
