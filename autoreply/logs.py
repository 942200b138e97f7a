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
    logging.basicConfig(level=max(_LEVELS[level], logging.WARNING), stream=stream,
                        format="%(levelname)s %(name)s %(message)s")


def get_logger(**context: Any) -> Any:
    return structlog.get_logger("autoreply").bind(**context)
