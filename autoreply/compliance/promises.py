"""Find dispatch and delivery promises in a message and the latest date each one commits to.

"ships within 3 days", "llega el 2 de diciembre", "明天发货", "wird morgen versandt" …
A promise is a time expression (a date, today/tomorrow, "within N days/hours") in one
sentence with a dispatch or a delivery word near it. Month names come from Babel (CLDR)
for the fourteen template languages, so "2 декабря", "2 grudnia", "2. Dezember" all parse;
they are read from ``data/month_names.json``, Babel's names written out once
(``python -m autoreply.compliance.promises > autoreply/compliance/data/month_names.json``;
a test checks the file against Babel), so the daemon does not load fourteen whole CLDR locales
(~13 MiB) at start for them.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from importlib import resources
from typing import Any, Literal

import ahocorasick_rs

from autoreply.compliance.linecache import remember
from autoreply.compliance.literals import finditer_at
from autoreply.compliance.normalize import DIGIT_MASK, Normalized, normalize_term

LANGS = ("en", "es", "fr", "de", "pt", "ru", "it", "pl", "nl", "tr", "ja", "ko", "zh", "ar")

_DISPATCH = [
    "ship", "ships", "shipped", "shipping", "dispatch", "dispatched", "dispatches", "send", "sent",
    "goes out", "leave our warehouse", "leaves our warehouse", "posted", "envio", "enviamos",
    "enviaremos", "enviado", "enviada", "se envia", "despachamos", "despacho", "sale", "saldra",
    "expedie", "expediee", "expedions", "expedierons", "expedition", "envoye", "envoyee", "versand",
    "versandt", "versendet", "versenden", "verschickt", "verschicken", "enviaremos", "despachado",
    "отправ", "отгруз", "spediamo", "spediremo", "spedito", "spedita", "spedizione", "wyslemy",
    "wysylamy", "wyslane", "wysylka", "verzenden", "verzonden", "versturen", "verstuurd", "kargoya",
    "kargo", "gonderilecek", "gonderiyoruz", "发货", "发出", "寄出", "出库", "発送", "出荷", "발송", "출고",
    "شحن", "سنشحن", "إرسال",
]
_DELIVERY = [
    "arrive", "arrives", "arriving", "delivered", "delivery", "deliver", "receive", "reach you", "get it",
    "llega", "llegara", "llegue", "entrega", "entregado", "recibira", "arrivera", "livre", "livree",
    "livraison", "recevrez", "lieferung", "geliefert", "zugestellt", "zustellung", "ankommen", "kommt",
    "erhalten", "chega", "chegara", "entregue", "recebera", "доставк", "достав", "прибудет", "получите",
    "arrivera", "consegna", "consegnato", "riceverai", "dotrze", "dostarcz", "otrzymasz", "geleverd",
    "bezorgd", "levering", "ontvangt", "teslim", "ulasacak", "送达", "到达", "到货", "签收", "收到", "お届け",
    "到着", "届き", "도착", "배송", "받으", "توصيل", "يصل", "وصول",
]
_TODAY = ["today", "hoy", "aujourd'hui", "heute", "hoje", "сегодня", "oggi", "dzisiaj", "dzis", "vandaag",
          "bugun", "今天", "今日", "当天", "本日", "当日", "오늘", "당일", "اليوم"]
_TOMORROW = ["tomorrow", "manana", "demain", "morgen", "amanha", "завтра", "domani", "jutro", "yarin",
             "明天", "明日", "次日", "翌日", "내일", "غدا"]
_DAYS = r"(?:business days?|working days?|days?|dias?|jours?|tagen?|werktagen?|giorni|dni|dagen|gun|" \
        r"дн(?:я|ей|и)|день|суток|yom|أيام|يوم)"
_HOURS = r"(?:hours?|hrs?|h|horas?|heures?|stunden?|ore|godzin[ya]?|uur|saat|час(?:а|ов)?|ساعة)"
_DAYS = normalize_term(_DAYS)
_HOURS = normalize_term(_HOURS)


@dataclass(frozen=True)
class Promise:
    kind: str  # dispatch | delivery
    latest: date
    start: int  # span on the ORIGINAL text
    end: int


def _alt(words: list[str]) -> str:
    return "|".join(sorted({re.escape(normalize_term(w)) for w in words}, key=len, reverse=True))


_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")


def _words(words: list[str]) -> re.Pattern[str]:
    """Whole words for alphabetic scripts; anywhere for CJK."""
    cjk = [w for w in words if _CJK.search(w)]
    other = [w for w in words if not _CJK.search(w)]
    return re.compile(rf"(?<!\w)(?:{_alt(other)})(?!\w)|(?:{_alt(cjk)})")


MONTH_NAMES = "data/month_names.json"
_MONTH_FORMS: tuple[tuple[Literal["wide", "abbreviated"], Literal["format", "stand-alone"]], ...] = (
    ("wide", "format"), ("wide", "stand-alone"), ("abbreviated", "format"), ("abbreviated", "stand-alone"))


def babel_month_names() -> dict[str, Any]:
    """Babel's (CLDR's) month names of ``LANGS``: language → form → the twelve names in order."""
    from babel.dates import get_month_names

    return {lang: {f"{width} {ctx}": [get_month_names(width, ctx, locale=lang)[n] for n in range(1, 13)]
                   for width, ctx in _MONTH_FORMS}
            for lang in LANGS}


def month_names() -> dict[str, Any]:
    """The month names as shipped in ``data/month_names.json`` (the same shape as Babel's)."""
    text = resources.files("autoreply.compliance").joinpath(MONTH_NAMES).read_text(encoding="utf-8")
    return dict(json.loads(text)["languages"])


@lru_cache(maxsize=1)
def _months() -> tuple[re.Pattern[str], dict[str, int]]:
    names: dict[str, int] = {}
    table = month_names()
    for lang in LANGS:
        for width, ctx in _MONTH_FORMS:
            for num, name in enumerate(table[lang][f"{width} {ctx}"], start=1):
                key = normalize_term(name).strip(".")
                if len(key) >= 3 and not key.isdigit():
                    names.setdefault(key, num)
    alt = "|".join(sorted(map(re.escape, names), key=len, reverse=True))
    return re.compile(alt), names


# what follows the number of "within N days": no connector and no unit starts with a digit, so a match
# that starts in a run of digits reads to the run's end and this follows it there
_WITHIN_TAIL = rf"\s*(?:-|to|a|à|bis|до|do|tot)?\s*(?:\d{{1,3}}\s*)?({_DAYS}|{_HOURS})\b"


@lru_cache(maxsize=1)
def _patterns() -> dict[str, re.Pattern[str]]:
    months, _ = _months()
    m = months.pattern
    return {
        "dispatch": re.compile(_alt(_DISPATCH)),
        "delivery": re.compile(_alt(_DELIVERY)),
        "within": re.compile(rf"(\d{{1,3}}){_WITHIN_TAIL}"),
        "within_tail": re.compile(_WITHIN_TAIL),
        "cjk_within": re.compile(r"(?<![月월\d])(\d{1,3})\s*个?(天|日|営業日|小时|時間|일|시간)"
                                 r"\s*(?:内|以内|之内|이내|안에)"),
        "today": _words(_TODAY),
        "tomorrow": _words(_TOMORROW),
        # (numbers: the first digit, then "no digit before it" — re skips to a digit)
        "day_month": re.compile(rf"(\d(?<!\d\d)\d?)(?:\.|er|st|nd|rd|th)?\s*(?:de\s+|of\s+)?({m})\b\.?"
                                rf"(?:\s*(?:de\s+)?(\d{{4}}))?"),
        "month_day": re.compile(rf"\b({m})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s*(\d{{4}}))?"),
        "cjk_date": re.compile(r"(?:(\d{4})\s*[年년]\s*)?(\d{1,2})\s*[月월]\s*(\d{1,2})\s*[日일号]?"),
        "iso": re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b"),
        "numeric": re.compile(r"(\d(?<![\d.]\d)\d?)[./](\d{1,2})(?:[./](\d{2,4}))?(?![\d])"),
    }


@lru_cache(maxsize=1)
def _hints() -> tuple[ahocorasick_rs.AhoCorasick, list[frozenset[str]], list[str]]:
    """Every literal the patterns need, in one automaton, with what each one is (a dispatch or
    delivery word, a today or tomorrow word, a month name): which of them a text holds decides
    which patterns can match at all (a pattern without its literal is not run)."""
    flags: dict[str, set[str]] = {}
    _, month_names = _months()
    for flag, words in (("kind", [normalize_term(w) for w in _DISPATCH + _DELIVERY]),
                        ("today", [normalize_term(w) for w in _TODAY]),
                        ("tomorrow", [normalize_term(w) for w in _TOMORROW]),
                        ("month", list(month_names))):
        for key in words:
            if key:
                flags.setdefault(key, set()).add(flag)
    keys = list(flags)
    return ahocorasick_rs.AhoCorasick(keys), [frozenset(flags[k]) for k in keys], keys


_DIGIT = re.compile(r"\d")
_DIGITS = re.compile(r"\d+")
_STOP = re.compile(r"[.!?。！？;\n]")


def warm() -> None:
    """Build the patterns now (month names of every language, once per process) rather than
    on the first message."""
    _patterns()
    _hints()
    _line_hints()


def _date(today: date, month: int, day: int, year: int | None) -> date | None:
    try:
        if year:
            return date(year if year > 100 else 2000 + year, month, day)
        d = date(today.year, month, day)
    except ValueError:
        return None
    return d if d >= today - timedelta(days=60) else d.replace(year=today.year + 1)


def _business(today: date, days: int) -> date:
    d = today
    while days > 0:
        d += timedelta(days=1)
        if d.weekday() < 5:
            days -= 1
    return d


@lru_cache(maxsize=1)
def _line_hints() -> tuple[ahocorasick_rs.AhoCorasick | None, list[int], ahocorasick_rs.AhoCorasick | None, list[int],
                           tuple[str, ...]] | None:
    """The hint literals split in two automatons, each with its keys' indexes in :func:`_hints`': those with
    no ASCII digit, whose matches are the same on a line with its digits masked, and those with one ("10月",
    "12월": found on the whole text, when it holds an ASCII digit and the last character of one of them).
    ``None`` when a literal holds the mask or a line break (never found per line)."""
    _, _, keys = _hints()
    if any(DIGIT_MASK in k or "\n" in k for k in keys):
        return None
    ascii_digit = [any("0" <= c <= "9" for c in k) for k in keys]
    plain = [i for i, k in enumerate(keys) if not ascii_digit[i]]
    digit = [i for i, k in enumerate(keys) if ascii_digit[i]]
    gate = tuple(sorted({keys[i][-1] for i in digit}))  # a key's match holds its last character
    return (ahocorasick_rs.AhoCorasick([keys[i] for i in plain]) if plain else None, plain,
            ahocorasick_rs.AhoCorasick([keys[i] for i in digit]) if digit else None, digit, gate)


# each masked line's plain hint matches (key index in _hints, start, end), kept: rendered lines recur but for
# their digits
_HINT_LINES: dict[str, list[tuple[int, int, int]]] = {}


def _hint_matches(text: str, masked: str | None) -> list[tuple[int, int, int]]:
    """The hint automaton's matches in ``text`` (overlapping ones too; in no set order): the literals with no
    digit per line of ``masked`` (``text`` with its digits masked), each line's kept; the others on the text."""
    split = _line_hints()
    if masked is None or len(masked) != len(text) or split is None:
        return _hints()[0].find_matches_as_indexes(text, overlapping=True)
    plain, plain_keys, digit, digit_keys, gate = split
    out: list[tuple[int, int, int]] = []
    if plain is not None:
        offset = 0
        kept = _HINT_LINES
        for line in masked.split("\n") if "\n" in masked else (masked,):
            found = kept.get(line)
            if found is None:
                found = remember(kept, line, [(plain_keys[k], a, b) for k, a, b in
                                              plain.find_matches_as_indexes(line, overlapping=True)])
            if found:
                out.extend([(key, a + offset, b + offset) for key, a, b in found] if offset else found)
            offset += len(line) + 1
    if digit is not None and masked != text and any(c in text for c in gate):
        out += [(digit_keys[k], a, b) for k, a, b in digit.find_matches_as_indexes(text, overlapping=True)]
    return out


def find_promises(norm: Normalized, today: date, locale: str | None = None,
                  masked: str | None = None) -> list[Promise]:
    """The promises in ``norm``'s text (``masked``: that text through ``normalize.mask_digits``, when the
    caller has it: the literals are then found per line, each line's kept)."""
    text = norm.text
    # a promise needs a dispatch or delivery word: where those words are (every occurrence,
    # overlapping ones too) and which other literals the text holds decide what runs below
    kinds: list[tuple[int, int]] = []
    starts: dict[str, list[int]] = {"today": [], "tomorrow": [], "month": []}
    key_flags = _hints()[1]
    for key, start, end in _hint_matches(text, masked):
        for flag in key_flags[key]:
            if flag == "kind":
                kinds.append((start, end))
            else:
                starts[flag].append(start)
    if not kinds:
        return []
    p = _patterns()
    _, month_names = _months()
    us = (locale or "").lower().startswith("en-us") or (locale or "").lower() == "en"
    digit = _DIGIT.search(text) is not None
    times: list[tuple[int, int, date]] = []
    # "within N days" starts at one of the last six digits of a run (up to three, a range's up to
    # three more, then a unit, never a digit) and its tail follows the run: tried there only
    tail = p["within_tail"].match
    ends = [j for r in _DIGITS.finditer(text) if tail(text, r.end())
            for j in range(max(r.start(), r.end() - 6), r.end())] if digit else []
    for m in finditer_at(p["within"], text, ends):
        n = int(m.group(1))
        unit = m.group(2)
        if re.match(_HOURS + r"$", unit):
            latest = today + timedelta(days=max(0, math.ceil(n / 24)))
        elif "business" in unit or "working" in unit or "werktag" in unit:
            latest = _business(today, n)
        else:
            latest = today + timedelta(days=n)
        times.append((m.start(), m.end(), latest))
    for m in p["cjk_within"].finditer(text) if digit and ("内" in text or "이내" in text or "안에" in text) else ():
        n = int(m.group(1))
        unit = m.group(2)
        latest = today + timedelta(days=math.ceil(n / 24) if unit in ("小时", "時間", "시간") else n)
        if unit == "営業日":
            latest = _business(today, n)
        times.append((m.start(), m.end(), latest))
    # these patterns match only where one of their words starts: tried there only
    for m in finditer_at(p["today"], text, starts["today"]):
        times.append((m.start(), m.end(), today))
    for m in finditer_at(p["tomorrow"], text, starts["tomorrow"]):
        times.append((m.start(), m.end(), today + timedelta(days=1)))
    for m in p["day_month"].finditer(text) if digit and starts["month"] else ():
        d = _date(today, month_names[m.group(2).strip(".")], int(m.group(1)), int(m.group(3)) if m.group(3) else None)
        if d:
            times.append((m.start(), m.end(), d))
    for m in finditer_at(p["month_day"], text, starts["month"] if digit else []):
        d = _date(today, month_names[m.group(1).strip(".")], int(m.group(2)), int(m.group(3)) if m.group(3) else None)
        if d:
            times.append((m.start(), m.end(), d))
    for m in p["cjk_date"].finditer(text) if digit and ("月" in text or "월" in text) else ():
        d = _date(today, int(m.group(2)), int(m.group(3)), int(m.group(1)) if m.group(1) else None)
        if d:
            times.append((m.start(), m.end(), d))
    for m in p["iso"].finditer(text) if digit and "-" in text else ():
        d = _date(today, int(m.group(2)), int(m.group(3)), int(m.group(1)))
        if d:
            times.append((m.start(), m.end(), d))
    for m in p["numeric"].finditer(text) if digit and ("." in text or "/" in text) else ():
        a, b = int(m.group(1)), int(m.group(2))
        month, day = (a, b) if us else (b, a)
        d = _date(today, month, day, int(m.group(3)) if m.group(3) else None)
        if d:
            times.append((m.start(), m.end(), d))

    out: list[Promise] = []
    seen: set[tuple[int, int]] = set()
    for start, end, latest in times:
        if latest < today or (start, end) in seen:
            continue
        seen.add((start, end))
        lo, hi = max(0, start - 45), min(len(text), end + 25)
        if not any(lo <= a and b <= hi for a, b in kinds):
            continue  # no dispatch or delivery word inside the window
        window = text[lo:hi]
        rel = start - lo
        best: tuple[int, str] | None = None
        for kind in ("dispatch", "delivery"):
            for k in p[kind].finditer(window):
                gap = window[min(k.end(), rel):max(k.start(), rel)]
                if _STOP.search(gap):
                    continue
                distance = abs(k.start() - rel)
                if best is None or distance < best[0]:
                    best = (distance, kind)
        if best is None:
            continue
        a, b = norm.span(start, end)
        out.append(Promise(best[1], latest, a, b))
    return out


if __name__ == "__main__":
    import babel

    lines = [f'  "{lang}": {{' + ", ".join(f'"{form}": {json.dumps(names, ensure_ascii=False)}'
                                           for form, names in forms.items()) + "}"
             for lang, forms in babel_month_names().items()]
    print(f'{{"source": "Babel {babel.__version__} (CLDR), babel.dates.get_month_names",\n'
          ' "languages": {\n' + ",\n".join(lines) + "\n}}")
