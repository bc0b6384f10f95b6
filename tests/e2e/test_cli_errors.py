"""What `watchdeck` prints when it cannot do its job for a reason the user can fix: one line
naming the setting or the command to run, a non-zero exit, no traceback and no password."""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner
from watchdeck.cli import ErrorBoundary
from watchdeck.embedded import free_port

from tests.e2e.cli_process import CliProcess, cli_env

SECRET_KEY = "k" * 48
PASSWORD = "hunter2-do-not-print"


def _run(args: list[str], env: dict[str, str], cwd=None) -> tuple[int, list[str]]:
    """Run `watchdeck ARGS` to its end; its exit code and its non-empty output lines."""
    cli = CliProcess(args, env, cwd=cwd)
    cli.process.wait(timeout=120)
    code = cli.stop()
    return code, [line for line in cli.lines if line.strip()]


def test_user_create_on_an_unmigrated_database_names_the_migrate_command(tmp_path):
    env = cli_env(tmp_path / "data")

    code, lines = _run(
        ["user", "create", "--email", "ada@example.com", "--name", "Ada", "--password",
         "long enough", "--team", "Ops"],
        env,
    )  # fmt: skip

    assert code != 0
    assert "Traceback" not in "\n".join(lines)
    assert lines[-1].startswith("Error: the database is at revision none")
    assert lines[-1].endswith("run `watchdeck migrate`")


@pytest.mark.parametrize("command", [["api"], ["worker"], ["migrate"]])
def test_an_unreachable_database_is_one_line_naming_database_url_without_its_password(
    tmp_path, command
):
    port = free_port()  # nothing listens there
    env = cli_env(
        tmp_path,
        DATABASE_URL=f"postgresql://watchdeck:{PASSWORD}@127.0.0.1:{port}/watchdeck",
        REDIS_URL=f"redis://:{PASSWORD}@127.0.0.1:{free_port()}/0",
        WATCHDECK_SECRET_KEY=SECRET_KEY,
    )

    code, lines = _run(command, env)

    output = "\n".join(lines)
    assert code != 0
    assert "Traceback" not in output
    assert PASSWORD not in output
    assert lines[-1] == (
        f"Error: cannot reach DATABASE_URL (postgresql://127.0.0.1:{port}/watchdeck): "
        "connection refused"
    )


def test_openapi_into_a_missing_folder_names_the_path(tmp_path):
    target = tmp_path / "missing" / "dir" / "file.json"

    code, lines = _run(["openapi", "-o", str(target)], cli_env(tmp_path))

    assert code != 0
    assert lines == [f"Error: cannot open {target}: no such file or directory"]
    assert not target.parent.exists()


def test_a_bug_still_shows_its_traceback():
    @click.group(cls=ErrorBoundary)
    def tool() -> None:
        pass

    @tool.command()
    def broken() -> None:
        raise KeyError("a genuine bug")

    result = CliRunner().invoke(tool, ["broken"])

    assert result.exit_code != 0
    assert isinstance(result.exception, KeyError)
