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

from autoreply.clock import log_timestamp

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


#: the context variables ``structlog.contextvars.bind_contextvars`` ever made (structlog's own
#: table; ``None`` if a structlog version lacks it): while none holds a value, ``merge_contextvars``
#: adds nothing to a line
_CONTEXT_VARS: dict[str, Any] | None = getattr(structlog.contextvars, "_CONTEXT_VARS", None)


def _context_vars_unbound() -> bool:
    """Whether no context variable bound with structlog holds a value in this context (so
    ``merge_contextvars`` would add nothing); ``False`` when that cannot be told."""
    made = _CONTEXT_VARS
    if made is None:
        return False
    return not made or all(var.get(Ellipsis) is Ellipsis for var in made.values())


#: keys of a line the processors write or change: a line whose fields hold one of them is built
#: by the processors themselves
_PROCESSED_KEYS = REDACTED_KEYS | {"event", "level", "timestamp", "exc_info", "exception"}
#: per key, ``"key": value`` as :func:`encode` writes it inside a line, for recurring text and
#: ``None`` values (a worker's rules, decisions, languages, zones); bounded: a key whose values
#: do not recur (ids) stops being remembered after the first ``_PAIRS_PER_KEY``
_PAIRS: dict[str, dict[str | None, str]] = {}
_PAIRS_PER_KEY = 1024
_PAIR_KEYS = 256


def _pair(key: str, value: Any) -> str:
    """``"key": value`` as :func:`encode` writes the item inside a line (the same C encoder,
    which writes a value alike at the top and nested)."""
    if _iterencode is None:  # pragma: no cover - CPython always has the C encoder
        return _encoder.encode(key) + ": " + _encoder.encode(value)
    return encode_basestring(key) + ": " + "".join(_iterencode(value, 0))


def _standard(processors: tuple[Any, ...]) -> bool:
    """Whether ``processors`` are :func:`configure`'s, the ones :class:`_Fast` writes lines as."""
    if len(processors) != 5:
        return False
    merge, level, stamper, redacts, exc = processors
    return (merge is structlog.contextvars.merge_contextvars
            and level is structlog.processors.add_log_level
            and isinstance(stamper, structlog.processors.TimeStamper)
            and str(stamper.fmt).lower() == "iso" and stamper.utc is True
            and stamper.key == "timestamp"
            and redacts is redact and exc is structlog.processors.format_exc_info)


class _Fast:
    """A logger's info lines written as text at once, for a logger whose bound context the
    processors leave alone: the line ``{context, fields, "event", "level", "timestamp"}`` that
    :func:`configure`'s processors and :func:`encode` write — no context variables merged (none
    bound), level ``info``, the timestamp's text (:func:`autoreply.clock.log_timestamp`), nothing
    redacted, no exception — encoded item by item, recurring items' text remembered."""

    __slots__ = ("head", "reserved", "tails")

    def __init__(self, context: dict[str, Any]) -> None:
        self.head = [_pair(key, value) for key, value in context.items()]
        #: a field named so is the processors' (or the context's, whose place it would take)
        self.reserved = frozenset(context) | _PROCESSED_KEYS
        self.tails: dict[str, str] = {}  # event name → its line's end up to the timestamp's text

    @classmethod
    def of(cls, setup: _JsonLines, context: Any) -> _Fast | None:
        """The fast writer for ``context`` under ``setup``, or ``None`` when its lines must go
        through the processors (a context key they write or change, a non-text key)."""
        if (type(context) is not dict or not all(type(k) is str for k in context)
                or not _PROCESSED_KEYS.isdisjoint(context) or not _standard(setup.processors)):
            return None
        return cls(context)

    def line(self, event: str, fields: dict[str, Any]) -> str:
        parts = self.head.copy()
        pairs = _PAIRS
        for key, value in fields.items():
            if value is None or type(value) is str:
                known = pairs.get(key)
                if known is None:
                    known = {} if len(pairs) >= _PAIR_KEYS else pairs.setdefault(key, {})
                text = known.get(value)
                if text is None:
                    text = _pair(key, value)
                    if len(known) < _PAIRS_PER_KEY:
                        known[value] = text
            else:
                text = _pair(key, value)
            parts.append(text)
        tail = self.tails.get(event)
        if tail is None:
            tail = self.tails[event] = (_pair("event", event) + ", "
                                        + _pair("level", "info") + ', "timestamp": "')
        parts.append(tail + log_timestamp() + '"}')
        return "{" + ", ".join(parts)


class Lines:
    """Info lines collected and written at once by :meth:`flush` (one write for a worker's
    batch), each the line ``log.info(event, **fields)`` would write: same fields in the same
    order, its own timestamp, redacted by the same processors — built without structlog's
    per-call machinery; for a line the processors would not change but by adding the level and
    timestamp (no context variables, no field they redact or write), without the processors
    either (:class:`_Fast`). Console logs (a terminal), or logs not set up by
    :func:`configure`, take one ``log.info`` per line at once."""

    def __init__(self) -> None:
        self._lines: list[str] = []
        self._out: Any = None  # the stream of the setup the lines were built for
        # (log, the setup it was checked under, what _json_setup answered, the fast writer): a
        # worker's batch writes every line through one logger, so structlog's config is read
        # once per batch
        self._checked: tuple[Any, Any, Any, _Fast | None] | None = None

    def info(self, log: Any, event: str, **fields: Any) -> None:
        checked = self._checked
        if checked is None or checked[0] is not log or checked[1] is not _json_lines:
            found = _json_setup(log)
            checked = self._checked = (log, _json_lines, found,
                                       _Fast.of(*found) if found is not None else None)
        found = checked[2]
        if found is None:
            log.info(event, **fields)
            return
        setup, context = found
        if setup.level > logging.INFO:
            return
        self._out = setup.out
        fast = checked[3]
        if (fast is not None and type(event) is str and fields.keys().isdisjoint(fast.reserved)
                and _context_vars_unbound()):
            self._lines.append(fast.line(event, fields))
            return
        line: Any = dict(context)
        line.update(fields)
        line["event"] = event
        for processor in setup.processors:
            line = processor(None, "info", line)
        self._lines.append(encode(line))

    def flush(self) -> None:
        """Write the collected lines (the configured stream, one write) and forget them."""
        if self._lines:
            self._out.msg("\n".join(self._lines))
            self._lines.clear()
