"""What the checked services point at: a local nginx (nginx-target.conf beside this file), a
uvicorn stand-in when nginx is missing, or an address nothing is ever requested from."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import httpx
from watchdeck.embedded import free_port

from .processes import stop_process, uvicorn
from .report import progress

# The discard port: for services that no worker checks.
NOWHERE = "http://127.0.0.1:9"


class Target:
    """A running HTTP target; stopped when its `with` block ends."""

    def __init__(self, kind: str, port: int, process: subprocess.Popen) -> None:
        self.kind = kind
        self.base = f"http://127.0.0.1:{port}"
        self.process = process

    def url(self, path: str) -> str:
        return self.base + path

    def stop(self) -> None:
        stop_process(self.process, signal.SIGTERM)

    def __enter__(self) -> Target:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


async def target_app(scope, receive, send) -> None:
    """The stand-in target when nginx is missing: 200 "ok" on any path."""
    if scope["type"] == "http":
        headers = [(b"content-type", b"text/plain")]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": b"ok"})


def _ensure_nginx() -> str | None:
    """The nginx binary; installs Debian's package when missing and this is root with apt-get."""
    found = shutil.which("nginx") or (os.path.exists("/usr/sbin/nginx") and "/usr/sbin/nginx")
    if found:
        return found
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        progress("nginx is not installed and cannot be installed here (not root or no apt-get)")
        return None
    progress("nginx is missing: running `apt-get update` then `apt-get install -y nginx`")
    progress("  (Debian may also start its own nginx service on port 80; this script ignores it)")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "nginx"]):
        done = subprocess.run(command, env=env, capture_output=True, text=True)
        if done.returncode != 0:
            progress(f"`{' '.join(command)}` failed: {done.stderr.strip()[-300:]}")
            return None
    return shutil.which("nginx") or "/usr/sbin/nginx"


def start_target(folder: Path) -> Target:
    """nginx on 127.0.0.1 with nginx-target.conf, or a uvicorn target when nginx is missing."""
    progress("starting the HTTP target")
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    log = folder / "target.log"
    nginx = _ensure_nginx()
    if nginx:
        conf = Path(__file__).with_name("nginx-target.conf").read_text()
        conf = conf.replace("@DIR@", str(folder)).replace("@PORT@", str(port))
        (folder / "nginx.conf").write_text(conf)
        version = subprocess.run([nginx, "-v"], capture_output=True, text=True).stderr.strip()
        kind = f"{version.split(': ')[-1]}, 1 worker process, access log off"
        args = [nginx, "-p", str(folder), "-e", str(folder / "error.log")]
        args += ["-c", str(folder / "nginx.conf")]
        with open(log, "wb") as out:
            process = subprocess.Popen(args, stdout=out, stderr=out)
    else:
        progress("falling back to a uvicorn target (slower than nginx: the ceiling will be lower)")
        kind = "uvicorn fallback (nginx not installed)"
        options = ("--lifespan", "off", "--no-access-log")
        process = uvicorn("support.targets:target_app", port, log, *options)
    target = Target(kind, port, process)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the target exited: {log.read_text()}")
        try:
            if httpx.get(target.url("/ready"), timeout=1).text == "ok":
                return target
        except httpx.HTTPError:
            time.sleep(0.1)
    target.stop()
    raise RuntimeError("the target did not answer within 15 s")
