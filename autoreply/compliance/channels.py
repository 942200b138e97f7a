"""Checks for a channel off the platform: a messenger named as a way to talk (not as what a
device does), payment outside the marketplace's checkout, and buying elsewhere.

All run on the normalised text (obfuscations undone) and report spans on the original.
"""

from __future__ import annotations

import re

from stdnum import luhn
from stdnum.iso7064 import mod_97_10

from autoreply.compliance.linecache import any_line_matches
from autoreply.compliance.normalize import normalize_term
from autoreply.compliance.scan import Raw, Scan
from autoreply.compliance.terms import Hit

# IBAN (country, check digits, 11–30 alphanumerics, spaces allowed in groups of four)
_IBAN = re.compile(r"\b([a-z]{2}\d{2}(?:[ ]?[a-z0-9]{4}){2,7}(?:[ ]?[a-z0-9]{1,3})?)\b")
_IBAN_HINT = re.compile(r"\d(?<=\b[a-z]{2}\d)\d")  # where one starts: two letters, two digits (digit first)
# its answer per line, kept by the line with its digits masked (the mask is a digit, and a word character, too:
# the answer is the same); it never spans a line break
_IBAN_LINES: dict[str, bool] = {}
# bc1…, 1…/3… (base58), 0x…, T… (TRC20); the first character first, so re skips to one
_CRYPTO = re.compile(r"[b130T](?<=\b[b130T])(?:(?<=b)c1[a-z0-9]{25,60}|(?<=[13])[a-km-zA-HJ-NP-Z1-9]{25,34}"
                     r"|(?<=0)x[a-f0-9]{40}|(?<=T)[A-Za-z1-9]{33})\b")

_DIGIT = re.compile(r"\d")

_ID_AFTER = re.compile(r"\s*(?:id|number|no\.?|nr\.?|号|号码|" + normalize_term("номер") + "|" + normalize_term("ник")
                       + r"|アカウント|아이디|رقم)?\s*[:：=]?\s*(?:@?[a-z0-9_.\-]{4,}|\+?\d[\d ]{4,})")


# "my VX is lily_88", "Mon Snap c'est deco.maelle", "Mój VX to ania_88": a handle after a copula — a token with
# a letter and a digit, or letters joined by "_" or "." (round 20a)
_ID_AFTER_IS = re.compile(r"\s*(?:is|ist|es|est|c'est|e|to|jest|=)\s+@?(?=[a-z0-9_.\-]*[a-z])"
                          r"(?=[a-z0-9_.\-]*(?:\d|[a-z][_.][a-z0-9]))[a-z0-9][a-z0-9_.\-]{3,}")


def _identifier_after(scan: Scan, hit: Hit) -> bool:
    return (bool(_ID_AFTER.match(scan.text, hit.end)) and any(
        c.isdigit() or c == "@" for c in scan.text[hit.end:hit.end + 25])) or bool(
        re.match(r"\s*(?:id|号|アカウント|아이디)\s*[:：]?\s*[a-z0-9_.\-]{3,}", scan.text[hit.end:])) or (
        hit.end - hit.start > 1 and bool(_ID_AFTER_IS.match(scan.text, hit.end)))


def _brand_name(scan: Scan, hit: Hit) -> bool:
    """A messenger word that names a brand, a model or a colour ("the Telegram Audio brand", "the colour
    is called Telegram Grey"), with no id after it and no invitation before it."""
    brands = [b for b in scan.in_sentence("brand_word", hit.start) if b.start >= hit.end and scan.near(hit, b, 2)]
    brands += [n for n in scan.in_sentence("name_word", hit.start) if n.end <= hit.start and scan.near(n, hit, 2)]
    if not brands or _identifier_after(scan, hit):
        return False
    return not any(i.end <= hit.start and scan.near(i, hit, 4) for i in scan.in_sentence("invite", hit.start))


def feature_sentence(scan: Scan, pos: int) -> bool:
    """Is the sentence at ``pos`` about what a device or an app does: a feature word, or a device or app
    word (`feature_weak`: "the tablet runs …", "log in with …", "决済端末") with no talk word in it and "our"
    only before a device?"""
    if scan.in_sentence("feature_word", pos):
        return True
    weak = scan.in_sentence("feature_weak", pos)
    if not weak or scan.in_sentence("talk_word", pos):
        return False
    # "our" only before the device ("our printers support printing from WeChat"), not "add our shop"
    return all(any(w.start >= o.end and scan.near(o, w, 1) for w in weak) for o in scan.in_sentence("seller_own", pos))


def _feature_named(scan: Scan, hit: Hit) -> bool:
    """A messenger named as a device or app feature ("the watch shows WhatsApp notifications once paired"):
    a feature word in the sentence, and no invitation, id, seller word (us, me, 客服) or "our" before it.
    A device or what an app does on it ("the tablet runs WeChat", "log in with WeChat", `feature_weak`)
    counts too when nothing in the sentence is about talking (`talk_word`: questions, reply, the seller)."""
    if not feature_sentence(scan, hit.start):
        return False
    if _identifier_after(scan, hit):
        return False
    if any(o.end <= hit.start and scan.near(o, hit, 1) for o in scan.in_sentence("seller_own", hit.start)):
        return False  # "our WhatsApp": the seller's account
    if scan.in_sentence("invite", hit.start) or scan.in_sentence("seller_self", hit.start):
        return False
    return not any(scan.near(c, hit, 3) and not _buyers_account(scan, c, hit)
                   for c in scan.in_sentence("contact_id", hit.start))


def _asked_refused(scan: Scan, hit: Hit) -> bool:
    """The buyer's question about a channel reported and refused, with no id given: the question answered, not a
    channel offered. Round 20a: the request reported before ``hit`` in its sentence ("You asked if you could add me
    on WhatsApp", `confirm_asked`) and declined after it — regret or "only here" (`channel_refused`) — in that
    sentence or the next. Round 20b: the question reported in the sentence of ``hit`` ("you asked about WhatsApp",
    "카톡 아이디를 물어보셨는데", "收到您关于WhatsApp的询问" — `contact_asked`, `confirm_asked`) and refused in that
    sentence or the next (a negation, or the talk kept here — `only_here`: "we can only talk here", "yalnızca
    buradan", "只能通过亚马逊消息"). Never with an id after the messenger; each reading keeps its own guards."""
    if _identifier_after(scan, hit):
        return False
    return _asked_refused_20a(scan, hit) or _asked_refused_20b(scan, hit)


def _asked_refused_20a(scan: Scan, hit: Hit) -> bool:
    """The request reported before ``hit`` and declined after it, with no invitation after it."""
    if not any(a.end <= hit.start for a in scan.in_sentence("confirm_asked", hit.start)):
        return False
    s = scan.sentence(hit.start)
    if any(i.start >= hit.end and scan.sentence(i.start) in (s, s + 1) for i in scan.get("invite")):
        return False  # "… sure, add me on it" after the question: an invitation after all
    return any(r.start >= hit.end and scan.sentence(r.start) in (s, s + 1) for r in scan.get("channel_refused"))


def _asked_refused_20b(scan: Scan, hit: Hit) -> bool:
    """The question reported in the sentence of ``hit`` and refused in it or the next, with no invitation or the
    seller as the one to reach right before the messenger."""
    s = scan.sentence(hit.start)
    if not any(scan.sentence(a.start) == s for g in ("contact_asked", "confirm_asked") for a in scan.get(g)):
        return False
    if any(i.end <= hit.start and scan.near(i, hit, 4) for g in ("invite", "seller_self")
           for i in scan.in_sentence(g, hit.start)):
        return False
    idioms = scan.get("negation_idiom")
    return any(scan.sentence(r.start) in (s, s + 1) and not any(i.start <= r.start < i.end for i in idioms)
               for g in ("only_here", "negation") for r in scan.get(g))


def _buyers_account(scan: Scan, word: Hit, hit: Hit) -> bool:
    """"Sign in with your WeChat account": the id word names the buyer's own account ("your" right
    before the messenger or the id word), not the seller's."""
    return any(y.end <= min(word.start, hit.start) and (scan.near(y, hit, 1) or scan.near(y, word, 3))
               for y in scan.in_sentence("buyer_own", hit.start))


# a short number joined by a hyphen to a weak messenger abbreviation: a model or part code (a phone has 7+ digits)
_MODEL_CODE = re.compile(r"[-_]\d{1,6}(?!\d|[\s./-]\d)")
# a messenger brand's payment service ("카카오페이", "微信支付", "LINE Pay"): the payment check judges it
_PAY_AFTER = re.compile(r"\s*(?:pay\b|페이|支付|ペイ)")
_BRAND_PAY = re.compile(r"微信支付|카카오페이|line\s*pay|apple\s*pay|google\s*pay|wechat\s*pay|alipay\+?|支付宝支付|"
                        r"ラインペイ|paypay")


def messengers(scan: Scan) -> list[Raw]:
    out: list[Raw] = []
    seen: set[tuple[int, int]] = set()
    for hit in scan.get("messenger", leet=True):
        if (hit.start, hit.end) in seen:
            continue
        seen.add((hit.start, hit.end))
        if scan.negated(hit) and not _identifier_after(scan, hit):
            continue
        if _PAY_AFTER.match(scan.text, hit.end):
            continue  # "카카오페이 at the platform's checkout": a payment method, judged by payments()
        if _brand_name(scan, hit):
            continue  # "sold under the Telegram Audio brand": a product's brand, not a channel
        if _feature_named(scan, hit):
            continue  # "shows notifications from WhatsApp": a feature of the product, not a channel
        if _asked_refused(scan, hit):
            continue  # "you asked about WhatsApp — sorry, we can only talk here": the buyer's question answered
        out.append(scan.raw("messenger", hit.start, hit.end,
                            f"a messenger or social network off the platform ({hit.term.strip('*')})"))
    for hit in scan.get("messenger_weak", leet=True):
        if _MODEL_CODE.match(scan.text, hit.end):
            continue  # "WA-2210", "TG-88": letters joined to a short number are a model code, not a handle
        if hit.end - hit.start == 1 and re.search(r"\d\s*$", scan.text[max(0, hit.start - 4):hit.start]):
            continue  # "2 x 250ml", "30 x 40 cm", "2 x HDMI": a multiplication sign, not X (Twitter)
        if hit.end - hit.start == 1 and re.search(r"[^\W\d_]{2,} $", scan.text[max(0, hit.start - 20):hit.start]) and \
                re.match(r" [^\W\d_]{2,}", scan.text[hit.end:]) and \
                _UNIT.search(scan.text, *scan.sentence_span(hit.start)):
            continue  # "largura x altura em cm", "width x height in cm": dimensions named, not X (round 18)
        invites = [i for i in scan.in_sentence("invite", hit.start) if i.end <= hit.start and scan.near(i, hit, 4)]
        if _identifier_after(scan, hit) or invites or _wechat_in_chinese(scan, hit):
            if scan.negated(hit) and not _identifier_after(scan, hit):
                continue
            out.append(scan.raw("messenger", hit.start, hit.end,
                                f"a messenger handle off the platform ({hit.term})"))
    return out


_CJK_CHAR = re.compile(r"[\u3400-\u9fff]")
# a unit of length in the sentence: "… x … em cm", "in inches", "Zoll", "см"
_UNIT = re.compile(r"\b(?:cm|mm|inch\w*|pulgadas|polegadas|pouces|zoll|" + normalize_term("см") + r"|"
                   + normalize_term("мм") + r")\b|\d\s*[\"″]")


def _wechat_in_chinese(scan: Scan, hit: Hit) -> bool:
    """"vx" / "wx" written against a Chinese character ("我的vx是…", "VX搜索…"): WeChat's slang in Chinese text,
    while "the serial starts with VX" is a code (round 17)."""
    if hit.term not in ("vx", "wx"):
        return False
    before = scan.text[max(0, hit.start - 2):hit.start].strip()
    after = scan.text[hit.end:hit.end + 2].strip()
    return bool(_CJK_CHAR.match(after[:1]) or (before and _CJK_CHAR.match(before[-1])))


def _checkout_option(scan: Scan, hit: Hit) -> bool:
    """A payment method named as an option of the platform's checkout ("the bank transfer option you saw at
    checkout is the platform's"), with no word sending the payment to the seller in the sentence."""
    if not scan.in_sentence("checkout", hit.start):
        return False
    return not any(d.end <= hit.start or d.start >= hit.end for d in scan.in_sentence("direct_pay", hit.start))


# direct_pay words that only say how one pays ("accept", "pay with"): in a sentence about a device they
# describe what the device takes; the seller-directed ones ("to my account", "directly") still count
_HOW_PAY = frozenset({
    "accept", "we accept", "pay by", "pay via", "pay with", "you can pay", "payment by", "payment via", "aceptamos",
    "acceptons", "akzeptieren", "aceitamos", "принимаем", "accettiamo", "akceptujemy", "accepteren", "kabul ediyoruz",
    "per", "payer par", "vous pouvez payer", "puede pagar", "pagar por", "pode pagar", "можно оплатить", "puo pagare",
    "mozna zaplacic", "odeme yapabilirsiniz"})


# a payment code a device prints or reads ("收款码", "付款码"): with a device feature, the device's, not the seller's
_PAY_CODE = re.compile(r"收款码|付款码|收钱码")
_CLAUSE_BREAK = re.compile(r"[,;:，；：、]")


def _same_clause(scan: Scan, a: Hit, b: Hit) -> bool:
    """``a`` and ``b`` in one clause (no comma, semicolon or colon between them)."""
    x, y = (a, b) if a.start < b.start else (b, a)
    return _CLAUSE_BREAK.search(scan.text, x.end, max(x.end, y.start)) is None


def _iban_hint(scan: Scan) -> bool:
    """Does ``_IBAN_HINT`` find one in the scan's text? Asked line by line of the masked text, each answer kept."""
    masked = scan.masked
    if masked is None or len(masked) != len(scan.text):
        return _IBAN_HINT.search(scan.text) is not None
    return any_line_matches(_IBAN_HINT, masked, _IBAN_LINES)


# the payee as the one paid: right after "to / a / an / aan / do …" or a paying verb ("pay a friend of mine",
# "pagarle directamente a un amigo mío"); Polish says it with the dative alone ("zapłać mojemu kuzynowi")
_TO_PAYEE = re.compile(r"(?:^|\s)(?:to|a|à|al|para|pra|pro|an|aan|naar|do|pay|pagar|pagare|payer|zahlen|betalen|"
                       r"(?:konto|account|rekening|conto|cuenta|compte|conta|rachunek)(?:\s+(?:de|van|di|do|da|of))?)"
                       r"(?:\s+(?:directly|directamente|diretamente|directement|direttamente|direkt|rechtstreeks|"
                       r"bezposrednio))?\s+$")
_DATIVE = ("emu", "owi", "bratu", "siostrze", "zonie")


# a payment card's number: 13–19 digits in groups (round 20a); a card word in its sentence
_CARD = re.compile(r"(?<![\d-])\d{4}(?:[ -]?\d{4}){2}[ -]?\d{1,7}(?![\d-])")
_CARD_WORD = re.compile(r"\b(?:card|karte|tarjeta|carte|carta|cartao|kaart|karta|karty|kart)\b|卡|カード|카드|"
                        + normalize_term("карт"))


def payments(scan: Scan) -> list[Raw]:
    out: list[Raw] = []
    for hit in scan.get("payment"):
        if scan.negated(hit) or _checkout_option(scan, hit):
            continue
        if _brand_name(scan, hit):
            continue  # "the Bitcoin logo keychain": a product's design, not a way to pay (round 18)
        if (_BRAND_PAY.search(scan.text, hit.start, hit.end) or _PAY_CODE.search(scan.text, hit.start, hit.end)) \
                and feature_sentence(scan, hit.start) \
                and not any(_same_clause(scan, d, hit) for d in scan.in_sentence("direct_pay", hit.start)) \
                and not any(scan.near(o, hit, 3) for o in scan.in_sentence("seller_own", hit.start)):
            continue  # "the watch supports WeChat Pay", "这款小票打印机支持打印…收款码": a feature of the device
        out.append(scan.raw("off_platform_payment", hit.start, hit.end,
                            f"payment outside the platform ({hit.term.strip('*')})"))
    for hit in scan.get("payee_other"):  # "pague por MB Way a um amigo meu", "fai un bonifico a mio cugino"
        if (_TO_PAYEE.search(scan.text, max(0, hit.start - 24), hit.start) or hit.term.endswith(_DATIVE)) \
                and scan.in_sentence("pay_verb", hit.start) and not scan.in_sentence("checkout", hit.start) \
                and not scan.negated(hit):
            out.append(scan.raw("off_platform_payment", hit.start, hit.end, "payment to someone of the seller's"))
    for hit in scan.get("cash_word"):  # "Pay in cash when you pick it up at my place" (not cash on delivery)
        if scan.in_sentence("cash_pickup", hit.start) and scan.in_sentence("pay_verb", hit.start) \
                and not scan.in_sentence("checkout", hit.start) and not scan.negated(hit):
            out.append(scan.raw("off_platform_payment", hit.start, hit.end, "cash handed to the seller"))
            break
    for hit in scan.get("giftcard_pay"):  # "send a gift card code as payment"
        if (scan.in_sentence("as_payment", hit.start) or scan.in_sentence("pay_verb", hit.start)) \
                and not scan.in_sentence("checkout", hit.start) and not scan.negated(hit):
            out.append(scan.raw("off_platform_payment", hit.start, hit.end, "a gift card taken as payment"))
            break
    if _DIGIT.search(scan.text):  # a card number (Luhn) with a card and a paying word: "pay to my card 4111 …"
        for m in _CARD.finditer(scan.text):
            digits = "".join(str(int(d)) for d in re.findall(r"\d", m.group(0)))  # any script's digits, as ASCII
            if 13 <= len(digits) <= 19 and luhn.is_valid(digits) and scan.in_sentence("pay_verb", m.start()) \
                    and _CARD_WORD.search(scan.text, *scan.sentence_span(m.start())):
                out.append(scan.raw("off_platform_payment", m.start(), m.end(), "a payment card number"))
                break
    for hit in scan.get("bypass"):  # "let's settle it between us and skip the site's fee", "直接お取引"
        if not scan.negated(hit):
            out.append(scan.raw("off_platform_payment", hit.start, hit.end, "a deal outside the platform"))
    for hit in scan.get("payment_weak"):
        s = scan.sentence(hit.start)
        if scan.in_sentence("checkout", hit.start):
            continue  # "you paid with PayPal at checkout", "the refund goes back to your PayPal"
        direct = [d for d in scan.get("direct_pay") if scan.sentence(d.start) == s]
        if direct and feature_sentence(scan, hit.start) and all(
                d.term in _HOW_PAY or not _same_clause(scan, d, hit) for d in direct):
            direct = []  # "the POS terminal can accept WeChat Pay and Alipay": what the device takes, not the seller
            # (round 18: a "directly" in another clause is how the device is used: "…，收银时直接扫顾客手机就行")
        linked = re.match(r"\s*(?:\.me|me/|[:：]\s*\S+@)", scan.text[hit.end:])
        if (direct or linked) and not scan.negated(hit):
            out.append(scan.raw("off_platform_payment", hit.start, hit.end,
                                f"payment outside the checkout ({hit.term})"))
    if _DIGIT.search(scan.text):
        for m in _IBAN.finditer(scan.text) if _iban_hint(scan) else ():
            compact = m.group(1).replace(" ", "").upper()
            if 15 <= len(compact) <= 34 and _iban_ok(compact):
                out.append(scan.raw("off_platform_payment", m.start(), m.end(), "a bank account number (IBAN)"))
        for m in _CRYPTO.finditer(scan.norm.original):
            out.append(Raw("off_platform_payment", m.start(), m.end(), "a cryptocurrency address"))
    return out


# the platform's own names: not "another marketplace" there
OWN_NAMES = {
    # (in every script the lexicon names it: "저희 알리익스프레스 스토어" on AliExpress is the shop there — round 17)
    "amazon": {"amazon", "アマゾン", "아마존", "亚马逊", "امازون", "أمازون", "амазон",
               "amazonem", "amazonie", "amazona"},  # (Polish cases: "poza Amazonem")
    "aliexpress": {"aliexpress", "alibaba", "алиэкспресс", "али экспресс", "1688", "알리익스프레스", "アリエクスプレス",
                   "速卖通", "علي اكسبريس", "علي إكسبريس", "aliexpressie", "aliexpressem", "aliexpressu"},
    "taobao": {"taobao", "tmall", "淘宝", "天猫", "1688", "alibaba", "타오바오", "タオバオ", "таобао", "тмолл",
               "تاوباو"},
}


# a carrier's name right before "official site" (官网, 公式サイト, 공식 홈페이지): the tracking page,
# not the seller's shop
_CARRIER_SITE = re.compile(r"(?:顺丰|快递|物流|邮政|圆通|中通|申通|韵达|极兔|ems|ヤマト(?:運輸)?|佐川(?:急便)?|"
                           r"日本郵便|郵便局|택배사|우체국|대한통운|한진|로젠)\s*(?:的|の)?\s*$")


def redirects(scan: Scan, platform: str) -> list[Raw]:
    """Sending the buyer to another marketplace, the seller's own website or a search engine."""
    out: list[Raw] = []
    own = OWN_NAMES.get(platform, set())
    for h in scan.get("redirect_strong"):
        if _CARRIER_SITE.search(scan.text, max(0, h.start - 8), h.start):
            continue  # "顺丰官网显示…", "ヤマト運輸の公式サイト": the carrier's site, where the parcel is tracked
        if any(o.start >= h.end and scan.near(h, o, 3) for o in scan.in_sentence("site_owner", h.start)):
            continue  # "на официальном сайте Почты России": the carrier's or the maker's site (round 20b)
        if not scan.negated(h):
            out.append(scan.raw("off_platform_redirect", h.start, h.end,
                                "sends the buyer to a shop or page outside the platform"))
    for h in scan.get("marketplace"):
        if h.term.strip("*") in own or (scan.negated(h) and (scan.negated_scope(h) or scan.negated(h, since=h.end))):
            continue  # (round 20a: "don't bother ordering here, we have a store on another marketplace" — a
            # negation in a clause of its own before the name does not reach it)
        s = scan.sentence(h.start)
        ctx = [r for r in scan.get("redirect") if abs(scan.sentence(r.start) - s) <= (0 if r.start < h.start else 1)
               and not (r.start < h.end and h.start < r.end)]  # "sur Google" names the place, not a redirect
        if ctx or any(scan.near(o, h, 2) for o in scan.in_sentence("seller_own", h.start)):
            # "our Shopify store", "我们pdd店铺", "저희 쿠팡 매장", "メルカリの当店": the seller's own shop there
            out.append(scan.raw("off_platform_redirect", h.start, h.end,
                                f"sends the buyer to another marketplace ({h.term})"))
    out += _bypassed(scan)
    return out


def _bypassed(scan: Scan) -> list[Raw]:
    """Round 18: the platform named as what to do without — "ohne AliExpress", "sin pasar por Amazon", "不用走淘宝",
    "خارج علي إكسبريس" — or to beat ("дешевле, чем через Таобао"; "much better than here", `than_here`), with an
    order, contact, search or "directly" word in the sentence (`bypass_ctx`): the sale or the talk is taken off
    the platform. Its own name or another marketplace's, in any script; not when the sentence refuses it."""
    out: list[Raw] = []
    for m in scan.get("marketplace"):
        s = scan.sentence(m.start)
        if _SERVICE_AFTER.match(scan.text, m.end) or _OF_AFTER.match(scan.text, m.end):
            continue  # "without Amazon Prime", "ohne Amazon-Konto": its service; "不通过淘宝的链接": described
        before = [b for b in scan.get("bypass_before") if b.end <= m.start and scan.sentence(b.start) == s
                  and _adjacent(scan, b, m)]
        if before and scan.in_sentence("bypass_ctx", m.start) and not _refused(scan, before[-1]):
            out.append(scan.raw("off_platform_redirect", before[-1].start, m.end,
                                f"takes the sale or the talk off the platform ({m.term})"))
            return out
    for h in scan.get("than_here"):
        if scan.in_sentence("bypass_ctx", h.start) and not _refused(scan, h):
            out.append(scan.raw("off_platform_redirect", h.start, h.end,
                                "a better deal elsewhere than on the platform"))
            return out
    return out


# a service of the platform named after it ("Amazon Prime", "Amazon Logistics", "Taobao 客服", "AliExpress app")
_SERVICE_AFTER = re.compile(r"(?:'s|-)?\s*(?:prime|logistics|app|account|customer|messag\w*|pay|chat|seller\w*|"
                            r"guarantee|a-to-z|return\w*|refund\w*|support|service|konto|cuenta|compte|conta|"
                            r"kundenservice|vine|choice|plus|premium|客服|账号|账户|app|アプリ|アカウント|앱|계정|"
                            + normalize_term("аккаунт") + "|" + normalize_term("приложени") + r")", re.IGNORECASE)


# Chinese/Japanese: the platform's name before "的"/"の" qualifies a noun ("不通过淘宝的链接", "を通さないの…")
_OF_AFTER = re.compile(r"\s*[的の]")


def _refused(scan: Scan, hit: Hit) -> bool:
    """A warning sentence, or a negation before ``hit`` in its clause ("we never sell without Amazon",
    "请不要绕过淘宝");
    not the negative word of the bypass itself ("不用走", "ohne") nor one in a later clause ("… und kein Zoll")."""
    s = scan.sentence(hit.start)
    if scan.warning(s):
        return True
    a = scan.sentence_span(hit.start)[0]
    for n in scan.get("negation"):
        if scan.sentence(n.start) == s and n.end <= hit.start and not (hit.start <= n.start < hit.end) \
                and not any(c in scan.text[n.end:hit.start] for c in ",;:，、；：") and n.start >= a:
            return True
    return False


def _adjacent(scan: Scan, a: Hit, b: Hit) -> bool:
    """``a`` right before ``b``: at most one word between ("ohne AliExpress", "sin pasar por Amazon", "不用走淘宝",
    "чем через Таобао", "ohne Taobao dazwischen"), no punctuation."""
    gap = scan.text[a.end:b.start]
    if any(c in gap for c in ",.;:!?，。；：！？、\n()"):
        return False
    cjk = any("\u3040" <= c <= "\u9fff" or "\uac00" <= c <= "\ud7af" for c in gap)
    return len(gap.split()) <= 1 and (not cjk or len(gap.strip()) <= 2)


def _iban_ok(iban: str) -> bool:
    """The IBAN check digits hold (ISO 7064 mod 97-10 over the number with its first four characters moved to the
    end); the country's own account format is not asked — a seller's number is a violation either way."""
    return bool(mod_97_10.is_valid(iban[4:] + iban[:4]))
