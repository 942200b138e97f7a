"""Round 20 (lead, at the merge of rounds 20a / 20b): a negation after a comma that only points away from here
("…, not here", "…, nicht hier") is a contrast that confirms the redirect before it, not a refusal of it; a
negation that governs the clause still reaches it. Written for these tests: not from a training file."""

from __future__ import annotations

import pytest

from tests.compliance_rows import blocked_on
from tests.test_compliance_audit import ALL


@pytest.mark.parametrize("text", [
    "Please order spare parts from our own website, not here.",
    "Bestellen Sie Ersatzteile bitte in unserem eigenen Onlineshop, nicht hier.",
    "Commandez plutôt sur notre propre site, pas ici.",
    "Zamawiaj proszę na naszej stronie, nie tutaj.",
])
def test_not_here_after_a_redirect_is_a_contrast(text: str) -> None:
    """"Order in our own shop, not here" is a redirect on every platform: the trailing "not here" negates nothing."""
    assert blocked_on(text) == ALL


@pytest.mark.parametrize("text", [
    "Please do not write to us on WhatsApp, only here.",
    "Schreiben Sie uns bitte nicht per WhatsApp, nur hier.",
])
def test_a_refusal_before_the_channel_still_negates_it(text: str) -> None:
    """A refusal that governs the channel ("do not write on WhatsApp, only here") stays innocent everywhere."""
    assert blocked_on(text) == set()


@pytest.mark.parametrize(("text", "expected"), [
    ("Stuur ons een foto van de gebarsten rand, dan sturen we gratis een nieuw bord.", set()),
    ("Send us a photo of the cracked lid and we will send a new one free of charge.", set()),
    ("Stuur ons een foto van het product, dan sturen we gratis een tweede exemplaar.", {"amazon"}),
    ("Send a photo of the scratch and we add a 10 euro gift card to the new glass.", {"amazon"}),
])
def test_a_replacement_for_a_problem_shown_is_owed(text: str, expected: set[str]) -> None:
    """A photo of a defect answered with a free replacement is owed, no Amazon incentive; a photo paid with a
    second item or a gift card is one (AliExpress and Taobao only warn about incentives)."""
    assert blocked_on(text) == expected
