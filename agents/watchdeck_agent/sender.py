"""Pushing batches to the server (gzip'd JSON over httpx) and the backoff between failures."""

from __future__ import annotations

import enum
import gzip
import json
import logging
import platform
import random
import socket
import time

import httpx

from watchdeck_agent import __version__
from watchdeck_agent.sampler import utc_iso

log = logging.getLogger("watchdeck_agent")

# kind -> (path, name of the list in the body)
ENDPOINTS = {
    "metrics": ("/api/v1/ingest/metrics", "samples"),
    "logs": ("/api/v1/ingest/logs", "lines"),
    "checks": ("/api/v1/ingest/checks", "results"),
}
ASSIGNMENTS_PATH = "/api/v1/agent/assignments"
MAX_RETRY_AFTER_S = 600.0


class Outcome(enum.Enum):
    SENT = "sent"  # accepted, or already accepted earlier (duplicate)
    DROPPED = "dropped"  # refused for good: resending cannot help
    RETRY = "retry"  # server or network trouble: keep the batch, back off
    RETRY_SLOW = "retry_slow"  # needs a person (token, URL): keep it, retry at the slowest pace


class Result:
    """What to do with a batch next; `answer` is the JSON object of an accepting answer."""

    __slots__ = ("outcome", "retry_after", "answer")

    def __init__(
        self, outcome: Outcome, retry_after: float = 0.0, answer: dict | None = None
    ) -> None:
        self.outcome = outcome
        self.retry_after = retry_after
        self.answer = answer


def agent_info() -> dict:
    return {
        "version": __version__,
        "hostname": (socket.gethostname() or "unknown")[:255],
        "os": platform.system().lower()[:32],
    }


class Sender:
    def __init__(self, server: str, token: str, timeout: float = 10.0) -> None:
        self._client = httpx.Client(
            base_url=server,
            headers={
                "Authorization": f"Bearer {token}",
                "User-Agent": f"watchdeck-agent/{__version__}",
            },
            timeout=httpx.Timeout(timeout, connect=min(timeout, 5.0)),
            # Plain http has no certificate to check; skipping the CA bundle saves ~3 MB RSS.
            verify=server.startswith("https://"),
        )
        info = agent_info()
        self._agent = json.dumps(info, separators=(",", ":"))
        self._hostname = info["hostname"]

    def close(self) -> None:
        self._client.close()

    def send(self, kind: str, batch_id: str, items: list[str]) -> Result:
        """POST one batch (items are JSON texts); what the caller should do with it next."""
        path, field = ENDPOINTS[kind]
        # sent_at is stamped per attempt: the server uses it to correct this host's clock skew.
        body = (
            f'{{"batch_id":"{batch_id}","sent_at":"{utc_iso()}","agent":{self._agent},'
            f'"{field}":[{",".join(items)}]}}'
        )
        try:
            response = self._client.post(
                path,
                content=gzip.compress(body.encode("utf-8"), compresslevel=6),
                headers={"Content-Type": "application/json", "Content-Encoding": "gzip"},
            )
        except httpx.HTTPError as exc:
            log.warning(
                "event=send_failed kind=%s batch_id=%s error=%r", kind, batch_id, str(exc) or exc
            )
            return Result(Outcome.RETRY)
        status = response.status_code
        if 200 <= status < 300:
            log.debug("event=sent kind=%s batch_id=%s items=%d", kind, batch_id, len(items))
            return Result(Outcome.SENT, answer=_json_object(response))
        detail = response.text[:300]
        if status == 413:
            return self._split(kind, batch_id, items)
        if status in (401, 403):
            log.error(
                "event=token_rejected status=%d detail=%r hint=%r",
                status,
                detail,
                "check WATCHDECK_TOKEN; retrying slowly",
            )
            return Result(Outcome.RETRY_SLOW)
        if status in (408, 429) or status >= 500:
            log.warning(
                "event=send_refused kind=%s batch_id=%s status=%d detail=%r",
                kind,
                batch_id,
                status,
                detail,
            )
            return Result(Outcome.RETRY, _retry_after(response))
        if 400 <= status < 500:
            log.error(
                "event=batch_dropped kind=%s batch_id=%s items=%d status=%d detail=%r",
                kind,
                batch_id,
                len(items),
                status,
                detail,
            )
            return Result(Outcome.DROPPED)
        # A redirect or other surprise: the URL most likely needs fixing.
        log.error(
            "event=unexpected_answer status=%d location=%r hint=%r",
            status,
            response.headers.get("location", ""),
            "check WATCHDECK_URL; retrying slowly",
        )
        return Result(Outcome.RETRY_SLOW)

    def assignments(self) -> dict | None:
        """The checks assigned to this agent, as the server sent them (a JSON object);
        None when they could not be fetched (logged)."""
        try:
            # The hostname names the host when the token is a team-wide key.
            response = self._client.get(ASSIGNMENTS_PATH, params={"hostname": self._hostname})
        except httpx.HTTPError as exc:
            log.warning("event=assignments_fetch_failed error=%r", str(exc) or exc)
            return None
        document = _json_object(response) if response.status_code == 200 else None
        if document is None:
            log.warning(
                "event=assignments_fetch_failed status=%d detail=%r",
                response.status_code,
                response.text[:300],
            )
        return document

    def _split(self, kind: str, batch_id: str, items: list[str]) -> Result:
        """Send a too-large batch as two halves, recursively.

        The halves' ids derive from the batch's, so a resend after a partial
        success repeats the same ids and the server skips what it already has.
        """
        if len(items) == 1:
            log.error("event=batch_dropped kind=%s batch_id=%s reason=too_large", kind, batch_id)
            return Result(Outcome.DROPPED)
        middle = len(items) // 2
        for suffix, part in (("-0", items[:middle]), ("-1", items[middle:])):
            result = self.send(kind, batch_id + suffix, part)
            if result.outcome not in (Outcome.SENT, Outcome.DROPPED):
                return result
        return Result(Outcome.SENT)


def _json_object(response: httpx.Response) -> dict | None:
    try:
        data = response.json()
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def _retry_after(response: httpx.Response) -> float:
    try:
        return min(MAX_RETRY_AFTER_S, max(0.0, float(response.headers.get("retry-after", 0))))
    except ValueError:  # an HTTP date: rare enough to fall back to our own backoff
        return 0.0


class Backoff:
    """Exponential delays with jitter between failed attempts, reset by a success."""

    def __init__(self, base: float, cap: float = 60.0) -> None:
        self.base = base
        self.cap = cap
        self.failures = 0
        self._until = 0.0

    def ready(self) -> bool:
        return time.monotonic() >= self._until

    def failed(self, at_least: float = 0.0) -> float:
        """Record a failure; the delay (s) before the next attempt."""
        delay = min(self.cap, self.base * 2 ** min(self.failures, 30))
        # Jitter spreads the retries of many agents after the same server outage.
        delay = max(at_least, delay * random.uniform(0.5, 1.0))
        self.failures += 1
        self._until = time.monotonic() + delay
        return delay

    def succeeded(self) -> None:
        self.failures = 0
        self._until = 0.0
