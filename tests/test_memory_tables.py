"""The compact tables the daemon keeps instead of a library's full data answer exactly as that
library does (the memory work of issue 8, docs/PERFORMANCE_NOTES.md)."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import babel.localedata
import emoji
import hanzidentifier
import pytest
from babel import Locale
from babel.dates import format_datetime
from zhon import cedict

from autoreply import cldr, emojiscan
from autoreply.compliance.promises import babel_month_names, month_names
from autoreply.emojiscan import ZWJ
from autoreply.l10n import babel_locale
from autoreply.langdetect import han_variant

REPO = Path(__file__).resolve().parent.parent


def _reference_variant(text: str) -> str | None:
    kind = hanzidentifier.identify(text)
    return {hanzidentifier.TRADITIONAL: "Hant", hanzidentifier.SIMPLIFIED: "Hans"}.get(kind)


def _chinese_corpus() -> list[str]:
    """Every CC-CEDICT character alone, the shipped Chinese templates line by line, and 30,000
    deterministic texts mixing Simplified-only, Traditional-only and shared characters with
    kana, Latin letters, digits and punctuation."""
    every = sorted(cedict.all)
    simplified_only = sorted(set(cedict.all) - set(cedict.traditional))
    traditional_only = sorted(set(cedict.all) - set(cedict.simplified))
    shared = sorted(set(cedict.simplified) & set(cedict.traditional))
    other = list("abcXYZ 0123456789，。！？、「」:-ぁあアカ한글🙂")
    texts = list(every)
    for path in sorted((REPO / "templates").glob("*/zh*.j2")):
        texts += path.read_text(encoding="utf-8").splitlines()
    rng = random.Random(8)
    pools = [every, shared, simplified_only, traditional_only, other]
    for _ in range(30_000):
        weights = [rng.random() for _ in pools]
        length = rng.randint(1, 40)
        texts.append("".join(rng.choice(rng.choices(pools, weights)[0]) for _ in range(length)))
    for a in (simplified_only[:50], traditional_only[:50], shared[:50]):
        for b in (simplified_only[-50:], traditional_only[-50:], shared[-50:]):
            texts += [x + y for x, y in zip(a, b, strict=True)]
    return texts


def test_han_variant_answers_as_hanzidentifier_on_simplified_traditional_and_mixed_texts() -> None:
    """The Han variant (Hans / Hant / neither) of every text equals hanzidentifier's verdict."""
    corpus = _chinese_corpus()
    differing = [t for t in corpus if han_variant(t) != _reference_variant(t)]
    assert differing == []
    verdicts = {han_variant(t) for t in corpus}
    assert verdicts == {"Hans", "Hant", None}


@pytest.mark.parametrize(("text", "variant"), [
    ("请尽快发货，谢谢", "Hans"),
    ("請盡快發貨，謝謝", "Hant"),
    ("你好", None),           # shared characters read alike
    ("请發貨", None),          # mixed
    ("order 12345", None),
])
def test_han_variant_of_everyday_texts(text: str, variant: str | None) -> None:
    """Simplified text is Hans, Traditional text Hant, shared-only or mixed text neither."""
    assert han_variant(text) == variant


def test_shipped_month_names_are_babels() -> None:
    """data/month_names.json holds exactly Babel's month names of the promise languages
    (after a Babel upgrade: python -m autoreply.compliance.promises > autoreply/compliance/data/month_names.json)."""
    assert month_names() == babel_month_names()


def _same(a: Any, b: Any) -> bool:
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list | tuple):
        return len(a) == len(b) and all(map(_same, a, b))
    if hasattr(a, "__slots__"):  # babel.plural.PluralRule
        return all(_same(getattr(a, s, None), getattr(b, s, None)) for s in a.__slots__ if s != "_func")
    if hasattr(a, "__dict__"):  # babel.localedata.Alias
        return _same(vars(a), vars(b))
    return bool(a == b)


@pytest.mark.parametrize("name", [
    "root", "en", "en_US", "en_GB", "en_150", "en_SE", "es_419", "es_MX", "es_US", "pt_PT", "pt_BR",
    "zh", "zh_Hant", "zh_Hant_TW", "zh_Hant_HK", "zh_Hans_SG", "sr_Latn", "az_Cyrl", "hi_Latn",
    "ar_SA", "ar_AE", "he_IL", "uk_UA", "ja_JP", "ko_KR", "de_CH", "fr_CA", "nb_NO", "ca_ES_VALENCIA",
])
def test_lean_locale_data_equals_babels(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A locale's data holds Babel's values for every key, those read later merged as Babel merges them."""
    # both as freshly loaded: Babel's LocaleDataDict writes the nested dicts it wraps back into the
    # data it reads (its own cache, and ours), so a locale already rendered in this process differs
    monkeypatch.setattr(babel.localedata, "_cache", {})
    monkeypatch.setattr(cldr, "_TREES", {})
    full = babel.localedata.load(name)
    lean = cldr.tree(name)
    assert set(lean) == set(full) & cldr.EAGER_KEYS  # the rest is merged when first read
    assert all(_same(lean[key], full[key]) for key in full)


def test_rendering_in_a_locale_reads_the_same_data_as_babel() -> None:
    """Full date-times with zone names (a lazy key) format exactly as Babel formats them."""
    from datetime import UTC, datetime

    import pytz

    instant = datetime(2026, 11, 22, 18, 5, tzinfo=UTC)
    for tag, region in [("es", "US"), ("zh-Hant", "TW"), ("ar", "SA"), ("de", None), ("en", "SE")]:
        ours = babel_locale(tag, region=region)
        theirs = Locale.parse(str(ours))
        for zone in ("Asia/Shanghai", "America/Los_Angeles", "Europe/Kyiv"):
            for fmt in ("full", "long", "medium", "short", "EEEE d MMMM y HH:mm zzzz VVVV v"):
                assert format_datetime(instant, fmt, tzinfo=pytz.timezone(zone), locale=ours) == \
                    format_datetime(instant, fmt, tzinfo=pytz.timezone(zone), locale=theirs)


def test_shipped_emoji_table_is_the_emoji_packages() -> None:
    """data/emoji.json lists exactly the emoji package's emoji and components
    (after an emoji upgrade: python -m autoreply.emojiscan > autoreply/data/emoji.json)."""
    shipped = json.loads((REPO / "autoreply" / "data" / emojiscan.TABLE).read_text(encoding="utf-8"))
    reference = emojiscan.package_table()
    assert (shipped["emoji"], shipped["components"]) == (reference["emoji"], reference["components"])


def _emoji_corpus() -> list[str]:
    """Every emoji the package knows alone, between letters, doubled, joined by a ZWJ, cut short,
    with variation selectors; and 10,000 deterministic runs of emoji, parts of emoji, ZWJs,
    skin tones, variation selectors and letters."""
    keys = sorted(emoji.EMOJI_DATA)
    texts = []
    for k in keys:
        texts += [k, f"a{k}b", k + k, f"{k}{ZWJ}{k}", f"x {k}\ufe0f y", k + ZWJ, ZWJ + k, k[:-1], k[1:],
                  k + "\ufe0e"]
    parts = [*keys, ZWJ, "\ufe0f", "\ufe0e", " ", "a", "1", "\U0001f3fb", "\U0001f3fd", "\U0001f9b0",
             *(k[:2] for k in keys[::10])]
    rng = random.Random(8)
    texts += ["".join(rng.choice(parts) for _ in range(rng.randint(1, 8))) for _ in range(10_000)]
    return texts


def test_emoji_scan_answers_as_the_emoji_package_on_every_emoji_it_knows() -> None:
    """The emoji found (with spans), and the text with emoji replaced, equal the package's."""
    differing = []
    for text in _emoji_corpus():
        theirs = [(d["emoji"], d["match_start"], d["match_end"]) for d in emoji.emoji_list(text)]
        ours = [tuple(m) for m in emojiscan.emoji_list(text)]
        if ours != theirs or emojiscan.replace_emoji(text, " ") != emoji.replace_emoji(text, " "):
            differing.append(text)
    assert differing == []


def test_shipped_cldr_tags_are_babels() -> None:
    """data/cldr_tags.txt holds exactly Babel's likely subtags and parent exceptions
    (after a Babel upgrade: python -m autoreply.cldr > autoreply/data/cldr_tags.txt)."""
    assert (REPO / "autoreply" / cldr.TAGS).read_text(encoding="utf-8") == cldr.tag_tables()


def test_cldr_tag_look_ups_answer_as_babels_global_data() -> None:
    """Every likely subtag and parent exception, and keys Babel lacks, are answered as Babel does."""
    from babel.core import get_global

    likely, parents = get_global("likely_subtags"), get_global("parent_exceptions")
    for key in [*likely, "xx", "und_XX", "en_ZZ", "e", ""]:
        assert cldr.likely_subtags(key) == likely.get(key)
    for key in [*parents, "en", "en_US", "zh_Hant_TW", "root"]:
        assert cldr.parent_exception(key) == parents.get(key)


def test_locale_parents_are_babels_for_every_locale() -> None:
    """The parent of every locale Babel ships is the one babel.localedata.load merges from."""
    from babel.core import get_global

    def babels(name: str) -> str:
        found = get_global("parent_exceptions").get(name)
        if found:
            return str(found)
        if babel.localedata._is_non_likely_script(name):
            return "root"
        return name.rsplit("_", 1)[0] if "_" in name else "root"

    names = babel.localedata.locale_identifiers()
    assert len(names) > 700
    assert [cldr.parent(n) for n in names] == [babels(n) for n in names]


def test_iso_3166_2_rows_are_pycountrys_subdivisions() -> None:
    """Each country's subdivisions, read back from its one string, are pycountry's: code, name, parent."""
    import pycountry

    from autoreply.timezones import _subdivision_rows

    for country in pycountry.countries:
        expected = sorted((s.code.split("-", 1)[1], s.name, s.parent_code.split("-", 1)[1] if s.parent_code else None)
                          for s in pycountry.subdivisions.get(country_code=country.alpha_2) or ())
        assert sorted(_subdivision_rows(country.alpha_2)) == expected, country.alpha_2


def test_zone_rules_are_read_without_entering_pytz_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    """In low-memory mode comparing clocks reads each zone's rules apart (pytz keeps no zone for
    it), with the same offsets and transitions as pytz's own zone, for every zone."""
    import pytz

    from autoreply import timezones

    monkeypatch.setattr(timezones, "_ZONES_APART", True)
    signature = timezones.rules_signature.__wrapped__
    pytz._tzinfo_cache.pop("Pacific/Chatham", None)  # type: ignore[attr-defined]
    signature("Pacific/Chatham", 2026)
    assert "Pacific/Chatham" not in pytz._tzinfo_cache  # type: ignore[attr-defined]
    zones = sorted(pytz.all_timezones_set)
    apart = [signature(zone, year) for zone in zones for year in (2020, 2026)]
    monkeypatch.setattr(timezones, "_zone_rules", pytz.timezone)
    assert apart == [signature(zone, year) for zone in zones for year in (2020, 2026)]


def test_traditional_to_simplified_strings_answer_as_opencc_table_for_every_character() -> None:
    """The two aligned strings the normaliser keeps map every code point as OpenCC's table does."""
    from autoreply.compliance.normalize import _simplified, _traditional_to_simplified

    table = _traditional_to_simplified()
    for code in range(0x110000):
        if not 0xD800 <= code < 0xE000:
            c = chr(code)
            assert _simplified(c) == table.get(c, c)
