"""The normalised copy of a message that the checks match on, with a map back to the original.

Obfuscation is undone before matching — and every finding still reports its span on the
ORIGINAL text, because the seller has to see which characters were the problem:

* Unicode compatibility forms (NFKC): fullwidth ``ｗｈａｔｓａｐｐ``, mathematical
  alphanumerics ``𝐰𝐡𝐚𝐭𝐬𝐚𝐩𝐩``, circled ``ⓦⓗⓐⓣⓢ``, superscripts;
* Traditional Chinese folded to Simplified, one character to one (OpenCC's character
  table): ``賴ID``, ``匯款``, ``已出貨`` meet the same terms as ``赖id``, ``汇款``, ``已出货`` —
  Taiwan and Hong Kong buyers write Traditional, and every Chinese term list is Simplified;
* case folding; combining marks (accents, "Zalgo" strokes) and invisible characters
  (zero-width spaces and joiners, soft hyphens, bidi marks, variation selectors) removed;
* confusable homoglyphs folded to Latin: Cyrillic and Greek lookalikes, small capitals;
* letters spaced out with one repeated separator collapsed: ``w.h.a.t.s.a.p.p``,
  ``p a y p a l``, ``w-e-c-h-a-t`` (three or more single letters in a row), and spaces
  inside Chinese/Japanese text dropped (``微 信``, ``加 V 信``);
* a second, "leet" view where digits and ``@``/``$`` inside words become letters
  (``wh4tsapp``, ``p@ypal``, ``r3view``), only in tokens that are mostly letters — order
  numbers, tracking numbers and SKUs are left alone.

Speed: every character is classified once (then cached) into a ``str.translate`` table; a
text whose characters all fold one-to-one is folded by one ``translate`` call and keeps the
identity offset map (two ``range`` objects, nothing allocated per character). Only texts
with characters that vanish or expand (``ß``, ``ﬁ``, ``★``, zero-width spaces, ``\\r``) or
with spaced-out letters take the per-character path.

:func:`normalize` returns a :class:`Normalized` whose ``starts``/``ends`` give, for every
character of the normalised text, the original span it came from.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources

from autoreply.compliance.linecache import any_line_matches, remember

# Cyrillic / Greek / other lookalikes → Latin. Applied after case folding.
_CONFUSABLES = {
    # Cyrillic
    "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p",
    "с": "c", "т": "t", "у": "y", "х": "x", "ѕ": "s", "і": "i", "ї": "i", "ј": "j", "ԁ": "d",
    "һ": "h", "ԛ": "q", "ԝ": "w", "ɡ": "g", "ӏ": "l",
    # Greek
    "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p",
    "τ": "t", "υ": "u", "χ": "x", "ω": "w", "γ": "y", "μ": "u", "ϲ": "c",
    # small capitals and other Latin lookalikes (IPA, letterlike symbols)
    "ᴀ": "a", "ʙ": "b", "ᴄ": "c", "ᴅ": "d", "ᴇ": "e", "ꜰ": "f", "ɢ": "g", "ʜ": "h", "ɪ": "i",
    "ᴊ": "j", "ᴋ": "k", "ʟ": "l", "ᴍ": "m", "ɴ": "n", "ᴏ": "o", "ᴘ": "p", "ʀ": "r", "ꜱ": "s",
    "ᴛ": "t", "ᴜ": "u", "ᴠ": "v", "ᴡ": "w", "ʏ": "y", "ᴢ": "z", "ı": "i", "ɑ": "a",
    "ɩ": "i", "ℓ": "l", "ꞵ": "b", "ł": "l", "ø": "o", "đ": "d", "ħ": "h",
    # Cherokee capitals that look like Latin letters ("Ꮃhatsapp"; case folding maps the small letters to these)
    "Ꭺ": "a", "Ᏼ": "b", "Ꮯ": "c", "Ꭰ": "d", "Ꭼ": "e", "Ꮐ": "g", "Ꮋ": "h", "Ꮒ": "h", "Ꭵ": "i", "Ꭻ": "j",
    "Ꮶ": "k", "Ꮮ": "l", "Ꮇ": "m", "Ꮲ": "p", "Ꭱ": "r", "Ꮪ": "s", "Ꭲ": "t", "Ꮩ": "v", "Ꮃ": "w", "Ꮤ": "w",
    "Ꭹ": "y", "Ꮓ": "z",
    # Lisu letters (Latin capitals' look-alikes), Armenian small letters, the lunate sigma (Ϲ, ϲ fold to σ)
    "ꓮ": "a", "ꓐ": "b", "ꓚ": "c", "ꓓ": "d", "ꓰ": "e", "ꓝ": "f", "ꓖ": "g", "ꓧ": "h", "ꓲ": "i", "ꓙ": "j",
    "ꓗ": "k", "ꓡ": "l", "ꓟ": "m", "ꓠ": "n", "ꓳ": "o", "ꓑ": "p", "ꓣ": "r", "ꓢ": "s", "ꓔ": "t", "ꓴ": "u",
    "ꓦ": "v", "ꓪ": "w", "ꓫ": "x", "ꓬ": "y", "ꓜ": "z", "օ": "o", "ս": "u", "հ": "h", "ո": "n", "ց": "g",
    "σ": "c",
}


def _traditional_to_simplified() -> dict[str, str]:
    """Traditional → Simplified, one character to one, from OpenCC's tables (the package
    ``opencc-python-reimplemented`` ships them): ``TSCharacters`` plus the Taiwan and Hong Kong
    variant forms (``TWVariantsRev``, ``HKVariantsRev``). A character that is also a standard
    Simplified character (乾, 於, 瞭) is kept. 帐 and 账 (account) are one: Taiwan writes 帳戶."""
    folder = resources.files("opencc") / "dictionary"

    def pairs(name: str) -> list[tuple[str, list[str]]]:
        out = []
        for line in (folder / name).read_text(encoding="utf-8").splitlines():
            key, _, values = line.partition("\t")
            if len(key) == 1 and values:
                out.append((key, values.split()))
        return out

    table: dict[str, str] = {}
    for key, values in pairs("TSCharacters.txt"):
        if key not in values and len(values[0]) == 1:
            table[key] = values[0]
    for name in ("TWVariantsRev.txt", "HKVariantsRev.txt"):
        for key, values in pairs(name):
            standard = values[0]
            target = table.get(standard, standard)
            if key != target and len(target) == 1:
                table.setdefault(key, target)
    table["帐"] = "账"
    for key, value in list(table.items()):
        if value == "帐":
            table[key] = "账"
    return table


def _t2s_strings() -> tuple[str, str]:
    """The Traditional → Simplified table as two aligned strings, its characters and theirs: it is
    asked only for a character first seen (:func:`_fold_char`, via :func:`_learn`), and a dict of
    4,112 one-character strings took ~0.7 MiB for the process's life."""
    table = _traditional_to_simplified()
    if any(len(value) != 1 for value in table.values()):
        raise ValueError("Traditional → Simplified: one character to one")
    return "".join(table), "".join(table.values())


_T2S_FROM, _T2S_TO = _t2s_strings()


def _simplified(c: str) -> str:
    """The Simplified form of the one character ``c`` (itself when it has none)."""
    i = _T2S_FROM.find(c)
    return _T2S_TO[i] if i >= 0 else c
# pictographs that stand for a word in a review request ("5★", "⭐⭐⭐⭐⭐")
_SYMBOL_WORDS = {"★": " star", "☆": " star", "⭐": " star", "✩": " star", "✪": " star", "🌟": " star"}
# round 20b: the Arabic tatweel only stretches a word ("واتـسـاب" is "واتساب"); a heavy plus sign is a plus ("➕V")
_SYMBOL_FOLD = {"\u0640": "", "\u2795": "+"}
# hearts stand for 信 in "威❤" / "V❤" (WeChat); they are kept, as one character
_KEEP = frozenset("❤♥")
_LEET = {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "@": "a", "$": "s",
         "!": "i", "|": "l"}
# Characters that separate spaced-out letters ("w.h.a.t.s", "p a y p a l").
_SEPARATORS = frozenset(" .-_*·•|/+~,:'\u00a0")
_SPACES = frozenset("\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000")
# Scripts written without spaces: their letters are never "spaced out", and a space between
# two of them carries nothing. (Korean uses spaces; its syllables count as letters.)
_CJK_CLASS = r"\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff"
#: the same with Hangul: the scripts written without spaces between words (scan.py's sentence ends too)
CJK_HANGUL_CLASS = _CJK_CLASS + r"\uac00-\ud7af"
_CJK = re.compile(f"[{_CJK_CLASS}]")
# Scripts whose characters keep their marks (kana voicing, Hangul jamo)
_NO_STRIP = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]")


@dataclass(frozen=True)
class Normalized:
    """A normalised text and, for each of its characters, the original span it came from."""

    original: str
    text: str
    starts: Sequence[int]
    ends: Sequence[int]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original span of normalised ``[start, end)``."""
        if not self.text:
            return 0, 0
        end = max(end, start + 1)
        start = min(max(start, 0), len(self.text) - 1)
        end = min(end, len(self.text))
        a, b = self.starts[start], self.ends[end - 1]
        # marks that decorated the last character belong to it ("p̵")
        original = self.original
        while b < len(original) and unicodedata.category(original[b]) in ("Mn", "Me"):
            b += 1
        return a, b

    def excerpt(self, start: int, end: int) -> str:
        a, b = self.span(start, end)
        return self.original[a:b]


def _fold_char(ch: str) -> str:
    """One original character → its normalised form ('' when it is dropped)."""
    if ch.isascii():
        if ch == "\r":
            return ""
        return ch.lower()
    if ch in _SYMBOL_WORDS:
        return _SYMBOL_WORDS[ch]
    if ch in _KEEP:
        return ch
    if ch in _SYMBOL_FOLD:
        return _SYMBOL_FOLD[ch]
    cat = unicodedata.category(ch)
    if cat in ("Cf", "Mn", "Me", "Cc"):
        return ""
    if ch in "\u2028\u2029":
        return "\n"
    out = unicodedata.normalize("NFKC", ch).casefold()
    folded = []
    for c in out:
        c = _CONFUSABLES.get(c, c)
        c = _simplified(c)
        if ord(c) > 0x7F and not _NO_STRIP.match(c):
            # strip accents of alphabetic scripts (é → e, й → и), never of kana or Hangul
            base = "".join(x for x in unicodedata.normalize("NFD", c) if not unicodedata.combining(x))
            c = _CONFUSABLES.get(base, base) if base else c
        if unicodedata.category(c) in ("Mn", "Me", "Cf"):
            continue
        if c in _SPACES:
            c = " "
        folded.append(c)
    return "".join(folded)


# The translate table and the characters that do not fold one-to-one, filled as characters
# are first seen (a process sees a few thousand distinct characters at most).
_TABLE: dict[int, str] = {}
_KNOWN: set[str] = set()
_IRREGULAR: set[str] = set()
_FOLDS: dict[str, str] = {}  # the characters _TABLE changes, by character
_FOLDING: set[str] = set()  # and as a set, to intersect with a text's characters


def _learn(chars: set[str]) -> None:
    for ch in chars - _KNOWN:
        folded = _fold_char(ch)
        if folded != ch:
            _TABLE[ord(ch)] = folded
            _FOLDS[ch] = folded
            _FOLDING.add(ch)
        if len(folded) != 1:
            _IRREGULAR.add(ch)
        _KNOWN.add(ch)


_ASCII_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


# A character folds the same wherever it stands, so a text folds line by line; the lines of
# rendered templates repeat from message to message, so each line's fold is kept (bounded).
# A line with ASCII digits (an order number, a date) is kept by its digits masked (mask_digits)
# and only whether it folds: a digit folds to itself, and so does DIGIT_MASK, so the masked
# line folds one for one exactly when the line does, with the same characters to replace.
_LINES: dict[str, str | None] = {}
# masked line → how it folds: the (character, folded) pairs to replace, _TRANSLATE when only translate folds
# it (a folded character folds again), ``None`` when it does not fold one for one
_MASKED_LINES: dict[str, tuple[tuple[str, str], ...] | None] = {}
_TRANSLATE: tuple[tuple[str, str], ...] = (("\n", "\n"),)  # (no line holds a line break: no real pair)
_UNKEPT: tuple[tuple[str, str], ...] = (("\n", ""),)


def _fold_line(line: str) -> str | None:
    """``line`` folded, or ``None`` when one of its characters does not fold one for one."""
    chars = set(line)
    if not chars <= _KNOWN:
        _learn(chars)
    if not chars.isdisjoint(_IRREGULAR):
        return None
    # replace the few characters that fold (faster than translate, which looks up every
    # character) unless a folded character would fold again
    folded = line
    for ch in chars & _FOLDING:
        into = _FOLDS[ch]
        if into in _FOLDING:
            return line.translate(_TABLE)
        folded = folded.replace(ch, into)
    return folded


def _folds(masked: str) -> tuple[tuple[str, str], ...] | None:
    """How ``masked`` (a line with its digits masked) folds: the characters to replace and what each
    becomes (``()``: it does not change), ``_TRANSLATE`` when a folded character would fold again (translate
    then), ``None`` when it does not fold one for one. A digit folds to itself and so does the mask, so
    the line itself folds by the same pairs (``str.replace``: faster than translate's look-up of every
    character)."""
    folded = _fold_line(masked)
    if folded is None:
        return None
    pairs = tuple((ch, _FOLDS[ch]) for ch in set(masked) & _FOLDING)
    return _TRANSLATE if any(into in _FOLDING for _ch, into in pairs) else pairs


def _fold(text: str) -> tuple[str, list[int] | None, list[int] | None]:
    """The folded text, and its offset map — ``None`` when it is the identity."""
    if text.isascii() and "\r" not in text:  # the common case: one C call
        return text.lower(), None, None
    lines: list[str] = []
    kept, kept_masked = _LINES, _MASKED_LINES
    for line, key in zip(text.split("\n"), mask_digits(text).split("\n"), strict=True):
        if key == line:  # no digit
            folded_line = kept.get(line, "\n")  # "\n": not kept (no line holds one)
            if folded_line == "\n":
                folded_line = remember(kept, line, _fold_line(line))
            if folded_line is None:
                break
        else:
            folds = kept_masked.get(key, _UNKEPT)
            if folds is _UNKEPT:
                folds = remember(kept_masked, key, _folds(key))
            if folds is None:
                break
            if folds is _TRANSLATE:
                folded_line = line.translate(_TABLE)
            else:
                folded_line = line
                for ch, into in folds:
                    folded_line = folded_line.replace(ch, into)
        lines.append(folded_line)
    else:
        if ord("\n") not in _TABLE:
            return "\n".join(lines), None, None
    chars = set(text)
    if not chars <= _KNOWN:
        _learn(chars)
    # the characters that do not fold one for one, in order; between them, runs that do
    odd = sorted(i for ch in chars & _IRREGULAR for i in _positions(text, ch))
    pieces: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    table = _TABLE
    done = 0
    for i in odd:
        if done < i:
            pieces.append(text[done:i].translate(table))
            starts.extend(range(done, i))
            ends.extend(range(done + 1, i + 1))
        folded = table.get(ord(text[i]), text[i])
        if folded:
            pieces.append(folded)
            n = len(folded)
            starts.extend([i] * n)
            ends.extend([i + 1] * n)
        done = i + 1
    if done < len(text):
        pieces.append(text[done:].translate(table))
        starts.extend(range(done, len(text)))
        ends.extend(range(done + 1, len(text) + 1))
    return "".join(pieces), starts, ends


def _positions(text: str, ch: str) -> list[int]:
    """Every index of the character ``ch`` in ``text``."""
    out = []
    i = text.find(ch)
    while i >= 0:
        out.append(i)
        i = text.find(ch, i + 1)
    return out


# (round 20a: an emoji or pictograph repeated between the letters separates them too — "W💬e💬C💬h💬a💬t")
# (round 20b: a run of Latin or Cyrillic letters may stand against CJK or Hangul text — "詳しくはL I N Eで",
# "W h a t s A p p로" —: a particle glued to it is no letter of the run; a digit there stays as it was: "1.5 x 2米")
_PICTO_CLASS = "\u2600-\u27bf\U0001f300-\U0001faff"
_PICTOGRAPH = re.compile(f"[{_PICTO_CLASS}]")
_NOSPACE_SCRIPT = CJK_HANGUL_CLASS
_SPACED_RUN = re.compile(rf"(?:(?<![^\W_])|(?<=[{_NOSPACE_SCRIPT}])(?=[^\W\d_{_NOSPACE_SCRIPT}]))[^\W_]"
                         rf"(?:([ .\-_*·•|/+~,:'\u00a0{_PICTO_CLASS}]{{1,3}})"
                         rf"[^\W_]\1|([{_PICTO_CLASS}])[^\W_][{_PICTO_CLASS}])"
                         rf"[^\W_](?:(?![^\W_])|(?<=[^\W\d_{_NOSPACE_SCRIPT}])(?=[{_NOSPACE_SCRIPT}]))")
_NOSPACE_CHAR = re.compile(f"[{_NOSPACE_SCRIPT}]")
# a space inside Chinese/Japanese text, or between a CJK character and a lone Latin letter
# (the space or hyphen first, its context in lookarounds: re skips to a candidate)
_CJK_SPACE = re.compile(
    rf" (?:(?<=[{_CJK_CLASS}] )|(?<=[\s{_CJK_CLASS}][a-z] )|(?<=^[a-z] ))"
    rf"(?=[{_CJK_CLASS}]|[a-z](?:[\s{_CJK_CLASS}]|$))")
# a hyphen inside a word is dropped ("whats-app"), not before the clitic pronoun of an imperative
# ("laissez-nous un avis", "dites-le": the verb must stay a word)
_HYPHEN_IN_WORD = re.compile(r"-(?<=[^\W\d_]-)(?!(?:nous|vous|moi|toi|lui|leur|les|la|le|en|y|ci|je|tu|il|elle|"
                             r"ils|elles|on)(?![^\W\d_]))(?=[^\W\d_])")


def _is_letter(c: str) -> bool:
    return c.isalpha() and not _CJK.match(c)


def _spaced_drops(chars: str) -> set[int]:
    """Positions of the separators of runs like ``w.h.a.t.s`` / ``p a y p a l``."""
    drop: set[int] = set()
    seen: dict[int, str] = {}  # the letters of the runs read so far, with their separator: a run is read once
    n = len(chars)
    for m in _SPACED_RUN.finditer(chars):
        i = m.start()
        sep = m.group(1) or m.group(2)
        if i in drop or seen.get(i) == sep:
            continue
        letters = [i]
        seps: list[int] = []
        pos = i
        while True:
            nxt = pos + 1
            if chars[nxt:nxt + len(sep)] != sep and not (len(sep) == 1 and _PICTOGRAPH.match(sep)
                                                         and _PICTOGRAPH.match(chars, nxt)):
                break  # (an emoji separates like any other emoji: "W🌸e🌼C🌺h🌻a🌷t")
            cand = nxt + len(sep)
            if cand >= n or not chars[cand].isalnum() or _CJK.match(chars[cand]):
                break
            if cand + 1 < n and chars[cand + 1].isalnum() and not (
                    _NOSPACE_CHAR.match(chars[cand + 1]) and chars[cand].isalpha()
                    and not _NOSPACE_CHAR.match(chars[cand])):
                break  # the next token is a whole word: the run ends before it (not a particle: "L I N Eで")
            seps.extend(range(nxt, cand))
            letters.append(cand)
            pos = cand
        seen.update(dict.fromkeys(letters, sep))
        if len(letters) >= 3 and (_is_letter(chars[i]) or chars[i].isdigit()):
            drop.update(seps if all(chars[k].isdigit() for k in letters) or all(
                not chars[k].isdigit() for k in letters) else _word_kept(chars, letters, seps))
            # "W-e-s-t-e-r-n  U-n-i-o-n", "K e e p  the": the wider gap after a run is the word break — one space
            gap = pos + 1
            while gap < n and gap - pos <= 3 and chars[gap] in " \u00a0":
                gap += 1
            if gap - pos >= 3 and gap < n and chars[gap].isalnum():
                drop.update(range(pos + 2, gap))
    return drop


def _word_kept(chars: str, letters: list[int], seps: list[int]) -> list[int]:
    """``seps`` of a spaced run that mixes letters and digits, less the separators around a one-letter
    word that stands beside a group of two or more digits ("9 0 3 y le atiendo", "6 1 2 3 i 4 5",
    "z 5 0 0 1"): that letter is a word of its own ("y", "o", "e", "i", "z", "в", "и"), not part of
    the number, and joining it would end the number on a letter. A letter beside single digits stays
    (leetspeak: "w h 4 t s a p p", "r 3 v 1 e w"), and so does a run of two or more letters."""
    digit = [chars[k].isdigit() for k in letters]
    n = len(letters)
    groups: list[tuple[int, int]] = []  # (first, last) index into letters of each same-class group
    a = 0
    for b in range(1, n + 1):
        if b == n or digit[b] != digit[a]:
            groups.append((a, b - 1))
            a = b
    cut: set[int] = set()  # indexes j: the separator between letters[j] and letters[j + 1] is kept
    for g, (a, b) in enumerate(groups):
        if a != b or digit[a]:
            continue
        near = [groups[h] for h in (g - 1, g + 1) if 0 <= h < len(groups)]
        if any(y - x >= 1 for x, y in near):
            if a > 0:
                cut.add(a - 1)
            if a < n - 1:
                cut.add(a)
    if not cut:
        return seps
    kept: set[int] = set()
    for j in cut:  # the separator characters between letters[j] and letters[j + 1]
        kept.update(range(letters[j] + 1, letters[j + 1]))
    return [k for k in seps if k not in kept]


# ASCII digits masked by one character that is a letter or digit too ("٠", in no term: terms.py)
DIGIT_MASK = "\u0660"


def mask_digits(text: str) -> str:
    """``text`` with every ASCII digit replaced by :data:`DIGIT_MASK` (same length, same offsets)."""
    m = DIGIT_MASK  # ten str.replace passes: half the time of one re.sub that replaces each digit alone
    return (text.replace("0", m).replace("1", m).replace("2", m).replace("3", m).replace("4", m)
            .replace("5", m).replace("6", m).replace("7", m).replace("8", m).replace("9", m))


_SPACED_LINES: dict[str, bool] = {}


def _spaced_run_in(masked: str) -> bool:
    """Does ``_SPACED_RUN`` match in the folded text ``masked`` (its digits masked)? A run never spans
    a line break (no letter or separator is one, and a line break stops a word as the text's edge
    does), so each line is asked alone and its answer kept (bounded): template lines repeat. The
    pattern reads a digit as any other letter or digit, so the masked lines answer for the lines."""
    return any_line_matches(_SPACED_RUN, masked, _SPACED_LINES)


# round 20b: a dot, underscore, star, middle dot or hyphen between two Chinese characters ("威.信", "银.行.卡", "微_信")
_HAN_SEP = re.compile(r"[._*·\-](?<=[\u3400-\u9fff\uf900-\ufaff].)(?=[\u3400-\u9fff\uf900-\ufaff])")


def _cjk_space_drops(chars: str) -> set[int]:
    """Spaces inside CJK text carry nothing ("微 信", "加 V 信"), nor a separator between two Chinese characters
    ("威.信", "银.行.卡")."""
    out = {m.start() for m in _HAN_SEP.finditer(chars)}
    for m in _CJK_SPACE.finditer(chars):
        a = m.start()
        left, right = chars[a - 1] if a else " ", chars[a + 1] if a + 1 < len(chars) else " "
        if _CJK.match(left) or _CJK.match(right):
            out.add(a)
    return out


def normalize(text: str, *, collapse: bool = True) -> Normalized:
    """The normalised copy of ``text`` with its offset map (see the module docstring)."""
    return normalize_masked(text, collapse=collapse)[0]


def normalize_masked(text: str, *, collapse: bool = True) -> tuple[Normalized, str]:
    """:func:`normalize`'s result and its text with the digits masked (:func:`mask_digits`)."""
    folded, starts, ends = _fold(text)
    masked = mask_digits(folded)
    drop: set[int] = set()
    if collapse:
        if _spaced_run_in(masked):
            drop |= _spaced_drops(folded)
        if not folded.isascii() and _CJK.search(folded) and (" " in folded or _HAN_SEP.search(folded)):
            # (isascii: no scan of the text)
            drop |= _cjk_space_drops(folded)
    if "-" in folded:
        drop.update(m.start() for m in _HYPHEN_IN_WORD.finditer(folded))
    if drop:
        if starts is None or ends is None:
            starts = list(range(len(text)))
            ends = list(range(1, len(text) + 1))
        keep = [i for i in range(len(folded)) if i not in drop]
        folded = "".join(folded[i] for i in keep)
        masked = mask_digits(folded)
        starts = [starts[i] for i in keep]
        ends = [ends[i] for i in keep]
    if starts is None or ends is None:
        return Normalized(text, folded, range(len(folded)), range(1, len(folded) + 1)), masked
    return Normalized(text, folded, starts, ends), masked


# a leet character between two letters, or starting a word of three more letters ("r3view", "4ever");
# the leet character first, so re skips to one
_LEET_HINT = re.compile(r"[0-9@$!|](?:(?<=[^\W\d_].)(?=[^\W\d_])|(?<![\w@$].)(?<=[0-9@$|])(?=[^\W\d_]{3}))")
_TOKEN = re.compile(r"[\w@$!|]+", re.UNICODE)
# the same on the text with its digits masked (mask_digits): a digit is matched by the mask, which every other
# part of the pattern reads as it reads a digit (a word character and a digit); no match spans a line break, so
# each masked line is asked once (rendered lines differ from one message to the next by their digits)
_LEET_HINT_MASKED = re.compile(_LEET_HINT.pattern.replace("0-9", DIGIT_MASK))
_LEET_LINES: dict[str, bool] = {}


def _leet(text: str, masked: str | None = None) -> str | None:
    """Digits/symbols → letters inside mostly-letter tokens; ``None`` when nothing changes (``masked``: the text
    through :func:`mask_digits`, when the caller has it)."""
    if masked is not None and DIGIT_MASK not in text:
        if not any_line_matches(_LEET_HINT_MASKED, masked, _LEET_LINES):
            return None
    elif not _LEET_HINT.search(text):
        return None
    out = list(text)
    changed = False
    for m in _TOKEN.finditer(text):
        token = m.group(0)
        letters = sum(1 for c in token if c.isalpha())
        odd = [i for i, c in enumerate(token) if c in _LEET]
        if not odd or letters < 3 or len(odd) * 2 >= len(token) or (not token[0].isalpha() and not token[-1].isalpha()):
            continue
        if token.isupper() or (any(c.isdigit() for c in token)
                               and token[:2].isalpha() and token[:2].upper() == token[:2]):
            continue
        # trailing punctuation ("thanks!") is punctuation, not leet
        while odd and odd[-1] == len(token) - 1 and token[-1] in "!|$":
            odd.pop()
        for i in odd:
            out[m.start() + i] = _LEET[token[i]]
            changed = True
    return "".join(out) if changed else None


def leet_view(norm: Normalized, masked: str | None = None) -> Normalized | None:
    """``norm`` with leetspeak undone inside words, or ``None`` when it has none (``masked``: its text through
    :func:`mask_digits`, when the caller has it)."""
    out = _leet(norm.text, masked)
    if out is None:
        return None
    return Normalized(norm.original, out, norm.starts, norm.ends)


def normalize_term(term: str) -> str:
    """A term as it appears in normalised text (terms and text go through the same folding)."""
    return normalize(term, collapse=False).text
