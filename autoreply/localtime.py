"""Send-time planning: when a message lands on the buyer's clock, and why then.

The buyer's zone comes from :mod:`autoreply.timezones`; windows and business hours from
:mod:`autoreply.windows`. Everything here is UTC in, UTC out, with local times shown for
people. With pytz we never attach a zone with ``datetime(..., tzinfo=zone)``: UTC instants are
converted with ``astimezone`` (pytz's ``fromutc`` picks the offset in force; ``normalize`` is
only needed after arithmetic on a local time).

The plan, in order (docs/TIME.md):

1. ``due = occurred_at + delay``; a due time already past becomes ``now``.
2. A reply to the buyer's own message on a rule with ``reply_at_once`` goes at ``due``: the
   buyer chose the hour (unless the message is older than ``reply_at_once_max_age``).
3. Otherwise, outside the rule's ``window`` (buyer's clock) it moves to the next opening.
4. With ``business_hours = true`` it must also fall inside the seller's business hours
   (seller's clock): the earliest instant open in both.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

from autoreply.durations import format_duration
from autoreply.timezones import ZoneResolution, reference_year, resolve
from autoreply.windows import Clocked, Window, zone_of

__all__ = ["SendPlan", "ZoneResolution", "iso_text", "plan_send", "resolve_timezone", "to_local"]


def resolve_timezone(
    *,
    timezone: str | None,
    country: str | None,
    region: str | None,
    postal_code: str | None,
    city: str | None = None,
    marketplace: str | None,
    fallback: str,
    now: datetime | None = None,
) -> ZoneResolution:
    """The buyer's zone and how it was found (see :mod:`autoreply.timezones`)."""
    return resolve(timezone=timezone, country=country, region=region, postal_code=postal_code,
                   city=city, marketplace=marketplace, fallback=fallback,
                   year=reference_year(now))


@lru_cache(maxsize=1024)  # pure; a batch's send times are few instants (its ``now``, window openings)
def to_local(instant: datetime, zone_name: str) -> datetime:
    """A UTC instant shown on the clock of ``zone_name`` (correct offset, DST included).

    Remembered per (instant, zone): pytz's ``fromutc`` is Python (a bisect and two
    ``replace``), and a batch shows the same instants on the same clocks again and again.
    The answer depends on the instant alone, not on the zone ``instant`` is written in."""
    # pytz's fromutc (what astimezone calls) already picks the offset in force: normalize()
    # would convert back and forth to the same datetime (checked on every zone, transitions)
    return instant.astimezone(zone_of(zone_name))


#: ``isoformat()`` texts by (instant, its tzinfo, its fold): what equal keys share is the very text
_ISO_TEXTS: dict[tuple[datetime, Any, int], str] = {}
_ISO_TEXTS_MAX = 4096


def iso_text(value: datetime) -> str:
    """``value.isoformat()``, remembered: a batch writes the same few send times (its ``now``,
    window openings, shown on the same clocks) in every row's details and log line, and
    ``isoformat`` of an aware datetime costs ≈ 5× a look-up (pytz's ``utcoffset`` is Python).
    Keyed by the instant with its ``tzinfo`` and ``fold``: datetimes equal so have the same
    wall time and offset, so the same text (equal instants on other clocks are other keys).
    Subclasses of datetime are written by their own ``isoformat`` each time."""
    if type(value) is not datetime:
        return value.isoformat()
    key = (value, value.tzinfo, value.fold)
    text = _ISO_TEXTS.get(key)
    if text is None:
        if len(_ISO_TEXTS) >= _ISO_TEXTS_MAX:
            _ISO_TEXTS.clear()
        text = _ISO_TEXTS[key] = value.isoformat()
    return text


def _iso(instant: datetime) -> str:
    return instant.isoformat().replace("+00:00", "Z")


#: one step of a plan, kept raw: (step, from instant, to instant, detail); the ISO strings of
#: ``SendPlan.steps`` are only written when a preview asks for them (``timing()``)
RawStep = tuple[str, datetime | None, datetime | None, str]


@dataclass
class SendPlan:
    """When a message goes out and why it goes out then.

    ``reasons`` are built as the plan is made (the outbox stores them); the structured
    ``steps``, ``window`` and ``business_hours`` of ``timing()`` are built when read."""

    send_at_utc: datetime
    timezone: str
    reasons: list[str] = field(default_factory=list)
    due_utc: datetime | None = None
    raw_steps: list[RawStep] = field(default_factory=list)
    clocks: tuple[Clocked | None, Clocked | None] = (None, None)  # (window, business hours)
    at_once: bool = False

    @property
    def send_at_local(self) -> datetime:
        return to_local(self.send_at_utc, self.timezone)

    @property
    def steps(self) -> list[dict[str, Any]]:
        out = []
        for step, start, to, detail in self.raw_steps:
            item: dict[str, Any] = {"step": step}
            if start is not None:
                item["from"] = _iso(start)
            if to is not None:
                item["to"] = _iso(to)
            item["detail"] = detail
            out.append(item)
        return out

    @property
    def window(self) -> dict[str, Any] | None:
        return _describe(self.clocks[0])

    @property
    def business_hours(self) -> dict[str, Any] | None:
        return _describe(self.clocks[1])

    @property
    def moved_by(self) -> list[str]:
        return [s[0] for s in self.raw_steps if s[0] in ("window", "business_hours")]

    def timing(self) -> dict[str, Any]:
        """The structured "why this send time" for ``preview --json`` (``send_timing``)."""
        return {
            "due_at_utc": _iso(self.due_utc) if self.due_utc else None,
            "due_at": to_local(self.due_utc, self.timezone).isoformat() if self.due_utc else None,
            "at_once": self.at_once,
            "window": self.window,
            "business_hours": self.business_hours,
            "moved": bool(self.moved_by),
            "moved_by": self.moved_by,
            "steps": self.steps,
        }


@lru_cache(maxsize=1024)  # pure: the same openings and ``now`` are described again and again
def _local_text(instant: datetime, zone: str) -> str:
    return to_local(instant, zone).strftime("%a %Y-%m-%d %H:%M %Z")


def plan_send(
    *,
    occurred_at: datetime,
    delay: timedelta,
    now: datetime,
    timezone: str,
    window: Clocked | None = None,
    business: Clocked | None = None,
    at_once: bool = False,
    at_once_reason: str | None = None,
) -> SendPlan:
    """The send time: ``occurred_at + delay`` (never before ``now``), then the buyer's window
    and the seller's business hours unless the rule sends replies at once."""
    due = occurred_at + delay
    delayed = _delayed(delay)
    steps: list[RawStep] = [("delay", None, due, delayed)]
    reasons = [delayed]
    if due < now:
        steps.append(("now", due, now, "due time already passed: send now"))
        reasons.append("due time already passed: send now")
        due = now
    plan = SendPlan(send_at_utc=due, timezone=timezone, reasons=reasons, due_utc=due,
                    raw_steps=steps, clocks=(window, business), at_once=at_once)
    if at_once:
        text = at_once_reason or "reply to the buyer's own message: sent at once (reply_at_once)"
        steps.append(("at_once", None, due, text))
        reasons.append(text)
        return plan
    clocks = [c for c in (window, business) if c is not None]
    if not clocks:
        return plan
    at = due
    for _ in range(200):  # the earliest instant open on every clock
        moved = False
        for clock in clocks:
            opening = clock.next_open(at)
            if opening is None:
                text = f"{clock.label} {_described(clock.window)} never opens in 400 days: sent when due"
                steps.append(("no_opening", None, at, text))
                reasons.append(text)
                plan.send_at_utc = at
                return plan
            if opening > at:
                step = "window" if clock is window else "business_hours"
                whose = "buyer's" if clock is window else "seller's"
                text = (f"{_local_text(at, clock.timezone)} is outside the {clock.label} "
                        f"{_described(clock.window)} ({whose} clock, {clock.timezone}): moved to "
                        f"{_local_text(opening, clock.timezone)}")
                steps.append((step, at, opening, text))
                reasons.append(text)
                at, moved = opening, True
        if not moved:
            break
    else:  # pragma: no cover - two windows that never overlap
        reasons.append("the windows never overlap: sent at the last opening found")
    if at == due:
        inside = " and ".join(f"{c.label} {_described(c.window)}" for c in clocks)
        steps.append(("inside", None, at, f"inside the {inside}"))
    plan.send_at_utc = at
    return plan


@lru_cache(maxsize=256)
def _duration(delay: timedelta) -> str:
    return format_duration(delay)


@lru_cache(maxsize=256)
def _delayed(delay: timedelta) -> str:
    return f"occurred_at + delay {_duration(delay)}"


@lru_cache(maxsize=256)
def _described(window: Window) -> str:
    """``Window.describe()`` (a window is frozen: its text never changes)."""
    return window.describe()


def _describe(clock: Clocked | None) -> dict[str, Any] | None:
    if clock is None:
        return None
    return {**clock.window.as_dict(), "timezone": clock.timezone}
