"""The loaded configuration: settings + rules + templates, validated together and then trusted.

:func:`load_config` reports *every* problem it finds, each with its file, line and key path,
including cross-references ("rule 'x' uses undefined template 'y'").
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from autoreply.compliance.policy import SellerPolicy, load_seller_policy
from autoreply.errors import ConfigError, Problem
from autoreply.l10n import FILTERS
from autoreply.render import TemplateSet
from autoreply.rules import RuleSet, compile_rules
from autoreply.settings import Settings
from autoreply.tomlfile import TomlDocument, load_toml

KNOWN_SENDERS = ("log",)


@dataclass(frozen=True)
class Config:
    settings: Settings
    rules: RuleSet
    templates: TemplateSet
    rules_doc: TomlDocument
    fingerprint: str
    compliance_policy: SellerPolicy = SellerPolicy()

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
    senders = set(known_senders)
    if settings.senders.default not in senders:
        problems.append(Problem(f"unknown sender {settings.senders.default!r} (known: "
                                f"{', '.join(sorted(senders))})", file=str(settings.config_file),
                                path="senders.default"))
    for platform, name in settings.senders.platforms.items():
        if name not in senders:
            problems.append(Problem(f"unknown sender {name!r}", file=str(settings.config_file),
                                    path=f"senders.platforms.{platform}"))

    if rules is not None and doc is not None and templates is not None:
        for rule in rules.rules:
            if rule.channel and rule.channel not in senders:
                problems.append(doc.problem(("rules", rule.index, "channel"),
                                            f"rule {rule.name!r} uses unknown sender {rule.channel!r}"))
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
