"""The compliance engine: compiled once per configuration, called once per message.

``ComplianceEngine.check(platform=…, subject=…, body=…, context=…)`` runs every text check on
the subject and the body, the context checks when the pipeline passes the event's facts,
and turns what fired into findings with the platform's severity, explanation and source.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from dataclasses import dataclass

from autoreply.compliance import contacts, content, style
from autoreply.compliance.context import MessageContext, context_checks
from autoreply.compliance.model import Finding, Verdict, verdict_of
from autoreply.compliance.policy import PACKS_DIR, PLATFORM_PACKS, Policy, SellerPolicy, policy_for
from autoreply.compliance.scan import Raw, Scan
from autoreply.compliance.terms import TermIndex

TEXT_RULES_BODY_ONLY = ("thanks_only", "order_confirmation")


def load_lexicon() -> dict[str, list[str]]:
    with (PACKS_DIR / "lexicon.toml").open("rb") as fh:
        return {k: list(v) for k, v in tomllib.load(fh)["groups"].items()}


@dataclass
class _Compiled:
    policy: Policy
    contact: contacts.ContactPolicy


class ComplianceEngine:
    """Every policy pack and term list, compiled once; :meth:`check` is pure and fast."""

    def __init__(self, seller: SellerPolicy | None = None) -> None:
        self.seller = seller or SellerPolicy()
        groups = load_lexicon()
        for rule in self.seller.terms:
            groups.setdefault(f"term:{rule.id}", []).extend(rule.terms)
        self._compiled: dict[str, _Compiled] = {}
        for platform in ("generic", *PLATFORM_PACKS):
            for term in policy_for(platform, self.seller).terms:
                groups.setdefault(f"term:{term.id}", [])
                if not groups[f"term:{term.id}"]:
                    groups[f"term:{term.id}"].extend(term.terms)
        self.index = TermIndex(groups)
        for platform in PLATFORM_PACKS:
            self._platform(platform)

    def _platform(self, platform: str) -> _Compiled:
        found = self._compiled.get(platform)
        if found is None:
            policy = policy_for(platform, self.seller)
            regions = contacts.DEFAULT_PHONE_REGIONS
            contact = contacts.ContactPolicy(tuple(policy.allow_domains), tuple(policy.allow_emails), regions)
            found = self._compiled[platform] = _Compiled(policy, contact)
        return found

    def policy(self, platform: str) -> Policy:
        return self._platform(platform).policy

    # ------------------------------------------------------------------------------------
    def _text_raws(self, text: str, compiled: _Compiled, region: str | None, *, body: bool) -> list[Raw]:
        scan = Scan.of(text, self.index)
        policy = compiled.policy
        raws: list[Raw] = []
        email_ranges = contacts.email_spans(scan)
        runs: list[tuple[str | tuple[str, ...], Callable[[], list[Raw]]]] = [
            ("email", lambda: contacts.emails(scan, compiled.contact, email_ranges)),
            ("external_link", lambda: contacts.links(scan, compiled.contact, email_ranges)),
            ("messenger", lambda: contacts.handles(scan, email_ranges) + contacts.messengers(scan)),
            ("phone", lambda: contacts.phones(scan, compiled.contact, region or policy.phone_region)),
            ("off_platform_payment", lambda: contacts.payments(scan)),
            (("review_manipulation", "review_request"), lambda: content.reviews(scan)),
            ("promotion", lambda: content.promotions(scan)),
            ("incentive", lambda: content.incentives(scan)),
            ("insult", lambda: content.insults(scan)),
            (("cancel_reason", "ask_to_cancel"), lambda: content.cancellations(scan)),
            ("emoji", lambda: style.emojis(text)),
            ("emoticon", lambda: style.emoticons(text)),
            ("special_font", lambda: style.special_fonts(text)),
            ("line_breaks", lambda: style.line_breaks(text)),
        ]
        if body:
            runs += [("thanks_only", lambda: content.thanks_only(scan)),
                     ("order_confirmation", lambda: content.confirmations(scan))]
        for rules, run in runs:
            wanted = (rules,) if isinstance(rules, str) else rules
            if any(policy.severity(r) for r in wanted):
                raws.extend(run())
        for term in policy.terms:
            for hit in scan.get(f"term:{term.id}"):
                raws.append(scan.raw(f"term:{term.id}", hit.start, hit.end, term.explanation))
        self._last_scan = scan
        return raws

    def check(self, *, platform: str, subject: str | None, body: str, region: str | None = None,
              context: MessageContext | None = None) -> Verdict:
        """The verdict for one message on ``platform``; ``context`` adds the event's facts."""
        compiled = self._platform(platform)
        policy = compiled.policy
        findings: list[Finding] = []
        body_raws = self._text_raws(body, compiled, region, body=True)
        body_scan = self._last_scan
        findings += self._findings(body_raws, body, policy, "body")
        if subject:
            findings += self._findings(self._text_raws(subject, compiled, region, body=False), subject,
                                       policy, "subject")
        if policy.severity("important_subject"):
            tag = content.important_tag(subject, body)
            if tag is not None:
                essential = content.essential_topic(body_scan)
                if context is not None and context.message_type:
                    mt = policy.message_types.get(context.message_type)
                    essential = bool(mt and mt.essential)
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
