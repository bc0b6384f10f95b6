"""`watchdeck migrate --check`, for deploy pipelines: whether a migration is pending, told by
the exit code, with nothing changed."""

from __future__ import annotations

import asyncio

from sqlalchemy.engine import make_url
from watchdeck.db.migrate import head_revision

from tests.e2e.cli_process import CliProcess, cli_env
from tests.support.servers import _create_database


def _run(args: list[str], env: dict[str, str]) -> tuple[int, str]:
    cli = CliProcess(args, env)
    cli.process.wait(timeout=120)
    return cli.stop(), cli.output


def test_migrate_check_tells_a_pending_migration_by_its_exit_code_and_changes_nothing(
    tmp_path, servers
):
    asyncio.run(_create_database(servers.database_url, "watchdeck_pending"))
    url = str(make_url(servers.database_url).set(database="watchdeck_pending"))
    env = cli_env(tmp_path, DATABASE_URL=url, REDIS_URL=servers.redis_url)
    head = head_revision(url)

    pending, said = _run(["migrate", "--check"], env)
    still_pending, _ = _run(["migrate", "--check"], env)
    migrated, _ = _run(["migrate"], env)
    current, said_after = _run(["migrate", "--check"], env)

    assert pending == 1
    assert f"the database is at revision none but the code needs {head}" in said
    assert "Traceback" not in said
    assert still_pending == 1  # the first check migrated nothing
    assert migrated == 0
    assert current == 0
    assert "no migration is pending" in said_after
