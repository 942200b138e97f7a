"""What a message says: review manipulation, promotion and spam, insults (incentives: ``incentives``), and the
message kinds platforms do not allow (thank-you-only, confirmations Amazon sends itself, asking
why an order was cancelled, asking the buyer to cancel, wrong after-sales terms on Taobao,
"[Important]" misuse).

Most sensitive words are innocent alone (seed 004: "update", "change", "cancel", "remove" …);
each check below names the combination — or the structure of the whole message — that makes
a violation. The term groups live in ``packs/lexicon/*.toml``.
"""

from __future__ import annotations

import bisect
import re

from autoreply.compliance.normalize import normalize_term
from autoreply.compliance.sarcasm import contact_before_rating, sarcasm
from autoreply.compliance.scan import Raw, Scan
from autoreply.compliance.scan import dedupe as _dedupe
from autoreply.compliance.terms import Hit

# --------------------------------------------------------------------------- reviews


_FULL_STOP = re.compile(r"\.(?!\d)")  # not the dot of a price ("£9.99")


def _close(scan: Scan, a: Hit, b: Hit, words: int) -> bool:
    """At most ``words`` words apart in one sentence, punctuation allowed between."""
    if a.start > b.start:
        a, b = b, a
    if b.start < a.end:
        return True
    gap = scan.text[a.end:b.start]
    if any(c in gap for c in "!?。！？;；\n") or _FULL_STOP.search(gap):
        return False
    cjk = sum(1 for c in gap if "\u3040" <= c <= "\u9fff" or "\uac00" <= c <= "\ud7af")
    return len(gap.split()) + cjk // 2 <= words


def _near_via(scan: Scan, a: Hit, b: Hit, group: str) -> bool:
    """``a`` and ``b`` with only ``group`` words (and commas) between: "Измените, пожалуйста, отзыв"."""
    if a.start > b.start:
        a, b = b, a
    covered = [(h.start, h.end) for h in scan.in_span(group, a.end, b.start)]
    rest = scan.text[a.end:b.start]
    for x, y in sorted(covered, reverse=True):
        rest = rest[:x - a.end] + rest[y - a.end:]
    rest = re.sub(r"^[^\W\d_]+|[^\W\d_]+$", "", rest)  # the rest of a stem ("измен|ите")
    return bool(covered) and not re.search(r"[^\W\d_]", rest)


def _otherwise_contact(scan: Scan) -> list[Raw]:
    """"If you are happy, leave us five stars; otherwise write to us first": a review asked of satisfied
    buyers (``conditional`` in a sentence with a review word) and, in that sentence or the next, an
    "otherwise" (``otherwise``) followed by the seller to contact (``contact_us``) — the unhappy ones steered
    away from the review."""
    out: list[Raw] = []
    for c in scan.get("conditional") if scan.has("otherwise") and scan.has("contact_us") else ():
        s = scan.sentence(c.start)
        # (a negation before the condition, not the "if not …, don't review — write to us" after it: round 17)
        if not scan.in_sentence("review", c.start) or scan.negated_scope(c):
            continue
        for o in scan.get("otherwise"):
            so = scan.sentence(o.start)
            if o.start > c.end and so in (s, s + 1) and any(
                    k.start >= o.end and scan.sentence(k.start) == so for k in scan.get("contact_us")):
                out.append(scan.raw("review_manipulation", c.start, o.end,
                                    "asks happy buyers for a review and sends the others to the seller"))
                return out
    return out


def reviews(scan: Scan) -> list[Raw]:
    """Review words together with asking, positivity, changing/removing, or anything offered.

    ``review_manipulation`` (blocks everywhere): anything offered for a review, asking to change
    or remove one, steering away from a negative one. ``review_request`` (Amazon blocks it, the
    other packs warn): asking for a review — even a positive or five-star one — with no offer
    and no pressure."""
    out = [scan.raw("review_manipulation", h.start, h.end, "steers the buyer away from saying it in public")
           for h in scan.get("steer_private") if not scan.negated(h)]  # "before you post anything public"
    out += contact_before_rating(scan) + _otherwise_contact(scan)
    found = scan.get("review") + _review_words(scan)
    if not found:
        return out
    # "we offer no gifts, discounts or anything else for reviews", "本店不做好评返现": nothing is offered
    offers = [o for o in scan.get("offer") if not scan.negated_scope(o)]
    asked_any = False
    for r in found:
        sent = scan.sentence(r.start)
        if scan.warning(sent) or _never_done(scan, r.start):
            continue  # "if there is a 好评返现 card in the parcel, it is not from us"; "…したりすることはございません"

        def same(group: str, _sent: int = sent) -> list[Hit]:
            return [h for h in scan.get(group) if scan.sentence(h.start) == _sent]

        # "good or bad, every review helps us", "好评差评都是对我们的鼓励": the words it joins steer nowhere
        either = same("review_either")
        positive = [p for p in same("positive") if scan.near(p, r, 3) and not _joined(scan, p, either)]
        negative = [n for n in same("negative") if scan.near(n, r, 3) and not _joined(scan, n, either)]
        acked = [k for k in same("review_ack") if k.start < r.end and r.start < k.end]
        change = [c for c in same("change") if (scan.near(c, r, 4) or _near_via(scan, c, r, "ask"))
                  and not any(k.start <= c.start and c.end <= k.end for k in acked)  # "看到您的追评": read, not asked
                  and not _negated_near(scan, c)  # "不会要求您修改", "we will never ask you to change it"
                  # "wir bitten Sie auch nicht, Ihre Bewertung zu ändern"
                  and not (scan.negated_scope(c) and not scan.question(c.start))
                  and not _cjk_refused(scan, c)
                  # round 18: the buyer's own question reported ("вы спрашивали, можно ли изменить оценку",
                  # "您问能不能追加评价")
                  and not (any(q.end <= c.start for q in same("review_asked")) and not same("positive"))]
        conditional = same("conditional")
        avoid = same("avoid")
        asks = [a for a in same("ask") if _close(scan, a, r, 8) and not _negated_near(scan, a)
                and not scan.negated_scope(a, lists=False)]  # "nie oferujemy … za wystawienie opinii"
        if acked or same("promo_asked"):
            # "we read your review and are glad …", "남겨주신 리뷰 잘 읽었습니다": written, not asked for; "You asked
            # whether you can still return it after leaving feedback": the buyer's question restated (round 18)
            asks = []
        offered = [o for o in offers if scan.sentence(o.start) == sent]
        a, b = r.start, r.end
        if same("review_free") and not (change or offered or negative or positive):
            continue  # "whether you write a review is entirely up to you"
        if change:
            c = change[0]
            out.append(scan.raw("review_manipulation", min(a, c.start), max(b, c.end),
                                "asks to change, update or remove a review"))
        elif negative and (avoid or asks):
            n = negative[0]
            out.append(scan.raw("review_manipulation", min(a, n.start), max(b, n.end),
                                "steers the buyer away from a negative review"))
        elif ((same("unhappy") or _asked_before(scan, sent, "unhappy")) and avoid) or same("only_happy"):
            # "if unhappy, contact us before rating", "ご満足いただけた方だけ★5を"
            out.append(scan.raw("review_manipulation", a, b, "steers unhappy buyers away from a review"))
        elif offered and (asks or positive or conditional) and not (asks and not positive and same("review_free")):
            o = offered[0]
            out.append(scan.raw("review_manipulation", min(a, o.start), max(b, o.end),
                                "offers something in connection with a review"))
        elif positive and avoid:
            p = positive[0]
            out.append(scan.raw("review_manipulation", min(a, p.start), max(b, p.end),
                                "steers the buyer towards a positive review instead of another"))
        elif positive and (asks or conditional):
            # no offer, no pressure to change or remove: a request (Amazon blocks every request
            # in a message; AliExpress and Taobao tolerate one — the pack decides)
            p = positive[0]
            asked_any = True
            out.append(scan.raw("review_request", min(a, p.start), max(b, p.end),
                                "asks for a positive (five-star) review"))
        elif conditional and asks:
            asked_any = True
            out.append(scan.raw("review_request", a, b, "asks satisfied buyers for a review"))
        elif asks and same("review_free"):
            pass  # "the refund does not depend on any review: you are free to write one or not"
        elif asks:
            asked_any = True
            out.append(scan.raw("review_request", a, b, "asks the buyer for a review"))
        elif positive and any(abs(scan.sentence(o.start) - sent) <= 1 for o in offers):
            out.append(scan.raw("review_manipulation", a, b, "ties a positive review to an offer"))
    out += _change_it(scan, found) + _pressure(scan, found) + _dictated(scan, found)
    if asked_any and any(not scan.in_sentence("review", o.start) for o in offers):
        # "We'll send you a gift. Just leave a review!" — the offer is in another sentence
        r = found[0]
        out.append(scan.raw("review_manipulation", r.start, r.end,
                            "asks for a review in a message that offers something"))
    return _dedupe(out)


def _review_words(scan: Scan) -> list[Hit]:
    """Round 18: a few words or lines (``review_words``: "leave us a few words", "ein paar Zeilen", "due righe", "几句")
    about the buyer's experience or purchase (``review_topic`` in the sentence) stand for a review — unless the
    sentence is about a problem ("tell us in a few words what went wrong with your purchase")."""
    return [w for w in scan.get("review_words") if scan.in_sentence("review_topic", w.start)
            and not scan.in_sentence("problem", w.start)]


def _pressure(scan: Scan, found: list[Hit]) -> list[Raw]:
    """Round 17: a review asked for under pressure — the shop said to be harmed by the rating (``review_harm``:
    "otherwise the shop will be closed", "kara od platformy"), a plea (``review_beg``: "nie rób nam tego") or more
    messages threatened (``review_nag``: "we'll write to you every day") in the sentence of a review word or the
    next one, with a request (ask, change, a positive rating, a follow-up review) in one of them; or a follow-up
    review whose content is dictated (``review_more`` + ``all_fine``: "Допишите дополнение к отзыву, что всё
    хорошо")."""
    sents = {scan.sentence(r.start) for r in found if not scan.warning(scan.sentence(r.start))}
    if not sents:
        return []
    out: list[Raw] = []
    for m in scan.get("review_more"):
        if scan.in_sentence("all_fine", m.start) and not scan.negated_scope(m):
            out.append(scan.raw("review_manipulation", m.start, m.end, "dictates a follow-up review"))
            return out
    requests = {scan.sentence(h.start) for g in ("ask", "change", "positive", "review_more") for h in scan.get(g)
                if not _negated_near(scan, h)}
    for g in ("review_harm", "review_beg", "review_nag"):
        for h in scan.get(g):
            s = scan.sentence(h.start)
            near = {x for x in (s - 1, s) if x in sents}
            # (round 18: or the plea first and the request with its review word right after —
            # "…店を続けられるか分かりません。どうか温かい評価をお願いできないでしょうか")
            after = s + 1 in sents and s + 1 in requests
            if ((near and any(x in requests for x in (*near, s))) or after) and not scan.warning(s):
                out.append(scan.raw("review_manipulation", h.start, h.end, "pressures the buyer over a review"))
                return out
    return out


# a quoted text: opened after a space, a colon or a bracket (not an elision's apostrophe: "l'ordine"), 2–80 characters
# with a letter, closed before a non-letter
_QUOTE = re.compile(r"(?:(?:(?<=[\s:(（])|^)(?:'([^'\n]{2,80})'|\"([^\"\n]{2,80})\")|[“„”«‘]([^“”„«»‘’\n]{2,80})[”“»’]"
                    r"|[「『]([^」』\n]{2,80})[」』])(?![^\W\d_])")


def _dictated(scan: Scan, found: list[Hit]) -> list[Raw]:
    """Round 18: telling the buyer what to write — a request (``ask``) in the sentence of a review word together with
    a quoted text of words ("write 'fast shipping, good quality'", "escriba 'producto igual a la foto'",
    "レビューで「梱包が丁寧」と一言添えて"): the review's content dictated. Not a quote that is the buyer's own review
    acknowledged, a code or a number, nor a negated or warning sentence."""
    sents = {scan.sentence(r.start) for r in found if not scan.warning(scan.sentence(r.start))}
    if not sents or not any(c in scan.text for c in "'\"“„”«‘「『"):
        return []
    for m in _QUOTE.finditer(scan.text):
        q = next(g for g in m.groups() if g is not None)
        s = scan.sentence(m.start())
        if s not in sents or not re.search(r"[^\W\d_]{2}", q) or re.fullmatch(r"[\w\-]*\d[\w\-]*", q.strip()):
            continue
        if scan.in_sentence("review_ack", m.start()) and not scan.in_sentence("request", m.start()):
            continue  # "in your review you wrote 'too short'": read, not dictated ("please write in your review …" is)
        asks = [a for a in scan.in_sentence("ask", m.start()) if not _negated_near(scan, a)
                and not scan.negated_scope(a, lists=False)]
        if asks and any(not scan.negated_scope(r) for r in found if scan.sentence(r.start) == s):
            return [scan.raw("review_manipulation", m.start(), m.end(), "dictates what the review should say")]
    return []


# "割引を提供したり、評価の変更をお願いしたりすることはございません": the sentence-final "we never do that"
# negates every clause of the list before it
_NEVER_DONE = re.compile(r"こと[はも]\s*(?:一切|決して)?\s*(?:ございません|ありません)\s*[。.!！]?\s*$")


def _never_done(scan: Scan, pos: int) -> bool:
    a, b = scan.sentence_span(pos)
    return bool(_NEVER_DONE.search(scan.text, a, b))


def _joined(scan: Scan, hit: Hit, either: list[Hit]) -> bool:
    """Is ``hit`` part of a "good or bad" phrase (inside it, or right next to it)?"""
    return any((e.start < hit.end and hit.start < e.end) or scan.near(e, hit, 1) for e in either)


def _asked_before(scan: Scan, sent: int, group: str) -> bool:
    """A ``group`` word in the question just before sentence ``sent`` ("Not happy? Message us instead of a review")."""
    return sent > 0 and scan.question(scan.sentence_starts[sent - 1]) and any(
        scan.sentence(h.start) == sent - 1 for h in scan.get(group))


def _cjk_refused(scan: Scan, hit: Hit) -> bool:
    """"評価の変更をお願いすることはございません", "평가 수정을 요청하지 않습니다": in Japanese and Korean the
    negation closes the clause, so a negated statement (not a question) refuses what it names."""
    cjk = "\u3040" <= scan.text[hit.start:hit.start + 1] <= "\ud7af"
    return cjk and scan.negated(hit) and not scan.question(hit.start)


def _change_it(scan: Scan, found: list[Hit]) -> list[Raw]:
    """"We saw your 2-star feedback. Could you update it?": changing "it", with a review named in the
    same sentence or the one before, is asking to change the review."""
    sentences = {scan.sentence(r.start) for r in found if not scan.warning(scan.sentence(r.start))}
    out = []
    for c in scan.get("change_it"):
        s = scan.sentence(c.start)
        a, _ = scan.sentence_span(c.start)
        # "your address was wrong, so please update it": "it" is the nearer thing named before it
        other = bool(scan.in_span("confirm_yours", a, c.start)) and s not in sentences
        # (round 18: or two sentences back when the one between names nothing of the buyer's — "We saw your 1-star
        # rating. We have refunded you, right? We'd be grateful if you withdrew it." / "que la retirara")
        named = s in sentences or s - 1 in sentences or (
            s - 2 in sentences and not any(scan.sentence(h.start) == s - 1 for h in scan.get("confirm_yours")))
        if named and not other and not _negated_near(scan, c) and not scan.negated(c):
            out.append(scan.raw("review_manipulation", c.start, c.end, "asks to change or remove a review"))
    return out


# --------------------------------------------------------------------------- promotion, spam

_DISCOUNT_WORDS = (r"off|de descuento|descuento|de desconto|desconto|de reduction|de remise|rabatt|korting|indirim|"
                   r"di sconto|sconto|" + normalize_term("скидк") + r"\w*|rabatu|znizki|オフ|引き|할인|折扣|خصم|"
                   r"de rabais")
_PERCENT_PROMO = re.compile(
    rf"(?<![\w.,%])(?:[-−–]|(?<!\s)[-−–]\s)\d{{1,2}}\s?%"                     # "-15 %", not "fine - 25% of"
    rf"|\d{{1,2}}\s?%\s?(?:{_DISCOUNT_WORDS})"                              # "20% off", "20 % Rabatt"
    rf"|%\s?\d{{1,2}}(?:'[a-z]+)?\s?(?:varan\s)?indirim"                   # "%20 indirim", "%30'a varan indirim"
    rf"|(?:{_DISCOUNT_WORDS})\s?(?:de |del |von |van |na |di |od )?\d{{1,2}}\s?%"  # "скидка 20%", "sconto del 10%"
    r"|满\s?\d+\s?减\s?\d+|立减\s?\d+|[一二三四五六七八九]折|\d(?:\.\d)?\s?折(?!叠|扣)",
    re.IGNORECASE)
# a promo code: a code word, then an upper-case code with digits (SPRING15, NEU20, ZIMA20)
# (the first letters of its words, in every case re's IGNORECASE matches, looked at first: without, re tried the
# whole case-insensitive alternation at every character of the text, 76 µs a text against 5–9)
_CODE = re.compile(
    r"(?=[ckvgпкCKVGПК\u212aク쿠优折كا])"
    r"(?i:code|codigo|código|codice|kod|kodu|kode|промокод\w*|купон|coupon|cupom|cupón|cupon|gutschein|voucher|"
    r"クーポンコード|クーポン|쿠폰 코드|쿠폰|优惠码|折扣码|كود|الكود)\s*[:：]?\s*[«\"'“]?([A-Z][A-Z0-9]{2,14}[0-9])\b")


# "%", "满300", "八折" / "SPRING15": gates, written first-character-first so re skips to a candidate
# (the sign, 满/立 or 折 first: "…\s?折" is found at 折, looking back for its number)
_PERCENT_HINT = re.compile(r"[%％满立折]"
                           r"(?:(?<=[%％])|(?<=[满立])\s?\d|(?<=[一二三四五六七八九\d]折)|(?<=[一二三四五六七八九\d]\s折))")
_CODE_HINT = re.compile(r"[A-Z](?<=\b[A-Z])[A-Z0-9]{2,14}[0-9]\b")


def promotions(scan: Scan) -> list[Raw]:
    out: list[Raw] = []
    excuses = {scan.sentence(n.start) for n in scan.get("promo_excuse")}
    # round 17: the buyer's question about a coupon answered ("the coupon you asked about …"), unless the
    # answer points to a next order
    asked = {scan.sentence(n.start) for n in scan.get("promo_asked")} | _coupon_topic(scan)
    excuses |= _answer_sentences(scan, asked)

    def excused(pos: int) -> bool:  # an apology, or a fraud warning ("a message … in our name: ignore it")
        return scan.sentence(pos) in excuses or scan.warning(scan.sentence(pos))

    for h in scan.get("promo"):
        if not excused(h.start):
            out.append(scan.raw("promotion", h.start, h.end, "marketing or promotion"))
    for h in scan.get("promo_weak"):
        if excused(h.start):
            continue
        ctx = [c for c in scan.in_sentence("promo_ctx", h.start) if scan.near(c, h, 4)]
        if ctx:
            c = ctx[0]
            out.append(scan.raw("promotion", min(h.start, c.start), max(h.end, c.end), "marketing or promotion"))
    # "have a look at our shop", "Neem een kijkje in onze winkel", "当店の他の商品もチェック";
    # "the matching duvet covers are now in our storefront", "jetzt auch Bademäntel in unserem Shop"
    for group, reach, why in (("promo_look", 12, "an invitation to browse the shop"),
                              ("promo_also", 14, "other products advertised")):
        for h in scan.get(group):
            if excused(h.start):
                continue
            shops = [c for c in scan.in_sentence("promo_shop", h.start) if _close(scan, c, h, reach)] \
                or _found_next(scan, h)
            if shops:
                c = shops[0]
                out.append(scan.raw("promotion", min(h.start, c.start), max(h.end, c.end), why))
    # "new collection" with an invitation, the shop or an arrival; not about the buyer's own item
    for h in scan.get("promo_new"):
        if excused(h.start):
            continue
        # round 18: something new that matches what the buyer bought ("구매하신 골프 장갑과 잘 어울리는 신상 …") is a
        # cross-sell — the buyer's own item named as what it goes with, not as the new thing
        matching = [m for m in scan.in_sentence("promo_also", h.start) if not (m.start < h.end and h.start < m.end)]
        if matching:
            m = matching[0]
            out.append(scan.raw("promotion", min(h.start, m.start), max(h.end, m.end), "new products advertised"))
            continue
        if scan.in_sentence("promo_yours", h.start):
            continue
        ctx = [c for g in ("promo_look", "promo_shop") for c in scan.in_sentence(g, h.start)
               if not (c.start < h.end and h.start < c.end)] or _found_next(scan, h)
        if ctx:
            c = ctx[0]
            out.append(scan.raw("promotion", min(h.start, c.start), max(h.end, c.end), "new products advertised"))
    if _PERCENT_HINT.search(scan.text):
        for pm in _PERCENT_PROMO.finditer(scan.text):
            if not excused(pm.start()):
                out.append(scan.raw("promotion", pm.start(), pm.end(), "a discount (marketing)"))
    if _CODE_HINT.search(scan.norm.original):
        for cm in _CODE.finditer(scan.norm.original):
            if not excuses or not excused(bisect.bisect_right(scan.norm.starts, cm.start()) - 1):
                out.append(Raw("promotion", cm.start(), cm.end(), "a promo code (marketing)"))
    return _dedupe(out)


_INVITES = ("promo_next", "promo_new", "promo_also")


def _coupon_topic(scan: Scan) -> set[int]:
    """Sentences that open on a coupon or code as their topic (``promo_about`` beside a ``promo_weak`` / ``promo``
    word: "About the coupon you mentioned: …", "Concernant le code promo …", "Co do kuponu: …", "クーポンの件",
    "쿠폰 건"): the seller answers about the buyer's coupon (round 18)."""
    out: set[int] = set()
    for t in scan.get("promo_about"):
        start = scan.sentence_span(t.start)[0]
        for c in scan.in_sentence("promo_weak", t.start) + scan.in_sentence("promo", t.start):
            first = min(t.start, c.start)
            if scan.near(t, c, 2) and len(scan.text[start:first].strip()) <= 2:
                out.add(scan.sentence(t.start))
                break
    return out


def _answer_sentences(scan: Scan, asked: set[int]) -> set[int]:
    """The buyer's coupon question answered: its sentence (unless it points to a next order) and the next two, up to
    one that points to a next order, something new or other products (``_INVITES``) — the answer goes on
    ("문의하신 쿠폰 건 확인했습니다. 상품 페이지의 15% 쿠폰은 …"), the marketing after it does not (round 17
    excused the asked sentence only)."""
    if not asked:
        return set()
    invites = {scan.sentence(h.start) for g in _INVITES for h in scan.get(g)}
    nexts = {scan.sentence(h.start) for h in scan.get("promo_next")}
    out: set[int] = set()
    for s in asked:
        if s in nexts:  # (round 17) the asked sentence itself, unless it points to a next order
            continue
        out.add(s)
        for n in (s + 1, s + 2):
            if n in invites:
                break
            out.add(n)
    return out


def _found_next(scan: Scan, h: Hit) -> list[Hit]:
    """New or matching products announced, the shop in the next sentence with a word of finding them there
    (``promo_find``): "We have just added matching cases; you will find them in our shop"."""
    s = scan.sentence(h.start) + 1
    if s >= len(scan.sentence_starts):
        return []
    a = scan.sentence_starts[s]
    b = scan.sentence_starts[s + 1] if s + 1 < len(scan.sentence_starts) else len(scan.text)
    shops = scan.in_span("promo_shop", a, b)
    return shops if shops and scan.in_span("promo_find", a, b) else []


_QUOTED = re.compile(r'"[^"\n]{1,200}"|[“„«「『][^“”„«»「」『』\n]{1,200}[”“»」』]')


def _quoted(scan: Scan, hit: Hit) -> bool:
    """Is the insult word inside quotation marks, in a sentence that reports the buyer's words ("You wrote that
    we are "cheating idiots"", 「詐欺師」と書かれました)? Quoted back, not said."""
    if '"' not in scan.text and not any(q in scan.text for q in "“„«「『"):
        return False
    return any(m.start() < hit.start and hit.end < m.end() for m in _QUOTED.finditer(scan.text)) and bool(
        scan.in_sentence("quote_said", hit.start))


def insults(scan: Scan) -> list[Raw]:
    out = [scan.raw("insult", h.start, h.end, "insulting language") for h in scan.get("insult")
           if not _quoted(scan, h)]
    out += [scan.raw("insult", h.start, h.end, "talking down to the buyer") for h in scan.get("taunt")]
    for h in scan.get("insult_adj"):  # "você é muito burra", "u bent echt een stomme klant"
        said = [y for y in scan.in_sentence("you_are", h.start) if y.end <= h.start and _close(scan, y, h, 3)]
        if said and not scan.negated(h) and not _quoted(scan, h):
            out.append(scan.raw("insult", said[0].start, h.end, "insulting the buyer"))
    for h in scan.get("insult_weak"):
        if scan.in_sentence("read_word", h.start) or any(
                abs(scan.sentence(r.start) - scan.sentence(h.start)) <= 1 for r in scan.get("read_word")):
            out.append(scan.raw("insult", h.start, h.end, "telling the buyer off"))
    # round 18: "We have your address from the order. Think about that before you write nonsense again." — the
    # buyer's address named by the seller with a warning anywhere in the message: a veiled threat
    for h in scan.get("threat_address"):
        if scan.has("threat_cue") and not scan.negated_scope(h) and not scan.warning(scan.sentence(h.start)):
            out.append(scan.raw("insult", h.start, h.end, "a veiled threat (the buyer's address)"))
            break
    return out + sarcasm(scan)


# --------------------------------------------------------------------------- courtesy

_WORD = re.compile(r"[^\W\d_\u3040-\u30ff\u3400-\u9fff]{2,}|[\u3040-\u30ff\u3400-\u9fff]")
_CJK_CHAR = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")
_DIGIT = re.compile(r"\d")
_QUESTION = re.compile(r"[?？؟]|(?:か|吗|呢)\s*[。.]?\s*$")


def thanks_hits(scan: Scan) -> list[tuple[int, int]]:
    """Thanks for the order: a set phrase, or a word of thanks with what it thanks for close by."""
    spans = [(h.start, h.end) for h in scan.get("thanks")]
    fors = scan.get("thanks_for")
    for t in scan.get("thanks_word"):
        for f in fors:  # either order: "thank you for your order", "ご購入いただき…ありがとう"
            if (f.start >= t.end or f.end <= t.start) and _close(scan, t, f, 6):
                spans.append((min(t.start, f.start), max(t.end, f.end)))
                break
    return spans


def _uncourteous(scan: Scan) -> tuple[str, list[tuple[int, int]]]:
    """The text with every courtesy term blanked out, and the courtesy spans."""
    spans = sorted([(h.start, h.end) for g in ("thanks", "filler", "negation_idiom", "wish") for h in scan.get(g)]
                   + thanks_hits(scan))
    if not spans:
        return scan.text, spans
    text = scan.text
    parts, pos = [], 0
    for a, b in spans:
        if b <= pos:
            continue
        a = max(a, pos)
        parts.append(text[pos:a])
        parts.append(" " * (b - a))
        pos = b
    parts.append(text[pos:])
    return "".join(parts), spans


def _sentence_kind(scan: Scan, a: int, b: int, blanked: tuple[str, list[tuple[int, int]]]) -> str:
    """'empty', 'courtesy' (thanks, wishes, greetings), 'signature' (a name) or 'content'."""
    sentence = scan.text[a:b]
    if not _WORD.search(sentence):
        return "content" if _DIGIT.search(sentence) else "empty"
    rest, spans = blanked
    courteous = any(x < b and a < y for x, y in spans)
    if courteous:
        if _QUESTION.search(sentence.strip()) or _DIGIT.search(sentence):
            return "content"
        plain = _WORD.findall(rest, a, b)
        cjk = sum(1 for w in plain if _CJK_CHAR.match(w))
        # a wish may name the product ("enjoy your new lamp and have a lovely day")
        limit = 8 if any(a <= h.start < b for h in scan.get("wish")) else 6
        return "courtesy" if len(plain) - cjk / 2 <= limit else "content"
    if len(sentence.strip()) <= 40 and len(_WORD.findall(sentence)) <= 4 and not _DIGIT.search(sentence) \
            and not _QUESTION.search(sentence.strip()) and not _CJK_CHAR.search(sentence):
        return "signature"
    return "content"


def thanks_only(scan: Scan) -> list[Raw]:
    """A message whose every sentence is courtesy, and that thanks the buyer for the order."""
    thanks = thanks_hits(scan)
    if not thanks:
        return []
    blanked = _uncourteous(scan)
    for a, b in scan.sentences():
        if _sentence_kind(scan, a, b, blanked) == "content":
            return []
    a, b = min(thanks)
    return [scan.raw("thanks_only", a, b, "a message that only thanks the buyer")]


def _confirmation_hits(scan: Scan) -> list[Hit]:
    found = list(scan.get("confirm"))
    # "we confirm …" (round 18): a done-word unless a future word in its sentence makes it a notice
    we = [w for w in scan.get("confirm_we") if not scan.in_sentence("future", w.start)]
    for d in scan.get("confirm_done") + we:
        objects = [o for o in scan.in_sentence("confirm_object", d.start)
                   if _close(scan, o, d, 6) and ":" not in scan.text[min(o.end, d.end):max(o.start, d.start)]]
        # "your headphones were delivered": the buyer's own thing, whatever it is, stands for the object
        nots = scan.in_sentence("confirm_not", d.start)
        objects += [y for y in scan.in_sentence("confirm_yours", d.start)
                    if y.end <= d.start and _close(scan, y, d, 4) and not any(
                        n.start < y.end and y.start < n.end for n in nots)]
        # "uw bericht over de bestelling ontvangen": an object right after the buyer's message is what
        # the message was about, not what was received
        objects = [o for o in objects if not any(m.end <= o.start and scan.near(m, o, 3) for m in nots)]
        if not objects:
            continue
        # "we have received your message about order …": the message is what was received
        nearest = min(abs(o.start - d.end) for o in objects)
        if any(abs(m.start - d.end) < nearest for m in scan.in_sentence("confirm_not", d.start)):
            continue
        found.append(d)
    nots = scan.get("confirm_not")
    found = [h for h in found if h.group in ("confirm_done", "confirm_we") or not any(
        0 <= n.start - h.end <= 2 for n in nots)]
    out = []
    for h in found:
        if scan.negated(h):
            continue  # "we have not received your payment"
        if any(f.start < h.start and _close(scan, f, h, 2) for f in scan.in_sentence("future", h.start)):
            continue  # "will be shipped", "سيتم رد المبلغ": a notice, not a confirmation
        if _unless(scan, h):
            continue  # "as long as it has not been shipped", "si aún no se ha enviado", "如果还没有发货"
        out.append(h)
    return out


_CLAUSE_BREAK = re.compile(r"[,;:()\[\]，、；：（）]|\s[-–—]\s|[–—]")


def _clause(scan: Scan, pos: int) -> tuple[int, int]:
    """The clause around ``pos``: between punctuation that separates clauses, inside its sentence."""
    a, b = scan.sentence_span(pos)
    starts = [m.end() for m in _CLAUSE_BREAK.finditer(scan.text, a, pos)]
    nxt = _CLAUSE_BREAK.search(scan.text, pos, b)
    return (starts[-1] if starts else a), (nxt.start() if nxt else b)


_NUMBER_SIGN = re.compile(r"\s*[.:]?\s*\d")


def _unless(scan: Scan, hit: Hit) -> bool:
    """A condition, negation, subjunctive or modal in the clause of a done-word: it states nothing. ("No." before a
    number is the number sign — "№ 302-…" folds to "no 302-…" —, not a negation: round 18.)"""
    a, b = _clause(scan, hit.start)
    return any(u.end <= hit.start and not _NUMBER_SIGN.match(scan.text, u.end)
               for u in scan.in_span("confirm_unless", a, hit.start)) or any(
        u.start >= hit.end and u.end <= b for u in scan.in_span("confirm_unless_after", hit.end, b))


# round 18: a message that opens with "yes" answers the buyer ("Ja, Ihre Ware ist am Montag rausgegangen")
_YES_OPEN = re.compile(r"\s*(?:yes|yep|ja|si|oui|sim|tak|evet|da|да|конечно|はい|是的|对的|네|예|نعم)\s*[,，、!！.:]")


def _answers_buyer(scan: Scan) -> bool:
    """The status is given in answer to the buyer (``confirm_asked``: "you asked where your parcel is", "Talebiniz
    üzerine", "요청하신", or a message opening with "yes"): not one of the confirmations Amazon sends itself."""
    return bool(scan.get("confirm_asked")) or bool(_YES_OPEN.match(scan.text))


def confirmations(scan: Scan) -> list[Raw]:
    """A past-tense statement that an order was shipped / delivered / refunded / paid / confirmed,
    with no problem, no question and no request around it (Amazon sends those itself)."""
    hits = _confirmation_hits(scan)
    if not hits or scan.get("problem") or scan.get("confirm_useful") or scan.get("essential") \
            or _answers_buyer(scan):
        return []  # essential: "the sofa has shipped; the freight carrier will book a delivery slot"
    confirm_sentences = {scan.sentence(h.start) for h in hits}
    if any(scan.sentence(c.start) in confirm_sentences for c in scan.get("contrast")):
        return []
    blanked = _uncourteous(scan)
    courtesy = [(c.start, c.end) for c in scan.get("request_courtesy")]
    requests = [r for r in scan.get("request") if not any(x <= r.start < y for x, y in blanked[1] + courtesy)]
    for a, b in scan.sentences():
        kind = _sentence_kind(scan, a, b, blanked)
        if kind in ("courtesy", "signature", "empty"):
            continue
        if _QUESTION.search(scan.text[a:b].strip()) or any(a <= r.start < b for r in requests):
            return []
    h = hits[0]
    return [scan.raw("order_confirmation", h.start, h.end,
                     "an order, shipping, delivery or refund confirmation (Amazon sends these)")]


_ESSENTIAL_VETO = frozenset({"thanks_only", "order_confirmation"})
_CONTENT_VETO = frozenset({"thanks_only"})


def model_vetoes(scan: Scan) -> frozenset[str]:
    """The learned checks this message's structure rules out: one about an essential topic (delivery
    scheduling, address, customisation) is neither thanks only nor a bare confirmation; one that
    reports a problem, a fix or a next step ("Danke für Ihre Rückmeldung. Wir haben das Problem
    behoben.") does not only thank. (A confirmation may name a problem: "we've shipped the spare
    hinge you were missing" — the corpora label it one, so the model keeps that call.)"""
    vetoes = _quoted_veto(scan) | _owed_veto(scan)
    if scan.get("essential") or scan.get("confirm_useful") or _answers_buyer(scan):
        return _ESSENTIAL_VETO | vetoes  # "we understand the wait has been long. It shipped this morning": an answer
    if scan.get("problem"):
        return _CONTENT_VETO | vetoes
    return vetoes


_INSULT_VETO = frozenset({"insult"})
_INCENTIVE_VETO = frozenset({"incentive"})


def _owed_veto(scan: Scan) -> frozenset[str]:
    """A replacement, a new one or a repair (``deal_full``) for a problem shown (``gift_fix``: "a photo of the
    scratch, then a new glass for free") is what the buyer is owed, as the incentive rules read it
    (incentives.py): the learned incentive check, which reads "photo … free" as a deal, is ruled out too —
    unless a named incentive or an amount of money is in the message."""
    if scan.get("deal_full") and scan.get("gift_fix") and not scan.get("incentive") and not scan.get("deal_money"):
        return _INCENTIVE_VETO
    return frozenset()


def _quoted_veto(scan: Scan) -> frozenset[str]:
    """An insult word that is only the buyer's, quoted back ("You wrote that we are "cheating idiots""): the
    learned insult check, which reads the words and not the quotation marks, is ruled out too."""
    hits = scan.get("insult") + scan.get("insult_adj")
    return _INSULT_VETO if hits and all(_quoted(scan, h) for h in hits) else frozenset()


# --------------------------------------------------------------------------- cancellations


def cancellations(scan: Scan) -> list[Raw]:
    out: list[Raw] = []
    cancels = scan.get("cancel")
    if not cancels:
        return out
    for c in cancels:
        s = scan.sentence(c.start)
        asked = False
        for w in scan.get("why"):
            ws = scan.sentence(w.start)
            if not s <= ws <= s + 2:
                continue
            if scan.question(w.start) or scan.in_sentence("why_ask", w.start):
                if scan.negated(w) and not scan.question(w.start):
                    continue
                out.append(scan.raw("cancel_reason", min(c.start, w.start), max(c.end, w.end),
                                    "asks the buyer why the order was cancelled"))
                asked = True
                break
        if asked or _cause_asked(scan, c):
            if not asked:
                out.append(scan.raw("cancel_reason", c.start, c.end, "asks the buyer why the order was cancelled"))
            continue
        requests = [r for r in scan.in_sentence("request", c.start) if _close(scan, r, c, 7)] or _must_cancel(scan, c)
        # round 18: "cancel and order again" — the buyer asked to cancel so that a new order replaces it
        reorder = [r for r in scan.in_sentence("cancel_reorder", c.start) if r.start >= c.end and _close(scan, c, r, 8)]
        # (not "İptal edip yeniden sipariş vermenize gerek yok": negated, or no need — cancel_noneed below)
        if reorder and not requests and not scan.in_sentence("cancel_if", c.start) \
                and not scan.negated(c) and not scan.negated(reorder[0]):
            requests = reorder
        # "you can cancel it from your account if you prefer" informs; "can you cancel it, please?" asks
        informs = scan.in_sentence("as_asked", c.start) or (
            scan.in_sentence("option", c.start) and not scan.question(c.start)) or _how_to_cancel(scan, c)
        if requests and not informs and not _negated_near(scan, c) and not scan.in_sentence("cancel_noneed", c.start):
            r = requests[0]
            out.append(scan.raw("ask_to_cancel", min(c.start, r.start), max(c.end, r.end),
                                "asks the buyer to cancel the order (the seller cancels)"))
    return _dedupe(out)


def _cause_asked(scan: Scan, c: Hit) -> bool:
    """A reason guessed in a question after the cancellation (``why_cause``: "Was it the price, the delivery time …?",
    "Lag es am Preis oder an der Lieferzeit?", "您是在别家找到更便宜的了，还是…呢？"): asking why, in other words.
    In the next two sentences, or later in the cancel word's own sentence when it asks nothing of the buyer."""
    s = scan.sentence(c.start)
    for w in scan.get("why_cause"):
        ws = scan.sentence(w.start)
        if not s <= ws <= s + 2 or not scan.question(w.start) or scan.negated(w):
            continue
        if ws > s or (w.start >= c.end and not scan.in_sentence("request", c.start)
                      and not scan.in_sentence("option", c.start)):
            return True
    return False


def _must_cancel(scan: Scan, c: Hit) -> list[Hit]:
    """Asking without a please-word: the buyer told they must cancel (``cancel_must`` within four words: "siparişi
    sizin iptal etmeniz gerekiyor", "you'll need to cancel it"), or asked whether they can, in a question with the
    option word right before the cancel word ("può annullare lei l'ordine?", "pode cancelar o pedido?")."""
    must = [m for m in scan.in_sentence("cancel_must", c.start) if scan.near(m, c, 4) and not _negated_near(scan, c)]
    if must or not scan.question(c.start):
        return must
    return [o for o in scan.in_sentence("option", c.start) if o.end <= c.start and scan.near(o, c, 1)]


def _how_to_cancel(scan: Scan, hit: Hit) -> bool:
    """How to cancel, told as an option: a condition right before a cancel word of the sentence ("如需取消订单，
    请在订单页面点击取消", "if you wish to cancel, …") or a purpose opening it ("To cancel, go to Your Orders")."""
    start = scan.sentence_span(hit.start)[0]
    for c in scan.in_sentence("cancel", hit.start):
        if any((i.end <= c.start and scan.near(i, c, 2)) or i.start <= c.start < i.end
               for i in scan.in_sentence("cancel_if", c.start)):
            return True
        if any(p.start <= c.start and not scan.text[start:p.start].strip(" \t\"'“”«»-—:")
               and (p.start <= c.start < p.end or scan.near(p, c, 4))
               for p in scan.in_sentence("cancel_purpose", c.start)):
            return True
    return False


def _negated_near(scan: Scan, hit: Hit) -> bool:
    """"Please do not cancel": a negation right before the word, in the same phrase — or right after
    it, where the language puts it there ("Stornieren Sie nicht", "취소하지 말아 주세요", "iptal etmeyin")."""
    if any(n.start >= hit.end and scan.near(n, hit, 3) for n in scan.in_sentence("negation_after", hit.start)):
        return True
    polite = scan.get("negation_idiom") + scan.get("request")  # "не могли бы вы": a request, not a refusal
    return any(n.end <= hit.start and scan.near(n, hit, 3) for n in scan.in_sentence("negation", hit.start)
               if not any(i.start <= n.start < i.end for i in polite))


# --------------------------------------------------------------------------- [Important]

_IMPORTANT = re.compile(r"[\[【(（〔［]\s*(?:important|importante|importantes|wichtig|важно|ważne|wazne|belangrijk|"
                        r"önemli|onemli|i̇mportant|重要|중요|مهم|urgent|urgente|dringend|срочно|pilne|dringend)\s*"
                        r"[\]】)）〕］]")


# letters spaced out inside the brackets ("[ I m p o r t a n t ]", "[W-i-c-h-t-i-g]"): the separators between
# single letters
_TAG_SPACED = re.compile(r"(?<=[^\W\d_])[ .\-_*·]{1,2}(?=[^\W\d_](?:[ .\-_*·]|[\]】)）〕］]))")
_TAG_OPEN = re.compile(r"[\[【(（〔［]")


def _tag(line: str) -> tuple[int, int] | None:
    """The span of "[Important]" in ``line``, also spelled out letter by letter (then the bracket to its end)."""
    folded = line.casefold()
    m = _IMPORTANT.search(folded)
    if m:
        return m.start(), m.end()
    opened = _TAG_OPEN.search(folded)
    if opened is None:
        return None
    m = _IMPORTANT.search(_TAG_SPACED.sub("", folded[opened.start():]))
    if m is None:
        return None
    close = re.search(r"[\]】)）〕］]", folded[opened.start():])
    return opened.start(), opened.start() + (close.end() if close else len(folded) - opened.start())


def important_tag(subject: str | None, body: str) -> tuple[str, int, int] | None:
    """Where "[Important]" is written: in the subject, else on the body's first line."""
    if subject:
        span = _tag(subject)
        return ("subject", *span) if span else None
    span = _tag(body.split("\n", 1)[0])
    return ("body", *span) if span else None


def essential_topic(*scans: Scan) -> bool:
    """Is the message about something essential to completing the order (seed 002)? An essential phrase; an
    address with something missing or wrong in its sentence; or
    a day or time slot asked for (``essential_when`` with ``essential_ask`` or a question in its sentence) in
    a message about a delivery ("Prosimy o wybór terminu" under "Ustalenie terminu dostawy"); or the
    measurements or the text asked for beside a made-to-order word in its sentence or in the subject (the
    scans after the first): "새길 이름을 알려주세요", "Custom size confirmation … Please confirm the width" — asked in
    that sentence or the next one."""
    if any(s.get("essential") for s in scans):
        return True
    # an address with something missing, invalid or to correct, in one sentence ("رقم المبنى مفقود في عنوانك")
    if any(s.in_sentence("essential_fix", a.start) for s in scans for a in s.get("essential_address")):
        return True

    def asked(s: Scan, pos: int) -> bool:
        if s.in_sentence("essential_ask", pos) or s.question(pos):
            return True
        # "… needs a delivery window for your sofa. Could you confirm March 12 or 13?": asked in the next sentence
        nxt = s.sentence_span(pos)[1]
        return nxt < len(s.text) and (s.question(nxt) or bool(s.in_sentence("essential_ask", nxt)))

    if any(s.get("essential_delivery") for s in scans) and any(
            asked(s, d.start) for s in scans for d in s.get("essential_when")):
        return True
    # round 18: a part of the address asked for in the body ("ci può indicare … la scala e l'interno?", "which
    # name is on the doorbell?"): the address is incomplete even when no word says so
    if any(s.in_sentence("essential_ask", a.start) or s.question(a.start)
           for s in scans[:1] for a in s.get("essential_address")):
        return True
    subject_custom = any(s.get("essential_custom") for s in scans[1:])
    return any(asked(s, d.start) and (subject_custom or s.in_sentence("essential_custom", d.start))
               for s in scans for d in s.get("essential_spec"))
