"""Run the real agent against a local server that accepts everything, and print its footprint.

    python agents/bench/footprint.py [--seconds 120] [--interval 5] [--checks 0] [--agent PATH]

A thread appends lines to a log file the agent follows (20 a second), so the
figures include log shipping. CPU is the agent's user + system time over the
wall time, after the first interval (start-up, imports) and including it.
With `--checks N` the server assigns the agent N tcp checks every 10 s against a
local listener, and the figures include running them and sending their results.
"""

from __future__ import annotations

import argparse
import gzip
import json
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import psutil

received = {"requests": 0, "samples": 0, "lines": 0, "results": 0}
assigned: dict = {"version": 1, "checks": []}
CHECK_INTERVAL_S = 10


class Accepting(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
        body = json.loads(gzip.decompress(self.rfile.read(int(self.headers["Content-Length"]))))
        received["requests"] += 1
        received["samples"] += len(body.get("samples", []))
        received["lines"] += len(body.get("lines", []))
        received["results"] += len(body.get("results", []))
        version = assigned["version"] if assigned["checks"] else None
        payload = json.dumps({"accepted": 1, "duplicate": False, "assignments": version}).encode()
        self.send_response(202)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        payload = json.dumps(assigned).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args: object) -> None:
        pass


def tcp_check(service_id: str, port: int) -> dict:
    return {
        "service_id": service_id, "kind": "tcp", "interval_s": CHECK_INTERVAL_S,
        "timeout_s": 5.0, "url": "", "method": "GET", "headers": {}, "body": None,
        "expected_statuses": [[200, 299]], "keyword": None, "keyword_absent": False,
        "latency_threshold_ms": None, "follow_redirects": True, "verify_tls": True,
        "host": "127.0.0.1", "port": port, "ping_count": 3, "loss_threshold_pct": 50.0,
        "dns_record_type": "A", "dns_server": None, "dns_expected": [], "dns_match": "any",
        "tls_warn_days": 14,
    }  # fmt: skip


def listen() -> int:
    """A local port that accepts connections (the kernel completes them from the backlog)."""
    import socket

    listener = socket.create_server(("127.0.0.1", 0), backlog=4096)

    def drain() -> None:
        while True:
            connection, _ = listener.accept()
            connection.close()

    threading.Thread(target=drain, daemon=True).start()
    return listener.getsockname()[1]


def write_log(path: Path, stop: threading.Event) -> None:
    number = 0
    with open(path, "a", buffering=1) as handle:
        while not stop.wait(0.05):
            number += 1
            level = ("INFO", "WARN", "ERROR")[number % 3]
            handle.write(f"2024-01-01T00:00:00Z {level} request {number} handled in 12 ms\n")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--interval", type=float, default=5)
    parser.add_argument("--checks", type=int, default=0, help="tcp checks assigned, every 10 s")
    parser.add_argument("--agent", default=str(Path(sys.executable).parent / "watchdeck-agent"))
    args = parser.parse_args()
    if args.checks:
        import uuid

        port = listen()
        assigned["checks"] = [tcp_check(str(uuid.uuid4()), port) for _ in range(args.checks)]

    server = ThreadingHTTPServer(("127.0.0.1", 0), Accepting)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    work = Path(tempfile.mkdtemp(prefix="watchdeck-footprint-"))
    log_file = work / "app.log"
    log_file.touch()
    stop = threading.Event()
    writer = threading.Thread(target=write_log, args=(log_file, stop), daemon=True)
    writer.start()

    url = f"http://127.0.0.1:{server.server_address[1]}"
    command = [args.agent, "--server", url, "--token", "bench", "--interval", str(args.interval)]
    command += ["--log-file", str(log_file), "--state-dir", str(work / "state")]
    started = time.monotonic()
    agent = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    process = psutil.Process(agent.pid)
    time.sleep(args.interval)  # measure steady state after start-up
    cpu_start = sum(process.cpu_times()[:2])
    wall_start = time.monotonic()
    peak = 0
    while time.monotonic() - started < args.seconds:
        peak = max(peak, process.memory_info().rss)
        time.sleep(1)
    times = process.cpu_times()
    cpu_total = times.user + times.system
    wall = time.monotonic() - wall_start
    elapsed = time.monotonic() - started
    memory = process.memory_full_info()
    agent.terminate()
    _, stderr = agent.communicate(timeout=30)
    stop.set()
    server.shutdown()

    print(
        f"agent: {' '.join(command[:1])} (interval {args.interval:g} s, {args.seconds:g} s run,"
        f" {args.checks} checks every {CHECK_INTERVAL_S} s)"
    )
    print(f"rss_mib_end={memory.rss / 2**20:.1f} rss_mib_peak={peak / 2**20:.1f}")
    print(f"uss_mib_end={memory.uss / 2**20:.1f}")
    print(f"cpu_percent_of_a_core_steady={100 * (cpu_total - cpu_start) / wall:.2f}")
    print(f"cpu_percent_of_a_core_with_startup={100 * cpu_total / elapsed:.2f}")
    print(f"cpu_seconds_startup={cpu_start:.2f}")
    print("received " + " ".join(f"{k}={v}" for k, v in received.items()))
    if args.checks:
        expected = args.checks * elapsed / CHECK_INTERVAL_S
        results = received["results"]
        print(f"results_per_s={results / elapsed:.1f} of_expected={results / expected:.2f}")
    print(f"agent_exit={agent.returncode} stderr_lines={len(stderr.splitlines())}")


if __name__ == "__main__":
    main()
