"""nginx/watchdeck.conf, the production config, in front of one `watchdeck api`: filled in
as docker/web.Dockerfile fills it and run from a folder of the run's own, where its status
page cache lives too (the config's cache path is relative to nginx's prefix)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import httpx
from watchdeck.embedded import free_port

from .processes import stop_process

SERVER_BLOCK = Path(__file__).resolve().parents[2] / "nginx" / "watchdeck.conf"

# What the official image's nginx.conf puts around conf.d/, with every path under the run's
# folder and one worker process (the image says `auto`: here, the cores are shared with the
# api, PostgreSQL, Redis and the load client); no access log, as the bench target has none.
_MAIN = """\
{user}worker_processes 1;
daemon off;
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
events {{
    worker_connections 4096;
}}
http {{
    include {mime_types};
    default_type application/octet-stream;
    access_log off;
    keepalive_requests 1000000;
    client_body_temp_path {dir}/client_body;
    proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi;
    scgi_temp_path {dir}/scgi;
    include {dir}/watchdeck.conf;
}}
"""


def nginx_binary() -> str | None:
    return shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin")


class Front:
    """nginx on 127.0.0.1 in front of `api` (host:port), serving `web_root` itself."""

    def __init__(self, binary: str, folder: Path, api: str, web_root: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        port = free_port()
        self.base = f"http://127.0.0.1:{port}"
        block = SERVER_BLOCK.read_text()
        block = block.replace("@LISTEN@", f"127.0.0.1:{port}").replace("@API@", api)
        (folder / "watchdeck.conf").write_text(block.replace("@WEB_ROOT@", str(web_root)))
        mime_types = "/etc/nginx/mime.types"
        if not os.path.exists(mime_types):
            mime_types = str(folder / "mime.types")
            Path(mime_types).write_text("types { text/html html; text/css css; }\n")
        # As root, nginx would run its workers as `nobody`, who cannot read the run's folder.
        user = "user root;\n" if os.geteuid() == 0 else ""
        main = folder / "nginx.conf"
        main.write_text(_MAIN.format(user=user, dir=folder, mime_types=mime_types))
        self.folder = folder
        self.version = subprocess.run([binary, "-v"], capture_output=True, text=True).stderr
        self.version = self.version.strip().split(": ")[-1]
        args = [binary, "-p", str(folder), "-e", str(folder / "error.log"), "-c", str(main)]
        with open(folder / "nginx.out", "wb") as out:
            self.process = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"nginx exited: {self.errors()}")
            try:
                httpx.get(self.base + "/", timeout=1)
                return
            except httpx.HTTPError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"nginx did not answer within 15 s: {self.errors()}")

    def errors(self) -> str:
        logs = [self.folder / name for name in ("nginx.out", "error.log")]
        return "\n".join(log.read_text() for log in logs if log.exists())

    def stop(self) -> None:
        stop_process(self.process, signal.SIGTERM)
