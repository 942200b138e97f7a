"""Structured logs: one snake_case event name per line, context bound once.

JSON lines when stderr is not a terminal (journald, files), a readable console renderer
when it is. At info level and above, buyer data never reaches the log: fields that carry a
buyer's message text, email, name or address are replaced by ``[redacted]``.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import MutableMapping
from typing import Any

import structlog

REDACTED_KEYS = frozenset({
    "text", "body", "subject", "email", "recipient", "address", "buyer_name", "name",
    "postal_code", "city", "message_text", "payload",
})
_LEVELS = {"debug": logging.DEBUG, "info": logging.INFO, "warning": logging.WARNING,
           "error": logging.ERROR}


def redact(_logger: Any, method: str, event_dict: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    """Replace buyer data with a marker, except on debug lines."""
    if method == "debug":
        return event_dict
    for key in REDACTED_KEYS & event_dict.keys():
        if event_dict[key] is not None:
            event_dict[key] = "[redacted]"
    return event_dict


def configure(level: str = "info", fmt: str = "auto", stream: Any = None) -> None:
    stream = stream or sys.stderr
    use_console = fmt == "console" or (fmt == "auto" and hasattr(stream, "isatty") and stream.isatty())
    renderer: Any = (
        structlog.dev.ConsoleRenderer(colors=True) if use_console
        else structlog.processors.JSONRenderer(ensure_ascii=False)
    )
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            redact,
            structlog.processors.format_exc_info,
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(_LEVELS[level]),
        logger_factory=structlog.PrintLoggerFactory(file=stream),
        cache_logger_on_first_use=False,
    )
    # Libraries (APScheduler, uvicorn, SQLAlchemy) log through the standard library: their
    # warnings and errors become structlog lines too, so the journal stays one JSON object
    # per line. An overlapping interval job being skipped is normal under load: not logged.
    logging.root.handlers = [_StdlibToStructlog()]
    logging.root.setLevel(max(_LEVELS[level], logging.WARNING))
    logging.getLogger("apscheduler.scheduler").setLevel(logging.ERROR)


class _StdlibToStructlog(logging.Handler):
    """Forwards a library's log record as a ``library_log`` event (message, no traceback text:
    exception messages can carry SQL parameters, i.e. buyer data)."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            log = structlog.get_logger("autoreply").bind(component=record.name)
            method = getattr(log, record.levelname.lower(), log.warning)
            exc = record.exc_info[1] if record.exc_info else None
            error = type(exc).__name__ if exc is not None else None
            method("library_log", detail=record.getMessage()[:1000], error=error)
        except Exception:  # logging must never take the daemon down
            self.handleError(record)


def get_logger(**context: Any) -> Any:
    return structlog.get_logger("autoreply").bind(**context)
