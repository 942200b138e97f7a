"""The one place that reads the wall clock.

Every other module takes a :class:`Clock` and asks it for ``now()``; tests and
``preview --now`` pass a :class:`FixedClock`. Times are always timezone-aware UTC.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant, timezone-aware, in UTC."""
        ...


class SystemClock:
    """The real clock."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class FixedClock:
    """A clock that stands still until told to move (tests, ``preview --now``)."""

    def __init__(self, at: datetime) -> None:
        self._at = as_utc(at)
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            return self._at

    def set(self, at: datetime) -> None:
        with self._lock:
            self._at = as_utc(at)

    def advance(self, delta: timedelta) -> None:
        with self._lock:
            self._at = self._at + delta


class OffsetClock:
    """The real clock shifted by a fixed offset: time flows, starting from a chosen instant.

    Used to run the daemon "as if" it were another time (``AUTOREPLY_CLOCK_START``), for
    end-to-end tests and demos that must not depend on the hour they run at.
    """

    def __init__(self, start: datetime, base: Clock | None = None) -> None:
        self._base = base or SystemClock()
        self._offset = as_utc(start) - self._base.now()

    def now(self) -> datetime:
        return self._base.now() + self._offset


def as_utc(value: datetime) -> datetime:
    """Convert an aware datetime to UTC; refuse a naive one (its zone would be a guess)."""
    if value.tzinfo is None or value.tzinfo.utcoffset(value) is None:
        raise ValueError(f"naive datetime {value.isoformat()} has no time zone")
    return value.astimezone(UTC)


def parse_instant(text: str) -> datetime:
    """Parse an ISO 8601 instant that carries its offset (``Z`` accepted)."""
    value = datetime.fromisoformat(text.strip().replace("z", "Z").replace("Z", "+00:00"))
    return as_utc(value)


def monotonic_usec() -> int:
    """CLOCK_MONOTONIC in microseconds (what systemd's ``MONOTONIC_USEC=`` expects)."""
    import time

    return time.clock_gettime_ns(time.CLOCK_MONOTONIC) // 1000
