"""How a message looks: emoji, special font styles, excessive line breaks (seed 002: no emoji,
no GIFs, no special font styles, no excessive line breaks). Run on the original text."""

from __future__ import annotations

import re

from autoreply import emojiscan
from autoreply.compliance.scan import Raw

ALLOWED_SYMBOLS = frozenset("©®™°")
_EXTRA_SYMBOLS = frozenset("★☆✓✔✗✘♡♥❥☺☻✨❣➡⇨☛☞✌")
_BREAKS = re.compile(r"\n(?:[ \t\u00a0]*\n){2,}")
_EMOTICON = re.compile(r"(?<![\w:/])(?:[:;=]-?[)(DPp]|<3|\^_\^|xD)(?![\w])")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")


def _special(ch: str, cjk_text: bool) -> bool:
    o = ord(ch)
    if 0x1D400 <= o <= 0x1D7FF:  # mathematical alphanumerics (bold, italic, script, …)
        return True
    if 0x24B6 <= o <= 0x24E9 or 0x249C <= o <= 0x24B5:  # circled / parenthesised letters
        return True
    if 0x1F130 <= o <= 0x1F189:  # squared / negative circled letters
        return True
    if 0x1D00 <= o <= 0x1D2B or ch in "ʙɢʜɪʟɴʀʏꜰꜱ":  # small capitals
        return True
    if 0xFF21 <= o <= 0xFF3A or 0xFF41 <= o <= 0xFF5A:  # fullwidth Latin
        return not cjk_text  # normal in Japanese and Chinese text ("Ｔシャツ")
    return False


# every emoji and pictograph lives in these ranges: no candidate, no need for the emoji library
_EMOJI_HINT = re.compile("[\u00a9\u00ae\u203c-\u2bff\u3030\u303d\u3297\u3299\ufe0f"
                         "\U0001f000-\U0001faff\U000e0020-\U000e007f]")
_SPECIAL_HINT = re.compile("[\U0001d400-\U0001d7ff\u249c-\u24e9\U0001f130-\U0001f189\u1d00-\u1d2b"
                           "\uff21-\uff3a\uff41-\uff5a"
                           "ʙɢʜɪʟɴʀʏꜰꜱ]")


def emojis(text: str) -> list[Raw]:
    if text.isascii() or not _EMOJI_HINT.search(text):
        return []
    out = []
    for item in emojiscan.emoji_list(text):  # the emoji package's answers, from a compact table
        if item.emoji in ALLOWED_SYMBOLS:
            continue
        out.append(Raw("emoji", item.start, item.end, "an emoji"))
    taken = {(r.start) for r in out}
    for i, ch in enumerate(text):
        if ch in _EXTRA_SYMBOLS and i not in taken:
            out.append(Raw("emoji", i, i + 1, "a pictographic symbol"))
    return out


def emoticons(text: str) -> list[Raw]:
    return [Raw("emoticon", m.start(), m.end(), "an emoticon") for m in _EMOTICON.finditer(text)]


def special_fonts(text: str) -> list[Raw]:
    if text.isascii() or not _SPECIAL_HINT.search(text):
        return []
    cjk_text = bool(_CJK.search(text))
    out: list[Raw] = []
    start = None
    for i, ch in enumerate([*text, "\0"]):
        if ch != "\0" and _special(ch, cjk_text):
            if start is None:
                start = i
            continue
        if start is not None:
            # a run may include spaces between styled letters
            out.append(Raw("special_font", start, i, "special font styles (styled Unicode letters)"))
            start = None
    merged: list[Raw] = []
    for r in out:
        if merged and not text[merged[-1].end:r.start].strip():
            merged[-1] = Raw(r.rule, merged[-1].start, r.end, r.message)
        else:
            merged.append(r)
    return merged


def line_breaks(text: str) -> list[Raw]:
    return [Raw("line_breaks", m.start(), m.end(), "more than two line breaks in a row")
            for m in _BREAKS.finditer(text.replace("\r\n", "\n"))]
