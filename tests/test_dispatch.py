"""The dispatcher: due rows go to their sender once; results are classified into states."""

from __future__ import annotations

import contextlib
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
    assert [(a.number, a.outcome, a.status_code) for a in store.attempts_of(row.id)] == [
        (1, "retry", 503), (2, "retry", 503), (3, "retry", 503), (4, "sent", 201)]


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


class Watching(Scripted):
    """Sends everything and notes, at each chunk, the batch sizes claimed and the lease of
    the rows still waiting in the outbox as 'sending'."""

    def __init__(self, store: Store, clock: FixedClock) -> None:
        super().__init__([SendResult.sent(200)])
        self.store, self.clock = store, clock
        self.chunks: list[int] = []
        self.waiting_leases: list[set[object]] = []

    def send_batch(self, messages: Sequence[Claimed]) -> list[SendResult]:
        self.chunks.append(len(messages))
        sending = {m.id for m in messages}
        self.waiting_leases.append({
            r.lease_until for r in self.store.list_messages(status="sending", limit=10_000)
            if r.id not in sending})
        self.clock.advance(timedelta(seconds=1))  # each chunk takes a second
        return super().send_batch(messages)


def test_a_backlog_is_claimed_in_growing_batches_and_sent_once(store: Store) -> None:
    """With more due rows than a batch, each full claim doubles the next (up to
    max_batch_size); every message goes out once, and the claims shrink back when the queue does."""
    with store.begin() as conn:
        store.insert_messages(conn, [message(f"e{i}:r") for i in range(70)], NOW)
    clock = FixedClock(NOW)
    settings = DispatchSettings(batch_size=5, max_batch_size=20, chunk_size=5)
    sender = Watching(store, clock)
    dispatcher = Dispatcher(store, {"log": sender}, clock, settings, "w")
    claims = []
    while n := dispatcher.run_once():
        claims.append(n)
    assert claims == [5, 10, 20, 20, 15]
    assert store.counts() == {"sent": 70}
    assert dispatcher.batch_size("log") == 5
    assert len({a.outbox_id for r in store.list_messages(limit=100)
                for a in store.attempts_of(r.id)}) == 70


def test_the_rest_of_a_batch_keeps_its_lease_while_chunks_are_sent(store: Store) -> None:
    """A batch longer than its lease is not reclaimable midway: the lease of the rows still
    waiting is renewed as each chunk's results are committed."""
    with store.begin() as conn:
        store.insert_messages(conn, [message(f"e{i}:r") for i in range(12)], NOW)
    clock = FixedClock(NOW)
    settings = DispatchSettings(batch_size=12, chunk_size=3, lease_seconds=2)
    sender = Watching(store, clock)
    dispatcher = Dispatcher(store, {"log": sender}, clock, settings, "w")
    assert dispatcher.run_once() == 12  # four chunks of 3, one second each: 4 s > the 2 s lease
    assert sender.chunks == [3, 3, 3, 3]
    # set by the claim, then renewed by each chunk's commit (one second later each time)
    assert sender.waiting_leases == [{NOW + timedelta(seconds=s)} for s in (2, 3, 4)] + [set()]
    other = Dispatcher(store, {"log": Scripted([SendResult.sent()])}, clock, settings, "x")
    assert other.run_once() == 0  # nothing left to steal, nothing sent twice
    assert store.counts() == {"sent": 12}


def claimed(n: int, body: str = "hola") -> Claimed:
    """A claimed message as the store hands it to a sender."""
    return Claimed(
        id=n, message_id=f"m{n}", idempotency_key=f"e{n}:r", event_id=f"e{n}", rule="r",
        kind="welcome", platform="aliexpress", marketplace="ES", buyer_id="b", order_id="o",
        channel="log", recipient="b", language="es", subject="s", body=body, send_at=NOW,
        attempts=1, started_at=NOW)


def test_a_message_the_log_cannot_hold_fails_alone(tmp_path: Path) -> None:
    """In a chunk written at once, a message that cannot be a JSON line (text that is not
    valid UTF-8) is failed, and the others of its chunk are written and sent."""
    out = tmp_path / "outbox.jsonl"
    results = LogSender(out).send_batch([claimed(1), claimed(2, body="caf\udce9"), claimed(3)])
    assert [r.outcome for r in results] == ["sent", "failed", "sent"]
    assert results[1].error is not None and "JSON line" in results[1].error
    assert [json.loads(line)["message_id"] for line in out.read_text().splitlines()] == ["m1", "m3"]


def test_a_log_file_that_cannot_be_written_retries_the_chunk(tmp_path: Path) -> None:
    """If the log file cannot be written, no message of the chunk is sent: all are retried."""
    (tmp_path / "outbox.jsonl").mkdir()  # a directory where the file should be
    results = LogSender(tmp_path / "outbox.jsonl").send_batch([claimed(1), claimed(2)])
    assert [r.outcome for r in results] == ["retry", "retry"]


class Killed(BaseException):
    """The process dying: nothing after it runs (not an error a sender reports)."""


class DiesAfterWriting(LogSender):
    """The log sender in a daemon that is killed right after its ``die_at``-th chunk was
    written, before the dispatcher commits that chunk's results."""

    def __init__(self, path: Path, die_at: int) -> None:
        super().__init__(path)
        self.die_at, self.chunks = die_at, 0

    def send_batch(self, messages: Sequence[Claimed]) -> list[SendResult]:
        results = super().send_batch(messages)
        self.chunks += 1
        if self.chunks == self.die_at:
            raise Killed
        return results


def test_a_crash_mid_batch_repeats_at_most_one_chunk_with_the_same_ids(
        store: Store, tmp_path: Path) -> None:
    """A daemon killed after writing its third chunk but before recording it: once the lease
    has run out the next daemon sends the rest; nothing is lost, and only that chunk is
    written twice, under the same message ids."""
    with store.begin() as conn:
        store.insert_messages(conn, [message(f"e{i}:r") for i in range(100)], NOW)
    out = tmp_path / "outbox.jsonl"
    clock = FixedClock(NOW)
    settings = DispatchSettings(batch_size=60, max_batch_size=60, chunk_size=10)
    first = Dispatcher(store, {"log": DiesAfterWriting(out, die_at=3)}, clock, settings, "a")
    with contextlib.suppress(Killed):
        first.drain()
    assert store.counts() == {"sent": 20, "sending": 40, "scheduled": 40}
    clock.advance(timedelta(seconds=settings.lease_seconds + 1))
    second = Dispatcher(store, {"log": LogSender(out)}, clock, settings, "b")
    assert second.drain() == 80
    assert store.counts() == {"sent": 100}
    ids = [json.loads(line)["message_id"] for line in out.read_text().splitlines()]
    assert len(set(ids)) == 100
    assert len(ids) - 100 == settings.chunk_size  # the one chunk written but not recorded
