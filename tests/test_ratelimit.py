"""Token buckets: the SP-API plan (1/s, burst 5) holds for every worker of a daemon together."""

from __future__ import annotations

import threading
from datetime import timedelta

from autoreply.clock import FixedClock
from autoreply.ratelimit import RateLimits, TokenBucket
from tests.conftest import NOW


def test_burst_then_the_rate() -> None:
    """A full bucket gives its burst at once, then one token per 1/rate seconds, never more than burst."""
    clock = FixedClock(NOW)
    bucket = TokenBucket(1.0, 5, clock)
    assert bucket.take(10) == 5
    assert bucket.take(1) == 0
    clock.advance(timedelta(milliseconds=999))
    assert bucket.take(1) == 0
    clock.advance(timedelta(milliseconds=1))
    assert bucket.take(10) == 1
    clock.advance(timedelta(hours=1))
    assert bucket.take(10) == 5


def test_unused_tokens_can_be_given_back() -> None:
    """Tokens taken for messages that were not due return to the bucket (up to the burst)."""
    clock = FixedClock(NOW)
    bucket = TokenBucket(1.0, 5, clock)
    assert bucket.take(5) == 5
    bucket.give_back(3)
    assert bucket.take(5) == 3


def test_a_pause_stops_all_tokens_until_it_ends() -> None:
    """After a 429 no worker gets a token until the pause is over; then one request may go."""
    clock = FixedClock(NOW)
    bucket = TokenBucket(1.0, 5, clock)
    bucket.pause(30)
    clock.advance(timedelta(seconds=29))
    assert bucket.take(5) == 0
    clock.advance(timedelta(seconds=1))
    assert bucket.take(5) == 1


def test_workers_in_threads_never_exceed_the_bucket() -> None:
    """Eight threads taking at once share five tokens, and five only."""
    clock = FixedClock(NOW)
    limits = RateLimits({"amazon": TokenBucket(1.0, 5, clock)}, clock)
    got: list[int] = []
    start = threading.Barrier(8)

    def worker() -> None:
        start.wait()
        for _ in range(100):
            got.append(limits.take("amazon", 1))

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(got) == 5


def test_a_sender_without_a_limit_is_only_paused_by_a_429() -> None:
    """No configured rate means no limit, but a 429's Retry-After still holds everyone back."""
    clock = FixedClock(NOW)
    limits = RateLimits({}, clock)
    assert limits.take("webhook", 200) == 200
    limits.pause("webhook", 10)
    assert limits.take("webhook", 200) == 0
    clock.advance(timedelta(seconds=10))
    assert limits.take("webhook", 200) == 200
