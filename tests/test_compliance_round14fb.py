"""Round 14 false blocks, each class in several languages beside the violations that look like it:
messengers and wallets named as what a device or an app does, serial numbers and IMEIs, fraud
warnings that ask the buyer to report a message, Taobao's legal exceptions, essential "[Important]"
messages and how-to-cancel answers."""

from __future__ import annotations

import pytest

from autoreply.compliance import check_text
from tests.test_compliance_round10 import assert_blocked_where_forbidden, assert_not_blocked

A, X, T = "amazon", "aliexpress", "taobao"
EVERYWHERE = (A, X, T)

# (text, platforms where it is blocked, the check that must fire there)
VIOLATIONS = [
    # a messenger as a contact channel, beside a device or an app word
    ("Add me on WeChat: abc123, I'll explain how the tablet works.", EVERYWHERE, "messenger"),
    ("For questions about the tablet, message the shop on WhatsApp.", EVERYWHERE, "messenger"),
    ("WhatsApp is the quickest way to get help with the printer.", EVERYWHERE, "messenger"),
    ("Our WeChat account is printed on the router's box.", EVERYWHERE, "messenger"),
    ("Schreiben Sie uns auf WhatsApp, dann erklären wir Ihnen die Installation am Tablet.", EVERYWHERE, "messenger"),
    ("Pour toute question sur l'imprimante, contactez-nous sur Viber.", EVERYWHERE, "messenger"),
    ("Si tiene dudas con la tableta, escríbanos por Telegram.", EVERYWHERE, "messenger"),
    ("Вопросы по планшету задавайте в Telegram, там отвечаем быстрее.", EVERYWHERE, "messenger"),
    ("タブレットの設定はLINEでご相談ください。", EVERYWHERE, "messenger"),
    ("태블릿 사용법은 카카오톡으로 문의 주세요.", EVERYWHERE, "messenger"),
    ("平板怎么用，加我微信我教您。", EVERYWHERE, "messenger"),
    ("打印机有问题请联系微信客服。", EVERYWHERE, "messenger"),
    ("Install WeChat and add our shop: shop77.", EVERYWHERE, "messenger"),
    ("Download WhatsApp on your phone and send the photo to our shop.", EVERYWHERE, "messenger"),
    ("Download Telegram and search for our channel TabletDeals.", EVERYWHERE, "messenger"),
    ("On your tablet, open WhatsApp and message the seller for a discount.", EVERYWHERE, "messenger"),
    ("Download WeChat and scan the QR code on the printer box to add our engineer.", EVERYWHERE, "messenger"),
    ("下载微信，扫描打印机包装上的二维码添加工程师。", EVERYWHERE, "messenger"),
    ("태블릿 설정은 카카오톡으로 알려드릴게요.", EVERYWHERE, "messenger"),
    ("Le explicamos la configuración de la tableta por WhatsApp.", EVERYWHERE, "messenger"),
    ("Wir erklären Ihnen die Einrichtung des Tablets per WhatsApp.", EVERYWHERE, "messenger"),
    # a wallet named with a device, but the money goes to the seller
    ("Please pay via WeChat Pay to my account, it's cheaper.", EVERYWHERE, "off_platform_payment"),
    ("We accept Alipay directly for the POS terminal, it saves the fees.", EVERYWHERE, "off_platform_payment"),
    ("收银机的钱直接微信支付给我，便宜20元。", EVERYWHERE, "off_platform_payment"),
    ("카카오페이로 저희 계좌에 직접 송금해 주세요.", EVERYWHERE, "off_platform_payment"),
    # a phone number beside a serial number, an IMEI or a batch
    ("El número de serie está en la caja; para cualquier duda llámenos al 0612 345 679.", EVERYWHERE, "phone"),
    ("Serial number 4471 2093 88, and for support call me at 0612 345 678.", EVERYWHERE, "phone"),
    ("The serial is on the box, or just text 0612 345 678.", EVERYWHERE, "phone"),
    ("Seriennummer auf dem Karton, bei Fragen Handy 0171 2345678.", EVERYWHERE, "phone"),
    ("IMEI可以在设置里查看，有问题打我手机13812345678。", EVERYWHERE, "phone"),
    # a payment request beside a fraud warning's words
    ("계좌이체로 결제해 주세요. 다른 메시지를 받으시면 무시하세요.", EVERYWHERE, "off_platform_payment"),
    ("Pay by bank transfer to our account; if you receive a request from anyone else, ignore it.",
     EVERYWHERE, "off_platform_payment"),
    ("请直接微信转账给我，便宜10元。", EVERYWHERE, "off_platform_payment"),
]

# Taobao: after-sales terms stated wrongly, beside the lawful exceptions they resemble
TAOBAO_VIOLATIONS = [
    "内裤不支持无理由退货。",
    "化妆品一律不退不换。",
    "Underwear cannot be returned.",
    "Fruit-print dresses cannot be returned.",
    "Opened cosmetics cannot be returned, even if defective.",
    "内裤拆封后，质量问题也不支持退货。",
    "质量问题3天内包换，7天无理由退货。",
    "3天无理由退货和15天质量问题换货。",
    "7天无理由退货和10天质量问题换货。",
]

# Taobao: the lawful exceptions (fresh and live goods; underwear, cosmetics, cards once opened or activated)
TAOBAO_INNOCENT = [
    "Fresh fruit is excluded from 7-day no-reason returns; if it arrives damaged, send us a photo within 24 hours.",
    "Świeże owoce nie podlegają 7-dniowemu zwrotowi bez podania przyczyny.",
    "신선 식품은 7일 무이유 반품 대상에서 제외됩니다.",
    "Les fruits frais sont exclus du retour sous 7 jours sans motif.",
    "Las frutas frescas no admiten devolución de 7 días sin motivo.",
    "活鱼活虾类商品不支持7天无理由退货，请您收货后尽快处理。",
    "内裤属于贴身衣物，出于卫生考虑拆封后不支持无理由退货；未拆封的在签收7天内可以退。",
    "化妆品开封使用后不支持无理由退货，未拆封的签收7天内可以办理。",
    "已激活的储值卡不支持无理由退货，未激活的可以在签收7天内退回。",
    "Opened underwear cannot be returned for hygiene reasons.",
    "Kosmetyki po otwarciu nie podlegają zwrotowi.",
    "Geöffnete Kosmetik ist vom Umtausch ausgeschlossen.",
    "清仓商品同样享受7天无理由退货和15天质量问题换货，您放心。",
]

# Amazon: "[Important]" on a message that is not essential, beside the essential ones it resembles
IMPORTANT_MISUSED = [
    ("[Important] A little surprise for you", "We hope you're enjoying your purchase! Have a great weekend."),
    ("[Important] News", "Our delivery is now faster! Please check our new collection."),
    ("[Important] Your order", "Your parcel was delivered today. Please let us know if you like it."),
    ("[Important] Our store", "Custom designs are back. Please tell us your name to join the club."),
    ("[Importante] Novità", "La consegna è gratuita questo mese. Buona giornata!"),
    ("[중요] 안내", "배송이 완료되었습니다. 감사합니다."),
]

# Amazon: essential messages under "[Important]" (delivery scheduling, custom details)
IMPORTANT_ESSENTIAL = [
    ("[Importante] Consegna del divano", "Per la consegna del divano serve fissare un appuntamento con il corriere: "
     "ci indichi un giorno e una fascia oraria."),
    ("[중요] 각인 정보", "주문하신 머그컵에 새길 이름을 알려주세요."),
    ("[중요] 배송 일정", "대형 가구 배송을 위해 배송 날짜를 정해야 합니다. 편하신 날짜를 알려주세요."),
    ("[Important] Ustalenie terminu dostawy narożnika", "Narożnik zostanie dostarczony przez firmę kurierską z "
     "wniesieniem. Prosimy o wybór terminu: 19 lub 21 czerwca, w godz. 9–15."),
    ("[Important] تحديد موعد توصيل الثلاجة",
     "ثلاجتك جاهزة للتوصيل والتركيب. يرجى اختيار الموعد المناسب: الإثنين أو الأربعاء."),
    ("[Important] Custom size confirmation for your blinds", "Before we cut your roller blinds we need to "
     "double-check the measurements: you entered width 1200 cm. Please confirm the width in centimetres."),
    ("[Wichtig] Lieferung Ihres Schranks", "Die Spedition liefert nächste Woche. Welcher Tag passt Ihnen am besten?"),
    ("[Importante] Entrega de su sofá",
     "¿Qué día le viene bien para la entrega? Indíquenos también una franja horaria."),
]

# Amazon: asking the buyer to cancel, beside how-to-cancel answers
# Amazon: a discount or a bare refund confirmation, beside an agreed partial refund with a listing fix
AMAZON_VIOLATIONS = [
    ("Summer sale -25% on all rugs!", "promotion"),
    ("Alles im Angebot: -15 % auf alle Teppiche.", "promotion"),
    ("Rugs - 25% off this week only.", "promotion"),
    ("Your refund has been issued to your original payment method.", "order_confirmation"),
    ("Your refund of 25% has gone back to your original payment method.", "order_confirmation"),
]

AMAZON_INNOCENT = [
    "You asked about a partial refund for the colour difference. That's fine with us - 25% of the price has gone "
    "back to your original payment method, and the photo on the listing is being corrected.",
    "Abbiamo rimborsato il 20% come concordato; la foto dell'inserzione è stata corretta.",
    "Zwróciliśmy 30% ceny zgodnie z ustaleniami, a opis produktu został poprawiony.",
]

ASK_TO_CANCEL = [
    "请您取消订单，我们没货了。",
    "如需退款，请取消订单。",
    "我们缺货了，请在订单页面取消订单。",
    "We ask you to cancel the order, as we are out of stock.",
    "Bitte stornieren Sie die Bestellung, wir haben keinen Bestand mehr.",
    "Möchten Sie die Bestellung bitte stornieren?",
    "Por favor, cancele el pedido, no tenemos stock.",
    "Пожалуйста, отмените заказ, товара нет.",
    "재고가 없어서 주문을 취소해 주세요.",
    "يرجى إلغاء الطلب لأن المنتج غير متوفر.",
]

HOW_TO_CANCEL = [
    "如需取消订单，请在订单页面操作。",
    "您好，如需取消订单，请在“我的订单”页面点击取消。",
    "如果您想取消订单，请在订单详情页申请。",
    "キャンセルをご希望の場合は、注文履歴からお手続きください。",
    "Se desidera annullare l'ordine, lo faccia dalla pagina I miei ordini.",
    "Aby anulować zamówienie, prosimy skorzystać z zakładki Moje zamówienia.",
    "İptal etmek isterseniz lütfen Siparişlerim sayfasından işlem yapın.",
    "To cancel, please go to Your Orders and click Cancel items.",
    "Um die Bestellung zu stornieren, gehen Sie bitte zu Meine Bestellungen.",
    "Si desea cancelar, hágalo desde Mis pedidos.",
    "Если хотите отменить заказ, сделайте это в разделе «Мои заказы».",
    "إذا كنت ترغب في الإلغاء، يمكنك ذلك من صفحة طلباتي.",
]

# (text, subject): innocent everywhere
INNOCENT = [
    # messengers named as what a device or an app does
    ("The tablet runs WeChat from the app store without any problem.", None),
    ("This phone supports login with WeChat and Facebook.", None),
    ("The app lets you sign in with your WeChat or Facebook account.", None),
    ("The printer supports printing from WeChat: open the photo in the chat and tap Share.", None),
    ("Viber and WhatsApp work on this tablet; it has no SIM slot, so it cannot have its own number.", None),
    ("KakaoTalk runs on this watch once it is paired.", None),
    ("You can log in to the app with your Facebook or Google account.", None),
    ("Our printers support printing from WeChat and AirPrint.", None),
    ("Sì, WhatsApp e Telegram funzionano benissimo su questo tablet.", None),
    ("Tak, WhatsApp i Messenger działają na tym tablecie bez problemu.", None),
    ("네, 이 태블릿에서 카카오톡과 라인 모두 잘 작동합니다.", None),
    ("はい、このタブレットでLINEもWhatsAppも問題なく動作します。", None),
    ("La tablette fait tourner WhatsApp et Viber sans souci.", None),
    ("El teléfono trae Google Play, así que puede instalar WhatsApp e Instagram sin problema.", None),
    ("Il telefono supporta l'accesso con WeChat.", None),
    ("O tablet roda WhatsApp e Telegram normalmente.", None),
    ("De tablet draait WhatsApp en Viber zonder problemen.", None),
    ("Tablet WhatsApp ve Viber'i sorunsuz çalıştırır.", None),
    ("Планшет без проблем запускает WhatsApp и Viber.", None),
    ("هذا الجهاز اللوحي يشغل واتساب وفايبر بدون مشاكل.", None),
    ("このタブレットではLINEやWhatsAppが問題なく使えます。", None),
    ("갤럭시 워치에서도 카카오톡 메시지를 확인할 수 있습니다.", None),
    ("这台平板可以登录微信和QQ，同一个微信号在手机和平板上可以同时在线。", None),
    ("这款儿童电话手表支持微信视频通话，需要用家长的手机扫码绑定。", None),
    ("打印机支持从微信直接打印。", None),
    # wallets a device accepts
    ("This POS terminal can accept WeChat Pay, Alipay and all major cards.", None),
    ("Das Kassenterminal akzeptiert Alipay und WeChat Pay.", None),
    ("Terminal płatniczy obsługuje Alipay i WeChat Pay.", None),
    ("このQRコード決済端末はAlipay、WeChat Pay、PayPayに対応しております。", None),
    ("이 결제 단말기는 알리페이와 위챗페이, 카카오페이를 지원합니다.", None),
    ("该POS机可以接受微信支付和支付宝。", None),
    # serial numbers, IMEIs, batches and measures are no phones
    ("The IMEI of the phone you received is 356938035643809; it matches our dispatch record.", None),
    ("Die Seriennummer Ihres Akkuschraubers lautet 0601 9J21 04 / 524 008 173.", None),
    ("您收到的手机IMEI是 86 0123 0456 7890 1，和包装盒上的一致。", None),
    ("製造番号は S/N 0906 7712 554 です。修理の際にお伝えください。", None),
    ("S/N 2213 448 9001 is printed on the label under the battery.", None),
    ("Numer partii 2024-11-08-0347 przyda się przy reklamacji.", None),
    ("Dwa biegi (0–450 / 0–1800 obr./min) i 21 ustawień sprzęgła.", None),
    ("El número de serie de su taladro es 0612 3457 8890, guárdelo para la garantía.", None),
    ("Серийный номер вашего устройства 4471 2093 8812, сохраните его.", None),
    # fraud warnings: a message the buyer may receive, to report
    ("계좌이체나 카카오페이 송금을 요구하는 메시지를 받으시면 바로 신고해 주세요.", None),
    ("카카오톡 친구 추가를 요구하는 메시지를 받으시면 신고해 주세요.", None),
    ("If you receive a request to pay by bank transfer, report it to the platform.", None),
    ("Si le piden pagar por Bizum, denúncielo a la plataforma.", None),
    ("Se le chiedono un bonifico, lo segnali alla piattaforma.", None),
    ("Jeśli otrzymasz prośbę o przelew na konto, zgłoś to.", None),
    ("LINEで連絡を求めるメッセージが届いた場合は通報してください。", None),
    ("如收到要求微信转账的消息，请举报。", None),
]


@pytest.mark.parametrize(("text", "blocked_on", "check"), VIOLATIONS)
def test_round14fb_violations_are_blocked_where_the_platform_forbids_them(
        text: str, blocked_on: tuple[str, ...], check: str) -> None:
    """Each violation next to a round-14 hard negative is still blocked by its check where forbidden."""
    assert_blocked_where_forbidden(text, blocked_on, check)


@pytest.mark.parametrize(("text", "subject"), INNOCENT)
@pytest.mark.parametrize("platform", EVERYWHERE)
def test_round14fb_hard_negatives_pass(text: str, subject: str | None, platform: str) -> None:
    """Device features, serial numbers and fraud warnings are never blocked."""
    assert_not_blocked(text, subject, platform)


@pytest.mark.parametrize("text", TAOBAO_VIOLATIONS)
def test_round14fb_taobao_wrong_terms_are_blocked(text: str) -> None:
    """On Taobao, a refusal of goods that qualify, or a window shorter than the rules, still blocks."""
    assert_blocked_where_forbidden(text, (T,), "after_sales_terms")


@pytest.mark.parametrize("text", TAOBAO_INNOCENT)
def test_round14fb_taobao_legal_exceptions_pass(text: str) -> None:
    """On Taobao, fresh or live goods and opened underwear, cosmetics or activated cards are lawful exceptions."""
    assert_not_blocked(text, None, T)


@pytest.mark.parametrize(("subject", "text"), IMPORTANT_MISUSED)
def test_round14fb_important_on_a_message_that_is_not_essential_blocks(subject: str, text: str) -> None:
    """On Amazon, "[Important]" on a thank-you, a promotion or a bare confirmation still blocks."""
    verdict = check_text(platform=A, subject=subject, body=text)
    assert "important_subject" in {f.check for f in verdict.findings if f.severity == "block"}, verdict


@pytest.mark.parametrize(("subject", "text"), IMPORTANT_ESSENTIAL)
def test_round14fb_important_on_delivery_scheduling_or_custom_details_passes(subject: str, text: str) -> None:
    """On Amazon, "[Important]" is allowed when the message asks for a delivery day or a custom detail."""
    assert_not_blocked(text, subject, A)


@pytest.mark.parametrize("text", ASK_TO_CANCEL)
def test_round14fb_asking_the_buyer_to_cancel_blocks_on_amazon(text: str) -> None:
    """On Amazon, asking the buyer to cancel (out of stock, for a refund) still blocks."""
    assert_blocked_where_forbidden(text, (A,), "ask_to_cancel")


@pytest.mark.parametrize("text", HOW_TO_CANCEL)
def test_round14fb_how_to_cancel_passes_on_amazon(text: str) -> None:
    """On Amazon, telling the buyer how to cancel if they wish is an option, not a request."""
    assert_not_blocked(text, None, A)


@pytest.mark.parametrize(("text", "check"), AMAZON_VIOLATIONS)
def test_round14fb_discounts_and_bare_refund_confirmations_block_on_amazon(text: str, check: str) -> None:
    """On Amazon, a discount and a refund confirmation with nothing else still block."""
    assert_blocked_where_forbidden(text, (A,), check)


@pytest.mark.parametrize("text", AMAZON_INNOCENT)
def test_round14fb_agreed_partial_refund_with_a_listing_fix_passes_on_amazon(text: str) -> None:
    """On Amazon, an agreed partial refund with a corrected listing is neither a promotion nor a bare confirmation."""
    assert_not_blocked(text, None, A)


# the plain word "at" before an allowed carrier site: where to look, not an e-mail address
AT_CARRIER_SITE = [
    "Your parcel has reached the US. You can follow it on the carrier's site at usps.com with the same number.",
    "Track the shipment at ups.com with 1Z999AA10123456784 once it is handed over.",
    "Sendungsverfolgung: einfach die Nummer at dhl.de eingeben.",
]
AT_ADDRESS = [
    "Write to our sales team at myshop dot com for a better price.",
    "Email me: anna at gmail dot com",
    "Contact us (at) usps-helpdesk dot net for the tracking.",
]


@pytest.mark.parametrize("text", AT_CARRIER_SITE)
def test_round14fb_at_an_allowed_carrier_site_is_no_email(text: str) -> None:
    """"… at usps.com" names the carrier's site, which the policy allows: no e-mail finding, no block."""
    for platform in EVERYWHERE:
        verdict = check_text(platform=platform, subject=None, body=text)
        assert "email" not in {f.check for f in verdict.findings}, (platform, verdict)


@pytest.mark.parametrize("text", AT_ADDRESS)
def test_round14fb_at_spelled_addresses_still_block(text: str) -> None:
    """An address spelled with "at" / "(at)" on any other domain is still an e-mail address everywhere."""
    assert_blocked_where_forbidden(text, EVERYWHERE, "email")
