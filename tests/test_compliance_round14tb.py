"""Round 14 recall on two weak classes, each in several languages: Amazon incentives given for an act
of the buyer (keeping the order, not returning it, dropping a case, a photo, a referral) and Taobao
after-sales terms (refusals, hygiene and digital exceptions, short windows, late refunds, return
postage on a quality problem), beside hard negatives that use the same words lawfully."""

from __future__ import annotations

import pytest

from autoreply.compliance import ComplianceEngine, check_text

A, T = "amazon", "taobao"
RULES = ComplianceEngine(use_classifier=False)

# (text, platform, check): a violation the rules alone must block on that platform
VIOLATIONS = [
    # something given for keeping the order or not returning it
    ("Keep the item and we'll send you a $10 voucher for your next order.", A, "incentive"),
    ("If you don't return it, we'll refund 30% and you keep the lamp.", A, "incentive"),
    ("Wenn Sie den Artikel behalten, erstatten wir Ihnen 15 Euro.", A, "incentive"),
    ("Si vous gardez l'article, nous vous remboursons 10 €.", A, "incentive"),
    ("Si se queda con el producto le devolvemos el 20 %.", A, "incentive"),
    ("Als u het artikel houdt, krijgt u 10 euro terug.", A, "incentive"),
    ("Jeśli zatrzyma Pan produkt, zwrócimy 20 zł.", A, "incentive"),
    ("Ürünü iade etmezseniz size 50 TL geri ödeme yapacağız.", A, "incentive"),
    ("إذا احتفظت بالمنتج سنعيد لك 20 ريالا.", A, "incentive"),
    ("返品しないでいただければ、1000円を返金いたします。", A, "incentive"),
    ("반품하지 않으시면 5천원을 환불해 드립니다.", A, "incentive"),
    ("如果您不退货，我们给您返20元。", A, "incentive"),
    # something given for dropping a case
    ("Close the case and we'll give you 20 dollars back.", A, "incentive"),
    ("Если вы не будете открывать спор, мы вернём вам 500 рублей.", A, "incentive"),
    ("Se non apre una contestazione le regaliamo un secondo cuscino.", A, "incentive"),
    ("Si no abre una reclamación, le enviamos otra unidad gratis.", A, "incentive"),
    # something given for a photo, a video or a friend
    ("Share a photo of the lamp in your living room and receive a free bulb.", A, "incentive"),
    ("Schicken Sie uns ein Foto und Sie erhalten einen Gutschein.", A, "incentive"),
    ("Envoyez-nous une vidéo du produit et recevez un cadeau.", A, "incentive"),
    ("Stuur ons een foto van de mand in gebruik en ontvang 5 euro terug.", A, "incentive"),
    ("Za każde zdjęcie produktu w użyciu dostanie Pan kupon rabatowy.", A, "incentive"),
    ("Para cada amigo que compre la lámpara le regalamos un vale de 5 €.", A, "incentive"),
    ("Withdraw your A-to-z claim and we'll send a complimentary pillow.", A, "incentive"),
    ("Se tiene il prodotto le rimborsiamo il 30%.", A, "incentive"),
    ("Behalten Sie den Artikel, dann schenken wir Ihnen einen 10-€-Gutschein.", A, "incentive"),
    ("Оставьте товар себе, и мы подарим вам второй чехол.", A, "incentive"),
    # Taobao: refusals of the 7-day no-reason return for goods that qualify
    ("亲，活动款一经售出不支持退货，请谅解。", T, "after_sales_terms"),
    ("亲，签收以后概不退货的哈。", T, "after_sales_terms"),
    ("七天无理由？我们店不支持这个哦。", T, "after_sales_terms"),
    ("特价🔥不退🔥不换", T, "after_sales_terms"),
    ("本店商品签收后不接受任何理由退换。", T, "after_sales_terms"),
    ("玩具拆了包装就不能七天无理由了。", T, "after_sales_terms"),
    ("衣服洗过一次就褪色了，但洗过的一律不退。", T, "after_sales_terms"),
    ("清仓款 b t b h，介意勿拍。", T, "after_sales_terms"),
    ("Once you sign for the parcel we can no longer accept a return.", T, "after_sales_terms"),
    ("We can only offer an exchange, no refund.", T, "after_sales_terms"),
    ("签收了就代表您认可商品，不能再退货了。", T, "after_sales_terms"),
    ("할인 상품은 교환 및 환불이 불가합니다.", T, "after_sales_terms"),
    # windows shorter than the rules, or counted from the order
    ("亲，退货只支持3天内申请哦，超过就不行了。", T, "after_sales_terms"),
    ("亲，退货需要在签收2天内提出。", T, "after_sales_terms"),
    ("售后只受理签收后4天内的问题。", T, "after_sales_terms"),
    ("双十一期间的订单退货期缩短为两天。", T, "after_sales_terms"),
    ("无理由退货的7天是从付款时间开始算的。", T, "after_sales_terms"),
    ("收到货超过12小时就不接受破损投诉了。", T, "after_sales_terms"),
    ("Returns must be requested within 3 days of receipt.", T, "after_sales_terms"),
    ("You have 3 days to request a return, after that we can't help.", T, "after_sales_terms"),
    ("Вернуть товар можно только в течение 3 дней.", T, "after_sales_terms"),
    # refunds put off past the rule, postage on a quality problem
    ("退款会在我们收到货后30天内处理。", T, "after_sales_terms"),
    ("退款申请一般一个月以后才处理。", T, "after_sales_terms"),
    ("退款将在下个月月初统一打款。", T, "after_sales_terms"),
    ("Your refund will be processed 60 days after we receive the item.", T, "after_sales_terms"),
    ("Возврат денег производится через 45 дней после получения товара.", T, "after_sales_terms"),
    ("El reembolso se realiza 60 días después de recibir la devolución.", T, "after_sales_terms"),
    ("Zwrot pieniędzy nastąpi po 30 dniach od otrzymania paczki.", T, "after_sales_terms"),
    ("For defective items, please pay the return postage yourself.", T, "after_sales_terms"),
    ("Refunds are sent one month after we receive your return.", T, "after_sales_terms"),
    ("Деньги вернём через месяц после получения возврата.", T, "after_sales_terms"),
    ("환불은 반품 도착 후 한 달 뒤에 진행됩니다.", T, "after_sales_terms"),
    ("O reembolso é feito 40 dias após recebermos a devolução.", T, "after_sales_terms"),
    ("İade süresi 3 gündür.", T, "after_sales_terms"),
    ("Since the zipper is defective you can return it, but the return shipping is on you.", T, "after_sales_terms"),
    ("质量问题退货也要扣除运费8元。", T, "after_sales_terms"),
]

# (text, platform): lawful messages using the same words; never blocked there
INNOCENT = [
    # a normal refund or replacement for a problem, warranty, gift wrap
    ("Since the lamp arrived cracked, we have issued a full refund; no need to return it.", A),
    ("You can keep the damaged unit; a free replacement ships today.", A),
    ("Your item is covered by a 2-year warranty.", A),
    ("If you'd rather keep it, you can still return it within 30 days for a refund.", A),
    ("Please keep the original packaging in case you need to return it.", A),
    ("Please send a photo of the damage so we can arrange a replacement.", A),
    ("Si des fruits arrivent abîmés, envoyez-nous une photo et nous vous rembourserons.", A),
    ("Bitte schicken Sie uns ein Foto vom Schaden, damit wir Ersatz schicken können.", A),
    ("Jeśli truskawki dotrą zgniecione, prosimy o zdjęcie – zwrócimy pieniądze.", A),
    ("We do not give gifts or refunds in exchange for photos or for keeping an order.", A),
    ("파손된 부분의 사진을 보내주시면 교환해 드리겠습니다.", A),
    ("由于商品有破损，我们已为您全额退款。", A),
    ("Wenn Sie den Artikel behalten möchten, ist das kein Problem; die Garantie gilt zwei Jahre.", A),
    # Taobao: correct terms and the legal exceptions
    ("亲，本店支持七天无理由退货，无理由退货的运费需要您承担哦。", T),
    ("亲，清仓商品同样享受7天无理由退货和15天质量问题换货。", T),
    ("内衣拆封后出于卫生原因不支持无理由退货，质量问题除外。", T),
    ("化妆品拆封后不支持七天无理由退货，未拆封可以退。", T),
    ("已激活的充值卡不支持无理由退货。", T),
    ("定制刻字的商品不支持无理由退换，敬请谅解。", T),
    ("收到退货后我们会在48小时内为您退款。", T),
    ("退款已经提交，一般1-3个工作日到账。", T),
    ("银行卡退款到账时间以银行为准，一般3-15个工作日。", T),
    ("签收后30天内都可以申请退款，请放心。", T),
    ("质量问题运费您先垫付，收到后我们马上补给您。", T),
    ("Opened underwear cannot be returned for hygiene reasons unless it is defective.", T),
    ("We refund within 3 days after the return arrives.", T),
    ("You can request a refund within 30 days of delivery.", T),
    ("Your bank may take up to 10 business days to show the refund.", T),
    ("Returns must be requested within 7 days of receipt; quality problems within 15 days.", T),
    ("Деньги вернём в течение 3 дней после получения возврата.", T),
    ("Die Rückerstattung erfolgt innerhalb von 5 Tagen nach Eingang.", T),
    ("返金は返品到着後3営業日以内に行います。", T),
    ("亲，退货申请我们已经同意，请在7天内寄回。", T),
    ("If you keep the item, you can still contact us later about any issue.", A),
    ("Si prefiere quedarse con el artículo, no hay problema; la garantía es de dos años.", A),
    ("写真を送っていただければ、交換品を手配いたします。", A),
    ("Feel free to send us a photo if you want us to check the colour.", A),
    ("If you keep the order, the gift wrap you chose will be included.", A),
    ("Feel free to keep the old cable, and if you send a photo of the new one we can confirm the fit.", A),
    ("超过15天未发货，我们会主动退款。", T),
    ("国际物流一般15天左右到，到了之后可以申请退款。", T),
    ("发货后30天内如需退款请联系客服。", T),
    ("Wenn Sie das Gerät behalten möchten, können wir es kostenlos reparieren.", A),
    ("Si vous gardez l'emballage, le retour sera plus simple.", A),
    ("Деньги поступят на карту в течение 3 дней после возврата.", T),
    ("亲，退款已处理，银行卡退款一般需要7-15个工作日，以银行为准。", T),
    ("The return period is 30 days from delivery.", T),
]


@pytest.mark.parametrize(("text", "platform", "check"), VIOLATIONS)
def test_round14tb_violations_are_blocked_by_the_rules_alone(text: str, platform: str, check: str) -> None:
    """Each violation is blocked by its check on its platform, without the learned classifier."""
    verdict = RULES.check(platform=platform, subject=None, body=text)
    assert check in {f.check for f in verdict.findings if f.severity == "block"}, verdict


@pytest.mark.parametrize(("text", "platform"), INNOCENT)
def test_round14tb_hard_negatives_pass(text: str, platform: str) -> None:
    """Refunds and replacements for a problem, warranties, correct terms and the legal exceptions pass."""
    verdict = check_text(platform=platform, subject=None, body=text)
    assert verdict.verdict != "block", verdict
