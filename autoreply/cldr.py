"""CLDR locale data for the l10n filters, each part built when rendering first reads it.

Babel keeps every locale it loads whole (its cache holds each locale merged with its parents:
display names of every language, territory and script, unit and currency patterns, compact and
interval formats, time zone names …), ~0.5–1.2 MiB per locale; a daemon rendering 16 template
languages for buyers in many countries loads ~40 of them. ``attach(locale)`` gives a Babel
``Locale`` data merged the way ``babel.localedata.load`` merges it, key by key: the keys dates
and numbers read (``EAGER_KEYS``) at the locale's first use, any other key the first time
something asks for it. Every value Babel's formatting functions see is the one they would have
seen (checked against Babel's own data by tests/test_memory_tables.py).
"""

from __future__ import annotations

import contextlib
import pickle
import threading
from typing import Any

from babel import Locale, localedata
from babel.core import get_global

# Top-level keys of a locale kept from the start: what dates, times and numbers read (the
# shipped templates write dates only). Every other key (units, currencies, lists, display
# names, zone names, compact/interval formats …) is built the same way at its first use.
EAGER_KEYS = frozenset({
    "date_formats", "time_formats", "datetime_formats", "months", "days", "quarters", "eras",
    "day_periods", "day_period_rules", "week_data", "number_symbols", "decimal_formats",
    "default_numbering_system", "numbering_systems", "plural_form", "locale_id", "zone_formats",
})

_TREES: dict[str, _Data] = {}
_LOCK = threading.RLock()


def _raw(name: str) -> dict[Any, Any]:
    with open(localedata.resolve_locale_filename(name), "rb") as fileobj:
        return dict(pickle.load(fileobj))  # Babel's own data file, read as Babel reads it


class _Data(dict[Any, Any]):
    """One locale's merged data, the eager keys first; any other key is merged at first use."""

    def __init__(self, name: str, data: dict[Any, Any]) -> None:
        super().__init__(data)
        self.name = name

    def __missing__(self, key: Any) -> Any:
        if key in EAGER_KEYS:
            raise KeyError(key)
        with _LOCK:
            if dict.__contains__(self, key):
                return dict.__getitem__(self, key)
            raw = _raw(self.name)
            if self.name == "root":
                merged = {key: raw[key]} if key in raw else {}
            else:
                above = tree(parent(self.name))
                merged = {}
                with contextlib.suppress(KeyError):
                    merged[key] = above[key]
                if key in raw:
                    localedata.merge(merged, {key: raw[key]})
            if key not in merged:
                raise KeyError(key)
            self[key] = merged[key]
            return merged[key]


def parent(name: str) -> str:
    """The locale ``name`` inherits from, as ``babel.localedata.load`` decides it."""
    found = get_global("parent_exceptions").get(name)
    if found:
        return str(found)
    if localedata._is_non_likely_script(name):  # CLDR 45's nonlikelyScript rule, Babel's own check
        return "root"
    return name.rsplit("_", 1)[0] if "_" in name else "root"


def tree(name: str) -> _Data:
    """``babel.localedata.load(name)`` with only ``EAGER_KEYS`` merged up front (built once, kept)."""
    found = _TREES.get(name)  # every read of a Locale's data asks: no lock once built
    if found is not None:
        return found
    with _LOCK:
        if name in _TREES:
            return _TREES[name]
        raw = {k: v for k, v in _raw(name).items() if k in EAGER_KEYS}
        if name == "root":
            data = raw
        else:
            data = {k: v for k, v in tree(parent(name)).items() if k in EAGER_KEYS}
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
