"""Settings: flags win over the environment, which wins over the config file.

The config file is either a JSON object or `KEY=VALUE` lines (the format of
/etc/watchdeck-agent.env, so that file can be passed to --config as it is).
Keys may be written with or without the `WATCHDECK_` prefix, in any case:
`url` (or `server`), `token`, `interval`, `log_files`, `state_dir`.
"""

from __future__ import annotations

import argparse
import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from watchdeck_agent import __version__

DEFAULT_INTERVAL = 5.0
MAX_INTERVAL = 3600.0

# Setting name -> environment variable.
ENV_VARS = {
    "url": "WATCHDECK_URL",
    "token": "WATCHDECK_TOKEN",
    "interval": "WATCHDECK_INTERVAL",
    "log_files": "WATCHDECK_LOG_FILES",
    "state_dir": "WATCHDECK_STATE_DIR",
}
_ALIASES = {"server": "url"}
_FLAGS = {"url": "--server", "log_files": "--log-file"}


class ConfigError(ValueError):
    """A setting is missing or malformed; the message names it and where it came from."""


@dataclass(frozen=True)
class Config:
    server: str | None
    token: str | None
    interval: float
    log_files: tuple[str, ...]
    state_dir: Path
    once: bool = False
    verbose: bool = False
    quiet: bool = False
    install_systemd: bool = False


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="watchdeck-agent",
        description="Push this host's metrics and log lines to a Watchdeck server.",
    )
    parser.add_argument("--server", metavar="URL", help="Watchdeck base URL (env WATCHDECK_URL)")
    parser.add_argument("--token", metavar="T", help="the host's agent token (env WATCHDECK_TOKEN)")
    parser.add_argument(
        "--interval",
        metavar="S",
        help="seconds between samples and pushes "
        f"(env WATCHDECK_INTERVAL, default {DEFAULT_INTERVAL:g})",
    )
    parser.add_argument(
        "--log-file",
        metavar="PATH",
        action="append",
        dest="log_files",
        help="a log file to follow; repeat for more (env WATCHDECK_LOG_FILES, colon-separated)",
    )
    parser.add_argument(
        "--state-dir",
        metavar="DIR",
        help="where log offsets, assigned checks and unsent batches are kept "
        "(env WATCHDECK_STATE_DIR)",
    )
    parser.add_argument("--config", metavar="PATH", help="a JSON or KEY=VALUE settings file")
    parser.add_argument(
        "--once", action="store_true", help="print one sample as JSON and exit (no server needed)"
    )
    parser.add_argument("--verbose", "-v", action="store_true", help="log every request")
    parser.add_argument("--quiet", "-q", action="store_true", help="log only warnings and errors")
    parser.add_argument(
        "--install-systemd",
        action="store_true",
        help="install and start the systemd unit (as root; settings in /etc/watchdeck-agent.env)",
    )
    parser.add_argument("--version", action="version", version=f"watchdeck-agent {__version__}")
    return parser


def load(argv: Sequence[str] | None = None, environ: Mapping[str, str] | None = None) -> Config:
    """The agent's settings; argparse exits on bad flags, ConfigError on bad values."""
    args = build_parser().parse_args(argv)
    env = os.environ if environ is None else environ
    from_file = read_config_file(Path(args.config).expanduser()) if args.config else {}

    def pick(flag: object, key: str) -> tuple[object, str]:
        if flag is not None:
            return flag, _FLAGS.get(key, f"--{key.replace('_', '-')}")
        if env.get(ENV_VARS[key]):
            return env[ENV_VARS[key]], ENV_VARS[key]
        if key in from_file:
            return from_file[key], f"{args.config}: {key}"
        return None, key

    server, where = pick(args.server, "url")
    if server is not None:
        server = str(server).strip().rstrip("/")
        if not server.startswith(("http://", "https://")):
            raise ConfigError(f"{where}: {server!r} must start with http:// or https://")
    token, where = pick(args.token, "token")
    token = str(token).strip() if token is not None else None
    if token and not (token.isascii() and token.isprintable() and " " not in token):
        # It travels in an HTTP header, which takes printable ASCII only.
        raise ConfigError(f"{where}: must be printable ASCII without spaces")
    interval_value, where = pick(args.interval, "interval")
    interval = _interval(interval_value, where)
    log_files_value, where = pick(args.log_files, "log_files")
    state_dir_value, _ = pick(args.state_dir, "state_dir")

    needs_server = not (args.once or args.install_systemd)
    if needs_server and not server:
        raise ConfigError("no server: pass --server URL or set WATCHDECK_URL")
    if needs_server and not token:
        raise ConfigError("no token: pass --token T or set WATCHDECK_TOKEN")
    return Config(
        server=server or None,
        token=token or None,
        interval=interval,
        log_files=_log_files(log_files_value, where),
        state_dir=Path(str(state_dir_value)).expanduser()
        if state_dir_value
        else default_state_dir(env),
        once=args.once,
        verbose=args.verbose,
        quiet=args.quiet,
        install_systemd=args.install_systemd,
    )


def default_state_dir(env: Mapping[str, str]) -> Path:
    """/var/lib/watchdeck-agent for root, else the user's XDG state folder."""
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        return Path("/var/lib/watchdeck-agent")
    base = env.get("XDG_STATE_HOME") or os.path.join(os.path.expanduser("~"), ".local", "state")
    return Path(base) / "watchdeck-agent"


def read_config_file(path: Path) -> dict[str, object]:
    """Settings from a JSON object or `KEY=VALUE` lines, keyed by setting name."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"--config {path}: cannot read it ({exc.strerror})") from None
    if text.lstrip().startswith("{"):
        try:
            raw = json.loads(text)
        except ValueError as exc:
            raise ConfigError(f"--config {path}: not valid JSON ({exc})") from None
        if not isinstance(raw, dict):
            raise ConfigError(f"--config {path}: expected a JSON object")
        pairs = list(raw.items())
    else:
        pairs = list(_env_lines(text, path))
    settings: dict[str, object] = {}
    for key, value in pairs:
        name = str(key).strip().lower()
        if name.startswith("watchdeck_"):
            name = name[len("watchdeck_") :]
        name = _ALIASES.get(name, name)
        if name not in ENV_VARS:
            raise ConfigError(f"--config {path}: unknown setting {key!r}")
        settings[name] = value
    return settings


def _env_lines(text: str, path: Path):
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("export "):
            line = line[len("export ") :].lstrip()
        key, sep, value = line.partition("=")
        if not sep:
            raise ConfigError(f"--config {path}:{number}: expected KEY=VALUE")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        yield key.strip(), value


def _interval(value: object, where: str) -> float:
    if value is None:
        return DEFAULT_INTERVAL
    try:
        seconds = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ConfigError(f"{where}: {value!r} is not a number of seconds") from None
    if not 0 < seconds <= MAX_INTERVAL:
        raise ConfigError(f"{where}: must be more than 0 and at most {MAX_INTERVAL:g} seconds")
    return seconds


def _log_files(value: object, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        items: list[object] = value.split(":")
    elif isinstance(value, (list, tuple)):
        items = list(value)
    else:
        raise ConfigError(f"{where}: expected a list of paths or a colon-separated string")
    paths: list[str] = []
    for item in items:
        text = str(item).strip()
        if not text:
            continue
        # Absolute paths keep the offsets in the state file valid whatever the working directory.
        path = os.path.abspath(os.path.expanduser(text))
        if path not in paths:
            paths.append(path)
    return tuple(paths)
