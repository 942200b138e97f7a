"""Term lists compiled into one Aho-Corasick automaton (ahocorasick-rs), matched on normalised text.

A term is written in plain words; ``stem*`` also matches longer words, ``*stem`` matches
compounds. Terms of alphabetic scripts match whole words only (so "star" is not found in
"starting" and "pix" not in "pixel"); Chinese, Japanese and Korean terms match anywhere.
Multi-word terms also match with their spaces left out ("westernunion"), the way they are
written to slip past a filter. Every group of every lexicon file shares ONE automaton, so a
message is scanned once whatever the number of terms.
"""

from __future__ import annotations

import re
from array import array
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

import ahocorasick_rs

from autoreply.compliance.linecache import remember
from autoreply.compliance.normalize import DIGIT_MASK, mask_digits, normalize_term

_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]")
_ARABIC = re.compile(r"[\u0600-\u06ff]")
CYRILLIC = re.compile(r"[\u0400-\u04ff]")


class Hit(NamedTuple):
    """One term found: its group, the term as written, and its span in the normalised text."""

    group: str
    term: str
    start: int
    end: int


class _Entry(NamedTuple):
    group: str
    term: str
    prefix_ok: bool  # letters may precede it (compound)
    suffix_ok: bool  # letters may follow it (stem)
    cjk: bool


def _word_char(c: str) -> bool:
    """A letter or digit of a script written with spaces (CJK characters are not word characters)."""
    if c.isascii():
        return c.isalnum()
    return c.isalnum() and not ("\u3040" <= c <= "\u30ff" or "\u3400" <= c <= "\u9fff"
                                or "\uac00" <= c <= "\ud7af" or "\uf900" <= c <= "\ufaff")



# ASCII digits stand for one character that is a word character too and in no term (DIGIT_MASK): a
# line's hits of the terms without a digit are the same whatever its digits are, so the lines of
# rendered messages that differ only in an order number, a date or an amount share their hits (find)
_DIGIT = re.compile(r"[0-9]")


class _WordChars(dict[str, bool]):
    """``_word_char`` of each character, computed once per character seen."""

    def __missing__(self, c: str) -> bool:
        self[c] = found = _word_char(c)
        return found


_WORD = _WordChars()
_UNSEEN: Any = object()  # a line not yet in a cache whose values can be None


class TermIndex:
    """Every group's terms in one automaton; :meth:`find` returns the hits in a text."""

    def __init__(self, groups: Mapping[str, Iterable[str]], lazy: Iterable[str] = ()) -> None:
        table: dict[str, list[_Entry]] = defaultdict(list)
        self.groups = set(groups)
        # groups a check asks about only in rare sentences (a messenger beside a device, "[Important]"):
        # their own automaton, run on a text only when asked (:meth:`find_lazy`), so that their everyday
        # words ("your", "please", "delivery") cost nothing on the other messages
        self.lazy_groups = frozenset(g for g in lazy if g in groups)
        self._lazy = TermIndex({g: groups[g] for g in self.lazy_groups}) if self.lazy_groups else None
        for group, terms in groups.items():
            if group in self.lazy_groups:
                continue
            for raw in terms:
                for key, entry in self._entries(group, raw):
                    if entry not in table[key]:
                        table[key].append(entry)
        # per key (by its index in the automaton), one int in an array: a key with one entry (most of
        # them) is ``4 × pair + 2 × needs no word character before + needs none after``, the pair's
        # group and term in two lists; a key with several entries is ``~row``, a row of ``_rows``:
        # does any entry need no word character before it / after it, and which (group, term) pairs
        # stand in each of the four cases (word character before × after, as index 2 × before + after).
        # (A row of tuples per key — 43,000 keys, ~8 MiB of small tuples — was the largest table
        # of the daemon; the engine holds two indexes.)
        self._groups: list[str] = []
        self._terms: list[str] = []
        self._rows: list[tuple[bool, bool, tuple[tuple[tuple[str, str], ...], ...]]] = []
        pair_index: dict[tuple[str, str], int] = {}
        shared: dict[Any, Any] = {}
        codes = []
        for key, entries in table.items():
            # (an edge is inside a word only when the key's own first / last character is a word character:
            # asked here once, so that _find looks at the text's character beyond the edge only)
            first_word, last_word = _word_char(key[0]), _word_char(key[-1])
            if len(entries) == 1:
                e = entries[0]
                pair = (e.group, e.term)
                i = pair_index.get(pair)
                if i is None:
                    i = pair_index[pair] = len(self._groups)
                    self._groups.append(e.group)
                    self._terms.append(e.term)
                codes.append(4 * i + 2 * (not e.cjk and not e.prefix_ok and first_word)
                             + (not e.cjk and not e.suffix_ok and last_word))
                continue
            strict = [(shared.setdefault((e.group, e.term), (e.group, e.term)),
                       not e.cjk and not e.prefix_ok, not e.cjk and not e.suffix_ok) for e in entries]
            cases = tuple(shared.setdefault(case, case) for case in (
                tuple(pair for pair, no_before, no_after in strict
                      if not ((before and no_before) or (after and no_after)))
                for before in (False, True) for after in (False, True)))
            row = (any(s[1] for s in strict) and first_word, any(s[2] for s in strict) and last_word,
                   shared.setdefault(cases, cases))
            codes.append(~len(self._rows))
            self._rows.append(row)
        self._table = array("i", codes)
        self._empty = not table
        self._automaton = None if self._empty else ahocorasick_rs.AhoCorasick(list(table))
        # the keys with an ASCII digit ("5 star", "7天无理由", "step 1") in an automaton of their own, run on
        # the lines that hold a digit; every other key is found on the line with its digits masked
        keys = list(table)
        digit_keys = [i for i, key in enumerate(keys) if _DIGIT.search(key)]
        self._masked = not any(DIGIT_MASK in key for key in keys)
        self._digit_automaton = ahocorasick_rs.AhoCorasick([keys[i] for i in digit_keys]) if digit_keys else None
        self._digit_table = array("i", [self._table[i] for i in digit_keys])
        # No term holds a line break and a line break is no word character, so a text's hits
        # are its lines' hits, shifted; template lines repeat, so each line's hits are kept.
        self._by_line = not any("\n" in key for key in table)
        self._lines: dict[str, list[Hit]] = {}
        # each masked line's hits by group, as Scan keeps them (find_grouped); None: a line with a hit of a
        # cyrillic_only term, which Scan checks against the original text
        self._grouped: dict[str, tuple[tuple[str, tuple[Hit, ...]], ...] | None] = {}
        # a group X_not drops the hits of X it overlaps (Scan); grouped line by line unless one is itself an X_not
        self._nots = {g[:-4]: g for g in groups if g.endswith("_not")}
        self._groupable = not any(base.endswith("_not") for base in self._nots)
        # Cyrillic terms made only of Latin lookalikes ("не" → "he", "нет" → "het", "но" → "ho", "нам" → "ham"):
        # their normalised form is a Latin word too, so a hit counts only where the original has Cyrillic
        # letters (``Scan`` checks: Spanish "he enviado" is no Russian negation)
        self.cyrillic_only = frozenset(
            raw for terms in groups.values() for raw in terms
            if CYRILLIC.search(raw) and normalize_term(raw.strip().strip("*")).isascii())

    @staticmethod
    def _entries(group: str, raw: str) -> list[tuple[str, _Entry]]:
        text = raw.strip()
        prefix_ok = text.startswith("*") and len(text) > 1
        suffix_ok = text.endswith("*") and len(text) > 1
        text = text.strip("*") if (prefix_ok or suffix_ok) else text
        key = normalize_term(text).strip()
        if not key:
            return []
        cjk = bool(_CJK.search(key))
        if _ARABIC.search(key) and len(key) >= 4:  # clitics: بـ / و / ال before, pronouns after
            prefix_ok = suffix_ok = True
        entry = _Entry(group, raw, prefix_ok, suffix_ok, cjk)
        out = [(key, entry)]
        if " " in key and not cjk:
            out.append((key.replace(" ", ""), entry))
        if "-" in key:
            out.append((key.replace("-", " "), entry))
            out.append((key.replace("-", ""), entry))
        return out

    def find(self, text: str, masked: str | None = None) -> list[Hit]:
        """Every hit in ``text`` (already normalised), in order of position (``masked``: the text
        through :func:`mask_digits`, when the caller has it).

        Each line's hits are kept by the line with its digits masked: a match of a key without a
        digit covers no digit (and no mask, which no key holds), and a digit and the mask are both
        word characters at its edges, so that key's hits are the same on both lines; the keys with a
        digit match nothing on the masked line and are found on the line itself by their own automaton."""
        if self._automaton is None or not text:
            return []
        if not self._by_line:
            return self._find(text)
        if self._masked:
            return self._find_masked(text, masked if masked is not None else mask_digits(text))
        if "\n" not in text:
            return self._find(text)
        hits: list[Hit] = []
        offset = 0
        new = tuple.__new__
        kept = self._lines
        for line in text.split("\n"):
            found = kept.get(line)
            if found is None:
                found = remember(kept, line, self._find(line))
            if offset:
                hits.extend([new(Hit, (g, t, a + offset, b + offset)) for g, t, a, b in found])
            else:
                hits.extend(found)
            offset += len(line) + 1
        return hits

    def _find_masked(self, text: str, masked: str) -> list[Hit]:
        hits: list[Hit] = []
        offset = 0
        new = tuple.__new__
        kept = self._lines
        for key in masked.split("\n") if "\n" in masked else (masked,):
            found = kept.get(key)
            if found is None:
                found = remember(kept, key, self._find(key))
            if found:
                if offset:
                    hits.extend([new(Hit, (g, t, a + offset, b + offset)) for g, t, a, b in found])
                else:
                    hits.extend(found)
            offset += len(key) + 1
        # the keys with a digit, over the whole text at once (no key holds a line break, and a line
        # break is no word character, as the text's edges are not)
        if self._digit_automaton is not None and masked != text:
            extra = self._find(text, self._digit_automaton, self._digit_table)
            if extra:
                hits += extra
                hits.sort(key=_position)
        return hits

    def find_grouped(self, text: str, masked: str) -> dict[str, list[Hit]] | None:
        """What ``Scan.of`` makes of :meth:`find`'s hits in ``text`` (its ``masked`` form given): the hits by
        group (a dict whose keys are the groups with a hit, in order of their first hit; each group's hits in
        order of position), a group ``X``'s hits that overlap one of ``X_not`` dropped. No hit spans a line
        break, so two hits overlap on one line only, and each masked line's groups are kept. ``None`` where
        the caller must group :meth:`find`'s hits itself: a hit of a key with a digit in the text, a hit of a
        ``cyrillic_only`` term (checked against the original text), or no line cache."""
        if self._automaton is None or not text or not self._masked or not self._by_line or not self._groupable:
            return None
        if self._digit_automaton is not None and masked != text \
                and self._find(text, self._digit_automaton, self._digit_table):
            return None
        out: dict[str, list[Hit]] = defaultdict(list)
        offset = 0
        new = tuple.__new__
        kept, kept_hits = self._grouped, self._lines
        for key in masked.split("\n") if "\n" in masked else (masked,):
            grouped = kept.get(key, _UNSEEN)
            if grouped is _UNSEEN:
                found = kept_hits.get(key)
                if found is None:
                    found = remember(kept_hits, key, self._find(key))
                grouped = remember(kept, key, self._group(found))
            if grouped is None:
                return None
            for group, line_hits in grouped:
                if offset:
                    out[group].extend([new(Hit, (g, t, a + offset, b + offset)) for g, t, a, b in line_hits])
                else:
                    out[group].extend(line_hits)
            offset += len(key) + 1
        return out

    def _group(self, found: list[Hit]) -> tuple[tuple[str, tuple[Hit, ...]], ...] | None:
        """One line's hits by group (see :meth:`find_grouped`), or ``None`` when one is a ``cyrillic_only`` term's."""
        by: dict[str, list[Hit]] = {}
        guarded = self.cyrillic_only
        for hit in found:
            if hit.term in guarded:
                return None
            by.setdefault(hit.group, []).append(hit)
        nots = self._nots
        for base, group in nots.items():
            if base in by and group in by:
                others = by[group]
                by[base] = [h for h in by[base] if not any(o.start < h.end and h.start < o.end for o in others)]
        return tuple((group, tuple(line_hits)) for group, line_hits in by.items())

    def lazy_digit_key_in(self, text: str) -> bool:
        """Does a lazy group's key with an ASCII digit ("4回目のご連絡", "go 10x") stand in ``text`` (normalised)?
        Every other lazy key is found alike in the text and in it with its digits masked."""
        lazy = self._lazy
        return lazy is not None and lazy._digit_automaton is not None \
            and bool(lazy._find(text, lazy._digit_automaton, lazy._digit_table))

    def find_lazy(self, text: str) -> list[Hit]:
        """Every hit of the lazy groups in ``text`` (already normalised), in order of position."""
        return self._lazy._find(text) if self._lazy is not None else []

    def _find(self, text: str, automaton: Any = None, table: array | None = None) -> list[Hit]:
        """The hits of ``automaton`` (all keys by default) with its codes ``table`` in ``text``."""
        if automaton is None:
            automaton, table = self._automaton, self._table
        if automaton is None or table is None or not text:
            return []
        hits: list[Hit] = []
        n = len(text)
        word = _WORD
        new = tuple.__new__
        append = hits.append
        groups, terms = self._groups, self._terms
        for key, start, end in automaton.find_matches_as_indexes(text, overlapping=True):
            code = table[key]
            if code >= 0:
                # one entry: a word character on both sides of an edge it must not share (the term is inside a
                # longer word; the key's side is in its flags) drops it
                if (code & 2 and start > 0 and word[text[start - 1]]) or (code & 1 and end < n and word[text[end]]):
                    continue
                code >>= 2
                append(new(Hit, (groups[code], terms[code], start, end)))
                continue
            strict_before, strict_after, cases = self._rows[~code]
            # a word character on both sides of an edge: the term is inside a longer word (the key's side: its row)
            before = strict_before and start > 0 and word[text[start - 1]]
            after = strict_after and end < n and word[text[end]]
            for group, term in cases[2 * before + after]:
                append(new(Hit, (group, term, start, end)))
        hits.sort(key=_position)
        return hits


def _position(hit: Hit) -> tuple[int, int]:
    return hit[2], -hit[3]
