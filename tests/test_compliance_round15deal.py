"""Round 15 (deals): incentives, off-platform redirects, review manipulation and spelled messenger
names written by new writers — read from the structure of the message (who gives what to whom for
what, where the buyer is sent) rather than from one writer's phrases — each class beside the hard
negatives that share its words: a replacement for a photo of a problem, negated offers, the
platform's own shop, carriers, devices that read WeChat codes."""

from __future__ import annotations

import pytest

from autoreply.compliance import check_text
from tests.test_compliance_round10 import assert_blocked_where_forbidden, assert_not_blocked

A, X, T = "amazon", "aliexpress", "taobao"
EVERYWHERE = (A, X, T)

# Amazon incentives with no "if": the buyer does something, the seller gives something
INCENTIVES = [
    # keeping the order, for money or a gift
    "Hold on to the jacket and we'll credit 8 € back to your card, no return needed.",
    "You can keep the mixer and we refund you 25 %, there is no need to send it back.",
    "There's no need to send the chair back — just keep it and we'll transfer 20 dollars to you.",
    "Behalten Sie die Lampe einfach und wir erstatten Ihnen 12 € zurück, eine Rücksendung ist nicht nötig.",
    "Conservez le grille-pain et nous vous rendons 10 €.",
    "Quédese con la lámpara y le devolvemos 10 €, no hace falta devolverla.",
    "Tenga pure la borsa, le rimborsiamo 20 € senza bisogno di restituirla.",
    "Fique com a panela e devolvemos-lhe 15 €, não precisa de a devolver.",
    "Houd de mixer en u krijgt 15 euro terug, terugsturen is niet nodig.",
    "Proszę zatrzymać lampę, a my oddamy 40 zł, nie trzeba jej odsyłać.",
    "Tost makinesini saklayabilirsiniz, size 120 TL iade ediyoruz.",
    "Оставьте лампу себе, а мы вернём 700 рублей, возвращать ничего не нужно.",
    "احتفظ بالمصباح وسنعيد لك 15 دولارًا، لا داعي لإرجاعه.",
    "トースターはお手元に残していただいて構いません。代わりに1,200円を返金します。",
    "토스터는 그냥 가지고 계시고 만오천 원을 환불해 드릴게요.",
    "台灯您留着用吧，我们退您30元，不用退货。",
    # instead of a return
    "Instead of returning it, how about a 30 % partial refund?",
    "Statt der Rücksendung bieten wir Ihnen 20 % Nachlass an, Sie behalten den Artikel.",
    "Plutôt que de retourner l'article, nous vous proposons un geste commercial de 15 €.",
    "Em vez de devolver, oferecemos 20 % de reembolso e fica com o produto.",
    "İade yerine %20 indirim yapalım, ürün sizde kalsın.",
    "بدلاً من الإرجاع نقدم لك خصم 20٪ وتحتفظ بالمنتج.",
    "반품 대신 20% 부분 환불해 드릴게요, 제품은 그냥 쓰세요.",
    "Every customer who recommends us to a friend gets a 10 € voucher.",
    # a photo, a video or a word on the product, for a gift
    "Post a picture of the blanket on your sofa and we'll mail you a matching cushion cover at no cost.",
    "Share a short video of the drone in flight, a free spare battery is on its way to you.",
    "Upload a clip of the speaker at your party and a second speaker ships to you on the house.",
    "Tell us what you think of the kettle and a thank-you gift card comes with your next order.",
    "Wir schenken Ihnen eine zweite Tasse, sobald Sie uns ein Foto vom Set auf Ihrem Tisch schicken.",
    "Vous recevrez un cadeau dès que vous nous aurez envoyé une photo de la lampe allumée.",
    "Mándenos un vídeo usando la batidora y le regalamos un segundo vaso.",
    "Ci invii una foto del tappeto in casa sua e le regaliamo un secondo cuscino.",
    "Assim que nos enviar uma foto da mochila em uso, enviamos-lhe uma garrafa grátis.",
    "Zodra u ons een foto van de plant stuurt, krijgt u een gratis pot.",
    "Gdy tylko prześle nam Pan zdjęcie, wyślemy gratisowy pokrowiec.",
    "Halının salonunuzdaki fotoğrafını paylaşın, ikinci bir yastığı hediye edelim.",
    "Как только пришлёте видео с пылесосом в работе, отправим вам бесплатный фильтр.",
    "بمجرد أن ترسل لنا صورة للحقيبة، سنرسل لك محفظة مجانية.",
    "ご使用中のお写真を投稿していただいたお客様には、替えの電池を無料でお送りしています。",
    "담요를 사용하는 사진을 보내주시면 쿠션 커버를 하나 더 무료로 보내드려요.",
    "拍一张毯子在家里使用的照片发给我们，我们再送您一个抱枕套。",
]

# the same words for what the buyer is owed: a replacement for a photo of a problem, a refund in
# full, a receipt for customs, a negated offer, care instructions
INCENTIVE_LOOKALIKES = [
    "Please send us a photo of the cracked lid and we will send a replacement free of charge.",
    "Send us a photo of the receipt for the customs fee and we will refund the 12 € in full.",
    "Please send us a photo of the wrong colour you received and we will ship the right one at no cost.",
    "As soon as you send us the photo of the torn seam, a new cover goes out free of charge.",
    "Since the mixer arrived broken, please keep it and we will send a new one free of charge.",
    "We never give gifts or refunds for photos or reviews, and we don't ask you to keep items instead of a return.",
    "The photo on the listing shows the free carrying case, which is included with every order.",
    "Keep it charged for 8 hours first; the free app then shows the battery level.",
    "Hold on to it for now; we will refund the full amount as soon as the carrier confirms the loss.",
    "We sent you a second one by mistake, please keep it, no need to return anything.",
    "Sobald Sie uns ein Foto des Defekts schicken, senden wir kostenlos ein Ersatzteil.",
    "Dès que vous nous envoyez une photo du colis abîmé, nous expédions gratuitement un nouvel article.",
    "Prosimy przesłać zdjęcie uszkodzenia, a wyślemy nową część gratis.",
    "Hasarın fotoğrafını gönderin, yeni parçayı ücretsiz gönderelim.",
    "Stuur ons een foto van de kras, dan sturen we gratis een nieuw glas.",
    "Пришлите, пожалуйста, фото брака, и мы бесплатно отправим новую деталь.",
    "أرسل لنا صورة للضرر وسنرسل لك قطعة جديدة مجانًا.",
    "손상된 부분 사진을 보내주시면 새 부품을 무료로 보내드립니다.",
    "破損箇所の写真をお送りいただき次第、代替品を無料でお送りします。",
    "请把破损的照片发给我们，我们免费给您补发一个。",
    "Thank you for telling us how you like the kettle — we're glad it works well.",
    "In return for your patience, the parcel is now on its way.",
    "Instead of returning it, you can exchange it for the right size free of charge.",
    "If you'd rather not return it by post, the courier can collect it for free.",
    "Statt der Rücksendung schicken wir Ihnen kostenlos ein neues Netzteil, das alte behalten Sie.",
    "不退货的话，我们免费给您补发缺少的配件。",
]

# sending the buyer to buy elsewhere: blocked on every platform
REDIRECTS = [
    ("We also have a store on Shopee with lower prices, order there next time.", (X, T)),
    ("You'll get it two days sooner if you buy it from our Shopify store, just type our name into Google.", EVERYWHERE),
    ("Next time, skip Amazon and order directly from our online store, it's 15 % cheaper.", (X, T)),
    ("Nächstes Mal können Sie direkt bei uns über Kaufland bestellen, da ist es günstiger.", EVERYWHERE),
    ("Das gleiche Modell gibt es bei uns auf eBay, dort ist der Versand kostenlos.", EVERYWHERE),
    ("La prochaine fois commandez chez nous sur Cdiscount, la livraison est plus rapide.", EVERYWHERE),
    ("Si lo vuelve a necesitar, pídalo por Wallapop, le hacemos mejor precio.", EVERYWHERE),
    ("Tenemos tienda también en T e m u, allí el envío es más rápido.", EVERYWHERE),
    ("Se le serve di nuovo, lo trova sul nostro shop su eBay a meno.", EVERYWHERE),
    ("Da próxima vez, compre na nossa loja da Shopee, o frete é mais barato.", EVERYWHERE),
    ("Ten sam model mamy w naszym sklepie na Allegro, tam dostawa jest szybsza.", EVERYWHERE),
    ("Bir dahaki sefere Trendyol mağazamızdan sipariş verin, kargo daha hızlı.", EVERYWHERE),
    ("В следующий раз заказывайте у нас на Озоне, там дешевле.", EVERYWHERE),
    ("إذا احتجت المزيد، اطلبه من متجرنا على أمازون، السعر أقل هناك.", (X, T)),
    ("またご入用の際は、メルカリの当店からご購入いただくとお得です。", EVERYWHERE),
    ("다음에는 저희 쿠팡 스토어에서 주문하시면 더 빨리 받으실 수 있어요.", EVERYWHERE),
    ("下回可以去我们京东旗舰店买，发货更快。", EVERYWHERE),
    ("亲，以后直接在我们的微店下单，比淘宝便宜20块。", EVERYWHERE),
    ("再要的话去我们闲鱼上拍，便宜一点。", EVERYWHERE),
]

# review manipulation (every platform): changing a review for something, in pinyin and Korean too
MANIPULATION = [
    "亲，给个中评改好评，返您8元红包哦。",
    "把差评改一下，我给你返20块钱。",
    "Please update your neutral review and we send you a 10 yuan hongbao.",
    "Za zmianę oceny na 5 gwiazdek dostanie Pani 20 zł.",
    "Yorumunuzu silerseniz 100 TL iade ederiz.",
    "Оценку поменяете на 5 звёзд — вернём 300 рублей.",
    "중간 평점을 5점으로 바꿔주시면 스타벅스 쿠폰 드려요.",
    "hao ping 截图发客服，返现8元。",
]

# messenger names spelled, transliterated or split: blocked on every platform
MESSENGERS = [
    "Add me on wee chat: nora_home77, I'll send the manual there.",
    "My wee-chat is lamp_guy99, ping me there for the wiring diagram.",
    "Écrivez-moi sur ouatsap, je vous envoie les photos.",
    "위 챗으로 연락 주세요, 아이디는 lily_store 입니다.",
    "ウィーチャットで追加してください、IDはmaru_shop21です。",
    "Напишите мне в ви чат, мой id shop_dom77.",
    "أضفني على وي شات: home_store88 وسأرسل لك الفيديو.",
    "تواصل معي على الو ا ت س ا ب لأرسل لك الفيديو.",
    "Kontaktieren Sie mich über Wotsapp, Nummer 0151 2345678.",
]

# the same words where nothing leaves the platform
INNOCENT = [
    "The lamp ships from our warehouse near noon; delivery is usually faster on Mondays.",
    "亲，您的包裹已由京东快递发出，下次也可以在菜鸟小程序查看物流。",
    "The JD-220 adapter ships faster from our Spanish warehouse.",
    "京东快递下次会更快一些，这次因为下雨耽误了，抱歉。",
    "This scanner reads WeChat and Alipay QR codes as well as normal barcodes.",
    "El lector de códigos también reconoce los códigos QR de WeChat.",
    "这款扫码枪可以识别微信和支付宝付款码。",
    "The watch can show LINE and KakaoTalk notifications once paired.",
    "The lamp is compatible with Google Assistant and Alexa.",
    "Line dry the shirt and iron it inside out.",
    "亲，我们不加微信，有问题直接在旺旺留言就好。",
    "Google the model number to find the manual, or check the PDF on the product page.",
]

# on Taobao, Taobao (and its back office) is the platform itself
TAOBAO_OWN = [
    "下次下单可以备注颜色，我们直接在淘宝后台帮您改。",
    "本店只在淘宝销售，请勿相信其他平台的同名店铺。",
]


@pytest.mark.parametrize("text", INCENTIVES)
def test_round15deal_a_deal_without_if_is_an_incentive_on_amazon(text: str) -> None:
    """On Amazon, something given for keeping the order or for a photo or a word blocks, with or without "if"."""
    assert_blocked_where_forbidden(text, (A,), "incentive")


@pytest.mark.parametrize("text", INCENTIVES[:3] + INCENTIVES[16:19])
def test_round15deal_a_deal_only_warns_on_aliexpress_and_taobao(text: str) -> None:
    """On AliExpress and Taobao the same deal is an incentive warning, not a block."""
    for platform in (X, T):
        verdict = check_text(platform=platform, subject=None, body=text)
        assert {f.check for f in verdict.findings} >= {"incentive"}, verdict
        assert verdict.verdict != "block", verdict


@pytest.mark.parametrize("text", INCENTIVE_LOOKALIKES)
@pytest.mark.parametrize("platform", EVERYWHERE)
def test_round15deal_what_the_buyer_is_owed_is_no_incentive(text: str, platform: str) -> None:
    """A replacement for a photo of a problem, a full refund or a negated offer is never blocked."""
    assert_not_blocked(text, None, platform)


@pytest.mark.parametrize(("text", "blocked_on"), REDIRECTS)
def test_round15deal_buying_elsewhere_is_a_redirect(text: str, blocked_on: tuple[str, ...]) -> None:
    """The seller's shop on another marketplace ('next time order there') blocks where it is not the platform."""
    assert_blocked_where_forbidden(text, blocked_on, "off_platform_redirect")


@pytest.mark.parametrize("text", MANIPULATION)
def test_round15deal_changing_a_review_for_money_blocks_everywhere(text: str) -> None:
    """Money or a gift for changing or giving a rating blocks on every platform, in pinyin or Korean too."""
    assert_blocked_where_forbidden(text, EVERYWHERE, "review_manipulation")


@pytest.mark.parametrize("text", MESSENGERS)
def test_round15deal_spelled_messengers_block_everywhere(text: str) -> None:
    """A messenger spelled by sound, transliterated or split into letters still blocks."""
    assert_blocked_where_forbidden(text, EVERYWHERE, "messenger")


@pytest.mark.parametrize("text", INNOCENT)
@pytest.mark.parametrize("platform", EVERYWHERE)
def test_round15deal_carriers_devices_and_the_own_shop_pass(text: str, platform: str) -> None:
    """Carriers, model codes, code scanners and the platform's own back office are never blocked."""
    assert_not_blocked(text, None, platform)


@pytest.mark.parametrize("text", TAOBAO_OWN)
def test_round15deal_the_platforms_own_name_is_no_redirect(text: str) -> None:
    """On Taobao, "next time" and "directly" beside Taobao's own name send the buyer nowhere else."""
    assert_not_blocked(text, None, T)
