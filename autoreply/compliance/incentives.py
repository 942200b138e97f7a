"""Incentives (Amazon blocks them; AliExpress and Taobao warn): gift cards, free products, cash back,
refunds or money given in exchange for anything (PLATFORM_RULES.md).

Three readings, all on one sentence:

* a named incentive (``incentive`` in ``promotion.toml``: "gift card", "cash back", "a little
  surprise") outside a fraud warning;
* something extra given for free as thanks or goodwill (``gift_free`` + ``gift_why``) unless it
  replaces what was faulty or missing (``gift_fix``);
* a **deal** (``incentives.toml``): an act of the buyer — keeping the order, not returning it, not
  opening or withdrawing a case (``deal_keep``), a photo or video, a friend brought (``deal_act``) —
  tied by a condition or an exchange word close to it (``deal_if``: "if you", "in exchange for",
  "and receive", "wenn", "si", "如果", "…ければ", "…시면") to something given (``deal_give``: a
  gift, a coupon, a partial refund; money or a refund only with an amount — ``deal_money``: "we
  refund 20 %", "15 € zurück"; "send a photo and we will refund you" is the buyer's due). A full
  refund, a replacement, a repair or a warranty (``deal_full``) is what the buyer is owed for a
  problem, no inducement; a photo of a problem (``gift_fix``, ``quality_word``) is evidence, not an
  act paid for; a negated sentence ("we do not give anything for photos") offers nothing.
"""

from __future__ import annotations

import re

from autoreply.compliance.normalize import normalize_term
from autoreply.compliance.scan import Raw, Scan
from autoreply.compliance.terms import Hit

_STOP = re.compile(r"[.!?。！？;；\n]|\.(?!\d)")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
_CURRENCY = "|".join([r"%|％|€|\$|£|¥|￥|euros?|eur|usd|dollars?|pounds?|zl|zlotych|tl|lira|₽|reais|yuan|rmb",
                      normalize_term("руб") + r"\w*", normalize_term("грн"),
                      r"ريال\w*|درهم|جنيه|元|块|円|원|천원|만원"])
# an amount of money or a share of the price: "20 %", "15 €", "$12", "50 TL", "1000円", "5천원"
_AMOUNT = re.compile(r"\d\s*(?:[.,]\d+\s*)?(?:" + _CURRENCY + r")(?![a-z])|[$€£¥￥]\s*\d")


def _tied(scan: Scan, a: Hit, b: Hit, words: int) -> bool:
    """``a`` and ``b`` at most ``words`` words apart in one sentence (commas and quotes allowed)."""
    if a.start > b.start:
        a, b = b, a
    if b.start <= a.end:
        return True
    gap = scan.text[a.end:b.start]
    if _STOP.search(gap):
        return False
    cjk = len(_CJK.findall(gap))
    return len(gap.split()) + cjk // 3 <= words


def _deal(scan: Scan, act: Hit, *, problem_groups: tuple[str, ...]) -> bool:
    """An act tied by a condition or exchange word to something given, in one sentence."""
    s = scan.sentence(act.start)
    if scan.warning(s) or scan.negated(act):
        return False
    given = [g for g in scan.in_sentence("deal_give", act.start)
             if (g.end <= act.start or g.start >= act.end) and _tied(scan, g, act, 12)]
    if not given and scan.in_sentence("deal_money", act.start):
        a, b = scan.sentence_span(act.start)
        given = [act] if _AMOUNT.search(scan.text, a, b) else []  # "we refund 20 %", not "we will refund you"
    if not given or any(scan.in_sentence(g, act.start) for g in problem_groups):
        return False
    return any(_tied(scan, c, act, 6) for c in scan.in_sentence("deal_if", act.start))


def deals(scan: Scan) -> list[Raw]:
    """Something given for keeping the order, not returning it, dropping a case, a photo or a friend."""
    for act in scan.get("deal_keep"):
        if _deal(scan, act, problem_groups=("deal_full",)):
            return [scan.raw("incentive", act.start, act.end,
                             "offers something for keeping the order or dropping a return or a case")]
    for act in scan.get("deal_act"):
        if _deal(scan, act, problem_groups=("deal_full", "gift_fix", "quality_word")):
            return [scan.raw("incentive", act.start, act.end, "offers something for a photo, a video or a referral")]
    return []


def incentives(scan: Scan) -> list[Raw]:
    """Incentives: named ones, goodwill gifts, and deals (see the module docstring)."""
    out = [scan.raw("incentive", h.start, h.end, "an incentive (gift, cash back, free product)")
           for h in scan.get("incentive") if not scan.negated_scope(h)]  # (a warning, or "we give no gift cards")
    if not out:
        # "as a thank you we send you a second pair free of charge": something extra, given as thanks
        # or goodwill — unless it replaces what was faulty or missing
        for h in scan.get("gift_free"):
            sent = scan.sentence(h.start)
            if (scan.in_sentence("gift_why", h.start) and not scan.in_sentence("gift_fix", h.start)
                    and not scan.negated(h) and not scan.warning(sent)):
                out.append(scan.raw("incentive", h.start, h.end, "something extra given for free, as thanks"))
                break
    if not out and (scan.has("deal_keep") or scan.has("deal_act")):
        out = deals(scan)
    return out
