"""Rules: first match wins, continue, conditions, explanations, and validation with lines."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from autoreply.errors import ConfigError
from autoreply.events import parse_event
from autoreply.rules import RuleSet, compile_rules
from autoreply.tomlfile import load_toml
from tests.conftest import event_data, write


def ruleset(tmp_path: Path, toml: str) -> RuleSet:
    return compile_rules(load_toml(write(tmp_path / "rules.toml", toml)))


ROUTING = """
[[rules]]
name = "amazon-skip-opted-out"
action = "skip"
match = { platform = "amazon", "buyer.opted_out" = true }

[[rules]]
name = "tshirts-es"
template = "t"
continue = true
match = { sku = "TSHIRT-*", marketplace = ["ES", "MX"] }

[[rules]]
name = "welcome"
template = "t"
match = { kind = "welcome" }

[[rules]]
name = "delayed"
template = "t"
match = { kind = "logistics_update", "shipment.status" = ["delayed", "exception"] }

[[rules]]
name = "low-stock"
template = "t"
match = { kind = "out_of_stock", "stock.available" = { le = 0 }, platform = { not = "taobao" } }

[[rules]]
name = "refund-question"
template = "t"
match = { "message.text" = { contains = ["refund", "reembolso"] } }
"""

CASES = [
    # (description, event overrides, rules that fire)
    ("first match wins", {"marketplace": "FR"}, ["welcome"]),
    ("continue lets later rules fire too", {}, ["tshirts-es", "welcome"]),
    ("a skip rule stops everything", {"platform": "amazon",
                                      "buyer": {"id": "b", "opted_out": True}}, ["amazon-skip-opted-out"]),
    ("a field list matches any value", {"kind": "logistics_update", "marketplace": "FR",
                                        "shipment": {"status": "exception"}}, ["delayed"]),
    ("a field list does not match others", {"kind": "logistics_update", "marketplace": "FR",
                                            "shipment": {"status": "delivered"}}, []),
    ("numeric operators", {"kind": "out_of_stock", "marketplace": "FR",
                           "stock": {"sku": "X", "available": 0}}, ["low-stock"]),
    ("not excludes", {"kind": "out_of_stock", "platform": "taobao", "marketplace": "CN",
                      "stock": {"sku": "X", "available": 0}}, []),
    ("contains is case-insensitive", {"kind": "order_question", "marketplace": "FR",
                                      "message": {"text": "Quiero un REEMBOLSO"}}, ["refund-question"]),
    ("an absent block matches nothing", {"kind": "order_question", "marketplace": "FR", "message": None}, []),
]


@pytest.mark.parametrize(("description", "overrides", "fired"), CASES, ids=[c[0] for c in CASES])
def test_routing(tmp_path: Path, description: str, overrides: dict, fired: list[str]) -> None:
    """Each sample event fires exactly the expected rules, in order."""
    rules = ruleset(tmp_path, ROUTING)
    event = parse_event(event_data(**overrides))
    got, _ = rules.route(event)
    assert [r.name for r in got] == fired


def test_explanations_say_why_each_rule_matched_or_not(tmp_path: Path) -> None:
    """Every rule gets a verdict and the reason, including those after the winning rule."""
    rules = ruleset(tmp_path, ROUTING)
    event = parse_event(event_data(marketplace="FR"))
    _, explained = rules.route(event)
    by_rule = {e.rule: e for e in explained}
    assert by_rule["tshirts-es"].status == "no_match"
    failing = [c for c in by_rule["tshirts-es"].checks if not c.ok]
    assert [(c.field, c.detail) for c in failing] == [("marketplace", "'FR' is not one of 'ES', 'MX'")]
    assert by_rule["welcome"].status == "matched"
    assert by_rule["delayed"].status == "not_reached"


def test_dedupe_keys_are_built_from_event_fields(tmp_path: Path) -> None:
    """A rule's dedupe key joins the named fields, scoped to the rule."""
    rules = ruleset(tmp_path, """
        [[rules]]
        name = "w"
        template = "t"
        match = { kind = "welcome" }
        dedupe = { key = ["platform", "buyer.id"], window = "24h" }
    """)
    rule = rules.rules[0]
    assert rule.dedupe_value(parse_event(event_data())) == "w|aliexpress|b-1"
    assert rule.dedupe_window is not None and rule.dedupe_window.total_seconds() == 86400


BAD = [
    ("unknown match field", """
        [[rules]]
        name = "a"
        template = "t"
        [rules.match]
        kind = "welcome"
        "shipment.stauts" = "delayed"
     """, r"rules.toml:6: rules\[0\].match.\"shipment.stauts\": unknown match field"),
    ("bad delay", """
        [[rules]]
        name = "a"
        template = "t"
        delay = "ten minutes"
     """, r"rules.toml:4: rules\[0\].delay: Value error, not a duration"),
    ("duplicate names", """
        [[rules]]
        name = "a"
        template = "t"
        [[rules]]
        name = "a"
        template = "t"
     """, r"rules.toml:5: rules\[1\].name: duplicate rule name 'a'"),
    ("unknown key", """
        [[rules]]
        name = "a"
        tempalte = "t"
     """, r"rules.toml:3: rules\[0\].tempalte: unknown key"),
    ("send without template", """
        [[rules]]
        name = "a"
     """, r"rules.toml:1: rules\[0\]: rule 'a' sends but names no template"),
    ("bad operator", """
        [[rules]]
        name = "a"
        template = "t"
        match = { "stock.available" = { below = 1 } }
     """, r"rules.toml:4: rules\[0\].match.\"stock.available\": an operator table holds exactly one of"),
]


@pytest.mark.parametrize(("description", "toml", "error"), BAD, ids=[b[0] for b in BAD])
def test_invalid_rules_are_reported_with_file_line_and_path(tmp_path: Path, description: str,
                                                            toml: str, error: str) -> None:
    """Each mistake is named with the file, the line and the key path."""
    with pytest.raises(ConfigError, match=error):
        ruleset(tmp_path, textwrap.dedent(toml))


def test_the_shipped_rules_compile() -> None:
    """config/rules.toml is valid."""
    rules = compile_rules(load_toml(Path(__file__).parent.parent / "config" / "rules.toml"))
    assert "welcome" in rules.names()


KIND_RULES = ROUTING + """
[[rules]]
name = "any-logistics"
template = "t"
continue = true
match = { kind = { glob = "logistics_deliver*" } }

[[rules]]
name = "not-welcome"
template = "t"
match = { kind = { not = ["welcome", "logistics_update"] }, marketplace = "IT" }
"""


@pytest.mark.parametrize(("description", "overrides", "fired"), [
    *CASES,
    ("a kind glob", {"kind": "logistics_delivered", "marketplace": "FR"}, ["any-logistics"]),
    ("a kind not-list", {"kind": "order_question", "marketplace": "IT", "message": None}, ["not-welcome"]),
    ("a kind not-list excludes", {"kind": "welcome", "marketplace": "IT"}, ["welcome"]),
], ids=lambda v: v if isinstance(v, str) else "")
def test_the_daemons_routing_fires_what_the_explained_routing_fires(
        tmp_path: Path, description: str, overrides: dict, fired: list[str]) -> None:
    """Without explanations (the worker's path: rules sorted by event kind once, the other conditions
    tested per event), the same rules fire in the same order, asked twice for the same kind."""
    rules = ruleset(tmp_path, KIND_RULES)
    event = parse_event(event_data(**overrides))
    explained, _ = rules.route(event)
    for _ in range(2):
        got, explanations = rules.route(event, explain=False)
        assert [r.name for r in got] == [r.name for r in explained] == fired
        assert explanations == []
