"""Round 16 (dev set L, a new writer): each class of miss or false block read from the structure of
the message, every violation beside the hard negative that shares its words, in several languages —
phrasings written for these tests, not the dev set's sentences."""

from __future__ import annotations

import pytest

from autoreply.compliance import check_text

A, X, T = "amazon", "aliexpress", "taobao"
EVERYWHERE = (A, X, T)

# (violation, platforms that block it, the check that blocks it, its hard negative — passes everywhere)
ROWS: list[tuple[str, tuple[str, ...], str, str]] = [
    # a claim, case or return request dropped for money: a drop word and a case noun, not a set phrase
    ("We'll send you a $10 gift card if you withdraw the A-to-z claim this week.", (A,), "incentive",
     "Could you tell us why you opened the A-to-z claim? We would like to fix the problem with the hinge."),
    ("Wenn Sie den Rückgabeantrag zurückziehen, erhalten Sie von uns einen Gutschein über 15 €.", (A,), "incentive",
     "Sie können den Rückgabeantrag jederzeit selbst zurückziehen, falls sich das Problem erledigt hat."),
    ("Si vous clôturez votre litige aujourd'hui, nous vous offrons un bon d'achat de 20 €.", (A,), "incentive",
     "Le litige a été clôturé par la plateforme et le remboursement complet est en cours."),
    ("Als u de klacht intrekt, storten wij € 12 terug op uw rekening.", (A,), "incentive",
     "Wilt u de klacht intrekken? Dat bepaalt u zelf, wij sturen in elk geval een nieuwe lader."),
    ("Jeśli wycofa Pan reklamację, dostanie Pan od nas bon na 30 zł.", (A,), "incentive",
     "Reklamację można wycofać w każdej chwili w zakładce Moje zamówienia."),
    ("Şikayetinizi kapatırsanız size 50 TL hediye çeki göndereceğiz.", (A,), "incentive",
     "Şikayetiniz platform tarafından kapatıldı, tam iade hesabınıza yapıldı."),
    ("Если вы закроете спор, мы подарим вам купон на 300 рублей.", (A,), "incentive",
     "Если спор закроет платформа, полный возврат придёт автоматически; есть ли у вас вопросы по размеру?"),
    ("如果您撤销投诉，我们送您一张20元优惠券。", (A,), "incentive",
     "投诉的问题我们已经记下了，请问新的配件需要寄到原地址吗？"),
    # money said in words or as a share of the price
    ("Keep the lamp and we'll refund thirty percent of what you paid.", (A,), "incentive",
     "Thirty percent of buyers choose the larger size, so check the chart before ordering."),
    ("Behalten Sie den Mantel, und wir erstatten Ihnen die Hälfte.", (A,), "incentive",
     "Die Hälfte der Teile liegt im ersten Karton, die andere Hälfte im zweiten."),
    ("Quédese con la silla y le devolvemos la mitad del precio.", (A,), "incentive",
     "La mitad de las piezas va en la primera caja y la otra mitad en la segunda."),
    ("Ürünü saklarsanız ödediğiniz tutarın %30'unu iade ederiz.", (A,), "incentive",
     "Ürünü iade ederseniz ödediğiniz tutarın tamamını iade ederiz."),
    ("إذا احتفظت بالطاولة سنعيد لك ٪30 من السعر.", (A,), "incentive",
     "إذا أرجعت الطاولة سنعيد لك كامل المبلغ."),
    # confirming receipt, for a gift
    ("Confirm receipt today and we'll add a free phone stand to your next order.", (A,), "incentive",
     "Please confirm receipt only once the parcel has actually arrived."),
    ("Si confirma la recepción hoy, le regalamos un cupón de 5 €.", (A,), "incentive",
     "¿Podría confirmar la recepción solo cuando tenga el paquete en sus manos? Gracias."),
    ("确认收货后就送您一个小礼品。", (A,), "incentive",
     "收到货之后再确认收货就可以了，不着急。"),
    # a review asked of happy buyers, the others sent to the seller ("otherwise … write to us")
    ("If you love the scarf, a five-star review would be great; otherwise please message us first.", EVERYWHERE,
     "review_manipulation", "If the scarf is not what you expected, please message us and we will exchange it."),
    ("Si le encanta, déjenos una reseña; de lo contrario, escríbanos antes y lo arreglamos.", EVERYWHERE,
     "review_manipulation", "Si algo no funciona, escríbanos y lo arreglamos enseguida."),
    ("Wenn Sie zufrieden sind, freuen wir uns über eine Bewertung, ansonsten schreiben Sie uns bitte.", EVERYWHERE,
     "review_manipulation", "Wenn etwas nicht passt, schreiben Sie uns bitte, wir tauschen es um."),
    ("Jeśli jest Pan zadowolony, prosimy o opinię, w przeciwnym razie prosimy o kontakt z nami.", EVERYWHERE,
     "review_manipulation", "W razie problemów prosimy o kontakt z nami, wymienimy produkt."),
    ("如果满意请给个评价，否则请先联系客服。", EVERYWHERE, "review_manipulation",
     "如果尺码不合适，请联系客服为您换货。"),
    # a review the buyer wrote, read by the seller, is not asked to be changed; "hp" is a review in Taobao slang
    ("麻烦把追评删掉，我们给您补偿5元。", EVERYWHERE, "review_manipulation",
     "看到您的追评说颜色有点色差，已经给您补发一件新的，不用寄回。"),
    ("写个hp带图，返您3元红包。", EVERYWHERE, "review_manipulation",
     "HP打印机的墨盒已经补发，请注意查收。"),
    # words spelled out letter by letter, two spaces between the words
    ("You can settle the rest via P-a-y-P-a-l  F-r-i-e-n-d-s to my account.", EVERYWHERE, "off_platform_payment",
     "The rest is settled automatically through the platform's checkout."),
    ("Zamów następnym razem w naszym s k l e p i e  i n t e r n e t o w y m, będzie taniej.", EVERYWHERE,
     "off_platform_redirect", "Następnym razem zamówienie złoży Pan tak samo, przez platformę."),
    ("Bezahlen Sie bitte per W e s t e r n  U n i o n an unseren Fahrer.", EVERYWHERE, "off_platform_payment",
     "Bezahlen Sie bitte nur über den Checkout der Plattform."),
    # inflected payment words, the platform skipped, the seller's own shop
    ("Farkı banka havalesiyle gönderirseniz hemen kargolarız.", EVERYWHERE, "off_platform_payment",
     "Fark ödemesi yalnızca platformun ödeme sayfasından yapılır."),
    ("以后买东西不走淘宝，直接找我下单更便宜。", EVERYWHERE, "off_platform_payment",
     "下次有需要还是在平台上正常下单就可以，我们会尽快发货。"),
    ("المرة القادمة اشتر منا مباشرة من متجرنا الخاص بسعر أقل.", EVERYWHERE, "off_platform_redirect",
     "المرة القادمة يمكنك الطلب من صفحة المتجر على المنصة كالمعتاد."),
    # a German negation inflected ("keinen eigenen Onlineshop") negates the redirect
    ("Bestellen Sie nächstes Mal in unserem eigenen Onlineshop, dort ist es günstiger.", EVERYWHERE,
     "off_platform_redirect", "Wir haben keinen eigenen Onlineshop; wir verkaufen nur hier."),
    # Taobao: the no-reason return refused anywhere in its sentence, or kept for members only
    ("七天无理由退换这个我们店是不支持的哦。", (T,), "after_sales_terms",
     "本店所有商品都支持七天无理由退换，请放心购买。"),
    ("7天无理由退货我们这边不提供哦，请谅解。", (T,), "after_sales_terms",
     "支持七天无理由退货，不提供运费险，也不接受到付件哦。"),
    ("七天无理由退货只对会员开放，其他买家请谅解。", (T,), "after_sales_terms",
     "定制刻字商品依法不适用七天无理由退货，其他商品都支持。"),
    ("本 店 不 支 持 7 天 无 理 由 退 货。", (T,), "after_sales_terms",
     "本店支持7天无理由退货，运费险已为您购买。"),
    # a quality problem answered with repair only, or a window the buyer may "only then" use
    ("有质量问题也只能返厂维修，不能换新哦。", (T,), "after_sales_terms",
     "有质量问题可以直接换新，也可以选择退款，您看哪种方便。"),
    ("收货后两天内才能申请退货，过了就不处理了。", (T,), "after_sales_terms",
     "收货后七天内都可以申请退货，十五天内质量问题可以换货。"),
    # an exception voided when quality problems are sent to the manufacturer
    ("生鲜商品签收后一律不退不换，质量问题请自己找厂家。", (T,), "after_sales_terms",
     "生鲜商品依法不支持七天无理由退货，如有质量问题请联系我们处理。"),
    # Japanese: the no-reason return "not handled"
    ("アウトレット品は理由を問わない返品には対応しておりません。", (T,), "after_sales_terms",
     "アウトレット品も7日間は理由を問わず返品を受け付けております。"),
    # asking the buyer to cancel without a please-word: "you need to cancel", "can you cancel?"
    ("The blue one is sold out, so you'll need to cancel the order on your side.", (A,), "ask_to_cancel",
     "The blue one is sold out, so we have cancelled the order on our side; you don't need to do anything."),
    ("Das Modell ist ausverkauft, Sie müssen die Bestellung stornieren.", (A,), "ask_to_cancel",
     "Das Modell ist ausverkauft; wir haben die Bestellung storniert, Sie müssen nichts tun."),
    ("Le modèle est épuisé : pouvez-vous annuler la commande ?", (A,), "ask_to_cancel",
     "Le modèle est épuisé : nous avons annulé la commande et le remboursement est automatique."),
    ("Ürün tükendi, siparişi iptal etmelisiniz.", (A,), "ask_to_cancel",
     "Ürün tükendi, siparişi biz iptal ettik; sizin bir şey yapmanıza gerek yok."),
    ("该颜色缺货了，需要您自己取消订单。", (A,), "ask_to_cancel",
     "该颜色缺货了，我们这边已经帮您取消订单，不需要您操作。"),
    # why the buyer cancelled, asked as "was there a problem?"
    ("You cancelled your order yesterday: was there a problem with the listing?", (A,), "cancel_reason",
     "Your order is on its way: was there a problem with the listing photos you wanted us to check?"),
    ("Hemos visto que canceló el pedido. ¿Hubo algún problema con la talla?", (A,), "cancel_reason",
     "Su pedido ya está en camino. ¿Necesita la talla más grande?"),
    ("Sie haben die Bestellung storniert – gab es ein Problem mit der Lieferzeit?", (A,), "cancel_reason",
     "Die Lieferung ist unterwegs – haben Sie noch eine Frage zur Lieferzeit?"),
    # new or matching products announced, the shop named in the next clause
    ("We've just added matching pillow covers; you'll find them in our store.", (A,), "promotion",
     "We've just added the tracking number; you'll find it on your order page."),
    ("Wir haben passende Hüllen neu hinzugefügt; Sie finden sie in unserem Shop.", (A,), "promotion",
     "Wir haben gerade die Sendungsnummer ergänzt; Sie finden sie in Ihrer Bestellübersicht."),
    ("Abbiamo appena aggiunto custodie abbinate; le troverà nel nostro negozio.", (A,), "promotion",
     "Abbiamo appena aggiunto il numero di tracciamento; lo troverà nei dettagli dell'ordine."),
]

# "[Important]" spelled out letter by letter on a message that is not essential, beside an essential one
# (customisation asked for politely: "bildirmenizi rica ederiz")
SUBJECTS: list[tuple[str, str, str, str]] = [
    ("[ I m p o r t a n t ] Hello again", "We hope the blender is working well for you.",
     "[Important] Engraving text", "Please tell us the name to engrave on your custom bracelet."),
    ("[W-i-c-h-t-i-g] Kurze Frage", "Wie gefällt Ihnen die neue Lampe?",
     "[Wichtig] Gravurtext", "Bitte teilen Sie uns den Namen für die Gravur Ihres personalisierten Rings mit."),
    ("[Ö n e m l i] Merhaba", "Yeni çaydanlığınızı beğendiniz mi?",
     "[Önemli] Kişiye özel baskı", "Kişiye özel kupanız için yazılacak ismi bildirmenizi rica ederiz."),
    ("【重 要】您好", "新买的台灯用得还习惯吗？",
     "【重要】刻字内容确认", "请告诉我们定制手链上需要刻的名字。"),
]

# named incentives that describe the listing or the box, not an offer to this buyer
LISTED = [
    "Every order ships with a free cleaning cloth; it sits in the side pocket of the box.",
    "Der Lieferumfang enthält ein kostenloses Ladekabel, es liegt unter dem Einsatz.",
    "La fiche produit mentionne un cadeau gratuit : c'est la housse, livrée avec chaque commande.",
    "商品详情页写的赠品是收纳袋，每个订单都有，在盒内。",
]


@pytest.mark.parametrize(("text", "blocked_on", "check", "negative"), ROWS)
def test_round16_violation_is_blocked_where_forbidden(text: str, blocked_on: tuple[str, ...], check: str,
                                                       negative: str) -> None:
    """The violation is blocked by its check on every platform whose rules forbid it."""
    for platform in blocked_on:
        verdict = check_text(platform=platform, subject=None, body=text)
        assert check in {f.check for f in verdict.findings if f.severity == "block"}, (platform, verdict)


@pytest.mark.parametrize(("text", "blocked_on", "check", "negative"), ROWS)
@pytest.mark.parametrize("platform", EVERYWHERE)
def test_round16_hard_negative_passes(text: str, blocked_on: tuple[str, ...], check: str, negative: str,
                                      platform: str) -> None:
    """The hard negative beside it, sharing its words, is not blocked on any platform."""
    assert check_text(platform=platform, subject=None, body=negative).verdict != "block"


@pytest.mark.parametrize("text", LISTED)
@pytest.mark.parametrize("platform", EVERYWHERE)
def test_round16_free_item_of_the_listing_is_no_incentive(text: str, platform: str) -> None:
    """A free item the listing or every order includes is described, not offered: no incentive."""
    verdict = check_text(platform=platform, subject=None, body=text)
    assert "incentive" not in {f.check for f in verdict.findings}, verdict


@pytest.mark.parametrize(("subject", "body", "essential_subject", "essential_body"), SUBJECTS)
def test_round16_spelled_important_tag_blocks_a_message_that_is_not_essential(
        subject: str, body: str, essential_subject: str, essential_body: str) -> None:
    """"[Important]" spelled out on a message that is not essential is blocked on Amazon; on an essential
    message (customisation details asked for) it passes."""
    verdict = check_text(platform=A, subject=subject, body=body)
    assert "important_subject" in {f.check for f in verdict.findings if f.severity == "block"}, verdict
    assert check_text(platform=A, subject=essential_subject, body=essential_body).verdict != "block"
