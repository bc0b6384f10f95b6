"""Settings, read once from the environment (and an optional `.env`)."""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Literal

import msgspec
from dotenv import dotenv_values

Seconds = Annotated[int, msgspec.Meta(ge=1)]

# Variables that keep their conventional names instead of the WATCHDECK_ prefix.
_ENV_NAMES = {
    "database_url": "DATABASE_URL",
    "redis_url": "REDIS_URL",
    "data_dir": "WATCHDECK_DATA",
}


class ConfigError(Exception):
    """A setting from the environment has a bad value; the message names the variable."""


class Settings(msgspec.Struct, kw_only=True, frozen=True):
    database_url: str | None = None
    redis_url: str | None = None
    data_dir: str = ".watchdeck"
    secret_key: str | None = None
    admin_email: str | None = None
    admin_password: str | None = None
    host: str = "127.0.0.1"
    port: Annotated[int, msgspec.Meta(ge=1, le=65535)] = 8000
    public_url: str | None = None
    log_format: Literal["auto", "json", "console"] = "auto"
    log_level: Literal["debug", "info", "warning", "error"] = "info"
    access_token_ttl: Seconds = 900
    refresh_token_ttl: Seconds = 30 * 24 * 3600
    invite_ttl: Seconds = 7 * 24 * 3600
    signup_enabled: bool = True
    login_limit_per_ip: Annotated[int, msgspec.Meta(ge=1)] = 30
    login_limit_per_account: Annotated[int, msgspec.Meta(ge=1)] = 10
    login_limit_window: Seconds = 900
    signup_limit_per_ip: Annotated[int, msgspec.Meta(ge=1)] = 10
    signup_limit_window: Seconds = 3600
    password_reset_ttl: Seconds = 3600
    password_reset_limit_per_ip: Annotated[int, msgspec.Meta(ge=1)] = 20
    password_reset_limit_per_account: Annotated[int, msgspec.Meta(ge=1)] = 3
    password_reset_limit_window: Seconds = 3600
    # Every public route (status pages and their summaries), per client address.
    public_limit_per_ip: Annotated[int, msgspec.Meta(ge=1)] = 600
    public_limit_window: Seconds = 60
    # How long one live-update stream of a status page lasts before the browser opens a new
    # one: bounded so that connections spread again over api processes after a restart.
    status_stream_s: Annotated[float, msgspec.Meta(gt=0, le=3600)] = 300.0
    # Status page sign-ups, per client address and per page within the window.
    subscribe_limit_per_ip: Annotated[int, msgspec.Meta(ge=1)] = 10
    subscribe_limit_per_page: Annotated[int, msgspec.Meta(ge=1)] = 200
    subscribe_limit_window: Seconds = 3600
    # Anyone may sign a webhook up to a status page, so only public addresses are posted to;
    # true lets them name private ones too (an instance whose readers are all on its network).
    subscriber_webhook_allow_private: bool = False
    # The instance's own outgoing mail (password reset links); no host means no mail is sent.
    smtp_host: str | None = None
    smtp_port: Annotated[int, msgspec.Meta(ge=1, le=65535)] = 587
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_from: str | None = None
    smtp_starttls: bool = True
    max_body_bytes: Annotated[int, msgspec.Meta(ge=1024)] = 1024 * 1024
    web_dist: str | None = None
    db_pool_size: Annotated[int, msgspec.Meta(ge=1, le=200)] = 10
    check_retention_days: Annotated[int, msgspec.Meta(ge=1, le=3650)] = 30
    metrics_raw_retention_days: Annotated[int, msgspec.Meta(ge=1, le=3650)] = 7
    metrics_1m_retention_days: Annotated[int, msgspec.Meta(ge=1, le=3650)] = 30
    metrics_1h_retention_days: Annotated[int, msgspec.Meta(ge=1, le=3650)] = 365
    log_retention_days: Annotated[int, msgspec.Meta(ge=1, le=3650)] = 14
    worker_max_jobs: Annotated[int, msgspec.Meta(ge=1, le=5000)] = 500
    # Scheduled checks one worker runs at once; each waits for its batched write too.
    worker_max_checks: Annotated[int, msgspec.Meta(ge=1, le=20000)] = 1000
    # A PEM bundle of certificate authorities checks trust besides the public roots (an
    # internal CA), for https and tls checks alike.
    check_ca_file: str | None = None
    # How often a worker logs one line of what it did, in place of a line per job.
    worker_summary_s: Annotated[float, msgspec.Meta(ge=1, le=86400)] = 60.0
    # Alerts: the same alert is not sent again within `alert_dedup_s`; alerts firing within
    # `alert_group_s` of each other go to a channel as one message.
    alert_dedup_s: Annotated[float, msgspec.Meta(ge=0)] = 300.0
    alert_group_s: Annotated[float, msgspec.Meta(ge=0)] = 30.0
    alert_send_timeout_s: Annotated[float, msgspec.Meta(gt=0, le=120)] = 10.0
    alert_max_attempts: Annotated[int, msgspec.Meta(ge=1, le=20)] = 5
    alert_retry_base_s: Annotated[float, msgspec.Meta(ge=0)] = 5.0

    @property
    def base_url(self) -> str:
        return self.public_url or f"http://{self.host}:{self.port}"

    @property
    def mail_configured(self) -> bool:
        """Whether the instance can send mail of its own (host and sender both set)."""
        return bool(self.smtp_host and self.smtp_from)

    @property
    def data_path(self) -> Path:
        return Path(self.data_dir).expanduser().resolve()

    def require_secret_key(self) -> str:
        if not self.secret_key or len(self.secret_key) < 32:
            raise ConfigError(
                "WATCHDECK_SECRET_KEY must be set to at least 32 characters "
                "(`watchdeck up` generates one for you under WATCHDECK_DATA)"
            )
        return self.secret_key


def env_name(field: str) -> str:
    return _ENV_NAMES.get(field, f"WATCHDECK_{field.upper()}")


def load_settings(
    environ: Mapping[str, str] | None = None, env_file: str | None = ".env"
) -> Settings:
    """Build Settings from `environ` (default: os.environ) over the values of `env_file`.

    Raises ConfigError naming the variable when a value does not fit its type.
    """
    source: dict[str, str | None] = {}
    if env_file and Path(env_file).is_file():
        source.update(dotenv_values(env_file))
    source.update(os.environ if environ is None else environ)
    raw = {
        field: source[env_name(field)]
        for field in Settings.__struct_fields__
        if source.get(env_name(field)) not in (None, "")
    }
    for field in ("log_format", "log_level"):
        if field in raw:
            raw[field] = raw[field].lower()
    try:
        return msgspec.convert(raw, Settings, strict=False)
    except msgspec.ValidationError as exc:
        match = re.search(r"\$\.(\w+)", str(exc))
        name = env_name(match.group(1)) if match else "environment"
        reason = str(exc).split(" - at ")[0]
        raise ConfigError(f"{name}: {reason}") from None


def generated_secret_key(data_path: Path) -> str:
    """The secret key kept under the data folder, made on first use, for `watchdeck up`."""
    key_file = data_path / "secret_key"
    if key_file.is_file():
        return key_file.read_text().strip()
    data_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key
