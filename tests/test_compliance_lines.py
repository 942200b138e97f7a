"""The compliance engine keeps what it found per line (folding, term hits) because rendered
templates repeat their lines; a verdict must never depend on which messages came before, and the
word lists tried only where a word starts must find what the full regex finds."""

from __future__ import annotations

import re

from autoreply.compliance import ComplianceEngine
from autoreply.compliance.literals import bounded_words, finditer_at

# multi-line messages that share lines, in several scripts, some with violations
LINES = [
    "Hello Lucía,",
    "Your order 8012345678901234 has been shipped with Cainiao.",
    "Add me on WhatsApp +34 612 345 678 for a discount!",
    "您好，您的订单已经发货了，请注意查收。",
    "加我微信 abc12345，私下交易更便宜。",
    "Здравствуйте! Ваш заказ отправлен, доставка 5 декабря.",
    "Please leave us 5 stars and we refund 10 €.",
    "주문번호 8092776745107435 건은 현재 처리 중입니다.",
    "Kind regards,",
    "Bench Shop",
]
MESSAGES = ["\n".join(LINES[i:i + 4]) for i in range(len(LINES) - 3)] + ["\n".join(reversed(LINES))]


def _verdicts(engine: ComplianceEngine, messages: list[str]) -> list[dict]:
    return [engine.check(platform=platform, subject=None, body=body).as_dict()
            for body in messages for platform in ("amazon", "aliexpress", "taobao")]


def test_verdicts_do_not_depend_on_earlier_messages() -> None:
    """Each message gets the same findings from a fresh engine as after the others shared its lines."""
    alone = [_verdicts(ComplianceEngine(), [m]) for m in MESSAGES]
    warmed = ComplianceEngine()
    _verdicts(warmed, MESSAGES)  # every line seen once already
    assert [_verdicts(warmed, [m]) for m in MESSAGES] == alone
    assert any(v["verdict"] == "block" for vs in alone for v in vs)


def test_a_line_break_separates_like_the_text_edge() -> None:
    """A term split over two lines is not found; the same term on one line is."""
    engine = ComplianceEngine()
    joined = engine.check(platform="aliexpress", subject=None, body="Add us on\nWhatsApp: 612345678")
    split = engine.check(platform="aliexpress", subject=None, body="bank\ntransfer")
    whole = engine.check(platform="aliexpress", subject=None, body="Pay me by bank transfer directly.")
    assert joined.blocked
    assert not any(f.check == "off_platform_payment" for f in split.findings)
    assert any(f.check == "off_platform_payment" for f in whole.findings)


def test_word_lists_find_what_the_regex_finds() -> None:
    """Trying a bounded word list only where a word starts gives the regex's own matches."""
    words = bounded_words(("tel", "phone", "call", "телефон", "电话", "no.", "#"))
    texts = ["call me: tel 612 345 678", "telephone", "hotel phone", "номер телефона 123",
             "请拨打电话12345678", "order no. 5, item #3", "recall", "", "phonephone"]
    for text in texts:
        assert [m.span() for m in words.finditer(text)] == [m.span() for m in words.pattern.finditer(text)]


def test_finditer_at_skips_inside_a_match() -> None:
    """A candidate start inside the previous match is not tried, as ``re.finditer`` does not."""
    pattern = re.compile(r"ab+|b")
    assert [m.group() for m in finditer_at(pattern, "abbb b", [0, 1, 2, 5])] == ["abbb", "b"]
