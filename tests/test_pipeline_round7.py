"""Pipeline outside compliance, round 7: remembered texts are the texts computed afresh."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
import pytz

from autoreply import localtime

BERLIN = pytz.timezone("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
# 2026-11-01 01:30 in New York happens twice: EDT (fold 0), then EST (fold 1)
AMBIGUOUS = datetime(2026, 11, 1, 1, 30, tzinfo=NEW_YORK)
INSTANT = datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # 02:30 CEST, Berlin's last summer hour


class Stamp(datetime):
    """A datetime subclass with its own text."""

    def isoformat(self, sep: str = "T", timespec: str = "auto") -> str:
        return "stamp"


VALUES = [
    INSTANT,
    INSTANT + timedelta(microseconds=1),
    INSTANT.astimezone(BERLIN),  # CEST
    (INSTANT + timedelta(hours=1)).astimezone(BERLIN),  # the same wall hour again, CET
    INSTANT.astimezone(timezone(timedelta(hours=2))),  # the same instant on a fixed offset
    INSTANT.astimezone(timezone(timedelta(hours=2), "CEST")),
    AMBIGUOUS,
    AMBIGUOUS.replace(fold=1),
    AMBIGUOUS.astimezone(UTC),
    AMBIGUOUS.replace(fold=1).astimezone(UTC),
    datetime(2026, 11, 23, 10, 0),  # naive
    datetime(2026, 11, 23, 10, 0, fold=1),
    datetime.min.replace(tzinfo=UTC),
    datetime.max,
]


def test_a_remembered_isoformat_is_the_isoformat() -> None:
    """``iso_text`` answers each value's own ``isoformat()`` — equal instants on other clocks,
    both folds of an ambiguous hour, naive and aware — first and later asked, in any order."""
    for value in [*VALUES, *reversed(VALUES), *VALUES]:
        assert localtime.iso_text(value) == value.isoformat()


def test_a_datetime_subclass_writes_its_own_text() -> None:
    """A datetime subclass equal to a remembered instant is written by its own ``isoformat``."""
    assert localtime.iso_text(INSTANT) == INSTANT.isoformat()
    twin = Stamp(2026, 10, 25, 0, 30, tzinfo=UTC)
    assert twin == INSTANT and localtime.iso_text(twin) == "stamp"


def test_remembered_texts_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    """Past its bound the table starts over, and still answers each value's text."""
    monkeypatch.setattr(localtime, "_ISO_TEXTS_MAX", 8)
    monkeypatch.setattr(localtime, "_ISO_TEXTS", {})
    for minutes in range(30):
        value = INSTANT + timedelta(minutes=minutes)
        assert localtime.iso_text(value) == value.isoformat()
        assert len(localtime._ISO_TEXTS) <= 8
