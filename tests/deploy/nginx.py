"""Debian's nginx as a child process, running nginx/watchdeck.conf from a temporary folder."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
SERVER_BLOCK = ROOT / "nginx" / "watchdeck.conf"

NOT_INSTALLED = (
    "nginx is not installed: `make nginx` installs Debian's package when it runs as root or "
    "with sudo; without it the scale-out and nginx config tests are skipped"
)

# What the official image's /etc/nginx/nginx.conf provides around conf.d/, with every path
# under one folder so that nginx runs unprivileged, in the foreground, beside other copies.
# The access log records which replica answered each request.
MAIN_CONF = """\
{user}worker_processes 1;
daemon off;
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;

events {{
    worker_connections 1024;
}}

http {{
    include {mime_types};
    default_type application/octet-stream;
    log_format upstreams '$request_method $uri $status $upstream_addr';
    access_log {dir}/access.log upstreams;
    client_body_temp_path {dir}/client_body;
    proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi;
    scgi_temp_path {dir}/scgi;
    include {dir}/watchdeck.conf;
}}
"""


def nginx_binary() -> str:
    """The nginx executable, or skip the test saying how to get one."""
    # Debian puts it in /usr/sbin, which is not on an unprivileged user's PATH.
    found = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin")
    if not found:
        pytest.skip(NOT_INSTALLED)
    return found


def render_server_block(listen: str, apis: list[str], web_root: Path) -> str:
    """nginx/watchdeck.conf with its placeholders filled in, as docker/web.Dockerfile does."""
    lines = []
    for line in SERVER_BLOCK.read_text().splitlines():
        if "@API@" in line and not line.lstrip().startswith("#"):
            lines += [line.replace("@API@", api) for api in apis]
        else:
            lines.append(line)
    text = "\n".join(lines) + "\n"
    return text.replace("@LISTEN@", listen).replace("@WEB_ROOT@", str(web_root))


def write_config(folder: Path, listen: str, apis: list[str], web_root: Path) -> Path:
    """The main config and the rendered server block under `folder`; returns the main file."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "watchdeck.conf").write_text(render_server_block(listen, apis, web_root))
    mime_types = "/etc/nginx/mime.types"
    if not os.path.exists(mime_types):
        (folder / "mime.types").write_text(
            "types { text/html html; text/css css; application/javascript js; }\n"
        )
        mime_types = str(folder / "mime.types")
    main = folder / "nginx.conf"
    # Started as root, nginx would drop its workers to `nobody`, who cannot read pytest's
    # private temporary folders; keep them as the user running the tests.
    user = "user root;\n" if os.geteuid() == 0 else ""
    main.write_text(MAIN_CONF.format(user=user, dir=folder, mime_types=mime_types))
    return main


def check_config(binary: str, main: Path) -> subprocess.CompletedProcess[str]:
    """`nginx -t` on the config, as an unprivileged user would run it."""
    folder = main.parent
    args = [binary, "-t", "-p", str(folder), "-e", str(folder / "error.log"), "-c", str(main)]
    return subprocess.run(args, capture_output=True, text=True, timeout=30)


class Nginx:
    """nginx in the foreground in front of `apis`; stop() ends it."""

    def __init__(self, binary: str, folder: Path, port: int, apis: list[str], web_root: Path):
        self.folder = folder
        self.base = f"http://127.0.0.1:{port}"
        main = write_config(folder, f"127.0.0.1:{port}", apis, web_root)
        args = [binary, "-p", str(folder), "-e", str(folder / "error.log"), "-c", str(main)]
        self.log = open(folder / "nginx.out", "wb")  # closed in stop()
        self.process = subprocess.Popen(args, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"nginx exited: {self.errors()}")
            try:
                httpx.get(f"{self.base}/", timeout=1)
                return
            except httpx.HTTPError:
                time.sleep(0.1)
        self.stop()
        raise AssertionError(f"nginx did not answer within 15 s: {self.errors()}")

    def errors(self) -> str:
        texts = [(self.folder / name) for name in ("nginx.out", "error.log")]
        return "\n".join(path.read_text() for path in texts if path.exists())

    def access_log(self) -> list[list[str]]:
        """One [method, uri, status, upstream addresses] per request finished so far."""
        path = self.folder / "access.log"
        if not path.exists():
            return []
        return [line.split(" ", 3) for line in path.read_text().splitlines()]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()  # SIGTERM: nginx's fast shutdown
            self.process.wait(timeout=15)
        self.log.close()
