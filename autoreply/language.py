"""Which language to write in, and why.

The chain, each step recorded as the reason: ``detected`` (the buyer's own words, when the
detector is confident) → ``buyer_locale`` → ``marketplace`` (the marketplace's language) →
``buyer_country`` (the main language of the buyer's country) → ``default`` (the configured
default). A language is only chosen when the template has it.

The detector's confidence is combined with those priors: when a short text fits two languages
("Excelente vendedor" is Spanish and Portuguese) and the buyer's locale, marketplace or country
names one of them, that one wins (reason: the prior that decided, with a ``detail``). When the
text and the locale agree on the language, the locale supplies the variant (``pt`` text from a
``pt-PT`` account is ``pt-PT``).

Variants fall back cleanly, with CLDR's data: ``zh-TW``/``zh-HK``/``zh-Hant-TW`` → the
``zh-Hant`` template, ``zh-CN``/``zh-SG`` → ``zh``; ``es-MX`` → ``es-MX``, ``es-419``, ``es``;
``pt-BR`` → ``pt-BR``, ``pt``; and when nothing else fits, another variant of the same language
(``pt-PT`` when only ``pt-BR`` exists) rather than a different language.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
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

# How strongly each prior speaks for a language the text also fits.
PRIOR_WEIGHTS: dict[str, float] = {"buyer_locale": 4.0, "marketplace": 2.0, "buyer_country": 2.0}
# A runner-up below this share of the detector's belief is not "also fits".
AMBIGUOUS_FLOOR = 0.2


@dataclass(frozen=True)
class Detection:
    """What the text alone says: a language (ISO 639-1) or ``None``, and how sure."""

    language: str | None
    confidence: float
    reason: str = ""
    variant: str | None = None  # a script the text shows (zh: ``Hans``/``Hant``)
    candidates: tuple[tuple[str, float], ...] = ()  # the best few, best first

    def share(self, language: str) -> float:
        """The detector's belief in ``language`` (0 when not among its candidates)."""
        for lang, p in self.candidates:
            if lang == language:
                return p
        return self.confidence if language == self.language else 0.0


class Detector(Protocol):
    def detect(self, text: str) -> Detection: ...


@dataclass(frozen=True)
class LanguageChoice:
    detected: str | None
    confidence: float
    chosen: str
    reason: str
    template_language: str
    detail: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"detected": self.detected, "confidence": self.confidence, "chosen": self.chosen,
                "reason": self.reason, "template_language": self.template_language,
                "detail": self.detail}


@lru_cache(maxsize=4096)  # pure; a few hundred locales in practice
def normalise_tag(tag: str | None) -> str | None:
    """``es_ES`` → ``es-ES``, ``PT-br`` → ``pt-BR``, ``zh-hant-tw`` → ``zh-Hant-TW``."""
    if not tag:
        return None
    parts = [p for p in tag.strip().replace("_", "-").split("-") if p]
    if not parts:
        return None
    out = [parts[0].lower()]
    for part in parts[1:]:
        out.append(part.upper() if len(part) == 2 else part.title() if len(part) == 4 else part)
    return "-".join(out)


def _cldr() -> tuple[Callable[[str], str | None], Callable[[str], str | None]]:
    """CLDR's likely subtags and parent exceptions, looked up (autoreply.cldr's shipped table,
    not Babel's whole global data loaded for these two)."""
    from autoreply import cldr

    return cldr.likely_subtags, cldr.parent_exception


def _split(tag: str) -> tuple[str, str | None, str | None]:
    parts = tag.split("-")
    lang, script, region = parts[0], None, None
    for part in parts[1:]:
        if len(part) == 4 and part.isalpha():
            script = part
        elif (len(part) == 2 and part.isalpha()) or (len(part) == 3 and part.isdigit()):
            region = part
    return lang, script, region


def tag_candidates(tag: str) -> list[str]:
    """Template languages to try for ``tag``, most specific first (CLDR likely subtags + parents)."""
    return list(_tag_candidates(tag))


@lru_cache(maxsize=4096)
def _tag_candidates(tag: str) -> tuple[str, ...]:
    likely, parents = _cldr()
    lang, script, region = _split(tag)
    default_script = _split((likely(lang) or lang).replace("_", "-"))[1]
    if script is None:
        guess = likely(f"{lang}_{region}") if region else None
        script = _split(guess.replace("_", "-"))[1] if guess else default_script
    out = [tag]
    if script and script != default_script:  # zh-TW → zh-Hant-TW, zh-Hant; never plain zh first
        out += [f"{lang}-{script}-{region}" if region else f"{lang}-{script}", f"{lang}-{script}"]
        parent = parents(f"{lang}_{script}_{region}") if region else None
        if parent:
            out.append(parent.replace("_", "-"))
    if region:
        out.append(f"{lang}-{region}")
        parent = parents(f"{lang}_{region}")
        if parent:
            out.append(parent.replace("_", "-"))
    out.append(lang)
    return tuple(dict.fromkeys(out))


def fit_template(tag: str | None, available: set[str]) -> str | None:
    """The template language for ``tag`` among ``available``, or ``None``."""
    if not tag:
        return None
    for candidate in _tag_candidates(tag):
        if candidate in available:
            return candidate
    base = tag.split("-")[0]
    variants = sorted(a for a in available if a.split("-")[0] == base)
    return variants[0] if variants else None


@lru_cache(maxsize=1024)
def country_language(country: str | None) -> str | None:
    """The main language of a country (``BR`` → ``pt-BR``, ``TW`` → ``zh-Hant-TW``)."""
    if not country:
        return None
    code = country.strip().upper()
    if code in MARKETPLACE_LANGUAGE and code not in ("TW", "HK"):
        return f"{MARKETPLACE_LANGUAGE[code]}-{code}" if code != "UK" else "en-GB"
    likely, _ = _cldr()
    found = likely(f"und_{code}")
    if not found:
        return None
    lang, script, region = _split(found.replace("_", "-"))
    default_script = _split((likely(lang) or lang).replace("_", "-"))[1]
    parts = [lang] + ([script] if script and script != default_script else []) + ([region] if region else [])
    return "-".join(parts)


def _base(tag: str | None) -> str | None:
    return tag.split("-")[0] if tag else None


def choose_language(
    *,
    text: str | None,
    buyer_locale: str | None,
    marketplace: str | None,
    default: str,
    available: set[str],
    detector: Detector | None = None,
    min_confidence: float = 0.5,
    buyer_country: str | None = None,
) -> LanguageChoice:
    """Pick the language for one message; ``available`` is the template's language set."""
    detection = Detection(None, 0.0)
    if detector is not None and text and text.strip():
        detection = detector.detect(text)
    priors = [
        ("buyer_locale", normalise_tag(buyer_locale)),
        ("marketplace", MARKETPLACE_LANGUAGE.get((marketplace or "").upper())),
        ("buyer_country", country_language(buyer_country)),
    ]
    confidence = round(detection.confidence, 4)

    def choice(tag: str, reason: str, template: str, detail: str) -> LanguageChoice:
        return LanguageChoice(detection.language, confidence, tag, reason, template, detail)

    if detection.language and detection.confidence >= min_confidence:
        # A prior may tip a text that fits two languages.
        weighted: dict[str, float] = {}
        for lang, share in (detection.candidates or ((detection.language, detection.confidence),)):
            weight = 1.0
            for reason, tag in priors:
                if _base(tag) == lang:
                    weight *= PRIOR_WEIGHTS[reason]
            weighted[lang] = share * weight
        best = max(weighted, key=lambda k: weighted[k])
        if best != detection.language and detection.share(best) >= AMBIGUOUS_FLOOR:
            reason, tag = next((r, t) for r, t in priors if _base(t) == best)
            assert tag is not None
            template = fit_template(tag, available)
            if template:
                return choice(tag, reason, template,
                              f"the text fits {detection.language} ({detection.confidence:.2f}) and "
                              f"{best} ({detection.share(best):.2f}); {reason.replace('_', ' ')} "
                              f"says {tag}")
        tag = detection.language
        if detection.variant:
            tag = f"{tag}-{detection.variant}"
        else:
            # the same language as the buyer's locale/country: take its variant (pt → pt-PT)
            tag = next((t for _, t in priors if t and _base(t) == detection.language), tag)
        template = fit_template(tag, available)
        if template:
            return choice(tag, "detected", template, detection.reason)
        detail = f"detected {detection.language} but the template has no such language"
    elif detection.language:
        detail = (f"detected {detection.language} only at {detection.confidence:.2f} "
                  f"(< {min_confidence}); {detection.reason}")
    else:
        detail = detection.reason or "no text to detect"

    for reason, tag in (*priors, ("default", default)):
        template = fit_template(tag, available)
        if template and tag:
            return choice(tag, reason, template, detail)
    # the configured default has no template: take any, deterministically
    fallback = sorted(available)[0] if available else default
    return choice(fallback, "only_available", fallback, detail)
