"""The per-line caches' one bound: rendered templates repeat their lines from message to message,
so the normaliser, the term index, the sentence ends, the classifier's sums and a few hints keep
what they found per line (keyed by the line, or by it with its digits masked). Each cache is a
plain dict emptied whole once it holds ``LINES_KEPT`` lines — a look-up stays one ``dict.get``
on the hot path, and only a miss comes here."""

from __future__ import annotations

import re
import sys
from typing import TypeVar

K = TypeVar("K")
V = TypeVar("V")

LINES_KEPT_DEFAULT = 4096  # lines each per-line cache keeps
LINES_KEPT_LOW = 1024  # in the daemon's low-memory mode (:func:`configure`)
LINES_KEPT = LINES_KEPT_DEFAULT


def configure(*, low_memory: bool) -> None:
    """Low-memory mode: each per-line cache keeps ``LINES_KEPT_LOW`` lines (it is emptied
    whole once full, so a smaller bound takes effect at the next fill)."""
    global LINES_KEPT
    LINES_KEPT = LINES_KEPT_LOW if low_memory else LINES_KEPT_DEFAULT


def remember(kept: dict[K, V], key: K, value: V) -> V:
    """Keep ``value`` for ``key`` in the per-line cache ``kept`` (emptied first when full)."""
    if len(kept) >= LINES_KEPT:
        kept.clear()
    # one copy of a line however many caches keep it (each splits the text anew): interned on a miss only
    if isinstance(key, str):
        key = sys.intern(key)  # type: ignore[assignment]
    kept[key] = value
    return value


def any_line_matches(pattern: re.Pattern[str], text: str, kept: dict[str, bool]) -> bool:
    """Does ``pattern`` (one that never spans a line break) match within a line of ``text``? Each
    line's answer is kept in ``kept``."""
    for line in text.split("\n"):
        found = kept.get(line)
        if found is None:
            found = remember(kept, line, pattern.search(line) is not None)
        if found:
            return True
    return False
