"""Which language to write in, and why.

The chain, each step recorded as the reason: ``detected`` (the buyer's own words, when the
detector is confident) → ``buyer_locale`` → ``marketplace`` (the marketplace's language) →
``default`` (the configured default). A language is only chosen when the template has it
(exact tag such as ``pt-BR`` first, then its base ``pt``).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Protocol

# The main language of each marketplace (Amazon, AliExpress and Taobao storefront codes).
MARKETPLACE_LANGUAGE: dict[str, str] = {
    "US": "en", "GB": "en", "UK": "en", "CA": "en", "AU": "en", "IE": "en", "IN": "en",
    "SG": "en", "ZA": "en", "NZ": "en", "ES": "es", "MX": "es", "AR": "es", "CL": "es",
    "CO": "es", "PE": "es", "FR": "fr", "BE": "fr", "DE": "de", "AT": "de", "CH": "de",
    "IT": "it", "NL": "nl", "PL": "pl", "SE": "sv", "TR": "tr", "BR": "pt", "PT": "pt",
    "JP": "ja", "KR": "ko", "CN": "zh", "TW": "zh-Hant", "HK": "zh-Hant", "SA": "ar",
    "AE": "ar", "EG": "ar", "RU": "ru", "UA": "uk", "IL": "he",
}


@dataclass(frozen=True)
class Detection:
    language: str | None
    confidence: float


class Detector(Protocol):
    def detect(self, text: str) -> Detection: ...


@dataclass(frozen=True)
class LanguageChoice:
    detected: str | None
    confidence: float
    chosen: str
    reason: str
    template_language: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def normalise_tag(tag: str | None) -> str | None:
    """``es_ES`` → ``es-ES``, ``PT-br`` → ``pt-BR``; ``None`` stays ``None``."""
    if not tag:
        return None
    parts = tag.replace("_", "-").split("-")
    out = [parts[0].lower()]
    for part in parts[1:]:
        out.append(part.upper() if len(part) == 2 else part.title() if len(part) == 4 else part)
    return "-".join(out)


def choose_language(
    *,
    text: str | None,
    buyer_locale: str | None,
    marketplace: str | None,
    default: str,
    available: set[str],
    detector: Detector | None = None,
    min_confidence: float = 0.5,
) -> LanguageChoice:
    """Pick the language for one message; ``available`` is the template's language set."""

    def fits(tag: str | None) -> str | None:
        if not tag:
            return None
        if tag in available:
            return tag
        base = tag.split("-")[0]
        return base if base in available else None

    detection = Detection(None, 0.0)
    if detector is not None and text and text.strip():
        detection = detector.detect(text)

    candidates = [
        ("detected", detection.language if detection.confidence >= min_confidence else None),
        ("buyer_locale", normalise_tag(buyer_locale)),
        ("marketplace", MARKETPLACE_LANGUAGE.get((marketplace or "").upper())),
        ("default", default),
    ]
    for reason, tag in candidates:
        template_lang = fits(tag)
        if template_lang and tag:
            return LanguageChoice(detection.language, round(detection.confidence, 4), tag, reason, template_lang)
    # the configured default has no template: take any, deterministically
    fallback = sorted(available)[0] if available else default
    return LanguageChoice(detection.language, round(detection.confidence, 4), fallback, "only_available", fallback)
