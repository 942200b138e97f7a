"""Phone numbers written in words: "zero six one two …", "nul-zes, twaalf, vierendertig",
"null-drei-null", "一三八 一二三四 五六七八" — seven or more digits said in a row."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TypeVar

from autoreply.compliance import lexicon
from autoreply.compliance.linecache import any_line_matches
from autoreply.compliance.normalize import DIGIT_MASK, normalize_term
from autoreply.compliance.scan import Raw, Scan

# --- phone numbers written in words: "zero six one two …", "nul zes", "一三八 一二三四 五六七八"
_NUM_GAP = re.compile(r"[\s,.\-/–·、،]*")


def numword_terms() -> dict[str, int]:
    """Every digit word and two-digit word ("trente-quatre", "thirty four") → how many digits it says."""
    nums = lexicon.numbers()
    counts: dict[str, int] = {}
    for lang, digits in nums.digits.items():
        for alts in digits:
            for w in alts:
                counts.setdefault(w, 1)
        units = [u for alts in digits[1:] for u in alts]
        for tens in nums.tens.get(lang, ()):
            counts[tens] = 2
            for u in units:
                for joined in (f"{tens}-{u}", f"{tens} y {u}", f"{tens} e {u}", f"{tens} et {u}", f"{u}und{tens}",
                               f"{tens}{u}", f"{u}en{tens}"):  # "vierendertig" (nl: four-and-thirty)
                    counts[joined] = 2
    for words in nums.hundreds.values():
        for w in words:
            counts.setdefault(w, 1)  # "sześćset dwa" (602): the hundreds word says its own digit
    return {normalize_term(w): n for w, n in counts.items()}


_NUMWORD_DIGITS = numword_terms()


def numword_keys() -> list[str]:
    """The terms of :func:`numword_terms`, in its order: the table's own key strings, not a copy."""
    return list(_NUMWORD_DIGITS)


def _cjk_digits() -> re.Pattern[str]:
    sets = {lang: "".join(sorted({normalize_term(c) for alts in d for c in alts} - {""}))
            for lang, d in lexicon.numbers().cjk.items()}
    zh, ko = re.escape(sets.get("zh", "")), re.escape(sets.get("ko", ""))
    # the first character first (either set), so re skips to a candidate; the same matches as
    # "[zh](?:[\s\-・·,ー]*[zh]){6,}|(?<![가-힣])[ko](?:(?:\s?|,\s?|\s?-\s?)[ko]){6,}(?![가-힣])", branch for branch
    return re.compile(rf"[{zh}{ko}](?:(?<=[{zh}])(?:[\s\-・·,ー]*[{zh}]){{6,}}"
                      rf"|(?<=[{ko}])(?<![가-힣].)(?:(?:\s?|,\s?|\s?-\s?)[{ko}]){{6,}}(?![가-힣]))")


_CJK_DIGITS = _cjk_digits()
_CJK_NUMERALS = {normalize_term(c) for d in lexicon.numbers().cjk.values() for alts in d for c in alts} - {""}
_CJK_DIGIT_HINT = re.compile("[" + re.escape("".join(sorted(_CJK_NUMERALS - {"o"}))) + "]")
# asked per line of the masked text, each line's answer kept, when no numeral is an ASCII digit or the mask
# (a one-character class: the masked line holds one exactly where the line does)
_CJK_HINT_BY_LINE = not any(("0" <= c <= "9") or c in (DIGIT_MASK, "\n") for c in "".join(_CJK_NUMERALS - {"o"}))
_CJK_HINT_LINES: dict[str, bool] = {}
# the Chinese numerals hold "o" (a zero), which most texts hold: a run of numerals that are all "o" (the
# Chinese branch, its separators) is looked for apart, where re skips to an "o"
_O_RUN = re.compile(r"o(?:[\s\-・·]*o){6}")


# Japanese digits read in katakana, run together ("ゼロキューゼロ、イチニーサンヨン"): seven or more in a row
_KANA_DIGIT = r"(?:ゼロ|レイ|マル|イチ|ニー|ニ|サン|ヨン|ゴー|ゴ|ロク|ナナ|ハチ|キュー|キュウ)"
_KANA_DIGITS = re.compile(rf"(?<![ァ-ヺー]){_KANA_DIGIT}(?:[\s、・,\-]*{_KANA_DIGIT}){{6,}}(?![ァ-ヺー])")
_KANA_HINT = ("ゼロ", "イチ", "ハチ", "キュ", "ナナ", "ロク")
# the same readings in hiragana ("ぜろきゅうぜろ、いちにさんよん …"): hiragana is everyday text, so a run is
# set apart from the words around it — no hiragana before it, and after it none or a copula or particle
_HIRA_DIGIT = r"(?:ぜろ|れい|まる|いち|にい|にー|に|さん|よん|ごー|ご|ろく|なな|はち|きゅう|きゅー|きゅ)"
_HIRA_DIGITS = re.compile(rf"(?<![ぁ-ゖ]){_HIRA_DIGIT}(?:[\s、・,\-]*{_HIRA_DIGIT}){{6,}}"
                          rf"(?=[^ぁ-ゖ]|$|です|まで|へ|に|で|と|を)")
_HIRA_HINT = ("ぜろ", "いち", "はち", "きゅ", "なな", "ろく")

_LETTERS = re.compile(r"[^\W\d_]{6,}")


def _split_numbers(word: str) -> int:
    """How many digits ``word`` says when it is number words run together ("nulldreinull" → 3), else 0."""
    best = [0] + [-1] * len(word)  # best[i]: digits said by word[:i], -1 when it cannot be split
    for i in range(1, len(word) + 1):
        for j in range(max(0, i - 24), i):
            if best[j] >= 0 and word[j:i] in _NUMWORD_DIGITS:
                best[i] = max(best[i], best[j] + _NUMWORD_DIGITS[word[j:i]])
    return max(best[-1], 0)


def _hyphenated_numbers(scan: Scan) -> list[tuple[int, int, int]]:
    """Number words joined by hyphens ("null-drei-null", "nul-zes"): normalising drops the
    hyphens, so the joined word is split back into number words here."""
    out: list[tuple[int, int, int]] = []
    if isinstance(scan.norm.starts, range):
        return out  # nothing was dropped: no hyphen stands inside a word of the normalised text
    for m in _LETTERS.finditer(scan.text):
        a, b = scan.norm.span(m.start(), m.end())
        if "-" not in scan.norm.original[a:b]:
            continue
        digits = _split_numbers(m.group(0))
        if digits >= 2:
            out.append((m.start(), m.end(), digits))
    return out


_DIGIT_RUN = re.compile(r"\d+")
# a number token: start, end, digits said (and, in a mixed run, whether it is a word)
_Token = TypeVar("_Token", tuple[int, int, int], tuple[int, int, int, bool])


def _runs(text: str, tokens: list[_Token]) -> Iterator[list[_Token]]:
    """``tokens`` (start, end, digits, …; sorted by start, longest first) in runs: each token joined to the one
    before it by a number gap (``_NUM_GAP``); a token inside the one before it (a shorter word inside a compound)
    is skipped."""
    run: list[_Token] = []
    for h in tokens:
        if run and h[0] < run[-1][1]:
            continue
        if not run or _NUM_GAP.fullmatch(text, run[-1][1], h[0]):
            run.append(h)
            continue
        yield run
        run = [h]
    if run:
        yield run


def _mixed_runs(scan: Scan, words: list[tuple[int, int, int]]) -> list[Raw]:
    """Round 20b: number words and digit groups mixed in one run ("صفر خمسة خمسة، ١٢٣ ٤٥٦٧", "zero five five,
    123 4567"): seven or more digits said, opened by at least two of them as words, one group as digits."""
    tokens = [(a, b, n, True) for a, b, n in words]
    tokens += [(m.start(), m.end(), len(m.group(0)), False) for m in _DIGIT_RUN.finditer(scan.text)]
    tokens.sort(key=lambda w: (w[0], -w[1]))
    out: list[Raw] = []
    for run in _runs(scan.text, tokens):
        said = [t for t in run if t[3]]
        if run[0][3] and len(said) >= 2 and len(said) < len(run) and sum(t[2] for t in run) >= 7:
            out.append(scan.raw("phone", run[0][0], run[-1][1], "a phone number in words and digits"))
    return out


def spelled_phones(scan: Scan) -> list[Raw]:
    """A phone number spelled out: seven or more digits as words or CJK numerals in a row."""
    text = scan.text
    out: list[Raw] = []
    words = [(h.start, h.end, _NUMWORD_DIGITS.get(h.term, 1)) for h in scan.get("numword")]
    if "-" in scan.norm.original:
        words += _hyphenated_numbers(scan)
    words.sort(key=lambda w: (w[0], -w[1]))
    if len(words) >= 3:
        for run in _runs(text, words):
            if len(run) >= 3 and sum(t[2] for t in run) >= 7:
                out.append(scan.raw("phone", run[0][0], run[-1][1], "a phone number spelled out in words"))
    if len(words) >= 2 and _DIGIT_RUN.search(text):
        out += _mixed_runs(scan, words)
    masked = scan.masked
    if _CJK_HINT_BY_LINE and masked is not None and len(masked) == len(text):
        hint = any_line_matches(_CJK_DIGIT_HINT, masked, _CJK_HINT_LINES)
    else:
        hint = _CJK_DIGIT_HINT.search(text) is not None
    for m in (_CJK_DIGITS.finditer(text) if hint or _O_RUN.search(text) else ()):
        groups = [g.strip() for g in m.group(0).split(",")]
        if len(groups) > 1 and max(len(g) for g in groups) < 3:
            continue  # "第一，二，三，四 …": numbered items listed, not a number in groups ("幺三八，一二三四")
        if sum(1 for c in m.group(0) if not c.isspace() and c not in "-・·,ー") >= 7:
            out.append(scan.raw("phone", m.start(), m.end(), "a phone number written in numerals"))
    if any(k in text for k in _KANA_HINT):
        out += [scan.raw("phone", m.start(), m.end(), "a phone number read out in katakana")
                for m in _KANA_DIGITS.finditer(text)]
    if any(k in text for k in _HIRA_HINT):
        out += [scan.raw("phone", m.start(), m.end(), "a phone number read out in hiragana")
                for m in _HIRA_DIGITS.finditer(text) if len(re.findall(_HIRA_DIGIT, m.group(0))) >= 7]
    return out
