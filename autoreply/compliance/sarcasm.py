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

Round 14 (irony aimed at the buyer, without an insult word, in 14 languages):

* "reading the size chart is apparently too hard": a sarcasm marker (``snark``: apparently, for
  some, видимо, 看来), a hard word (``hard_word``) and reading as an act (``read_act``: "the manual
  is apparently difficult for some" blames the manual) in one sentence;
* "congratulations on discovering the on button": congratulations with a discover word;
* "as I have explained twice already": a count (``explain_times``) within three words of an
  explain word — "as explained in the manual, press twice" has a comma between them, "checked it
  twice and glad to explain" a conjunction;
* "some people just can't follow simple instructions": ``some_people``, ``cannot_word``,
  ``simple_word`` and ``just_word`` in one sentence;
* "next time we'll draw you a picture": ``draw_word`` with "next time" or a hedge;
* "who would have thought … What a surprise": ``surprise_word`` with ``fake_surprise`` in the
  message or an inability in its sentence ("what a surprise, another buyer who can't measure").

A third party in the sentence (``other_party``: the courier, the warehouse, customs) makes the
first, third and fourth about someone else.

The phrases are in ``packs/lexicon/insults.toml`` (``sense_word``, ``anyone``, ``next_time``,
``hedge``, ``taunt_read``, ``again_word``, ``explain_word``, ``congrats``, ``first_one``, and the
round-14 groups above) and
``reviews.toml`` (``rate_before``, ``contact_us``, ``only_word``, ``satisfied``, ``below_stars``,
``first_word``).
"""

from __future__ import annotations

import re

from autoreply.compliance.incentives import PRICE
from autoreply.compliance.scan import Raw, Scan
from autoreply.compliance.terms import Hit

# "checked it twice and happy to explain": a conjunction between the count and the explain word
_AND = re.compile(r"\b(?:and|und|et|y|e|en|i|ve|и|а|و)\b|和|并|そして|고 ")


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
    return out + irony(scan)


def _negated_before(scan: Scan, h: Hit, words: int = 3) -> bool:
    return any(n.end <= h.start and scan.near(n, h, words) for n in scan.in_sentence("negation", h.start))


def _spaced(scan: Scan, h: Hit) -> bool:
    """Was the term spelled out letter by letter in the original ("g e n i u s", "あ た ま")?"""
    a, b = scan.norm.span(h.start, h.end)
    return scan.norm.original[a:b].count(" ") >= max(2, h.term.count(" ") + 2)


def _mock_words(scan: Scan) -> list[Raw]:
    """"Look it up, g e n i u s": a mock title spelled out or said at the end of a sentence; a
    brain or head spelled out."""
    out: list[Raw] = []
    for h in scan.get("epithet"):
        before = scan.text[:h.start].rstrip()
        after = scan.text[h.end:].lstrip()
        vocative = before.endswith((",", "，", "、")) and (not after or after[0] in ".!?。！？…")
        if _spaced(scan, h) or vocative:
            out.append(scan.raw("insult", h.start, h.end, "mocking the buyer (a mock title)"))
    out += [scan.raw("insult", h.start, h.end, "mocking the buyer (spelled out)")
            for h in scan.get("spaced_word") if _spaced(scan, h)]
    return out


def irony(scan: Scan) -> list[Raw]:
    """Round 14: irony and condescension aimed at the buyer (see the module docstring)."""
    out: list[Raw] = []
    for h in scan.get("snark"):  # "reading the size chart is apparently too hard"
        hard = [x for x in scan.in_sentence("hard_word", h.start) if not _negated_before(scan, x, 1)]
        if hard and any(_apart(r, x) for r in scan.in_sentence("read_act", h.start) for x in hard) \
                and not scan.in_sentence("other_party", h.start):
            out.append(scan.raw("insult", h.start, h.end, "sarcasm: reading is too hard for the buyer"))
    for h in scan.get("congrats"):  # "congratulations on discovering the on button"
        if any(_apart(d, h) for d in scan.in_sentence("discover_word", h.start)) and not scan.negated(h):
            out.append(scan.raw("insult", h.start, h.end, "sarcasm (congratulating the buyer on the obvious)"))
    for h in scan.get("explain_times"):  # "as I have explained twice already"
        said = [e for e in scan.in_sentence("explain_word", h.start)
                if _apart(e, h) and scan.near(e, h, 3) and not _AND.search(scan.text, min(e.end, h.end),
                                                                             max(e.start, h.start))]
        if said and not scan.in_sentence("other_party", h.start):
            out.append(scan.raw("insult", said[0].start, h.end, "impatience: explained to the buyer again"))
    for h in scan.get("some_people"):  # "some people just can't follow simple instructions"
        if all(scan.in_sentence(g, h.start) for g in ("cannot_word", "simple_word", "just_word")) \
                and not scan.in_sentence("other_party", h.start):
            out.append(scan.raw("insult", h.start, h.end, "talking down to the buyer (some people)"))
    for h in scan.get("surprise_word"):  # "who would have thought … doesn't fit. What a surprise."
        if scan.has("fake_surprise") or scan.in_sentence("cannot_word", h.start):
            out.append(scan.raw("insult", h.start, h.end, "sarcasm (feigned surprise)"))
    out += _mock_words(scan)
    out += _round20b(scan)
    for h in scan.get("draw_word"):  # "next time we'll draw you a picture"
        if scan.in_sentence("next_time", h.start) or scan.in_sentence("hedge", h.start):
            out.append(scan.raw("insult", h.start, h.end, "sarcasm (drawing the buyer a picture)"))
    return out + _price_taunt(scan) + _blame_user(scan) + _not_our_fault(scan)


def _not_our_fault(scan: Scan) -> list[Raw]:
    """Round 20a: "Se non sa usare un cacciavite, non è colpa nostra" — the buyer unable (`cant_use`) and "not
    our fault" (`not_our_fault`) in one sentence, with no third party (the courier, customs) to blame."""
    for h in scan.get("not_our_fault"):
        if scan.in_sentence("cant_use", h.start) and not scan.in_sentence("other_party", h.start) \
                and not scan.warning(scan.sentence(h.start)):
            return [scan.raw("insult", h.start, h.end, "blaming the buyer (not our fault if you can't)")]
    return []


def _blame_user(scan: Scan) -> list[Raw]:
    """Round 20a: "Maybe the problem is the person setting it up, not the tent" — a hedged problem
    (`problem_maybe`) put on the buyer (`blame_user`: the user, the handling) in its sentence, or denied to the
    product (`not_product`) with a rhetorical tag in that sentence or the next ("¿no cree?", "ci ha pensato?").
    "Maybe the problem is the cable, not the product — could you try another one?" blames nobody."""
    for h in scan.get("problem_maybe"):
        if scan.negated_scope(h) or scan.in_sentence("other_party", h.start):
            continue
        s = scan.sentence(h.start)
        if any(b.start >= h.end for b in scan.in_sentence("blame_user", h.start)) or (
                any(n.start >= h.end for n in scan.in_sentence("not_product", h.start))
                and any(scan.sentence(t.start) in (s, s + 1) for t in scan.get("rhetorical_tag"))):
            return [scan.raw("insult", h.start, h.end, "blaming the buyer (maybe the problem is you)")]
    return []


def _price_taunt(scan: Scan) -> list[Raw]:
    """Round 20a: "Esperava seda por 7 reais? Vamos ser realistas." — what the buyer expected (`expect_word`)
    asked in a question with a price, beside a luxury material or grade (`price_luxury`: silk, cashmere,
    designer quality; not a `price_variant` — "the silk version" asks which item was meant) in that question,
    or a dismissal (`price_real`: "let's be realistic", "soyons sérieux", "Interessante Vorstellung") in it or
    the next sentence: mocking the buyer for expecting more at that price."""
    for h in scan.get("expect_word"):
        if not scan.question(h.start) or scan.negated(h):
            continue
        a, b = scan.sentence_span(h.start)
        if PRICE.search(scan.text, a, b) is None:
            continue
        s = scan.sentence(h.start)
        if (scan.in_sentence("price_luxury", h.start) and not scan.in_sentence("price_variant", h.start)) or any(
                scan.sentence(r.start) in (s, s + 1) for r in scan.get("price_real")):
            return [scan.raw("insult", h.start, h.end, "sarcasm (what the buyer expected for the price)")]
    return []


def _round20b(scan: Scan) -> list[Raw]:
    """Round 20b: put-downs said as a structure (`insults.toml`, groups after "round 20b"): the buyer's effort
    said to be missing ("okumaya zahmet etseydiniz", "您但凡看一眼"), the least a buyer could do ("ご自分の足の
    サイズくらい測ってから"), the obvious not taught ("不用我教您吧"), the price mocked ("三十几块钱的东西还指望"),
    each on its own (and `taunt_more`); "did you even open the manual?" (`at_all`, `open_word` and a reading word
    in a question); what the buyer missed with feigned wonder ("gözünüzden kaçması gerçekten ilginç"); everyone
    else managing with the buyer singled out ("لم يشتك أحد من عملائنا غيرك"). Not after a negation, nor about a
    third party (courier, warehouse); what "we" missed is no taunt."""
    out: list[Raw] = []
    for group in ("taunt_bother", "taunt_least", "taunt_teach", "taunt_price", "taunt_more"):
        for h in scan.get(group):
            if not _negated_before(scan, h, 2) and not scan.in_sentence("other_party", h.start):
                out.append(scan.raw("insult", h.start, h.end, "talking down to the buyer"))
    for h in scan.get("taunt_missed"):
        if any(_apart(w, h) for w in scan.in_sentence("wonder_word", h.start)) \
                and not scan.in_sentence("other_party", h.start) and not scan.in_sentence("we_word", h.start):
            out.append(scan.raw("insult", h.start, h.end, "sarcasm about what the buyer missed"))
    for h in scan.get("at_all"):  # "هل فتحت دليل الاستخدام أصلا؟", "Вы вообще инструкцию открывали?"
        if scan.question(h.start) and any(_apart(o, h) for o in scan.in_sentence("open_word", h.start)) \
                and scan.in_sentence("read_word", h.start) and not scan.in_sentence("we_word", h.start) \
                and not scan.in_sentence("other_party", h.start):
            out.append(scan.raw("insult", h.start, h.end, "talking down to the buyer (did you even read it?)"))
            break
    others = scan.get("others_fine")
    for h in scan.get("only_you") if others else ():
        s = scan.sentence(h.start)
        if any(abs(scan.sentence(o.start) - s) <= 1 and _apart(o, h) for o in others) \
                and not scan.in_sentence("other_party", h.start) and not _negated_before(scan, h, 1):
            out.append(scan.raw("insult", h.start, h.end, "singling out the buyer (nobody else has a problem)"))
            break
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
