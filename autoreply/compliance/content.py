"""What a message says: review manipulation, promotion, incentives, insults, and the Amazon
message kinds that are not allowed (thank-you-only, confirmations Amazon sends itself, asking
why an order was cancelled, asking the buyer to cancel, "[Important]" misuse).

Most sensitive words are innocent alone (seed 004: "update", "change", "cancel", "remove" …);
each check below names the combination that makes a violation.
"""

from __future__ import annotations

import re

from autoreply.compliance.scan import Raw, Scan
from autoreply.compliance.terms import Hit


def _review_hits(scan: Scan) -> list[Hit]:
    nots = scan.get("review_not")
    return [h for h in scan.get("review")
            if not any(n.start <= h.start < n.end or h.start <= n.start < h.end for n in nots)]


def reviews(scan: Scan) -> list[Raw]:
    """Review words together with asking, positivity, changing/removing, or anything offered."""
    out: list[Raw] = []
    reviews = _review_hits(scan)
    if not reviews:
        return out
    offers = scan.get("offer")
    asked_any = False
    for r in reviews:
        sent = scan.sentence(r.start)

        def same(group: str, _sent: int = sent) -> list[Hit]:
            return [h for h in scan.get(group) if scan.sentence(h.start) == _sent]

        positive = [p for p in same("positive") if scan.near(p, r, 3) and p.start != r.start]
        negative = [n for n in same("negative") if scan.near(n, r, 3)]
        change = [c for c in same("change") if scan.near(c, r, 4)]
        conditional = same("conditional")
        avoid = same("avoid")
        asks = same("ask")
        offered = [o for o in offers if scan.sentence(o.start) == sent]
        a, b = r.start, r.end
        if change:
            c = change[0]
            out.append(scan.raw("review_manipulation", min(a, c.start), max(b, c.end),
                                "asks to change, update or remove a review"))
        elif negative and (avoid or asks):
            n = negative[0]
            out.append(scan.raw("review_manipulation", min(a, n.start), max(b, n.end),
                                "steers the buyer away from a negative review"))
        elif offered and (asks or positive or conditional):
            o = offered[0]
            out.append(scan.raw("review_manipulation", min(a, o.start), max(b, o.end),
                                "offers something in connection with a review"))
        elif positive and (asks or conditional or avoid):
            p = positive[0]
            out.append(scan.raw("review_manipulation", min(a, p.start), max(b, p.end),
                                "asks for a positive review"))
        elif conditional and asks:
            out.append(scan.raw("review_manipulation", a, b, "asks only satisfied buyers for a review"))
        elif asks:
            asked_any = True
            out.append(scan.raw("review_request", a, b, "asks the buyer for a review"))
        elif positive and "好评" not in scan.text[a:b] and any(
                o for o in offers if abs(scan.sentence(o.start) - sent) <= 1):
            out.append(scan.raw("review_manipulation", a, b, "ties a positive review to an offer"))
    if asked_any and any(o for o in offers if not scan.in_sentence("review", o.start)):
        # "We'll send you a gift. Just leave a review!" — the offer is in another sentence
        r = reviews[0]
        out.append(scan.raw("review_manipulation", r.start, r.end,
                            "asks for a review in a message that offers something"))
    return _dedupe(out)


def _dedupe(found: list[Raw]) -> list[Raw]:
    seen: set[tuple[str, int, int]] = set()
    out = []
    for f in found:
        key = (f.rule, f.start, f.end)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out


def promotions(scan: Scan) -> list[Raw]:
    out: list[Raw] = []
    nots = scan.get("promo_not")

    def excused(h: Hit) -> bool:
        return any(scan.sentence(n.start) == scan.sentence(h.start) for n in nots)

    for h in scan.get("promo"):
        if not excused(h):
            out.append(scan.raw("promotion", h.start, h.end, "marketing or promotion"))
    for h in scan.get("promo_weak"):
        if excused(h):
            continue
        ctx = [c for c in scan.in_sentence("promo_ctx", h.start) if scan.near(c, h, 4)]
        if ctx:
            c = ctx[0]
            out.append(scan.raw("promotion", min(h.start, c.start), max(h.end, c.end),
                                "marketing or promotion"))
    return _dedupe(out)


def incentives(scan: Scan) -> list[Raw]:
    nots = scan.get("incentive_not")
    out = []
    for h in scan.get("incentive"):
        if any(n.start <= h.start < n.end or h.start <= n.start < h.end for n in nots):
            continue
        out.append(scan.raw("incentive", h.start, h.end, "an incentive (gift, cash back, free product)"))
    return out


def insults(scan: Scan) -> list[Raw]:
    return [scan.raw("insult", h.start, h.end, "insulting language") for h in scan.get("insult")]


_WORD = re.compile(r"[^\W\d_]{2,}|[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")


def thanks_only(scan: Scan) -> list[Raw]:
    """A message that only thanks the buyer for the order (plus greetings and sign-off)."""
    thanks = scan.get("thanks")
    if not thanks:
        return []
    covered = [(h.start, h.end) for g in ("thanks", "filler") for h in scan.get(g)]
    for a, b in scan.sentences():
        sentence = scan.text[a:b]
        if "?" in sentence or "？" in sentence:
            return []
        words = [m for m in _WORD.finditer(sentence)]
        if not words:
            continue
        plain = [w for w in words if not any(x <= a + w.start() < y for x, y in covered)]
        if any(x <= a < y or a <= x < b for x, y in covered):
            # a courtesy sentence may carry a name and a few small words
            if len(plain) <= 6:
                continue
            return []
        # a sentence with no courtesy word: a signature line (a name) is fine, content is not
        if len(words) <= 3 and len(sentence.strip()) <= 40:
            continue
        return []
    h = thanks[0]
    return [scan.raw("thanks_only", h.start, h.end, "a message that only thanks the buyer")]


def confirmations(scan: Scan) -> list[Raw]:
    """Order, shipping, delivery or refund confirmations, which Amazon sends itself."""
    hits = scan.get("confirm")
    if not hits or scan.get("problem") or "?" in scan.text or "？" in scan.text:
        return []
    h = hits[0]
    return [scan.raw("order_confirmation", h.start, h.end,
                     "an order, shipping, delivery or refund confirmation (Amazon sends these)")]


def cancellations(scan: Scan) -> list[Raw]:
    out: list[Raw] = []
    for c in scan.get("cancel"):
        sent_a, sent_b = scan.sentence_span(c.start)
        why = [w for w in scan.in_sentence("why", c.start)]
        asking = scan.in_sentence("request", c.start) or "?" in scan.text[sent_a:sent_b] \
            or "？" in scan.text[sent_a:sent_b]
        if why and (asking or any(w.term in ("why", "warum", "pourquoi", "почему", "为什么", "なぜ", "왜",
                                             "por que", "perche", "dlaczego", "waarom", "neden",
                                             "لماذا", "为何", "どうして", "czemu", "weshalb")
                                  for w in why)):
            w = why[0]
            out.append(scan.raw("cancel_reason", min(c.start, w.start), max(c.end, w.end),
                                "asks the buyer why the order was cancelled"))
            continue
        requests = [r for r in scan.in_sentence("request", c.start) if scan.near(r, c, 6)]
        options = scan.in_sentence("option", c.start)
        if requests and not options:
            r = requests[0]
            out.append(scan.raw("ask_to_cancel", min(c.start, r.start), max(c.end, r.end),
                                "asks the buyer to cancel the order (the seller cancels)"))
    return _dedupe(out)


_IMPORTANT = re.compile(r"[\[【(（]\s*(?:important|importante|wichtig|important|importante|важно|"
                        r"ważne|wazne|belangrijk|önemli|onemli|重要|중요|مهم)\s*[\]】)）]")


def important_tag(subject: str | None, body: str) -> tuple[str, int, int] | None:
    """Where "[Important]" is written: in the subject, else on the body's first line."""
    if subject:
        m = _IMPORTANT.search(subject.casefold())
        return ("subject", m.start(), m.end()) if m else None
    first = body.split("\n", 1)[0]
    m = _IMPORTANT.search(first.casefold())
    return ("body", m.start(), m.end()) if m else None


def essential_topic(scan: Scan) -> bool:
    """Is the message about something essential to completing the order (seed 002)?"""
    return bool(scan.get("essential"))
