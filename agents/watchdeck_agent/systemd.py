"""`--install-systemd`: install the unit shipped with the package and start it."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Callable

UNIT_NAME = "watchdeck-agent.service"
UNIT_DIR = Path("/etc/systemd/system")
ENV_FILE = Path("/etc/watchdeck-agent.env")
_DEFAULT_EXECUTABLE = "/opt/watchdeck-agent/bin/watchdeck-agent"


def unit_text(executable: str) -> str:
    """The shipped unit, started through `executable` instead of the /opt default."""
    text = (Path(__file__).parent / UNIT_NAME).read_text(encoding="utf-8")
    return text.replace(_DEFAULT_EXECUTABLE, executable)


def installed_executable() -> str:
    """The `watchdeck-agent` script of this installation (beside the running interpreter)."""
    beside = Path(sys.executable).parent / "watchdeck-agent"
    if beside.exists():
        return str(beside)
    return shutil.which("watchdeck-agent") or _DEFAULT_EXECUTABLE


def install(
    unit_dir: Path = UNIT_DIR,
    env_file: Path = ENV_FILE,
    run: Callable[..., object] = subprocess.run,
) -> int:
    """Write the unit, reload systemd, enable and (re)start the agent; an exit status."""
    if not env_file.exists():
        print(
            f"watchdeck-agent: write WATCHDECK_URL and WATCHDECK_TOKEN to {env_file} first",
            file=sys.stderr,
        )
        return 1
    unit = unit_dir / UNIT_NAME
    unit.write_text(unit_text(installed_executable()), encoding="utf-8")
    unit.chmod(0o644)
    for command in (
        ["systemctl", "daemon-reload"],
        ["systemctl", "enable", UNIT_NAME],
        # restart rather than start: a reinstall picks up a new version or env file.
        ["systemctl", "restart", UNIT_NAME],
    ):
        try:
            run(command, check=True)
        except (OSError, subprocess.CalledProcessError) as exc:
            print(f"watchdeck-agent: {' '.join(command)} failed: {exc}", file=sys.stderr)
            return 1
    print(f"watchdeck-agent: installed {unit} and started it; logs: journalctl -u {UNIT_NAME}")
    return 0
