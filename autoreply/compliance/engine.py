"""The compliance engine: compiled once per configuration, called once per message.

``ComplianceEngine.check(platform=…, subject=…, body=…, context=…)`` runs every text check on
the subject and the body, the context checks when the pipeline passes the event's facts,
and turns what fired into findings with the platform's severity, explanation and source.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from autoreply.compliance import (
    aftersales,
    channels,
    contacts,
    content,
    incentives,
    lexicon,
    linecache,
    promises,
    spam,
    spelled,
    style,
)
from autoreply.compliance.classifier import Model, default_model
from autoreply.compliance.context import MessageContext, context_checks
from autoreply.compliance.linecache import remember
from autoreply.compliance.model import Finding, Verdict, verdict_of
from autoreply.compliance.normalize import DIGIT_MASK, mask_digits
from autoreply.compliance.policy import PLATFORM_PACKS, Policy, SellerPolicy, policy_for
from autoreply.compliance.scan import Raw, Scan
from autoreply.compliance.terms import TermIndex

TEXT_RULES_BODY_ONLY = ("thanks_only", "order_confirmation")
# checks read from one structure: when the rules raised one of a family, they have read that part of
# the message and the classifier adds nothing to it (a five-star request stays a request)
_FAMILIES = ({"review_request", "review_manipulation", "incentive"}, {"cancel_reason", "ask_to_cancel"})


# term groups asked about only in rare sentences, found on a text when a check first asks (terms.py)
# a reply's subject: "Re:", "AW:", "Antw:", "Odp:", "Ответ:", "回复：", "답장:" … at its start
_REPLY_SUBJECT = re.compile(r"\s*(?:re|aw|antw|antwort|odp|ynt|cevap|rv|rif|r|sv|vs|res|"
                            r"ответ|回复|回覆|答复|답장|返信|رد)\s*(?:\[\d+\])?\s*[:：]", re.IGNORECASE)

LAZY_GROUPS = frozenset({
    "feature_weak", "talk_word", "buyer_own", "essential_delivery", "essential_custom", "essential_when",
    "essential_spec", "essential_ask", "cancel_if", "cancel_purpose", "deal_if",
    "deal_drop", "deal_amount", "incentive_listed", "cancel_must", "promo_find", "quote_said",
    # round 16 spam companions, asked only when their topic is in the text (spam.py)
    "spam_say", "spam_from_us", "spam_opened", "spam_pay_rate", "spam_money", "spam_luck", "spam_tip", "spam_club",
    "spam_job_bait", "spam_faith_call", "spam_occult_offer", "spam_mlm_recruit", "spam_teach", "spam_side_offer",
    "spam_win", "spam_claim_data", "spam_referral_weak", "spam_return",
    # round 17
    "deal_asked", "deal_file", "review_harm", "review_beg", "review_nag", "review_more", "all_fine",
    # round 20a: asked only beside an expectation in a question (sarcasm._price_taunt) or a reported question
    "price_luxury", "price_real", "price_variant", "channel_refused", "pay_verb",
    "blame_user", "not_product", "rhetorical_tag", "cant_use",
    "cash_pickup", "as_payment"})


def load_lexicon() -> dict[str, list[str]]:
    """Every term group of ``packs/lexicon/*.toml`` plus the digit words the phone check counts."""
    groups = dict(lexicon.term_groups())
    # the very strings the phone check's digit counts are keyed by (9,000 of them, ~0.5 MiB a copy)
    groups["numword"] = spelled.numword_keys()
    groups.update(contacts.HINT_GROUPS)  # cheap hints that gate the costly patterns
    return groups


@dataclass
class _Compiled:
    policy: Policy
    contact: contacts.ContactPolicy
    # a subject's and a body's checks in order, each with whether it is digit-blind (DIGIT_BLIND_CHECKS)
    subject_checks: tuple[tuple[Callable[[_Run], list[Raw]], bool], ...]
    body_checks: tuple[tuple[Callable[[_Run], list[Raw]], bool], ...]
    model_checks: frozenset[str] = frozenset()  # the classifier's checks this platform applies


@dataclass
class _Run:
    """One text being checked: its scan and what the checks need besides."""

    scan: Scan
    text: str
    compiled: _Compiled
    region: str | None
    platform: str
    emails: list[tuple[int, int]]


# (rules a check can raise, the check) — a check runs only when one of its rules is on
_TEXT_CHECKS: tuple[tuple[tuple[str, ...], Callable[[_Run], list[Raw]]], ...] = (
    (("email",), lambda r: contacts.emails(r.scan, r.compiled.contact, r.emails)),
    (("external_link",), lambda r: contacts.links(r.scan, r.compiled.contact, r.emails)),
    (("messenger",), lambda r: contacts.handles(r.scan, r.emails) + channels.messengers(r.scan)),
    (("phone",), lambda r: contacts.phones(r.scan, r.compiled.contact, r.region or r.compiled.policy.phone_region)
     + spelled.spelled_phones(r.scan) + contacts.phone_requests(r.scan)),
    (("off_platform_payment",), lambda r: channels.payments(r.scan)),
    (("off_platform_redirect",), lambda r: channels.redirects(r.scan, r.platform)),
    (("review_manipulation", "review_request"), lambda r: content.reviews(r.scan)),
    (("promotion",), lambda r: content.promotions(r.scan)),
    (("spam",), lambda r: spam.spam(r.scan)),
    (("incentive",), lambda r: incentives.incentives(r.scan)),
    (("insult",), lambda r: content.insults(r.scan)),
    (("cancel_reason", "ask_to_cancel"), lambda r: content.cancellations(r.scan)),
    (("after_sales_terms",), lambda r: aftersales.after_sales(r.scan)),
    (("emoji",), lambda r: style.emojis(r.text)),
    (("emoticon",), lambda r: style.emoticons(r.text)),
    (("special_font",), lambda r: style.special_fonts(r.text)),
    (("line_breaks",), lambda r: style.line_breaks(r.text)),
)
_BODY_CHECKS: tuple[tuple[tuple[str, ...], Callable[[_Run], list[Raw]]], ...] = (
    (("thanks_only",), lambda r: content.thanks_only(r.scan)),
    (("order_confirmation",), lambda r: content.confirmations(r.scan)),
)

# The checks (by their first rule) that never read a digit's value — only that an ASCII digit stands there, as
# ``\d``, ``[0-9]`` or ``str.isdigit`` do —, nor ``_Run.emails``: on a text whose scan is ``digit_blind`` they run
# on its ``Scan.masked_view`` (every ASCII digit a ``0``), so what they find is a function of the text with its
# digits masked and is kept by it (``ComplianceEngine._blind``): the messages rendered from one template differ
# mostly by their digits (order and tracking numbers, dates, amounts). A check not listed here reads digit
# values and always runs on the text itself: contacts (phone numbers, allowed domains and addresses), payments
# (IBAN checksums, crypto addresses), after-sales terms ("2天无理由退货"), the style checks (the emoticon "<3").
# ``bench/compliance_equivalence.py --compare`` and tests/test_compliance_digit_blind.py hold the kept answers
# to the verdicts of the text itself.
DIGIT_BLIND_CHECKS = frozenset({
    "off_platform_redirect", "review_manipulation", "promotion", "spam", "incentive", "insult", "cancel_reason",
    "thanks_only", "order_confirmation"})


class ComplianceEngine:
    """Every policy pack and term list, compiled once; :meth:`check` is pure and fast."""

    def __init__(self, seller: SellerPolicy | None = None, *, classifier: Model | None = None,
                 use_classifier: bool = True) -> None:
        self.seller = seller or SellerPolicy()
        # the learned classifier beside the rules (classifier.py); ``use_classifier=False``: rules only
        self.model = (classifier or default_model()) if use_classifier else None
        self._model_cache: tuple[str, list[Raw]] = ("", [])
        # a subject's raws by (platform, region, subject): the checks are pure functions of those, and rendered
        # subjects recur word for word ("Your message to <shop>"); bounded like the line caches (linecache.py)
        self._subject_raws: dict[tuple[str, str | None, str], list[Raw]] = {}
        # the digit-blind checks' raws by (platform, region, body?, the text with its digits masked), each with
        # the masked normalised text and its offsets they were found on, and a body's classifier raws
        # (DIGIT_BLIND_CHECKS, :meth:`_blind_raws`)
        self._blind: dict[tuple[str, str | None, bool, str],
                          tuple[str | None, Sequence[int], Sequence[int], list[list[Raw]], list[Raw] | None]] = {}
        groups = load_lexicon()
        for rule in self.seller.terms:
            groups.setdefault(f"term:{rule.id}", []).extend(rule.terms)
        self._compiled: dict[str, _Compiled] = {}
        for platform in ("generic", *PLATFORM_PACKS):
            for term in policy_for(platform, self.seller).terms:
                groups.setdefault(f"term:{term.id}", [])
                if not groups[f"term:{term.id}"]:
                    groups[f"term:{term.id}"].extend(term.terms)
        self.index = TermIndex(groups, lazy=LAZY_GROUPS)
        for platform in PLATFORM_PACKS:
            self._platform(platform)
        promises.warm()

    def _platform(self, platform: str) -> _Compiled:
        found = self._compiled.get(platform)
        if found is None:
            policy = policy_for(platform, self.seller)
            regions = contacts.DEFAULT_PHONE_REGIONS
            contact = contacts.ContactPolicy(tuple(policy.allow_domains), tuple(policy.allow_emails), regions)

            def on(checks: tuple[tuple[tuple[str, ...], Callable[[_Run], list[Raw]]], ...]) -> tuple[
                    tuple[tuple[str, ...], Callable[[_Run], list[Raw]]], ...]:
                return tuple(c for c in checks if any(policy.severity(r) for r in c[0]))

            model_checks = frozenset(c for c in (self.model.checks if self.model else ()) if policy.severity(c))
            text_rules, body_rules = on(_TEXT_CHECKS), on(_BODY_CHECKS)
            subject_checks = tuple((check, rules[0] in DIGIT_BLIND_CHECKS) for rules, check in text_rules)
            body_checks = subject_checks + tuple((check, rules[0] in DIGIT_BLIND_CHECKS) for rules, check in body_rules)
            found = self._compiled[platform] = _Compiled(policy, contact, subject_checks, body_checks, model_checks)
        return found

    def policy(self, platform: str) -> Policy:
        return self._platform(platform).policy

    # ------------------------------------------------------------------------------------
    def _text_raws(self, text: str, compiled: _Compiled, region: str | None, platform: str, *,
                   body: bool) -> tuple[list[Raw], Scan]:
        scan = Scan.of(text, self.index)
        run = _Run(scan, text, compiled, region, platform, [])
        if compiled.policy.severity("email") or compiled.policy.severity("external_link") \
                or compiled.policy.severity("messenger"):
            run.emails = contacts.email_spans(scan, compiled.contact.allow_domains)
        checks = compiled.body_checks if body else compiled.subject_checks
        # (a lazy group's key with a digit is not found on the masked view, and a DIGIT_MASK of the text's own
        # would read there as an ASCII digit: a text with either runs every check on itself)
        kept = self._blind_raws(scan, text, compiled, checks, region, platform, body=body) if scan.digit_blind \
            and DIGIT_MASK not in text and (scan.masked == scan.text or not self.index.lazy_digit_key_in(scan.text)) \
            else None
        raws: list[Raw] = []
        if kept is None:
            for check, _blind in checks:
                raws.extend(check(run))
        else:
            found = iter(kept)
            for check, blind in checks:
                raws.extend(next(found) if blind else check(run))
        for term in compiled.policy.terms:
            for hit in scan.get(f"term:{term.id}"):
                raws.append(scan.raw(f"term:{term.id}", hit.start, hit.end, term.explanation))
        return raws, scan

    def _blind_raws(self, scan: Scan, text: str, compiled: _Compiled,
                    checks: tuple[tuple[Callable[[_Run], list[Raw]], bool], ...], region: str | None,
                    platform: str, *, body: bool) -> list[list[Raw]] | None:
        """What each digit-blind check of ``text`` finds (in order), as on the text with its digits masked
        (``None``: run them on the text itself).

        Kept by the masked text (with the platform, region and field), and a kept answer is taken only when
        the masked normalised text and its offsets are the ones it was found on: an answer is then a function
        of its key — exact whatever the digits were — and for a check that reads no digit's value it is what
        the check finds on the text itself. ``scan`` is ``digit_blind``: its hits are the masked text's."""
        masked = mask_digits(text)
        key = (platform, region, body, masked)
        norm = scan.norm
        entry = self._blind.get(key)
        if entry is not None and entry[0] == scan.masked and entry[1] == norm.starts and entry[2] == norm.ends:
            if entry[4] is not None:
                self._model_cache = (text, entry[4])
            return entry[3]
        zeroed = masked.replace(DIGIT_MASK, "0")
        view = scan.masked_view(zeroed)
        if view.text != scan.text and self.index.lazy_digit_key_in(view.text):
            return None  # (a lazy key of zeros and letters: the view finds what the text does not)
        run = _Run(view, zeroed, compiled, region, platform, [])
        found = [check(run) for check, blind in checks if blind]
        # the classifier's raws too: its features fold every digit to 0 (classifier.py), so it scores the view
        # as it scores the text, sentence by sentence
        model = self._model_hits(view) if body and compiled.model_checks else None
        if model is not None:
            self._model_cache = (text, model)
        if len(self._blind) >= linecache.LINES_KEPT // 2:  # texts, not lines (~2 kB each): 2,048, 512 in low memory
            self._blind.clear()
        self._blind[key] = (scan.masked, norm.starts, norm.ends, found, model)
        return found

    def check(self, *, platform: str, subject: str | None, body: str, region: str | None = None,
              context: MessageContext | None = None, message_type: str | None = None) -> Verdict:
        """The verdict for one message on ``platform``; ``context`` adds the event's facts.

        ``message_type`` (an SP-API message type such as ``confirmDeliveryDetails``) decides
        whether "[Important]" is allowed; without one the text itself must be essential."""
        compiled = self._platform(platform)
        policy = compiled.policy
        findings: list[Finding] = []
        body_raws, body_scan = self._text_raws(body, compiled, region, platform, body=True)
        findings += self._findings(body_raws, body, policy, "body")
        if compiled.model_checks:
            findings += self._findings(self._model_raws(body_scan, body_raws, compiled), body, policy, "body")
        subject_scan = None
        if subject:
            key = (platform, region, subject)
            subject_raws = self._subject_raws.get(key)  # (a Scan is needed again only for "[Important]" below)
            if subject_raws is None:
                subject_raws, subject_scan = self._text_raws(subject, compiled, region, platform, body=False)
                remember(self._subject_raws, key, subject_raws)
            if _REPLY_SUBJECT.match(subject) and not any(r.rule == "promotion" for r in body_raws):
                # round 17: a reply's subject repeats the buyer's topic ("Re: Promo code did not work"); it
                # promotes only when the answer does
                subject_raws = [r for r in subject_raws if r.rule != "promotion"]
            findings += self._findings(subject_raws, subject, policy, "subject")
        if policy.severity("important_subject"):
            tag = content.important_tag(subject, body)
            if tag is not None:
                mtype = message_type or (context.message_type if context is not None else None)
                if mtype:
                    known = policy.message_types.get(mtype)
                    essential = bool(known and known.essential)
                else:
                    if subject and subject_scan is None:
                        subject_scan = Scan.of(subject, self.index)
                    essential = content.essential_topic(body_scan, *([subject_scan] if subject_scan else []))
                if not essential:
                    where, a, b = tag
                    text = subject if where == "subject" and subject else body
                    findings += self._findings(
                        [Raw("important_subject", a, b, "'[Important]' on a message that is not essential "
                             "to completing the order")], text, policy, where)
        if context is not None:
            raws = context_checks(context, policy, subject=subject, body=body, scan=body_scan)
            findings += self._findings(raws, body, policy, "context")
        return verdict_of(_unique(findings))

    def _model_raws(self, scan: Scan, rule_raws: list[Raw], compiled: _Compiled) -> list[Raw]:
        """The classifier's checks the rules did not raise on this text (scored once per text)."""
        assert self.model is not None
        text, raws = self._model_cache
        if text != scan.norm.original:
            raws = self._model_hits(scan)
            self._model_cache = (scan.norm.original, raws)
        fired = {r.rule for r in rule_raws}
        for family in _FAMILIES:
            if fired & family:
                fired |= family
        fired |= content.model_vetoes(scan)
        return [r for r in raws if r.rule in compiled.model_checks and r.rule not in fired]

    def _model_hits(self, scan: Scan) -> list[Raw]:
        """Every check the classifier fires on ``scan``'s text."""
        assert self.model is not None
        hits = self.model.hits(scan.leet or scan.text, scan.masked if scan.leet is None else None)
        return [scan.raw(h.check, h.start, h.end, f"learned classifier: score {h.score:.2f} ≥ threshold "
                         f"{h.threshold:.2f} (the sentence that weighs most)") for h in hits]

    def _findings(self, raws: list[Raw], text: str, policy: Policy, where: str) -> list[Finding]:
        out = []
        for r in raws:
            if r.rule.startswith("term:"):
                term = next(t for t in policy.terms if t.id == r.rule[5:])
                excerpt = text[r.start:r.end] if where != "context" else ""
                out.append(Finding(term.id, term.severity, r.start, r.end,  # type: ignore[arg-type]
                                   excerpt, r.message, where, term.source))
                continue
            severity = policy.severity(r.rule)
            if severity is None:
                continue
            spec = policy.rules[r.rule]
            excerpt = text[r.start:r.end] if where != "context" else r.message.split(": ", 1)[-1][:80]
            out.append(Finding(r.rule, severity, r.start, r.end, excerpt,  # type: ignore[arg-type]
                               f"{r.message} — {spec.explanation}", where, spec.source))
        return out


def _unique(findings: list[Finding]) -> list[Finding]:
    seen: set[tuple[str, str, int, int]] = set()
    out = []
    for f in findings:
        key = (f.check, f.field, f.start, f.end)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out
