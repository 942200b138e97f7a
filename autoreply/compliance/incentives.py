"""Incentives (Amazon blocks them; AliExpress and Taobao warn): gift cards, free products, cash back,
refunds or money given in exchange for anything (PLATFORM_RULES.md).

Three readings, all on one sentence:

* a named incentive (``incentive`` in ``promotion.toml``: "gift card", "cash back", "a little
  surprise") outside a fraud warning;
* something extra given for free as thanks or goodwill (``gift_free`` + ``gift_why``) unless it
  replaces what was faulty or missing (``gift_fix``);
* a **deal** (``incentives.toml``): an act of the buyer — keeping the order, not returning it, not
  opening or withdrawing a case (``deal_keep``), a photo or video, a word on how they like it, a
  friend brought (``deal_act``) — exchanged for something given (``deal_give``: a
  gift, a coupon, a second one; money or a refund only with an amount — ``deal_money``: "we
  refund 20 %", "15 € zurück"; "send a photo and we will refund you" is the buyer's due). The
  exchange is read from the structure, not from one writer's words: a condition or exchange word
  close to the act or between act and gift (``deal_if``: "if you", "once", "sobald", "如果",
  "…시면"); or none at all when the act comes first and the gift after it — "keep the item and
  take 10 € back", "send us a photo, a second one is on its way" (a sending or sharing verb,
  ``deal_do``, at a photo); or a next sentence opening with an exchange word (``deal_return``:
  "In return…", "代わりに…"). A full refund, a replacement, a new one, a repair or a warranty
  (``deal_full``) is what the buyer is owed for a problem, no inducement; a photo of a problem
  (``gift_fix``, ``quality_word``) is evidence, not an act paid for; a negated deal ("we do not
  give anything for photos") offers nothing — a negation in a clause of its own beside the deal
  ("…, no need to return anything") is part of it.
"""

from __future__ import annotations

import re

from autoreply.compliance.normalize import normalize_term
from autoreply.compliance.scan import Raw, Scan
from autoreply.compliance.terms import Hit

_STOP = re.compile(r"[.!?。！？;；\n]|\.(?!\d)")
# a clause break: a comma, or "and" before a new clause ("… zwrócimy 30 zł i nie trzeba …")
_CLAUSE = re.compile(r"[,;:，；、،—–]|\s(?:and|und|et|y|e|en|ve|i|и|a)\s")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
_CURRENCY = "|".join([r"%|％|٪|€|\$|£|¥|￥|euros?|eur|usd|dollars?|pounds?|zl|zlotych|tl|lira|₽|reais|yuan|rmb",
                      # round 17: "15美元", "15달러", "20 dólares"
                      r"dolar\w*|dolares|" + normalize_term("доллар") + r"\w*",
                      r"美元|美金|欧元|英镑|달러|유로|ドル|ユーロ",
                      normalize_term("руб") + r"\w*", normalize_term("грн"),
                      r"ريال\w*|درهم|جنيه|دولار\w*|يورو|juan\w*|위안|元|块|円|원|천원|만원"])
# an amount of money or a share of the price: "20 %", "15 €", "$12", "50 TL", "1000円", "5천원"
# "만 원" / "오천 원" (Korean amounts in words), "五十元" / "十块" (Chinese numerals)
# ("1O zł": a letter O among the digits; "%20", "٪25": the sign before the number, as Turkish and Arabic write it)
_AMOUNT = re.compile(r"\d[o\d]*\s*(?:[.,]\d+\s*)?(?:" + _CURRENCY + r"|٪)(?![a-z])|[$€£¥￥%％٪]\s*\d"
                     r"|(?<![가-힣])[일이삼사오육칠팔구십백천만]*[천만]\s?원|[一二两三四五六七八九十百千]+\s*(?:元|块)")

# a price (no share): "7 reais", "9,99 €", "20 złotych", "$12" (round 20a: the price the buyer paid, in sarcasm.py)
PRICE = re.compile(r"\d[o\d]*\s*(?:[.,]\d+\s*)?(?:" + _CURRENCY.replace("%|％|٪|", "", 1) + r")(?![a-z])|[$€£¥￥]\s*\d")


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


def _gifts(scan: Scan, act: Hit) -> list[Hit]:
    """What the sentence of ``act`` gives, outside the act: a gift, a coupon, a second one
    (``deal_give``: "at no cost"), or money or a refund when an amount is named
    (``deal_money``: "we refund 20 %", "15 € zurück"; "send a photo and we will refund you" is the
    buyer's due)."""
    given = [g for g in scan.in_sentence("deal_give", act.start)
             if (g.end <= act.start or g.start >= act.end) and _tied(scan, g, act, 16)]
    money = [m for m in scan.in_sentence("deal_money", act.start) if m.end <= act.start or m.start >= act.end]
    if money and _amount(scan, *scan.sentence_span(act.start)):
        given += money
    return given


def _amount(scan: Scan, a: int, b: int) -> bool:
    """An amount of money or a share of the price in ``a:b``: figures ("15 €", "%20") or words
    (``deal_amount``: "twenty five percent", "metà del prezzo")."""
    return _AMOUNT.search(scan.text, a, b) is not None or bool(scan.in_span("deal_amount", a, b))


def dropped_cases(scan: Scan) -> list[Hit]:
    """Dropping what the buyer opened, as verb and noun rather than a set phrase: a withdraw, close or
    cancel word (``deal_drop``) within three words of a claim, case, dispute, complaint or return request
    (``deal_case``) — "close the A-to-z claim", "het retourverzoek intrekt", "retrait de votre
    réclamation", "zamknie Pani zgłoszenie". Read as a ``deal_keep`` act."""
    out = []
    for v in scan.get("deal_drop"):
        for c in scan.in_sentence("deal_case", v.start):
            if scan.near(v, c, 3) and not (c.start < v.end and v.start < c.end):
                out.append(Hit("deal_keep", v.term, min(v.start, c.start), max(v.end, c.end)))
                break
    return out


def _waived(scan: Scan, n: Hit) -> bool:
    """Does the negation ``n`` govern a return, claim or case (``deal_case``) in its clause — "no tramitas la
    devolución", "не будете оформлять возврат", "ولا تقدم طلب إرجاع", "반품 신청을 하지 않고"? Then it is the act of
    the deal (not filing a return), not a refusal of it (round 17)."""
    for c in scan.in_sentence("deal_case", n.start):
        if c.start >= n.end and scan.near(n, c, 3) and any(
                n.end <= f.start and f.start < c.end for f in scan.in_sentence("deal_file", n.start)):
            return True  # (a filing verb between: "if you don't see the return label" files nothing)
        if c.end <= n.start and _CJK.search(scan.text[c.start:c.end]) and n.start - c.end <= 8 \
                and not _CLAUSE.search(scan.text, c.end, n.start):
            return True  # Korean / Chinese / Japanese: the negation after the noun ("반품 신청을 하지 않고")
    return False


def waived_cases(scan: Scan) -> list[Hit]:
    """Not filing a return or a claim, as a negation governing a ``deal_case`` (see ``_waived``): read, like
    ``dropped_cases``, as an act that needs a condition word."""
    out = []
    for n in scan.get("negation"):
        if _waived(scan, n):
            c = next(c for c in scan.in_sentence("deal_case", n.start)
                     if (c.start >= n.end and scan.near(n, c, 3)) or (c.end <= n.start and n.start - c.end <= 8))
            # (the first case word near the negation: the one _waived found, or one beside it)
            out.append(Hit("deal_keep", n.term, min(n.start, c.start), max(n.end, c.end)))
    return out


def _exchange(scan: Scan, act: Hit, given: list[Hit], *, kind: str) -> bool:
    """Is the act exchanged for what is given? A condition or exchange word (``deal_if``) close
    to the act or between the act and the gift ("…, once you tell us how you like it"); or, with
    no such word, the act first and the gift after it — the buyer does something and the seller
    gives ("keep the item and take 10 € back", "send us a photo, a second one is on its way"):
    for a photo or a word of the buyer, a sending or sharing verb (``deal_do``) right at the act."""
    links = scan.in_sentence("deal_if", act.start)
    if any(_tied(scan, c, act, 6) for c in links):
        return True
    if any(min(g.start, act.start) <= c.start and c.end <= max(g.end, act.end) for c in links for g in given):
        return True
    if kind == "drop" or not any(g.start >= act.end for g in given):
        return False  # a dropped case needs a condition word: "the case was closed and €9 refunded" reports
    return kind == "keep" or any(scan.near(d, act, 5) for d in scan.in_sentence("deal_do", act.start))


def _refused(scan: Scan, act: Hit, given: list[Hit], *, kind: str) -> bool:
    """A negated deal ("we do not give anything for photos"): a negation in the sentence — unless
    every one stands in a clause of its own after the act and the gift, where it belongs to the deal
    ("keep it and take 10 € back, no need to return anything"), or, for kept goods, before them too
    ("no need to send it back — just keep it and we'll transfer 20 $")."""
    if not scan.negated(act):
        return False
    after = [g for g in given if g.start >= act.end]  # the act and its gift (the first after it): the deal's span
    gift = min(after, key=lambda g: g.start) if after else max(given, key=lambda g: g.start)
    start, end = min(act.start, gift.start), max(act.end, gift.end)
    s = scan.sentence(act.start)
    return not all((n.start >= end and _CLAUSE.search(scan.text, end, n.start))
                   or (kind == "keep" and n.end <= start and _CLAUSE.search(scan.text, n.end, start))
                   or (act.start <= n.start and n.end <= act.end) or _waived(scan, n)  # the act's own ("not filing")
                   for n in scan.get("negation") if scan.sentence(n.start) == s)


def _deal(scan: Scan, act: Hit, *, problem_groups: tuple[str, ...], kind: str) -> bool:
    """An act exchanged for something given, in one sentence (see ``_exchange``). Kept goods with a
    problem word in the sentence and nothing but goods given ("it arrived broken: keep it, a new one
    comes free of charge") are a replacement, no deal; money named for keeping them stays one."""
    if scan.warning(scan.sentence(act.start)) or _asked_and_declined(scan, act):
        return False
    given = _gifts(scan, act)
    if kind == "keep":  # round 18: "el reembolso completo de 289,99 € sin necesidad de devolverlo": the refund owed
        full = scan.in_sentence("deal_full", act.start)
        given = [g for g in given if not (g.group == "deal_money" and _overlaps(g, full))]
    waived = [w for w in waived_cases(scan) if scan.sentence(w.start) == scan.sentence(act.start)] \
        if scan.in_sentence("negation", act.start) else []
    if not given or any(not _overlaps(p, given) and not _given_free(scan, p, given)
                        for g in problem_groups for p in scan.in_sentence(g, act.start)):
        return False
    if kind != "act" and not any(g.group == "deal_money" for g in given) and any(
            not (p.start < act.end and act.start < p.end)  # "statt der Rücksendung": the act's own return word
            and not _overlaps(p, given)  # "bon" (Dutch receipt) is the voucher given
            and not _overlaps(p, waived)  # "no tramitas la devolución": the return not filed is the act
            for group in ("gift_fix", "quality_word") for p in scan.in_sentence(group, act.start)):
        return False
    return not _refused(scan, act, given, kind=kind) and _exchange(scan, act, given, kind=kind)


def _asked_and_declined(scan: Scan, act: Hit) -> bool:  # (also for a named incentive)
    """The deal is the buyer's question reported (``deal_asked``: "You asked whether we could give you a discount
    if you keep it") and the next sentence declines it ("We can't make arrangements like that"): proposed by the
    buyer, not offered (round 17)."""
    if not scan.in_sentence("deal_asked", act.start):
        return False
    s = scan.sentence(act.start) + 1
    if s >= len(scan.sentence_starts):
        return False
    a = scan.sentence_starts[s]
    b = scan.sentence_starts[s + 1] if s + 1 < len(scan.sentence_starts) else len(scan.text)
    return bool(scan.in_span("negation", a, b))


# extending a warranty ("verlängern die Garantie kostenlos auf drei Jahre"): more than the buyer's due
_EXTEND = re.compile(normalize_term(
    r"\b(?:extend\w*|verlanger\w*|prolong\w*|prolung\w*|prorrog\w*|amplia\w*|estend\w*|verleng\w*|przedluz\w*|"
    r"продл\w*|uzat\w*|تمديد|نمدد)|延长|延長|연장"))


def _given_free(scan: Scan, p: Hit, given: list[Hit]) -> bool:
    """A warranty extended for nothing ("verlängern die Garantie kostenlos", "extend the warranty for free"): a gift
    (round 17), not the buyer's due — a free repair, replacement or exchange stays the due."""
    if p.group != "deal_full" or not any(g.group == "deal_give" and scan.near(p, g, 2) for g in given):
        return False
    a, b = scan.sentence_span(p.start)
    return any(abs(m.start() - p.start) < 30 for m in _EXTEND.finditer(scan.text, a, b))


def _overlaps(h: Hit, others: list[Hit]) -> bool:
    return any(o.start < h.end and h.start < o.end for o in others)


def _next_sentence(scan: Scan, act: Hit, *, problem_groups: tuple[str, ...]) -> bool:
    """A deal over two sentences: the act, then a sentence opening with an exchange word
    (``deal_return``: "in return", "代わりに") that gives something ("Keep the toaster. In return
    we refund 1,200 yen."), with no problem word in either sentence."""
    s = scan.sentence(act.start)
    if s + 1 >= len(scan.sentence_starts) or scan.warning(s + 1):
        return False
    a = scan.sentence_starts[s + 1]
    b = scan.sentence_starts[s + 2] if s + 2 < len(scan.sentence_starts) else len(scan.text)
    opens = [c for c in scan.in_span("deal_return", a, b) if len(scan.text[a:c.start].split()) <= 1
             and len(scan.text[a:c.start].strip()) <= 6 and not scan.negated(c)]
    if not opens or any(scan.in_sentence(g, act.start) or scan.in_span(g, a, b) for g in problem_groups):
        return False
    if scan.in_span("deal_give", a, b):
        return True
    return bool(scan.in_span("deal_money", a, b)) and _amount(scan, a, b)


def deals(scan: Scan) -> list[Raw]:
    """Something given for keeping the order, not returning it, dropping a case, a photo or a friend."""
    for act in scan.get("deal_keep"):
        if _deal(scan, act, problem_groups=("deal_full",), kind="keep") \
                or _next_sentence(scan, act, problem_groups=("deal_full", "gift_fix", "quality_word")):
            return [scan.raw("incentive", act.start, act.end,
                             "offers something for keeping the order or dropping a return or a case")]
    if scan.has("deal_case") and (scan.has("deal_give") or scan.has("deal_money")):  # (deal_drop is lazy)
        for act in dropped_cases(scan) + (waived_cases(scan) if scan.has("negation") else []):
            if _deal(scan, act, problem_groups=("deal_full",), kind="drop"):
                return [scan.raw("incentive", act.start, act.end, "offers something for dropping a claim or a case")]
    for act in scan.get("deal_act"):
        problems = ("deal_full", "gift_fix", "quality_word")
        if _deal(scan, act, problem_groups=problems, kind="act") or _next_sentence(scan, act, problem_groups=problems):
            return [scan.raw("incentive", act.start, act.end, "offers something for a photo, a video or a referral")]
    for act in scan.get("deal_reply"):  # "we refund 5 € if you confirm the parcel arrived": a reply paid for
        problems = ("deal_full", "quality_word", "deal_due")  # (delivery, receipt: what a reply confirms)
        # a gift, or money to make up for a trouble ("as an apology for the delay … 5 €"): "if you reply, we can
        # process the refund of 12 €" is the buyer's refund
        paid = any(g.group == "deal_give" for g in _gifts(scan, act)) or scan.in_sentence("deal_goodwill", act.start) \
            or scan.in_sentence("gift_why", act.start)
        if paid and scan.in_sentence("deal_if", act.start) and _deal(scan, act, problem_groups=problems, kind="reply"):
            return [scan.raw("incentive", act.start, act.end, "offers something for a reply")]
    return []


def _listed(scan: Scan, h: Hit) -> bool:
    """"The listing includes a free carrying pouch", "the 'free gift' on the product page ships with every
    order": a named incentive in a sentence about what the listing or every order holds
    (``incentive_listed``), with no act of the buyer asked for in it — described, not offered."""
    return bool(scan.in_sentence("incentive_listed", h.start)) and not (
        scan.in_sentence("deal_keep", h.start) or scan.in_sentence("deal_act", h.start)
        or scan.in_sentence("review", h.start))


def incentives(scan: Scan) -> list[Raw]:
    """Incentives: named ones, goodwill gifts, and deals (see the module docstring)."""
    out = [scan.raw("incentive", h.start, h.end, "an incentive (gift, cash back, free product)")
           for h in scan.get("incentive") if not scan.negated_scope(h)  # (a warning, or "we give no gift cards")
           and not _listed(scan, h) and not _asked_and_declined(scan, h)]
    if not out:
        # "as a thank you we send you a second pair free of charge": something extra, given as thanks
        # or goodwill — unless it replaces what was faulty or missing
        for h in scan.get("gift_free"):
            sent = scan.sentence(h.start)
            # round 18: or packed with the next order ("sturen we u gratis … mee bij uw volgende order",
            # "次回ご注文の際には…をおまけとして同梱"): a reward for buying again; a negation in its own clause does
            # not refuse it ("…eine Überraschung bei – wir verraten nicht, was")
            why = scan.in_sentence("gift_why", h.start) or scan.in_sentence("promo_next", h.start)
            if (why and not scan.in_sentence("gift_fix", h.start)
                    and not scan.negated_scope(h) and not scan.warning(sent)):
                out.append(scan.raw("incentive", h.start, h.end, "something extra given for free, as thanks"))
                break
    if not out and (scan.has("deal_keep") or scan.has("deal_act") or scan.has("deal_reply") or (
            scan.has("deal_case") and (scan.has("deal_give") or scan.has("deal_money")))):
        out = deals(scan)
    return out
