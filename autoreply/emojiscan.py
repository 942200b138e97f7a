"""Emoji in a text, found exactly as the ``emoji`` package finds them, from a compact table.

The compliance check and language cleaning asked ``emoji.emoji_list`` / ``emoji.replace_emoji``;
the package holds every emoji's names and metadata (its JSON parsed into ~5,000 dicts plus a
search tree: ~4 MiB of Python objects and the parse's heap, ~10 MiB RSS after the first text
with an emoji). What its tokenizer needs is only which strings are emoji, which are prefixes
of one, and which are components (skin tones, hair styles): ``data/emoji.json`` holds those,
written from the package (``python -m autoreply.emojiscan > autoreply/data/emoji.json``), and
``tokens`` below is ``emoji.tokenizer.tokenize`` over that table, step for step — including its
longest-walk-without-backtracking and zero-width-joiner handling. tests/test_memory_tables.py
checks the table against the package and the answers on every emoji it knows.

``tokens`` and the table are adapted from the emoji package (https://github.com/carpedm20/emoji),
Copyright (c) 2014-2026, Taehoon Kim, Kevin Wurster, under the New BSD License; its text is
in ``autoreply/data/LICENSE.emoji.txt``.
"""

from __future__ import annotations

import json
from bisect import bisect_left
from collections.abc import Iterator
from functools import cache
from importlib import resources
from typing import NamedTuple

ZWJ = "\u200d"
TABLE = "emoji.json"


class EmojiTable(NamedTuple):
    emoji: tuple[str, ...]      # every emoji string the package knows (its EMOJI_DATA keys), sorted
    components: frozenset[str]  # those with status "component"
    firsts: frozenset[str]      # their first characters (the search tree's top level)

    def is_prefix(self, text: str) -> bool:
        """Whether ``text`` begins some emoji (is a node of the package's search tree)."""
        at = bisect_left(self.emoji, text)
        return at < len(self.emoji) and self.emoji[at].startswith(text)

    def is_emoji(self, text: str) -> bool:
        at = bisect_left(self.emoji, text)
        return at < len(self.emoji) and self.emoji[at] == text


@cache
def table() -> EmojiTable:
    """The shipped table (~0.8 MiB: one sorted tuple of strings), read at the first text that
    may hold an emoji."""
    text = resources.files("autoreply.data").joinpath(TABLE).read_text(encoding="utf-8")
    data = json.loads(text)
    emoji = tuple(sorted(data["emoji"]))
    return EmojiTable(emoji, frozenset(data["components"]), frozenset(e[0] for e in emoji))


class Match(NamedTuple):
    emoji: str
    start: int
    end: int


def tokens(string: str, keep_zwj: bool) -> Iterator[Match | str]:
    """``emoji.tokenizer.tokenize``: each emoji as a ``Match``, every other character as itself."""
    known = table()
    result: list[Match | str] = []
    i = 0
    length = len(string)
    ignore: list[int] = []  # the ZWJ characters inside non-RGI ZWJ sequences
    while i < length:
        consumed = False
        char = string[i]
        if i in ignore:
            i += 1
            if char == ZWJ and keep_zwj:
                result.append(char)
            continue
        if char in known.firsts:
            j = i + 1
            while j < length and known.is_prefix(string[i:j + 1]):
                if j in ignore:
                    break
                j += 1
            if known.is_emoji(string[i:j]):
                result.append(Match(string[i:j], i, j))
                i = j - 1
                consumed = True
        elif (char == ZWJ and result and known.is_emoji(_chars(result[-1]))
              and i > 0 and string[i - 1] in known.firsts):
            ignore.append(i)
            if _chars(result[-1]) in known.components:
                i = i - sum(len(_chars(t)) for t in result[-2:])
                if string[i] == ZWJ:
                    i += 1
                    del result[-1]
                else:
                    del result[-2:]
            else:
                i = i - len(_chars(result[-1]))
                del result[-1]
            continue
        elif result:
            yield from result
            result = []
        if not consumed and char != "\ufe0e" and char != "\ufe0f":
            result.append(char)
        i += 1
    yield from result


def _chars(token: Match | str) -> str:
    return token.emoji if isinstance(token, Match) else token


def emoji_list(string: str) -> list[Match]:
    """``emoji.emoji_list``: the emoji of ``string`` with their spans."""
    return [t for t in tokens(string, keep_zwj=False) if isinstance(t, Match)]


def replace_emoji(string: str, replace: str) -> str:
    """``emoji.replace_emoji(string, replace)`` (its default configuration)."""
    return "".join(replace if isinstance(t, Match) else t for t in tokens(string, keep_zwj=False))


def package_table() -> dict[str, object]:
    """The table as the installed ``emoji`` package defines it (tests and regeneration)."""
    import emoji

    data = emoji.EMOJI_DATA
    component = emoji.STATUS["component"]
    return {"source": f"emoji {emoji.__version__} (EMOJI_DATA keys; status component)",
            "emoji": sorted(data), "components": sorted(e for e, d in data.items() if d["status"] == component)}


if __name__ == "__main__":
    print(json.dumps(package_table(), ensure_ascii=True, indent=0))
