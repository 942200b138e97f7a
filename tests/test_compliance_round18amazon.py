"""Round 18 Amazon-only checks (training sets T27a/T27b, outside the repository): a shipping status given in answer to
the buyer, a coupon the buyer raised answered over the answer's sentences, parts of the address and delivery days as
essential topics under "[Important]" (a product recall is not one), cancel reasons guessed in a question, "cancel and
order again", "a few words about your experience" as a review request, the seller's "we confirm …", cross-sells and
weekend deals, a free gift packed with the next order, and thank-you fillers.

Each row: subject (or None), text, expected verdict on Amazon — ``block``, or ``ok`` for anything but block.
Rows are written for these tests in several languages, a violation beside its nearest hard negative.
"""

from __future__ import annotations

import pytest

from tests.compliance_rows import assert_verdict

# a status answered to the buyer's question is not one of the confirmations Amazon sends itself
STATUS_ASKED = [
    (None, "You asked where the parcel is: it left our warehouse on Tuesday and DPD has it at the Leeds depot.", "ok"),
    (None, "Your order has been shipped and left our warehouse on Tuesday.", "block"),
    (None, "Ja, das Paket ist gestern rausgegangen und liegt jetzt im DHL-Zentrum Hannover.", "ok"),
    (None, "Ihre Bestellung wurde gestern versandt.", "block"),
    (None, "Vous nous demandiez où en est la commande : elle est partie jeudi avec Colissimo.", "ok"),
    (None, "Su pedido fue enviado ayer con SEUR.", "block"),
    (None, "문의하신 배송 건은 어제 발송되었고 지금 대전 허브에 있습니다.", "ok"),
    (None, "주문하신 상품이 어제 발송되었습니다.", "block"),
    (None, "Talebiniz üzerine siparişinizi iptal ettik, ücret Amazon üzerinden iade edilecek.", "ok"),
    (None, "Отвечаем на ваш вопрос: посылка отправлена в понедельник и сейчас в Казани.", "ok"),
    (None, "Ваш заказ отправлен в понедельник.", "block"),
    # "№" before the number is no negation
    (None, "Ваш заказ № 405-1234567-7654321 успешно оплачен и оформлен.", "block"),
    # a refund for damage the seller caused is fixing a problem
    (None, "The lid arrived cracked, which is our fault; we've issued a refund of £8 for it.", "ok"),
]

# the seller confirming an order it has received
WE_CONFIRM = [
    (None, "Hiermit bestätigen wir Ihre Bestellung über drei Duschköpfe.", "block"),
    (None, "Hierbij bevestigen wij de ontvangst van uw bestelling.", "block"),
    (None, "訂單確認：我們已收到您購買的三件T恤。", "block"),
    (None, "お荷物は本日午前中に配達済みとなっております。", "block"),
    (None, "Können Sie uns bitte Ihre Bestellung bestätigen? Die Größe fehlt noch.", "ok"),
]

# a coupon the buyer raised, answered: its sentence and the next ones, up to an invitation
COUPON_TOPIC = [
    (None, "About the voucher you mentioned: it was a 5% voucher on the listing and it ended on Sunday.", "ok"),
    (None, "Concernant le bon de réduction : il fallait l'activer avant le paiement. Il ne peut plus s'appliquer.",
     "ok"),
    (None, "Co do kodu rabatowego: działał do 30 czerwca. Po tym terminie rabat 10% nie jest naliczany.", "ok"),
    (None, "문의하신 쿠폰 건 확인했습니다. 10% 쿠폰은 첫 구매에만 적용됩니다.", "ok"),
    (None, "About the voucher you mentioned: it ended. Our new collection is 20% off this weekend only!", "block"),
    (None, "Riguardo al coupon: lo sconto del 15% vale sul prossimo ordine con il codice ESTATE15.", "block"),
]

# new or our own products, matched to what the buyer bought or advertised with a deal
CROSS_SELL = [
    (None, "고객님이 구매하신 텐트와 잘 어울리는 신상 랜턴이 입고되었습니다.", "block"),
    (None, "고객님이 구매하신 텐트는 신상이라 사이즈 표가 조금 다릅니다.", "ok"),
    (None, "Вам может понравиться наш новый чехол для этого планшета.", "block"),
    (None, "Чехол для вашего планшета отправлен отдельной посылкой из-за нехватки на складе.", "ok"),
    (None, "Solo este fin de semana: 2x1 en todas nuestras tazas.", "block"),
    (None, "Nieuw in ons assortiment: wollen sokken. Neem gerust een kijkje!", "block"),
    (None, "Het assortiment in de beschrijving klopt: de set bevat zes sokken.", "ok"),
]

# asking why, by guessing the reason; asking to cancel and order again
CANCELLATIONS = [
    (None, "Sorry to see the order cancelled. Was it the delivery time or did you find it cheaper elsewhere?",
     "block"),
    (None, "The order was cancelled as you asked. The price will be back on your card within 3 days.", "ok"),
    (None, "Sie haben storniert. Lag es am Preis?", "block"),
    (None, "订单已取消。请问是价格的原因，还是不需要了呢？", "block"),
    (None, "订单已取消，款项会原路退回。", "ok"),
    (None, "Por favor, cancela el pedido y vuelve a hacer el pedido con la talla L.", "block"),
    (None, "Puedes cancelar el pedido desde Mis pedidos si todavía no se ha enviado.", "ok"),
    (None, "Siparişi iptal edip yeniden sipariş verebilir misiniz?", "block"),
    (None, "Siparişi iptal edip yeniden sipariş vermenize gerek yok; adresi düzelttik.", "ok"),
    (None, "주문을 취소하신 후 다시 주문해 주시겠어요?", "block"),
    (None, "주문을 취소하고 다시 주문하실 필요 없습니다.", "ok"),
]

# a few words about the experience asked for is a review request; about a problem it is not
REVIEW_WORDS = [
    (None, "Leave us a few words about your experience with the kettle, it helps other buyers.", "block"),
    (None, "Please tell us in a few words what went wrong with your purchase so we can fix it.", "ok"),
    (None, "Schreiben Sie uns doch ein paar Zeilen zu Ihren Erfahrungen mit der Lampe.", "block"),
    (None, "请花一分钟写几句对这次购物体验的看法。", "block"),
    (None, "Wären Sie so nett, uns ein Verkäuferfeedback zu geben?", "block"),
    (None, "You asked whether you can still exchange the jacket after leaving feedback: yes, within 30 days.", "ok"),
]

# a free gift packed with the next order rewards buying again; a free repair is the warranty's due
NEXT_ORDER_GIFT = [
    (None, "We'll add a free tea towel to your next order as a small surprise.", "block"),
    (None, "Bij uw volgende order sturen we gratis een extra vaatdoekje mee.", "block"),
    (None, "The grinder is under warranty, so we will arrange a free repair or a new unit.", "ok"),
    (None, "Мы бесплатно отправим недостающую деталь вместе со следующим заказом.", "ok"),
]

# thanks for choosing, with the whole team's courtesy, is still thanks only
THANKS = [
    (None, "非常感谢您的订单，我们全体团队向您致以诚挚的谢意。", "block"),
    (None, "Te agradecemos de corazón que hayas elegido nuestra miel.", "block"),
    (None, "Te agradecemos el pedido; la miel sale mañana porque el lote de hoy no pasó el control.", "ok"),
]

# "[Important]" on parts of the address and delivery days; a recall is not in the essential list
IMPORTANT = [
    ("[Importante] Citofono", "Sul citofono non c'è il suo nome: ci può indicare la scala e l'interno?", "ok"),
    ("[Important] Doorbell", "Which name is on the doorbell, and which floor is the flat on?", "ok"),
    ("[Wichtig] Lieferung des Schranks", "Die Spedition kann am Dienstag oder Donnerstag liefern. Bitte wählen Sie.",
     "ok"),
    ("[Importante] Entrega del sofá", "El sofá voluminoso puede llegar el lunes por la mañana. ¿Le va bien?", "ok"),
    ("[Important] Safety recall", "The heater batch H-12 may overheat; stop using it and we send a new one.",
     "block"),
    ("[Wichtig] Rückruf", "Die Charge K-7 kann undicht sein. Bitte nicht mehr benutzen.", "block"),
    ("[Important] New arrivals", "Our spring range is in the shop now.", "block"),
]

ROWS = (STATUS_ASKED + WE_CONFIRM + COUPON_TOPIC + CROSS_SELL + CANCELLATIONS + REVIEW_WORDS + NEXT_ORDER_GIFT
        + THANKS + IMPORTANT)


@pytest.mark.parametrize(("subject", "text", "expected"), ROWS)
def test_round18amazon_verdict_follows_the_structure(subject: str | None, text: str, expected: str) -> None:
    """Each message is blocked on Amazon exactly when its structure makes it a violation there."""
    assert_verdict("amazon", subject, text, expected)
