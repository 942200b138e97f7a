"""The dispatcher: due rows go to their sender once; results are classified into states."""

from __future__ import annotations

import json
import random
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path

from autoreply.clock import FixedClock
from autoreply.dispatch import Dispatcher
from autoreply.senders import SendResult
from autoreply.senders.log import LogSender
from autoreply.settings import DispatchSettings
from autoreply.store import Claimed, Store
from tests.conftest import NOW
from tests.test_store import message


class Scripted:
    """A sender that answers from a script, for exercising the dispatcher's retry policy."""

    name = "log"

    def __init__(self, answers: list[SendResult]) -> None:
        self.answers = answers
        self.calls = 0

    def send_batch(self, messages: Sequence[Claimed]) -> list[SendResult]:
        out = []
        for _ in messages:
            out.append(self.answers[min(self.calls, len(self.answers) - 1)])
            self.calls += 1
        return out

    def close(self) -> None:
        pass


def test_the_log_sender_writes_one_json_line_per_message(store: Store, tmp_path: Path) -> None:
    """Due messages are appended to the log file with their ids and text, then marked sent."""
    with store.begin() as conn:
        store.insert_messages(conn, [message("e1:r"), message("e2:r"),
                                     message("e3:r", send_at=NOW + timedelta(hours=1))], NOW)
    out = tmp_path / "outbox.jsonl"
    clock = FixedClock(NOW)
    dispatcher = Dispatcher(store, {"log": LogSender(out)}, clock, DispatchSettings(), "w")
    assert dispatcher.drain() == 2
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert sorted(line["idempotency_key"] for line in lines) == ["e1:r", "e2:r"]
    assert all(line["body"] == "hola" and line["message_id"] for line in lines)
    assert store.counts() == {"sent": 2, "scheduled": 1}
    assert dispatcher.drain() == 0  # nothing sent twice
    clock.advance(timedelta(hours=1))
    assert dispatcher.drain() == 1


def test_retry_later_backs_off_then_succeeds(store: Store) -> None:
    """A 'retry' answer reschedules with backoff; the attempts are all recorded."""
    with store.begin() as conn:
        store.insert_messages(conn, [message("e1:r")], NOW)
    clock = FixedClock(NOW)
    sender = Scripted([SendResult.retry("busy", 503)] * 3 + [SendResult.sent(201)])
    settings = DispatchSettings(retry_base_seconds=10)
    dispatcher = Dispatcher(store, {"log": sender}, clock, settings, "w", rng=random.Random(1))
    for _ in range(3):
        assert dispatcher.drain() == 1
        row = store.get_message("e1:r")
        assert row is not None and row.status == "scheduled" and row.next_attempt_at > clock.now()
        assert dispatcher.drain() == 0  # not before its time
        clock.set(row.next_attempt_at)
    assert dispatcher.drain() == 1
    row = store.get_message("e1:r")
    assert row is not None and row.status == "sent" and row.last_status_code == 201
    assert [(a.outcome, a.status_code) for a in store.attempts_of(row.id)] == [
        ("retry", 503), ("retry", 503), ("retry", 503), ("sent", 201)]


def test_retry_after_is_honoured(store: Store) -> None:
    """A Retry-After longer than the backoff is waited out."""
    with store.begin() as conn:
        store.insert_messages(conn, [message("e1:r")], NOW)
    sender = Scripted([SendResult.retry("slow down", 429, retry_after=600)])
    Dispatcher(store, {"log": sender}, FixedClock(NOW), DispatchSettings(retry_base_seconds=1), "w").drain()
    row = store.get_message("e1:r")
    assert row is not None and row.next_attempt_at >= NOW + timedelta(seconds=600)


def test_a_permanent_failure_is_not_retried(store: Store) -> None:
    """'failed' ends the message after one attempt."""
    with store.begin() as conn:
        store.insert_messages(conn, [message("e1:r")], NOW)
    sender = Scripted([SendResult.failed("not eligible", 403)])
    clock = FixedClock(NOW)
    dispatcher = Dispatcher(store, {"log": sender}, clock, DispatchSettings(), "w")
    dispatcher.drain()
    clock.advance(timedelta(days=1))
    assert dispatcher.drain() == 0
    row = store.get_message("e1:r")
    assert row is not None and row.status == "failed" and sender.calls == 1


def test_attempts_run_out(store: Store) -> None:
    """After max_attempts retries the message is failed, with the last error kept."""
    with store.begin() as conn:
        store.insert_messages(conn, [message("e1:r")], NOW)
    clock = FixedClock(NOW)
    dispatcher = Dispatcher(store, {"log": Scripted([SendResult.retry("down", 500)])}, clock,
                            DispatchSettings(max_attempts=3, retry_base_seconds=1), "w")
    for _ in range(5):
        dispatcher.drain()
        clock.advance(timedelta(hours=1))
    row = store.get_message("e1:r")
    assert row is not None and row.status == "failed" and row.attempts == 3
    assert row.last_error == "gave up after 3 attempts: down"
