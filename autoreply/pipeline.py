"""The pipeline: event → route → language → local time → render → comply → decision.

It is pure: given an event, the loaded config, a language detector and the current instant it
returns an :class:`Outcome` and touches nothing else. The daemon and ``autoreply preview``
call this very function, so a preview never lies.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any, Literal

from autoreply.compliance import Caps, ComplianceEngine, Finding, History, Verdict
from autoreply.compliance.context import context_from_event
from autoreply.config import Config
from autoreply.durations import format_duration
from autoreply.events import Event
from autoreply.l10n import babel_locale
from autoreply.language import Detector, LanguageChoice, choose_language
from autoreply.localtime import SendPlan, ZoneResolution, plan_send, resolve_timezone
from autoreply.render import Rendered, RenderError
from autoreply.rules import Explanation, Rule
from autoreply.windows import Clocked, holiday_test

DecisionName = Literal["queue", "blocked", "skipped", "no_rule"]


@dataclass
class Decision:
    """What happens to one message: one per rule that fired."""

    decision: DecisionName
    rule: str
    template: str | None
    language: LanguageChoice | None
    zone: ZoneResolution
    send_at_utc: datetime | None
    send_at_local: datetime | None
    send_reasons: list[str]
    channel: str | None
    recipient: str | None
    rendered: Rendered | None
    compliance: Verdict
    idempotency_key: str
    dedupe_key: str | None = None
    dedupe_window: timedelta | None = None
    reason: str | None = None
    message_type: str | None = None
    send_timing: dict[str, Any] | None = None
    supersede_key: str | None = None
    #: the send plan, for ``send_timing`` built on demand (only ``preview --json`` shows it)
    plan: SendPlan | None = field(default=None, repr=False, compare=False)

    def timing(self) -> dict[str, Any] | None:
        """The structured "why this send time" (``send_timing``), built once when asked."""
        if self.send_timing is None and self.plan is not None:
            self.send_timing = self.plan.timing()
        return self.send_timing

    def as_dict(self) -> dict[str, Any]:
        return {
            "decision": self.decision,
            "rule": self.rule,
            "template": self.template,
            "reason": self.reason,
            "language": self.language.as_dict() if self.language else None,
            "timezone": self.zone.timezone,
            "timezone_source": self.zone.source,
            "timezone_ambiguous": self.zone.ambiguous,
            "send_at": self.send_at_local.isoformat() if self.send_at_local else None,
            "send_at_utc": _iso_utc(self.send_at_utc),
            "send_reasons": self.send_reasons,
            "send_timing": self.timing(),
            "message": None if self.rendered is None else {
                "channel": self.channel,
                "message_type": self.message_type,
                "recipient": self.recipient,
                "subject": self.rendered.subject,
                "body": self.rendered.body,
            },
            "compliance": self.compliance.as_dict(),
            "idempotency_key": self.idempotency_key,
            "dedupe_key": self.dedupe_key,
            "supersede_key": self.supersede_key,
        }


@lru_cache(maxsize=1024)
def _locale_id(tag: str, country: str | None) -> str:
    """The Babel locale id (``es_US``) the templates format with (``babel_locale`` is cached)."""
    return str(babel_locale(tag, region=country))


_to_python = Event.__pydantic_serializer__.to_python


def _iso_utc(value: datetime | None) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value else None


@dataclass
class Outcome:
    """Every decision for one event, and why each rule matched or not."""

    event: Event
    decisions: list[Decision]
    explain: list[Explanation]
    zone: ZoneResolution
    language: LanguageChoice | None = None
    errors: list[str] = field(default_factory=list)

    @property
    def decision(self) -> DecisionName:
        names = {d.decision for d in self.decisions}
        for name in ("queue", "blocked", "skipped"):
            if name in names:
                return name  # type: ignore[return-value]
        return "no_rule"

    def as_dict(self) -> dict[str, Any]:
        """The ``preview --json`` object: the primary decision's fields at the top level."""
        primary = next((d for d in self.decisions if d.decision == self.decision), None)
        if primary is not None:
            out = primary.as_dict()
        else:
            out = {
                "decision": "no_rule", "rule": None, "template": None,
                "reason": "no rule matched this event",
                "language": self.language.as_dict() if self.language else None,
                "timezone": self.zone.timezone, "timezone_source": self.zone.source,
                "timezone_ambiguous": self.zone.ambiguous, "send_at": None, "send_at_utc": None,
                "send_reasons": [], "send_timing": None, "message": None,
                "compliance": {"verdict": "pass", "findings": []},
                "idempotency_key": None, "dedupe_key": None,
            }
        out["decision"] = self.decision
        out["event_id"] = self.event.id
        out["explain"] = [e.as_dict() for e in self.explain]
        out["decisions"] = [d.as_dict() for d in self.decisions]
        return out


class Engine:
    """The configured pipeline. Holds the config and the (preloaded) language detector."""

    def __init__(self, config: Config, detector: Detector | None = None) -> None:
        self.config = config
        self.detector = detector
        # compiled once per configuration; called once per message
        self.compliance = ComplianceEngine(config.compliance_policy)
        limits = config.settings.compliance
        self.caps = Caps(limits.per_buyer_per_day, limits.average_daily_orders)

    def resolve_zone(self, event: Event) -> ZoneResolution:
        buyer = event.buyer
        return resolve_timezone(
            timezone=buyer.timezone, country=buyer.country, region=buyer.region,
            postal_code=buyer.postal_code, city=buyer.city, marketplace=event.marketplace,
            fallback=self.config.settings.seller.timezone, now=event.occurred_at,
        )

    def plan(self, event: Event, rule: Rule, zone: ZoneResolution, now: datetime) -> SendPlan:
        """When this rule's message goes out: delay, reply-at-once, window, business hours."""
        window = None
        if rule.window is not None:
            holiday = holiday_test(rule.window.calendar, buyer_country=event.buyer.country,
                                   buyer_region=event.buyer.region)
            window = Clocked(rule.window, zone.timezone, holiday, "send window")
        business = None
        if rule.business_hours:
            hours = self.config.settings.business_hours
            business = Clocked(hours.window(), hours.timezone or self.config.settings.seller.timezone,
                               holiday_test(hours.holiday_calendar), "business hours")
        at_once, note = False, None
        if rule.reply_at_once and event.message is not None:
            written = event.message.received_at or event.occurred_at
            age = now - written
            if rule.reply_at_once_max_age is not None and age > rule.reply_at_once_max_age:
                note = (f"the buyer's message is {format_duration(age)} old (more than "
                        f"reply_at_once_max_age {format_duration(rule.reply_at_once_max_age)}): "
                        "held to the window")
            else:
                at_once = True
        plan = plan_send(occurred_at=event.occurred_at, delay=rule.delay, now=now,
                         timezone=zone.timezone, window=window, business=business, at_once=at_once)
        if note:
            plan.reasons.insert(1, note)
            plan.raw_steps.insert(1, ("not_at_once", None, None, note))
        return plan

    def choose_language(self, event: Event, available: set[str]) -> LanguageChoice:
        return choose_language(
            text=event.message.text if event.message else None,
            buyer_locale=event.buyer.locale,
            marketplace=event.marketplace,
            default=self.config.settings.language.default,
            available=available,
            detector=self.detector,
            buyer_country=event.buyer.country,
            min_confidence=self.config.settings.language.min_confidence,
        )

    def context(self, event: Event, language: LanguageChoice, zone: ZoneResolution,
                send_at_local: datetime | None) -> dict[str, Any]:
        # ``event.model_dump(mode="python")`` without its Python wrapper (a dozen keyword
        # arguments passed on, all their defaults): the same dicts from the same serializer
        data = _to_python(event)
        return {
            **data,
            "event": data,
            "seller": {"name": self.config.settings.seller.name},
            "lang": language.chosen,
            "locale": _locale_id(language.chosen, event.buyer.country),
            "timezone": zone.timezone,
            "currency": (event.order.currency if event.order else None),
            "send_at": send_at_local,
        }

    def check_compliance(self, event: Event, rendered: Rendered, *, message_type: str | None,
                         send_at_utc: datetime | None, send_at_local: datetime | None, now: datetime,
                         history: History | None = None) -> Verdict:
        """The compliance verdict of a rendered message, with the event's facts as context."""
        send_at = send_at_utc or now
        context = context_from_event(
            event, message_type=message_type, send_at=send_at,
            local_today=(send_at_local or send_at).date(), history=history, caps=self.caps)
        return self.compliance.check(platform=event.platform, subject=rendered.subject,
                                     body=rendered.body, region=event.marketplace, context=context)

    def decide(self, event: Event, now: datetime, history: History | None = None, *,
               explain: bool = True) -> Outcome:
        """``history``: what storage knows for the frequency and volume caps (none: no caps).
        ``explain=False`` (the daemon's worker, ``simulate``): the same decisions, no per-rule
        explanations, and no language for an event no rule fired for (nothing is written)."""
        fired, explained = self.config.rules.route(event, explain=explain)
        zone = self.resolve_zone(event)
        if not fired:
            language = (self.choose_language(event, self.config.templates.all_languages())
                        if explain else None)
            return Outcome(event, [], explained, zone, language)
        decisions = [self._decide_rule(event, rule, zone, now, history) for rule in fired]
        return Outcome(event, decisions, explained, zone, decisions[0].language)

    def _decide_rule(self, event: Event, rule: Rule, zone: ZoneResolution, now: datetime,
                     history: History | None = None) -> Decision:
        key = f"{event.id}:{rule.name}"
        if rule.action == "skip":
            thread = rule.supersede_value(event)
            reason = f"rule {rule.name!r} says skip"
            if thread:
                reason += (f"; pending messages of thread {thread!r} about older events are "
                           "superseded")
            return Decision("skipped", rule.name, None, None, zone, None, None, [], None, None, None,
                            Verdict("pass"), key, reason=reason, supersede_key=thread)
        assert rule.template is not None
        templates = self.config.templates
        language = self.choose_language(event, templates.languages(rule.template))
        plan = self.plan(event, rule, zone, now)
        local = plan.send_at_local  # a property (zone lookup + normalize): computed once here
        ctx = self.context(event, language, zone, local)
        channel = self.config.channel_for(event.platform, rule.channel)
        recipient = event.buyer.email or event.buyer.id
        try:
            rendered = templates.render(rule.template, language.template_language, ctx)
        except RenderError as exc:
            finding = Finding("render_error", "block", 0, 0, "", str(exc.problem), "template")
            return Decision("blocked", rule.name, rule.template, language, zone, plan.send_at_utc,
                            local, plan.reasons, channel, recipient, None,
                            Verdict("block", [finding]), key, reason="template failed to render",
                            message_type=rule.message_type, plan=plan)
        verdict = self.check_compliance(event, rendered, message_type=rule.message_type,
                                        send_at_utc=plan.send_at_utc, send_at_local=local,
                                        now=now, history=history)
        name: DecisionName = "blocked" if verdict.verdict == "block" else "queue"
        return Decision(
            name, rule.name, rule.template, language, zone, plan.send_at_utc, local,
            plan.reasons, channel, recipient, rendered, verdict, key,
            dedupe_key=rule.dedupe_value(event), dedupe_window=rule.dedupe_window,
            reason="compliance blocked the message" if name == "blocked" else None,
            message_type=rule.message_type, plan=plan,
            supersede_key=rule.supersede_value(event),
        )
