"""The digit-blind cache (engine.py ``DIGIT_BLIND_CHECKS``): texts that differ only in their digits share a
masked text, and an engine that has seen one must judge the other as an engine that runs every check on the
text itself does.

Each row: a name, the platform, two (subject, body) pairs whose texts differ only in their ASCII digits, and
the event's context (or None). Every row's two verdicts differ, so a digit-reading check must tell them apart.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date

import pytest

from autoreply.compliance import ComplianceEngine, MessageContext, Verdict
from autoreply.compliance.normalize import DIGIT_MASK, mask_digits
from autoreply.compliance.scan import Scan
from tests.test_compliance_context import ctx

A, X, T = "amazon", "aliexpress", "taobao"


ETA = ctx(shipment_eta=date(2026, 12, 5), shipment_status="in_transit")
RESTOCK = ctx(kind="out_of_stock", stock_available=0, restock_eta=date(2026, 12, 1))

ROWS = [
    ("a Polish phone number beside digits that are none", A,
     (None, "Zadzwoń pod numer 512 345 678."), (None, "Zadzwoń pod numer 000 000 000."), None),
    ("a US phone number beside an invalid one", A,
     (None, "You can reach me at 212 736 4100 any time."), (None, "You can reach me at 000 000 0000 any time."), None),
    ("a phone number in the subject beside digits that are none", X,
     ("Zadzwoń pod numer 512 345 678", "Your order 8003987824979074 has shipped."),
     ("Zadzwoń pod numer 000 000 000", "Your order 8003987824979074 has shipped."), None),
    ("an IBAN whose checksum holds beside one whose checksum fails", A,
     (None, "Please pay by bank transfer: IBAN DE89 3704 0044 0532 0130 00."),
     (None, "Please pay by bank transfer: IBAN DE00 3704 0044 0532 0130 00."), None),
    ("a no-reason return window shorter than seven days beside the seven days", T,
     (None, "本店支持3天无理由退货。"), (None, "本店支持7天无理由退货。"), None),
    ("the emoticon '<3' beside '<4'", A,
     (None, "Thank you so much for your order <3"), (None, "Thank you so much for your order <4"), None),
    ("five stars asked for (a key with a digit) beside zero", A,
     (None, "Leave us 5 stars and we refund the shipping."), (None, "Leave us 0 stars and we refund the shipping."),
     None),
    ("a delivery date before the carrier's estimate beside one after it", A,
     (None, "Su pedido llega el 2 de diciembre."), (None, "Su pedido llega el 8 de diciembre."), ETA),
    ("a dispatch promise before the restock beside one after it", A,
     (None, "Wir versenden Ihre Bestellung innerhalb von 2 Tagen."),
     (None, "Wir versenden Ihre Bestellung innerhalb von 9 Tagen."), RESTOCK),
]


def _outcome(v: Verdict) -> list[object]:
    return [v.verdict, [(f.check, f.severity, f.field, f.start, f.end, f.excerpt, f.message, f.source)
                        for f in v.findings]]


def _reading_every_digit() -> ComplianceEngine:
    """An engine that runs every check on the text itself (no check taken as digit-blind)."""
    engine = ComplianceEngine()
    for platform, compiled in list(engine._compiled.items()):
        engine._compiled[platform] = replace(
            compiled, subject_checks=tuple((c, False) for c, _ in compiled.subject_checks),
            body_checks=tuple((c, False) for c, _ in compiled.body_checks))
    return engine


CACHED = ComplianceEngine()
REFERENCE = _reading_every_digit()


def _check(engine: ComplianceEngine, platform: str, subject: str | None, body: str,
           context: MessageContext | None) -> list[object]:
    return _outcome(engine.check(platform=platform, subject=subject, body=body,
                                 context=None if context is None else replace(context, platform=platform)))


@pytest.mark.parametrize(("name", "platform", "first", "second", "context"), ROWS, ids=[r[0] for r in ROWS])
def test_same_masked_text_other_verdict(name: str, platform: str, first: tuple[str | None, str],
                                        second: tuple[str | None, str], context: MessageContext | None) -> None:
    """An engine that judged one text judges its digit sibling as an engine reading every digit does."""
    assert mask_digits(first[1]) == mask_digits(second[1]) and first != second
    assert mask_digits(first[0] or "") == mask_digits(second[0] or "")
    want = [_check(REFERENCE, platform, *pair, context) for pair in (first, second)]
    assert want[0] != want[1], "the digits must matter for this row"
    for order in ((first, second), (second, first), (first, second)):
        CACHED._blind.clear()
        CACHED._subject_raws.clear()
        got = [_check(CACHED, platform, *pair, context) for pair in order]
        assert got == (want if order[0] == first else want[::-1])


def test_sibling_reuses_the_entry() -> None:
    """A digit sibling of a digit-blind text takes the kept answer instead of running the checks again."""
    CACHED._blind.clear()
    body = "Hello Ana,\n\nyour order 8003987824979074 left our warehouse on 2026-11-21.\n\nKind regards"
    CACHED.check(platform=X, subject=None, body=body)
    kept = dict(CACHED._blind)
    assert len(kept) == 1
    CACHED.check(platform=X, subject=None, body=body.replace("8003987824979074", "8052092127181175"))
    assert CACHED._blind == kept and next(iter(kept.values())) is next(iter(CACHED._blind.values()))


def test_lazy_key_with_a_digit_is_not_masked() -> None:
    """A text where a lazy group's key with a digit stands ("go 10x") runs every check on itself, uncached."""
    CACHED._blind.clear()
    text = "Invest with us now and your savings could go 10x by spring."
    assert Scan.of(text, CACHED.index).digit_blind and CACHED.index.lazy_digit_key_in(Scan.of(text, CACHED.index).text)
    assert _check(CACHED, A, None, text, None) == _check(REFERENCE, A, None, text, None)
    assert not CACHED._blind
    CACHED.check(platform=A, subject=None, body=text.replace("10x", "10 times"))
    assert len(CACHED._blind) == 1


TEMPLATES = [
    "Hello {n},\n\nWe have received your message about order {order}. A member of our team will reply within "
    "{h} hours.\n\nKind regards,\nBench Shop",
    "Your order {order} was shipped on {date} with tracking number {track}; it should arrive within {h} days.",
    "您的订单{order}已于{date}发货，预计送达日期：{date}。如有问题请联系我们。",
    "Call me on {phone} or write to shop{h}@example.com about order {order}.",
    "Leave us {d} stars and get {d}{d}% off your next order, code SAVE{d}{d}!",
    "IBAN DE{d}{d} 3704 0044 0532 0130 {d}{d} — pay {h}.{d}{d} EUR there.",
    "本店支持{d}天无理由退货，{h}小时内发货。Thanks <{d}",
    "Wir versenden Ihre Bestellung innerhalb von {d} Tagen, Lieferung am {d}.{d}{d}.2026.",
]


def _digits(rnd: random.Random, n: int) -> str:
    return "".join(rnd.choice("0123456789") for _ in range(n))


@pytest.mark.parametrize("platform", [A, X, T])
def test_random_digits_agree(platform: str) -> None:
    """Texts that differ only in random digits get the verdicts of an engine reading every digit."""
    rnd = random.Random(8)
    CACHED._blind.clear()
    for _ in range(15):
        for template in TEMPLATES:
            body = template.format(n="Ana", order=_digits(rnd, 16), h=_digits(rnd, rnd.randint(1, 2)),
                                   date=f"2026-{_digits(rnd, 2)}-{_digits(rnd, 2)}", track=_digits(rnd, 12),
                                   phone=f"{_digits(rnd, 3)} {_digits(rnd, 3)} {_digits(rnd, 4)}",
                                   d=_digits(rnd, 1))
            subject = f"Your order {_digits(rnd, 16)}"
            for context in (None, ETA, RESTOCK):
                assert _check(CACHED, platform, subject, body, context) == \
                    _check(REFERENCE, platform, subject, body, context), body


def test_masked_view_reads_no_digit() -> None:
    """The masked view keeps the scan's offsets, hits and sentences and shows every ASCII digit as a 0."""
    text = "Your order 8003987824979074 ships in 2 days. Please review it on 12/03!"
    scan = Scan.of(text, CACHED.index)
    assert scan.digit_blind
    zeroed = mask_digits(text).replace(DIGIT_MASK, "0")
    view = scan.masked_view(zeroed)
    assert view.norm.original == zeroed and view.text == scan.masked.replace(DIGIT_MASK, "0")
    assert not any(c in view.text or c in view.norm.original for c in "123456789")
    assert view.hits == scan.hits and view.sentence_starts == scan.sentence_starts and view.masked == scan.masked
    assert (view.norm.starts, view.norm.ends) == (scan.norm.starts, scan.norm.ends)


def test_text_with_the_mask_itself_is_not_masked() -> None:
    """A text that holds the mask character (an Arabic-Indic zero) beside ASCII digits runs every check on itself."""
    CACHED._blind.clear()
    text = f"Your order 80039878 and the code {DIGIT_MASK}12 are noted, thank you."
    assert _check(CACHED, A, None, text, None) == _check(REFERENCE, A, None, text, None)
    assert not CACHED._blind
