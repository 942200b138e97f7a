"""The blind-set failure categories: negated and conditional confirmations are not
confirmations, refunds confirmed with other words are, promotion without a discount word,
links spelled out, review requests per platform, and Traditional Chinese written by buyers and
sellers in Taiwan and Hong Kong."""

from __future__ import annotations

import pytest

from autoreply.compliance import default_engine
from autoreply.compliance.normalize import normalize
from tests.compliance_rows import blocked_on

A, X, T = "amazon", "aliexpress", "taobao"
ALL = {A, X, T}


# (category, text, platforms that block it) — written for these tests, not taken from a corpus
CASES = [
    # 1. a condition, a negation or a subjunctive: nothing happened yet
    ("not yet shipped en", "We can still swap the colour for you as long as the box hasn't left yet.", set()),
    ("conditional es", "Si su paquete todavía no ha sido entregado el viernes, abriremos una reclamación.", set()),
    ("tant que fr", "Tant que la commande n'est pas expédiée, vous pouvez changer l'adresse ici.", set()),
    ("solange de", "Solange der Artikel nicht versandt wurde, ändern wir gern die Größe.", set()),
    ("如果 zh", "如果包裹还没有发货，可以帮您改地址。", set()),
    ("once refund en", "Once your refund has been processed you will get an e-mail from Amazon.", set()),
    # 2. refunds and payments confirmed with other verbs and nouns
    ("refund issued en", "Good news: your refund of £9.99 has been issued to your Visa.", {A}),
    ("remboursement fr", "Le remboursement de votre commande a été effectué hier.", {A}),
    ("Erstattung de", "Die Erstattung ist erfolgt.", {A}),
    ("reembolso es", "El reembolso ya está hecho, lo verá en su tarjeta.", {A}),
    ("退款 zh", "亲，退款已到账，请查收。", {A}),
    ("환불 ko", "환불이 완료되었습니다.", {A}),
    # 3. promotion without a discount word (Amazon blocks; AliExpress/Taobao warn)
    ("browse our shop en", "Why not browse our shop for the matching lampshade?", {A}),
    ("nowa kolekcja pl", "Nowa kolekcja już w sklepie!", {A}),
    ("göz atın tr", "Yeni sezon ürünlerimize göz atın.", {A}),
    ("新作 ja", "新作入荷しました。ぜひご覧ください。", {A}),
    ("the buyer's own item is information",
     "The item you ordered is from the new collection, so it runs small.", set()),
    # 4. links spelled out, leetspeak, short links
    ("leet domain", "More colours at l4mpw0rks d0t c0m", ALL),
    ("paypal dot me slash", "Send it to paypal dot me slash lampworks", ALL),
    ("punto me barra", "Pague en paypal punto me barra lampworks", ALL),
    ("wa dot me slash", "Write to wa dot me slash 447700900123", ALL),
    ("bit ly slash", "Video: bit ly slash lampfix", ALL),
    ("point relais is no domain", "Le point relais est ouvert le dimanche matin.", set()),
    # 5. review requests: Amazon blocks every one, the others only an offer or a change
    ("five-star request", "If you love the lamp, a five-star review would make our day.", {A}),
    ("neutral request", "Could you leave a short review when you have a moment?", {A}),
    ("offer for a review", "Leave five stars and we'll send you a free bulb.", ALL),
    ("change a review", "Could you edit your 1-star review now that it works?", ALL),
    # 6. Traditional Chinese (Taiwan, Hong Kong)
    ("賴 ID", "有問題加賴：lamp888", ALL),
    ("匯款", "直接匯款給我們可以便宜50元", ALL),
    ("轉帳 帳戶", "轉帳到我的帳戶就好，不用走平台", ALL),
    ("蝦皮", "蝦皮賣場比較便宜，搜尋 lampworks", ALL),
    ("FB 私訊", "歡迎FB私訊我們", ALL),
    ("已出貨", "您的訂單已出貨。", {A}),
    ("不依賴 is innocent", "這盞燈不依賴網路，插電就能用。", set()),
    ("warning against remittance", "請勿私下匯款，我們只接受平台付款。", set()),
]


@pytest.mark.parametrize(("text", "expected"), [(c[1], c[2]) for c in CASES], ids=[c[0] for c in CASES])
def test_each_category_gets_each_platforms_verdict(text: str, expected: set[str]) -> None:
    """Each message is blocked exactly on the platforms whose rules forbid it."""
    assert blocked_on(text) == expected


def test_positive_review_request_warns_on_aliexpress_and_taobao() -> None:
    """A five-star request with nothing offered is sent with a warning on AliExpress and Taobao."""
    engine = default_engine()
    text = "If you are happy, please leave us a 5-star review."
    for platform in (X, T):
        verdict = engine.check(platform=platform, subject=None, body=text)
        assert verdict.verdict == "warn"
        assert {f.check for f in verdict.findings} == {"review_request"}


def test_traditional_chinese_folds_to_simplified_with_spans_on_the_original() -> None:
    """Traditional characters are matched as Simplified, and the finding points at the original characters."""
    assert normalize("賴ID 匯款帳戶已出貨").text == "赖id 汇款账户已出货"
    text = "您好！直接匯款到我們帳戶就可以"
    verdict = default_engine().check(platform=X, subject=None, body=text)
    excerpts = {f.excerpt for f in verdict.findings if f.check == "off_platform_payment"}
    assert "匯款" in excerpts


def test_spelled_short_link_reports_the_payment_page_and_its_span() -> None:
    """A spelled-out paypal.me link is reported as off-platform payment, spanning the whole spelled link."""
    text = "Pay the rest at paypal dot me slash lampworks, thanks."
    verdict = default_engine().check(platform=A, subject=None, body=text)
    found = [f for f in verdict.findings if f.check == "off_platform_payment"]
    assert found and found[0].excerpt.startswith("paypal dot me slash lampworks")


# Wave 8 (issue 6): the kinds the unseen set still missed or over-blocked — written for these
# tests, not taken from a corpus.
WAVE8_CASES = [
    # tax and company identifiers are not phone numbers; a phone after a phone word still is
    ("VAT number en", "Our VAT number is GB 987 6543 21, printed on every invoice.", set()),
    ("USt-IdNr de", "USt-IdNr.: DE 987654321 (steht auch auf der Rechnung).", set()),
    ("ИНН ru", "ИНН продавца 7701234567, он есть в документах.", set()),
    ("vergi tr", "Vergi no: 9876543210, faturada yazıyor.", set()),
    ("phone still a phone", "Call us on 07911 123456 for faster help.", ALL),
    # a scam warning that names a third party is a warning, in every script and across clauses
    ("scam warning zh", "若有人冒充本店要求您转账，那是诈骗，请勿理会。", set()),
    ("scam warning en", "Anyone asking you to pay by bank transfer in our name is a scammer.", set()),
    ("scam pretext still blocks", "为防诈骗，请直接转账到我的银行卡。", ALL),
    # a brand or a compatibility word after a messenger name describes the product
    ("brand after messenger", "It is sold under the Viber Sound brand in Europe.", set()),
    ("compatible", "The WhatsApp-compatible doorbell needs Wi-Fi.", set()),
    ("messenger with id", "Add me on Telegram: anna_lamps_88", ALL),
    # negation written after the verb: "please do not cancel" is no request to cancel
    ("nicht de", "Stornieren Sie bitte nicht, die Ware kommt morgen.", set()),
    ("하지 마세요 ko", "주문 취소하지 마세요. 내일 입고됩니다.", set()),
    ("etmeyin tr", "Lütfen iptal etmeyin, yarın kargoda.", set()),
    ("не могли бы ru is a request", "Не могли бы вы отменить заказ? Товар закончился.", {A}),
    ("pourriez-vous fr", "Pourriez-vous annuler la commande ? Nous n'avons plus de stock.", {A}),
    # confirmations: the buyer's own thing, new done-words, a mistake is a problem, the future is a notice
    ("your headphones en", "Your headphones were delivered this afternoon.", {A}),
    ("handed over ja", "本日、商品を佐川急便にお引き渡しいたしました。", {A}),
    ("인계 ko", "상품이 오늘 택배사로 인계되었습니다.", {A}),
    ("处理好了 zh", "您的退款我们已经处理好了。", {A}),
    ("caiu pt", "O reembolso já caiu na sua conta.", {A}),
    ("shipped by mistake es", "Su pedido fue enviado por error a la dirección antigua; lo estamos corrigiendo.", set()),
    ("message about the order nl", "We hebben uw vraag over de bestelling ontvangen en antwoorden morgen.", set()),
    ("سيتم ar", "سيتم رد المبلغ بعد وصول المرتجع إلى المستودع.", set()),
    ("pickup point today", "Your parcel can be collected from the pickup point today or tomorrow.", set()),
    # cancellations asked in other words
    ("what put you off en", "What put you off, if we may ask, since you cancelled?", {A}),
    ("zurückgetreten de", "Warum sind Sie vom Kauf zurückgetreten?", {A}),
    ("zrezygnował pl", "Dlaczego zrezygnowała Pani z zamówienia?", {A}),
    # reviews: a negated ask or change is no request; asking in other words is
    ("不会要求 zh", "差评我们也会认真处理，不会要求您修改。", set()),
    ("retira es", "Si retira su opinión negativa, le regalamos el envío.", ALL),
    ("serions ravis fr", "Nous serions ravis de lire votre avis sur la lampe.", {A}),
    ("review your address en", "Please review your delivery address: the house number is missing.", set()),
    # insults, shop visits, other marketplaces
    ("you absolute clown", "You complete clown, the size was in the title.", ALL),
    ("passi a trovarci it", "Venga a trovarci nel nostro negozio, ci sono le nuove borse.", {A}),
    ("find us on Kaufland", "Sie finden uns auch auf Kaufland, dort ist es günstiger.", ALL),
    # Taobao: refusals in other words, fees, windows in hours
    ("不接受退换 zh", "拆封后一律不接受退换，敬请谅解。", {T}),
    ("拆封费 zh", "退货需收取10元拆封费。", {T}),
    ("48 小时", "质量问题需在签收后24小时内反馈，超时不予处理。", {T}),
    ("24 小时发货 is a promise", "24小时内发货，支持七天无理由退货。", set()),
    ("暂时无法退款 is not a refusal", "退货还没到仓，暂时无法退款，请耐心等待。", set()),
    # payments confirmed, thanks for choosing, promotion without a discount word
    ("оплата прошла ru", "Оплата прошла успешно, благодарим!", {A}),
    ("입금 확인 ko", "입금이 확인되었습니다.", {A}),
    ("完了しております ja", "ご返金は昨日完了しております。", {A}),
    ("payment failed is no confirmation", "Your payment didn't go through; could you try again at checkout?", set()),
    ("glad you chose en", "So glad you chose our little shop. Warm wishes from Anna!", {A}),
    ("wybrali pl", "Dziękujemy, że wybrała Pani nasz sklep!", {A}),
    ("before it's gone en", "The linen throw is back - grab yours before it's gone!", {A}),
    ("colour named after a messenger", "This shade is called Signal Blue in the catalogue.", set()),
]


@pytest.mark.parametrize(("text", "expected"), [(c[1], c[2]) for c in WAVE8_CASES], ids=[c[0] for c in WAVE8_CASES])
def test_wave8_kinds_get_each_platforms_verdict(text: str, expected: set[str]) -> None:
    """Each wave-8 kind is blocked exactly on the platforms whose rules forbid it."""
    assert blocked_on(text) == expected
