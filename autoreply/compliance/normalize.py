"""The normalised copy of a message that the checks match on, with a map back to the original.

Obfuscation is undone before matching — and every finding still reports its span on the
ORIGINAL text, because the seller has to see which characters were the problem:

* Unicode compatibility forms (NFKC): fullwidth ``ｗｈａｔｓａｐｐ``, mathematical
  alphanumerics ``𝐰𝐡𝐚𝐭𝐬𝐚𝐩𝐩``, circled ``ⓦⓗⓐⓣⓢ``, superscripts;
* case folding; combining marks (accents, "Zalgo" strokes) and invisible characters
  (zero-width spaces and joiners, soft hyphens, bidi marks, variation selectors) removed;
* confusable homoglyphs folded to Latin: Cyrillic and Greek lookalikes, small capitals;
* letters spaced out with one repeated separator collapsed: ``w.h.a.t.s.a.p.p``,
  ``p a y p a l``, ``w-e-c-h-a-t`` (three or more single letters in a row);
* a second, "leet" view where digits and ``@``/``$`` inside words become letters
  (``wh4tsapp``, ``p@ypal``), only in tokens that are mostly letters — order numbers,
  tracking numbers and SKUs are left alone.

:func:`normalize` returns a :class:`Normalized` whose ``starts``/``ends`` give, for every
character of the normalised text, the original span it came from.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

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
}
# pictographs that stand for a word in a review request ("5★")
_SYMBOL_WORDS = {"★": " star ", "☆": " star ", "⭐": " star ", "✩": " star ", "✪": " star "}
_LEET = {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "@": "a", "$": "s",
         "!": "i", "|": "l"}
# Characters that separate spaced-out letters ("w.h.a.t.s", "p a y p a l").
_SEPARATORS = frozenset(" .-_*·•|/+~,:'\u00a0")
_LETTER_RUN = re.compile(r"[^\W_]", re.UNICODE)
# Scripts written without spaces: their letters are never "spaced out", and a space between
# two of them carries nothing. (Korean uses spaces; its syllables count as letters.)
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")
# Scripts whose characters keep their marks (kana voicing, Hangul jamo)
_NO_STRIP = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]")


@dataclass(frozen=True)
class Normalized:
    """A normalised text and, for each of its characters, the original span it came from."""

    original: str
    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original span of normalised ``[start, end)``."""
        if not self.text:
            return 0, 0
        end = max(end, start + 1)
        start = min(max(start, 0), len(self.text) - 1)
        end = min(end, len(self.text))
        a, b = self.starts[start], self.ends[end - 1]
        # marks that decorated the last character belong to it ("p̵")
        while b < len(self.original) and unicodedata.category(self.original[b]) in ("Mn", "Me"):
            b += 1
        return a, b

    def excerpt(self, start: int, end: int) -> str:
        a, b = self.span(start, end)
        return self.original[a:b]


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    """One original character → its normalised form ('' when it is dropped)."""
    if ch in _SYMBOL_WORDS:
        return _SYMBOL_WORDS[ch]
    cat = unicodedata.category(ch)
    if cat in ("Cf", "Mn", "Me", "Cc") and ch not in "\n\t":
        return ""
    if ch in "\u2028\u2029":
        return "\n"
    out = unicodedata.normalize("NFKC", ch).casefold()
    folded = []
    for c in out:
        c = _CONFUSABLES.get(c, c)
        if ord(c) > 0x7F and not _NO_STRIP.match(c):
            # strip accents of alphabetic scripts (é → e, й → и), never of kana or Hangul
            base = "".join(x for x in unicodedata.normalize("NFD", c) if not unicodedata.combining(x))
            c = _CONFUSABLES.get(base, base) if base else c
        if unicodedata.category(c) in ("Mn", "Me", "Cf"):
            continue
        if c in "\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000":
            c = " "
        folded.append(c)
    return "".join(folded)


_ASCII_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_SPACED_RUN = re.compile(r"(?<![^\W_])[^\W_]([ .\-_*·•|/+~,:'\u00a0]{1,3})[^\W_]\1[^\W_](?![^\W_])")


def _fold(text: str) -> tuple[list[str], list[int], list[int]]:
    if text.isascii() and not _ASCII_CONTROL.search(text):  # the common case, 10× faster
        n = len(text)
        return list(text.lower()), list(range(n)), list(range(1, n + 1))
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for i, ch in enumerate(text):
        if ch.isascii() and not ch.isupper():
            if ch == "\r":
                continue
            chars.append(ch)
            starts.append(i)
            ends.append(i + 1)
            continue
        for c in _fold_char(ch):
            chars.append(c)
            starts.append(i)
            ends.append(i + 1)
    return chars, starts, ends


def _is_letter(c: str) -> bool:
    return c.isalpha() and not _CJK.match(c)


def _collapse_spaced(chars: list[str], starts: list[int], ends: list[int]) -> None:
    """Drop the separators of runs like ``w.h.a.t.s`` / ``p a y p a l`` (in place)."""
    joined = "".join(chars)
    spaced = bool(_SPACED_RUN.search(joined))
    cjk_spaces = " " in joined and bool(_CJK.search(joined))
    if not spaced and not cjk_spaces:
        return
    n = len(chars)
    drop = [False] * n
    i = 0 if spaced else n
    while i < n:
        # a run starts at a single letter (not preceded by a letter/digit)
        if not (_is_letter(chars[i]) or chars[i].isdigit()) or (i > 0 and chars[i - 1].isalnum()):
            i += 1
            continue
        j = i + 1
        if j >= n or chars[j] not in _SEPARATORS:
            i += 1
            continue
        k = j
        while k < n and chars[k] in _SEPARATORS and k - j < 3:
            k += 1
        sep = "".join(chars[j:k])
        if k >= n or not chars[k].isalnum():
            i += 1
            continue
        letters = [i]
        seps: list[tuple[int, int]] = []
        pos = i
        while True:
            nxt = pos + 1
            if nxt + len(sep) > n or "".join(chars[nxt:nxt + len(sep)]) != sep:
                break
            cand = nxt + len(sep)
            if cand >= n or not chars[cand].isalnum() or _CJK.match(chars[cand]):
                break
            if cand + 1 < n and chars[cand + 1].isalnum():
                break  # the next token is a whole word: the run ends before it
            seps.append((nxt, cand))
            letters.append(cand)
            pos = cand
        if len(letters) >= 3:
            for a, b in seps:
                for x in range(a, b):
                    drop[x] = True
            i = pos + 1
        else:
            i += 1
    # spaces inside CJK text carry nothing ("微 信", "加 V 信", "카 카 오 톡")
    for x in range(1, n - 1 if cjk_spaces else 1):
        if chars[x] == " " and not drop[x]:
            left, right = chars[x - 1], chars[x + 1]
            if (_CJK.match(left) or _lone_latin(chars, x - 1)) and (_CJK.match(right) or _lone_latin(chars, x + 1)) \
                    and (_CJK.match(left) or _CJK.match(right)):
                drop[x] = True
    if any(drop):
        keep = [x for x in range(n) if not drop[x]]
        chars[:] = [chars[x] for x in keep]
        starts[:] = [starts[x] for x in keep]
        ends[:] = [ends[x] for x in keep]


def _lone_latin(chars: list[str], i: int) -> bool:
    """A single Latin letter standing between spaces or CJK characters ("加 V 信")."""
    if not chars[i].isascii() or not chars[i].isalpha():
        return False
    before = chars[i - 1] if i > 0 else " "
    after = chars[i + 1] if i + 1 < len(chars) else " "
    return not before.isalnum() or bool(_CJK.match(before)) if not (after.isalnum() and not _CJK.match(after)) else False


_LEET_HINT = re.compile(r"[^\W\d_][0-9@$!|]|[0-9@$|][^\W\d_]")
_TOKEN = re.compile(r"[\w@$!|]+", re.UNICODE)


def _leet(chars: list[str]) -> list[str] | None:
    """Digits/symbols → letters inside mostly-letter tokens; ``None`` when nothing changes."""
    text = "".join(chars)
    if not _LEET_HINT.search(text):
        return None
    out = list(chars)
    changed = False
    for m in _TOKEN.finditer(text):
        token = m.group(0)
        letters = sum(1 for c in token if c.isalpha())
        odd = [i for i, c in enumerate(token) if c in _LEET]
        if not odd or letters < 3 or len(odd) * 2 >= len(token) or (not token[0].isalpha() and not token[-1].isalpha()):
            continue
        if token.isupper() or (any(c.isdigit() for c in token) and token[:2].isalpha() and token[:2].upper() == token[:2]):
            continue
        # trailing punctuation ("thanks!") is punctuation, not leet
        while odd and odd[-1] == len(token) - 1 and token[-1] in "!|$":
            odd.pop()
        for i in odd:
            out[m.start() + i] = _LEET[token[i]]
            changed = True
    return out if changed else None


def _join_hyphenated(chars: list[str], starts: list[int], ends: list[int]) -> None:
    """``whats-app`` → ``whatsapp``: a hyphen between two letters is dropped."""
    keep = [x for x in range(len(chars))
            if not (chars[x] == "-" and 0 < x < len(chars) - 1 and chars[x - 1].isalpha() and chars[x + 1].isalpha())]
    if len(keep) != len(chars):
        chars[:] = [chars[x] for x in keep]
        starts[:] = [starts[x] for x in keep]
        ends[:] = [ends[x] for x in keep]


def normalize(text: str, *, collapse: bool = True) -> Normalized:
    """The normalised copy of ``text`` with its offset map (see the module docstring)."""
    chars, starts, ends = _fold(text)
    if collapse:
        _collapse_spaced(chars, starts, ends)
    _join_hyphenated(chars, starts, ends)
    return Normalized(text, "".join(chars), tuple(starts), tuple(ends))


def leet_view(norm: Normalized) -> Normalized | None:
    """``norm`` with leetspeak undone inside words, or ``None`` when it has none."""
    out = _leet(list(norm.text))
    if out is None:
        return None
    return Normalized(norm.original, "".join(out), norm.starts, norm.ends)


def normalize_term(term: str) -> str:
    """A term as it appears in normalised text (terms and text go through the same folding)."""
    return normalize(term, collapse=False).text
