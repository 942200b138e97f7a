"""Jinja filters backed by Babel: dates, times, money, numbers, units, lists and plural-aware
phrases in the buyer's locale and zone.

Filters read ``locale`` (a Babel locale id such as ``es_ES``) and ``timezone`` (the buyer's
IANA zone) from the template context, so templates just write::

    {{ order.estimated_delivery | date }}            5 de diciembre de 2026
    {{ order.placed_at | datetime("short") }}        5/12/26, 14:30 (buyer's zone)
    {{ item.price | money(order.currency) }}         34,99 US$
    {{ 1234.5 | number }}  {{ 0.25 | percent }}      1234,5   25 %
    {{ handling_days | unit("day") }}                3 días / 3 дня / 3 ימים
    {{ titles | join_list }}                         a, b y c
    {{ n | plural(one="# artículo", other="# artículos") }}
    {{ n | plural(one="# товар", few="# товара", many="# товаров", other="# товара") }}

``plural`` picks the CLDR plural category of ``n`` in the buyer's language (zero, one, two,
few, many, other — Arabic uses all six, Russian/Ukrainian/Polish one/few/many), falls back to
``other`` (required) and writes the localized number where the phrase has ``#``.

Right-to-left text (ar, he): Babel marks some numbers and dates with direction characters
(U+200F RLM, U+061C ALM). The filters remove them: the Unicode bidi algorithm already shows
a number or an order id correctly inside Arabic or Hebrew text, and invisible characters in a
buyer message read as obfuscation to marketplace filters. Digits stay Latin (``latn``), like
the order and tracking numbers next to them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any

import pytz
from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_datetime, format_time, format_timedelta
from babel.lists import format_list
from babel.localedata import exists as locale_exists
from babel.numbers import format_currency, format_decimal, format_percent
from babel.units import format_unit
from jinja2 import pass_context
from jinja2.runtime import Context

from autoreply.cldr import attach

_LOCALE_CACHE: dict[tuple[str, str | None], Locale] = {}
# Direction marks and embeddings/isolates that Babel (or anyone) may put around numbers.
BIDI_CONTROLS = re.compile("[\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]")
PLURAL_CATEGORIES = ("zero", "one", "two", "few", "many", "other")


def strip_bidi(text: str) -> str:
    return BIDI_CONTROLS.sub("", text)


def babel_locale(tag: str | None, fallback: str = "en", region: str | None = None) -> Locale:
    """A Babel locale for a BCP 47 tag (``pt-BR``, ``zh-Hant``, ``es``), falling back cleanly.

    With ``region`` (the buyer's country) a tag without one gets it when CLDR knows the
    combination: Spanish for a buyer in the US formats as ``es_US``, Portuguese in Portugal as
    ``pt_PT``; an unknown combination keeps the plain language.
    """
    key = (tag or fallback, region.upper() if region else None)
    if key in _LOCALE_CACHE:
        return _LOCALE_CACHE[key]
    parts = key[0].replace("_", "-").split("-")
    candidates = []
    has_region = any(len(p) == 2 or (len(p) == 3 and p.isdigit()) for p in parts[1:])
    if key[1] and not has_region:
        candidates.append("_".join([*parts, key[1]]))
    candidates += ["_".join(parts), parts[0], fallback]
    locale: Locale | None = None
    for candidate in candidates:
        try:
            if not locale_exists(candidate) and candidate not in (parts[0], fallback):
                continue
            locale = attach(Locale.parse(candidate))
            break
        except (ValueError, UnknownLocaleError):
            continue
    assert locale is not None
    _LOCALE_CACHE[key] = locale
    return locale


def _locale(ctx: Context) -> Locale:
    return babel_locale(ctx.get("locale"))


def _zone(ctx: Context) -> Any:
    return pytz.timezone(ctx.get("timezone") or "UTC")


def _instant(value: datetime | str) -> datetime:
    if isinstance(value, str):
        value = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return value


@pass_context
def date_filter(ctx: Context, value: date | datetime | str | None, format: str = "long") -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        value = _instant(value) if "T" in value else date.fromisoformat(value)
    if isinstance(value, datetime):
        value = value.astimezone(_zone(ctx)).date()
    return _date_text(value, format, ctx.get("locale"))


@lru_cache(maxsize=1024)  # pure; messages show the same few days (ETAs) in the same locales
def _date_text(value: date, format: str, locale: str | None) -> str:
    """``date_filter``'s text of a day: Babel's ``format_date`` in the locale of the tag
    ``locale`` (``babel_locale``), bidi marks removed."""
    return strip_bidi(format_date(value, format=format, locale=babel_locale(locale)))


@pass_context
def datetime_filter(ctx: Context, value: datetime | str | None, format: str = "medium") -> str:
    if value is None:
        return ""
    return strip_bidi(format_datetime(_instant(value), format=format, tzinfo=_zone(ctx), locale=_locale(ctx)))


@pass_context
def time_filter(ctx: Context, value: datetime | str | None, format: str = "short") -> str:
    if value is None:
        return ""
    return strip_bidi(format_time(_instant(value), format=format, tzinfo=_zone(ctx), locale=_locale(ctx)))


@pass_context
def money_filter(ctx: Context, value: float | int | None, currency: str | None = None) -> str:
    if value is None:
        return ""
    code = currency or ctx.get("currency") or "USD"
    return strip_bidi(format_currency(value, code, locale=_locale(ctx)))


@pass_context
def number_filter(ctx: Context, value: float | int | None) -> str:
    if value is None:
        return ""
    return strip_bidi(format_decimal(value, locale=_locale(ctx)))


@pass_context
def percent_filter(ctx: Context, value: float | int | None) -> str:
    if value is None:
        return ""
    return strip_bidi(format_percent(value, locale=_locale(ctx)))


@pass_context
def plural_filter(ctx: Context, value: float | int, **forms: str) -> str:
    """The phrase for ``value``'s plural category; ``#`` in it becomes the localized number."""
    unknown = sorted(set(forms) - set(PLURAL_CATEGORIES))
    if unknown:
        raise ValueError(f"plural: unknown form(s) {', '.join(unknown)} "
                         f"(use {', '.join(PLURAL_CATEGORIES)})")
    if "other" not in forms:
        raise ValueError('plural: the "other" form is required')
    locale = _locale(ctx)
    category = locale.plural_form(abs(value))
    phrase = forms.get(category, forms["other"])
    return phrase.replace("#", strip_bidi(format_decimal(value, locale=locale)))


@pass_context
def unit_filter(ctx: Context, value: float | int | None, unit: str, length: str = "long") -> str:
    """``3 | unit("day")`` → "3 days" / "3 дня" / "3 أيام" (CLDR units, plural-aware)."""
    if value is None:
        return ""
    locale = _locale(ctx)
    lengths = [length] + [x for x in ("long", "short", "narrow") if x != length]
    patterns = locale._data["unit_patterns"]  # Babel's data, to skip lengths CLDR leaves empty
    qualified = next((k for k in patterns if k == unit or k.endswith(f"-{unit}")), unit)
    category = locale.plural_form(abs(value))
    for candidate in lengths:
        forms = patterns.get(qualified, {}).get(candidate, {})
        if category in forms or "other" in forms:
            return strip_bidi(format_unit(value, qualified, length=candidate, locale=locale))  # type: ignore[arg-type]
    return strip_bidi(format_unit(value, unit, length=length, locale=locale))  # type: ignore[arg-type]


@pass_context
def list_filter(ctx: Context, values: Iterable[Any], style: str = "standard") -> str:
    """``["a", "b", "c"] | join_list`` → "a, b and c" / "a, b y c" / "a、b和c"."""
    return strip_bidi(format_list([str(v) for v in values], style=style, locale=_locale(ctx)))  # type: ignore[arg-type]


@pass_context
def timedelta_filter(ctx: Context, value: timedelta | float | int | None, granularity: str = "day") -> str:
    """A duration in words: ``timedelta(days=3) | timedelta`` → "3 days" / "3 días"."""
    if value is None:
        return ""
    return strip_bidi(format_timedelta(value, granularity=granularity, locale=_locale(ctx)))  # type: ignore[arg-type]


FILTERS: dict[str, Callable[..., Any]] = {
    "date": date_filter,
    "datetime": datetime_filter,
    "time": time_filter,
    "money": money_filter,
    "number": number_filter,
    "percent": percent_filter,
    "plural": plural_filter,
    "unit": unit_filter,
    "join_list": list_filter,
    "timedelta": timedelta_filter,
}
