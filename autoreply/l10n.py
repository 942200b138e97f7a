"""Jinja filters backed by Babel: dates, times, money and numbers in the buyer's locale and zone.

Filters read ``locale`` (a Babel locale id such as ``es_ES``) and ``timezone`` (the buyer's
IANA zone) from the template context, so templates just write ``{{ order.estimated_delivery
| date }}`` or ``{{ item.price | money(order.currency) }}``.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytz
from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_datetime, format_time
from babel.numbers import format_currency, format_decimal
from jinja2 import pass_context
from jinja2.runtime import Context

_LOCALE_CACHE: dict[str, Locale] = {}


def babel_locale(tag: str | None, fallback: str = "en") -> Locale:
    """A Babel locale for a BCP 47 tag (``pt-BR``, ``zh-Hant``, ``es``), falling back cleanly."""
    key = tag or fallback
    if key in _LOCALE_CACHE:
        return _LOCALE_CACHE[key]
    locale: Locale | None = None
    for candidate in (key, key.split("-")[0], fallback):
        try:
            locale = Locale.parse(candidate.replace("-", "_"))
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


@pass_context
def date_filter(ctx: Context, value: date | datetime | str | None, format: str = "long") -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        value = date.fromisoformat(value)
    if isinstance(value, datetime):
        value = value.astimezone(_zone(ctx)).date()
    return format_date(value, format=format, locale=_locale(ctx))


@pass_context
def datetime_filter(ctx: Context, value: datetime | None, format: str = "medium") -> str:
    if value is None:
        return ""
    return format_datetime(value, format=format, tzinfo=_zone(ctx), locale=_locale(ctx))


@pass_context
def time_filter(ctx: Context, value: datetime | None, format: str = "short") -> str:
    if value is None:
        return ""
    return format_time(value, format=format, tzinfo=_zone(ctx), locale=_locale(ctx))


@pass_context
def money_filter(ctx: Context, value: float | int | None, currency: str | None = None) -> str:
    if value is None:
        return ""
    code = currency or ctx.get("currency") or "USD"
    return format_currency(value, code, locale=_locale(ctx))


@pass_context
def number_filter(ctx: Context, value: float | int | None) -> str:
    if value is None:
        return ""
    return format_decimal(value, locale=_locale(ctx))


FILTERS = {
    "date": date_filter,
    "datetime": datetime_filter,
    "time": time_filter,
    "money": money_filter,
    "number": number_filter,
}
