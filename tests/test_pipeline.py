"""The pipeline on the shipped config: golden example events and their expected decisions."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from autoreply.config import load_config
from autoreply.events import parse_events
from autoreply.language import Detector
from autoreply.pipeline import Engine
from autoreply.settings import load_settings
from tests.conftest import EXAMPLES, REPO, event_data

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)

# file → what a seller should see in `preview --now 2026-11-22T12:00:00Z` (noon UTC: daytime for
# every buyer here, so nothing waits for a window)
GOLDEN = {
    "events/welcome-aliexpress-canary.json": {
        "decision": "queue", "rule": "welcome", "timezone": "Atlantic/Canary",
        "timezone_source": "postal_code", "send_at": "2026-11-22T12:00:00+00:00", "language": "es-ES",
    },
    "events/welcome-amazon-us-spanish-text.json": {
        "decision": "queue", "rule": "welcome", "timezone": "America/Chicago",
        "timezone_source": "postal_code", "send_at": "2026-11-22T06:00:00-06:00", "language": "es",
        # a Spanish-speaking buyer on an en-US account: the buyer's words decide
        "language_reason": "detected",
    },
    "events/out-of-stock-aliexpress-brazil.json": {
        "decision": "queue", "rule": "out-of-stock", "timezone": "America/Sao_Paulo",
        "timezone_source": "postal_code", "send_at": "2026-11-22T09:00:00-03:00", "language": "pt-BR",
    },
    "events/welcome-amazon-japan.json": {
        "decision": "queue", "rule": "welcome", "timezone": "Asia/Tokyo",
        "timezone_source": "country", "send_at": "2026-11-22T21:00:00+09:00", "language": "ja-JP",
        "language_reason": "detected",
    },
    # a Ukrainian buyer on a Russian-locale account: the buyer's words decide, never Russian
    "events/welcome-aliexpress-ukraine.json": {
        "decision": "queue", "rule": "welcome", "timezone": "Europe/Kyiv",
        "timezone_source": "city", "send_at": "2026-11-22T14:00:00+02:00", "language": "uk",
        "language_reason": "detected",
    },
    "events/out-of-stock-taobao-question.json": {
        "decision": "queue", "rule": "out-of-stock", "timezone": "Asia/Shanghai",
        "timezone_source": "city", "send_at": "2026-11-22T20:00:00+08:00", "language": "zh-Hans",
        "language_reason": "detected",
    },
    # an Arabic-speaking buyer on an en-US account in Riyadh
    "events/welcome-amazon-saudi-arabia.json": {
        "decision": "queue", "rule": "welcome", "timezone": "Asia/Riyadh",
        "timezone_source": "country", "send_at": "2026-11-22T15:00:00+03:00", "language": "ar",
        "language_reason": "detected",
    },
    "notices/logistics-shipped-aliexpress-france.json": {
        "decision": "queue", "rule": "logistics-shipped", "timezone": "Europe/Paris",
        "timezone_source": "country", "send_at": "2026-11-22T13:00:00+01:00", "language": "fr-FR",
    },
    "notices/logistics-delayed-amazon-germany.json": {
        "decision": "queue", "rule": "logistics-delayed", "timezone": "Europe/Berlin",
        "timezone_source": "country", "send_at": "2026-11-22T13:00:00+01:00", "language": "de-DE",
    },
    "notices/logistics-delivered-taobao-china.json": {
        "decision": "queue", "rule": "logistics-delivered", "timezone": "Asia/Shanghai",
        "timezone_source": "country", "send_at": "2026-11-22T20:00:00+08:00", "language": "zh-CN",
    },
}
# the same files at 03:00 UTC: replies still go at once (the buyer chose the hour), notices wait
# for 09:00 on the buyer's clock — the product constraint behind examples/events vs notices/
NIGHT = datetime(2026, 11, 22, 3, 0, tzinfo=UTC)
GOLDEN_NIGHT = {
    "events/welcome-aliexpress-canary.json": ("2026-11-22T03:00:00+00:00", []),
    "events/welcome-amazon-us-spanish-text.json": ("2026-11-21T21:00:00-06:00", []),
    "events/out-of-stock-aliexpress-brazil.json": ("2026-11-22T00:00:00-03:00", []),
    "events/welcome-amazon-japan.json": ("2026-11-22T12:00:00+09:00", []),
    "events/welcome-aliexpress-ukraine.json": ("2026-11-22T05:00:00+02:00", []),
    "events/out-of-stock-taobao-question.json": ("2026-11-22T11:00:00+08:00", []),
    "events/welcome-amazon-saudi-arabia.json": ("2026-11-22T06:00:00+03:00", []),
    "notices/logistics-shipped-aliexpress-france.json": ("2026-11-22T09:00:00+01:00", ["window"]),
    "notices/logistics-delayed-amazon-germany.json": ("2026-11-22T09:00:00+01:00", ["window"]),
    "notices/logistics-delivered-taobao-china.json": ("2026-11-22T11:00:00+08:00", []),
}
EXAMPLES_DIR = EXAMPLES.parent


@pytest.fixture(scope="module")
def engine(detector: Detector) -> Engine:
    return Engine(load_config(load_settings(REPO / "config" / "autoreply.toml")), detector)


def _decide(engine: Engine, name: str, now: datetime) -> dict[str, Any]:
    (event,) = parse_events((EXAMPLES_DIR / name).read_text(), source=name)
    return engine.decide(event, now).as_dict()


@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_golden_examples(engine: Engine, name: str) -> None:
    """Each example event gets the expected rule, zone, zone source and buyer-local send time."""
    out = _decide(engine, name, NOW)
    expected = {k: v for k, v in GOLDEN[name].items() if not k.startswith("language")}
    assert {k: out[k] for k in expected} == expected
    assert out["compliance"]["verdict"] == "pass"
    assert out["message"]["body"]
    assert out["send_at_utc"].endswith("Z")


@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_golden_example_languages(engine: Engine, name: str) -> None:
    """Each example is written in the buyer's language, for the documented reason."""
    out = _decide(engine, name, NOW)
    assert out["language"]["chosen"] == GOLDEN[name]["language"]
    if "language_reason" in GOLDEN[name]:
        assert out["language"]["reason"] == GOLDEN[name]["language_reason"]


@pytest.mark.parametrize("name", sorted(GOLDEN_NIGHT))
def test_replies_go_at_once_and_notices_wait_for_the_buyers_daytime(engine: Engine, name: str) -> None:
    """At 03:00 UTC a reply to a buyer's message goes now; a proactive notice waits for 09:00 local."""
    out = _decide(engine, name, NIGHT)
    send_at, moved_by = GOLDEN_NIGHT[name]
    assert (out["send_at"], out["send_timing"]["moved_by"]) == (send_at, moved_by)
    assert out["send_timing"]["at_once"] is name.startswith("events/")


def test_every_example_is_covered_by_a_golden_expectation() -> None:
    """A new example must come with its expected decision."""
    names = {f"{p.parent.name}/{p.name}" for p in EXAMPLES_DIR.glob("*/*.json")}
    # stock/restock-aliexpress-brazil.json sends nothing (it closes the out-of-stock thread):
    # tests/test_supersede.py covers it
    assert names - {"stock/restock-aliexpress-brazil.json"} == set(GOLDEN) == set(GOLDEN_NIGHT)


def test_amazon_shipping_confirmations_are_not_sent(engine: Engine) -> None:
    """Amazon sends its own shipping confirmations: an 'in transit' update on Amazon matches no rule."""
    event = parse_events(__import__("json").dumps(event_data(
        kind="logistics_update", platform="amazon", marketplace="DE",
        shipment={"status": "in_transit"}, message=None)), source="x")[0]
    outcome = engine.decide(event, NOW)
    assert outcome.decision == "no_rule"


def test_an_opted_out_amazon_buyer_gets_nothing(engine: Engine) -> None:
    """Buyers who opted out of unsolicited messages are skipped on Amazon."""
    event = parse_events(__import__("json").dumps(event_data(
        platform="amazon", marketplace="US", buyer={"id": "b", "opted_out": True})), source="x")[0]
    outcome = engine.decide(event, NOW)
    assert outcome.decision == "skipped"
    assert outcome.decisions[0].rule == "amazon-opted-out"


def test_the_delay_is_counted_from_the_event_in_utc(engine: Engine) -> None:
    """A delivered notice waits its 2h delay from occurred_at, shown on the buyer's clock."""
    event = parse_events(__import__("json").dumps(event_data(
        kind="logistics_update", platform="aliexpress", marketplace="BR",
        occurred_at="2026-11-22T11:30:00Z",
        buyer={"id": "b", "country": "BR", "locale": "pt-BR"},
        shipment={"status": "delivered"}, message=None)), source="x")[0]
    decision = engine.decide(event, NOW).decisions[0]
    assert decision.send_at_utc == datetime(2026, 11, 22, 13, 30, tzinfo=UTC)
    assert decision.send_at_local is not None
    assert decision.send_at_local.isoformat() == "2026-11-22T10:30:00-03:00"


def test_preview_paths_are_stable(tmp_path: Path) -> None:
    """The preview JSON carries every field the contract lists."""
    settings = load_settings(REPO / "config" / "autoreply.toml")
    engine = Engine(load_config(settings))
    (event,) = parse_events((EXAMPLES / "welcome-aliexpress-canary.json").read_text(), source="x")
    out = engine.decide(event, NOW).as_dict()
    for key in ("decision", "rule", "explain", "language", "timezone", "timezone_source", "send_at",
                "send_at_utc", "message", "compliance"):
        assert key in out
    assert set(out["language"]) >= {"detected", "confidence", "chosen", "reason"}
    assert set(out["message"]) >= {"channel", "subject", "body"}
    assert set(out["compliance"]) == {"verdict", "findings"}
