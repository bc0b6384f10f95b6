"""The one check of request headers that users give us to send: a service check's headers and
a webhook channel's custom headers.

A header passes when an HTTP client can put it on the wire unchanged: its name is an RFC 9110
token (so no colon, space, CR or LF), its value printable ASCII without a leading or trailing
space (h11, under httpx, refuses those), and it is not one the client writes itself to frame
the message or manage the connection (`FRAMING`). Anything else is refused when it is saved,
not discovered as a failure on every check or delivery afterwards.

What else a caller reserves depends on what it sends: a webhook also keeps Host (the
receiver's URL decides it) and the headers its body and signature depend on; a service check
lets a user set Host, since checking a virtual host through an IP address, or before its DNS
name points at the server, is a real need and the connection still goes to the vetted address.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping

MAX_NAME_LENGTH = 128
MAX_VALUE_LENGTH = 4096

# Written by httpx / h11 (and aiohttp) from the body and the connection they manage: a second
# copy from a user would contradict the framing and every request would fail.
FRAMING = frozenset(
    {
        "content-length",
        "transfer-encoding",
        "connection",
        "keep-alive",
        "proxy-connection",
        "te",
        "trailer",
        "upgrade",
        "expect",
    }
)

_TOKEN = re.compile(rf"[!#$%&'*+.^_`|~0-9A-Za-z-]{{1,{MAX_NAME_LENGTH}}}")
_VALUE = re.compile(rf"(?:[\x21-\x7e](?:[\x20-\x7e]{{0,{MAX_VALUE_LENGTH - 2}}}[\x21-\x7e])?)?")


def header_problem(
    headers: Mapping[str, str], *, reserved: Collection[str] = FRAMING
) -> tuple[str, str] | None:
    """The first header that cannot be sent and why, as (name, reason), or None when all can.

    `reserved` holds lower-case names the caller sets itself; include `FRAMING` in it. The
    reason never repeats the value, which may be a credential.
    """
    seen: set[str] = set()
    for name, value in headers.items():
        if not _TOKEN.fullmatch(name):
            return name, (
                "is not a valid header name: letters, digits and !#$%&'*+-.^_`|~ only, "
                f"at most {MAX_NAME_LENGTH} characters"
            )
        if name.lower() in reserved:
            return name, "is set by Watchdeck and cannot be replaced"
        if name.lower() in seen:
            return name, "is given twice (header names ignore case)"
        seen.add(name.lower())
        if not _VALUE.fullmatch(value):
            return name, (
                "the value must be printable ASCII (no CR, LF or other control characters), "
                f"without leading or trailing spaces, at most {MAX_VALUE_LENGTH} characters"
            )
    return None
