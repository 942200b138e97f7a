"""Pipeline outside compliance, round 7: remembered texts are the texts computed afresh."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import pytz

from autoreply import localtime, timezones, worker
from autoreply.compliance import Finding, Verdict
from autoreply.config import load_config
from autoreply.events import parse_event
from autoreply.outbox_write import encode_details
from autoreply.pipeline import Decision, Engine
from autoreply.settings import load_settings
from autoreply.synth import generate
from tests.conftest import NOW, REPO
from tests.test_rules import ruleset

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


# -- details joined from remembered parts ---------------------------------------------------------

def _details_dict(d: Decision) -> dict[str, Any]:
    """What ``messages_of`` encoded before: the details dict, encoded whole."""
    return {
        "language": d.language.as_dict() if d.language else None,
        "timezone_source": d.zone.source,
        "send_at_local": d.send_at_local.isoformat() if d.send_at_local else None,
        "send_reasons": d.send_reasons,
        "compliance": d.compliance.as_dict(),
    }


@pytest.fixture(scope="module")
def decisions() -> list[Decision]:
    """The queued and blocked decisions of 400 synthetic events (real compliance, findings
    included), decided twice over at two instants."""
    engine = Engine(load_config(load_settings(REPO / "config" / "autoreply.toml")))
    out = []
    for now in (NOW, NOW + timedelta(hours=7, minutes=13)):
        for data in generate(400, seed=7):
            out += [d for d in engine.decide(parse_event(data), now, explain=False).decisions
                    if d.decision in ("queue", "blocked") and d.send_at_utc is not None]
    return out


def test_details_are_the_encoded_dict(decisions: list[Decision]) -> None:
    """Each message's details text is the very text ``encode_details`` wrote of its dict,
    first and later asked."""
    assert len({d.language for d in decisions}) > 10
    for d in [*decisions, *decisions]:
        assert worker.details_of(d) == encode_details(_details_dict(d))


FINDING = Finding("phone", "warn", 3, 9, "+49 …", "a phone number", "body")
CONFIDENCES: list[Any] = [0.0, -0.0, 0, 1, 1.0, True, False, 0.25, float("nan"), float("inf")]


def test_details_keep_each_confidence_apart(decisions: list[Decision]) -> None:
    """Confidences equal as numbers but written apart (0, 0.0, -0.0, 1, 1.0, True) each keep
    their own text; no language, no local time, odd reasons and findings are written as the
    dict was."""
    base = next(d for d in decisions if d.language is not None)
    assert base.language is not None
    variants = [replace(base, language=replace(base.language, confidence=c)) for c in CONFIDENCES]
    variants += [replace(base, language=None), replace(base, send_at_local=None),
                 replace(base, send_reasons=[]), replace(base, send_reasons=["Ünï \"q\" \u2028", "x"]),
                 replace(base, compliance=Verdict("block", [FINDING])),
                 replace(base, compliance=Verdict("warn", [FINDING, replace(FINDING, source="lexicon")])),
                 replace(base, compliance=Verdict("warn"))]
    for d in [*variants, *reversed(variants)]:
        assert worker.details_of(d) == encode_details(_details_dict(d))


# -- postal prefixes by look-up -------------------------------------------------------------------

def _first_row(cc: str, code: str) -> Any:
    """The scan the postal step made: the first row of the table whose prefix starts ``code``."""
    return next(((p, e) for p, e in timezones.postal_table().get(cc, []) if code.startswith(p)), None)


def test_a_postal_prefix_found_by_look_up_is_the_first_row_that_starts_the_code() -> None:
    """For every country's prefixes, their extensions, cut-offs and strangers, the look-up finds
    the very row the scan of the table found (or none)."""
    rng = random.Random(7)
    table = timezones.postal_table()
    codes = ["", "0", "9", "A", "ZZZ", "H0H0H0"]
    for rows in table.values():
        for prefix, _entry in rows:
            codes += [prefix, prefix[:-1], prefix[1:], prefix + "0", prefix + "99", prefix + "A1B"]
    codes += ["".join(rng.choice("0123456789ABCEGHJKLMNPRSTVXY") for _ in range(rng.randint(1, 8)))
              for _ in range(3000)]
    for cc in [*table, "DE", "XX"]:
        for code in codes:
            assert timezones._postal_row(cc, code) == _first_row(cc, code), (cc, code)


@pytest.mark.parametrize(("cc", "postal"), [
    ("US", "36854"), ("US", " 36854-1234 "), ("US", "10001"), ("US", "99501"), ("CA", "h0h 0h0"),
    ("CA", "T0A-1A0"), ("MX", "22000"), ("AU", "6443"), ("BR", "69900-000"), ("US", "--"), ("US", ""),
    ("US", "ß36854"), ("DE", "10115"),
])
def test_the_postal_step_answers_as_before(cc: str, postal: str) -> None:
    """The postal step's answer is the scan's row made into a zone (or the ZIP-3 / none)."""
    code = "".join(ch for ch in postal.upper() if ch.isalnum())
    found = timezones._postal.__wrapped__(cc, postal)  # type: ignore[attr-defined]
    row = _first_row(cc, code) if code else None
    if row is not None:
        assert found is not None and (found.timezone, found.source) == (row[1].timezone, "postal_code")
        assert found.detail == f"{cc} postal prefix {row[0] or 'any'}: {row[1].note}".rstrip(": ")
    elif not code:
        assert found is None


# -- conditions on plain fields ---------------------------------------------------------------------

TYPED_RULES = """
[[rules]]
name = "typed"
template = "t"
[rules.match]
"order.total" = { gt = 10 }
"order.handling_days" = 5
"buyer.opted_out" = false
"order.placed_at" = { glob = "2026-11-2*" }
"order.estimated_delivery" = { exists = true }
"stock.available" = { le = 0 }
"buyer.country" = ["us", "DE"]
marketplace = { not = ["IT"] }
sku = { glob = "SOCKS-*" }
"message.text" = { contains = "size" }

[[rules]]
name = "typed-too"
template = "t"
[rules.match]
platform = "AliExpress"
"order.handling_days" = { not = [3, 7] }
"buyer.opted_out" = { not = [true] }
"buyer.locale" = { not = "EN-us" }
"order.total" = 15.5
"stock.available" = [0, 1]
"""


def test_a_condition_tested_is_the_condition_explained(tmp_path: Path) -> None:
    """On every field type (text, whole and decimal numbers, yes/no, instants, dates, lists, absent),
    a condition's quick test answers what its explained check says."""
    rules = ruleset(tmp_path, TYPED_RULES)
    shipped = load_config(load_settings(REPO / "config" / "autoreply.toml")).rules
    conditions = [c for rule in (*rules.rules, *shipped.rules) for c in rule.conditions]
    assert len(conditions) > 15
    seen = set()
    for data in generate(600, seed=3):
        event = parse_event(data)
        for condition in conditions:
            seen.add((condition.key, condition(event).ok))
            assert condition.test(event) == condition(event).ok, (condition.key, data)
    assert len(seen) > 25  # conditions both held and failed
