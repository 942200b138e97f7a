"""CLDR locale data for the l10n filters, held without the parts rendering does not read.

Babel keeps every locale it loads whole (its cache holds each locale merged with its parents:
display names of every language, territory and script, currency names, compact and interval
formats, time zone names …), ~0.5–1.2 MiB per locale; a daemon rendering 16 template languages
for buyers in many countries loads ~40 of them. ``attach(locale)`` gives a Babel ``Locale``
the same merged data built the way ``babel.localedata.load`` builds it, minus ``LAZY_KEYS``;
a lazy key is read from Babel's full data the first time anything asks for it, so every
value Babel's formatting functions see is the one they would have seen (checked against
Babel's own data by tests/test_memory_tables.py).
"""

from __future__ import annotations

import pickle
import threading
from typing import Any

from babel import Locale, localedata
from babel.core import get_global

# Top-level keys of a locale that the shipped templates' filters never read: display names,
# currency long names, compact/interval/skeleton formats, time zone names (only the ``z``/``v``
# patterns of ``datetime("full")``-like formats ask for those; they then load on demand).
LAZY_KEYS = frozenset({
    "languages", "territories", "scripts", "variants", "currency_names", "currency_names_plural",
    "compact_currency_formats", "compact_decimal_formats", "interval_formats",
    "datetime_skeletons", "time_zones", "meta_zones", "unit_display_names", "date_fields",
    "measurement_systems", "character_order", "currency_unit_patterns",
})

_TREES: dict[str, _Data] = {}
_LOCK = threading.RLock()


class _Data(dict[Any, Any]):
    """One locale's merged data without the lazy keys; a lazy key comes from Babel at first use."""

    def __init__(self, name: str, data: dict[Any, Any]) -> None:
        super().__init__(data)
        self.name = name

    def __missing__(self, key: Any) -> Any:
        if key not in LAZY_KEYS:
            raise KeyError(key)
        full = localedata.load(self.name)
        if key not in full:
            raise KeyError(key)
        value = self[key] = full[key]
        return value


def parent(name: str) -> str:
    """The locale ``name`` inherits from, as ``babel.localedata.load`` decides it."""
    found = get_global("parent_exceptions").get(name)
    if found:
        return str(found)
    if localedata._is_non_likely_script(name):  # CLDR 45's nonlikelyScript rule, Babel's own check
        return "root"
    return name.rsplit("_", 1)[0] if "_" in name else "root"


def tree(name: str) -> _Data:
    """``babel.localedata.load(name)`` without ``LAZY_KEYS`` (built once, kept)."""
    with _LOCK:
        if name in _TREES:
            return _TREES[name]
        with open(localedata.resolve_locale_filename(name), "rb") as fileobj:
            raw = pickle.load(fileobj)  # Babel's own data files, read as Babel reads them
        for key in LAZY_KEYS:
            raw.pop(key, None)
        if name == "root":
            data = raw
        else:
            data = {k: v for k, v in tree(parent(name)).items() if k not in LAZY_KEYS}
            localedata.merge(data, raw)
        _TREES[name] = _Data(name, data)
        return _TREES[name]


class _Lean(localedata.LocaleDataDict):
    """What ``Locale._data`` is for Babel, over the lean data, built at first use like Babel's."""

    def __init__(self, name: str) -> None:  # no super().__init__: ``_data`` and ``base`` are read lazily
        self.name = name

    @property
    def _data(self) -> _Data:  # type: ignore[override]
        return tree(self.name)

    @property
    def base(self) -> _Data:  # type: ignore[override]
        return tree(self.name)


def attach(locale: Locale) -> Locale:
    """Give ``locale`` the lean data of its identifier (unless Babel already loaded its own)."""
    if getattr(locale, "_Locale__data", None) is None:
        identifier = getattr(locale, "_Locale__data_identifier")  # noqa: B009 - Babel's private name
        locale._Locale__data = _Lean(identifier)  # type: ignore[attr-defined]
    return locale
