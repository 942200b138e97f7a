"""Round 12 classes of false blocks found on the training waves — a confirmation that also gives a
reason or a next step, tracking numbers, barcodes, postal codes and model years read as phones,
model codes read as messenger handles, a messenger brand's pay service at the platform's checkout,
a carrier's official site, food and made-to-measure goods in Taobao after-sales terms, sale items in
a return policy, a refused review change, order comment fields and gift-card messages — and the
violations next to them that must still be blocked, plus condescension the rules missed."""

from __future__ import annotations

import pytest

from tests.test_compliance_round10 import assert_blocked_where_forbidden, assert_not_blocked

A, X, T = "amazon", "aliexpress", "taobao"
EVERYWHERE = (A, X, T)

# (text, platforms where it must pass)
INNOCENT = [
    # a confirmation with a reason, a next step or an acknowledgement: more than a bare confirmation
    ("We refunded the full price because the mug arrived chipped; you don't need to send it back.", EVERYWHERE),
    ("Hemos reembolsado el pedido porque faltaba una pieza. No hace falta devolver nada.", EVERYWHERE),
    ("Le remboursement est effectué car le vase est arrivé abîmé. Inutile de renvoyer l'article.", EVERYWHERE),
    ("Die Erstattung ist erfolgt, weil die Lampe defekt war. Sie müssen nichts zurückschicken.", EVERYWHERE),
    ("O reembolso foi feito porque enviamos o tamanho errado. Não precisa devolver.", EVERYWHERE),
    ("Il pacco è arrivato al deposito di Verona. Se non è in casa, il corriere ripasserà venerdì.", EVERYWHERE),
    ("Het pakket is bezorgd bij de buren. Als u niet thuis was, vraagt u het daar even op.", EVERYWHERE),
    ("Zwrot został wykonany, ponieważ kubek przyszedł pęknięty. Nie trzeba odsyłać towaru.", EVERYWHERE),
    ("Возврат средств оформлен. Если деньги не придут через неделю, напишите нам — проверим.", EVERYWHERE),
    ("İade yapıldı çünkü ürün kırık geldi. Ürünü geri göndermenize gerek yok.", EVERYWHERE),
    ("色違いの商品をお届けしたため、代金を返金いたしました。商品のご返送は不要です。", EVERYWHERE),
    ("발송되었습니다. 부재 시에는 택배사 앱에서 보관 장소를 지정하실 수 있습니다.", EVERYWHERE),
    ("因为发错了尺码，已退款，商品不用寄回。", EVERYWHERE),
    ("تم رد المبلغ لأن الكوب وصل مكسوراً. إذا لم يظهر خلال أسبوع فأخبرنا.", EVERYWHERE),
    ("We understand the wait has been long. Your parcel was shipped this morning.", EVERYWHERE),
    # numbers that are not phones: tracking numbers named after them, barcodes, postal codes, model years
    ("Kolinizi bugün 4412345678 takip numarasıyla kargoya veriyoruz.", EVERYWHERE),
    ("You can follow it here: https://www.ups.com/track?tracknum=4412345678 — the number is in your order too.",
     (X, T)),
    ("Il codice a barre sulla scatola, 8012345678901, serve solo al magazzino.", EVERYWHERE),
    ("Штрихкод 4609876543210 на упаковке — складская маркировка, с ним ничего делать не нужно.", EVERYWHERE),
    ("O CEP 04538-132 não bate com a rua informada. Pode conferir, por favor?", EVERYWHERE),
    ("Der Filter passt zu allen Modellen der Baujahre 2016–2021; nennen Sie uns bitte das Baujahr.", EVERYWHERE),
    ("رقم التتبع لدى SMSA هو 291234567890 وتظهر الشحنة في طريقها إلى جدة.", EVERYWHERE),
    # model codes are not messenger handles; a messenger as a product feature
    ("The model number is WA-3150, printed under the lid; the manual for it is on the product page.", EVERYWHERE),
    ("Il modello TG-88 è stampato sul fondo della scatola.", EVERYWHERE),
    ("型号WA-3150印在盖子内侧。", EVERYWHERE),
    ("모델명 WA-3150은 뚜껑 안쪽에 적혀 있습니다.", EVERYWHERE),
    ("Kulaklık WhatsApp görüntülü aramalarında da net ses veriyor.", EVERYWHERE),
    # a messenger brand's pay service chosen at the platform's own checkout
    ("결제 화면에서 카카오페이를 고르셔도 플랫폼을 통해 결제됩니다.", EVERYWHERE),
    ("在结算页面选择微信支付即可，款项通过平台收取。", EVERYWHERE),
    ("Auf der Kassenseite können Sie Google Pay wählen; bezahlt wird über die Plattform.", EVERYWHERE),
    # the carrier's official site, where the parcel is tracked
    ("顺丰官网显示包裹明天上午派送。", EVERYWHERE),
    ("快递官网上可以看到清关进度，您不需要做任何操作。", EVERYWHERE),
    # Taobao: the legal exceptions to 7-day no-reason returns
    ("Il formaggio è un prodotto alimentare: non è previsto il reso, ma se arriva rovinato la rimborsiamo.", (T,)),
    ("Конфеты — продукт питания, возврату не подлежат; если придут повреждёнными, вернём деньги.", (T,)),
    ("Las cortinas hechas a medida no admiten devolución, pero si llegan defectuosas las cambiamos.", (T,)),
    ("和菓子は食品のため、開封後の返品はお受けできません。破損していた場合は返金いたします。", (T,)),
    # Amazon: sale items in a return policy are not a promotion
    ("Sale items cannot be returned once the tag is removed.", (A,)),
    ("Les articles soldés ne sont ni repris ni échangés après 14 jours.", (A,)),
    ("Artículos rebajados: no se admiten devoluciones salvo defecto.", (A,)),
    ("セール品の返品・交換はお受けしておりません。", (A,)),
    ("세일 상품은 교환 및 반품이 불가합니다.", (A,)),
    # refusing to ask for a review change
    ("私どもがレビューの変更をお願いすることはございません。", EVERYWHERE),
    ("저희는 평가 수정을 요청하지 않습니다.", EVERYWHERE),
    ("نحن لا نقدم هدايا مقابل التقييمات ولا نطلب تعديلها.", EVERYWHERE),
    # the order's comment field and a gift-card message
    ('En el campo "comentarios" del pedido puede poner el texto de la tarjeta regalo.', EVERYWHERE),
    ("Dans le champ « commentaire » de la commande, indiquez le message de la carte cadeau.", EVERYWHERE),
    ("Tragen Sie den Text für die Geschenkkarte im Kommentarfeld der Bestellung ein.", EVERYWHERE),
    # "no need to cancel" is not asking to cancel; an IP rating is not a review
    ("No hace falta que anules el pedido: ya cambiamos la talla nosotros.", EVERYWHERE),
    ("This speaker has an IPX7 rating, so a splash of water will not harm it.", EVERYWHERE),
    # talking about posting without steering the buyer
    ("We will post the replacement part tomorrow.", EVERYWHERE),
]

# (text, platforms where it is blocked, the check that must fire there)
VIOLATIONS = [
    ("Your order has been shipped.", (A,), "order_confirmation"),
    ("Votre colis est arrivé au point relais. Bonne journée !", (A,), "order_confirmation"),
    ("Посылка прибыла в пункт выдачи и ждёт вас.", (A,), "order_confirmation"),
    ("已发货，请注意查收。", (A,), "order_confirmation"),
    ("Write to us on WA 612 345 678 for faster help.", EVERYWHERE, "phone"),
    ("Add me on WA-612345678 and I will send the photos.", EVERYWHERE, "phone"),
    ("加我微信支付宝都行，私下转账便宜10元。", EVERYWHERE, "off_platform_payment"),
    ("Pay me with KakaoPay directly and skip the platform fee.", EVERYWHERE, "off_platform_payment"),
    ("去我们官网下单更便宜。", EVERYWHERE, "off_platform_redirect"),
    ("Call me on 0612 345 678 about your tracking.", EVERYWHERE, "phone"),
    ("Sale items: give us five stars and get 5 euro back.", EVERYWHERE, "review_manipulation"),
    ("本店商品一律不接受7天无理由退货。", (T,), "after_sales_terms"),
    # condescension: reading trouble, "too complicated for you", "in simple words"
    ("The pictures in the guide are there for people who have trouble reading.", EVERYWHERE, "insult"),
    ("Die Bilder sind für Kunden mit Schwierigkeiten beim Lesen gedacht.", EVERYWHERE, "insult"),
    ("Peut-être que ce mixeur est trop compliqué pour vous.", EVERYWHERE, "insult"),
    ("Kann sein, dass der Router zu kompliziert für Sie ist.", EVERYWHERE, "insult"),
    ("Может быть, эта кофеварка слишком сложна для вас.", EVERYWHERE, "insult"),
    ("Misschien is deze camera te ingewikkeld voor u.", EVERYWHERE, "insult"),
    ("Dobrze, wytłumaczymy prostymi słowami: kabel wkłada się do portu.", EVERYWHERE, "insult"),
    ("好吧，用简单的话再说一遍：插头插进插座。", EVERYWHERE, "insult"),
    # steering the buyer away from saying anything in public, with no review word
    ("Before you post anything about the scratch, let us sort it out here.", EVERYWHERE, "review_manipulation"),
    ("Avant de publier quoi que ce soit sur la casse, écrivez-nous.", EVERYWHERE, "review_manipulation"),
    ("Schreiben Sie uns bei Problemen lieber direkt statt öffentlich.", EVERYWHERE, "review_manipulation"),
    ("Se algo deu errado, fale com a gente em vez de postar.", EVERYWHERE, "review_manipulation"),
]


@pytest.mark.parametrize(("text", "platforms"), INNOCENT)
def test_round12_innocent_messages_pass(text: str, platforms: tuple[str, ...]) -> None:
    """Each legitimate message is sent on the platforms whose rules allow it."""
    for platform in platforms:
        assert_not_blocked(text, None, platform)


@pytest.mark.parametrize(("text", "blocked_on", "check"), VIOLATIONS)
def test_round12_violations_are_still_blocked(text: str, blocked_on: tuple[str, ...], check: str) -> None:
    """Each violation next to a fixed false block is still blocked by its check where forbidden."""
    assert_blocked_where_forbidden(text, blocked_on, check)
