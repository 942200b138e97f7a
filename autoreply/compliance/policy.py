"""Policy packs as data: which rules apply on which platform, how severe, why, and from where.

Shipped packs live in ``compliance/packs/*.toml`` (``generic`` plus ``amazon``,
``aliexpress``, ``taobao``); a platform without a pack gets ``generic``. A seller's own file
(``config/compliance.toml``, see :data:`SELLER_EXAMPLE`) adds terms, allowed domains and
e-mail addresses, and severity overrides. Every file is validated completely at load; each
problem names file, line and key path.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from autoreply.errors import ConfigError, Problem
from autoreply.tomlfile import TomlDocument, load_toml

PACKS_DIR = Path(__file__).parent / "packs"
PLATFORM_PACKS = ("amazon", "aliexpress", "taobao")
SEVERITIES = ("block", "warn", "off")
_ID = re.compile(r"^[a-z][a-z0-9_.-]{0,63}$")
_DOMAIN = re.compile(r"^(?:[a-z0-9*](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:[a-z]{2,24}|\*)$")

#: every rule the checks can raise (text and context)
KNOWN_RULES = frozenset({
    "external_link", "email", "phone", "messenger", "off_platform_payment", "review_manipulation",
    "review_request", "promotion", "incentive", "insult", "emoji", "emoticon", "special_font",
    "line_breaks", "important_subject", "thanks_only", "order_confirmation", "cancel_reason",
    "ask_to_cancel", "seller_term", "contact_window", "opted_out", "message_type",
    "message_type_missing", "text_length", "buyer_frequency", "daily_volume", "promise",
    "spam", "off_platform_redirect", "after_sales_terms",
})

SELLER_EXAMPLE = """\
# config/compliance.toml — the seller's own additions to the shipped policy packs.
[allow]
domains = ["track.dhl.de"]          # links needed to complete the order
emails = []

[[terms]]
id = "seller.competitor"
severity = "block"
platforms = ["amazon", "aliexpress"]  # default: every platform
terms = ["brandx", "brand x"]
explanation = "We never name a competitor's brand."

[rules.aliexpress.promotion]          # platform ("*" for all) and rule id
severity = "warn"
"""


@dataclass(frozen=True)
class RuleSpec:
    id: str
    severity: str
    explanation: str
    source: str


@dataclass(frozen=True)
class TermRule:
    id: str
    severity: str
    terms: tuple[str, ...]
    explanation: str
    platforms: tuple[str, ...] | None
    source: str


@dataclass(frozen=True)
class MessageType:
    name: str
    max_text: int
    essential: bool
    kinds: tuple[str, ...]


@dataclass
class Policy:
    """The effective policy of one platform."""

    platform: str
    rules: dict[str, RuleSpec] = field(default_factory=dict)
    terms: list[TermRule] = field(default_factory=list)
    allow_domains: list[str] = field(default_factory=list)
    allow_emails: list[str] = field(default_factory=list)
    phone_region: str | None = None
    message_types: dict[str, MessageType] = field(default_factory=dict)

    def severity(self, rule: str) -> str | None:
        spec = self.rules.get(rule)
        return None if spec is None or spec.severity == "off" else spec.severity


@dataclass(frozen=True)
class SellerPolicy:
    allow_domains: tuple[str, ...] = ()
    allow_emails: tuple[str, ...] = ()
    terms: tuple[TermRule, ...] = ()
    overrides: tuple[tuple[str, str, str], ...] = ()  # (platform or "*", rule, severity)
    path: str | None = None


def _strings(doc: TomlDocument, path: tuple[str | int, ...], value: Any,
             problems: list[Problem], *, pattern: re.Pattern[str] | None = None) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        problems.append(doc.problem(path, "must be a list of non-empty strings"))
        return []
    if pattern is not None:
        for i, v in enumerate(value):
            if not pattern.match(v.lower()):
                problems.append(doc.problem((*path, i), f"not a domain name: {v!r}"))
    return [str(v) for v in value]


def _rule_table(doc: TomlDocument, path: tuple[str | int, ...], data: Any, problems: list[Problem],
                *, need_text: bool) -> RuleSpec | None:
    if not isinstance(data, dict):
        problems.append(doc.problem(path, "must be a table"))
        return None
    allowed = {"severity", "explanation", "source"}
    for key in sorted(set(data) - allowed):
        problems.append(doc.problem((*path, key), f"unknown key (known: {', '.join(sorted(allowed))})"))
    severity = data.get("severity")
    if severity not in SEVERITIES:
        problems.append(doc.problem((*path, "severity"), f"severity must be one of {', '.join(SEVERITIES)} "
                                    f"(value: {severity!r})"))
    for key in ("explanation", "source"):
        if key in data and not isinstance(data[key], str):
            problems.append(doc.problem((*path, key), "must be a string"))
        elif need_text and not str(data.get(key, "")).strip():
            problems.append(doc.problem(path, f"a shipped rule needs a {key}"))
    return RuleSpec(str(path[-1]), str(severity), str(data.get("explanation", "")), str(data.get("source", "")))


def _term_rules(doc: TomlDocument, items: Any, problems: list[Problem], default_source: str) -> list[TermRule]:
    out: list[TermRule] = []
    if not isinstance(items, list):
        problems.append(doc.problem(("terms",), "terms is an array of tables: [[terms]]"))
        return out
    allowed = {"id", "severity", "terms", "explanation", "platforms", "source"}
    for i, item in enumerate(items):
        where: tuple[str | int, ...] = ("terms", i)
        if not isinstance(item, dict):
            problems.append(doc.problem(where, "must be a table"))
            continue
        for key in sorted(set(item) - allowed):
            problems.append(doc.problem((*where, key), f"unknown key (known: {', '.join(sorted(allowed))})"))
        rid = item.get("id")
        if not isinstance(rid, str) or not _ID.match(rid):
            problems.append(doc.problem((*where, "id"),
                                        f"id must be lower-case letters, digits, '.', '_', '-' (value: {rid!r})"))
        severity = item.get("severity", "block")
        if severity not in ("block", "warn"):
            problems.append(doc.problem((*where, "severity"), f"severity must be block or warn (value: {severity!r})"))
        terms = _strings(doc, (*where, "terms"), item.get("terms"), problems)
        platforms = item.get("platforms")
        if platforms is not None:
            platforms = _strings(doc, (*where, "platforms"), platforms, problems)
        out.append(TermRule(str(rid), str(severity), tuple(terms), str(item.get("explanation", "a forbidden term")),
                            tuple(platforms) if platforms is not None else None,
                            str(item.get("source", default_source))))
    return out


@dataclass
class Pack:
    name: str
    extends: str | None
    rules: dict[str, RuleSpec]
    terms: list[TermRule]
    allow_domains: list[str]
    phone_region: str | None
    message_types: dict[str, MessageType]


def load_pack(path: Path) -> Pack:
    """Read and validate one shipped pack."""
    doc = load_toml(path, what="policy pack")
    problems: list[Problem] = []
    data = doc.data
    for key in sorted(set(data) - {"pack", "rules", "terms", "message_types"}):
        problems.append(doc.problem((key,), "unknown top-level key (known: pack, rules, terms, message_types)"))
    head = data.get("pack", {})
    if not isinstance(head, dict) or not isinstance(head.get("name"), str):
        problems.append(doc.problem(("pack",), "a pack needs [pack] with a name"))
        head = {}
    for key in sorted(set(head) - {"name", "extends", "description", "phone_region", "allow_domains"}):
        problems.append(doc.problem(("pack", key), "unknown key"))
    rules: dict[str, RuleSpec] = {}
    for rid, table in (data.get("rules") or {}).items():
        if rid not in KNOWN_RULES:
            known = ", ".join(sorted(KNOWN_RULES))
            problems.append(doc.problem(("rules", rid), f"unknown rule {rid!r} (known: {known})"))
            continue
        spec = _rule_table(doc, ("rules", rid), table, problems, need_text=True)
        if spec:
            rules[rid] = spec
    terms = _term_rules(doc, data.get("terms", []), problems, f"{path.name}")
    domains = _strings(doc, ("pack", "allow_domains"), head.get("allow_domains", []), problems, pattern=_DOMAIN)
    types: dict[str, MessageType] = {}
    for name, table in (data.get("message_types") or {}).items():
        where = ("message_types", name)
        if not isinstance(table, dict) or not isinstance(table.get("max_text"), int) \
                or not isinstance(table.get("essential"), bool):
            problems.append(doc.problem(where, "needs max_text (integer), essential (boolean), kinds (list)"))
            continue
        kinds = _strings(doc, (*where, "kinds"), table.get("kinds", []), problems)
        types[name] = MessageType(name, int(table["max_text"]), bool(table["essential"]), tuple(kinds))
    if problems:
        raise ConfigError(problems)
    region = head.get("phone_region") or None
    return Pack(str(head.get("name")), head.get("extends"), rules, terms, domains, region, types)


def load_seller_policy(path: Path | None) -> SellerPolicy:
    """Read and validate the seller's compliance file (``None`` or a missing default: empty)."""
    if path is None:
        return SellerPolicy()
    doc = load_toml(path, what="compliance policy file")
    problems: list[Problem] = []
    data = doc.data
    for key in sorted(set(data) - {"allow", "terms", "rules"}):
        problems.append(doc.problem((key,), "unknown top-level key (known: allow, terms, rules)"))
    allow = data.get("allow", {})
    domains: list[str] = []
    emails: list[str] = []
    if not isinstance(allow, dict):
        problems.append(doc.problem(("allow",), "must be a table"))
    else:
        for key in sorted(set(allow) - {"domains", "emails"}):
            problems.append(doc.problem(("allow", key), "unknown key (known: domains, emails)"))
        domains = _strings(doc, ("allow", "domains"), allow.get("domains", []), problems, pattern=_DOMAIN)
        emails = _strings(doc, ("allow", "emails"), allow.get("emails", []), problems)
    terms = _term_rules(doc, data.get("terms", []), problems, str(path))
    overrides: list[tuple[str, str, str]] = []
    for platform, table in (data.get("rules") or {}).items():
        if not isinstance(table, dict):
            problems.append(doc.problem(("rules", platform), "rules.<platform>.<rule> tables"))
            continue
        for rid, spec in table.items():
            if rid not in KNOWN_RULES:
                problems.append(doc.problem(("rules", platform, rid), f"unknown rule {rid!r}"))
                continue
            parsed = _rule_table(doc, ("rules", platform, rid), spec, problems, need_text=False)
            if parsed:
                overrides.append((platform, rid, parsed.severity))
    if problems:
        raise ConfigError(problems)
    return SellerPolicy(tuple(domains), tuple(emails), tuple(terms), tuple(overrides), str(path))


_PACK_CACHE: dict[str, Pack] = {}


def shipped_pack(name: str) -> Pack:
    if name not in _PACK_CACHE:
        _PACK_CACHE[name] = load_pack(PACKS_DIR / f"{name}.toml")
    return _PACK_CACHE[name]


def policy_for(platform: str, seller: SellerPolicy) -> Policy:
    """The effective policy of ``platform``: generic ← platform pack ← seller file."""
    chain = [shipped_pack("generic")]
    if platform in PLATFORM_PACKS:
        chain.append(shipped_pack(platform))
    policy = Policy(platform)
    for pack in chain:
        policy.rules.update(pack.rules)
        policy.terms.extend(t for t in pack.terms if t.platforms is None or platform in t.platforms)
        policy.allow_domains.extend(pack.allow_domains)
        policy.message_types.update(pack.message_types)
        if pack.phone_region is not None or pack.name != "generic":
            policy.phone_region = pack.phone_region
    policy.allow_domains.extend(seller.allow_domains)
    policy.allow_emails.extend(seller.allow_emails)
    policy.terms.extend(t for t in seller.terms if t.platforms is None or platform in t.platforms)
    for where, rid, severity in seller.overrides:
        if where in ("*", platform):
            base = policy.rules.get(rid) or RuleSpec(rid, severity, rid, seller.path or "seller")
            policy.rules[rid] = RuleSpec(rid, severity, base.explanation,
                                         f"{base.source}; severity set by {seller.path}")
    return policy
