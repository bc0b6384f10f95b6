import pytest
from watchdeck.platform.config import ConfigError, load_settings


def test_settings_come_from_the_environment():
    settings = load_settings(
        {
            "DATABASE_URL": "postgresql://db/x",
            "WATCHDECK_PORT": "9000",
            "WATCHDECK_LOG_FORMAT": "JSON",
        },
        env_file=None,
    )

    assert (settings.database_url, settings.port, settings.log_format) == (
        "postgresql://db/x",
        9000,
        "json",
    )


@pytest.mark.parametrize(
    ("name", "value"),
    [("WATCHDECK_PORT", "eighty"), ("WATCHDECK_PORT", "70000"), ("WATCHDECK_LOG_LEVEL", "loud")],
)
def test_a_bad_value_names_the_variable(name, value):
    with pytest.raises(ConfigError, match=name):
        load_settings({name: value}, env_file=None)


def test_a_dotenv_file_is_read_and_the_environment_wins(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("WATCHDECK_PORT=7000\nWATCHDECK_HOST=0.0.0.0\n")

    settings = load_settings({"WATCHDECK_PORT": "7100"}, env_file=str(env_file))

    assert (settings.host, settings.port) == ("0.0.0.0", 7100)


def test_the_api_refuses_a_short_secret_key():
    with pytest.raises(ConfigError, match="WATCHDECK_SECRET_KEY"):
        load_settings({"WATCHDECK_SECRET_KEY": "short"}, env_file=None).require_secret_key()
