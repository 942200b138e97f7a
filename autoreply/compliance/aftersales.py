"""Taobao after-sales terms (seed 003; PLATFORM_RULES.md): 7-day no-reason returns and 15-day quality
exchanges are mandatory. A refusal, a fee or a window shorter than the rules blocks; the legal
exceptions (made to order, perishable, digital, periodicals — 消费者权益保护法 第二十五条) pass, never
for quality problems. The Chinese forms are read here; ``windows`` reads the same structure in the
other languages. Split out of ``content`` (one module per pipeline concept)."""

from __future__ import annotations

import re
from collections.abc import Callable

from autoreply.compliance.incentives import _AMOUNT
from autoreply.compliance.refund_timing import late_refunds
from autoreply.compliance.refusals import refused
from autoreply.compliance.scan import Raw, Scan
from autoreply.compliance.scan import dedupe as _dedupe
from autoreply.compliance.terms import Hit
from autoreply.compliance.windows import quality_fees, windows

_CN_NUM = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_DAYS = re.compile(r"(\d{1,3}|[一二两三四五六七八九十]{1,3})\s*(?:个)?\s*(天|日|days?|工作日|小时|时间|hours?)")
# a refusal word right before a return/exchange/refund word: "一律不接受退换货", "不支持退款", "恕不办理退货"
_REFUSE_RETURN = re.compile(r"(?:不(?<=[店们]不)|不接受|不支持|不予|不能|无法|不提供|不办理|不受理|恕不|概不|一律不|"
                            r"不可)"
                            r"\s*(?:再)?\s*(?:接受|办理|处理|任何)?\s*(?:[七7]\s*[天日]\s*)?(?:无理由|鉴赏期)?\s*(?:退换|退货|换货|退款|换新"
                            r"|退(?=[了哦哈呢吧啊的喔噢，。！!,.]|\s|$))")  # "拆了吊牌就不能退了"
# Japanese: a return word governed by a refusal in its clause, an emphasis between ("返品・交換は一切お受けできません",
# "返金にはいかなる場合も応じかねます"); a condition or a lapse before it is windows' and the exceptions' to judge
_JA_REFUSE = re.compile(r"(?:返品|交[換换]|返金)(?:\s*[・/、や及び]\s*(?:返品|交[換换]|返金))*\s*"
                        r"(?:は|を|には|も|に|について)?\s*"
                        r"(?:一切|いかなる(?:[場场]合|理由)(?:で)?も|すべて|全て|原[則则](?:として)?)\s*"
                        r"(?:お受け|受け付け|承|対応|応じ|お応え|いたし|致し|でき|行っ|お断り)[^。、]{0,8}?"
                        r"(?:できません|できかねます|いたしかねます|致しかねます|しておりません|ておりません|"
                        r"かねます|お断り|ません)")
# round 18: the emphasis before the return word ("いかなる理由でも返品・返金はお受けできません",
# "一切の返品はできません")
_JA_REFUSE_PRE = re.compile(r"(?:一切の?|いかなる(?:[場场]合|理由)(?:で)?も|どのような理由(?:で)?も|"
                            r"理由(?:の如何)?を問わず)\s*"
                            r"(?:返品|交[換换]|返金)(?:\s*[・/、や及び]\s*(?:返品|交[換换]|返金))*\s*(?:は|を|には|も|に)?\s*"
                            r"(?:お受け|受け付け|承|対応|応じ|お応え|いたし|致し|でき|行っ|お断り)[^。、]{0,8}?"
                            r"(?:できません|できかねます|いたしかねます|致しかねます|しておりません|ておりません|かねます|お断り|ません)")
_JA_LAPSE = re.compile(r"[過过]ぎ|[経经][過过]|以降|超え")
# "only within …": a window the seller restricts returns to ("退换货只能在收货48小时内申请",
# "only accepted within 5 days")
_ONLY = re.compile(r"只能|仅限|只限|仅在|只在|只受理|仅受理|只接受|仅接受|只支持|仅支持|只处理|仅处理|"
                   r"需要在|需在|须在|必须在|"
                   r"\bonly\b|\bsolo\b|\bnur\b|\bseulement\b|\buniquement\b")
# Japanese: "48時間以内のみ受け付けます"; Chinese: "三天内才能申请" (only then)
_ONLY_AFTER = re.compile(r"\s*(?:以内|内)(?:のみ|に限り|だけ|才能|才可以|才可|才)")
_ASKED = re.compile(r"申请|反馈|受理|提出|受け付|受付|[退换]|"
                    r"\b(?:accept\w*|request\w*|appl\w+|claim\w*|report\w*|submit\w*)\b")
_QUALITY_EN = re.compile(r"\b(?:quality|defect|defective|faulty|damaged)\b")
_RETURN_EN = re.compile(r"\b(?:returns?|exchanges?|refunds?|complaints?)\b")
# a condition or a "not yet" in the clause: "如果系统不能退款", "退货未到仓，暂时无法退款"
_CONDITION = re.compile(r"如果|若|万一|假如|如遇|是否|暂时|暂|还没|尚未|目前|之前|以前|等")
_QUALITY_ZH = re.compile(r"质量|品质|瑕疵|故障")
_QUALITY_NAMED = re.compile(r"(?<!非)质量")  # "非质量问题7天内可无理由退货": NOT a quality problem
_LAPSE = re.compile(r"逾期|超时|超过|过期|过时|之后|以后|(?<=[天日])后")  # "三天后就不处理了"
_CLAUSE = re.compile(r"[，,；;。.!！?？、\n]")
_QUALITY_HOURS = re.compile(r"质量|无理由|破损|损坏|投诉")  # "签收超过24小时就不接受破损投诉了"
# a return word's stem in a Latin script: the structural refusals (``refusals``) need one
_RETURN_HINT = re.compile(r"retur|refund|exchang|devol|restitu|rimbors|rembours|reembols|ruckg|umtausch|zwrot|iade|"
                          r"reso|resi|cambi|troca|ruil|wymian|rucksend|terugstu|omruil|echang")
_DAY_HINT = re.compile(r"\d\s*[^\W\d_]")  # a number followed by a word: a window may be written there
_REFUSE_AFTER = re.compile(r"不候|不行|不予|不退|不换|不接受|不支持|概不|不再|不能|无法|不处理|不给|恕不|不受理")


def _lapse_refused(text: str, start: int, end: int) -> bool:
    """A lapse word ("超过", "逾期") and, after it in the same clause, a refusal ("恕不受理", "一律不予处理")."""
    for lapse in _LAPSE.finditer(text, start, end):
        stop = _CLAUSE.search(text, lapse.end(), end)
        if _REFUSE_AFTER.search(text, lapse.end(), stop.start() if stop else end):
            return True
    return False


def _cn_number(text: str) -> int:
    if text.isdigit():
        return int(text)
    if text == "十":
        return 10
    if text.startswith("十"):
        return 10 + _CN_NUM.get(text[1:2], 0)
    if "十" in text:
        tens, _, unit = text.partition("十")
        return _CN_NUM.get(tens, 1) * 10 + _CN_NUM.get(unit, 0)
    return _CN_NUM.get(text[:1], 0)


# "杂志以外的图书", "除报纸之外": the exception names what the refusal is NOT about
_OTHER_THAN = re.compile(r"\s*(?:的)?\s*(?:以外|之外|除外)")


def _exceptions(scan: Scan) -> list[Hit]:
    """The legal exceptions named (made to order, perishable, digital, periodicals, fresh or live goods; underwear,
    cosmetics or cards said to be opened or activated), not "other than" ones."""
    named = scan.get("after_sales_exception") + scan.get("after_sales_perishable") + [
        h for h in scan.get("after_sales_sealed") if scan.in_sentence("after_sales_opened", h.start)]
    return [e for e in named if not _OTHER_THAN.match(scan.text, e.end)]


_DEFECT_ZH = re.compile(r"掉色|褪色|开线|开胶|起球|破洞|漏水|断了|坏了|质量问题")
_QUALITY_ANY = re.compile(r"质量|品质|瑕疵|故障|quality|defect|faulty|品質|不良|불량|하자|брак|дефект")


def _used_before(scan: Scan, used: Hit, pos: int) -> bool:
    """"商品已经使用过，无法办理退款": the item was used, in the clause right before the refusal (or its own),
    and no quality problem is named between them."""
    if used.start > pos:
        return False
    between = scan.text[used.end:pos]
    # "洗过一次掉色 … 洗过的一律不退": a quality problem named before the refusal is no use of the item
    before = scan.text[scan.sentence_span(pos)[0]:pos]
    return len(_CLAUSE.findall(between)) <= 1 and not _QUALITY_ANY.search(between) \
        and not _DEFECT_ZH.search(before)


def _for_review(scan: Scan, h: Hit) -> bool:
    """"Yorum karşılığında para iadesi yapmıyoruz" (we give no refunds in exchange for reviews): the refusal's own
    clause ties it to a review by an exchange word — it refuses an incentive, not a return."""
    for r in scan.in_sentence("review", h.start):
        if r.end <= h.start and not re.search(r"[,;，；]", scan.text[r.end:h.start]) and any(
                r.start <= o.start <= h.start or scan.near(r, o, 2) for o in scan.in_sentence("offer", h.start)):
            return True
    return False


def after_sales(scan: Scan) -> list[Raw]:
    """Taobao: 7-day no-reason returns and 15-day quality exchanges stated wrongly (a refusal,
    a fee, a shorter window); the legal exceptions (made to order, perishable, digital) pass."""
    out: list[Raw] = []
    text = scan.text

    exceptions = _exceptions(scan)

    def excepted(pos: int) -> bool:
        if scan.in_sentence("after_sales_quality_too", pos):
            return False  # "magazines and books, not even for defects": quality problems are never excepted
        s = scan.sentence(pos)
        return any(scan.sentence(e.start) == s for e in exceptions) or any(
            _used_before(scan, u, pos) for u in scan.in_sentence("after_sales_used", pos))

    for h in scan.get("after_sales_refusal"):
        if not excepted(h.start) and not _for_review(scan, h):
            out.append(scan.raw("after_sales_terms", h.start, h.end,
                                "refuses returns or exchanges the platform makes mandatory"))
    for h in scan.get("after_sales_fee"):
        if scan.in_sentence("after_sales_topic", h.start) and not excepted(h.start) and not scan.negated(h):
            out.append(scan.raw("after_sales_terms", h.start, h.end, "charges a fee on a return or refund"))
    for h in scan.get("after_sales_withheld"):  # "Bij retour wordt 15% van het aankoopbedrag ingehouden"
        a, b = scan.sentence_span(h.start)
        if scan.in_sentence("after_sales_topic", h.start) and _AMOUNT.search(text, a, b) and not excepted(h.start) \
                and not scan.negated(h):
            out.append(scan.raw("after_sales_terms", h.start, h.end, "withholds money on a return or refund"))
    if re.search(r"[退换].{0,12}扣[除掉]?\s*\d+\s*[%％]|扣[除掉]?\s*\d+\s*[%％].{0,12}[退换]", text):
        m = re.search(r"扣[除掉]?\s*\d+\s*[%％]", text)
        if m and not excepted(m.start()):
            out.append(scan.raw("after_sales_terms", m.start(), m.end(), "deducts a share of the price on a return"))
    if "退" in text or "换" in text:
        for m in _REFUSE_RETURN.finditer(text):
            a = max([0] + [c.end() for c in _CLAUSE.finditer(text, 0, m.start())])
            if excepted(m.start()) or _CONDITION.search(text, a, m.end()):
                continue  # "如果系统不能退款，请联系客服": a condition, not a refusal
            out.append(scan.raw("after_sales_terms", m.start(), m.end(),
                                "refuses returns or exchanges the platform makes mandatory"))
    for m in ([*_JA_REFUSE.finditer(text), *_JA_REFUSE_PRE.finditer(text)] if "一切" in text or "いかなる" in text
              or "全て" in text or "すべて" in text or "原則" in text or "理由" in text else ()):
        if not excepted(m.start()) and not _JA_LAPSE.search(text, scan.sentence_span(m.start())[0], m.start()):
            out.append(scan.raw("after_sales_terms", m.start(), m.end(),
                                "refuses returns or exchanges the platform makes mandatory"))
    for m in (_DAYS.finditer(text) if ("天" in text or "日" in text or "day" in text or "小时" in text
                                      or "hour" in text or "时间" in text) else ()):
        days = _cn_number(m.group(1))
        hours = m.group(2) in ("小时", "时间", "hour", "hours")  # 时间: Japanese 時間
        if hours:
            days = -(-days // 24)  # 48 小时 → 2 days
        if not days or excepted(m.start()):
            continue
        a = max([0] + [c.end() for c in _CLAUSE.finditer(text, 0, m.start())])
        nxt = _CLAUSE.search(text, m.end())
        b = nxt.start() if nxt else len(text)
        before, after = text[a:m.start()], text[m.end():b]
        around = before + after
        sa, sb = scan.sentence_span(m.start())
        sentence = text[sa:sb]
        if (_ONLY.search(before) and (re.search(r"(?:within|innerhalb von|dans les|en los|entro)\s*$", before)
                                      or after.lstrip().startswith(("内", "以内")))) or _ONLY_AFTER.match(after):
            # "退换货只能在收货48小时内申请", "quality complaints are only accepted within 5 days"
            quality = bool(_QUALITY_NAMED.search(sentence) or _QUALITY_EN.search(sentence))
            returns = bool(re.search(r"[退换]|售后|返品|返金|반품|환불", sentence) or _RETURN_EN.search(sentence))
            asked = _ASKED.search(before + after)
            if returns and asked and (days < 7 or (quality and days < 15)) and "发货" not in sentence:
                out.append(scan.raw("after_sales_terms", m.start(), m.end(),
                                    "restricts returns to a window shorter than the platform's"))
                continue
        if hours:
            # "如有质量问题，需签收后48小时内反馈，超时不再受理": a window of hours only counts with a lapse
            # and a refusal after it (24 小时内发货 / 处理 is a service promise)
            if (_QUALITY_HOURS.search(sentence) or re.search(r"[退换]", around)) and _LAPSE.search(
                    sentence) and _REFUSE_AFTER.search(text, m.end(), sb) and days < 15:
                out.append(scan.raw("after_sales_terms", m.start(), m.end(),
                                    "an after-sales window of a few hours, refused after it"))
            continue
        # the words of this count only: "7天无理由退货和15天质量问题换货" — the quality word is 15 天's
        prev = [d.end() for d in _DAYS.finditer(text, a, m.start())]
        nxt_count = _DAYS.search(text, m.end(), b)
        own = text[prev[-1] if prev else a:m.start()] + text[m.end():nxt_count.start() if nxt_count else b]
        if ("无理由" in own or "非质量" in own) and days < 7:
            out.append(scan.raw("after_sales_terms", m.start(), m.end(),
                                "a no-reason return window shorter than 7 days"))
        elif _QUALITY_NAMED.search(own) and days < 15 and re.search(r"[换退]|联系|处理|申请|售后", around) \
                and not re.match(r"\s*(?:内|以内)?\s*(?:无理由|非质量)", after):  # "7天无理由退货和15天质量问题换货"
            out.append(scan.raw("after_sales_terms", m.start(), m.end(),
                                "a quality-problem window shorter than 15 days"))
        elif days < 7 and re.search(r"[退换]", around) and _REFUSE_AFTER.search(after):
            out.append(scan.raw("after_sales_terms", m.start(), m.end(), "refuses returns after fewer than 7 days"))
        elif _lapse_refused(text, m.end(), sb) and "发货" not in sentence and (
                (days < 7 and re.search(r"[退换]", sentence)) or (days < 15 and _QUALITY_ZH.search(sentence))):
            # "签收后3天内可退，超过3天一律不予处理", "质量问题请在7天内联系换货，超过7天恕不受理"
            out.append(scan.raw("after_sales_terms", m.start(), m.end(),
                                "refuses returns or exchanges after a window shorter than the platform's"))
    if "退" in text or "换" in text or "无理由" in text:
        out += _structures(scan, excepted)
    if _DAY_HINT.search(text):
        spans = [scan.sentence_span(h.start) for h in exceptions
                 if not scan.in_sentence("after_sales_quality_too", h.start)]
        out += windows(scan, spans)
    if not text.isascii() or _RETURN_HINT.search(text):
        out += refused(scan, excepted)
    out += quality_fees(scan) + late_refunds(scan)
    return _dedupe(out)


# "七天无理由？我们小店不参加这个的": the topic asked, then refused in the next sentence
_TOPIC_ASKED = re.compile(r"(?:七|7)\s*天\s*无理由(?:退货|退换)?\s*[?？]")
_TOPIC_REFUSED = re.compile(r"\s*(?:我们|本店|小店|我家|咱家|这边)?[^，。！？?!]{0,4}"
                            r"(?:不参加|不参与|不支持|不享受|不提供|不适用|不做|没有)")
# "清仓🔥不退🔥不换": the refusal split by separators
_SPLIT_REFUSAL = re.compile(r"不\s*退\W{1,4}不\s*换")
# "7天无理由是从下单时间开始算的": the window counted from the order, not from receipt
_FROM_ORDER = re.compile(r"(?:从|自)\s*(?:下单|付款|拍下|购买|下订单)(?:时间|之日|当天|日)?\s*(?:开始|起)")
# "退换期缩短为3天": the period itself shortened
_PERIOD = re.compile(r"(?:退换货?|退货|换货|无理由|售后)(?:期|期限|时间|时限)\s*(?:缩短|改为|只有|仅有|仅|为|是)+\s*"
                     r"(\d{1,2}|[一二两三四五六])\s*(?:个)?\s*(?:天|日)")


# the no-reason return refused anywhere in its sentence, in either order: "本店商品不支持 7 天无理由",
# "7天无理由退huo不支持哈", "七天无理由退货仅限会员，普通买家不支持"
_NO_REASON_REFUSED = re.compile(r"不支持|不提供|不享受|不参加|不参与|不适用|不接受|不办理|"
                                r"(?P<members>(?:仅限|只限|只对|仅对)\s*(?:会员|vip|老客户|老顾客|粉丝))")
# the refusal ends its clause ("普通买家不支持。", "不支持哈"): it refuses the topic, not an object of its own
# ("七天无理由退货，不提供运费险" refuses the insurance)
_CLAUSE_END = re.compile(r"\s*[哈哦的呢啊了哟喔吧呀]*\s*(?:[，。,.!！?？；;~～、]|$)")

_BY_LAW = re.compile(r"依法|依照法律|根据法律|按照法律|按国家规定|根据规定|依据《")


def _no_reason_refused(scan: Scan, excepted: Callable[[int], bool]) -> list[Raw]:
    """A sentence about the 7-day no-reason return (无理由) with a refusal or a restriction to members in it,
    not under a condition in the refusal's clause ("如果…不支持") and with no legal exception in the sentence."""
    text = scan.text
    out: list[Raw] = []
    for a, b in scan.sentences():
        if "无理由" not in text[a:b]:
            continue
        for m in _NO_REASON_REFUSED.finditer(text, a, b):
            c = max([a] + [k.end() for k in _CLAUSE.finditer(text, a, m.start())])
            if excepted(m.start()) or _CONDITION.search(text, c, m.start()) or _BY_LAW.search(text, c, m.start()):
                continue  # "依法不适用七天无理由": the law's own exception, stated as such
            stop = _CLAUSE.search(text, m.end(), b)
            if not (m.group("members") or "无理由" in text[m.end():stop.start() if stop else b]
                    or _CLAUSE_END.match(text, m.end())):
                continue  # "七天无理由退货，不提供运费险": something else refused
            out.append(scan.raw("after_sales_terms", m.start(), m.end(), "refuses the 7-day no-reason return"))
            break
    return out


def _structures(scan: Scan, excepted: Callable[[int], bool]) -> list[Raw]:
    """Chinese refusals written as a structure rather than a phrase (see the patterns above)."""
    text = scan.text
    out: list[Raw] = _no_reason_refused(scan, excepted) if "无理由" in text else []
    for m in _TOPIC_ASKED.finditer(text):
        if _TOPIC_REFUSED.match(text, m.end()) and not excepted(m.end()):
            out.append(scan.raw("after_sales_terms", m.start(), m.end(), "refuses the 7-day no-reason return"))
    for m in _SPLIT_REFUSAL.finditer(text):
        if not excepted(m.start()):
            out.append(scan.raw("after_sales_terms", m.start(), m.end(), "refuses returns and exchanges"))
    for m in _FROM_ORDER.finditer(text):
        a, b = scan.sentence_span(m.start())
        if re.search(r"无理由|退货|退换", text[a:b]) and not excepted(m.start()):
            out.append(scan.raw("after_sales_terms", m.start(), m.end(),
                                "counts the return window from the order instead of receipt"))
    for m in _PERIOD.finditer(text):
        if _cn_number(m.group(1)) < 7 and not excepted(m.start()):
            out.append(scan.raw("after_sales_terms", m.start(), m.end(), "a return period shorter than 7 days"))
    return out
