"""Password reset end to end: a request mails a link (real SMTP server, real arq jobs),
the link previews and sets a new password, and an operator can print a link instead."""

from __future__ import annotations

import asyncio
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import msgspec
import pytest
import structlog
from sqlalchemy import func, select
from watchdeck.domain.accounts.models import PasswordReset
from watchdeck.domain.accounts.password_reset import link_for

from tests.e2e.cli_process import cli_env
from tests.support.accounts import PASSWORD, sign_up, unique_email
from tests.support.jobs import drain
from tests.support.smtp import SmtpServer, smtp_server

NEW_PASSWORD = "a brand new passphrase"
PUBLIC_URL = "https://watchdeck.acme.example"
LINK = re.compile(re.escape(PUBLIC_URL) + r"/reset-password/([A-Za-z0-9_-]+)")


@pytest.fixture(scope="module")
def _smtp() -> Iterator[SmtpServer]:
    with smtp_server() as server:
        yield server


@pytest.fixture
def smtp(_smtp: SmtpServer) -> Iterator[SmtpServer]:
    _smtp.reset()
    yield _smtp
    _smtp.reset()


def mail_settings(app, smtp: SmtpServer):
    return msgspec.structs.replace(
        app.state.settings,
        public_url=PUBLIC_URL,
        smtp_host=smtp.host,
        smtp_port=smtp.port,
        smtp_from="watchdeck@acme.example",
        smtp_starttls=False,
    )


async def operator_token(app, email: str) -> str:
    """A token issued the way `watchdeck user reset-password` issues one."""
    async with app.state.session_factory() as session:
        link = await link_for(session, app.state.settings, email)
    return link.rsplit("/", 1)[1]


async def request_reset(client, email: str):
    return await client.post("/api/v1/auth/password-reset", json={"email": email})


async def mailed_token(client, app, smtp: SmtpServer, email: str) -> str:
    """Ask for a reset of `email` and return the token of the link that arrives by mail."""
    before = len(smtp.messages)
    assert (await request_reset(client, email)).status_code == 202
    await drain(app, mail_settings(app, smtp))
    assert len(smtp.messages) == before + 1
    text = smtp.messages[-1].get_body(preferencelist=("plain",)).get_content()
    return LINK.search(text).group(1)


async def test_a_reset_request_mails_a_link_that_sets_a_new_password(client, running_app, smtp):
    user = await sign_up(client, email=unique_email("ada"))

    answer = await request_reset(client, user.email.upper())
    await drain(running_app, mail_settings(running_app, smtp))

    assert answer.status_code == 202
    (mail,) = smtp.messages
    assert smtp.envelopes[0].rcpt_tos == (user.email,)
    assert mail["From"] == "watchdeck@acme.example"
    assert mail["Subject"] == "Reset your Watchdeck password"
    text = mail.get_body(preferencelist=("plain",)).get_content()
    page = mail.get_body(preferencelist=("html",)).get_content()
    token = LINK.search(text).group(1)
    assert f'href="{PUBLIC_URL}/reset-password/{token}"' in page
    preview = await client.get(f"/api/v1/password-resets/{token}")
    assert preview.status_code == 200
    assert preview.json()["email"].endswith(user.email[user.email.index("@") - 1 :])
    assert user.email not in preview.text
    done = await client.post(
        "/api/v1/password-resets/accept", json={"token": token, "password": NEW_PASSWORD}
    )
    assert done.status_code == 200, done.text
    login = await client.post(
        "/api/v1/auth/login", json={"email": user.email, "password": NEW_PASSWORD}
    )
    assert login.status_code == 200
    old = await client.post("/api/v1/auth/login", json={"email": user.email, "password": PASSWORD})
    assert old.status_code == 401


async def test_a_reset_signs_in_to_the_first_team(client, running_app):
    user = await sign_up(client, team_name="Platform")
    token = await operator_token(running_app, user.email)

    done = await client.post(
        "/api/v1/password-resets/accept", json={"token": token, "password": NEW_PASSWORD}
    )

    body = done.json()
    assert body["email"] == user.email
    session = {"Authorization": f"Bearer {body['session']['access_token']}"}
    me = (await client.get("/api/v1/me", headers=session)).json()
    assert (me["email"], me["team"]["name"], me["role"]) == (user.email, "Platform", "admin")


async def test_the_reset_is_in_the_team_audit_log(client, running_app):
    user = await sign_up(client)
    token = await operator_token(running_app, user.email)

    done = await client.post(
        "/api/v1/password-resets/accept", json={"token": token, "password": NEW_PASSWORD}
    )

    session = {"Authorization": f"Bearer {done.json()['session']['access_token']}"}
    entries = (await client.get("/api/v1/team/audit", headers=session)).json()["items"]
    newest = entries[0]
    assert (newest["actor"], newest["action"]) == (
        user.email,
        "POST /api/v1/password-resets/accept",
    )
    assert token not in str(entries)


async def test_a_new_password_follows_the_sign_up_rules(client, running_app):
    user = await sign_up(client)
    token = await operator_token(running_app, user.email)

    short = await client.post(
        "/api/v1/password-resets/accept", json={"token": token, "password": "short"}
    )

    assert short.status_code == 422
    assert "password" in short.json()["error"]["fields"]
    # A refused password leaves the link usable and the old password in place.
    assert (await client.get(f"/api/v1/password-resets/{token}")).status_code == 200
    login = await client.post(
        "/api/v1/auth/login", json={"email": user.email, "password": PASSWORD}
    )
    assert login.status_code == 200


async def test_without_instance_mail_nothing_is_sent_and_the_server_says_so(
    client, running_app, db, smtp
):
    user = await sign_up(client)
    assert not running_app.state.settings.mail_configured

    assert (await request_reset(client, user.email)).status_code == 202
    with structlog.testing.capture_logs() as logs:
        await drain(running_app, running_app.state.settings)

    assert smtp.messages == []
    assert any("reset mail is not configured" in entry["event"] for entry in logs), logs
    async with db() as session:
        assert await session.scalar(select(func.count()).select_from(PasswordReset)) == 0


async def test_a_refusing_mail_server_is_logged_without_the_link(client, running_app, smtp):
    user = await sign_up(client)
    smtp.reject("550 5.1.1 mailbox unavailable")

    assert (await request_reset(client, user.email)).status_code == 202
    with structlog.testing.capture_logs() as logs:
        await drain(running_app, mail_settings(running_app, smtp))

    failures = [entry for entry in logs if entry["event"] == "password reset mail failed"]
    assert failures and "550" in failures[0]["reason"]
    assert "reset-password/" not in str(logs)


def run_cli(settings, data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = cli_env(data_dir, DATABASE_URL=settings.database_url, WATCHDECK_PUBLIC_URL=PUBLIC_URL)
    return subprocess.run(
        [sys.executable, "-m", "watchdeck", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


async def test_the_operator_command_prints_a_one_time_link(client, settings, tmp_path):
    user = await sign_up(client)

    printed = await asyncio.to_thread(
        run_cli, settings, tmp_path, "user", "reset-password", user.email
    )

    assert printed.returncode == 0, printed.stderr
    token = LINK.search(printed.stdout).group(1)
    body = {"token": token, "password": NEW_PASSWORD}
    assert (await client.post("/api/v1/password-resets/accept", json=body)).status_code == 200
    assert (await client.post("/api/v1/password-resets/accept", json=body)).status_code == 404


async def test_the_operator_command_refuses_an_unknown_email(client, settings, tmp_path):
    printed = await asyncio.to_thread(
        run_cli, settings, tmp_path, "user", "reset-password", "nobody@example.com"
    )

    assert printed.returncode != 0
    assert "no account has this email" in printed.stderr
