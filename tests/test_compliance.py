"""Compliance text checks, per platform: violations (plain and obfuscated) are blocked with the
right check id and a span on the ORIGINAL text; innocent messages full of sensitive words pass."""

from __future__ import annotations

import pytest

from autoreply.compliance import check_text
from autoreply.compliance.normalize import normalize

A, X, T = "amazon", "aliexpress", "taobao"
EVERYWHERE = (A, X, T)

# (text, platforms where it is blocked, the check that must fire there)
VIOLATIONS = [
    ("Add me on WhatsApp for a faster answer.", EVERYWHERE, "messenger"),
    ("Message me on W h a t s A p p", EVERYWHERE, "messenger"),
    ("Contact me on wh4tsapp please", EVERYWHERE, "messenger"),
    ("Add me on ｗｅｃｈａｔ", EVERYWHERE, "messenger"),
    ("Add me on 𝐭𝐞𝐥𝐞𝐠𝐫𝐚𝐦", EVERYWHERE, "messenger"),
    ("Add me on Wh\u200batsApp", EVERYWHERE, "messenger"),
    ("Add me on WhаtsАpp", EVERYWHERE, "messenger"),  # Cyrillic а / А
    ("加 V 信：lumen888", EVERYWHERE, "messenger"),
    ("亲，加我微信 abc12345", EVERYWHERE, "messenger"),
    ("LINE ID: lumen_shop まで追加してください", EVERYWHERE, "messenger"),
    ("IG: @lumen.shop", EVERYWHERE, "messenger"),
    ("Visit lumenshop dot com", EVERYWHERE, "external_link"),
    ("Our site: lumenshop[.]net", EVERYWHERE, "external_link"),
    ("See https://example.org/sale", EVERYWHERE, "external_link"),
    ("Write to sales (at) lumenshop (dot) com", EVERYWHERE, "email"),
    ("Call +44 7911 123456", EVERYWHERE, "phone"),
    ("お電話は090-1234-5678までお願いします。", EVERYWHERE, "phone"),
    ("Llámenos al 612 345 678", EVERYWHERE, "phone"),
    ("Pay us directly by bank transfer to save fees.", EVERYWHERE, "off_platform_payment"),
    ("Send the money with W-e-s-t-e-r-n U-n-i-o-n", EVERYWHERE, "off_platform_payment"),
    ("IBAN DE89 3704 0044 0532 0130 00", EVERYWHERE, "off_platform_payment"),
    ("支付宝转账给我可以便宜10元。", EVERYWHERE, "off_platform_payment"),
    ("If you leave us a 5-star review we will refund $10.", EVERYWHERE, "review_manipulation"),
    ("Could you please remove your negative feedback?", EVERYWHERE, "review_manipulation"),
    ("Пожалуйста, удалите отрицательный отзыв.", EVERYWHERE, "review_manipulation"),
    ("亲，给个五星好评返现5元哦！", EVERYWHERE, "review_manipulation"),
    ("If you are happy with your purchase, please leave a review.", (A,), "review_request"),
    ("Before leaving negative feedback, please contact us first.", EVERYWHERE, "review_manipulation"),
    ("You idiot, read the description.", EVERYWHERE, "insult"),
    ("Please take a moment to leave a review.", (A,), "review_request"),
    ("Use code SAVE20 for 20% off your next order!", (A,), "promotion"),
    ("Earn $500 a day from home with our crypto trading signals!", EVERYWHERE, "spam"),
    ("We also sell on eBay, search for our shop there, it is cheaper.", EVERYWHERE, "off_platform_redirect"),
    ("Call me: zero seven nine one one, one two three four five six.", EVERYWHERE, "phone"),
    ("有问题打我电话：一三八 一二三四 五六七八", EVERYWHERE, "phone"),
    ("Write to sales arroba tiendasol punto es", EVERYWHERE, "email"),
    ("Could you please r3move the 1-star r3view?", EVERYWHERE, "review_manipulation"),
    ("5★ = 10% back on your order!", EVERYWHERE, "review_manipulation"),
    ("Votre commande a bien été expédiée ce matin.", (A,), "order_confirmation"),
    ("Grazie di cuore per aver scelto il nostro negozio! Buona serata e a presto.", (A,), "thanks_only"),
    ("Товара нет в наличии, пожалуйста, отмените заказ со своей стороны.", (A,), "ask_to_cancel"),
    ("本店商品一经售出，概不退换。", (T,), "after_sales_terms"),
    ("爱买不买，穷就别买。", EVERYWHERE, "insult"),
    ("Thank you for your order! Have a nice day.", (A,), "thanks_only"),
    ("Your order has been shipped.", (A,), "order_confirmation"),
    ("Your parcel is on its way 😀", (A,), "emoji"),
    ("𝗬𝗼𝘂𝗿 𝗼𝗿𝗱𝗲𝗿 is delayed, sorry.", (A,), "special_font"),
    ("Hello\n\n\n\nYour order is delayed.", (A,), "line_breaks"),
    ("May we ask why you cancelled your order?", (A,), "cancel_reason"),
    ("The item is out of stock, please cancel the order.", (A,), "ask_to_cancel"),
    ("We are sending a free gift card with your order.", (A,), "incentive"),
]

INNOCENT = [
    "Logistics update: the carrier changed the route after an address change. You can cancel the "
    "order from your account if you prefer. We removed the item from the listing.",
    "We will review your request and update you within two days. Thanks for the feedback on the zipper.",
    "Thanks for your feedback, we will update the listing.",
    "Order 112-1234567-1234567, tracking 1Z999AA10123456784 and LP00123456789CN, EAN 4006381333931.",
    "Please note: we never ask for payment by bank transfer or Western Union.",
    "请勿通过微信或银行转账付款，我们只通过平台交易。",
    "Unfortunately the item is out of stock. We have cancelled the order; you will not be charged.",
    "The discount code you used had expired, so it could not be applied.",
    "We are sorry it arrived damaged: we will send you a free replacement.",
    "The power rating of the charger is 65 W.",
    "Our after-sales team will answer here about the warranty.",
    "Do not hesitate to reply to this message if anything is missing.",
    "© 2026 Lumen Trading. Wash at 30 °C.",
    "Le colis a du retard. Il arrivera le 5 décembre.",
    "評価の高い配送業者に変更しました。",
    "구매하신 상품은 내일 출고됩니다.",
    "You paid with PayPal at checkout, so the refund goes back to your PayPal account automatically.",
    "Please be careful: we will never ask you to add us on WhatsApp or WeChat.",
    "The travel adapter has a power rating of 2500 W and is used in many 5-star hotels.",
    "Your order was shipped on Monday, but the carrier reports a delay. New estimate: Friday.",
    "Thank you for your order. Please note the lamp needs an E27 bulb, which is not included.",
    "Recoja su paquete en el punto de recogida de su barrio a partir de mañana.",
    "As you asked, you can cancel the order from Your Orders until it ships.",
    "定制商品不适用七天无理由退货，下单前请确认尺寸。",
    "本店支持七天无理由退换货，质量问题15天内可换货。",
    "El burro de peluche que pidió está agotado.",
]


@pytest.mark.parametrize(("text", "blocked_on", "check"), VIOLATIONS, ids=[v[0][:30] for v in VIOLATIONS])
def test_violations_are_blocked_on_the_right_platforms(text: str, blocked_on: tuple[str, ...], check: str) -> None:
    """Each violation is blocked by its check on the platforms whose rules forbid it, and only there."""
    for platform in EVERYWHERE:
        verdict = check_text(platform=platform, subject=None, body=text)
        if platform in blocked_on:
            assert verdict.verdict == "block", (platform, verdict)
            assert check in {f.check for f in verdict.findings if f.severity == "block"}, (platform, verdict)
        else:
            assert verdict.verdict != "block", (platform, verdict)


@pytest.mark.parametrize("text", INNOCENT, ids=[t[:30] for t in INNOCENT])
@pytest.mark.parametrize("platform", EVERYWHERE)
def test_innocent_messages_with_sensitive_words_pass(text: str, platform: str) -> None:
    """Hard negatives (update, change, cancel, remove, review as a verb, order numbers) are never blocked."""
    verdict = check_text(platform=platform, subject=None, body=text)
    assert verdict.verdict != "block", verdict


@pytest.mark.parametrize(("text", "excerpt"), [
    ("Hi! Add me on W h a t s A p p now", "W h a t s A p p"),
    ("Add me on Wh\u200batsApp", "Wh\u200batsApp"),
    ("Ａｄｄ ｍｅ ｏｎ ｗｈａｔｓａｐｐ", "ｗｈａｔｓａｐｐ"),
    ("Café déjà vu: write on 𝐰𝐞𝐜𝐡𝐚𝐭 today", "𝐰𝐞𝐜𝐡𝐚𝐭"),
    ("Zalgo w̵h̵a̵t̵s̵a̵p̵p̵ text", "w̵h̵a̵t̵s̵a̵p̵p̵"),
])
def test_spans_point_at_the_original_text(text: str, excerpt: str) -> None:
    """Findings on a normalised copy report the span and excerpt of the ORIGINAL characters."""
    verdict = check_text(platform="aliexpress", subject=None, body=text)
    finding = next(f for f in verdict.findings if f.check == "messenger")
    assert text[finding.start:finding.end] == finding.excerpt == excerpt


def test_normalisation_keeps_an_offset_for_every_character() -> None:
    """Every normalised character maps back into the original text, in order."""
    text = "ＡＢ ß w.h.a.t.s 𝐱 ﬁ é\u200b"
    norm = normalize(text)
    assert norm.text == "ab ss whats x fi e"
    assert list(norm.starts) == sorted(norm.starts)
    assert all(0 <= s < e <= len(text) for s, e in zip(norm.starts, norm.ends, strict=True))


def test_the_same_text_gets_each_platforms_own_verdict() -> None:
    """An emoji and a thank-you-only message are Amazon problems, not AliExpress or Taobao ones."""
    text = "Thanks for your order! 😀"
    verdicts = {p: check_text(platform=p, subject=None, body=text).verdict for p in EVERYWHERE}
    assert verdicts == {"amazon": "block", "aliexpress": "pass", "taobao": "pass"}
    link = "Track it on global.cainiao.com"
    verdicts = {p: check_text(platform=p, subject=None, body=link).verdict for p in EVERYWHERE}
    assert verdicts == {"amazon": "block", "aliexpress": "pass", "taobao": "block"}


def test_important_in_the_subject_only_for_essential_messages() -> None:
    """'[Important]' on Amazon is blocked unless the message is essential to completing the order."""
    bad = check_text(platform="amazon", subject="[Important] News from our shop", body="Hello, we have news.")
    good = check_text(platform="amazon", subject="[Important] Engraving text",
                      body="Please confirm the engraving text for your ring: 'A & B'.")
    assert "important_subject" in {f.check for f in bad.findings} and bad.verdict == "block"
    assert good.verdict == "pass"
    assert check_text(platform="aliexpress", subject="[Important] News", body="Hello").verdict == "pass"


def test_findings_carry_the_rule_source_and_explanation() -> None:
    """Every finding says why (the pack's explanation) and where the rule comes from (its source)."""
    verdict = check_text(platform="aliexpress", subject=None, body="Add me on WhatsApp")
    finding = verdict.findings[0]
    assert finding.source and "seed 001" in finding.source
    assert "off the platform" in finding.message
