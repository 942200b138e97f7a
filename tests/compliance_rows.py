"""The one assertion of the table-driven compliance rounds (tests/test_compliance_round*.py): a row
``(platform, subject, text, expected)`` is blocked exactly when ``expected`` is ``"block"``."""

from __future__ import annotations

from autoreply.compliance import check_text


def assert_verdict(platform: str, subject: str | None, text: str, expected: str) -> None:
    """Blocked when the row expects a block; otherwise anything but blocked (the findings shown if it was)."""
    verdict = check_text(platform=platform, subject=subject, body=text)
    if expected == "block":
        assert verdict.verdict == "block", verdict
    else:
        assert verdict.verdict != "block", [(f.check, f.excerpt) for f in verdict.findings]
