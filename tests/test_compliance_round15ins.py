"""Round 15 (learned classifier): condescension, veiled threats and mock praise without an abusive
word are blocked on every platform by the classifier trained with wave 20 and its cue groups, and
firm but polite answers that share their words ("as explained", "first purchase", "apparently the
parcel …") pass. Written for these tests: not taken from a training file or a development set."""

from __future__ import annotations

import pytest

from autoreply.compliance import ComplianceEngine, default_engine
from tests.compliance_rows import blocked_on

A, X, T = "amazon", "aliexpress", "taobao"
EVERYWHERE = {A, X, T}
RULES = ComplianceEngine(use_classifier=False)

# insults the rules alone let through (checked below), in ten languages
INSULTS = [
    ("price en", "For that price you were obviously not expecting a designer bag, were you?"),
    ("obvious de", "Offensichtlich haben Sie die Beschreibung nicht gelesen. Lesen hilft."),
    ("first purchase es", "Para ser su primera compra por internet, no lo está haciendo tan mal."),
    ("obvious pl", "Widocznie czytanie opisu to dla pana za dużo."),
    ("obvious ru", "Очевидно, инструкцию вы так и не открыли."),
    ("obvious tr", "Belli ki açıklamayı okumadınız, yine de açıklayalım."),
    ("how many times zh", "说了多少遍了，尺码表就在页面上，您是真的看不见吗？"),
    ("like you ja", "お客様のような方は初めてです。説明書を読むという発想はございませんか。"),
    ("how many times ko", "몇 번을 말씀드려야 하나요? 설명서에 다 나와 있습니다."),
    ("apparently ar", "يبدو أنك لم تقرأ الوصف أبدا. القراءة مفيدة أحيانا."),
    ("veiled threat en", "Think carefully before you open that case. We remember every buyer who does."),
]

# firm, polite answers with the same words: innocent on every platform
FIRM_ANSWERS = [
    ("as explained en", "As explained in our previous message, the replacement ships on Monday; the tracking number "
                        "follows by e-mail."),
    ("size chart en", "The size chart is in the listing's photos; if you tell us your height and weight we will "
                      "suggest a size."),
    ("warranty en", "We understand your frustration. The warranty does not cover water damage, but we can offer a "
                    "paid repair."),
    ("return window en", "Unfortunately we cannot accept a return after 60 days, as stated in the listing. We are "
                         "sorry."),
    ("return window de", "Leider können wir nach 30 Tagen keine Rücksendung mehr annehmen. Wir bitten um "
                         "Verständnis."),
    ("sold separately fr", "Comme indiqué dans l'annonce, le câble est vendu séparément. Nous pouvons vous "
                           "l'envoyer pour 5 €."),
    ("first purchase es", "Para su primera compra le recomendamos la talla M; si no le queda bien, puede "
                          "cambiarla."),
    ("compliments it", "Complimenti per la scelta: il modello nero è il più venduto. Il pacco parte domani."),
    ("obviously customs ru", "Очевидно, посылка задержалась на таможне; мы уже написали перевозчику."),
    ("size chart zh", "尺码表在商品详情页第三张图，您也可以告诉我们身高体重，我们帮您推荐。"),
    ("first use ja", "初めてのご利用でしたら、取扱説明書の3ページに設定方法がございます。"),
    ("carrier mistake tr", "Belli ki kargo firması bir hata yaptı; paketinizi yeniden gönderiyoruz."),
    ("wrong depot nl", "Blijkbaar is het pakket op het verkeerde depot beland. We sturen vandaag een nieuw."),
]


@pytest.mark.parametrize(("name", "text"), INSULTS, ids=[n for n, _ in INSULTS])
def test_condescension_without_a_rude_word_is_blocked_everywhere(name: str, text: str) -> None:
    """An insult no word list names is blocked on every platform by the classifier's insult check."""
    assert blocked_on(text, RULES) == set()
    engine = default_engine()
    assert blocked_on(text, engine) == EVERYWHERE
    assert any(f.check == "insult" and "learned classifier" in f.message
               for f in engine.check(platform=A, subject=None, body=text).findings)


@pytest.mark.parametrize(("name", "text"), FIRM_ANSWERS, ids=[n for n, _ in FIRM_ANSWERS])
def test_firm_polite_answers_pass(name: str, text: str) -> None:
    """A firm but polite answer that shares the insults' words is blocked nowhere."""
    assert blocked_on(text) == set()
