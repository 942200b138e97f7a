"""Compliance: is this message safe to send on this platform?

The stage returns a :class:`Verdict` (``pass``/``warn``/``block``) with findings that carry the
check id, severity and the character span in the original text. This first version runs a
few text checks; the policy-pack engine replaces it.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

import emoji

Severity = Literal["block", "warn"]
VerdictName = Literal["pass", "warn", "block"]

_URL = re.compile(r"(?i)\b(?:https?://|www\.)\S+|\b[a-z0-9-]+\.(?:com|net|org|shop|store|io|co)\b")
_BREAKS = re.compile(r"\n[ \t]*\n[ \t]*\n")
_ALLOWED_EMOJI = {"©", "®", "™", "°"}


@dataclass(frozen=True)
class Finding:
    check: str
    severity: Severity
    start: int
    end: int
    excerpt: str
    message: str
    field: str = "body"

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Verdict:
    verdict: VerdictName
    findings: list[Finding] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"verdict": self.verdict, "findings": [f.as_dict() for f in self.findings]}


def _scan(text: str, where: str) -> list[Finding]:
    found: list[Finding] = []
    for m in _URL.finditer(text):
        found.append(Finding("external_link", "block", m.start(), m.end(), m.group(0),
                             "external links are not allowed", where))
    for item in emoji.emoji_list(text):
        if item["emoji"] in _ALLOWED_EMOJI:
            continue
        found.append(Finding("emoji", "block", item["match_start"], item["match_end"], item["emoji"],
                             "emojis are not allowed in buyer messages", where))
    for m in _BREAKS.finditer(text):
        found.append(Finding("line_breaks", "warn", m.start(), m.end(), "\\n\\n\\n",
                             "more than two line breaks in a row", where))
    return found


def check_text(*, platform: str, subject: str | None, body: str) -> Verdict:
    """Check a message's subject and body for ``platform``."""
    findings = _scan(body, "body")
    if subject:
        findings += _scan(subject, "subject")
    return verdict_of(findings)


def verdict_of(findings: list[Finding]) -> Verdict:
    if any(f.severity == "block" for f in findings):
        return Verdict("block", findings)
    if findings:
        return Verdict("warn", findings)
    return Verdict("pass", findings)
