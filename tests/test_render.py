"""Templates: sandboxed, strict, precompiled, and errors with file:line."""

from __future__ import annotations

import pytest

from autoreply.config import load_config
from autoreply.errors import ConfigError
from autoreply.events import parse_event
from autoreply.pipeline import Engine
from tests.conftest import NOW, ConfigDir, event_data

RULES = """
[[rules]]
name = "w"
template = "welcome"
match = { kind = "welcome" }
"""

SSTI_PAYLOADS = [
    "{{ config.__class__ }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{% for x in ().__class__.__base__.__subclasses__() %}{{ x }}{% endfor %}",
    "{{ self._TemplateReference__context.cycler.__init__.__globals__.os.popen('id').read() }}",
    "{{ lipsum.__globals__['os'].popen('id').read() }}",
    "${7*7} #{7*7} {{7*7}}",
]


@pytest.mark.parametrize("payload", SSTI_PAYLOADS)
def test_buyer_text_is_data_never_template_source(cfgdir: ConfigDir, payload: str) -> None:
    """A buyer named like a template-injection payload appears verbatim in the message."""
    cfgdir.write_settings().write_rules(RULES).write_template(
        "welcome", "en", "Hi {{ buyer.name }}", "Hello {{ buyer.name }}, you wrote: {{ message.text }}")
    engine = Engine(cfgdir.config())
    event = parse_event(event_data(buyer={"id": "b", "name": payload[:200], "locale": "en"},
                                   message={"text": payload}))
    decision = engine.decide(event, NOW).decisions[0]
    assert decision.rendered is not None
    assert decision.rendered.body == f"Hello {payload[:200]}, you wrote: {payload}"


def test_templates_cannot_reach_python_internals(cfgdir: ConfigDir) -> None:
    """A template that tries to escape the sandbox is blocked, with the template's file and line."""
    cfgdir.write_settings().write_rules(RULES).write_template(
        "welcome", "en", "x", "line one\n{{ ''.__class__.__mro__[1].__subclasses__() }}")
    engine = Engine(cfgdir.config())
    decision = engine.decide(parse_event(event_data(buyer={"locale": "en"})), NOW).decisions[0]
    assert decision.decision == "blocked"
    finding = decision.compliance.findings[0]
    assert finding.check == "render_error"
    assert "welcome/en.j2:3" in finding.message  # line 1 is the subject block


def test_a_misspelt_variable_is_an_error_not_an_empty_string(cfgdir: ConfigDir) -> None:
    """StrictUndefined: an unknown variable fails loudly, naming the template file and line."""
    cfgdir.write_settings().write_rules(RULES).write_template("welcome", "en", "x", "Hello {{ buyer.nmae }}")
    engine = Engine(cfgdir.config())
    decision = engine.decide(parse_event(event_data(buyer={"locale": "en"})), NOW).decisions[0]
    assert decision.decision == "blocked"
    assert "welcome/en.j2:3" in decision.compliance.findings[0].message
    assert "nmae" in decision.compliance.findings[0].message


def test_a_syntax_error_is_reported_at_load_with_file_and_line(cfgdir: ConfigDir) -> None:
    """A broken template stops the config from loading and names file:line."""
    cfgdir.write_settings().write_rules(RULES).write_template("welcome", "en", "x", "ok\n{% if %}\n")
    with pytest.raises(ConfigError, match=r"templates/welcome/en.j2:4: template syntax error"):
        cfgdir.config()


def test_a_template_without_its_blocks_is_rejected(cfgdir: ConfigDir) -> None:
    """Subject and body blocks are both required."""
    cfgdir.write_settings().write_rules(RULES)
    (cfgdir.templates / "welcome").mkdir(parents=True)
    (cfgdir.templates / "welcome" / "en.j2").write_text("{% block body %}x{% endblock %}")
    with pytest.raises(ConfigError, match=r"welcome/en.j2: missing block\(s\) subject"):
        cfgdir.config()


def test_a_rule_naming_a_missing_template_is_rejected(cfgdir: ConfigDir) -> None:
    """Cross-check: a rule's template must exist (file, line, rule and template named)."""
    cfgdir.write_settings().write_rules(RULES.replace('"welcome"\nmatch', '"welcom"\nmatch'))
    cfgdir.write_template("welcome", "en", "x", "y")
    with pytest.raises(ConfigError,
                       match=r"rules.toml:3: rules\[0\].template: rule 'w' uses undefined template 'welcom'"):
        load_config(cfgdir.settings())


def test_a_template_missing_the_default_language_is_rejected(cfgdir: ConfigDir) -> None:
    """Every template a rule uses must exist in the configured default language."""
    cfgdir.write_settings().write_rules(RULES).write_template("welcome", "es", "x", "y")
    with pytest.raises(ConfigError, match=r"template 'welcome' has no version in the default language 'en'"):
        cfgdir.config()


def test_language_variants_fall_back_to_the_base_template(cfgdir: ConfigDir) -> None:
    """A pt-BR buyer gets pt-BR.j2 when it exists, and pt.j2 when it does not."""
    cfgdir.write_settings().write_rules(RULES)
    cfgdir.write_template("welcome", "en", "x", "en").write_template("welcome", "pt", "x", "pt")
    engine = Engine(cfgdir.config())
    event = parse_event(event_data(buyer={"locale": "pt-BR"}, message=None, marketplace="BR"))
    decision = engine.decide(event, NOW).decisions[0]
    assert decision.language is not None
    assert (decision.language.chosen, decision.language.template_language) == ("pt-BR", "pt")
    assert decision.rendered is not None and decision.rendered.body == "pt"


def test_dates_and_money_are_formatted_for_the_buyer(cfgdir: ConfigDir) -> None:
    """Babel filters format in the buyer's locale."""
    cfgdir.write_settings().write_rules(RULES).write_template(
        "welcome", "en", "x", "{{ order.estimated_delivery | date }} / {{ order.total | money }}")
    cfgdir.write_template("welcome", "de", "x", "{{ order.estimated_delivery | date }} / {{ order.total | money }}")
    engine = Engine(cfgdir.config())
    order = {"id": "1", "estimated_delivery": "2026-12-02", "total": 1234.5, "currency": "EUR"}
    de = engine.decide(parse_event(event_data(buyer={"locale": "de-DE"}, order=order, message=None)), NOW)
    en = engine.decide(parse_event(event_data(buyer={"locale": "en-US"}, order=order, message=None)), NOW)
    assert de.decisions[0].rendered.body == "2. Dezember 2026 / 1.234,50\xa0€"  # type: ignore[union-attr]
    assert en.decisions[0].rendered.body == "December 2, 2026 / €1,234.50"  # type: ignore[union-attr]
