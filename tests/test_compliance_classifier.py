"""The learned classifier beside the rules: it blocks what no word list names (sarcasm, new
phrasings of spam, redirects and review requests) with each platform's severity, and leaves
innocent messages alone."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from autoreply.compliance import ComplianceEngine, default_engine
from autoreply.compliance.classifier import default_model, load
from tests.compliance_rows import blocked_on
from tests.test_compliance_audit import ALL, A, T, X

ROOT = Path(__file__).resolve().parent.parent
RULES = ComplianceEngine(use_classifier=False)


def verdicts(engine: ComplianceEngine, text: str) -> dict[str, str]:
    return {p: engine.check(platform=p, subject=None, body=text).verdict for p in (A, X, T)}


# (category, text, platforms that block it) — written for these tests, not taken from a corpus;
# the rules alone miss every violation here
MISSED_BY_RULES = [
    ("condescension en", "Another complaint about the fit. Honestly, did nobody teach you how to use a tape measure "
                         "before ordering?", ALL),
    ("spam en", "Our partner approves personal cash advances in one hour, reply for a quote.", ALL),
    # ("our e-b-a-y page" is read by the rules since round 15: the seller's own shop on another marketplace)
    ("redirect en", "This lamp is sold out here, but we still have a few on e-b-a-y under the same title.", ALL),
    ("review edit en", "We noticed your 1-star review. Once the missing screw arrives, would you mind giving it "
                       "another look?", ALL),
    ("review request en", "When you have a moment, we'd love to hear your thoughts about the lamp on the product page.",
     {A}),
    # ("Was it the price or the delivery time?" is read by the rules since round 18: a reason guessed in a question)
    ("why cancelled en", "Sorry to see you cancelled. What tipped the balance in the end?", {A}),
]

HARD_NEGATIVES = [
    ("delay en", "The parcel is delayed at customs; we expect it to move again on Monday.", set()),
    ("review your request en", "We will review your request and reply within two working days.", set()),
    ("cancel from account en", "You can cancel the order yourself from your account page if you prefer.", set()),
    ("five-star hotel en", "The pickup point is the front desk of the five-star hotel next to the station.", set()),
    ("never outside en", "We never ask you to pay outside the platform; please use the checkout as usual.", set()),
    ("no phone here en", "Please do not share your phone number in this chat, the courier has your address.", set()),
    ("delay zh", "您的包裹因天气原因延误，预计周一恢复派送，给您带来不便非常抱歉。", set()),
    ("return es", "Puede devolver el artículo en los próximos 30 días desde su cuenta.", set()),
]


@pytest.mark.parametrize(("category", "text", "platforms"), MISSED_BY_RULES, ids=[c[0] for c in MISSED_BY_RULES])
def test_classifier_blocks_what_the_rules_miss(category: str, text: str, platforms: set[str]) -> None:
    """A violation no word list names is blocked where its check blocks, and the rules alone let it through."""
    assert blocked_on(text, RULES) == set()
    assert blocked_on(text) == platforms


@pytest.mark.parametrize(("category", "text", "platforms"), HARD_NEGATIVES, ids=[c[0] for c in HARD_NEGATIVES])
def test_hard_negatives_pass(category: str, text: str, platforms: set[str]) -> None:
    """Innocent messages with sensitive words are blocked nowhere with the classifier on."""
    assert blocked_on(text) == platforms


def test_review_request_blocks_on_amazon_and_warns_elsewhere() -> None:
    """A neutral review request the rules miss blocks on Amazon and only warns on AliExpress and Taobao."""
    text = "When you have a moment, we'd love to hear your thoughts about the lamp on the product page."
    assert verdicts(RULES, text) == {A: "pass", X: "pass", T: "pass"}
    assert verdicts(default_engine(), text) == {A: "block", X: "warn", T: "warn"}


def test_model_finding_names_the_model_and_the_sentence() -> None:
    """A classifier finding says it comes from the learned model, with its score, and points at one sentence."""
    text = "Sorry to see you cancelled. What tipped the balance in the end?"  # (no rule reads it: round 18)
    verdict = default_engine().check(platform=A, subject=None, body=text)
    finding = next(f for f in verdict.findings if f.check == "cancel_reason")
    assert "learned classifier" in finding.message and "score" in finding.message
    assert finding.severity == "block"
    assert finding.excerpt in ("Sorry to see you cancelled.", "What tipped the balance in the end?")


def test_shipped_weights_load_with_the_expected_checks() -> None:
    """The shipped weights load once per process and cover the checks the word lists miss most."""
    model = default_model()
    assert model is default_model()
    assert {"insult", "spam", "review_request", "review_manipulation", "off_platform_redirect",
            "thanks_only", "order_confirmation", "cancel_reason", "promotion"} <= set(model.checks)
    assert len(model.thresholds) == len(model.checks) == len(model.bias)
    assert len(model) > 1000


@pytest.mark.timeout(1800)  # 3–4 minutes on one core; 17 on the shared 2-core machine at load 15
def test_shipped_weights_match_the_training_script(tmp_path: Path) -> None:
    """Training on the shipped corpora reproduces the shipped weights file byte for byte."""
    pytest.importorskip("sklearn")
    sys.path.insert(0, str(ROOT / "bench"))
    import train_classifier

    out = tmp_path / "classifier.json"
    assert train_classifier.main(["--out", str(out)]) == 0
    shipped = ROOT / "autoreply/compliance/data/classifier.json"
    assert out.read_text(encoding="utf-8") == shipped.read_text(encoding="utf-8")
    assert list(load(out).checks) == json.loads(shipped.read_text(encoding="utf-8"))["checks"]


def test_five_star_request_stays_a_warning_where_the_rules_read_it() -> None:
    """When the rules already read a review request, the model does not turn it into manipulation."""
    text = "If you are happy, please leave us a 5-star review."
    assert verdicts(default_engine(), text) == {A: "block", X: "warn", T: "warn"}


def test_rules_only_engine_has_no_model_findings() -> None:
    """With the classifier off, no finding comes from the model."""
    text = "Not sure what you expected at this price, to be frank."
    verdict = RULES.check(platform=A, subject=None, body=text)
    assert not any("learned classifier" in f.message for f in verdict.findings)
