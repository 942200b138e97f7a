"""Language: what the buyer's words say, what the account says, and which template that means."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from autoreply.events import parse_event
from autoreply.langdetect import TextDetector, clean
from autoreply.language import Detection, choose_language, fit_template, tag_candidates
from autoreply.pipeline import Engine
from tests.conftest import NOW, ConfigDir, event_data

SHIPPED = {"en", "es", "fr", "pt", "de", "it", "nl", "pl", "ru", "uk", "tr", "ar", "he", "ko",
           "ja", "zh", "zh-Hant"}
REPO = Path(__file__).resolve().parent.parent

# text, buyer locale, marketplace, buyer country → chosen, reason
DECISIONS = [
    ("Hola, ¿tienen la talla M en rojo?", "en-US", "US", "US", "es", "detected"),
    ("gracias!!", "en-US", "US", "US", "es", "detected"),
    ("Obrigado 👍", "en-US", "US", "US", "pt", "detected"),
    ("ok", "pt-BR", "BR", "BR", "pt-BR", "buyer_locale"),
    ("ok", None, "DE", "AT", "de", "marketplace"),
    ("ok", None, None, "BR", "pt-BR", "buyer_country"),
    ("ok", None, None, None, "en", "default"),
    ("8012345678901234", "fr-FR", "FR", "FR", "fr-FR", "buyer_locale"),
    ("👍👍", "it-IT", "IT", "IT", "it-IT", "buyer_locale"),
    ("", "ja-JP", "JP", "JP", "ja-JP", "buyer_locale"),
    # a text that is Spanish and Portuguese alike: the account decides between the two
    ("Excelente vendedor", "es-MX", "MX", "MX", "es-MX", "buyer_locale"),
    ("Excelente vendedor", "pt-BR", "BR", "BR", "pt-BR", "detected"),
    # the text's language with the account's variant
    ("Obrigado, chegou tudo certo", "pt-PT", "PT", "PT", "pt-PT", "detected"),
    ("谢谢，收到了", "zh-CN", "CN", "CN", "zh-Hans", "detected"),
    ("謝謝，收到了", "zh-CN", "CN", "CN", "zh-Hant", "detected"),
    ("好的", "zh-TW", None, "TW", "zh-TW", "detected"),
    ("Дякую, все добре", "ru-RU", "RU", "RU", "uk", "detected"),
    ("Спасибо, всё хорошо", "uk-UA", "UA", "UA", "ru", "detected"),
    ("Where is my order?", "de-DE", "DE", "DE", "en", "detected"),
]


@pytest.mark.parametrize(("text", "locale", "marketplace", "country", "chosen", "reason"), DECISIONS)
def test_language_decisions(detector: TextDetector, text: str, locale: str | None,
                            marketplace: str | None, country: str | None, chosen: str,
                            reason: str) -> None:
    """Words decide when they are clear; otherwise locale → marketplace → country → default."""
    got = choose_language(text=text, buyer_locale=locale, marketplace=marketplace, default="en",
                          available=SHIPPED, detector=detector, buyer_country=country)
    assert (got.chosen, got.reason) == (chosen, reason), got


def test_a_very_long_message_is_judged_on_its_beginning(detector: TextDetector) -> None:
    """A buyer who pastes a 10,000-character message still gets their language: the detector
    reads its first thousand characters, as it reads a short message whole."""
    opening = "Hola, quisiera saber cuándo llegará mi pedido, es para el cumpleaños de mi hija. "
    long = opening * 12 + "Thank you so much for your help with this order. " * 200
    got = detector.detect(long)
    assert got.language == "es"
    assert detector.detect(long[:2000]) == got


# buyer tag → the template file used, given these templates
VARIANTS = [
    ("zh-TW", {"zh", "zh-Hant", "en"}, "zh-Hant"),
    ("zh-HK", {"zh", "zh-Hant", "en"}, "zh-Hant"),
    ("zh-Hant-TW", {"zh", "zh-Hant", "en"}, "zh-Hant"),
    ("zh-MO", {"zh", "zh-Hant", "en"}, "zh-Hant"),
    ("zh-CN", {"zh", "zh-Hant", "en"}, "zh"),
    ("zh-SG", {"zh", "zh-Hant", "en"}, "zh"),
    ("zh-Hans", {"zh", "zh-Hant", "en"}, "zh"),
    ("zh-TW", {"zh", "en"}, "zh"),  # no Traditional template: Simplified beats English
    ("pt-BR", {"pt", "en"}, "pt"),
    ("pt-PT", {"pt-BR", "en"}, "pt-BR"),  # another variant of the language, not English
    ("pt-PT", {"pt-BR", "pt-PT", "en"}, "pt-PT"),
    ("pt-AO", {"pt-BR", "pt-PT", "en"}, "pt-PT"),  # CLDR: pt-AO's parent is pt-PT
    ("es-MX", {"es", "es-419", "en"}, "es-419"),
    ("es-MX", {"es", "en"}, "es"),
    ("es-ES", {"es", "es-419", "en"}, "es"),
    ("fr-CA", {"de", "en"}, None),
]


@pytest.mark.parametrize(("tag", "available", "template"), VARIANTS)
def test_language_variants_fall_back_cleanly(tag: str, available: set[str], template: str | None) -> None:
    """Regional and script variants find the closest template (Traditional for zh-TW/HK)."""
    assert fit_template(tag, available) == template, tag_candidates(tag)


UK_NOT_RU = [
    "Дякую!", "Де моя посилка?", "Коли відправите?", "Добре, чекаю", "дуже дякую",
    "Скасуйте замовлення, будь ласка", "Ще не отримала", "Чи є в чорному?", "П'ять штук",
    "Що з моїм замовленням?", "ДЯКУЮ", "дякую за швидку доставку 👍", "Як оформити повернення?",
    "Товар прийшов, все добре", "Замовлення 8012345678909876 досі не відправлене",
]
RU_NOT_UK = [
    "Спасибо!", "Где моя посылка?", "Когда отправите?", "Хорошо, жду", "спасибо большое",
    "Отмените заказ, пожалуйста", "Что с моим заказом?", "Есть в чёрном?", "Как оформить возврат?",
]


@pytest.mark.parametrize("accuracy", ["high", "low"])
def test_ukrainian_is_never_taken_for_russian(detector: TextDetector, low_detector: TextDetector,
                                              accuracy: str) -> None:
    """Ukrainian letters, apostrophes and words make Ukrainian; Russian ones make Russian."""
    d = detector if accuracy == "high" else low_detector
    assert {t: d.detect(t).language for t in UK_NOT_RU} == dict.fromkeys(UK_NOT_RU, "uk")
    assert {t: d.detect(t).language for t in RU_NOT_UK} == dict.fromkeys(RU_NOT_UK, "ru")


SCRIPTS = [
    ("감사합니다", "ko", "script: Hangul"),
    ("ㄱㅅㄱㅅ", "ko", "script: Hangul"),
    ("iPhone 14에 맞나요?", "ko", "script: Hangul"),
    ("ありがとう", "ja", "script: kana"),
    ("LP00258258258CNの追跡ができません", "ja", "script: kana"),
    ("注文した商品はいつ発送されますか？", "ja", "script: kana"),
    ("谢谢", "zh", "script: Han, no kana"),
    ("对应iPhone 14吗？", "zh", "script: Han, no kana"),
    ("iPhone 14対応？", "ja", "script: Han with Japanese-only kanji"),
    ("返品手続済", "ja", "script: Han with Japanese-only kanji"),
    ("תודה רבה", "he", "script: Hebrew"),
    ("זה מתאים ל-iPhone 14?", "he", "script: Hebrew"),
    ("شكرا جزيلا", "ar", "script: Arabic"),
    ("Дякую", "uk", "ukrainian words"),
    ("Привіт", "uk", "ukrainian letters"),
    ("Спасибо, всё пришло", "ru", "russian letters"),
]


@pytest.mark.parametrize(("text", "language", "reason"), SCRIPTS)
def test_script_certainties(low_detector: TextDetector, text: str, language: str, reason: str) -> None:
    """A script only one of our languages writes decides at once, with that reason."""
    found = low_detector.detect(text)
    assert (found.language, found.reason, found.confidence >= 0.95) == (language, reason, True)


def test_traditional_chinese_is_noted_as_a_variant(low_detector: TextDetector) -> None:
    """Han text says zh either way; Traditional characters add the Hant variant."""
    assert low_detector.detect("請問這件有藍色的嗎？").variant == "Hant"
    assert low_detector.detect("请问这件有蓝色的吗？").variant == "Hans"
    assert low_detector.detect("好的").variant is None


@pytest.mark.parametrize(("text", "left"), [
    ("Pedido 402-7788123-0091234 todavía sin enviar", ["pedido", "todavía", "sin", "enviar"]),
    ("¿El Samsung Galaxy Watch 6 incluye correa extra?", ["el", "incluye", "correa", "extra"]),
    ("compré unos AirPods Pro 😍 https://example.com/x", ["compré", "unos"]),
    ("mi SKU LAMP-DESK-BLK, tracking LP00123456789CN", ["mi", "sku", "tracking"]),
    ("escribe a juan@example.com por favor", ["escribe", "a", "por", "favor"]),
])
def test_noise_is_removed_before_detection(text: str, left: list[str]) -> None:
    """Order and tracking numbers, SKUs, brand names, emojis, links and e-mails are not words."""
    assert clean(text).words == left


@pytest.mark.parametrize("text", ["", "   ", "12345", "👍👍", "ok", "OK!!", "https://x.com/a"])
def test_nothing_to_detect_gives_no_language(low_detector: TextDetector, text: str) -> None:
    """Numbers, emojis, links and 'ok' carry no language: the detector says so (None, 0)."""
    found = low_detector.detect(text)
    assert (found.language, found.confidence) == (None, 0.0)


SHORT = [
    ("Danke!", "de"), ("Bedankt!", "nl"), ("merci beaucoup", "fr"), ("grazie mille", "it"),
    ("Dziękuję!", "pl"), ("Teşekkürler!", "tr"), ("thank you!", "en"), ("nao recebi ainda", "pt"),
    ("cuando envian mi pedido", "es"), ("est ce que la batterie est incluse", "fr"),
    ("Kargom nerede?", "tr"), ("got it, thx", "en"), ("WHERE IS MY ORDER", "en"),
    ("Est-ce compatible avec le Samsung Galaxy S23 ?", "fr"),
    ("quero cancelar a compra", "pt"), ("quiero cancelar la compra", "es"),
]


@pytest.mark.parametrize("accuracy", ["high", "low"])
def test_short_messages_without_accents_or_with_product_names(
        detector: TextDetector, low_detector: TextDetector, accuracy: str) -> None:
    """Two-to-five-word messages come out right in both accuracy modes."""
    d = detector if accuracy == "high" else low_detector
    assert {t: d.detect(t).language for t, _ in SHORT} == dict(SHORT)


def test_the_detector_only_answers_with_the_languages_it_was_given() -> None:
    """Restricted to the templates' languages: Spanish text among en/fr/de is one of those three."""
    d = TextDetector(["en", "fr", "de", "ko"], "low")
    assert d.detect("¿Cuándo llega mi pedido?").language in {"en", "fr", "de"}
    assert d.detect("谢谢").language is None  # Han, but no zh/ja template


def test_the_engine_records_detected_confidence_and_reason(cfgdir: ConfigDir, detector: TextDetector) -> None:
    """preview's language block: detected, confidence, chosen, reason (and what decided it)."""
    cfgdir.write_settings().write_rules('[[rules]]\nname = "w"\ntemplate = "w"\nmatch = { kind = "welcome" }\n')
    for lang in ("en", "es", "pt"):
        cfgdir.write_template("w", lang, "s", "b")
    engine = Engine(cfgdir.config(), detector)
    event = parse_event(event_data(buyer={"id": "b", "locale": "en-US", "country": "US"},
                                   message={"text": "¿tienen talla M?"}))
    lang = engine.decide(event, NOW).as_dict()["language"]
    assert (lang["detected"], lang["chosen"], lang["reason"], lang["template_language"]) == (
        "es", "es", "detected", "es")
    assert lang["confidence"] >= 0.5 and lang["detail"]


def test_the_corpus_is_big_enough_and_labelled() -> None:
    """The evaluation set has ≥ 30 messages per language, a third of them of 2–5 words."""
    rows = [json.loads(line) for split in ("dev", "heldout")
            for line in (REPO / "bench" / "data" / f"buyer-messages.{split}.jsonl").read_text().splitlines()]
    by_lang: dict[str, list[str]] = {}
    for row in rows:
        assert set(row) >= {"id", "text", "language"}
        by_lang.setdefault(row["language"], []).append(row["text"])
    assert set(by_lang) == SHIPPED - {"zh-Hant"}
    for texts in by_lang.values():
        assert len(texts) >= 30
    latin = [t for lang, ts in by_lang.items() if lang not in {"ja", "zh"} for t in ts]
    assert sum(2 <= len(t.split()) <= 5 for t in latin) >= len(latin) / 3
    assert len({row["id"] for row in rows}) == len(rows)


def test_pipeline_choice_is_the_same_with_a_detection_object() -> None:
    """A detector is anything with detect(text) -> Detection (the seam the daemon fills)."""

    class Fixed:
        def detect(self, text: str) -> Detection:
            return Detection("fr", 0.9, "fixed")

    got = choose_language(text="x", buyer_locale="fr-CA", marketplace="US", default="en",
                          available={"en", "fr"}, detector=Fixed())
    assert (got.chosen, got.reason, got.template_language) == ("fr-CA", "detected", "fr")
