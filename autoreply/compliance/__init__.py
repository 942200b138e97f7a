"""Compliance: is this message safe to send on this platform?

The stage returns a :class:`Verdict` (``pass``/``warn``/``block``) with findings that carry the
rule (check id), severity, the character span in the ORIGINAL text, an excerpt, a message and
the rule's source. One concept per module:

* ``normalize`` — the normalised copy (obfuscations undone) with an offset map;
* ``terms`` — term lists in one Aho-Corasick automaton (ahocorasick-rs); ``literals`` — word
  alternations tried only where a word starts;
* ``scan`` — one shared pass: hits by group, sentences, proximity; ``linecache`` — the one bound
  of the per-line caches (template lines recur from message to message);
* ``contacts`` — links, e-mail addresses, handles, phones (phonenumbers); ``channels`` —
  messengers as a channel, payment, other marketplaces;
* ``content`` — review manipulation, promotion, insults, Amazon-only kinds; ``incentives`` — gifts,
  cash back and deals (something given for keeping the order, a photo …);
* ``aftersales`` / ``windows`` / ``refusals`` / ``refund_timing`` — Taobao after-sales terms;
* ``style`` — emoji, special fonts, line breaks;
* ``promises`` / ``context`` — checks that need the event's facts (pure);
* ``policy`` + ``packs/*.toml`` — policy packs as data; ``engine`` — compiled once, called per message;
* ``history`` — the outbox counts the caps need (read-only, for the worker and preview).
"""

from __future__ import annotations

from functools import lru_cache

from autoreply.compliance.context import Caps, History, MessageContext, NoHistory
from autoreply.compliance.engine import ComplianceEngine
from autoreply.compliance.model import Finding, Severity, Verdict, VerdictName, verdict_of
from autoreply.compliance.policy import SellerPolicy, load_seller_policy


@lru_cache(maxsize=1)
def default_engine() -> ComplianceEngine:
    """The engine with the shipped packs only (no seller file)."""
    return ComplianceEngine()


def check_text(*, platform: str, subject: str | None, body: str,
               context: MessageContext | None = None, engine: ComplianceEngine | None = None) -> Verdict:
    """Check a message's subject and body for ``platform`` (with the event's facts if given)."""
    return (engine or default_engine()).check(platform=platform, subject=subject, body=body,
                                              context=context)


__all__ = [
    "Caps", "ComplianceEngine", "Finding", "History", "MessageContext", "NoHistory", "SellerPolicy",
    "Severity", "Verdict", "VerdictName", "check_text", "default_engine", "load_seller_policy",
    "verdict_of",
]
