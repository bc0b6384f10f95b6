"""Settings: flags over environment over config file; clear errors naming the setting."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from watchdeck_agent.config import DEFAULT_INTERVAL, ConfigError, load

ENV = {"WATCHDECK_URL": "http://env.example", "WATCHDECK_TOKEN": "env-token"}


def test_flags_win_over_the_environment(tmp_path):
    config = load(
        ["--server", "https://flag.example/", "--token", "flag-token", "--interval", "2"],
        {**ENV, "WATCHDECK_INTERVAL": "9"},
    )

    assert config.server == "https://flag.example"
    assert config.token == "flag-token"
    assert config.interval == 2.0


def test_the_environment_wins_over_the_config_file(tmp_path):
    file = tmp_path / "agent.json"
    file.write_text(json.dumps({"url": "http://file.example", "token": "file", "interval": 7}))

    config = load(["--config", str(file)], ENV)

    assert config.server == "http://env.example"
    assert config.token == "env-token"
    assert config.interval == 7.0


def test_an_env_style_file_works_as_a_config_file(tmp_path):
    file = tmp_path / "watchdeck-agent.env"
    file.write_text(
        "# comment\n"
        "WATCHDECK_URL=https://file.example\n"
        "export WATCHDECK_TOKEN='quoted-token'\n"
        "log_files=/var/log/a.log:/var/log/b.log\n"
        'state_dir="/tmp/agent state"\n'
    )

    config = load(["--config", str(file)], {})

    assert config.server == "https://file.example"
    assert config.token == "quoted-token"
    assert config.log_files == ("/var/log/a.log", "/var/log/b.log")
    assert config.state_dir == Path("/tmp/agent state")
    assert config.interval == DEFAULT_INTERVAL


def test_log_files_from_flags_replace_the_environments(tmp_path):
    env = {**ENV, "WATCHDECK_LOG_FILES": "/var/log/x.log:/var/log/y.log"}

    assert load([], env).log_files == ("/var/log/x.log", "/var/log/y.log")
    assert load(["--log-file", "/a.log", "--log-file", "/b.log"], env).log_files == (
        "/a.log",
        "/b.log",
    )


def test_relative_log_files_become_absolute(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)

    assert load(["--log-file", "app.log"], ENV).log_files == (str(tmp_path / "app.log"),)


def test_state_dir_defaults_by_user():
    config = load([], {**ENV, "XDG_STATE_HOME": "/xdg"})

    assert config.state_dir in (Path("/var/lib/watchdeck-agent"), Path("/xdg/watchdeck-agent"))


@pytest.mark.parametrize(
    ("argv", "env", "message"),
    [
        ([], {"WATCHDECK_TOKEN": "t"}, "no server"),
        ([], {"WATCHDECK_URL": "http://x"}, "no token"),
        (["--server", "ftp://x"], {"WATCHDECK_TOKEN": "t"}, "--server"),
        ([], {**ENV, "WATCHDECK_INTERVAL": "soon"}, "WATCHDECK_INTERVAL"),
        (["--interval", "0"], ENV, "--interval"),
        (["--token", "tök en"], ENV, "--token"),
    ],
)
def test_bad_settings_are_refused_naming_them(argv, env, message):
    with pytest.raises(ConfigError, match=message):
        load(argv, env)


def test_unknown_keys_in_the_config_file_are_refused(tmp_path):
    file = tmp_path / "agent.json"
    file.write_text('{"url": "http://x", "tokn": "typo"}')

    with pytest.raises(ConfigError, match="tokn"):
        load(["--config", str(file)], {})


def test_once_needs_no_server():
    config = load(["--once"], {})

    assert config.once and config.server is None
