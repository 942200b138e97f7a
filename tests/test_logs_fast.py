"""The worker's info lines written without structlog's processors are the very text the
processors write, and anything the processors would change takes the processors."""

from __future__ import annotations

import io
import json
import types
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import structlog

from autoreply import clock, logs
from tests.test_logs import logged  # noqa: F401 - the fixture

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
#: 2026-11-23T10:00:00.123456Z, the instant both writers are given
MICROS = 1_795_428_000_123_456


class _Frozen(datetime):
    """``datetime.now`` answering one instant: structlog's TimeStamper frozen."""

    @classmethod
    def now(cls, tz: Any = None) -> Any:
        return (EPOCH + timedelta(microseconds=MICROS)).astimezone(tz)


@pytest.fixture
def frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    """Both timestamps (structlog's and the fast line's) read the same fixed instant."""
    fake = types.SimpleNamespace(datetime=_Frozen, timezone=types.SimpleNamespace(utc=UTC))
    monkeypatch.setattr(structlog.processors, "datetime", fake)
    monkeypatch.setattr(logs, "log_timestamp", lambda: clock.iso_utc_text(MICROS))


class Text(str):
    """A str subclass: not remembered as text, encoded as the renderer encodes it."""


ROWS: list[tuple[str, dict[str, Any]]] = [
    ("event_decided", {"event_id": "e1", "rule": "welcome", "decision": "queue", "language": "de",
                       "timezone": "Europe/Berlin", "send_at_utc": "2026-11-23T10:00:00+00:00",
                       "findings": None}),
    ("event_decided", {"event_id": "e2", "rule": "welcome", "decision": "queue", "language": "de",
                       "timezone": "Europe/Berlin", "send_at_utc": "2026-11-23T10:00:00+00:00",
                       "findings": ["phone", "link"]}),
    ("event_decided", {"event_id": "e3", "decision": "no_rule"}),
    ("event_decided", {}),
    ("ünïcödé_event", {"text_like": 'Ünïcödé \u2028 \x01 "quoted" \\', "n": 2**70, "ratio": 1e-05,
                       "big": 1e16, "nan": float("nan"), "yes": True, "no": False, "zero": 0}),
    ("event_decided", {"nested": {"a": [1, None, "b"], 2: 0.5}, "tuple": ("x", "y"),
                       "at": datetime(2026, 11, 22, 9, 30, tzinfo=UTC), "kinds": frozenset({"x"})}),
    ("event_decided", {"sub": Text("subclassed"), "empty": ""}),
    # the processors' own keys: redacted buyer data, level, timestamp, exc_info — through them
    ("event_decided", {"event_id": "e4", "email": "buyer@example.com", "text": None}),
    ("event_decided", {"event_id": "e5", "level": "debug"}),
    ("event_decided", {"event_id": "e6", "timestamp": "then"}),
    ("event_decided", {"event_id": "e7", "exc_info": False}),
    ("event_decided", {"component": "other", "event_id": "e8"}),
]


@pytest.mark.usefixtures("frozen")
@pytest.mark.parametrize(("event", "fields"), ROWS)
@pytest.mark.parametrize("context", [{"component": "worker"}, {}, {"component": "worker", "shard": 3}])
def test_a_line_is_the_text_the_processors_write(logged: io.StringIO, event: str,  # noqa: F811
                                                 fields: dict[str, Any], context: dict[str, Any]) -> None:
    """``Lines`` writes, byte for byte, the line ``log.info`` writes (timestamps frozen alike),
    twice in a row (the second from remembered items)."""
    log = structlog.get_logger("autoreply").bind(**context)
    log.info(event, **fields)
    lines = logs.Lines()
    lines.info(log, event, **fields)
    lines.info(log, event, **fields)
    lines.flush()
    single, *batched = logged.getvalue().rstrip("\n").split("\n")  # not splitlines: \u2028
    assert batched == [single, single]


@pytest.mark.usefixtures("frozen")
@pytest.mark.parametrize(("event", "fields"), [row for row in ROWS if not {
    "email", "text", "level", "timestamp", "exc_info", "component"} & row[1].keys()])
def test_plain_lines_skip_the_processors(logged: io.StringIO, event: str,  # noqa: F811
                                         fields: dict[str, Any]) -> None:
    """A line the processors would only add the level and timestamp to is written by the
    fast writer, and it is the processors' text."""
    log = logs.get_logger(component="worker")
    found = logs._json_setup(log)
    assert found is not None
    fast = logs._Fast.of(*found)
    assert fast is not None
    log.info(event, **fields)
    assert fast.line(event, fields) == logged.getvalue().rstrip("\n")


@pytest.mark.parametrize("context", [
    {"component": "worker", "email": "buyer@example.com"},  # redacted by the processors
    {"component": "worker", "level": "x"},
])
def test_a_context_the_processors_change_is_not_fast(logged: io.StringIO,  # noqa: F811
                                                     context: dict[str, Any]) -> None:
    """A logger bound to a key the processors redact or write gets no fast writer."""
    found = logs._json_setup(structlog.get_logger("autoreply").bind(**context))
    assert found is not None and logs._Fast.of(*found) is None


def test_other_processors_are_not_fast(logged: io.StringIO) -> None:  # noqa: F811
    """Processors other than :func:`logs.configure`'s (a local-time stamp) get no fast writer."""
    setup = logs._json_lines
    assert setup is not None
    local = (*setup.processors[:2], structlog.processors.TimeStamper(fmt="iso", utc=False),
             *setup.processors[3:])
    found = logs._json_setup(logs.get_logger(component="worker"))
    assert found is not None
    assert logs._Fast.of(*found) is not None
    assert logs._Fast.of(logs._JsonLines(setup.level, local, setup.renderer, setup.out), found[1]) is None


def test_bound_context_variables_reach_the_line(logged: io.StringIO,  # noqa: F811
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """A context variable bound with structlog is merged into the line as the processors do;
    once cleared, lines are plain again."""
    made: dict[str, Any] = {}  # this test's own table: the process's stays as it was
    monkeypatch.setattr(structlog.contextvars, "_CONTEXT_VARS", made)
    monkeypatch.setattr(logs, "_CONTEXT_VARS", made)
    log = logs.get_logger(component="worker")
    lines = logs.Lines()
    structlog.contextvars.bind_contextvars(request="r-1")
    try:
        lines.info(log, "event_decided", event_id="e1")
    finally:
        structlog.contextvars.clear_contextvars()
    lines.info(log, "event_decided", event_id="e2")
    lines.flush()
    one, two = map(json.loads, logged.getvalue().splitlines())
    assert one["request"] == "r-1" and list(one)[-4:] == ["event", "request", "level", "timestamp"]
    assert "request" not in two and list(two)[-3:] == ["event", "level", "timestamp"]


INSTANTS = [0, 1, 999_999, 1_000_000, MICROS, MICROS - 123_456, MICROS + 876_544,
            1_798_761_599_999_999, 1_798_761_600_000_000, 253_402_300_799_999_999]


def test_the_log_timestamp_text_is_isoformat() -> None:
    """``iso_utc_text`` writes ``isoformat()`` with ``Z`` (no fraction on a whole second), also
    for instants within one second and across a year's end, in any order."""
    for micros in [*INSTANTS, *reversed(INSTANTS), *INSTANTS]:
        expected = (EPOCH + timedelta(microseconds=micros)).isoformat().replace("+00:00", "Z")
        assert clock.iso_utc_text(micros) == expected


def test_the_log_timestamp_reads_the_wall_clock() -> None:
    """``log_timestamp`` is the instant between two readings of structlog's own stamp."""
    stamp = structlog.processors.TimeStamper(fmt="iso", utc=True)
    before = stamp(None, "info", {})["timestamp"]
    ours = clock.log_timestamp()
    after = stamp(None, "info", {})["timestamp"]
    assert ours.endswith("Z")
    read = [datetime.fromisoformat(t.replace("Z", "+00:00")) for t in (before, ours, after)]
    assert read[0] <= read[1] <= read[2]
