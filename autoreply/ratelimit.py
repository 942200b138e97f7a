"""Token buckets per sender account, shared by every dispatch worker of one daemon.

A bucket holds up to ``burst`` tokens and gains ``rate`` tokens a second (SP-API Messaging:
1 request/s, burst 5). The dispatcher takes tokens *before* it claims messages, so a message
that cannot get one is never claimed: it waits in ``scheduled`` and uses no attempt. When a
sender reports a 429 the bucket is emptied and paused, so the other workers do not burn the
quota either.

Time comes from the daemon's :class:`~autoreply.clock.Clock`, so tests move it by hand.
The limit holds per daemon: several daemons on one database each have their own buckets
(give each ``rate / daemons`` if the far side counts per account).
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from datetime import datetime, timedelta

from autoreply.clock import Clock


class TokenBucket:
    """A thread-safe token bucket."""

    def __init__(self, rate: float, burst: int, clock: Clock) -> None:
        if rate <= 0 or burst < 1:
            raise ValueError("rate must be > 0 and burst >= 1")
        self.rate = rate
        self.burst = burst
        self.clock = clock
        self._tokens = float(burst)
        self._at = clock.now()
        self._paused_until: datetime | None = None
        self._lock = threading.Lock()

    def _refill(self, now: datetime) -> None:
        if self._paused_until is not None:
            if now < self._paused_until:
                self._at = now
                return
            self._at = max(self._at, self._paused_until)
            self._paused_until = None
            self._tokens = max(self._tokens, 1.0)  # "retry after T": one request at T
        elapsed = (now - self._at).total_seconds()
        if elapsed > 0:
            self._tokens = min(float(self.burst), self._tokens + elapsed * self.rate)
            self._at = now

    def take(self, wanted: int) -> int:
        """Take up to ``wanted`` whole tokens now; returns how many were taken (maybe 0)."""
        with self._lock:
            self._refill(self.clock.now())
            got = max(0, min(wanted, int(self._tokens)))
            self._tokens -= got
            return got

    def give_back(self, count: int) -> None:
        """Return tokens taken but not used (fewer messages were due than tokens taken)."""
        if count <= 0:
            return
        with self._lock:
            self._tokens = min(float(self.burst), self._tokens + count)

    def pause(self, seconds: float) -> None:
        """The far side said "too many requests": no tokens for ``seconds`` (at least 1/rate)."""
        with self._lock:
            now = self.clock.now()
            self._refill(now)
            self._tokens = 0.0
            until = now + timedelta(seconds=max(seconds, 1.0 / self.rate))
            if self._paused_until is None or until > self._paused_until:
                self._paused_until = until
            self._at = now

    def available(self) -> float:
        with self._lock:
            self._refill(self.clock.now())
            return self._tokens


class RateLimits:
    """The buckets of one daemon, by sender name. A sender without a configured limit is
    unlimited, except that a 429 pauses it too (for its Retry-After, at least a second)."""

    def __init__(
        self, buckets: Mapping[str, TokenBucket] | None = None, clock: Clock | None = None
    ) -> None:
        self.buckets = dict(buckets or {})
        self.clock = clock
        self._paused: dict[str, datetime] = {}
        self._lock = threading.Lock()

    @classmethod
    def from_settings(cls, senders: object, clock: Clock) -> RateLimits:
        """One bucket for each configured sender whose section sets ``rate_per_second``."""
        buckets = {}
        for name in ("log", "smtp", "webhook", "amazon"):
            section = getattr(senders, name, None)
            rate = getattr(section, "rate_per_second", None)
            if section is not None and rate:
                buckets[name] = TokenBucket(rate, getattr(section, "burst", 1), clock)
        return cls(buckets, clock)

    def take(self, sender: str, wanted: int) -> int:
        bucket = self.buckets.get(sender)
        if bucket is not None:
            return bucket.take(wanted)
        with self._lock:
            until = self._paused.get(sender)
            if until is not None and self.clock is not None:
                if self.clock.now() < until:
                    return 0
                del self._paused[sender]
        return wanted

    def give_back(self, sender: str, count: int) -> None:
        bucket = self.buckets.get(sender)
        if bucket is not None:
            bucket.give_back(count)

    def pause(self, sender: str, seconds: float) -> None:
        bucket = self.buckets.get(sender)
        if bucket is not None:
            bucket.pause(seconds)
        elif self.clock is not None:
            with self._lock:
                until = self.clock.now() + timedelta(seconds=max(seconds, 1.0))
                self._paused[sender] = max(until, self._paused.get(sender, until))
