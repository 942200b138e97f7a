"""The verdict and its findings: what the compliance stage hands back to the pipeline."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Severity = Literal["block", "warn"]
VerdictName = Literal["pass", "warn", "block"]


@dataclass(frozen=True)
class Finding:
    """One problem: the rule (check id), how bad, where in the original text, and why."""

    check: str
    severity: Severity
    start: int
    end: int
    excerpt: str
    message: str
    field: str = "body"
    source: str | None = None

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        if data["source"] is None:
            del data["source"]
        return data


@dataclass(frozen=True)
class Verdict:
    verdict: VerdictName
    findings: list[Finding] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"verdict": self.verdict, "findings": [f.as_dict() for f in self.findings]}

    @property
    def blocked(self) -> bool:
        return self.verdict == "block"


def verdict_of(findings: list[Finding]) -> Verdict:
    """``block`` if any finding blocks, ``warn`` if any warns, else ``pass``."""
    findings = sorted(findings, key=lambda f: (f.field != "subject", f.start, f.end, f.check))
    if any(f.severity == "block" for f in findings):
        return Verdict("block", findings)
    if findings:
        return Verdict("warn", findings)
    return Verdict("pass", findings)
