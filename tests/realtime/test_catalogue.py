"""The catalogue's table of server events says what each event's Struct holds."""

from __future__ import annotations

import re

import msgspec
import pytest
from watchdeck.domain.incidents.schemas import CommentOut, IncidentOut
from watchdeck.platform.events import EventKind
from watchdeck.realtime import catalogue
from watchdeck.realtime.catalogue import EVENT_DATA

# Rows that describe the data in words, by the API schema it follows: the Struct's fields are
# that schema's plus those the row names in backticks.
IN_WORDS: dict[EventKind, type[msgspec.Struct]] = {
    EventKind.incident_opened: IncidentOut,
    EventKind.incident_updated: IncidentOut,
    EventKind.incident_resolved: IncidentOut,
    EventKind.incident_comment: CommentOut,
}


def server_events() -> dict[str, str]:
    """Each event kind in the server → client table, with its data cell."""
    lines = catalogue.__doc__.splitlines()
    start = lines.index("| event | room | data |") + 2
    rows: dict[str, str] = {}
    for line in lines[start:]:
        if not line.startswith("|"):
            break
        kinds, _room, data = (cell.strip() for cell in re.split(r"(?<!\\)\|", line)[1:-1])
        for kind in re.findall(r"`([^`]+)`", kinds):
            rows[kind] = data
    return rows


def fields_of(described: str) -> dict[str, str]:
    """`{a, b: [{c, d}]}` → {"a": "", "b": "[{c, d}]"}: each field with what it says of it."""
    inner = described.strip()[1:-1]
    fields, depth, start = {}, 0, 0
    for at, char in enumerate(inner + ","):
        depth += char in "[{"
        depth -= char in "]}"
        if char == "," and depth == 0:
            name, _, value = inner[start:at].partition(":")
            fields[name.strip()] = value.strip()
            start = at + 1
    return fields


def struct_of(data: msgspec.inspect.Type) -> tuple[msgspec.inspect.StructType, bool]:
    if isinstance(data, msgspec.inspect.ListType):
        return data.item_type, True
    return data, False


def check_fields(struct: msgspec.inspect.StructType, described: str) -> None:
    """The `{…}` list names exactly the Struct's fields, nested lists of Structs included."""
    named = fields_of(described)
    fields = {field.encode_name: field.type for field in struct.fields}
    assert set(named) == set(fields), f"{struct.cls.__name__}: {described}"
    for name, value in named.items():
        if value:
            nested, is_list = struct_of(fields[name])
            assert is_list == value.startswith("["), f"{struct.cls.__name__}.{name}"
            check_fields(nested, value.strip("[]"))


def test_every_event_kind_has_its_data_struct_and_a_row():
    assert set(EVENT_DATA) == set(EventKind)
    assert set(server_events()) == {kind.value for kind in EventKind}


@pytest.mark.parametrize("kind", list(EventKind))
def test_the_row_names_exactly_the_fields_of_the_struct(kind: EventKind):
    data = server_events()[kind]
    struct, is_list = struct_of(msgspec.inspect.type_info(EVENT_DATA[kind]))
    assert isinstance(struct, msgspec.inspect.StructType)
    if kind in IN_WORDS:
        schema = msgspec.inspect.type_info(IN_WORDS[kind])
        assert not is_list
        assert IN_WORDS[kind].__name__ in data
        named = set(re.findall(r"`(\w+)`", data))
        expected = {field.encode_name for field in schema.fields} | named
        assert {field.encode_name for field in struct.fields} == expected
        return
    described = re.search(r"`([^`]+)`", data)
    assert described is not None, f"{kind}: no `{{…}}` field list"
    fields = described.group(1)
    assert is_list == fields.startswith("["), f"{kind}: a list is written `[{{…}}]`"
    check_fields(struct, fields.strip("[]"))
