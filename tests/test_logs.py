"""Log lines an operator relies on: one ``message_attempted`` line per message, JSON, redacted."""

from __future__ import annotations

import io
import json
import logging
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import structlog

from autoreply import logs
from autoreply.clock import FixedClock
from autoreply.config import load_config
from autoreply.dispatch import Dispatcher
from autoreply.pipeline import Engine
from autoreply.senders import SendResult
from autoreply.senders.log import LogSender
from autoreply.settings import DispatchSettings, load_settings
from autoreply.store import Store
from autoreply.worker import InboxWorker
from tests.conftest import NOW, REPO, event_data
from tests.test_dispatch import Scripted
from tests.test_store import message


@pytest.fixture
def logged() -> Iterator[io.StringIO]:
    """The daemon's JSON logs into a buffer; structlog's previous setup is put back after."""
    saved = structlog.get_config()
    handlers, level, fast = logging.root.handlers[:], logging.root.level, logs._json_lines
    buf = io.StringIO()
    logs.configure("info", "json", stream=buf)
    try:
        yield buf
    finally:
        structlog.configure(**saved)
        logging.root.handlers[:] = handlers
        logging.root.setLevel(level)
        logs._json_lines = fast


def lines(buf: io.StringIO, event: str) -> list[dict]:
    return [d for d in map(json.loads, buf.getvalue().splitlines()) if d["event"] == event]


def test_every_sent_message_gets_its_own_attempt_line(store: Store, tmp_path: Path,
                                                      logged: io.StringIO) -> None:
    """A drain writes one ``message_attempted`` info line per message, with the ids an
    operator greps for, the outcome and the attempt, and no buyer text."""
    with store.begin() as conn:
        store.insert_messages(conn, [message(f"e{i}:r") for i in range(5)], NOW)
    dispatcher = Dispatcher(store, {"log": LogSender(tmp_path / "out.jsonl")}, FixedClock(NOW),
                            DispatchSettings(chunk_size=2), "w1")
    assert dispatcher.drain() == 5
    got = lines(logged, "message_attempted")
    ids = {row.message_id for row in store.list_messages()}
    assert {line["message_id"] for line in got} == ids and len(got) == 5
    for line in got:
        assert line["level"] == "info" and line["timestamp"].endswith("Z")
        assert line["component"] == "dispatch" and line["worker"] == "w1"
        assert line["channel"] == "log" and line["rule"] == "r"
        assert line["outcome"] == "sent" and line["status_code"] == 200
        assert line["attempt"] == 1 and line["error"] is None
        assert line["event_id"] in {f"e{i}" for i in range(5)}
    assert "hola" not in logged.getvalue()


def test_a_retry_line_says_why_and_when_next(store: Store, logged: io.StringIO) -> None:
    """A retried message's line carries the error and the next attempt time."""
    with store.begin() as conn:
        store.insert_messages(conn, [message("e1:r")], NOW)
    dispatcher = Dispatcher(store, {"log": Scripted([SendResult.retry("busy", 503)])},
                            FixedClock(NOW), DispatchSettings(), "w1")
    dispatcher.drain()
    (line,) = lines(logged, "message_attempted")
    assert line["outcome"] == "retry" and line["status_code"] == 503 and line["error"] == "busy"
    assert line["next_attempt_at"] > NOW.isoformat()


def test_lines_written_together_read_as_structlog_writes_them(logged: io.StringIO) -> None:
    """``info_each`` writes, per row, the line ``log.info`` would write (the same fields in
    the same order, buyer data redacted); only the timestamp is shared."""
    log = logs.get_logger(component="dispatch").bind(channel="log")
    rows = [{"message_id": "m1", "attempt": 1, "error": None},
            {"message_id": "m2", "attempt": 2, "recipient": "buyer@example.com"}]
    for row in rows:
        log.info("message_attempted", **row)
    logs.info_each(log, "message_attempted", rows)
    one, two, *together = [json.loads(x) for x in logged.getvalue().splitlines()]
    assert len(together) == 2
    for single, batched in zip((one, two), together, strict=True):
        assert list(batched) == list(single)
        assert {**batched, "timestamp": None} == {**single, "timestamp": None}
    assert together[1]["recipient"] == "[redacted]"
    assert together[0]["timestamp"] == together[1]["timestamp"]


def test_no_attempt_lines_below_the_configured_level(store: Store, logged: io.StringIO) -> None:
    """At ``warning`` the per-message info lines are not written at all."""
    logs.configure("warning", "json", stream=logged)
    with store.begin() as conn:
        store.insert_messages(conn, [message("e1:r")], NOW)
    Dispatcher(store, {"log": Scripted([SendResult.sent()])}, FixedClock(NOW),
               DispatchSettings(), "w1").drain()
    assert lines(logged, "message_attempted") == []


def test_console_logs_still_get_one_line_per_message(logged: io.StringIO) -> None:
    """With the console renderer (a terminal) each row is logged on its own, readable line."""
    logs.configure("info", "console", stream=logged)
    log = logs.get_logger(component="dispatch")
    logs.info_each(log, "message_attempted", [{"message_id": "m1"}, {"message_id": "m2"}])
    text = logged.getvalue().splitlines()
    assert len(text) == 2 and "m1" in text[0] and "m2" in text[1]
    assert all("message_attempted" in t for t in text)



def test_worker_lines_read_as_structlog_writes_them(logged: io.StringIO) -> None:
    """``Lines`` writes, at ``flush``, per line what ``log.info`` would have written at once
    (the same text but the timestamp, buyer data redacted), the lines in the order given."""
    log = logs.get_logger(component="worker").bind(event_id="e1")
    fields = [{"rule": "r", "decision": "queue", "findings": ["phone"], "send_at_utc": None},
              {"decision": "no_rule", "email": "buyer@example.com", "count": 2**70}]
    for row in fields:
        log.info("event_decided", **row)
    lines = logs.Lines()
    for row in fields:
        lines.info(log, "event_decided", **row)
    assert len(logged.getvalue().splitlines()) == 2  # nothing written before the flush
    lines.flush()
    one, two, *together = logged.getvalue().splitlines()
    assert len(together) == 2
    stamp = re.compile(r'"timestamp": "[^"]*"')
    for single, batched in zip((one, two), together, strict=True):
        assert stamp.sub("", batched) == stamp.sub("", single)
    assert json.loads(together[1])["email"] == "[redacted]"


def test_json_lines_are_the_text_the_stdlib_writes() -> None:
    """A JSON line is the very text of ``json.dumps(..., ensure_ascii=False, default=repr)``
    (structlog's renderer before): separators, floats, non-ASCII, repr() for the rest."""
    when = datetime(2026, 11, 22, 9, 30, tzinfo=UTC)
    fields = {"event": "ready", "ratio": 1e-05, "big": 1e16, "n": 2**70, "keys": {1: True, None: 0.5},
              "at": when, "text": "Ünïcödé \u2028 \x01 \"quoted\" \\", "items": ("a", ["b", None]),
              "kinds": frozenset({"x"})}
    assert logs.encode(fields) == json.dumps(fields, ensure_ascii=False, default=repr)
    assert '"event": "ready"' in logs.encode(fields)


def test_a_worker_batch_logs_one_decision_line_per_event(tmp_path: Path, logged: io.StringIO) -> None:
    """Each decided event gets its ``event_decided`` line (ids, rule, decision, language,
    zone, send time; no buyer text), in inbox order, even when the batch holds a bad event."""
    store = Store(f"sqlite:///{tmp_path / 'w.db'}")
    store.migrate()
    events = [(f"e{i}", "welcome", "aliexpress", json.dumps(event_data(id=f"e{i}"))) for i in range(3)]
    events.insert(1, ("bad", "welcome", "aliexpress", '{"id": "bad"}'))
    store.add_events(events, source="test", now=NOW)
    engine = Engine(load_config(load_settings(REPO / "config" / "autoreply.toml")))
    InboxWorker(store, lambda: engine, FixedClock(NOW), 10).run_once()
    got = [d for d in map(json.loads, logged.getvalue().splitlines())
           if d["event"] in ("event_decided", "event_failed")]
    assert [(d["event_id"], d["event"]) for d in got] == [
        ("e0", "event_decided"), ("bad", "event_failed"), ("e1", "event_decided"), ("e2", "event_decided")]
    line = got[0]
    assert line["component"] == "worker" and line["level"] == "info" and line["rule"] == "welcome"
    assert line["decision"] == "queue" and line["language"] == "es-ES" and line["send_at_utc"]
    assert "Lucía" not in logged.getvalue() and "talla" not in logged.getvalue()
