"""A learned classifier beside the rules: raises the checks the word lists miss.

Word lists do not generalise to new phrasings (sarcasm without an abusive word, spam about
anything, review requests and redirects in words nobody listed). This module scores the
engine's NORMALISED text (homoglyphs, spacing and leetspeak already folded) with one linear
model per check id — one-vs-rest logistic regression over counted features of the text's
words joined by single spaces (digits folded to ``0``): every character 2–5-gram (across word
boundaries too; a CJK run is one word, so its characters' n-grams are the features), each longer
whole word and each longer word pair, the counts divided by the square root of their total.

The weights are trained by ``bench/train_classifier.py`` (scikit-learn, a dev/bench extra) and
shipped as ``data/classifier.json`` (int16 per check, base64). The runtime is pure Python plus
ahocorasick-rs, already a dependency: the kept features are the patterns of ONE automaton, and
each pattern's value packs every check's quantised weight into one integer (32 bits per check
and a count), so a message is scored by summing the values of all (overlapping) matches —
``sum(map(values.__getitem__, pattern indexes))`` — and unpacking once. Loaded once per process (:func:`default_model`).
A check fires when its logit reaches the threshold chosen on held-out data for a low
false-positive rate; the finding's span is the sentence contributing most to the score.
"""

from __future__ import annotations

import base64
import itertools
import json
import math
import re
import sys
from array import array
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from operator import itemgetter
from pathlib import Path
from typing import Any

import ahocorasick_rs

from autoreply.compliance.linecache import remember
from autoreply.compliance.normalize import DIGIT_MASK
from autoreply.compliance.scan import SENTENCE_END

FORMAT = 2
NGRAMS = (2, 3, 4, 5)
MAX_CHARS = 12000  # longer texts are scored on their start (keeps every packed field within 32 bits)
_WORD = re.compile(r"\w+")
_DIGITS = str.maketrans("123456789", "000000000")
_FIELD = 32
_MASK = (1 << _FIELD) - 1
_OFFSET = 1 << 15  # int16 weights stored as unsigned
_index = itemgetter(0)


def _padded(text: str) -> tuple[str, list[str]]:
    words = _WORD.findall(text[:MAX_CHARS].translate(_DIGITS))
    return f" {' '.join(words)} ", words


def _lines(text: str) -> list[str]:
    """The text's lines: features never span a line break, so a line scores the same in any
    message (rendered messages share most of their lines, and a line's sum is kept)."""
    return text[:MAX_CHARS].split("\n")


def _total(padded: str, words: list[str]) -> int:
    """How many feature occurrences :func:`features` lists for this line (without listing them)."""
    if not words:
        return 0
    size = len(padded)
    total = sum(max(0, size - n + 1) for n in NGRAMS)
    total += sum(1 for w in words if len(w) + 2 > NGRAMS[-1])
    total += sum(1 for a, b in itertools.pairwise(words) if len(a) + len(b) + 3 > NGRAMS[-1])
    return total


def _line_features(line: str) -> list[str]:
    padded, words = _padded(line)
    if not words:
        return []
    size = len(padded)
    out = [padded[i:i + n] for n in NGRAMS for i in range(size - n + 1)]
    out += [f" {w} " for w in words if len(w) + 2 > NGRAMS[-1]]
    out += [f" {a} {b} " for a, b in itertools.pairwise(words) if len(a) + len(b) + 3 > NGRAMS[-1]]
    return out


def features(text: str) -> list[str]:
    """Every feature occurrence of a normalised text, line by line (training lists them; the
    runtime matches them)."""
    return [f for line in _lines(text) for f in _line_features(line)]


@dataclass(frozen=True)
class Hit:
    """A check the model raises: its score and threshold, and the span of the top sentence."""

    check: str
    score: float
    threshold: float
    start: int
    end: int


class Model:
    """One linear model per check over :func:`features`, weights quantised to int16 per check."""

    def __init__(self, checks: Sequence[str], bias: Sequence[float], thresholds: Sequence[float],
                 names: Sequence[str], quantised: array, scales: Sequence[float],
                 meta: Mapping[str, Any] | None = None, *, keep_source: bool = True) -> None:
        k = len(checks)
        if len(quantised) != len(names) * k:
            raise ValueError("classifier weights: size does not match the features")
        self.checks = tuple(checks)
        self.bias = tuple(bias)
        self.thresholds = tuple(thresholds)
        self.scales = tuple(scales)
        self.meta = dict(meta or {})
        self.size = len(names)
        # the training script keeps names and weights to write them; the runtime keeps the automaton only
        self.names = list(names) if keep_source else []
        self.quantised = quantised if keep_source else array("h")
        self._automaton: ahocorasick_rs.AhoCorasick | None = None
        self._values: list[int] = []
        self._kept: dict[str, tuple[int, int]] = {}  # line → (packed sum, feature count), bounded
        self._by_words: dict[str, tuple[int, int]] = {}  # the same by the line's padded words
        self._by_masked: dict[str, tuple[int, int]] = {}  # the same by the line with its digits masked
        # each feature's value: its k weights as unsigned 32-bit fields, then a count field of 1
        fields = array("I", bytes(4 * (k + 1) * len(names)))
        for n in range(len(names)):
            base = n * (k + 1)
            fields[base:base + k] = array("I", [v + _OFFSET for v in quantised[n * k:(n + 1) * k]])
            fields[base + k] = 1
        if sys.byteorder == "big":
            fields.byteswap()
        raw = memoryview(fields.tobytes())
        width = 4 * (k + 1)
        from_bytes = int.from_bytes
        self._values = [from_bytes(raw[n * width:(n + 1) * width], "little") for n in range(len(names))]
        if names:
            self._automaton = ahocorasick_rs.AhoCorasick(list(names))

    def _packed(self, padded: str) -> int:
        """The sum of the packed values of every feature occurrence in ``padded``."""
        if self._automaton is None:
            return 0
        matches = self._automaton.find_matches_as_indexes(padded, overlapping=True)
        return sum(map(self._values.__getitem__, map(_index, matches)))

    def _line(self, line: str, key: str | None = None) -> tuple[int, int]:
        """One line's packed sum and feature count (kept: template lines recur in every message); kept by
        the line, or by ``key``, the line with its digits masked (``normalize.mask_digits``) in a text with no
        mask character of its own: the words below fold every digit to 0, so such lines sum the same."""
        by = self._kept if key is None else self._by_masked
        kept = by.get(line if key is None else key)
        if kept is None:
            padded, words = _padded(line)
            # the features see the line's words with digits folded: lines that differ in digits
            # only (an order number, a date) share one sum
            kept = self._by_words.get(padded)
            if kept is None:
                kept = (self._packed(padded), _total(padded, words)) if words else (0, 0)
                remember(self._by_words, padded, kept)
            remember(by, line if key is None else key, kept)
        return kept

    @classmethod
    def from_weights(cls, checks: Sequence[str], bias: Sequence[float], thresholds: Sequence[float],
                     weights: Mapping[str, Sequence[float]], meta: Mapping[str, Any] | None = None) -> Model:
        """Quantise float weights (feature → one weight per check) to int16 per check."""
        names = sorted(weights)
        k = len(checks)
        scales = [max((abs(weights[f][j]) for f in names), default=0.0) / 32767 or 1.0 for j in range(k)]
        q = array("h", [round(weights[f][j] / scales[j]) for f in names for j in range(k)])
        return cls(checks, bias, thresholds, names, q, scales, meta)

    def __len__(self) -> int:
        return self.size

    # -- scoring -------------------------------------------------------------------------
    def _logits(self, text: str, masked: str | None = None) -> list[float]:
        packed = total = 0
        lines = _lines(text)
        keys: list[str | None] = [None] * len(lines)
        if masked is not None and DIGIT_MASK not in text:
            keys[:] = _lines(masked)
        kept, by_masked = self._kept, self._by_masked  # self._line's look-up, inlined: ~10 lines a text
        for line, key in zip(lines, keys, strict=True):
            found = kept.get(line) if key is None else by_masked.get(key)
            p, n = found if found is not None else self._line(line, key)
            packed += p
            total += n
        k = len(self.checks)
        matches = packed >> (_FIELD * k)
        scale = 1.0 / math.sqrt(total) if total else 0.0
        bias, scales = self.bias, self.scales
        return [bias[j] + ((packed >> (_FIELD * j) & _MASK) - matches * _OFFSET) * scales[j] * scale
                for j in range(k)]

    def scores(self, text: str, masked: str | None = None) -> dict[str, float]:
        """Each check's logit for the normalised ``text``, scored whole (also scoring each sentence
        was measured on held-out data: +0.6 pt recall for +0.3–0.5 pt false blocks, so not done);
        ``masked``: the text with its digits masked, when the caller has it (the lines' cache key)."""
        return dict(zip(self.checks, self._logits(text, masked), strict=True))

    def hits(self, text: str, masked: str | None = None) -> list[Hit]:
        """The checks whose score reaches their threshold, each with its top sentence's span in ``text``."""
        thresholds = self.thresholds  # (self.scores without its dict)
        logits = self._logits(text, masked)
        fired = [(j, check, score) for j, (check, score) in enumerate(zip(self.checks, logits, strict=True))
                 if score >= thresholds[j]]
        if not fired:
            return []
        sentences = self._sentence_sums(text)
        out = []
        for j, check, score in fired:
            start, end = max(sentences, key=lambda s: s[2][j])[:2] if sentences else (0, len(text))
            out.append(Hit(check, score, self.thresholds[j], start, end))
        return out

    def _sentence_sums(self, text: str) -> list[tuple[int, int, list[int]]]:
        """Each sentence's span in ``text`` and the sum of its features' quantised weights per check."""
        bounds = [0] + [m.end() for m in SENTENCE_END.finditer(text)]
        if bounds[-1] < len(text):
            bounds.append(len(text))
        k = len(self.checks)
        out = []
        for a, b in itertools.pairwise(bounds):
            piece = text[a:b]
            if not piece.strip():
                continue
            packed = sum(self._line(line)[0] for line in piece.split("\n"))
            matches = packed >> (_FIELD * k)
            sums = [(packed >> (_FIELD * j) & _MASK) - matches * _OFFSET for j in range(k)]
            lead = len(piece) - len(piece.lstrip())
            out.append((a + lead, a + len(piece.rstrip()), sums))
        return out

    # -- file format ---------------------------------------------------------------------
    def to_json(self) -> dict[str, Any]:
        """The compact file form: int16 weights per check, little-endian, base64-encoded."""
        if len(self.names) != self.size:
            raise ValueError("classifier weights: this model was loaded without its source weights")
        q = array("h", self.quantised)
        if sys.byteorder == "big":
            q.byteswap()
        return {"format": FORMAT, "checks": list(self.checks), "bias": [round(b, 6) for b in self.bias],
                "thresholds": [round(t, 6) for t in self.thresholds], "scales": list(self.scales),
                "meta": self.meta, "features": self.names,
                "weights": base64.b64encode(q.tobytes()).decode("ascii")}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Model:
        if data.get("format") != FORMAT:
            raise ValueError(f"classifier weights: unknown format {data.get('format')!r}")
        q = array("h")
        q.frombytes(base64.b64decode(data["weights"]))
        if sys.byteorder == "big":
            q.byteswap()
        return cls(data["checks"], data["bias"], data["thresholds"], data["features"], q, data["scales"],
                   data.get("meta"), keep_source=False)


WEIGHTS = "data/classifier.json"


def load(path: Path | None = None) -> Model:
    """The model in ``path`` (default: the shipped weights)."""
    if path is not None:
        return Model.from_json(json.loads(path.read_text(encoding="utf-8")))
    text = resources.files("autoreply.compliance").joinpath(WEIGHTS).read_text(encoding="utf-8")
    return Model.from_json(json.loads(text))


@lru_cache(maxsize=1)
def default_model() -> Model:
    """The shipped model, loaded once per process."""
    return load()
