"""The catalogue's table of client events says what each payload Struct holds."""

from __future__ import annotations

import re

import msgspec
import pytest
from watchdeck.realtime import catalogue
from watchdeck.realtime.catalogue import CLIENT_EVENTS, CLIENT_PAYLOADS, CONNECT_PAYLOAD


def client_events() -> dict[str, str]:
    """Each event in the client → server table, with its payload cell."""
    lines = catalogue.__doc__.splitlines()
    start = lines.index("| event | payload | access | answer (ack) |") + 2
    rows: dict[str, str] = {}
    for line in lines[start:]:
        if not line.startswith("|"):
            break
        event, payload, *_ = (cell.strip() for cell in re.split(r"(?<!\\)\|", line)[1:-1])
        rows[event.strip("`")] = payload
    return rows


def fields(struct: type[msgspec.Struct]) -> set[str]:
    return {field.encode_name for field in msgspec.inspect.type_info(struct).fields}


def test_every_client_event_has_a_row_and_a_payload_struct():
    assert set(client_events()) == set(CLIENT_EVENTS) == set(CLIENT_PAYLOADS)


@pytest.mark.parametrize("event", list(CLIENT_EVENTS))
def test_the_row_names_exactly_the_fields_of_the_payload(event: str):
    named = set(re.findall(r'"(\w+)":', client_events()[event]))

    assert named == fields(CLIENT_PAYLOADS[event])


def test_the_connect_payload_is_described_with_its_fields():
    described = re.search(r"The connect payload is `(\{[^`]+\})`", catalogue.__doc__)

    assert described is not None
    assert set(re.findall(r'"(\w+)":', described.group(1))) == fields(CONNECT_PAYLOAD)
