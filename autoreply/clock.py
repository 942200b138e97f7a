"""The one place that reads the wall clock.

Every other module takes a :class:`Clock` and asks it for ``now()``; tests and
``preview --now`` pass a :class:`FixedClock`. Times are always timezone-aware UTC.
"""

from __future__ import annotations

import threading
import time
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
    return time.clock_gettime_ns(time.CLOCK_MONOTONIC) // 1000


def log_timestamp() -> str:
    """The wall-clock instant as a log line's ``timestamp``: the very text of structlog's
    ``TimeStamper(fmt="iso", utc=True)``, ``datetime.now(UTC).isoformat()`` with ``Z`` for
    ``+00:00`` (``2026-11-23T10:00:00.123456Z``; no fraction on a whole second) — the same clock
    reading (``time.time_ns``, floored to microseconds as ``datetime.now`` does) without a
    datetime and its ``isoformat`` per line: the date and time of day are written once a second."""
    return iso_utc_text(time.time_ns() // 1000)


#: the last whole second written and its text, one tuple read and replaced at once (threads share it)
_second: tuple[int | None, str] = (None, "")


def iso_utc_text(micros: int) -> str:
    """``(EPOCH + timedelta(microseconds=micros)).isoformat()`` with ``Z`` for ``+00:00``."""
    global _second
    seconds, fraction = divmod(micros, 1_000_000)
    last = _second
    if last[0] == seconds:
        text = last[1]
    else:
        text = datetime.fromtimestamp(seconds, UTC).isoformat()[:-6]
        _second = (seconds, text)
    return f"{text}.{fraction:06d}Z" if fraction else text + "Z"
