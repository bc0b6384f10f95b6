"""What Socket.IO clients send, as Structs, and reading it before any handler sees it.

A payload is read in three steps, each refusing with `Invalid` on the field it is about:
its nesting depth and whether it was JSON at all (the payload as a whole), the text rules
of platform/text.py on every string and key, then the Struct of its event, converted
strictly (`"5"` is not 5, `1` is not `true`) with unknown fields refused. Everything a
handler receives has passed all three.

The first step starts where python-socketio decodes a packet (`ClientPacket`): what lies
deeper than a payload may go is cut off, and text that is not JSON is marked, so that a
packet 100,000 levels deep or a connect with a number for its payload is refused like any
other bad payload instead of raising inside python-socketio with no answer sent.
"""

from __future__ import annotations

import json
import secrets
import uuid
from typing import Annotated, Any, TypeVar

import msgspec
import socketio

from watchdeck.platform import reading
from watchdeck.platform.errors import Invalid

T = TypeVar("T")

MAX_DEPTH = 32

# Rooms, ids and tokens are printable ASCII: this also refuses the tab, line feed and carriage
# return that the text rules let through, and every look-alike or direction-changing
# character. (`\Z`, not `$`, which would let a final line feed through.)
_PRINTABLE = r"\A[\x21-\x7e]*\Z"
_ASCII = "printable ASCII, without spaces"
Room = Annotated[
    str, msgspec.Meta(min_length=1, max_length=64, pattern=_PRINTABLE, description=_ASCII)
]
Token = Annotated[
    str, msgspec.Meta(min_length=1, max_length=8192, pattern=_PRINTABLE, description=_ASCII)
]
Seq = Annotated[int, msgspec.Meta(ge=0, le=2**63 - 1)]


class ConnectAuth(msgspec.Struct):
    """The connect payload (`auth`). Other fields are ignored, not refused: Socket.IO clients
    may add their own (connection state recovery sends `pid` and `offset`)."""

    token: Token


class RoomIn(msgspec.Struct, forbid_unknown_fields=True):
    room: Room


class ResumeIn(msgspec.Struct, forbid_unknown_fields=True):
    since: Seq


class IncidentIn(msgspec.Struct, forbid_unknown_fields=True):
    incident_id: uuid.UUID


class TypingIn(msgspec.Struct, forbid_unknown_fields=True):
    incident_id: uuid.UUID
    typing: bool


def read(payload_type: type[T], data: Any, root: str, prefix: str = "") -> T:
    """`data` as `payload_type`, or `Invalid` naming the field.

    Fields are named `prefix` + their path (`auth.token`, `room`); the payload as a whole,
    and what is wrong with it as a whole, is named `root` (`auth`, `payload`, `payload[0]`).
    """
    problem = _whole_problem(data)
    if problem is not None:
        raise Invalid(root, problem)
    return reading.read(data, payload_type, root=root, prefix=prefix)


class _Marker:
    def __init__(self, what: str) -> None:
        self.what = what

    def __repr__(self) -> str:
        return f"<{self.what}>"


# Where ClientPacket found what no payload may be; `read` refuses the payload holding one.
CUT_OFF = _Marker(f"nested deeper than {MAX_DEPTH} levels")
NOT_JSON = _Marker("not valid JSON")


def _whole_problem(data: Any) -> str | None:
    """Why the payload as a whole cannot be read (cut off, not JSON, nested deeper than
    MAX_DEPTH), or None."""
    # (value, how many objects and arrays hold it)
    stack: list[tuple[Any, int]] = [(data, 0)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, _Marker):
            return value.what
        if isinstance(value, dict | list) and depth >= MAX_DEPTH:
            return CUT_OFF.what
        if isinstance(value, dict):
            stack.extend((item, depth + 1) for item in value.values())
        elif isinstance(value, list):
            stack.extend((item, depth + 1) for item in value)
    return None


# What stands in the JSON for a cut-off part until it is decoded: a string no client can
# send, since it holds a NUL (refused by the text rules) and a secret.
_CUT_TEXT = "\x00cut off " + secrets.token_hex(16)
# A packet's JSON is `[event, payload]` (one level more than the payload) or a connect's
# payload.
_PACKET_DEPTH = MAX_DEPTH + 1


class _PacketJson:
    """The standard library's JSON, with containers deeper than `_PACKET_DEPTH` cut off."""

    @staticmethod
    def dumps(value: Any, **options: Any) -> str:
        return json.dumps(value, **options)

    @staticmethod
    def loads(text: str | bytes, **options: Any) -> Any:
        if isinstance(text, bytes):
            text = text.decode()
        if text.count("[") + text.count("{") <= _PACKET_DEPTH:
            return json.loads(text, **options)
        cut = _cut(text)
        value = json.loads(cut, **options)
        return value if cut is text else _marked(value)


class ClientPacket(socketio.packet.Packet):
    """Socket.IO's packet, read so that its data is always something `read` can refuse:
    JSON nested too deep is cut off (CUT_OFF), text that is not JSON is NOT_JSON, and an
    event's data that is not `[name, …]` is `[NOT_JSON]`."""

    json = _PacketJson

    def decode(self, encoded_packet: Any) -> int:
        try:
            attachments = super().decode(encoded_packet)
        except ValueError:
            # What follows the packet's header is not JSON. A connect whose payload is a
            # number reads so too: its first digits are taken for an ack id.
            self.data, attachments = NOT_JSON, 0
        is_event = self.packet_type in (socketio.packet.EVENT, socketio.packet.BINARY_EVENT)
        if is_event and not (isinstance(self.data, list) and self.data):
            self.data = [NOT_JSON]
        return attachments


def _cut(text: str) -> str:
    """`text` with each object or array deeper than `_PACKET_DEPTH` replaced by `_CUT_TEXT`;
    `text` itself when there is none."""
    kept: list[str] = []
    depth, start, in_string, escaped = 0, 0, False, False
    for at, char in enumerate(text):
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth == _PACKET_DEPTH + 1:
                kept.append(text[start:at])
        elif char in "]}":
            if depth == _PACKET_DEPTH + 1:
                kept.append(json.dumps(_CUT_TEXT))
                start = at + 1
            depth -= 1
    if depth or in_string:
        raise ValueError("unbalanced JSON")  # as json.loads would, before recursing into it
    if not kept:
        return text
    kept.append(text[start:])
    return "".join(kept)


def _marked(value: Any) -> Any:
    """`value` with each `_CUT_TEXT` replaced by CUT_OFF; no deeper than `_PACKET_DEPTH`."""
    if value == _CUT_TEXT:
        return CUT_OFF
    if isinstance(value, list):
        return [_marked(item) for item in value]
    if isinstance(value, dict):
        return {key: _marked(item) for key, item in value.items()}
    return value
