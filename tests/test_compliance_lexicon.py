"""The multilingual lexicon and the structural checks built on it: each category holds across
languages, the same text gets each platform's own verdict, innocent look-alikes pass, and the
term files are validated like every other config file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from autoreply.cli import cli
from autoreply.compliance import check_text
from autoreply.compliance import lexicon as lex
from autoreply.compliance.normalize import normalize
from autoreply.errors import ConfigError

A, X, T = "amazon", "aliexpress", "taobao"


def verdicts(
    text: str, subject: str | None = None, message_type: str | None = None
) -> dict[str, str]:
    from autoreply.compliance import default_engine

    engine = default_engine()
    return {
        p: engine.check(platform=p, subject=subject, body=text, message_type=message_type).verdict
        for p in (A, X, T)
    }


def blocked_on(text: str, subject: str | None = None) -> set[str]:
    return {p for p, v in verdicts(text, subject).items() if v == "block"}


# (category, text, platforms that block it)
CASES = [
    # Amazon sends confirmations itself: any language, past tense, no problem, no question
    ("confirmation fr", "Votre commande a bien été expédiée. Bonne journée !", {A}),
    (
        "confirmation de",
        "Ihre Rückerstattung wurde veranlasst und ist in 3–5 Tagen auf Ihrem Konto.",
        {A},
    ),
    ("confirmation ru", "Мы получили вашу оплату, заказ подтверждён.", {A}),
    ("confirmation zh", "您好，您的订单已于今天发出，快递单号：SF1234567890123。", {A}),
    ("confirmation tr", "Ödemenizi aldık ve siparişiniz onaylandı.", {A}),
    (
        "delay is a notice",
        "Your order was shipped, but the carrier reports a delay. New estimate: Friday.",
        set(),
    ),
    (
        "question is substance",
        "Your order has shipped, but the house number is missing. Could you confirm it?",
        set(),
    ),
    ("future is a notice", "Your order will be dispatched tomorrow once the print is dry.", set()),
    (
        "received your message",
        "We have received your message about order 112-1234567-1234567 and will reply soon.",
        set(),
    ),
    # thank-you-only: every sentence is courtesy
    (
        "thanks it",
        "Grazie di cuore per aver scelto il nostro negozio! Buona serata e a presto.",
        {A},
    ),
    (
        "thanks ja",
        "この度はお買い上げいただき誠にありがとうございます。素敵な一日をお過ごしください。",
        {A},
    ),
    (
        "thanks with substance",
        "Thank you for your order. The lamp needs an E27 bulb, which is not included.",
        set(),
    ),
    # promotion: Amazon blocks, AliExpress and Taobao warn; spam unrelated to the trade blocks everywhere
    ("promotion es", "¡Rebajas de verano! -20 % en toda la tienda con el código VERANO20.", {A}),
    ("promotion zh", "店铺上新啦，老顾客专享九折，欢迎进店选购！", {A}),
    ("spam", "Need a quick loan? Approval in 10 minutes, no credit check.", {A, X, T}),
    # insults everywhere; a toy donkey is not one
    ("insult es", "Si fuera usted menos burro habría leído la descripción.", {A, X, T}),
    ("insult ko", "설명도 안 읽으세요? 바보세요?", {A, X, T}),
    ("not an insult", "El burro de peluche que pidió está agotado.", set()),
    # cancellations (Amazon)
    ("cancel reason", "Вы отменили заказ. Подскажите, пожалуйста, почему?", {A}),
    (
        "ask to cancel",
        "L'article est en rupture de stock, merci d'annuler la commande de votre côté.",
        {A},
    ),
    ("option when asked", "Как вы и просили: отменить заказ можно в разделе «Мои заказы».", set()),
    # obfuscated ways off the platform, everywhere
    ("email in words", "Scriva a info chiocciola casaverde punto it per la fattura.", {A, X, T}),
    ("phone in words", "Bel ons: nul zes, één twee, drie vier, vijf zes, zeven acht.", {A, X, T}),
    ("phone numerals", "手机：幺三九零零零零幺二三四，随时联系。", {A, X, T}),
    ("slang", "绿泡泡搜一下 hm2023 就能找到我", {A, X, T}),
    ("leet", "Add me on whats@pp for faster replies.", {A, X, T}),
    ("abbreviations", "You can pay by WU or PP F&F, it's cheaper for both of us.", {A, X, T}),
    ("other marketplace", "拼多多同款只要一半价钱，去那边下单吧。", {A, X, T}),
    (
        "pickup point is not a link",
        "Recoja su paquete en el punto de recogida de su barrio.",
        set(),
    ),
    (
        "paypal at checkout",
        "Pagó con PayPal al finalizar la compra; el reembolso volverá a su cuenta PayPal.",
        set(),
    ),
    (
        "scam warning",
        "Attention : nous ne vous demanderons jamais de nous écrire sur WhatsApp.",
        set(),
    ),
    # reviews: neutral request blocks on Amazon only; offers and changes everywhere
    ("neutral review request", "Будем рады, если вы оставите отзыв о товаре.", {A}),
    ("review for money", "Поставьте, пожалуйста, 5 звёзд, а мы вернём вам 100 рублей.", {A, X, T}),
    ("change a review", "Измените, пожалуйста, отзыв, проблема ведь решена.", {A, X, T}),
    (
        "change one's mind",
        "Nous avons vu l'annulation. Qu'est-ce qui vous a fait changer d'avis ?",
        {A},
    ),
    # Taobao after-sales terms
    ("refusal", "特价商品不支持7天无理由退货。", {T}),
    ("short window", "质量问题请在三天内联系，过期不予处理。", {T}),
    ("legal exception", "定制商品不适用七天无理由退货，下单前请确认尺寸。", set()),
    ("correct terms", "本店支持七天无理由退换货，质量问题十五天内可换货。", set()),
]


@pytest.mark.parametrize(("category", "text", "expected"), CASES, ids=[c[0] for c in CASES])
def test_each_category_gets_each_platforms_verdict(
    category: str, text: str, expected: set[str]
) -> None:
    """A message is blocked exactly on the platforms whose rules forbid it, whatever its language."""
    assert blocked_on(text) == expected


@pytest.mark.parametrize(
    ("subject", "body", "expected"),
    [
        (
            "[Wichtig] Liefertermin für Ihren Kleiderschrank",
            "Die Spedition möchte einen Termin vereinbaren. Welcher Tag passt?",
            set(),
        ),
        (
            "【重要】大件家具预约送货",
            "您的衣柜体积较大，物流需要预约送货时间，请问您哪天方便？",
            set(),
        ),
        (
            "[Important] Address check",
            "The courier could not validate your postcode. Could you confirm the full address?",
            set(),
        ),
        ("[Importante] Novedades de nuestra tienda", "Tenemos nuevos modelos disponibles.", {A}),
    ],
)
def test_important_is_allowed_for_essential_messages_in_any_language(
    subject: str, body: str, expected: set[str]
) -> None:
    """'[Important]' passes on delivery scheduling, address problems and customisation, in any language."""
    assert blocked_on(body, subject) == expected


def test_a_given_message_type_decides_whether_important_is_allowed() -> None:
    """With an SP-API message type, its 'essential' flag decides, not the wording."""
    subject, body = "[Important] Your order", "Hello, a quick note about your order."
    assert verdicts(body, subject, "confirmDeliveryDetails")[A] == "pass"
    assert verdicts(body, subject, "warranty")[A] == "block"


def test_spans_of_structural_findings_point_at_the_original_text() -> None:
    """A phone spelled out in words is reported on the words as written."""
    text = "Call me on zero seven nine one one, one two three four five six."
    finding = next(
        f for f in check_text(platform=X, subject=None, body=text).findings if f.check == "phone"
    )
    assert text[finding.start : finding.end] == finding.excerpt
    assert finding.excerpt.startswith("zero") and finding.excerpt.endswith("six")


def test_plain_text_keeps_the_identity_offset_map() -> None:
    """Text whose characters fold one-to-one keeps a cheap identity map; others get a real one."""
    plain = normalize("Votre commande a été expédiée")
    assert plain.text == "votre commande a ete expediee" and isinstance(plain.starts, range)
    odd = normalize("Straße\u200b ★")
    assert odd.text == "strasse  star"
    assert [odd.starts[i] for i in range(len(odd.text))] == [0, 1, 2, 3, 4, 4, 5, 7, 8, 8, 8, 8, 8]


def test_every_lexicon_group_names_its_source_and_covers_many_languages() -> None:
    """The shipped term groups load, cite a source, and the core ones cover all 14 languages."""
    groups = lex.shipped_groups()
    assert all(g.source and g.about for g in groups.values())
    for name in (
        "review",
        "change",
        "offer",
        "promo",
        "insult",
        "thanks_word",
        "confirm_done",
        "cancel",
        "why",
        "request",
        "essential",
        "messenger",
        "payment",
        "negation",
    ):
        covered = set(groups[name].terms) - {"any"}
        assert covered == set(lex.LANGUAGES) or "any" in groups[name].terms, (
            name,
            set(lex.LANGUAGES) - covered,
        )


def test_a_broken_lexicon_file_is_reported_with_file_and_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An unknown language key in a lexicon file names the file and the line."""
    (tmp_path / "bad.toml").write_text(
        '[review]\nabout = "x"\nsource = "y"\nen = ["review"]\nxx = ["?"]\n'
    )
    monkeypatch.setattr(lex, "LEXICON_DIR", tmp_path)
    lex.shipped_groups.cache_clear()
    try:
        with pytest.raises(ConfigError) as err:
            lex.shipped_groups()
        problem = err.value.problems[0]
        assert problem.file.endswith("bad.toml") and problem.line == 5 and "xx" in problem.message
    finally:
        monkeypatch.undo()
        lex.shipped_groups.cache_clear()


def test_jsonl_lines_may_carry_a_message_type(tmp_path: Path) -> None:
    """compliance check --jsonl honours a per-line message_type for '[Important]'."""
    lines = [
        {
            "id": "a",
            "platform": "amazon",
            "subject": "[Important] Your order",
            "text": "Hello.",
            "message_type": "confirmDeliveryDetails",
        },
        {"id": "b", "platform": "amazon", "subject": "[Important] Your order", "text": "Hello."},
    ]
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(json.dumps(x) for x in lines) + "\n")
    result = CliRunner().invoke(
        cli, ["compliance", "check", "--jsonl", str(path)], catch_exceptions=False
    )
    got = {d["id"]: d["verdict"] for d in map(json.loads, result.stdout.splitlines())}
    assert got == {"a": "pass", "b": "block"} and result.exit_code == 3
