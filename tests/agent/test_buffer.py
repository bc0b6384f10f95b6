"""The buffer: oldest first, spills to files past its memory share, survives a restart."""

from __future__ import annotations

import json
import logging

from watchdeck_agent.buffer import Buffer


def drain(buffer: Buffer) -> list[tuple[str, list[int]]]:
    """Every batch as (batch_id, item numbers), oldest first, emptying the buffer."""
    batches = []
    while (batch := buffer.head()) is not None:
        batches.append((batch.batch_id, [json.loads(item)["n"] for item in batch.items]))
        buffer.pop()
    return batches


def items(start: int, stop: int) -> list[dict]:
    return [{"n": n, "pad": "p" * 50} for n in range(start, stop)]


def spool_files(directory) -> list[str]:
    return sorted(p.name for p in directory.iterdir())


def test_batches_fill_up_to_max_items_in_order(tmp_path):
    buffer = Buffer(tmp_path, max_items=3)
    buffer.add(items(0, 7))

    assert [numbers for _, numbers in drain(buffer)] == [[0, 1, 2], [3, 4, 5], [6]]
    assert len(buffer) == 0


def test_a_batch_handed_out_takes_no_more_items(tmp_path):
    buffer = Buffer(tmp_path, max_items=10)
    buffer.add(items(0, 2))
    first = buffer.head()
    assert first is not None
    first_id = first.batch_id

    buffer.add(items(2, 4))  # the send of `first` failed meanwhile; it is resent unchanged

    batches = drain(buffer)
    assert batches[0] == (first_id, [0, 1])
    assert [numbers for _, numbers in batches[1:]] == [[2, 3]]


def test_past_its_memory_share_the_oldest_batches_go_to_files(tmp_path):
    buffer = Buffer(tmp_path, max_items=2, memory_bytes=300)
    buffer.add(items(0, 10))

    assert buffer.spilled > 0
    assert spool_files(tmp_path)
    assert [numbers for _, numbers in drain(buffer)] == [[0, 1], [2, 3], [4, 5], [6, 7], [8, 9]]
    assert spool_files(tmp_path) == []


def test_spilled_batches_survive_a_restart_with_their_ids(tmp_path):
    first_run = Buffer(tmp_path, max_items=2, memory_bytes=300)
    first_run.add(items(0, 5))
    head = first_run.head()
    assert head is not None
    attempted_id = head.batch_id  # sent once, answer lost: must come back with this id
    first_run.spill_all()

    second_run = Buffer(tmp_path, max_items=2, memory_bytes=300)
    second_run.add(items(5, 7))
    batches = drain(second_run)

    assert batches[0] == (attempted_id, [0, 1])
    assert [numbers for _, numbers in batches] == [[0, 1], [2, 3], [4], [5, 6]]
    assert len({batch_id for batch_id, _ in batches}) == len(batches)


def test_past_the_cap_the_oldest_batches_are_dropped_with_a_warning(tmp_path, caplog):
    buffer = Buffer(tmp_path, max_items=2, memory_bytes=300, cap_bytes=1000)
    with caplog.at_level(logging.WARNING, logger="watchdeck_agent"):
        buffer.add(items(0, 40))

    numbers = [n for _, batch in drain(buffer) for n in batch]
    assert numbers == list(range(numbers[0], 40))  # the newest, contiguous, in order
    assert numbers[0] > 0
    assert "event=buffer_full" in caplog.text


def test_an_unreadable_spool_file_is_skipped(tmp_path, caplog):
    buffer = Buffer(tmp_path, max_items=2, memory_bytes=100)
    buffer.add(items(0, 6))
    buffer.spill_all()
    first = sorted(tmp_path.iterdir())[0]
    first.write_text("not json\n")

    with caplog.at_level(logging.ERROR, logger="watchdeck_agent"):
        batches = drain(Buffer(tmp_path, max_items=2))

    assert [numbers for _, numbers in batches] == [[2, 3], [4, 5]]
    assert "event=spool_file_unreadable" in caplog.text
