"""Round 15 false blocks and Taobao after-sales recall, read by structure rather than by phrase: how far a
negation reaches (a list after it, not a new clause, not out of a condition), Cyrillic lookalike words on
Latin text ("не" is not Spanish "he"), what a number is (a shipment number after a carrier's name), a
subject "[Important]" on essential messages (an address with a part missing, a delivery day asked in the
next sentence, a text to engrave), devices that read payment codes, and Taobao refusals and fees written
in free word order in languages with spaces.

Each row: platform, subject (or None), text, expected verdict — ``block``, or ``ok`` for anything but block.
"""

from __future__ import annotations

import pytest

from tests.compliance_rows import assert_verdict

A, X, T = "amazon", "aliexpress", "taobao"

# negation scope: a negation governs its clause and a list after it, not a new clause after a comma, a
# contrast or a condition; a negation inside a condition does not reach the main clause
NEGATION_SCOPE = [
    (A, None, "We don't offer gifts, coupons or anything else in exchange for reviews.", "ok"),
    (A, None, "Nie dajemy rabatów ani upominków za wystawienie opinii.", "ok"),
    (A, None, "Wir geben keine Gutscheine, Geschenke oder Rabatte für Bewertungen.", "ok"),
    (A, None, "Não damos brindes nem descontos em troca de avaliações.", "ok"),
    (A, None, "Wir bitten Sie nicht, Ihre Rezension zu ändern, und bieten nichts dafür an.", "ok"),
    (A, None, "Yorumunuzu değiştirmenizi istemiyoruz ve yorum için indirim sunmuyoruz.", "ok"),
    (X, None, "Yorumunuzu değiştirirseniz size indirim veririz.", "block"),
    (T, None, "我们店从来不搞好评返现，评价按您的真实感受写就行。", "ok"),
    (A, None, "当店ではレビューへの謝礼は行っておりません。", "ok"),
    (A, None, "レビューの修正をお願いすることもございません。", "ok"),
    (A, None, "We do not charge any fee, we send you a gift card for a 5-star review.", "block"),
    (A, None, "We don't do cashback, but leave 5 stars and we'll send a $10 gift card.", "block"),
    (A, None, "Don't forget: a 5-star review gets you a $5 gift card!", "block"),
    (X, None, "Non dimenticate: chi lascia 5 stelle riceve un buono da 5 euro.", "block"),
    (X, None, "Effettueremo il rimborso non appena la sua recensione sarà rimossa.", "block"),
    (X, None, "If you don't get a reply here within an hour, message us on WhatsApp.", "block"),
    (X, None, "Wenn Sie hier keine Antwort bekommen, schreiben Sie uns auf Telegram.", "block"),
    (X, None, "Пишите нам в WhatsApp, если нет ответа здесь.", "block"),
    (X, None, "У этой модели нет поддержки WhatsApp, только обычные звонки.", "ok"),
    (X, None, "Приложения для Telegram у часов нет.", "ok"),
]

# "не" folds to Latin "he": the Russian term counts only where the text is Cyrillic
CYRILLIC_LOOKALIKES = [
    (X, None, "He creado un grupo de WhatsApp para clientes, únase y le atiendo allí.", "block"),
    (X, None, "He will reply faster on Telegram, add him: @shop_helper.", "block"),
    (X, None, "Het is mogelijk om ons op WhatsApp te bereiken.", "block"),
    (A, None, "He enviado hoy el paquete; llegará el jueves con Correos.", "block"),  # a bare confirmation, unnegated
]

# a number after a carrier's name or a shipment word is that shipment's number
SHIPMENT_NUMBERS = [
    (A, None, "شحنتك مع سمسا رقم 29384756102 وستصل خلال يومين.", "ok"),
    (X, None, "Your parcel is with Aramex, waybill 40912837465, expected on Thursday.", "ok"),
    (A, None, "Su envío va con SEUR, número de expedición 0123456789012.", "ok"),
    (X, None, "Ihre Sendung ist bei Hermes unterwegs, die Sendungsnummer lautet 0123456789012.", "ok"),
    (A, None, "For faster help call our shop on +44 7911 123456.", "block"),
    (X, None, "You can follow the tracking at laposte.fr with number 6A12345678901.", "ok"),
    (X, None, "Write to jean.dupont at laposte.fr for questions.", "block"),
    (A, None, "Aramex delivers on Friday; for questions call me at 0501234567.", "block"),
]

# a device that reads payment codes names wallets as what it reads, not as a way to pay the seller
DEVICE_FEATURES = [
    (X, None, "This barcode scanner also reads WeChat Pay and Alipay QR codes at the till.", "ok"),
    (A, None, "El escáner lee los códigos QR de WeChat y de Alipay sin configuración.", "ok"),
    (T, None, "这把扫描枪能识别微信和支付宝付款码，即插即用。", "ok"),
    (X, None, "このスキャナーはWeChat PayのQRコードも読み取れます。", "ok"),
    (X, None, "Scan our WeChat QR code to pay us directly, it's cheaper.", "block"),
    (T, None, "加我微信，扫码付款给我更便宜。", "block"),
]

# "[Important]" on essential messages (seed 002) and on others
IMPORTANT = [
    (A, "[Important] Delivery of your wardrobe", "The freight company needs a delivery day for your wardrobe. "
        "Would April 3 or 4 suit you?", "ok"),
    (A, "[Importante] Entrega de su sofá", "La empresa de transporte necesita fijar la entrega. "
        "¿Le viene bien el martes por la mañana?", "ok"),
    (A, "[Important] Your address", "The carrier reports that the flat number is missing from your address. "
        "Please update it in your account.", "ok"),
    (A, "[Wichtig] Ihre Adresse", "Der Paketdienst meldet, dass die Hausnummer in Ihrer Adresse fehlt.", "ok"),
    (A, "[Önemli] Kolye", "Lütfen kolyeye yazılacak ismi bize iletin.", "ok"),
    (A, "[Important] Made-to-measure blind", "To make your blind we need the exact width of the window. "
        "Could you send it?", "ok"),
    (A, "[Important] Your order", "Your order has shipped and will arrive on Tuesday.", "block"),
    (A, "[Important] New arrivals", "Have a look at our new address book covers!", "block"),
    (A, "[Important] Thank you", "Thank you for your order. We will update you when it ships.", "block"),
]

# review words the buyer may use freely; a replacement after a problem is no bare confirmation
REVIEWS_AND_NOTICES = [
    (A, None, "You may leave a review if you wish. The filter should be changed every three months.", "ok"),
    (A, None, "Vous pouvez laisser un avis si vous le souhaitez. Le modèle taille grand.", "ok"),
    (A, None, "If you want to help us, please leave a 5-star review.", "block"),
    (A, None, "We looked at the photos you sent and the door is indeed misaligned. "
        "A replacement door is on its way.", "ok"),
    (X, None, "Our store has a 10% coupon for followers this week, if you need a second cable.", "ok"),
    (X, None, "Want more followers? 1000 Instagram followers for $5.", "block"),
]

# Taobao: refusals and fees in free word order, legal exceptions and correct terms
TAOBAO = [
    (T, None, "Articoli scontati: non si possono restituire in nessun caso.", "block"),
    (T, None, "Eine Rückgabe ohne Begründung ist in unserem Shop leider nicht möglich.", "block"),
    (T, None, "Os artigos em promoção não podem ser trocados nem devolvidos.", "block"),
    (T, None, "Les articles soldés ne peuvent être ni repris ni échangés.", "block"),
    (T, None, "Artikelen in de uitverkoop kunnen niet worden geretourneerd.", "block"),
    (T, None, "Товары со скидкой вернуть нельзя.", "block"),
    (T, None, "Clearance items are not eligible to be returned or exchanged.", "block"),
    (T, None, "You can send it back, but we charge a 20 yuan processing fee on every return.", "block"),
    (T, None, "Puede devolverlo, pero cobramos 10 yuanes de gastos de gestión.", "block"),
    (T, None, "Zwrot jest możliwy, ale potrącimy 15 juanów opłaty manipulacyjnej.", "block"),
    (T, None, "İadeniz, ürün bize ulaştıktan 45 gün sonra yapılacaktır.", "block"),
    (T, None, "Personalisierte Ketten können nicht zurückgegeben werden.", "ok"),
    (T, None, "Les cartes de recharge activées ne peuvent pas être remboursées.", "ok"),
    (T, None, "Cartões de recarga ativados não podem ser devolvidos.", "ok"),
    (T, None, "充值卡一旦激活就不能退换，未激活可以退款。", "ok"),
    (T, None, "We can't accept returns on worn shoes, but defects are always covered.", "ok"),
    (T, None, "No need to return the broken one, we will send a new one.", "ok"),
    (T, None, "The refund cannot be processed until we receive the parcel.", "ok"),
    (T, None, "Il reso non è ancora possibile perché il pacco non è stato consegnato.", "ok"),
    (T, None, "You can return it within 7 days without giving a reason; after 7 days returns are no longer possible.",
     "ok"),
    (T, None, "Yorum karşılığında para iadesi yapmıyoruz; iade hakkınız 7 gündür.", "ok"),
    (T, None, "We do not charge anything for returns.", "ok"),
]

ROWS = (NEGATION_SCOPE + CYRILLIC_LOOKALIKES + SHIPMENT_NUMBERS + DEVICE_FEATURES + IMPORTANT + REVIEWS_AND_NOTICES
        + TAOBAO)


@pytest.mark.parametrize(("platform", "subject", "text", "expected"), ROWS)
def test_round15fb_verdict_follows_the_structure(platform: str, subject: str | None, text: str, expected: str) -> None:
    """Each message is blocked exactly when its structure makes it a violation on that platform."""
    assert_verdict(platform, subject, text, expected)


def test_round15fb_cyrillic_lookalike_terms_need_cyrillic_text() -> None:
    """A Russian term made only of Latin lookalikes ("не" → "he") finds nothing on Latin text, and does on Russian."""
    from autoreply.compliance import default_engine
    from autoreply.compliance.scan import Scan

    index = default_engine().index
    assert "не" in index.cyrillic_only
    assert not [h for h in Scan.of("He enviado el paquete.", index).get("negation") if h.term == "не"]
    assert [h for h in Scan.of("Мы не продаём отзывы.", index).get("negation") if h.term == "не"]
