"""The pipeline on the shipped config: golden example events and their expected decisions."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from autoreply.config import load_config
from autoreply.events import parse_events
from autoreply.pipeline import Engine
from autoreply.settings import load_settings
from tests.conftest import EXAMPLES, REPO, event_data

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)

# file → what a seller should see in `preview --now 2026-11-22T12:00:00Z`
GOLDEN = {
    "welcome-aliexpress-canary.json": {
        "decision": "queue", "rule": "welcome", "timezone": "Atlantic/Canary",
        "timezone_source": "postal_code", "send_at": "2026-11-22T12:00:00+00:00", "language": "es-ES",
    },
    "out-of-stock-aliexpress-brazil.json": {
        "decision": "queue", "rule": "out-of-stock", "timezone": "America/Sao_Paulo",
        "send_at": "2026-11-22T09:00:00-03:00", "language": "pt-BR",
    },
    "logistics-shipped-aliexpress-france.json": {
        "decision": "queue", "rule": "logistics-shipped", "timezone": "Europe/Paris",
        "send_at": "2026-11-22T13:00:00+01:00", "language": "fr-FR",
    },
    "logistics-delayed-amazon-germany.json": {
        "decision": "queue", "rule": "logistics-delayed", "timezone": "Europe/Berlin",
        "send_at": "2026-11-22T13:00:00+01:00", "language": "de-DE",
    },
    "logistics-delivered-taobao-china.json": {
        "decision": "queue", "rule": "logistics-delivered", "timezone": "Asia/Shanghai",
        "send_at": "2026-11-22T20:00:00+08:00", "language": "zh-CN",
    },
}


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine(load_config(load_settings(REPO / "config" / "autoreply.toml")))


@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_golden_examples(engine: Engine, name: str) -> None:
    """Each example event gets the expected rule, zone, buyer-local send time and language."""
    (event,) = parse_events((EXAMPLES / name).read_text(), source=name)
    out = engine.decide(event, NOW).as_dict()
    expected = GOLDEN[name]
    got = {k: out[k] for k in expected if k != "language"}
    got["language"] = out["language"]["chosen"]
    assert got == expected
    assert out["compliance"]["verdict"] == "pass"
    assert out["message"]["body"]
    assert out["send_at_utc"].endswith("Z")


def test_every_example_is_covered_by_a_golden_expectation() -> None:
    """A new example must come with its expected decision."""
    names = {p.name for p in EXAMPLES.glob("*.json")}
    # restock-aliexpress-brazil.json sends nothing: tests/test_supersede.py covers it
    assert names - set(GOLDEN) <= {"welcome-amazon-us-spanish-text.json",
                                   "restock-aliexpress-brazil.json"}


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
