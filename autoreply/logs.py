"""Structured logs: one snake_case event name per line, context bound once.

JSON lines when stderr is not a terminal (journald, files), a readable console renderer
when it is. At info level and above, buyer data never reaches the log: fields that carry a
buyer's message text, email, name or address are replaced by ``[redacted]``.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterable, MutableMapping
from dataclasses import dataclass
from json.encoder import c_make_encoder, encode_basestring  # type: ignore[attr-defined]
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


@dataclass(frozen=True)
class _JsonLines:
    """How :func:`configure` set up JSON lines, for :func:`info_each`'s shortcut."""

    level: int
    processors: tuple[Any, ...]  # all but the renderer
    renderer: Any  # still structlog's last processor, or structlog was set up again since
    out: Any  # a structlog PrintLogger on the stream: its per-file lock, print, flush


_json_lines: _JsonLines | None = None
# as structlog's JSONRenderer(ensure_ascii=False) writes a line; repr() for what JSON lacks
_encoder = json.JSONEncoder(ensure_ascii=False, default=repr)
# the C encoder that JSONEncoder.encode builds for every call, built once; no circular-reference
# bookkeeping (a shared one would not be thread-safe): a cycle in log fields is a RecursionError
_iterencode = c_make_encoder(None, repr, encode_basestring, None, ": ", ", ", False, False,
                             True) if c_make_encoder is not None else None


def encode(fields: MutableMapping[str, Any]) -> str:
    """One JSON line, the very text ``json.dumps(fields, ensure_ascii=False, default=repr)``
    (structlog's JSONRenderer) writes: ``"event": "ready"``, separators and all — operators
    and tests grep for it — without building an encoder per line."""
    if _iterencode is None:  # pragma: no cover - CPython always has the C encoder
        return _encoder.encode(fields)
    return "".join(_iterencode(fields, 0))


def render_json(_logger: Any, _method: str, event_dict: MutableMapping[str, Any]) -> str:
    """structlog's last processor for JSON lines (its ``JSONRenderer``, cheaper): :func:`encode`."""
    return encode(event_dict)


def configure(level: str = "info", fmt: str = "auto", stream: Any = None) -> None:
    global _json_lines
    stream = stream or sys.stderr
    use_console = fmt == "console" or (fmt == "auto" and hasattr(stream, "isatty") and stream.isatty())
    renderer: Any = (
        structlog.dev.ConsoleRenderer(colors=True) if use_console
        else render_json
    )
    processors = (
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        redact,
        structlog.processors.format_exc_info,
    )
    _json_lines = None if use_console else _JsonLines(
        _LEVELS[level], processors, renderer, structlog.PrintLogger(file=stream))
    structlog.configure(
        processors=[*processors, renderer],
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


def _json_setup(log: Any) -> tuple[_JsonLines, Any] | None:
    """The JSON-lines setup and ``log``'s bound context, when lines can be built without
    structlog's per-call machinery (logs set up by :func:`configure` as JSON lines and still
    rendered so); ``None`` when each line must go through ``log.info``."""
    setup = _json_lines
    context = getattr(log, "_context", None)
    if (setup is None or context is None
            or structlog.get_config()["processors"][-1:] != [setup.renderer]):
        return None
    return setup, context


def info_each(log: Any, event: str, rows: Iterable[dict[str, Any]]) -> None:
    """One info line ``event`` per row, as ``log.info(event, **row)`` would write each (same
    fields, same redaction), built at once when the lines are JSON: the processors (bound and
    context variables, level, timestamp) run once for all, each row only adds its fields and
    is encoded, and the lines go out in one write. So the rows share one timestamp. For the
    dispatcher's ``message_attempted`` lines, one per message: a structlog call per line
    cost more CPU than the rest of the send but the database. Console logs (a terminal), or
    logs not set up by :func:`configure`, take one ``log.info`` per row."""
    found = _json_setup(log)
    if found is None:
        for row in rows:
            log.info(event, **row)
        return
    setup, context = found
    if setup.level > logging.INFO:
        return
    head: Any = dict(context)
    head["event"] = event
    for processor in setup.processors:
        head = processor(None, "info", head)
    bound = {k: v for k, v in head.items() if k in context}  # structlog's order: context,
    tail = {k: v for k, v in head.items() if k not in bound}  # fields, event, level, time
    lines = []
    for row in rows:
        line = bound.copy()
        line.update(row)
        line.update(tail)
        if not REDACTED_KEYS.isdisjoint(row):
            redact(None, "info", line)
        lines.append(encode(line))
    if lines:
        setup.out.msg("\n".join(lines))


class Lines:
    """Info lines collected and written at once by :meth:`flush` (one write for a worker's
    batch), each the line ``log.info(event, **fields)`` would write: same fields in the same
    order, its own timestamp, redacted by the same processors — built without structlog's
    per-call machinery. Console logs (a terminal), or logs
    not set up by :func:`configure`, take one ``log.info`` per line at once."""

    def __init__(self) -> None:
        self._lines: list[str] = []
        self._out: Any = None  # the stream of the setup the lines were built for
        # (log, the setup it was checked under, what _json_setup answered): a worker's batch
        # writes every line through one logger, so structlog's config is read once per batch
        self._checked: tuple[Any, Any, Any] | None = None

    def info(self, log: Any, event: str, **fields: Any) -> None:
        checked = self._checked
        if checked is not None and checked[0] is log and checked[1] is _json_lines:
            found = checked[2]
        else:
            found = _json_setup(log)
            self._checked = (log, _json_lines, found)
        if found is None:
            log.info(event, **fields)
            return
        setup, context = found
        if setup.level > logging.INFO:
            return
        line: Any = dict(context)
        line.update(fields)
        line["event"] = event
        for processor in setup.processors:
            line = processor(None, "info", line)
        self._lines.append(encode(line))
        self._out = setup.out

    def flush(self) -> None:
        """Write the collected lines (the configured stream, one write) and forget them."""
        if self._lines:
            self._out.msg("\n".join(self._lines))
            self._lines.clear()
