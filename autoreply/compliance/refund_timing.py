"""Taobao refund timing (seed 003: after-sales terms "refund timing" must be stated correctly): once
the seller has the returned goods the refund is due within 7 days (网络购买商品七日无理由退货暂行办法
第十九条; Taobao asks for less). A message that puts the refund further off blocks: "退款要等收到货后30个
工作日内处理", "半个月以后才处理", "下个月15号统一打款", "质检周期20天，之后再退款", "your refund will be
processed 60 days after we receive the item", "Возврат денег только через 60 дней".

What counts: a refund word and, in its sentence, a delay over 7 days (days, weeks, months, "next
month") that the seller's processing or payment waits for — not a window the buyer has to ask in
("30天内可以申请退款", "you can request a refund within 30 days"), and not the bank's own time
("以银行为准", "your bank may take 10 days").
"""

from __future__ import annotations

import re

from autoreply.compliance.scan import Raw, Scan
from autoreply.compliance.windows import n as _n

_CN = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10, "半": 0.5}
_REFUND_ZH = re.compile(r"退款|打款|退钱|到账|返还货款|退回货款")
# a delay in Chinese: N 天/日/工作日, N 周/星期, N 个月, 半个月, 下个月, 第二个月, 月底
_DELAY_ZH = re.compile(r"(\d{1,3}|[一二两三四五六七八九十半]{1,3})\s*(?:个)?\s*(工作日|天|日|周|星期|礼拜|月)"
                       r"|下个?月|次月|第二个月|月底")
_PAID_ZH = re.compile(r"处理|到账|打款|退款|退回|退还|退给|返还|退钱")
_ASK_ZH = re.compile(r"申请|提出|可以|可|联系|反馈|如需|若需|如有|发货|发出|物流|快递")  # or a shipping delay
_ARRIVE_ZH = re.compile(r"到货|未发|到达")  # "15天左右到货，之后…退款": the parcel's time, after the number
_CLAUSE_ZH = re.compile(r"[，,；;]")
_BANK = re.compile(_n(r"银行|信用卡|花呗|銀行|은행|"
                      r"\b(?:bank|card issuer|banque|banco|banca|bank\w*|банк\w*|banka\w*)\b"))
_REFUND = re.compile(_n(
    r"\b(?:refund\w*|money back|reimburs\w*|erstattung|ruckerstattung|erstatte\w*|rembours\w*|reembols\w*|rimbors\w*|"
    r"terugbetal\w*|zwrot (?:pieniedzy|srodkow|naleznosci)|возврат (?:денег|средств)|деньги|para iadesi|ucret iadesi|"
    r"iadeniz|iadesi|geri odeme\w*|"
    r"geld|dinero|argent|soldi|dinheiro|pieniadze|"  # round 17: "het geld krijgt u pas 30 dagen na ontvangst terug"
    r"استرداد|المبلغ)\b|返金|환불"))
_UNIT = _n(r"(?:days?|business days|working days|weeks?|months?|tage\w*|werktage\w*|wochen?|monat\w*|jours?|semaines?|"
           r"mois|dias?|semanas?|mes\w*|giorni|settiman\w*|mes[ei]|dagen|weken|maand\w*|dni\w*|tygodni\w*|miesi\w*|"
           r"дн\w*|недел\w*|месяц\w*|gun|hafta|ay|يوم\w*|أيام|ايام|أسابيع|شهر\w*)")
_DELAY = re.compile(r"(?<![\w.,])(\d{1,3})\s*(" + _UNIT + r")(?!\w)|(\d{1,3})\s*(日|週間|か月|ヶ月|일|주|개월)|(" + _n(
    r"\b(?:one|a|ein\w*|un|une|uno|una|um|uma|een|jeden|bir) (?:month|monat|mois|mes|maand|miesiac|ay)\b|"
    r"\b(?:через|спустя) месяц|\bмесяц спустя") + r"|한 ?달|ひと月|一か月|一ヶ月)")
_PAID = re.compile(_n(
    r"\b(?:process\w*|issued?|credited|sent|paid|transferr\w*|after we (?:receive|get)|erfolg\w*|uberwiesen|"
    r"uberweis\w*|"
    r"bearbeit\w*|effectu\w*|vers[ee]|trait\w*|procesad\w*|emitid\w*|realiz\w*|efectu\w*|elaborat\w*|"
    r"effettuat\w*|nastapi|nastepuje|despues|apres|dopo|depois|apos|feito|"
    r"emess\w*|processad\w*|uitbetaald|verwerkt|overgemaakt|przelejemy|zrealizowan\w*|rozpatr\w*|через|после|"
    r"зачисл\w*|поступ\w*|обработ\w*|yatirilir|yapilir|yapilacak\w*|islen\w*|sonra|بعد|يتم|"
    r"na ontvangst|pas na|nach erhalt|nach eingang|terug|zuruck)\b|後|後|후"))
_ASK = re.compile(_n(
    r"\b(?:you can|you may|can be requested|request\w*|apply|appl\w+|claim|within \d+ days of (?:delivery|receipt)|"
    r"konnen sie|sie konnen|vous pouvez|puede|puoi|pu[oò]|pode|kunt u|mozesz|moze pan|можете|yapabilirsiniz|"
    r"beantragen|demander|solicitar|richiedere|aanvragen|wnioskowac|запросить|talep)\b"))


_WEEKS = re.compile(_n(r"week|woch|semain|seman|settiman|tydz|tygod|недел|hafta|أسابيع|週|주"))
_MONTHS = re.compile(_n(r"month|monat|mois|mes|maand|miesi|месяц|ay$|شهر|か月|ヶ月|개월"))


def _zh_days(num: str, unit: str) -> float:
    if num.isdigit():
        n: float = int(num)
    elif num == "半":
        n = 0.5
    elif "十" in num:
        tens, _, rest = num.partition("十")
        n = _CN.get(tens, 1) * 10 + _CN.get(rest, 0)
    else:
        n = _CN.get(num[:1], 0)
    return n * {"周": 7, "星期": 7, "礼拜": 7, "月": 30}.get(unit, 1)


def _zh(scan: Scan) -> list[Raw]:
    text = scan.text
    out: list[Raw] = []
    for m in _DELAY_ZH.finditer(text):
        days = _zh_days(m.group(1), m.group(2)) if m.group(1) else 30.0
        if days <= 7:
            continue
        a, b = scan.sentence_span(m.start())
        if not _REFUND_ZH.search(text, a, b) or _BANK.search(text, a, b):
            continue
        after = text[m.end():min(b, m.end() + 14)]
        paid = _PAID_ZH.search(after)
        clause = max([a] + [c.end() for c in _CLAUSE_ZH.finditer(text, a, m.start())])
        if not paid:
            continue
        between = after[:paid.start()]
        asked = _ASK_ZH.search(text, clause, m.start()) and "退款申请" not in text[clause:m.start()]
        if _ASK_ZH.search(between) or _ARRIVE_ZH.search(between) or asked:
            continue  # "30天内可以申请退款": a window the buyer asks in, not the seller's delay
        out.append(scan.raw("after_sales_terms", m.start(), m.end(), "puts the refund off past the rule's 7 days"))
    return out


def _spaced(scan: Scan) -> list[Raw]:
    text = scan.text
    out: list[Raw] = []
    for m in _DELAY.finditer(text):
        if m.group(5):
            days = 30  # "one month", "через месяц", "한 달"
        else:
            num, unit = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
            days = int(num) * (7 if _WEEKS.match(unit) else 30 if _MONTHS.match(unit) else 1)
        if days <= 7:
            continue
        a, b = scan.sentence_span(m.start())
        if not _REFUND.search(text, a, b) or _BANK.search(text, a, b) or _ASK.search(text, a, b):
            continue
        if _PAID.search(text, a, b):
            out.append(scan.raw("after_sales_terms", m.start(), m.end(), "puts the refund off past the rule's 7 days"))
    return out


def late_refunds(scan: Scan) -> list[Raw]:
    """A refund put off past 7 days after the return arrives (see the module docstring)."""
    if not (scan.has("after_sales_topic") or scan.has("deal_money")):  # a return or refund word (shared scan)
        return []
    text = scan.text
    out = _zh(scan) if _REFUND_ZH.search(text) else []
    return out + _spaced(scan)
