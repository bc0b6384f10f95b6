"""The main loop: every interval take a sample, read new log lines, collect the results of
the checks assigned to this agent, push what waits."""

from __future__ import annotations

import logging
import select
import socket
import time
from typing import TYPE_CHECKING

from watchdeck_agent.buffer import Buffer
from watchdeck_agent.config import Config
from watchdeck_agent.sampler import Sampler
from watchdeck_agent.sender import Backoff, Outcome, Sender
from watchdeck_agent.state import StateFile
from watchdeck_agent.tailer import Tailer

if TYPE_CHECKING:
    from watchdeck_agent.checker import Checker

log = logging.getLogger("watchdeck_agent")

MAX_SAMPLES_PER_BATCH = 500
MAX_LINES_PER_BATCH = 2000
MAX_RESULTS_PER_BATCH = 500
# 60 MB of unsent data in all; log lines get most of it, being the bulkier.
METRICS_CAP_BYTES = 10 * 1000 * 1000
LOGS_CAP_BYTES = 40 * 1000 * 1000
CHECKS_CAP_BYTES = 10 * 1000 * 1000
SHUTDOWN_FLUSH_S = 5.0


class Agent:
    def __init__(self, config: Config, sender: Sender | None = None) -> None:
        if not (config.server and config.token):
            raise ValueError("the agent needs a server and a token")
        self.interval = config.interval
        state_dir = config.state_dir
        state_dir.mkdir(parents=True, exist_ok=True)
        self.state = StateFile(state_dir / "state.json")
        self.metrics = Buffer(
            state_dir / "spool" / "metrics",
            max_items=MAX_SAMPLES_PER_BATCH,
            cap_bytes=METRICS_CAP_BYTES,
        )
        self.logs = Buffer(
            state_dir / "spool" / "logs",
            max_items=MAX_LINES_PER_BATCH,
            memory_bytes=1024 * 1024,
            cap_bytes=LOGS_CAP_BYTES,
        )
        self.checks = Buffer(
            state_dir / "spool" / "checks",
            max_items=MAX_RESULTS_PER_BATCH,
            cap_bytes=CHECKS_CAP_BYTES,
        )
        self.sampler = Sampler()
        logs_state = self.state.data.setdefault("logs", {})
        self.tailer = Tailer(config.log_files, logs_state) if config.log_files else None
        self.sender = sender or Sender(config.server, config.token)
        # The first retry comes at the next tick (or within a second for long intervals).
        self.backoff = Backoff(base=min(1.0, config.interval))
        self._stopping = False
        # stop() may run in a signal handler: writing a byte to a socket is safe there,
        # and it wakes the select() the loop waits in at once.
        self._wake_reader, self._wake_writer = socket.socketpair()
        self._wake_writer.setblocking(False)
        self._server = config.server
        self._log_files = config.log_files
        # Made with the first assignment: an agent without checks never loads asyncio.
        self.checker: Checker | None = None
        saved = self.state.data.get("assignments")
        self._assignments = saved if _valid_assignments(saved) else None
        self._fetch_assignments_due = False
        self._saved_checks_started = False

    def stop(self) -> None:
        """Ask the loop to finish: it flushes once, saves its state and returns."""
        self._stopping = True
        try:
            self._wake_writer.send(b"\0")
        except OSError:  # already woken: the socket buffer is full
            pass

    def run(self) -> None:
        log.info(
            "event=started server=%s interval_s=%g log_files=%d pending_batches=%d",
            self._server,
            self.interval,
            len(self._log_files),
            len(self.metrics) + len(self.checks) + len(self.logs),
        )
        self._start_saved_checks()
        # The first sample comes one interval in, so its CPU % and rates cover a full interval.
        next_tick = time.monotonic() + self.interval
        while not self._stopping:
            self._wait(next_tick - time.monotonic())
            if self._stopping:
                break
            self.tick()
            next_tick += self.interval
            now = time.monotonic()
            if next_tick <= now:  # a slow push overran the interval: skip, do not bunch up
                next_tick = now + self.interval
        self.shutdown()

    def tick(self) -> None:
        self._start_saved_checks()
        try:
            self.metrics.add([self.sampler.sample()])
        except Exception:  # a sampling bug must not stop the log shipping or the pushes
            log.exception("event=sample_failed")
        self._collect_checks()
        self._collect_logs()
        self.push(budget_s=self.interval)
        if self._fetch_assignments_due and not self._stopping:
            self._fetch_assignments()
        self.state.save()

    def push(self, budget_s: float, once: bool = False) -> None:
        """Send waiting batches oldest first until done, a failure, or `budget_s` is spent.

        `once` ignores the backoff and the stop request: the last try at shutdown.
        """
        deadline = time.monotonic() + budget_s
        # Check results before log lines: they are small, and stale ones are worth little.
        kinds = (("metrics", self.metrics), ("checks", self.checks), ("logs", self.logs))
        for kind, buffer in kinds:
            while time.monotonic() < deadline:
                if not once and (self._stopping or not self.backoff.ready()):
                    return
                batch = buffer.head()
                if batch is None:
                    break
                result = self.sender.send(kind, batch.batch_id, batch.items)
                if result.outcome in (Outcome.SENT, Outcome.DROPPED):
                    buffer.pop()
                    self.backoff.succeeded()
                    if kind == "metrics":
                        self._note_assignments_version(result.answer)
                    continue
                slow = self.backoff.cap if result.outcome is Outcome.RETRY_SLOW else 0.0
                delay = self.backoff.failed(at_least=max(slow, result.retry_after))
                log.warning(
                    "event=push_deferred retry_in_s=%.1f pending_metrics=%d pending_checks=%d "
                    "pending_logs=%d",
                    delay,
                    len(self.metrics),
                    len(self.checks),
                    len(self.logs),
                )
                return  # the server is unwell: the other kind waits too

    def shutdown(self) -> None:
        log.info("event=stopping")
        if self.checker is not None:
            self.checker.stop()
        self._collect_checks()
        self._collect_logs()
        self.push(budget_s=SHUTDOWN_FLUSH_S, once=True)
        self.metrics.spill_all()
        self.checks.spill_all()
        self.logs.spill_all()
        if self.tailer is not None:
            self.tailer.close()
        self.state.save()
        self.sender.close()
        self._wake_reader.close()
        self._wake_writer.close()
        log.info(
            "event=stopped unsent_metrics_batches=%d unsent_checks_batches=%d "
            "unsent_logs_batches=%d",
            len(self.metrics),
            len(self.checks),
            len(self.logs),
        )

    def _note_assignments_version(self, answer: dict | None) -> None:
        # Older servers do not send it; their agents never fetch assignments.
        version = answer.get("assignments") if answer else None
        if not isinstance(version, int) or isinstance(version, bool):
            return
        held = self._assignments["version"] if self._assignments else None
        if version != held:
            self._fetch_assignments_due = True

    def _fetch_assignments(self) -> None:
        # Cleared whatever the outcome: after a failure, the next metrics answer asks again.
        self._fetch_assignments_due = False
        document = self.sender.assignments()
        if document is None:
            return
        if not _valid_assignments(document):
            log.error("event=assignments_invalid detail=%r", str(document)[:300])
            return
        previous = self._assignments["version"] if self._assignments else None
        self._assignments = {"version": document["version"], "checks": document["checks"]}
        # Saved so that an agent restarted while the server is out of reach still runs them.
        self.state.data["assignments"] = self._assignments
        self._saved_checks_started = True
        self._apply_checks(document["checks"])
        if document["version"] != previous:
            log.info(
                "event=assignments version=%d checks=%d",
                document["version"],
                len(document["checks"]),
            )

    def _start_saved_checks(self) -> None:
        if self._saved_checks_started:
            return
        self._saved_checks_started = True
        if self._assignments and self._assignments["checks"]:
            self._apply_checks(self._assignments["checks"])
            log.info(
                "event=assignments version=%d checks=%d source=saved",
                self._assignments["version"],
                len(self._assignments["checks"]),
            )

    def _apply_checks(self, checks: list) -> None:
        if self.checker is None:
            if not checks:
                return
            from watchdeck_agent.checker import Checker

            self.checker = Checker()
        try:
            self.checker.apply(checks)
        except Exception:  # a bug here must not stop the metrics and the logs
            log.exception("event=assignments_apply_failed")

    def _collect_checks(self) -> None:
        if self.checker is None:
            return
        results = self.checker.drain()
        if results:
            self.checks.add(results)

    def _collect_logs(self) -> None:
        if self.tailer is None:
            return
        try:
            lines = self.tailer.poll()
        except OSError as exc:
            log.error("event=log_read_failed error=%r", str(exc))
            return
        if lines:
            self.logs.add(lines)

    def _wait(self, seconds: float) -> None:
        if seconds <= 0:
            return
        readable, _, _ = select.select([self._wake_reader], [], [], seconds)
        if readable:
            self._wake_reader.recv(64)


def _valid_assignments(document: object) -> bool:
    return (
        isinstance(document, dict)
        and isinstance(document.get("version"), int)
        and not isinstance(document.get("version"), bool)
        and isinstance(document.get("checks"), list)
    )
