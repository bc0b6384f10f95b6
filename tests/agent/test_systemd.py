"""The shipped systemd unit and `--install-systemd`."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest
from watchdeck_agent import systemd
from watchdeck_agent.systemd import install, unit_text

from tests.agent.conftest import AGENTS_DIR


def test_the_packaged_unit_is_the_one_in_packaging():
    shipped = (AGENTS_DIR / "packaging" / "watchdeck-agent.service").read_text()

    assert unit_text("/opt/watchdeck-agent/bin/watchdeck-agent") == shipped
    for line in (
        "Restart=always",
        "DynamicUser=yes",
        "EnvironmentFile=/etc/watchdeck-agent.env",
        "ReadWritePaths=/var/lib/watchdeck-agent",
        "NoNewPrivileges=yes",
        "ProtectSystem=strict",
    ):
        assert line in shipped.splitlines(), line


def test_install_writes_the_unit_for_this_installation_and_starts_it(tmp_path, monkeypatch):
    monkeypatch.setattr(systemd, "installed_executable", lambda: "/srv/agent/bin/watchdeck-agent")
    env_file = tmp_path / "watchdeck-agent.env"
    env_file.write_text("WATCHDECK_URL=http://x\nWATCHDECK_TOKEN=t\n")
    commands = []

    status = install(tmp_path, env_file, run=lambda command, check: commands.append(command))

    assert status == 0
    unit = (tmp_path / "watchdeck-agent.service").read_text().splitlines()
    assert [line for line in unit if line.startswith("ExecStart=")] == [
        "ExecStart=/srv/agent/bin/watchdeck-agent"
    ]
    assert commands == [
        ["systemctl", "daemon-reload"],
        ["systemctl", "enable", "watchdeck-agent.service"],
        ["systemctl", "restart", "watchdeck-agent.service"],
    ]


def test_the_installed_script_is_the_one_beside_the_interpreter(tmp_path, monkeypatch):
    (tmp_path / "bin").mkdir()
    (tmp_path / "bin" / "watchdeck-agent").touch()
    monkeypatch.setattr(sys, "executable", str(tmp_path / "bin" / "python3"))

    assert systemd.installed_executable() == str(tmp_path / "bin" / "watchdeck-agent")


def test_install_refuses_without_the_env_file(tmp_path):
    status = install(tmp_path, tmp_path / "missing.env", run=lambda *a, **k: None)

    assert status == 1
    assert not (tmp_path / "watchdeck-agent.service").exists()


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="no systemd-analyze here")
def test_the_unit_passes_systemd_analyze_verify(tmp_path):
    unit = tmp_path / "watchdeck-agent.service"
    unit.write_text(unit_text(shutil.which("true") or "/bin/true"))

    done = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", str(unit)],
        capture_output=True,
        text=True,
        timeout=30,
    )

    assert done.returncode == 0, done.stderr
    assert "watchdeck-agent.service" not in done.stderr, done.stderr
