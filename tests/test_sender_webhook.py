"""The webhook sender against a real local HTTP server that verifies every signature, driven
by the real dispatcher and store: retries, permanent failures, Retry-After, idempotency key."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import timedelta
from email.utils import format_datetime

import pytest

from autoreply.clock import FixedClock
from autoreply.dispatch import Dispatcher
from autoreply.senders.webhook import WebhookSender, sign, verify
from autoreply.settings import DispatchSettings, WebhookSenderSettings
from autoreply.store import Store
from tests.conftest import NOW
from tests.receivers import Answer, WebhookReceiver, webhook_receiver
from tests.test_store import message

SECRET = b"s3cret-for-tests"


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def receiver(clock: FixedClock) -> Iterator[WebhookReceiver]:
    with webhook_receiver(SECRET, now=lambda: clock.now().timestamp()) as r:
        yield r


def dispatcher(
    store: Store,
    receiver: WebhookReceiver,
    clock: FixedClock,
    secret: bytes = SECRET,
    **settings: float,
) -> Dispatcher:
    sender = WebhookSender(
        WebhookSenderSettings(url=receiver.url, timeout_seconds=2), secret.decode(), clock
    )
    return Dispatcher(
        store,
        {"webhook": sender},
        clock,
        DispatchSettings(**{"retry_base_seconds": 10, **settings}),
        "w",
        rng=random.Random(7),
    )


def queue(store: Store, *keys: str) -> None:
    with store.begin() as conn:
        store.insert_messages(conn, [message(k, channel="webhook") for k in keys], NOW)


def test_a_signed_post_carries_the_message_and_its_idempotency_key(
    store: Store, receiver: WebhookReceiver, clock: FixedClock
) -> None:
    """The receiver verifies the HMAC over timestamp and body and gets the message id as Idempotency-Key."""
    queue(store, "e1:r")
    assert dispatcher(store, receiver, clock).drain() == 1
    row = store.get_message("e1:r")
    assert row is not None and row.status == "sent" and row.last_status_code == 200
    assert dict(receiver.delivered) == {row.message_id: 1}
    assert receiver.bodies[row.message_id]["body"] == "hola"
    assert receiver.bad_signatures == 0


def test_a_wrong_secret_is_refused_by_the_receiver(
    store: Store, receiver: WebhookReceiver, clock: FixedClock
) -> None:
    """A signature made with another secret fails verification: the receiver's 401 is permanent."""
    queue(store, "e1:r")
    dispatcher(store, receiver, clock, secret=b"wrong").drain()
    row = store.get_message("e1:r")
    assert row is not None and row.status == "failed" and row.last_status_code == 401
    assert receiver.bad_signatures == 1 and not receiver.delivered


def test_verify_rejects_old_timestamps_and_tampered_bodies() -> None:
    """A receiver's check fails for a replayed (stale) timestamp or a changed body."""
    body = b'{"a":1}'
    headers = {"X-Autoreply-Timestamp": "1000", "X-Autoreply-Signature": sign(SECRET, "1000", body)}
    assert verify(SECRET, headers, body, 1000 + 299)
    assert not verify(SECRET, headers, body, 1000 + 301)
    assert not verify(SECRET, headers, b'{"a":2}', 1000)


def test_503_three_times_then_201_gets_through_with_every_attempt_recorded(
    store: Store, receiver: WebhookReceiver, clock: FixedClock
) -> None:
    """Three 503s are retried with growing backoff; the fourth try's 201 marks it sent."""
    queue(store, "e1:r")
    row = store.get_message("e1:r")
    assert row is not None
    receiver.script[row.message_id] = [Answer(503)] * 3 + [Answer(201)]
    d = dispatcher(store, receiver, clock)
    waits = []
    for _ in range(3):
        d.drain()
        row = store.get_message("e1:r")
        assert row is not None and row.status == "scheduled"
        waits.append((row.next_attempt_at - clock.now()).total_seconds())
        clock.set(row.next_attempt_at)
    d.drain()
    row = store.get_message("e1:r")
    assert row is not None and row.status == "sent" and row.last_status_code == 201
    assert [(a.number, a.outcome, a.status_code) for a in store.attempts_of(row.id)] == [
        (1, "retry", 503),
        (2, "retry", 503),
        (3, "retry", 503),
        (4, "sent", 201),
    ]
    assert 5 <= waits[0] <= 10 and 10 <= waits[1] <= 20 and 20 <= waits[2] <= 40
    assert receiver.delivered[row.message_id] == 1


@pytest.mark.parametrize("status", [400, 403, 404, 410, 422])
def test_a_4xx_is_permanent_after_one_attempt(
    store: Store, receiver: WebhookReceiver, clock: FixedClock, status: int
) -> None:
    """4xx other than 408/429 ends the message at once: one attempt, 'failed', reason kept."""
    receiver.default = Answer(status)
    queue(store, "e1:r")
    d = dispatcher(store, receiver, clock)
    d.drain()
    clock.advance(timedelta(days=1))
    assert d.drain() == 0
    row = store.get_message("e1:r")
    assert (
        row is not None
        and row.status == "failed"
        and row.status_reason.startswith(f"permanent: {status}")
    )
    assert [a.status_code for a in store.attempts_of(row.id)] == [status]


@pytest.mark.parametrize("status", [408, 429, 500, 502, 503, 504])
def test_408_429_and_5xx_are_retried(
    store: Store, receiver: WebhookReceiver, clock: FixedClock, status: int
) -> None:
    """Temporary answers put the message back in the queue for a later attempt."""
    receiver.default = Answer(status)
    queue(store, "e1:r")
    dispatcher(store, receiver, clock).drain()
    row = store.get_message("e1:r")
    assert row is not None and row.status == "scheduled" and row.next_attempt_at > clock.now()


@pytest.mark.parametrize("header", ["seconds", "http-date"])
def test_429_with_retry_after_waits_at_least_that_long(
    store: Store, receiver: WebhookReceiver, clock: FixedClock, header: str
) -> None:
    """Retry-After (delta-seconds or an HTTP-date) is waited out even when the backoff is shorter."""
    value = (
        "900" if header == "seconds" else format_datetime(NOW + timedelta(seconds=900), usegmt=True)
    )
    queue(store, "e1:r")
    row = store.get_message("e1:r")
    assert row is not None
    receiver.script[row.message_id] = [Answer(429, {"Retry-After": value})]
    d = dispatcher(store, receiver, clock, retry_base_seconds=1)
    d.drain()
    row = store.get_message("e1:r")
    assert row is not None and row.next_attempt_at >= NOW + timedelta(seconds=900)
    clock.set(NOW + timedelta(seconds=899))
    assert d.drain() == 0 and not receiver.delivered
    clock.set(row.next_attempt_at)
    assert d.drain() == 1 and receiver.delivered[row.message_id] == 1


def test_a_429_stops_the_batch_without_using_the_others_attempts(
    store: Store, receiver: WebhookReceiver, clock: FixedClock
) -> None:
    """After a 429 the rest of the batch is handed back untried: no attempt, no request."""
    queue(store, *(f"e{i}:r" for i in range(5)))
    receiver.default = Answer(429, {"Retry-After": "60"})
    dispatcher(store, receiver, clock).drain()
    assert len(receiver.requests) == 1
    rows = [store.get_message(f"e{i}:r") for i in range(5)]
    assert sorted(r.attempts for r in rows if r is not None) == [0, 0, 0, 0, 1]
    assert all(r is not None and r.status == "scheduled" for r in rows)


def test_a_slow_receiver_times_out_and_is_retried(
    store: Store, receiver: WebhookReceiver, clock: FixedClock
) -> None:
    """No answer within the timeout is a retry, recorded as a timeout."""
    receiver.default = Answer(200, delay=1.5)
    queue(store, "e1:r")
    sender = WebhookSender(
        WebhookSenderSettings(url=receiver.url, timeout_seconds=0.3), SECRET.decode(), clock
    )
    Dispatcher(store, {"webhook": sender}, clock, DispatchSettings(), "w").drain()
    row = store.get_message("e1:r")
    assert row is not None and row.status == "scheduled" and "timeout" in (row.last_error or "")
