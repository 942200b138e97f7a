"""Round 20a rules (training set T40, ids 1–180, outside the repository): fullwidth ！？ and … end a Chinese or
Japanese sentence like 。, and the word families the T40 dev misses named.

Each row: platform, subject (or None), text, expected verdict — ``block``, or ``ok`` for anything but block.
Rows are written for these tests, a violation beside its nearest hard negative.
"""

from __future__ import annotations

import pytest

from autoreply.compliance import check_text
from autoreply.compliance.normalize import normalize
from autoreply.compliance.scan import sentence_starts

A, X, T = "amazon", "aliexpress", "taobao"

# fullwidth ！ ？ ； … (folded to ! ? ; ...) end a sentence before the next CJK character, as 。 does
SPLITS = [
    ("感谢您的购买！备用螺丝已经放在包裹里了。", [0, 7]),
    ("感谢您的购买？备用螺丝已经放在包裹里了。", [0, 7]),
    ("感谢您的购买…备用螺丝已经放在包裹里了。", [0, 9]),
    ("ご購入ありがとうございます！予備のネジも同梱しております。", [0, 14]),
    ("ご購入ありがとうございます．予備のネジも同梱しております。", [0, 14]),
    # a dot between Latin letters or digits stays inside its word
    ("尺寸是3.5寸，网站shop.com不是我们的", [0]),
]


@pytest.mark.parametrize(("text", "starts"), SPLITS)
def test_round20a_fullwidth_marks_end_cjk_sentences(text: str, starts: list[int]) -> None:
    """A fullwidth exclamation or question mark, a fullwidth dot or an ellipsis ends a CJK sentence."""
    folded = normalize(text).text
    assert [s for s in sentence_starts(folded) if s < len(folded)] == starts


CJK_SENTENCES = [
    # the thanks and the spare part are two sentences: nothing is given as thanks
    (A, None, "感谢您的购买！备用螺丝已经放在包裹里了。", "ok"),
    (A, None, "感谢您的购买…备用螺丝已经放在包裹里了。", "ok"),
    (A, None, "ご購入ありがとうございます！予備のネジも同梱しております。", "ok"),
    (A, None, "ご購入ありがとうございます…予備の電池も箱に入っています。", "ok"),
    # what each sentence says still counts
    (A, None, "感谢您的购买！送您一张优惠券。", "block"),
    (A, None, "ご購入ありがとうございます！お礼にギフトカードをお送りします。", "block"),
    (A, None, "ご購入ありがとうございます！またのご利用をお待ちしております！", "block"),
    (A, None, "包裹已经发出！祝您生活愉快！", "block"),
    (X, None, "好用吗？五星好评返现5元！", "block"),
]

ROWS = CJK_SENTENCES


@pytest.mark.parametrize(("platform", "subject", "text", "expected"), ROWS)
def test_round20a_verdict_follows_the_structure(platform: str, subject: str | None, text: str,
                                                expected: str) -> None:
    """Each message is blocked exactly when its structure makes it a violation on that platform."""
    verdict = check_text(platform=platform, subject=subject, body=text)
    if expected == "block":
        assert verdict.verdict == "block", verdict
    else:
        assert verdict.verdict != "block", [(f.check, f.excerpt) for f in verdict.findings]
