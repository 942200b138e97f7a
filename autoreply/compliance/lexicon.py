"""The shipped term lists: ``packs/lexicon/*.toml``, one file per category, one list per language.

Each top-level table of a file is a term group (``review``, ``confirm_done`` …) with an
``about`` line, a ``source`` and one list of terms per language code (``en es fr de pt ru it pl
nl tr ja ko zh ar``, plus ``any`` for symbols and brand names). The checks never look at the
language: a message is matched against every language at once (buyers and sellers mix them,
and detecting the language of a two-word message is guesswork), so the languages are there to
keep the lists reviewable — a reviewer can see at a glance which categories are thin in which
language (``coverage()``, printed by ``bench/compliance_bench.py --coverage``).

``numbers.toml`` is not a term file: it holds the digit words the phone check reads.
Every file is validated completely at load; a problem names file, line and key path.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from autoreply.errors import ConfigError, Problem
from autoreply.tomlfile import load_toml

LEXICON_DIR = Path(__file__).parent / "packs" / "lexicon"
LANGUAGES = ("en", "es", "fr", "de", "pt", "ru", "it", "pl", "nl", "tr", "ja", "ko", "zh", "ar")
_META = ("about", "source")
NUMBERS_FILE = "numbers.toml"


@dataclass(frozen=True)
class Group:
    """One term group: what it is for, where it comes from, its terms per language."""

    name: str
    file: str
    about: str
    source: str
    terms: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def all_terms(self) -> list[str]:
        seen: dict[str, None] = {}
        for terms in self.terms.values():
            for t in terms:
                seen.setdefault(t, None)
        return list(seen)


@dataclass(frozen=True)
class Numbers:
    """Digit words per language (index = the digit), two-digit words, CJK digit characters."""

    digits: dict[str, tuple[tuple[str, ...], ...]]
    tens: dict[str, tuple[str, ...]]
    hundreds: dict[str, tuple[str, ...]]
    cjk: dict[str, tuple[tuple[str, ...], ...]]


def _load_group_file(path: Path, groups: dict[str, Group], problems: list[Problem]) -> None:
    doc = load_toml(path, what="lexicon")
    for name, table in doc.data.items():
        where: tuple[str | int, ...] = (name,)
        if not isinstance(table, dict):
            problems.append(doc.problem(where, "each top-level entry is a table: [group]"))
            continue
        if name in groups:
            problems.append(
                doc.problem(where, f"group {name!r} is already defined in {groups[name].file}")
            )
            continue
        for key in _META:
            if not isinstance(table.get(key), str) or not table[key].strip():
                problems.append(doc.problem(where, f"a group needs {key!r} (a non-empty string)"))
        terms: dict[str, tuple[str, ...]] = {}
        for lang, value in table.items():
            if lang in _META:
                continue
            if lang not in LANGUAGES and lang != "any":
                problems.append(
                    doc.problem(
                        (*where, lang),
                        f"unknown language {lang!r} (known: any, {', '.join(LANGUAGES)})",
                    )
                )
                continue
            if not isinstance(value, list) or not all(
                isinstance(t, str) and t.strip() for t in value
            ):
                problems.append(doc.problem((*where, lang), "must be a list of non-empty strings"))
                continue
            terms[lang] = tuple(value)
        if not terms:
            problems.append(doc.problem(where, "a group needs at least one language list"))
        groups[name] = Group(
            name, path.name, str(table.get("about", "")), str(table.get("source", "")), terms
        )


@lru_cache(maxsize=1)
def shipped_groups() -> dict[str, Group]:
    """Every term group of the shipped lexicon files, validated."""
    groups: dict[str, Group] = {}
    problems: list[Problem] = []
    for path in sorted(LEXICON_DIR.glob("*.toml")):
        if path.name != NUMBERS_FILE:
            _load_group_file(path, groups, problems)
    if problems:
        raise ConfigError(problems)
    return groups


def term_groups() -> dict[str, list[str]]:
    """Group name → every term (all languages), the shape :class:`TermIndex` takes."""
    return {name: group.all_terms() for name, group in shipped_groups().items()}


@lru_cache(maxsize=1)
def numbers() -> Numbers:
    """The digit words of ``numbers.toml``."""
    path = LEXICON_DIR / NUMBERS_FILE
    doc = load_toml(path, what="lexicon")
    problems: list[Problem] = []

    def table(name: str) -> dict[str, list[str]]:
        value = doc.data.get(name)
        if not isinstance(value, dict):
            problems.append(doc.problem((name,), "missing table"))
            return {}
        out = {}
        for lang, words in value.items():
            if lang == "source":
                continue
            if lang not in LANGUAGES:
                problems.append(doc.problem((name, lang), f"unknown language {lang!r}"))
            elif not isinstance(words, list) or not all(isinstance(w, str) and w for w in words):
                problems.append(doc.problem((name, lang), "must be a list of non-empty strings"))
            else:
                out[lang] = words
        return out

    digits = table("digits")
    tens = table("tens")
    hundreds = table("hundreds")
    cjk = table("cjk_digits")
    for name, data in (("digits", digits), ("cjk_digits", cjk)):
        for lang, words in data.items():
            if len(words) != 10:
                problems.append(doc.problem((name, lang), "needs ten entries, for 0 to 9"))
    if problems:
        raise ConfigError(problems)
    return Numbers(
        {lang: tuple(tuple(w.split("|")) for w in words) for lang, words in digits.items()},
        {lang: tuple(words) for lang, words in tens.items()},
        {lang: tuple(words) for lang, words in hundreds.items()},
        {lang: tuple(tuple(w.split("|")) for w in words) for lang, words in cjk.items()},
    )


def coverage() -> list[tuple[str, str, dict[str, int]]]:
    """(file, group, terms per language) for every group: where the lists are thin."""
    return [
        (
            g.file,
            g.name,
            {lang: len(g.terms.get(lang, ())) + len(g.terms.get("any", ())) for lang in LANGUAGES},
        )
        for g in shipped_groups().values()
    ]
