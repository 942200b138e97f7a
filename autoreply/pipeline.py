"""The pipeline: event → route → language → local time → render → comply → decision.

It is pure: given an event, the loaded config, a language detector and the current instant it
returns an :class:`Outcome` and touches nothing else. The daemon and ``autoreply preview``
call this very function, so a preview never lies.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Literal

from autoreply.compliance import Finding, Verdict, check_text
from autoreply.config import Config
from autoreply.events import Event
from autoreply.l10n import babel_locale
from autoreply.language import Detector, LanguageChoice, choose_language
from autoreply.localtime import ZoneResolution, plan_send, resolve_timezone
from autoreply.render import Rendered, RenderError
from autoreply.rules import Explanation, Rule

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
    supersede_key: str | None = None

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
                "send_reasons": [], "message": None,
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

    def resolve_zone(self, event: Event) -> ZoneResolution:
        buyer = event.buyer
        return resolve_timezone(
            timezone=buyer.timezone, country=buyer.country, region=buyer.region,
            postal_code=buyer.postal_code, city=buyer.city, marketplace=event.marketplace,
            fallback=self.config.settings.seller.timezone,
        )

    def choose_language(self, event: Event, available: set[str]) -> LanguageChoice:
        return choose_language(
            text=event.message.text if event.message else None,
            buyer_locale=event.buyer.locale,
            marketplace=event.marketplace,
            default=self.config.settings.language.default,
            available=available,
            detector=self.detector,
        )

    def context(self, event: Event, language: LanguageChoice, zone: ZoneResolution,
                send_at_local: datetime | None) -> dict[str, Any]:
        data = event.model_dump(mode="python")
        locale = babel_locale(language.chosen)
        return {
            **data,
            "event": data,
            "seller": {"name": self.config.settings.seller.name},
            "lang": language.chosen,
            "locale": str(locale),
            "timezone": zone.timezone,
            "currency": (event.order.currency if event.order else None),
            "send_at": send_at_local,
        }

    def decide(self, event: Event, now: datetime) -> Outcome:
        fired, explain = self.config.rules.route(event)
        zone = self.resolve_zone(event)
        if not fired:
            language = self.choose_language(event, self.config.templates.all_languages())
            return Outcome(event, [], explain, zone, language)
        decisions = [self._decide_rule(event, rule, zone, now) for rule in fired]
        return Outcome(event, decisions, explain, zone, decisions[0].language)

    def _decide_rule(self, event: Event, rule: Rule, zone: ZoneResolution, now: datetime) -> Decision:
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
        plan = plan_send(occurred_at=event.occurred_at, delay=rule.delay, now=now, timezone=zone.timezone)
        ctx = self.context(event, language, zone, plan.send_at_local)
        channel = self.config.channel_for(event.platform, rule.channel)
        recipient = event.buyer.email or event.buyer.id
        try:
            rendered = templates.render(rule.template, language.template_language, ctx)
        except RenderError as exc:
            finding = Finding("render_error", "block", 0, 0, "", str(exc.problem), "template")
            return Decision("blocked", rule.name, rule.template, language, zone, plan.send_at_utc,
                            plan.send_at_local, plan.reasons, channel, recipient, None,
                            Verdict("block", [finding]), key, reason="template failed to render",
                            message_type=rule.message_type)
        verdict = check_text(platform=event.platform, subject=rendered.subject, body=rendered.body)
        name: DecisionName = "blocked" if verdict.verdict == "block" else "queue"
        return Decision(
            name, rule.name, rule.template, language, zone, plan.send_at_utc, plan.send_at_local,
            plan.reasons, channel, recipient, rendered, verdict, key,
            dedupe_key=rule.dedupe_value(event), dedupe_window=rule.dedupe_window,
            reason="compliance blocked the message" if name == "blocked" else None,
            message_type=rule.message_type, supersede_key=rule.supersede_value(event),
        )
