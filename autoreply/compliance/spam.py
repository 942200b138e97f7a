"""Spam: advertising unrelated to the trade inside a seller message.

* Single words and phrases (``promotion.toml`` ``spam``: casinos, payday loans, get rich …) and
  phone unlocking offered as a service (``spam_unlock`` with a phone word in the sentence).
* Round 14 combinations (``spam.toml``), each in one sentence unless said otherwise:
  - money offered: "need cash fast?" (``spam_need_money`` alone), or a loan word with how it is
    sold — up to an amount, within the hour, "our partner", no checks (``spam_loan`` +
    ``spam_loan_ctx``; credit cards and "on loan" are ``spam_loan_not``);
  - crypto or trading schemes with a gain word ("multiply your savings with our bitcoin bot");
  - a prize ("you have won", lottery, 中奖) with a claim step anywhere in the message (bank
    details, a fee, an ID number);
  - a job offer with pay per day or hour, or "no experience";
  - a relative's business with a sell word ("my cousin runs a dental clinic");
  - petitions, dating and marriage agencies (``spam_topic`` alone);
  - followers or subscribers with a sell word, or asked about in a question ("want more
    followers?").

* Round 16 combinations (``spam.toml``, ``_COMBOS``): a topic unrelated to the trade together with
  what makes it an appeal — in one sentence or anywhere in the message:
  - chain letters ("break the chain" alone; "forward this message to ten friends" with a luck word);
  - stock and crypto tips (shares, a token, "en bourse" with an insider tip, a price about to soar or
    "buy now"), investment groups (crypto with a private group or its members' gains);
  - side jobs and home work with their bait (pay per week or month, "no experience", "reply YES");
  - a relative's or friend's business with a referral ("say you come from us", "mention our shop");
  - prize draws with a claim step that asks for personal data (date of birth, ID number, full name),
    surveys with a prize draw;
  - religious appeals (church, prayer with "come", "every Sunday") and political ones (vote with a
    candidate, a party, the elections); network marketing (join our team with recruit your friends);
    horoscopes and tarot sold.
  A religious holiday, a relative mentioned in passing ("my mother sews each bag"), the seller's own
  hiring or giveaway have no companion and stay innocent.

A fraud warning in the sentence (``Scan.warning``: "if someone offers you a loan in our name, it
is a scam") or a negation right before the offer ("we never offer loans") is no offer.
"""

from __future__ import annotations

import re

from autoreply.compliance.scan import Raw, Scan
from autoreply.compliance.terms import Hit

_PAIRS = (("spam_loan", "spam_loan_ctx", "a loan offered (unrelated to the trade)"),
          ("spam_crypto", "spam_gain", "a crypto or trading scheme (unrelated to the trade)"),
          ("spam_job", "spam_pay", "a job offer (unrelated to the trade)"),
          ("spam_kin", "spam_kin_sells", "a relative's business advertised (unrelated to the trade)"))

_NUMBER = re.compile(r"[0-9０-９一二三四五六七八九十百千万]")

# Round 16: (topic group, companion groups, the companion must be in the topic's sentence?, message)
_COMBOS: tuple[tuple[str, tuple[str, ...], bool, str], ...] = (
    ("spam_forward", ("spam_luck",), True, "a chain letter (unrelated to the trade)"),
    # round 18: forward this message to N friends to enter a draw ("перешлите это сообщение 10 друзьям",
    # "转发本消息…抽奖")
    ("spam_forward", ("spam_prize", "spam_prize_win"), False, "a chain letter with a prize (unrelated to the trade)"),
    ("spam_asset", ("spam_tip",), False, "a stock or crypto tip (unrelated to the trade)"),
    ("spam_invest", ("spam_asset", "spam_crypto"), True, "a stock or crypto tip (unrelated to the trade)"),
    ("spam_crypto", ("spam_pay_rate", "spam_teach"), False, "a crypto scheme (unrelated to the trade)"),
    ("spam_crypto", ("spam_tip",), False, "a stock or crypto tip (unrelated to the trade)"),
    ("spam_asset", ("spam_club", "spam_gain"), True, "an investment group (unrelated to the trade)"),
    ("spam_crypto", ("spam_club",), False, "an investment group (unrelated to the trade)"),  # (round 17: anywhere)
    ("spam_job_lure", ("spam_job_bait", "spam_pay"), False, "a job offer (unrelated to the trade)"),
    ("spam_job", ("spam_job_bait",), False, "a job offer (unrelated to the trade)"),
    ("spam_referral", ("spam_relative", "spam_kin", "spam_opened"), False,
     "a relative's or friend's business advertised (unrelated to the trade)"),
    ("spam_prize_win", ("spam_claim", "spam_claim_data"), False, "a prize to claim (unrelated to the trade)"),
    ("spam_prize", ("spam_claim_data",), False, "a prize to claim (unrelated to the trade)"),
    ("spam_survey", ("spam_win", "spam_prize"), True, "a survey with a prize draw (unrelated to the trade)"),
    ("spam_faith", ("spam_faith_call",), True, "a religious appeal (unrelated to the trade)"),
    ("spam_vote", ("spam_vote", "spam_relative"), False, "a political appeal (unrelated to the trade)"),
    ("spam_mlm_join", ("spam_mlm_recruit",), False, "network marketing (unrelated to the trade)"),
    ("spam_occult", ("spam_occult_offer", "spam_relative", "spam_kin", "spam_money"), True,
     "fortune telling offered (unrelated to the trade)"),
    # round 17: a birth date asked with a horoscope; a tip with someone's gains ("必涨十倍 … 我表哥赚了十几万")
    ("spam_occult", ("spam_claim_data",), False, "fortune telling offered (unrelated to the trade)"),
    ("spam_tip", ("spam_earn_claim",), False, "a stock or crypto tip (unrelated to the trade)"),
    ("spam_earn_claim", ("spam_asset", "spam_crypto", "spam_teach", "spam_job_bait"), False,
     "a money-making scheme (unrelated to the trade)"),
    ("spam_contact_offer", ("spam_relative", "spam_kin"), False,
     "a relative's or friend's business advertised (unrelated to the trade)"),
    ("spam_offtopic", ("spam_side_offer", "spam_relative"), False, "something unrelated sold (unrelated to the trade)"),
    # round 20b: "не хотите заработать на …? Пишите, расскажу схему" — earning pitched as a question, with how
    # it is taught, a sum, a gain, a rate or crypto
    ("spam_earn_ask", ("spam_teach", "spam_money", "spam_gain", "spam_pay_rate", "spam_crypto", "spam_gamble"), False,
     "a money-making scheme (unrelated to the trade)"),
)
# spam by themselves; a negation is part of a chain letter ("don't break the chain"): only a warning clears them
_ALONE = (("spam_chain", "a chain letter (unrelated to the trade)"),
          ("spam_gamble", "betting offered (unrelated to the trade)"))


def _refused(scan: Scan, h: Hit) -> bool:
    """A warning sentence, or a negation a few words before the offer."""
    if scan.warning(scan.sentence(h.start)):
        return True
    return any(n.end <= h.start and scan.near(n, h, 4) for n in scan.in_sentence("negation", h.start))


# the groups one of which a round 16 finding needs (its topic); the companions are lazy (engine.LAZY_GROUPS)
_TOPICS = frozenset({first for first, _, _, _ in _COMBOS} | {g for g, _ in _ALONE}
                    | {"spam_relative", "spam_kin", "spam_earn", "spam_no_exp", "spam_invest"})


def _companion(scan: Scan, h: Hit, groups: tuple[str, ...], same_sentence: bool) -> bool:
    """Is a hit of one of ``groups`` beside ``h`` (not overlapping it) — in its sentence, or anywhere?"""
    for g in groups:
        for c in (scan.in_sentence(g, h.start) if same_sentence else scan.get(g)):
            if c.start >= h.end or c.end <= h.start:
                return True
    return False


def _referrals(scan: Scan) -> list[Raw]:
    """A relative's business with a weaker referral: "for our customers", or say + from us ("just say the
    shop sent you") — only with a relative AND a business opened or run in the message ("my brother packed
    your order; if the courier asks, say it is from our shop" is no referral)."""
    if not (scan.has("spam_relative") or scan.has("spam_kin")) or \
            not (scan.has("spam_opened") or scan.has("spam_kin_sells")):
        return []
    message = "a relative's or friend's business advertised (unrelated to the trade)"
    out = [scan.raw("spam", h.start, h.end, message) for h in scan.get("spam_referral_weak") if not _refused(scan, h)]
    for h in scan.get("spam_say"):
        said = [f for f in scan.in_sentence("spam_from_us", h.start)
                if (f.start >= h.end or f.end <= h.start) and scan.near(h, f, 6)]
        if said and not _refused(scan, h):
            out.append(scan.raw("spam", min(h.start, said[0].start), max(h.end, said[0].end), message))
            break
    return out


def _pay(scan: Scan) -> list[Raw]:
    """'Earn 400 dollars a week', '日給1万円、未経験OK', 'invest 100 and get 1000 back': earning, 'no experience'
    or investing with pay per period (or a return) and a sum of money in one sentence (a currency, or a
    number when the other group is in the message too)."""
    for first, rate, other in (("spam_earn", "spam_pay_rate", "spam_no_exp"),
                               ("spam_no_exp", "spam_pay_rate", "spam_earn"),
                               ("spam_invest", "spam_return", "spam_pay_rate")):
        for h in scan.get(first):
            rates = [r for r in scan.in_sentence(rate, h.start) if r.start >= h.end or r.end <= h.start]
            a, b = scan.sentence_span(h.start)
            money = bool(scan.in_sentence("spam_money", h.start)) or (
                _NUMBER.search(scan.text, a, b) is not None
                and any(o.end <= h.start or o.start >= h.end for o in scan.get(other)))
            if rates and money and not _refused(scan, h):
                return [scan.raw("spam", h.start, h.end, "a job or money scheme (unrelated to the trade)")]
    return []


def round16(scan: Scan) -> list[Raw]:
    """Round 16: chain letters, tips, jobs, referrals, appeals … (``_COMBOS``, ``_ALONE``, see the module docstring)."""
    out = [scan.raw("spam", h.start, h.end, message)
           for g, message in _ALONE for h in scan.get(g) if not scan.warning(scan.sentence(h.start))]
    out += _referrals(scan) + _pay(scan)
    for first, companions, same_sentence, message in _COMBOS:
        for h in scan.get(first):
            if _companion(scan, h, companions, same_sentence) and not _refused(scan, h):
                out.append(scan.raw("spam", h.start, h.end, message))
                break
    return out


def spam(scan: Scan) -> list[Raw]:
    """Advertising unrelated to the trade: casinos, loans, phone unlocking, money-making, prizes."""
    # a negation before the word refuses it ("we never offer loans"); one after it is part of the pitch
    # ("قروض سريعة بدون كفيل", "loans without paperwork")
    out = [scan.raw("spam", h.start, h.end, "advertising unrelated to the trade")
           for h in scan.get("spam") if not _refused(scan, h)]
    for h in scan.get("spam_unlock"):
        if scan.in_sentence("spam_phone", h.start) and not scan.negated(h):
            out.append(scan.raw("spam", h.start, h.end, "phone unlocking (unrelated to the trade)"))
    return out + offers(scan)


def offers(scan: Scan) -> list[Raw]:
    """Round 14: money, crypto, prizes, jobs and followers offered (see the module docstring)."""
    out = [scan.raw("spam", h.start, h.end, "money offered to the buyer (unrelated to the trade)")
           for h in scan.get("spam_need_money") if not _refused(scan, h)]
    out += [scan.raw("spam", h.start, h.end, "a topic unrelated to the trade")
            for h in scan.get("spam_topic") if not _refused(scan, h)]
    for first, second, message in _PAIRS:
        for h in scan.get(first):
            if any(s.start >= h.end or s.end <= h.start for s in scan.in_sentence(second, h.start)) \
                    and not _refused(scan, h):
                out.append(scan.raw("spam", h.start, h.end, message))
    if scan.has("spam_claim"):
        out += [scan.raw("spam", h.start, h.end, "a prize to claim (unrelated to the trade)")
                for h in scan.get("spam_prize") if not _refused(scan, h)]
    if not _TOPICS.isdisjoint(scan.hits):  # most messages have none of the round 16 topics
        out += round16(scan)
    for h in scan.get("spam_followers"):
        if (scan.in_sentence("spam_sell", h.start) or scan.question(h.start)) and not _refused(scan, h):
            out.append(scan.raw("spam", h.start, h.end, "followers sold (unrelated to the trade)"))
    return out
