"""The `watchdeck-agent` command."""

from __future__ import annotations

import json
import logging
import os
import signal
import sys
import time

from watchdeck_agent.config import Config, ConfigError, load


class _KeyValueFormatter(logging.Formatter):
    """One line per record: `ts=… level=… event=… key=value…` (messages carry the rest)."""

    converter = time.gmtime

    def format(self, record: logging.LogRecord) -> str:
        line = f"ts={self.formatTime(record, '%Y-%m-%dT%H:%M:%SZ')} "
        line += f"level={record.levelname.lower()} {record.getMessage()}"
        if record.exc_info:
            # Keep it one line: the traceback's text goes in a quoted field.
            line += f" traceback={self.formatException(record.exc_info)!r}"
        return line


def setup_logging(verbose: bool, quiet: bool = False) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_KeyValueFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.DEBUG if verbose else logging.WARNING if quiet else logging.INFO)
    # httpx logs every request at INFO and httpcore every socket step at DEBUG: our own
    # events say what matters.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)


def main(argv: list[str] | None = None) -> int:
    try:
        config = load(argv)
    except ConfigError as exc:
        print(f"watchdeck-agent: {exc}", file=sys.stderr)
        return 2
    setup_logging(config.verbose, config.quiet)
    if config.once:
        return _print_one_sample()
    if config.install_systemd:
        return _install_systemd()
    return _run(config)


def _print_one_sample() -> int:
    from watchdeck_agent.sampler import Sampler

    sampler = Sampler()
    # CPU % and rates are measured between two readings; one second gives them meaning.
    time.sleep(1.0)
    print(json.dumps(sampler.sample(), indent=2))
    return 0


def _install_systemd() -> int:
    from watchdeck_agent.systemd import install

    if hasattr(os, "geteuid") and os.geteuid() != 0:
        print("watchdeck-agent: --install-systemd needs root", file=sys.stderr)
        return 1
    return install()


def _run(config: Config) -> int:
    # Imported here so `--once` never loads httpx.
    from watchdeck_agent.agent import Agent

    try:
        agent = Agent(config)
    except OSError as exc:
        print(f"watchdeck-agent: cannot use {config.state_dir}: {exc}", file=sys.stderr)
        return 1
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: agent.stop())
    agent.run()
    return 0
