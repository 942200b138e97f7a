"""Put-downs without an insult word, and steering a buyer to the seller before rating (round 13).

* ``sarcasm``: condescension written as a comparison or a suggestion — common sense with
  "anyone" ("as anyone with basic common sense knows", "常識のある方なら"), a hedged "next time"
  next to reading ("maybe try reading the description next time", "下次下单前麻烦先把详情页看一遍"),
  and sarcasm about effort next to reading ("reading the manual is clearly too much to ask").
* ``contact_before_rating``: "contact us before you rate", "评价前请先联系我们" — a contact word in
  the sentence of a before-rating phrase, or of a review word with a before/instead word; and
  "only satisfied customers should review" — only, satisfied and a review word in one sentence;
  "anything below five stars? talk to us first" — fewer than five stars, then a contact or
  "first" word in that sentence or the next.

The phrases are in ``packs/lexicon/insults.toml`` (``sense_word``, ``anyone``, ``next_time``,
``hedge``, ``taunt_read``, ``again_word``, ``explain_word``, ``congrats``, ``first_one``) and
``reviews.toml`` (``rate_before``, ``contact_us``, ``only_word``, ``satisfied``, ``below_stars``,
``first_word``).
"""

from __future__ import annotations

from autoreply.compliance.scan import Raw, Scan
from autoreply.compliance.terms import Hit


def _apart(a: Hit, b: Hit) -> bool:
    return a.end <= b.start or b.end <= a.start


def sarcasm(scan: Scan) -> list[Raw]:
    """Condescension without an insult word (see the module docstring)."""
    out: list[Raw] = []
    for h in scan.get("sense_word"):
        # the negation that counts is the one before the phrase ("this is not about common sense");
        # "as anyone with common sense knows, wool does not go in the dryer" negates the advice
        if scan.in_sentence("anyone", h.start) and not scan.warning(scan.sentence(h.start)) and not any(
                n.end <= h.start and scan.near(n, h, 4) for n in scan.in_sentence("negation", h.start)):
            out.append(scan.raw("insult", h.start, h.end, "talking down to the buyer (common sense)"))
    for h in scan.get("next_time"):
        reads = [r for r in scan.in_sentence("read_word", h.start) if _apart(r, h)]
        if reads and scan.in_sentence("hedge", h.start):
            out.append(scan.raw("insult", h.start, h.end, "telling the buyer to read next time"))
    for h in scan.get("again_word"):  # "we explained it twice; fine, a third time, just for you"
        if scan.in_sentence("explain_word", h.start) and not scan.negated(h):
            out.append(scan.raw("insult", h.start, h.end, "talking down to the buyer (explaining again)"))
    for h in scan.get("congrats"):  # "congratulations, you are the first to mount it upside down"
        if scan.in_sentence("first_one", h.start) and not scan.negated(h):
            out.append(scan.raw("insult", h.start, h.end, "sarcasm (congratulating the buyer's mistake)"))
    for h in scan.get("taunt_read"):
        if any(_apart(r, h) for r in scan.in_sentence("read_word", h.start)):
            out.append(scan.raw("insult", h.start, h.end, "sarcasm about the buyer's reading"))
    return out


def contact_before_rating(scan: Scan) -> list[Raw]:
    """"Contact us before you rate": the buyer sent to the seller instead of reviewing."""
    out: list[Raw] = []
    rate_before, satisfied, below = scan.get("rate_before"), scan.get("satisfied"), scan.get("below_stars")
    contacts = scan.get("contact_us")
    if not (rate_before or satisfied or below or (contacts and scan.has("avoid"))):
        return out
    sentences = {scan.sentence(c.start) for c in contacts}
    for h in rate_before:
        if scan.sentence(h.start) in sentences and not scan.negated(h):
            out.append(scan.raw("review_manipulation", h.start, h.end,
                                "asks the buyer to contact the seller before rating"))
    for h in satisfied:  # "only fully satisfied customers should leave feedback"
        if scan.in_sentence("only_word", h.start) and scan.in_sentence("review", h.start) and not scan.negated(h):
            out.append(scan.raw("review_manipulation", h.start, h.end, "asks only satisfied buyers for a review"))
    for h in below:  # "Anything below five stars? Talk to us first."
        s = scan.sentence(h.start)
        if any(s <= scan.sentence(c.start) <= s + 1 for g in ("contact_us", "first_word") for c in scan.get(g)):
            out.append(scan.raw("review_manipulation", h.start, h.end,
                                "intercepts a rating below five stars"))
    if not contacts:
        return out
    avoid = scan.get("avoid")
    for r in scan.get("review") if avoid else ():
        s = scan.sentence(r.start)
        if s in sentences and any(scan.sentence(a.start) == s and _apart(a, r) and scan.near(a, r, 5)
                                  for a in avoid) and not scan.negated(r):
            out.append(scan.raw("review_manipulation", r.start, r.end,
                                "asks the buyer to contact the seller instead of reviewing"))
    return out
