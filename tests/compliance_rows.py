"""The one assertion of the table-driven compliance rounds (tests/test_compliance_round*.py): a row
``(platform, subject, text, expected)`` is blocked exactly when ``expected`` is ``"block"``."""

from __future__ import annotations

from autoreply.compliance import ComplianceEngine, check_text, default_engine

PLATFORMS = ("amazon", "aliexpress", "taobao")


def assert_verdict(platform: str, subject: str | None, text: str, expected: str) -> None:
    """Blocked when the row expects a block; otherwise anything but blocked (the findings shown if it was)."""
    verdict = check_text(platform=platform, subject=subject, body=text)
    if expected == "block":
        assert verdict.verdict == "block", verdict
    else:
        assert verdict.verdict != "block", [(f.check, f.excerpt) for f in verdict.findings]


def blocked_on(text: str, engine: ComplianceEngine | None = None, subject: str | None = None) -> set[str]:
    """The platforms on which the text is blocked, by the given engine (the default engine if none)."""
    engine = engine or default_engine()
    return {p for p in PLATFORMS if engine.check(platform=p, subject=subject, body=text).blocked}
