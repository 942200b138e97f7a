"""Pipeline outside compliance, round 5: the caches and shortcuts answer exactly what the
uncached code answered (send times, local times, date texts, details JSON, outbox rows,
metrics)."""

from __future__ import annotations

import inspect
import json
import math
from dataclasses import MISSING, FrozenInstanceError, dataclass, fields
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest
import pytz
from babel.dates import format_date

from autoreply import l10n, localtime, windows
from autoreply.clock import FixedClock
from autoreply.config import load_config
from autoreply.metrics import EVENTS_PROCESSED
from autoreply.outbox_write import encode_details
from autoreply.pipeline import Engine
from autoreply.settings import load_settings
from autoreply.store import NewMessage, Store
from autoreply.worker import InboxWorker
from tests.conftest import NOW, REPO, event_data

WEEKDAYS = windows.Window("days", ((9 * 60, 21 * 60),), frozenset(range(5)))


def _uncached_next_open(*args: Any) -> datetime | None:
    return windows.next_open.__wrapped__(*args)  # type: ignore[attr-defined]


@pytest.mark.parametrize("zone", ["America/New_York", "Europe/Berlin", "Australia/Lord_Howe", "Asia/Kathmandu"])
@pytest.mark.parametrize("calendar", [None, "US", "DE-BY", "buyer"])
def test_next_open_remembered_is_next_open_computed(zone: str, calendar: str | None) -> None:
    """A remembered opening is the opening computed afresh, around DST changes and holidays."""
    window = windows.Window("w", ((9 * 60, 21 * 60),), frozenset(range(6)), calendar=calendar)
    holiday = windows.holiday_test(calendar, buyer_country="US", buyer_region="TX")
    start = datetime(2026, 3, 1, tzinfo=UTC)
    for hours in range(0, 24 * 70, 7):
        after = start + timedelta(hours=hours)
        for _ in range(2):  # the second answer is the remembered one
            assert windows.next_open(window, zone, after, holiday) == _uncached_next_open(window, zone, after, holiday)


def test_a_holiday_test_is_equal_by_its_calendar() -> None:
    """Two tests of one calendar are equal (one remembered opening), of two calendars not."""
    us, again, de = windows.holiday_test("US"), windows.holiday_test("US"), windows.holiday_test("DE")
    assert us == again and hash(us) == hash(again) and us != de
    assert us is not None and us(date(2026, 7, 4)) and not us(date(2026, 7, 6))
    assert windows.holiday_test("buyer", buyer_country="US", buyer_region="TX") == windows.holiday_test("US-TX")
    assert windows.holiday_test(None) is None


def test_a_plain_function_as_holiday_test_is_its_own_key() -> None:
    """Any callable still works as a holiday test (remembered under itself)."""
    closed = date(2026, 11, 23)

    def holiday(day: date) -> bool:
        return day == closed

    after = datetime(2026, 11, 23, 12, tzinfo=UTC)
    assert windows.next_open(WEEKDAYS, "UTC", after, holiday) == datetime(2026, 11, 24, 9, tzinfo=UTC)
    assert windows.next_open(WEEKDAYS, "UTC", after, None) == after


@pytest.mark.parametrize("zone", ["America/New_York", "Europe/London", "Asia/Tokyo", "Australia/Lord_Howe"])
def test_to_local_remembered_is_the_conversion(zone: str) -> None:
    """The remembered local time is ``astimezone`` of the instant, whatever zone the instant is
    written in (equal instants are one key; the answer depends on the instant alone)."""
    start = datetime(2026, 3, 7, tzinfo=UTC)
    for hours in range(0, 24 * 240, 5):
        instant = start + timedelta(hours=hours)
        other = instant.astimezone(timezone(timedelta(hours=5, minutes=30)))
        for value in (instant, other, instant):
            got = localtime.to_local(value, zone)
            want = value.astimezone(pytz.timezone(zone))
            assert got == want and got.isoformat() == want.isoformat() and got.tzname() == want.tzname()


@pytest.mark.parametrize("locale", ["en_US", "de_DE", "ar_SA", "zh_Hant_TW", "he_IL", None])
def test_the_date_filter_text_is_babels(locale: str | None) -> None:
    """The remembered date text is Babel's ``format_date`` in the locale, bidi marks removed."""
    for day in (date(2026, 12, 9), date(2027, 2, 28)):
        for fmt in ("long", "medium", "short", "full"):
            want = l10n.strip_bidi(format_date(day, format=fmt, locale=l10n.babel_locale(locale)))
            assert l10n._date_text(day, fmt, locale) == want
            assert l10n._date_text(day, fmt, locale) == want


class Odd:
    def __str__(self) -> str:
        return "odd"


@pytest.mark.parametrize("details", [
    {"language": {"detected": "de", "confidence": 0.9731, "chosen": "de-AT"}, "send_reasons": ["a", "ü"]},
    {"x": [1, 2.5, None, True, False, {"y": "\u202e\n\t\"q\""}], "n": math.nan, "i": math.inf},
    {"when": datetime(2026, 1, 1, tzinfo=UTC), "odd": Odd(), "day": date(2026, 1, 1), 3: "int key"},
    {"big": 2**70, "neg": -0.0, "tiny": 1e-300, "emoji": "🙂", "arabic": "مرحبا"},
])
def test_details_json_is_json_dumps(details: dict[Any, Any]) -> None:
    """The details column is the very text ``json.dumps(ensure_ascii=False, default=str)`` wrote."""
    assert encode_details(details) == json.dumps(details, ensure_ascii=False, default=str)
    assert encode_details("already") == "already" and encode_details({}) is None and encode_details(None) is None


def test_new_message_keeps_the_dataclass_contract() -> None:
    """NewMessage: the generated signature, defaults, equality, hashing and frozen fields."""
    generated = dataclass(frozen=True)(type("Generated", (), {
        "__annotations__": dict(NewMessage.__annotations__),
        **{f.name: f.default for f in fields(NewMessage) if f.default is not MISSING}}))
    ours, theirs = inspect.signature(NewMessage), inspect.signature(generated)
    assert [(p.name, p.kind, p.default) for p in ours.parameters.values()] == \
        [(p.name, p.kind, p.default) for p in theirs.parameters.values()]
    values = {f.name: f"v-{f.name}" for f in fields(NewMessage)}
    m = NewMessage(**values)
    assert m == NewMessage(**values) and hash(m) == hash(NewMessage(**values))
    assert all(getattr(m, k) == v for k, v in values.items())
    short = NewMessage(*[values[f.name] for f in fields(NewMessage)][:17])
    assert short.details is None and short.event_at is None and short.status_reason is None
    with pytest.raises(FrozenInstanceError):
        m.rule = "other"  # type: ignore[misc]
    with pytest.raises(TypeError):
        NewMessage(**values, bogus=1)  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        NewMessage("only one")  # type: ignore[call-arg]


def _value(outcome: str) -> float:
    return EVENTS_PROCESSED.labels(outcome)._value.get()  # type: ignore[no-any-return]


def test_metrics_counted_per_batch_add_up_to_one_per_event(tmp_path: Any) -> None:
    """Counted per batch, the processed-events metric still goes up once per event (errors too)."""
    engine = Engine(load_config(load_settings(REPO / "config" / "autoreply.toml")))
    store = Store(f"sqlite:///{tmp_path / 'm.db'}")
    store.migrate()
    events = [(f"m-{i}", "buyer_message", "amazon", json.dumps(event_data(id=f"m-{i}"))) for i in range(7)]
    events.append(("m-bad", "buyer_message", "amazon", '{"id": "m-bad"}'))
    store.add_events(events, source="test", now=NOW)
    before = {name: _value(name) for name in ("queue", "blocked", "skipped", "no_rule", "error")}
    assert InboxWorker(store, lambda: engine, FixedClock(NOW), 3).drain() == 8
    after = {name: _value(name) for name in before}
    assert sum(after.values()) - sum(before.values()) == 8
    assert after["error"] - before["error"] == 1
