"""Time windows on a local clock: a rule's send window (the buyer's clock) and the seller's
business hours (the seller's clock), with weekdays, holiday dates and holiday calendars.

A window is a set of daily ranges (``"09:00-21:00"``, or several: ``["09:00-12:00",
"14:00-21:00"]``) on some weekdays, minus holidays. All arithmetic is on UTC instants; wall
times are turned into instants with pytz ``localize(..., is_dst=...)`` + ``normalize``.

**DST policy** (docs/TIME.md): every edge of a range on local date D becomes *the first instant
at which the local clock shows that time or later on D*:

- an edge inside a **gap** (spring forward: 02:30 does not exist) is the transition instant,
  i.e. the window opens (or closes) when the clock jumps — at 03:00 new time;
- an edge inside a **repeated hour** (fall back: 01:30 happens twice) is its *first*
  occurrence; a window is one contiguous interval per range and never re-opens in the repeat.

A day's interval is therefore ``[edge(D, start), edge(D, end))`` in real time: the day a clock
springs forward a 09:00–21:00 window that contains the jump is one hour shorter, the day it
falls back one hour longer. ``24:00`` is the next day's 00:00.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from itertools import pairwise
from typing import Any, ClassVar

import pytz
from pydantic import BaseModel, ConfigDict, Field, field_validator

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
HORIZON_DAYS = 400
_RANGE = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")
_DATE = re.compile(r"^(\d{4}-)?\d{2}-\d{2}$")

HolidayTest = Callable[[date], bool]


# --------------------------------------------------------------------------- parsing
def parse_ranges(value: str | list[str]) -> tuple[tuple[int, int], ...]:
    """``"09:00-21:00"`` or a list of them → sorted, non-overlapping minute ranges."""
    items = [value] if isinstance(value, str) else list(value)
    if not items:
        raise ValueError("give at least one range such as \"09:00-21:00\"")
    ranges: list[tuple[int, int]] = []
    for item in items:
        parts = [p for p in str(item).split(",") if p.strip()]
        for part in parts:
            m = _RANGE.match(part)
            if not m:
                raise ValueError(f"bad range {part.strip()!r} (write e.g. \"09:00-21:00\")")
            h1, m1, h2, m2 = (int(g) for g in m.groups())
            if h1 > 23 or m1 > 59 or m2 > 59 or h2 > 24 or (h2 == 24 and m2):
                raise ValueError(f"bad time in {part.strip()!r} (00:00 to 24:00)")
            start, end = h1 * 60 + m1, h2 * 60 + m2
            if end <= start:
                raise ValueError(f"range {part.strip()!r} ends before it starts; a window across "
                                 "midnight is two ranges: \"22:00-24:00\", \"00:00-02:00\"")
            ranges.append((start, end))
    ranges.sort()
    for (_, e1), (s2, _) in pairwise(ranges):
        if s2 < e1:
            raise ValueError("ranges overlap")
    return tuple(ranges)


def parse_days(value: str | list[str]) -> frozenset[int]:
    """``"mon-fri"``, ``"mon,wed,fri"``, ``"sat-mon"`` or a list of day names → weekday numbers."""
    items = [value] if isinstance(value, str) else list(value)
    days: set[int] = set()
    for item in items:
        for part in str(item).lower().replace(" ", "").split(","):
            if not part:
                continue
            if "-" in part:
                first, _, last = part.partition("-")
                if first not in DAY_NAMES or last not in DAY_NAMES:
                    raise ValueError(f"bad day range {part!r} (days: {', '.join(DAY_NAMES)})")
                i = DAY_NAMES.index(first)
                while True:
                    days.add(i)
                    if i == DAY_NAMES.index(last):
                        break
                    i = (i + 1) % 7
            elif part in DAY_NAMES:
                days.add(DAY_NAMES.index(part))
            else:
                raise ValueError(f"bad day {part!r} (days: {', '.join(DAY_NAMES)})")
    if not days:
        raise ValueError("give at least one day")
    return frozenset(days)


def parse_date(text: str) -> date | tuple[int, int]:
    if not _DATE.match(text):
        raise ValueError(f"bad date {text!r} (YYYY-MM-DD, or MM-DD for every year)")
    parts = [int(p) for p in text.split("-")]
    if len(parts) == 3:
        return date(parts[0], parts[1], parts[2])
    date(2024, parts[0], parts[1])  # validates month and day (leap year allows 02-29)
    return (parts[0], parts[1])


@lru_cache(maxsize=1)
def supported_calendars() -> dict[str, list[str]]:
    import holidays

    return {cc: list(subs) for cc, subs in holidays.list_supported_countries().items()}


def check_calendar(value: str, *, allow_buyer: bool) -> str:
    if value == "buyer":
        if not allow_buyer:
            raise ValueError("\"buyer\" is for send windows; business hours name a country")
        return value
    cc, _, sub = value.upper().partition("-")
    calendars = supported_calendars()
    if cc not in calendars:
        raise ValueError(f"no holiday calendar for {cc!r} (the holidays package knows "
                         f"{len(calendars)} countries, e.g. CN, US, DE, ES)")
    if sub and sub not in calendars[cc]:
        raise ValueError(f"no subdivision {sub!r} in the {cc} calendar "
                         f"(known: {', '.join(calendars[cc][:20]) or 'none'})")
    return value.upper()


class WindowFields(BaseModel):
    """The fields of a window as written in TOML, each validated on its own (so an error names
    its key): shared by ``WindowSpec`` and the ``[business_hours]`` settings."""

    model_config = ConfigDict(extra="forbid")
    #: whether ``holiday_calendar = "buyer"`` (the buyer's country) is allowed
    buyer_calendar: ClassVar[bool] = True

    hours: str | list[str] = Field(default="00:00-24:00", description='e.g. "09:00-21:00"')
    days: str | list[str] = Field(default="mon-sun", description='e.g. "mon-fri"')
    holidays: list[str] = Field(default_factory=list, description="YYYY-MM-DD or MM-DD dates")
    holiday_calendar: str | None = Field(
        default=None, description='"buyer" (the buyer\'s country), or a code: "CN", "US-TX"')
    workdays: list[str] = Field(
        default_factory=list, description="YYYY-MM-DD dates open even on a closed weekday")

    @field_validator("hours")
    @classmethod
    def _hours(cls, value: str | list[str]) -> str | list[str]:
        parse_ranges(value)
        return value

    @field_validator("days")
    @classmethod
    def _days(cls, value: str | list[str]) -> str | list[str]:
        parse_days(value)
        return value

    @field_validator("holidays", "workdays")
    @classmethod
    def _dates(cls, value: list[str]) -> list[str]:
        for item in value:
            parse_date(item)
        return value

    @field_validator("holiday_calendar")
    @classmethod
    def _calendar(cls, value: str | None) -> str | None:
        return None if value is None else check_calendar(value, allow_buyer=cls.buyer_calendar)

    def compile(self, name: str) -> Window:
        closed = [parse_date(d) for d in self.holidays]
        return Window(
            name=name, ranges=parse_ranges(self.hours), days=parse_days(self.days),
            closed_dates=frozenset(d for d in closed if isinstance(d, date)),
            closed_yearly=frozenset(d for d in closed if isinstance(d, tuple)),
            calendar=self.holiday_calendar,
            workdays=frozenset(d for d in (parse_date(w) for w in self.workdays)
                               if isinstance(d, date)),
        )


class WindowSpec(WindowFields):
    """A window as written in TOML (``[windows.NAME]`` or a rule's ``window = {…}``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)


# --------------------------------------------------------------------------- windows
def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _days_text(days: frozenset[int]) -> str:
    if len(days) == 7:
        return "every day"
    ordered = sorted(days)
    if ordered == list(range(ordered[0], ordered[-1] + 1)) and len(ordered) > 2:
        return f"{DAY_NAMES[ordered[0]]}-{DAY_NAMES[ordered[-1]]}"
    return ",".join(DAY_NAMES[d] for d in ordered)


@dataclass(frozen=True)
class Window:
    """A compiled window (no zone: the caller says whose clock it is on)."""

    name: str
    ranges: tuple[tuple[int, int], ...]
    days: frozenset[int]
    closed_dates: frozenset[date] = frozenset()
    closed_yearly: frozenset[tuple[int, int]] = frozenset()
    calendar: str | None = None
    workdays: frozenset[date] = frozenset()

    def describe(self) -> str:
        text = ", ".join(f"{_hhmm(s)}-{_hhmm(e)}" for s, e in self.ranges) + " " + _days_text(self.days)
        extra = len(self.closed_dates) + len(self.closed_yearly)
        if extra:
            text += f", {extra} holiday date(s)"
        if self.calendar:
            text += f", {self.calendar} holidays"
        return text

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "hours": [f"{_hhmm(s)}-{_hhmm(e)}" for s, e in self.ranges],
                "days": [DAY_NAMES[d] for d in sorted(self.days)],
                "holidays": sorted(d.isoformat() for d in self.closed_dates)
                + sorted(f"{m:02d}-{d:02d}" for m, d in self.closed_yearly),
                "holiday_calendar": self.calendar}

    def open_on(self, day: date, holiday: HolidayTest | None = None) -> bool:
        if day in self.workdays:
            return True
        if day.weekday() not in self.days:
            return False
        if day in self.closed_dates or (day.month, day.day) in self.closed_yearly:
            return False
        return not (holiday is not None and holiday(day))


ALWAYS = Window("always", ((0, 1440),), frozenset(range(7)))


@lru_cache(maxsize=512)
def _calendar(code: str, year: int) -> frozenset[date]:
    import holidays

    cc, _, sub = code.upper().partition("-")
    try:
        found = holidays.country_holidays(cc, subdiv=sub or None, years=year)
    except (NotImplementedError, KeyError):
        return frozenset()
    return frozenset(found.keys())


def holiday_test(calendar: str | None, *, buyer_country: str | None = None,
                 buyer_region: str | None = None) -> HolidayTest | None:
    """A ``date -> bool`` for a window's calendar (``"buyer"`` uses the buyer's country and,
    when the calendar knows it, region); None when there is no calendar to apply."""
    if not calendar:
        return None
    code = calendar
    if calendar == "buyer":
        if not buyer_country:
            return None
        cc = buyer_country.upper()
        subs = supported_calendars().get(cc)
        if subs is None:
            return None
        sub = (buyer_region or "").upper().removeprefix(f"{cc}-")
        code = f"{cc}-{sub}" if sub and sub in subs else cc
    return _holidays_of(code)


@dataclass(frozen=True)
class Holidays:
    """The ``date -> bool`` test of one holiday calendar (``"US-TX"``): equal by its code, so
    that a window's openings can be remembered per calendar (:func:`next_open`)."""

    code: str

    def __call__(self, day: date) -> bool:
        return day in _calendar(self.code, day.year)


@lru_cache(maxsize=1024)
def _holidays_of(code: str) -> Holidays:
    return Holidays(code)


# --------------------------------------------------------------------------- DST-safe edges
@lru_cache(maxsize=1024)
def zone_of(name: str) -> pytz.BaseTzInfo:
    """``pytz.timezone(name)``: pytz keeps the zone, but checks and folds the name each call."""
    return pytz.timezone(name)


def local_date(instant: datetime, zone: pytz.BaseTzInfo) -> date:
    return instant.astimezone(zone).date()  # pytz's fromutc: normalize() would change nothing


@lru_cache(maxsize=65536)  # pure; windows ask for the same (zone, day, minute) edges again and again
def edge(zone: pytz.BaseTzInfo, day: date, minute: int) -> datetime:
    """The first instant (UTC) at which the clock of ``zone`` shows ``day`` + ``minute`` or
    later: the first occurrence in a repeated hour, the transition instant in a gap."""
    if minute >= 1440:
        day, minute = day + timedelta(days=1), minute - 1440
    naive = datetime(day.year, day.month, day.day, minute // 60, minute % 60)
    found: list[datetime] = []
    tries: list[datetime] = []
    for is_dst in (True, False):
        aware = zone.localize(naive, is_dst=is_dst)
        instant = aware.astimezone(UTC)
        tries.append(instant)
        if zone.normalize(aware).replace(tzinfo=None) == naive:
            found.append(instant)
    if found:
        return min(found)
    # A gap: the clock jumps over ``naive``. Find the jump between the two readings.
    lo, hi = min(tries), max(tries)

    def wall(t: datetime) -> datetime:
        return zone.normalize(t.astimezone(zone)).replace(tzinfo=None)

    if wall(lo) >= naive:  # pragma: no cover - defensive; localize always brackets the gap
        return lo
    lo_s, hi_s = 0, int((hi - lo).total_seconds())
    while lo_s + 1 < hi_s:
        mid = (lo_s + hi_s) // 2
        if wall(lo + timedelta(seconds=mid)) >= naive:
            hi_s = mid
        else:
            lo_s = mid
    return lo + timedelta(seconds=hi_s)


def intervals(window: Window, zone_name: str, after: datetime,
              holiday: HolidayTest | None = None, days: int = HORIZON_DAYS
              ) -> Iterator[tuple[datetime, datetime, date]]:
    """The window's open intervals ``(open, close, local date)`` in UTC, from the local day
    before ``after`` on, for ``days`` days."""
    zone = zone_of(zone_name)
    first = local_date(after, zone) - timedelta(days=1)
    for n in range(days + 1):
        day = first + timedelta(days=n)
        if not window.open_on(day, holiday):
            continue
        for start, end in window.ranges:
            opens, closes = edge(zone, day, start), edge(zone, day, end)
            if closes > opens:
                yield opens, closes, day


@lru_cache(maxsize=1024)  # pure; a batch asks again for its own ``now`` on the same clocks
def next_open(window: Window, zone_name: str, after: datetime,
              holiday: HolidayTest | None = None) -> datetime | None:
    """``after`` if the window is open then, else its next opening; None if none in 400 days.

    Remembered per (window, zone, instant, holiday calendar): the worker plans a batch at one
    ``now``, and every message whose due time has passed asks from that instant, on the same
    few windows and zones. (A :class:`Holidays` test is equal by its calendar code; any other
    test is its own key.)"""
    for opens, closes, _ in intervals(window, zone_name, after, holiday):
        if closes > after:
            return max(opens, after)
    return None


def add_open_time(window: Window, zone_name: str, start: datetime, amount: timedelta,
                  holiday: HolidayTest | None = None) -> datetime | None:
    """The instant at which ``amount`` of open time has passed since ``start`` (business time)."""
    left = amount
    for opens, closes, _ in intervals(window, zone_name, start, holiday):
        if closes <= start:
            continue
        begin = max(opens, start)
        if closes - begin >= left:
            return begin + left
        left -= closes - begin
    return None


@dataclass
class Clocked:
    """A window on a given clock, with its holiday test: what plan_send needs."""

    window: Window
    timezone: str
    holiday: HolidayTest | None = field(default=None, repr=False)
    label: str = "window"

    def next_open(self, after: datetime) -> datetime | None:
        return next_open(self.window, self.timezone, after, self.holiday)
