"""Log tailing: from the end, across rotation, from the saved offset after a restart."""

from __future__ import annotations

import os
import shutil

import pytest
from watchdeck_agent.state import StateFile
from watchdeck_agent.tailer import MAX_LINE_BYTES, Tailer, parse_level


def append(path, *lines: str) -> None:
    with open(path, "a", encoding="utf-8") as handle:
        handle.writelines(line + "\n" for line in lines)


def messages(lines: list[dict]) -> list[str]:
    return [line["message"] for line in lines]


@pytest.fixture
def log_file(tmp_path):
    path = tmp_path / "app.log"
    append(path, "old line 1", "old line 2")
    return path


def test_starts_at_the_end_and_ships_new_lines(log_file):
    tailer = Tailer([str(log_file)], {})
    assert tailer.poll() == []

    append(log_file, "2024-01-01 ERROR payment failed", "all good")
    lines = tailer.poll()

    assert messages(lines) == ["2024-01-01 ERROR payment failed", "all good"]
    assert lines[0]["level"] == "error"
    assert lines[1]["level"] is None
    assert lines[0]["source"] == str(log_file)
    assert lines[0]["attributes"] == {}
    assert lines[0]["at"].endswith("Z")
    assert tailer.poll() == []


def test_a_line_is_shipped_only_once_complete(log_file):
    tailer = Tailer([str(log_file)], {})
    with open(log_file, "a") as handle:
        handle.write("half a li")
    assert tailer.poll() == []

    with open(log_file, "a") as handle:
        handle.write("ne\r\n")
    assert messages(tailer.poll()) == ["half a line"]


def test_follows_rename_rotation_without_losing_lines(log_file):
    tailer = Tailer([str(log_file)], {})
    append(log_file, "before rotation")
    assert messages(tailer.poll()) == ["before rotation"]

    rotated = log_file.with_name("app.log.1")
    os.rename(log_file, rotated)
    append(rotated, "written late to the old file")  # the app has not reopened yet
    append(log_file, "first in the new file", "second in the new file")

    assert messages(tailer.poll()) == [
        "written late to the old file",
        "first in the new file",
        "second in the new file",
    ]
    append(log_file, "later")
    assert messages(tailer.poll()) == ["later"]


def test_waits_for_the_new_file_after_a_rename(log_file):
    tailer = Tailer([str(log_file)], {})
    os.rename(log_file, log_file.with_name("app.log.1"))
    assert tailer.poll() == []

    append(log_file, "the new file appeared")
    assert messages(tailer.poll()) == ["the new file appeared"]


def test_follows_copytruncate(log_file):
    tailer = Tailer([str(log_file)], {})
    append(log_file, "before copy")
    assert messages(tailer.poll()) == ["before copy"]

    shutil.copy(log_file, log_file.with_name("app.log.1"))
    with open(log_file, "r+") as handle:
        handle.truncate(0)
    append(log_file, "after truncate")

    assert messages(tailer.poll()) == ["after truncate"]


def test_a_restart_continues_from_the_saved_offset(tmp_path, log_file):
    state = StateFile(tmp_path / "state.json")
    tailer = Tailer([str(log_file)], state.data.setdefault("logs", {}))
    append(log_file, "seen by the first run")
    assert messages(tailer.poll()) == ["seen by the first run"]
    tailer.close()
    state.save()

    append(log_file, "written while stopped 1", "written while stopped 2")
    state = StateFile(tmp_path / "state.json")
    tailer = Tailer([str(log_file)], state.data.setdefault("logs", {}))

    assert messages(tailer.poll()) == ["written while stopped 1", "written while stopped 2"]


def test_a_restart_after_a_rotation_finishes_the_old_file_first(tmp_path, log_file):
    state = StateFile(tmp_path / "state.json")
    tailer = Tailer([str(log_file)], state.data.setdefault("logs", {}))
    tailer.poll()
    tailer.close()
    state.save()

    append(log_file, "last words of the old file")
    os.rename(log_file, log_file.with_name("app.log.1"))
    append(log_file, "first words of the new file")
    state = StateFile(tmp_path / "state.json")
    tailer = Tailer([str(log_file)], state.data.setdefault("logs", {}))

    assert messages(tailer.poll()) == ["last words of the old file", "first words of the new file"]


def test_a_file_created_after_start_is_read_from_its_start(tmp_path):
    path = tmp_path / "later.log"
    tailer = Tailer([str(path)], {})
    assert tailer.poll() == []

    append(path, "first line ever")
    assert messages(tailer.poll()) == ["first line ever"]


def test_long_lines_are_cut_at_8_kib(log_file):
    tailer = Tailer([str(log_file)], {})
    append(log_file, "x" * 20000, "short")

    lines = tailer.poll()

    assert [len(m) for m in messages(lines)] == [MAX_LINE_BYTES, 5]


def test_an_endless_line_is_cut_before_its_newline_arrives(log_file):
    tailer = Tailer([str(log_file)], {})
    with open(log_file, "a") as handle:
        handle.write("y" * (MAX_LINE_BYTES + 100))
    assert [len(m) for m in messages(tailer.poll())] == [MAX_LINE_BYTES]

    append(log_file, "rest of the long line", "next")
    assert messages(tailer.poll()) == ["next"]


@pytest.mark.parametrize(
    ("line", "level"),
    [
        ("2024-05-01 12:00:00 ERROR db timeout", "error"),
        ("WARN disk at 91%", "warning"),
        ("WARNING:root:slow request", "warning"),
        ("[INFO] started", "info"),
        ("DEBUG cache miss", "debug"),
        ("CRITICAL out of memory", "critical"),
        ("FATAL cannot bind", "critical"),
        ("ts=2024 level=error msg=boom", "error"),
        ('time=x level="warn" msg=slow', "warning"),
        ('{"level": "info", "msg": "an ERROR in the text"}', "info"),
        ('{"severity":"ERROR","message":"x"}', "error"),
        ("2024/05/01 12:00:00 [error] 123#0: upstream timed out", "error"),
        ("no error here, just prose", None),
        ("plain line", None),
    ],
)
def test_levels_are_parsed_when_the_line_has_one(line, level):
    assert parse_level(line) == level
