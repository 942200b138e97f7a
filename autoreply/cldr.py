"""CLDR locale data for the l10n filters, each part built when rendering first reads it.

Babel keeps every locale it loads whole (its cache holds each locale merged with its parents:
display names of every language, territory and script, unit and currency patterns, compact and
interval formats, time zone names …), ~0.5–1.2 MiB per locale; a daemon rendering 16 template
languages for buyers in many countries loads ~40 of them. ``attach(locale)`` gives a Babel
``Locale`` data merged the way ``babel.localedata.load`` merges it, key by key: the keys dates
and numbers read (``EAGER_KEYS``) at the locale's first use, any other key the first time
something asks for it. Every value Babel's formatting functions see is the one they would have
seen (checked against Babel's own data by tests/test_memory_tables.py).

CLDR's likely subtags and parent exceptions (language matching, a locale's parent) are read from
``data/cldr_tags.txt``, Babel's two tables written out once (``python -m autoreply.cldr >
autoreply/data/cldr_tags.txt``), kept as one string: Babel's ``get_global`` unpickles its whole
global data for them (~2 MiB of live objects: zone names, currencies, territory languages … the
daemon never reads), and as dicts of strings they alone would be ~1 MiB.
"""

from __future__ import annotations

import contextlib
import pickle
import threading
from functools import cache
from importlib import resources
from typing import Any

from babel import Locale, localedata
from babel.core import parse_locale

TAGS = "data/cldr_tags.txt"

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


@cache
def _tags() -> str:
    return resources.files("autoreply").joinpath(TAGS).read_text(encoding="utf-8")


def _tag(table: str, key: str) -> str | None:
    text = _tags()
    at = text.find(f"\n{table}\t{key}\t")
    if at < 0:
        return None
    start = at + len(table) + len(key) + 3
    return text[start:text.index("\n", start)]


def likely_subtags(tag: str) -> str | None:
    """CLDR's likely subtags of ``tag`` (``zh_TW`` → ``zh_Hant_TW``), Babel's
    ``get_global("likely_subtags").get(tag)``."""
    return _tag("likely", tag)


def parent_exception(name: str) -> str | None:
    """Babel's ``get_global("parent_exceptions").get(name)`` (``en_150`` → ``en_001``)."""
    return _tag("parent", name)


def tag_tables() -> str:
    """The shipped file's text, written from Babel's global data (``python -m autoreply.cldr``)."""
    from babel.core import get_global

    lines = ["# CLDR likely subtags and parent exceptions, from Babel's global data: python -m autoreply.cldr"]
    for table, key in (("likely", "likely_subtags"), ("parent", "parent_exceptions")):
        lines += [f"{table}\t{k}\t{v}" for k, v in sorted(get_global(key).items())]  # type: ignore[arg-type]
    return "\n".join(lines) + "\n"


def _non_likely_script(name: str) -> bool:
    """``babel.localedata._is_non_likely_script`` (CLDR 45's nonlikelyScript rule) over our table."""
    try:
        lang, territory, script, variant, *rest = parse_locale(name)
    except ValueError:
        return False
    if lang and script and not territory and not variant and not rest:
        likely = likely_subtags(lang)
        return likely is None or script != parse_locale(likely)[2]
    return False


def parent(name: str) -> str:
    """The locale ``name`` inherits from, as ``babel.localedata.load`` decides it."""
    found = parent_exception(name)
    if found:
        return found
    if _non_likely_script(name):
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


if __name__ == "__main__":
    print(tag_tables(), end="")
