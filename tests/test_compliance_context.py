"""Context checks on the event (pure; storage facts passed in), the policy files, the CLI, and a
blocked message end to end: stored as blocked with its findings, never sent, shown by queue list."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from autoreply.cli import cli
from autoreply.clock import FixedClock
from autoreply.compliance import (
    Caps,
    ComplianceEngine,
    MessageContext,
    NoHistory,
    load_seller_policy,
)
from autoreply.compliance.policy import load_pack
from autoreply.errors import ConfigError
from autoreply.events import parse_event
from autoreply.pipeline import Engine
from autoreply.store import Store
from autoreply.worker import InboxWorker
from tests.conftest import ConfigDir, event_data, write

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
ENGINE = ComplianceEngine()
BODY = "Hello, the delivery of your order is delayed. We are following it."


class Counts:
    def __init__(self, buyer: int = 0, day: int = 0) -> None:
        self.buyer, self.day = buyer, day

    def to_buyer_since(self, platform: str, buyer_id: str, since: datetime) -> int:
        return self.buyer

    def sent_on_day(self, platform: str, day_start: datetime) -> int:
        return self.day


def ctx(**kw: object) -> MessageContext:
    base: dict[str, object] = dict(platform="amazon", kind="logistics_update", send_at=NOW,
                                   local_today=NOW.date(), message_type="unexpectedProblem",
                                   buyer_id="b-1", placed_at=NOW - timedelta(days=3))
    base.update(kw)
    return MessageContext(**base)  # type: ignore[arg-type]


@pytest.mark.parametrize(("description", "context", "body", "check"), [
    ("31 days after the order", ctx(placed_at=NOW - timedelta(days=31)), BODY, "contact_window"),
    ("opted out, non-essential type", ctx(opted_out=True, message_type="warranty", kind="warranty"), BODY, "opted_out"),
    ("unknown message type", ctx(message_type="sayHello"), BODY, "message_type"),
    ("type for another purpose", ctx(message_type="digitalAccessKey"), BODY, "message_type"),
    ("text over the type's limit", ctx(message_type="confirmCustomizationDetails", kind="customization"),
     "x" * 801, "text_length"),
    ("buyer cap reached", ctx(history=Counts(buyer=3)), BODY, "buyer_frequency"),
    ("daily volume cap", ctx(history=Counts(day=650), caps=Caps(3, 10)), BODY, "daily_volume"),
    ("dispatch promise before handling time", ctx(kind="out_of_stock", handling_days=3, placed_at=NOW),
     "Good news: your order ships tomorrow.", "promise"),
    ("dispatch promise before restock", ctx(kind="out_of_stock", stock_available=0,
                                            restock_eta=date(2026, 12, 10)),
     "Wir versenden Ihre Bestellung innerhalb von 2 Tagen.", "promise"),
    ("delivery promise before the carrier's eta", ctx(shipment_eta=date(2026, 12, 5), shipment_status="in_transit"),
     "Su pedido llega el 2 de diciembre.", "promise"),
    ("Chinese dispatch promise", ctx(platform="aliexpress", kind="out_of_stock", stock_available=0,
                                     restock_eta=date(2026, 12, 1)), "明天发货，请放心。", "promise"),
])
def test_context_checks_block(description: str, context: MessageContext, body: str, check: str) -> None:
    """Each context rule blocks the message it is about."""
    verdict = ENGINE.check(platform=context.platform, subject=None, body=body, context=context)
    assert check in {f.check for f in verdict.findings if f.severity == "block"}, verdict


@pytest.mark.parametrize(("description", "context", "body"), [
    ("inside the window", ctx(placed_at=NOW - timedelta(days=29)), BODY),
    ("window counted from a later delivery", ctx(placed_at=NOW - timedelta(days=40),
                                                 delivered_at=NOW - timedelta(days=10)), BODY),
    ("opted out, essential type", ctx(opted_out=True), BODY),
    ("under the caps", ctx(history=Counts(buyer=2, day=599)), BODY),
    ("promise the data supports", ctx(shipment_eta=date(2026, 12, 5), shipment_status="in_transit"),
     "The carrier expects to deliver it on 5 December."),
    ("no data, no promise check", ctx(), "It ships tomorrow."),
    ("a delivery that happened is a fact, not a promise",
     ctx(platform="aliexpress", estimated_delivery=date(2026, 12, 5), shipment_status="delivered",
         delivered_at=NOW), "The carrier reports that your order was delivered on November 22, 2026."),
])
def test_context_checks_pass(description: str, context: MessageContext, body: str) -> None:
    """What the rules allow is not blocked."""
    verdict = ENGINE.check(platform=context.platform, subject=None, body=body, context=context)
    assert verdict.verdict != "block", verdict


def test_shipped_packs_load_and_name_their_sources() -> None:
    """Every shipped rule has a severity, an explanation and a source."""
    for name in ("generic", "amazon", "aliexpress", "taobao"):
        pack = load_pack(Path(__file__).parent.parent / "autoreply/compliance/packs" / f"{name}.toml")
        assert pack.rules and all(r.source and r.explanation for r in pack.rules.values())


@pytest.mark.parametrize(("text", "line", "message"), [
    ('[allow]\ndomains = ["dhl.de", "not a domain"]\n', 2, "allow.domains[1]: not a domain name"),
    ('[[terms]]\nid = "x"\nseverity = "maybe"\nterms = ["a"]\n', 3, "severity must be block or warn"),
    ('[[terms]]\nid = "x"\nterms = []\ncolour = 1\n', 4, "terms[0].colour: unknown key"),
    ('[rules.amazon.emojis]\nseverity = "warn"\n', 1, "unknown rule 'emojis'"),
    ('[rules.amazon.emoji]\nseverity = "sometimes"\n', 2, "severity must be one of block, warn, off"),
])
def test_the_seller_policy_file_is_validated_with_file_and_line(tmp_path: Path, text: str, line: int,
                                                                 message: str) -> None:
    """Every problem in config/compliance.toml names the file, the line and the key."""
    path = write(tmp_path / "compliance.toml", text)
    with pytest.raises(ConfigError) as info:
        load_seller_policy(path)
    assert any(f"{path}:{line}:" in str(p) and message in str(p) for p in info.value.problems), info.value


def test_seller_terms_allowlist_and_overrides_apply(tmp_path: Path) -> None:
    """A seller allowlists their carrier's domain, forbids their own terms and relaxes a rule."""
    path = write(tmp_path / "compliance.toml", """
        [allow]
        domains = ["track.dhl.de"]
        [[terms]]
        id = "seller.other-shops"
        platforms = ["amazon"]
        terms = ["brandx"]
        explanation = "We never mention a competitor's brand."
        [rules.aliexpress.promotion]
        severity = "warn"
    """)
    engine = ComplianceEngine(load_seller_policy(path))
    assert engine.check(platform="amazon", subject=None, body="Track it on track.dhl.de").verdict == "pass"
    assert engine.check(platform="amazon", subject=None, body="Track it on evil.example.com").verdict == "block"
    got = engine.check(platform="amazon", subject=None, body="It is sturdier than a BrandX kettle.")
    assert [f.check for f in got.findings] == ["seller.other-shops"]
    verdict = engine.check(platform="aliexpress", subject=None, body="It is sturdier than a BrandX kettle.")
    assert verdict.verdict == "pass"
    promo = engine.check(platform="aliexpress", subject=None, body="20% off your next order!")
    assert promo.verdict == "warn"


def run(cfg: ConfigDir | None, *args: str, input: str | None = None) -> tuple[int, str]:
    pre = ["--config", str(cfg.settings_file)] if cfg else []
    result = CliRunner().invoke(cli, [*pre, *args], input=input, catch_exceptions=False)
    return result.exit_code, result.stdout


def test_compliance_check_cli_text_and_exit_codes(cfgdir: ConfigDir) -> None:
    """compliance check: 3 and the highlighted excerpt on a block, 0 on a pass, JSON with --json."""
    cfgdir.copy_shipped()
    code, out = run(cfgdir, "compliance", "check", "--platform", "amazon", "-", input="Hi 😀 add me on WhatsApp")
    assert code == 3 and "emoji" in out and "»WhatsApp«" in out
    code, out = run(cfgdir, "compliance", "check", "--platform", "aliexpress", "--json", "-",
                    input="Your order 8012345678901234 is delayed.")
    assert code == 0 and json.loads(out) == {"verdict": "pass", "findings": []}
    code, out = run(cfgdir, "compliance", "check", "-p", "amazon", "-s", "[Important] news", "--json", "-",
                    input="Hello there, news from the shop.")
    assert code == 3 and json.loads(out)["findings"][0]["field"] == "subject"


def test_compliance_check_cli_jsonl(cfgdir: ConfigDir, tmp_path: Path) -> None:
    """--jsonl reads {id, platform, subject?, text} lines and writes {id, verdict, findings} lines."""
    cfgdir.copy_shipped()
    lines = [{"id": "a", "platform": "aliexpress", "text": "Thanks for your order!"},
             {"id": "b", "platform": "amazon", "text": "Thanks for your order!"}]
    path = write(tmp_path / "in.jsonl", "\n".join(json.dumps(x) for x in lines) + "\n")
    code, out = run(cfgdir, "compliance", "check", "--jsonl", str(path))
    got = [json.loads(line) for line in out.splitlines()]
    assert code == 3
    assert [(g["id"], g["verdict"]) for g in got] == [("a", "pass"), ("b", "block")]
    assert got[1]["findings"][0]["check"] == "thanks_only"
    bad = write(tmp_path / "bad.jsonl", '{"id": "x", "text": "hi"}\n')
    result = CliRunner().invoke(cli, ["--config", str(cfgdir.settings_file), "compliance", "check",
                                      "--jsonl", str(bad)])
    assert result.exit_code == 1 and f"{bad}:1" in result.stderr


def test_a_blocked_message_is_stored_blocked_and_never_sent(cfgdir: ConfigDir, store: Store) -> None:
    """A template compliance blocks ends up in the outbox as blocked, with its findings, and is not due."""
    cfgdir.copy_shipped()
    cfgdir.write_template("welcome", "en", "Hi", "Add me on WhatsApp: +44 7911 123456")
    engine = Engine(cfgdir.config())
    event = parse_event(event_data(buyer={"id": "b-9", "locale": "en"}, message={"text": "hello?"}))
    store.add_events([(event.id, event.kind, event.platform, event.to_json())], source="test", now=NOW)
    InboxWorker(store, lambda: engine, FixedClock(NOW), 10).run_once()
    (row,) = store.list_messages()
    assert row.status == "blocked"
    details = json.loads(row.details)
    assert {f["check"] for f in details["compliance"]["findings"]} >= {"messenger", "phone"}
    assert store.claim_due(now=NOW + timedelta(days=1), limit=10, lease=timedelta(seconds=60), worker="w") == []


def test_the_worker_applies_the_buyer_cap_from_the_outbox(cfgdir: ConfigDir, store: Store) -> None:
    """The fourth proactive message to one buyer within 24 hours is blocked (cap 3), counted in the database."""
    cfgdir.copy_shipped()
    engine = Engine(cfgdir.config())
    events = []
    for i in range(4):
        data = event_data(kind="logistics_update", platform="aliexpress", message=None,
                          buyer={"id": "b-cap", "locale": "en"},
                          order={"id": f"80123456789012{i:02d}"},
                          shipment={"status": "delayed"})
        events.append(parse_event(data))
    worker = InboxWorker(store, lambda: engine, FixedClock(NOW), 1)
    for event in events:
        store.add_events([(event.id, event.kind, event.platform, event.to_json())], source="test", now=NOW)
        worker.run_once()
    statuses = [r.status for r in reversed(store.list_messages())]
    assert statuses == ["scheduled", "scheduled", "scheduled", "blocked"]


def test_preview_without_a_database_has_no_history(cfgdir: ConfigDir, tmp_path: Path) -> None:
    """preview works before the daemon ever ran (no database): the caps see nothing stored."""
    cfgdir.copy_shipped()
    path = write(tmp_path / "e.json", json.dumps(event_data(buyer={"id": "b", "locale": "en"})))
    code, out = run(cfgdir, "preview", str(path), "--json", "--now", "2026-11-22T12:00:00Z")
    assert code == 0 and json.loads(out)["compliance"]["verdict"] == "pass"
    assert NoHistory().to_buyer_since("amazon", "b", NOW) == 0
