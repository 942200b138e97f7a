"""Send windows and business hours on a local clock, right across DST (zoneinfo is the oracle)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from importlib import resources
from zoneinfo import ZoneInfo as _SystemZoneInfo

import pytest
import pytz
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from autoreply.errors import ConfigError
from autoreply.localtime import plan_send, to_local
from autoreply.windows import (
    Clocked,
    Window,
    WindowSpec,
    add_open_time,
    edge,
    next_open,
    parse_ranges,
)
from tests.conftest import ConfigDir

ZONES = ["Europe/Madrid", "America/Sao_Paulo", "Australia/Lord_Howe", "Asia/Kathmandu",
         "Pacific/Chatham", "America/New_York", "America/Santiago", "Asia/Gaza", "Europe/Dublin",
         "America/Havana", "Africa/Cairo", "America/St_Johns", "Asia/Tehran", "UTC"]


# --------------------------------------------------------------------------- the oracle
@cache
def ZoneInfo(zone: str) -> _SystemZoneInfo:
    """zoneinfo on the ``tzdata`` package's files: the same IANA release pytz carries (the
    system's /usr/share/zoneinfo may be older, e.g. without Cuba's 2026 change)."""
    with resources.files("tzdata.zoneinfo").joinpath(*zone.split("/")).open("rb") as f:
        return _SystemZoneInfo.from_file(f, key=zone)


def test_the_oracle_and_pytz_carry_the_same_tz_database_release() -> None:
    """pytz and the tzdata package must be the same IANA release for the oracle to be fair."""
    import pytz
    import tzdata

    assert pytz.OLSON_VERSION == tzdata.IANA_VERSION


def oracle_edge(zone: str, day: date, minute: int) -> datetime:
    """Independent of pytz: the first instant whose zoneinfo wall clock shows ≥ the edge on day."""
    if minute >= 1440:
        day, minute = day + timedelta(days=1), minute - 1440
    tz = ZoneInfo(zone)
    wall = datetime.combine(day, time(minute // 60, minute % 60))
    found = []
    for fold in (0, 1):
        instant = wall.replace(tzinfo=tz, fold=fold).astimezone(UTC)
        if instant.astimezone(tz).replace(tzinfo=None) == wall:
            found.append(instant)
    if found:
        return min(found)
    tries = sorted(wall.replace(tzinfo=tz, fold=f).astimezone(UTC) for f in (0, 1))
    lo, hi = tries[0], tries[1]
    while (hi - lo) > timedelta(seconds=1):
        mid = lo + (hi - lo) / 2
        mid = mid.replace(microsecond=0)
        if mid.astimezone(tz).replace(tzinfo=None) >= wall:
            hi = mid
        else:
            lo = mid
    return hi


def oracle_next_open(window: Window, zone: str, after: datetime) -> datetime:
    first = after.astimezone(ZoneInfo(zone)).date() - timedelta(days=1)
    for n in range(30):
        day = first + timedelta(days=n)
        if not window.open_on(day):
            continue
        for start, end in window.ranges:
            opens, closes = oracle_edge(zone, day, start), oracle_edge(zone, day, end)
            if closes > opens and closes > after:
                return max(opens, after)
    raise AssertionError("no opening in 30 days")


minutes = st.integers(0, 24 * 4 - 1).map(lambda q: q * 15)


@st.composite
def windows(draw: st.DrawFn) -> Window:
    start = draw(minutes)
    end = draw(st.integers(start // 15 + 1, 96).map(lambda q: q * 15))
    days = draw(st.frozensets(st.integers(0, 6), min_size=1))
    return Window("w", ((start, end),), days)


instants = st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2028, 12, 31)).map(
    lambda d: d.replace(tzinfo=UTC, microsecond=0))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(zone=st.sampled_from(ZONES), window=windows(), after=instants)
def test_next_opening_matches_the_zoneinfo_oracle(zone: str, window: Window, after: datetime) -> None:
    """The next opening computed with pytz equals the one computed independently with zoneinfo,
    and the local time shown for it exists and carries zoneinfo's offset."""
    got = next_open(window, zone, after)
    assert got is not None and got == oracle_next_open(window, zone, after)
    shown = to_local(got, zone)
    truth = got.astimezone(ZoneInfo(zone))
    assert shown.replace(tzinfo=None) == truth.replace(tzinfo=None)
    assert shown.utcoffset() == truth.utcoffset()


@settings(max_examples=300, deadline=None)
@given(zone=st.sampled_from(ZONES), day=st.dates(date(2024, 1, 1), date(2028, 12, 31)),
       minute=st.integers(0, 1440))
def test_every_edge_matches_the_oracle_in_gaps_and_repeated_hours(zone: str, day: date, minute: int) -> None:
    """A wall time in a gap maps to the transition, a repeated one to its first occurrence."""
    assert edge(__import__("pytz").timezone(zone), day, minute) == oracle_edge(zone, day, minute)


@settings(max_examples=150, deadline=None)
@given(zone=st.sampled_from(ZONES), after=instants, hours=st.integers(1, 30))
def test_business_time_is_open_time_only(zone: str, after: datetime, hours: int) -> None:
    """Adding N hours of business time ends inside the window with exactly N open hours used."""
    window = Window("b", ((9 * 60, 17 * 60),), frozenset(range(5)))
    end = add_open_time(window, zone, after, timedelta(hours=hours))
    assert end is not None and end > after
    used = timedelta(0)
    probe = after
    while probe < end:  # walk the open intervals with the oracle
        opens = oracle_next_open(window, zone, probe)
        if opens >= end:
            break
        day = opens.astimezone(ZoneInfo(zone)).date()
        closes = oracle_edge(zone, day, 17 * 60)
        used += min(closes, end) - opens
        probe = min(closes, end)
    assert used == timedelta(hours=hours)


# --------------------------------------------------------------------------- DST edges by hand
def test_an_opening_inside_the_spring_gap_is_the_moment_the_clock_jumps() -> None:
    """Madrid 2026-03-29: 02:30 does not exist; a window opening at 02:30 opens at 03:00 CEST."""
    window = Window("w", ((150, 600),), frozenset(range(7)))
    opens = next_open(window, "Europe/Madrid", datetime(2026, 3, 29, 0, 30, tzinfo=UTC))
    assert opens == datetime(2026, 3, 29, 1, 0, tzinfo=UTC)
    assert to_local(opens, "Europe/Madrid").isoformat() == "2026-03-29T03:00:00+02:00"


def test_a_window_never_reopens_in_the_repeated_hour() -> None:
    """New York 2026-11-01: a window closing at 01:30 closes at the first 01:30 (EDT) for good."""
    window = Window("w", ((0, 90),), frozenset(range(7)))
    first_0130 = datetime(2026, 11, 1, 5, 30, tzinfo=UTC)   # 01:30 EDT
    second_0115 = datetime(2026, 11, 1, 6, 15, tzinfo=UTC)  # 01:15 EST, the repeat
    assert next_open(window, "America/New_York", first_0130 - timedelta(minutes=1)) == first_0130 - timedelta(minutes=1)
    assert next_open(window, "America/New_York", second_0115) == datetime(2026, 11, 2, 5, 0, tzinfo=UTC)


def test_lord_howe_half_hour_dst_and_kathmandu_quarter_hour_offset() -> None:
    """30-minute DST (Lord Howe) and +05:45 (Kathmandu) open at 09:00 on their own clocks."""
    window = Window("w", ((540, 1260),), frozenset(range(7)))
    for zone, after, local in [
        ("Australia/Lord_Howe", datetime(2026, 10, 3, 16, 0, tzinfo=UTC), "2026-10-04T09:00:00+11:00"),
        ("Asia/Kathmandu", datetime(2026, 6, 1, 0, 0, tzinfo=UTC), "2026-06-01T09:00:00+05:45"),
        ("Pacific/Chatham", datetime(2026, 4, 4, 12, 0, tzinfo=UTC), "2026-04-05T09:00:00+12:45"),
    ]:
        assert to_local(next_open(window, zone, after), zone).isoformat() == local  # type: ignore[arg-type]


def test_plan_send_explains_why_the_time_moved() -> None:
    """A notice due at night moves to the window's opening, and the plan says why, in order."""
    window = WindowSpec(hours="09:00-21:00").compile("daytime")
    plan = plan_send(occurred_at=datetime(2026, 11, 22, 0, 0, tzinfo=UTC), delay=timedelta(minutes=10),
                     now=datetime(2026, 11, 22, 0, 0, tzinfo=UTC), timezone="Europe/Paris",
                     window=Clocked(window, "Europe/Paris", None, "send window"))
    assert plan.send_at_local.isoformat() == "2026-11-22T09:00:00+01:00"
    timing = plan.timing()
    assert timing["moved_by"] == ["window"] and [s["step"] for s in timing["steps"]] == ["delay", "window"]
    assert "outside the send window 09:00-21:00 every day" in plan.reasons[-1]


def test_business_hours_and_the_buyers_window_must_both_be_open() -> None:
    """With both clocks the message waits for the first instant open on each."""
    buyer = Clocked(WindowSpec(hours="09:00-21:00").compile("w"), "Europe/Madrid", None, "send window")
    seller = Clocked(WindowSpec(hours="09:00-18:00", days="mon-fri").compile("b"), "Asia/Shanghai",
                     None, "business hours")
    # Sat 2026-11-21 10:00 Madrid: the seller is closed until Mon 09:00 Shanghai = Mon 02:00 Madrid,
    # when the buyer sleeps; the buyer's window opens Mon 09:00 Madrid = 16:00 Shanghai: both open.
    plan = plan_send(occurred_at=datetime(2026, 11, 21, 9, 0, tzinfo=UTC), delay=timedelta(0),
                     now=datetime(2026, 11, 21, 9, 0, tzinfo=UTC), timezone="Europe/Madrid",
                     window=buyer, business=seller)
    assert plan.send_at_local.isoformat() == "2026-11-23T09:00:00+01:00"
    assert plan.moved_by == ["business_hours", "window"]


# --------------------------------------------------------------------------- config errors
@pytest.mark.parametrize(("hours", "message"), [
    ("21:00-09:00", "ends before it starts"), ("9-21", "bad range"), ("09:00-25:00", "bad time"),
    (["09:00-12:00", "11:00-14:00"], "overlap"),
])
def test_bad_hours_are_refused(hours: object, message: str) -> None:
    """Ranges are validated when the config loads."""
    with pytest.raises(ValueError, match=message):
        parse_ranges(hours)  # type: ignore[arg-type]


def test_window_errors_in_rules_name_file_line_and_key(cfgdir: ConfigDir) -> None:
    """A bad named window, an unknown window name and a bad inline window are all reported."""
    cfgdir.write_settings().write_template("t", "en", "s", "b").write_rules("""
        [windows.day]
        hours = "21:00-09:00"
        days = "mon-fry"

        [[rules]]
        name = "a"
        template = "t"
        window = "night"

        [[rules]]
        name = "b"
        template = "t"
        window = { hours = "09:00-21:00", holiday_calendar = "XX" }
        reply_at_once_max_age = "1h"
    """)
    with pytest.raises(ConfigError) as err:
        cfgdir.config()
    text = str(err.value)
    rules = str(cfgdir.rules_file)
    assert f"{rules}:2: windows.day.hours: range '21:00-09:00' ends before it starts" in text
    assert f"{rules}:3: windows.day.days: bad day range 'mon-fry'" in text
    assert f"{rules}:8: rules[0].window: unknown window 'night'" in text
    assert f"{rules}:13: rules[1].window.holiday_calendar: no holiday calendar for 'XX'" in text
    assert f"{rules}:14: rules[1].reply_at_once_max_age: reply_at_once_max_age needs reply_at_once" in text


def test_a_holiday_calendar_closes_the_window_on_public_holidays() -> None:
    """With holiday_calendar = "buyer", a German buyer's Christmas Day is skipped."""
    from autoreply.windows import holiday_test

    window = WindowSpec(hours="09:00-21:00", holiday_calendar="buyer").compile("w")
    holiday = holiday_test("buyer", buyer_country="DE")
    opens = next_open(window, "Europe/Berlin", datetime(2026, 12, 24, 21, 0, tzinfo=UTC), holiday)
    assert to_local(opens, "Europe/Berlin").isoformat() == "2026-12-27T09:00:00+01:00"  # type: ignore[arg-type]


@pytest.mark.parametrize("zone", ["Europe/Paris", "America/Sao_Paulo", "Australia/Lord_Howe",
                                  "Asia/Kathmandu", "Pacific/Chatham", "America/St_Johns", "UTC"])
def test_local_time_is_what_normalize_would_give_around_every_change(zone: str) -> None:
    """``to_local`` (``astimezone`` alone) shows the clock ``normalize`` would: the same
    wall time, offset and zone name, a second before, at and after every change in 2025–2027."""
    tz = pytz.timezone(zone)
    changes = [t.replace(tzinfo=UTC) for t in getattr(tz, "_utc_transition_times", [])
               if 2025 <= t.year <= 2027] + [datetime(2026, 6, 1, 12, tzinfo=UTC)]
    for change in changes:
        for instant in (change - timedelta(seconds=1), change, change + timedelta(seconds=1)):
            local = to_local(instant, zone)
            expected = tz.normalize(instant.astimezone(tz))
            assert (local.isoformat(), local.tzname()) == (expected.isoformat(), expected.tzname())
