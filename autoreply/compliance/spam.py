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

A fraud warning in the sentence (``Scan.warning``: "if someone offers you a loan in our name, it
is a scam") or a negation right before the offer ("we never offer loans") is no offer.
"""

from __future__ import annotations

from autoreply.compliance.scan import Raw, Scan
from autoreply.compliance.terms import Hit

_PAIRS = (("spam_loan", "spam_loan_ctx", "a loan offered (unrelated to the trade)"),
          ("spam_crypto", "spam_gain", "a crypto or trading scheme (unrelated to the trade)"),
          ("spam_job", "spam_pay", "a job offer (unrelated to the trade)"),
          ("spam_kin", "spam_kin_sells", "a relative's business advertised (unrelated to the trade)"))


def _refused(scan: Scan, h: Hit) -> bool:
    """A warning sentence, or a negation a few words before the offer."""
    if scan.warning(scan.sentence(h.start)):
        return True
    return any(n.end <= h.start and scan.near(n, h, 4) for n in scan.in_sentence("negation", h.start))


def spam(scan: Scan) -> list[Raw]:
    """Advertising unrelated to the trade: casinos, loans, phone unlocking, money-making, prizes."""
    out = [scan.raw("spam", h.start, h.end, "advertising unrelated to the trade")
           for h in scan.get("spam") if not scan.negated(h)]
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
    for h in scan.get("spam_followers"):
        if (scan.in_sentence("spam_sell", h.start) or scan.question(h.start)) and not _refused(scan, h):
            out.append(scan.raw("spam", h.start, h.end, "followers sold (unrelated to the trade)"))
    return out
