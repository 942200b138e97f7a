"""The loaded configuration: settings + rules + templates, validated together and then trusted.

:func:`load_config` reports *every* problem it finds, each with its file, line and key path,
including cross-references ("rule 'x' uses undefined template 'y'").
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from autoreply.compliance.policy import SellerPolicy, load_seller_policy
from autoreply.errors import ConfigError, Problem
from autoreply.l10n import FILTERS
from autoreply.render import TemplateSet
from autoreply.rules import Rule, RuleSet, compile_rules
from autoreply.settings import Settings
from autoreply.tomlfile import TomlDocument, load_toml

#: every kind of sender; a rule or platform may only name one configured in [senders.*]
KNOWN_SENDERS = ("log", "smtp", "webhook", "amazon")

#: the policy of a config without a seller policy file (frozen, so one shared instance is safe)
_NO_SELLER_POLICY = SellerPolicy()


@dataclass(frozen=True)
class Config:
    settings: Settings
    rules: RuleSet
    templates: TemplateSet
    rules_doc: TomlDocument
    fingerprint: str
    compliance_policy: SellerPolicy = _NO_SELLER_POLICY

    def channel_for(self, platform: str, rule_channel: str | None) -> str:
        if rule_channel:
            return rule_channel
        return self.settings.senders.platforms.get(platform, self.settings.senders.default)


def config_files(settings: Settings) -> list[Path]:
    """Every file the configuration is read from (for change detection)."""
    files = [settings.config_file, settings.rules_path]
    if settings.compliance_policy_path is not None:
        files.append(settings.compliance_policy_path)
    if settings.templates_path.is_dir():
        files += sorted(settings.templates_path.rglob("*.j2"))
    return files


def fingerprint(paths: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(str(path).encode())
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"<missing>")
    return digest.hexdigest()[:16]


def load_config(settings: Settings, known_senders: tuple[str, ...] = KNOWN_SENDERS) -> Config:
    problems: list[Problem] = []
    doc: TomlDocument | None = None
    rules: RuleSet | None = None
    templates: TemplateSet | None = None
    try:
        doc = load_toml(settings.rules_path, what="rules file")
        rules = compile_rules(doc)
    except ConfigError as exc:
        problems += exc.problems
    try:
        templates = TemplateSet(settings.templates_path, FILTERS)
    except ConfigError as exc:
        problems += exc.problems

    seller_policy = SellerPolicy()
    try:
        seller_policy = load_seller_policy(settings.compliance_policy_path)
    except ConfigError as exc:
        problems += exc.problems

    default_lang = settings.language.default
    senders = set(known_senders) & set(settings.senders.configured())
    settings_doc = _settings_doc(settings)

    def sender_problem(name: str) -> str:
        if name in known_senders:
            return (f"sender {name!r} is not configured: add a [senders.{name}] section "
                    f"(configured: {', '.join(sorted(senders))})")
        return f"unknown sender {name!r} (known: {', '.join(known_senders)})"

    def settings_problem(path: tuple[str, ...], message: str) -> Problem:
        if settings_doc is not None:
            return settings_doc.problem(path, message)
        return Problem(message, file=str(settings.config_file), path=".".join(path))

    if settings.senders.default not in senders:
        problems.append(settings_problem(("senders", "default"),
                                         sender_problem(settings.senders.default)))
    for platform, name in settings.senders.platforms.items():
        if name not in senders:
            problems.append(settings_problem(("senders", "platforms", platform),
                                             sender_problem(name)))
    problems += _amazon_problems(settings, settings_problem)

    if rules is not None and doc is not None and templates is not None:
        for rule in rules.rules:
            if rule.channel and rule.channel not in senders:
                problems.append(doc.problem(("rules", rule.index, "channel"),
                                            f"rule {rule.name!r}: {sender_problem(rule.channel)}"))
            if rule.message_type and _routes_to_amazon(rule, settings):
                from autoreply.senders.amazon import TEXT_LIMITS

                if rule.message_type not in TEXT_LIMITS:
                    problems.append(doc.problem(
                        ("rules", rule.index, "message_type"),
                        f"rule {rule.name!r} goes to the amazon sender, which cannot send "
                        f"message type {rule.message_type!r} (text types: "
                        f"{', '.join(sorted(TEXT_LIMITS))})"))
            if not rule.template:
                continue
            if rule.template not in templates.names():
                problems.append(doc.problem(
                    ("rules", rule.index, "template"),
                    f"rule {rule.name!r} uses undefined template {rule.template!r} "
                    f"(no directory {settings.templates_path / rule.template})"))
            elif templates.resolve(rule.template, default_lang) is None:
                problems.append(doc.problem(
                    ("rules", rule.index, "template"),
                    f"template {rule.template!r} has no version in the default language "
                    f"{default_lang!r}: add {templates.path_of(rule.template, default_lang)}"))
    if problems:
        raise ConfigError(problems)
    assert rules is not None and templates is not None and doc is not None
    return Config(settings=settings, rules=rules, templates=templates, rules_doc=doc,
                  fingerprint=fingerprint(config_files(settings)), compliance_policy=seller_policy)


def _settings_doc(settings: Settings) -> TomlDocument | None:
    """The settings file, for line numbers in problems (None if it cannot be read)."""
    try:
        return load_toml(settings.config_file, what="settings file")
    except ConfigError:
        return None


def _routes_to_amazon(rule: Rule, settings: Settings) -> bool:
    """Whether the rule's messages go to the amazon sender: named as its channel, or the rule
    only matches platform amazon and amazon is mapped to that sender."""
    if rule.channel:
        return rule.channel == "amazon"
    platform = rule.match.get("platform")
    if platform == "amazon" or platform == ["amazon"]:
        return settings.senders.platforms.get("amazon", settings.senders.default) == "amazon"
    return settings.senders.default == "amazon"


def _amazon_problems(settings: Settings,
                     problem: Callable[[tuple[str, ...], str], Problem]) -> list[Problem]:
    amazon = settings.senders.amazon
    if amazon is None:
        return []
    from autoreply.senders.amazon import TEXT_LIMITS

    return [
        problem(("senders", "amazon", "message_types", kind),
                f"Amazon message type {value!r} cannot carry text (text types: "
                f"{', '.join(sorted(TEXT_LIMITS))})")
        for kind, value in amazon.message_types.items() if value not in TEXT_LIMITS
    ]
