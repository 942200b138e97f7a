"""Localized output: dates in the buyer's zone and locale, money, numbers, units, plurals, RTL."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from jinja2 import StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from autoreply.config import load_config
from autoreply.events import parse_event
from autoreply.l10n import BIDI_CONTROLS, FILTERS, babel_locale
from autoreply.pipeline import Engine
from autoreply.samples import SAMPLE_NOW, sample_for
from autoreply.settings import load_settings
from tests.conftest import NOW, REPO, ConfigDir, event_data


def render(source: str, locale: str, timezone: str = "UTC", **data: Any) -> str:
    env = SandboxedEnvironment(undefined=StrictUndefined)
    env.filters.update(FILTERS)
    return env.from_string(source).render(locale=locale, timezone=timezone, **data)


AT = datetime(2026, 12, 5, 23, 30, tzinfo=UTC)


@pytest.mark.parametrize(("locale", "zone", "expected"), [
    ("en_US", "America/Los_Angeles", "December 5, 2026 · 3:30\u202fPM"),
    ("es_ES", "Europe/Madrid", "6 de diciembre de 2026 · 0:30"),
    ("de_DE", "Europe/Berlin", "6. Dezember 2026 · 00:30"),
    ("ja_JP", "Asia/Tokyo", "2026年12月6日 · 8:30"),
    ("he_IL", "Asia/Jerusalem", "6 בדצמבר 2026 · 1:30"),
])
def test_dates_and_times_are_in_the_buyers_zone_and_locale(locale: str, zone: str, expected: str) -> None:
    """One instant shows as the buyer's own calendar day and clock, in their words."""
    assert render("{{ t | date }} · {{ t | time }}", locale, zone, t=AT) == expected


@pytest.mark.parametrize(("locale", "expected"), [
    ("en_US", "$34.99 · 1,234.5 · 25%"),
    ("de_DE", "34,99\xa0$ · 1.234,5 · 25\xa0%"),
    ("fr_FR", "34,99\xa0$US · 1\u202f234,5 · 25\xa0%"),
    ("pt_BR", "US$\xa034,99 · 1.234,5 · 25%"),
    ("ar_SA", "34.99\xa0US$ · 1,234.5 · 25%"),
    ("he_IL", "34.99\xa0$ · 1,234.5 · 25%"),
])
def test_money_in_the_orders_currency_and_numbers_in_the_buyers_locale(locale: str, expected: str) -> None:
    """The order's currency, written the buyer's way; no direction marks in ar/he."""
    assert render("{{ 34.99 | money(cur) }} · {{ 1234.5 | number }} · {{ 0.25 | percent }}",
                  locale, cur="USD") == expected


RU_FORMS = 'one="# товар", few="# товара", many="# товаров", other="# товара"'
AR_FORMS = ('zero="لا منتجات", one="منتج واحد", two="منتجان", few="# منتجات", many="# منتجًا", '
            'other="# منتج"')


@pytest.mark.parametrize(("locale", "forms", "counts"), [
    ("en", 'one="# item", other="# items"', {1: "1 item", 2: "2 items", 0: "0 items"}),
    ("ru", RU_FORMS, {1: "1 товар", 3: "3 товара", 5: "5 товаров", 21: "21 товар", 1000: "1\xa0000 товаров"}),
    ("pl", 'one="# paczka", few="# paczki", many="# paczek", other="# paczki"',
     {1: "1 paczka", 2: "2 paczki", 5: "5 paczek", 22: "22 paczki"}),
    ("ar", AR_FORMS, {0: "لا منتجات", 1: "منتج واحد", 2: "منتجان", 3: "3 منتجات", 11: "11 منتجًا",
                      100: "100 منتج"}),
    ("ja", 'other="#点"', {1: "1点", 7: "7点"}),
])
def test_plural_picks_the_cldr_category_of_the_buyers_language(locale: str, forms: str,
                                                              counts: dict[int, str]) -> None:
    """Template authors give each plural form once; the number picks the right one."""
    for n, expected in counts.items():
        assert render(f"{{{{ n | plural({forms}) }}}}", locale, n=n) == expected


@pytest.mark.parametrize(("locale", "expected"), [
    ("en", "3 days · 1 day · red, green, and blue"),
    ("es", "3 días · 1 día · red, green y blue"),
    ("ru", "3 дня · 1 день · red, green и blue"),
    ("ar", "3 أيام · يوم · red وgreen وblue"),
    ("zh_Hant", "3 天 · 1 天 · red、green和blue"),
])
def test_units_and_lists(locale: str, expected: str) -> None:
    """Durations come out plural-aware from CLDR (with a short form where CLDR has no long one)."""
    assert render('{{ 3 | unit("day") }} · {{ 1 | unit("day") }} · {{ c | join_list }}', locale,
                  c=["red", "green", "blue"]) == expected


def test_a_plural_without_other_is_a_render_error_naming_the_template(cfgdir: ConfigDir) -> None:
    """A missing 'other' form blocks the message with the template's file and line."""
    cfgdir.write_settings().write_rules('[[rules]]\nname = "w"\ntemplate = "w"\nmatch = { kind = "welcome" }\n')
    cfgdir.write_template("w", "en", "s", '{{ 2 | plural(one="# item") }}')
    decision = Engine(cfgdir.config()).decide(parse_event(event_data(buyer={"locale": "en"})), NOW).decisions[0]
    assert decision.decision == "blocked"
    assert '"other" form is required' in decision.compliance.findings[0].message
    assert "w/en.j2" in decision.compliance.findings[0].message


@pytest.mark.parametrize(("tag", "region", "expected"), [
    ("es", "US", "es_US"), ("es", "MX", "es_MX"), ("pt", "PT", "pt_PT"), ("pt-BR", "PT", "pt_BR"),
    ("zh-Hant", "TW", "zh_Hant_TW"), ("zh-Hant", None, "zh_Hant"), ("ar", "SA", "ar_SA"),
    ("en", "XX", "en"), ("xx", None, "en"),
])
def test_formatting_locale_takes_the_buyers_country_when_cldr_knows_it(tag: str, region: str | None,
                                                                       expected: str) -> None:
    """Spanish for a buyer in the US formats as es_US; an unknown pairing keeps the language."""
    assert str(babel_locale(tag, region=region)) == expected


@pytest.mark.parametrize("lang", ["ar", "he"])
def test_right_to_left_messages_have_no_direction_marks_and_readable_ids(lang: str) -> None:
    """Every shipped ar/he template renders without bidi controls, ids verbatim, compliance pass."""
    config = load_config(load_settings(REPO / "config" / "autoreply.toml"))
    engine = Engine(config)
    seen = 0
    for rule in config.rules.rules:
        if not rule.template or rule.action == "skip":
            continue
        for platform in ("aliexpress", "taobao", "amazon"):
            event = sample_for(rule, lang=lang, platform=platform)
            if event is None or not config.rules.route(event)[0]:
                continue
            decision = engine.decide(event, SAMPLE_NOW).decisions[0]
            if decision.decision == "skipped":
                continue
            assert decision.rendered is not None and decision.language is not None
            assert decision.language.template_language == lang
            text = decision.rendered.subject + "\n" + decision.rendered.body
            assert not BIDI_CONTROLS.search(text)
            assert event.order is not None and event.order.id in text
            assert decision.compliance.verdict == "pass", decision.compliance.as_dict()
            seen += 1
    assert seen >= 4
