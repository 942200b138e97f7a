"""Round 13 (development set D) — carriers' hyphenated tracking sites and more official carriers,
a full stop before a capitalised word that is no TLD, a review left to the buyer's free choice,
essential delivery scheduling and print details under '[Important]', a return waived rather than
refused, periodicals and activation codes as legal exceptions — and the violations the rules
missed: goodwill gifts on Amazon, newsletters and 'this week only' offers, phone-unlocking and
work-from-home spam, 'arroba … punto es' addresses, Weibo short links, reasons for a cancellation
asked in Turkish and Japanese, thanks-only messages in Portuguese and Arabic."""

from __future__ import annotations

import pytest

from tests.test_compliance_round10 import assert_blocked_where_forbidden, assert_not_blocked, check_text

A, X, T = "amazon", "aliexpress", "taobao"
EVERYWHERE = (A, X, T)

# (text, platforms where it must pass)
INNOCENT = [
    # official carrier sites, the hyphen kept or dropped, and a few more carriers
    ("Your parcel is held at customs for a day; follow SF1402938475612 on sf-express.com.", EVERYWHERE),
    ("Przesyłkę śledzisz na emonitoring.poczta-polska.pl, numer LP00482915637CN.", EVERYWHERE),
    ("Gönderiyi ptt.gov.tr üzerinden RR482019377CN numarasıyla takip edebilirsiniz.", EVERYWHERE),
    ("Трек 1482937561 можно проверить на cdek.ru, доставка ориентировочно 14 марта.", EVERYWHERE),
    # a full stop, then a capitalised word that goes on as a sentence
    ("Karar tamamen size kalmış. Biz sadece ürünün sağlam ulaşmasını önemsiyoruz.", EVERYWHERE),
    # a review left to the buyer: a statement, not a request
    ("Your refund does not depend on any review; whether you leave feedback is entirely up to you.", EVERYWHERE),
    ("El reembolso no depende de ninguna reseña. Dejar una valoración o no es decisión tuya.", EVERYWHERE),
    ("Le remboursement ne dépend d'aucun avis : vous êtes libre de laisser un commentaire ou non.", EVERYWHERE),
    # a return waived, not refused; legal exceptions of Taobao's 7-day rule
    ("Le colis est arrivé abîmé : nous renvoyons un article neuf, aucun retour nécessaire.", EVERYWHERE),
    ("Las suscripciones a revistas no tienen devolución sin motivo en 7 días, según la normativa.", EVERYWHERE),
    ("Os jornais e revistas não têm devolução sem motivo em 7 dias; se chegar danificada, enviamos outra.",
     EVERYWHERE),
    ("游戏兑换码一经发送并查看就无法退货，这是数字商品的法定例外；兑换码无效我们马上换一个。", EVERYWHERE),
    # free things that fix or deliver the order are no incentive
    ("Sorry the lid arrived damaged: as an apology we send a replacement lid free of charge.", EVERYWHERE),
    ("Thank you for your patience; the missing screws go out tomorrow free of charge.", EVERYWHERE),
    # ordinary words close to the new promotion and review terms
    ("Aproveite o seu novo liquidificador: o manual em português está na caixa.", EVERYWHERE),
    ("Czy mógłby Pan sprawdzić, czy ocena wilgotności na etykiecie się zgadza?", EVERYWHERE),
    ("Meet the courier at the station dot it is on the map.", EVERYWHERE),
    ("Niet tevreden? Stuur ons een bericht, dan lossen we het op.", EVERYWHERE),
    # a multiplication sign is not X (Twitter); a model code with letters is not a phone
    ("The frame is 30 x 40 cm and fits the 2 x 250 ml refill bottles.", EVERYWHERE),
    ("Model X10l0 is back in stock; your order 123-4567890-1234567 ships as planned.", (X, T)),
    # fraud warnings: a message from someone else, a negation that governs a whole CJK sentence
    ("We never ask for payment outside the platform. If you get an email asking you to pay by bank transfer, "
     "please ignore it and report it.", EVERYWHERE),
    ("当店が銀行振込やPayPalなど、プラットフォーム外でのお支払いをお願いすることは一切ございません。", EVERYWHERE),
    ("저희는 계좌이체, 카카오페이 송금 등 플랫폼 밖 결제를 절대 요청하지 않습니다.", EVERYWHERE),
    ("本店不会要求您通过支付宝转账、微信转账或银行卡付款，所有交易请在平台完成。", EVERYWHERE),
    # messengers and their pay services as features of a device
    ("L'application de la montre affiche les messages WhatsApp et Messenger.", EVERYWHERE),
    ("O relógio mostra mensagens do WhatsApp e do Facebook Messenger.", EVERYWHERE),
    ("이 휴대폰은 위챗, 카카오톡, 라인 모두 설치해서 쓰실 수 있습니다.", EVERYWHERE),
    ("这款手表支持微信、QQ消息提醒和微信支付，但是不能在手表上直接回复消息。", EVERYWHERE),
]

# (text, platforms where it must be blocked, check)
VIOLATIONS = [
    ("Visit lumina. biz for more colours.", EVERYWHERE, "external_link"),
    ("Если курьер не дозвонится, наберите менеджера: +7 (9I6) 4O2-33-I8.", EVERYWHERE, "phone"),
    ("Call me on O6l2 345 678 if the parcel is late.", EVERYWHERE, "phone"),
    ("Follow us on X: lumina2024", EVERYWHERE, "messenger"),
    ("PayPalの友達・家族送金でお支払いいただければ、すぐ発送いたします。", EVERYWHERE, "off_platform_payment"),
    ("If you get an email from us, pay by bank transfer to save the fee.", EVERYWHERE, "off_platform_payment"),
    ("銀行振込でお支払いください、手数料はかかりません。", EVERYWHERE, "off_platform_payment"),
    ("계좌이체로 입금해 주세요, 수수료는 없습니다.", EVERYWHERE, "off_platform_payment"),
    ("请通过支付宝转账付款，不要在平台下单。", EVERYWHERE, "off_platform_payment"),
    ("手表直接微信支付给我就行。", EVERYWHERE, "off_platform_payment"),
    ("Écrivez-moi sur WhatsApp, la montre est en stock.", EVERYWHERE, "messenger"),
    ("Wenn nicht zufrieden, bitte keine Bewertung schreiben, sondern uns schreiben.", EVERYWHERE,
     "review_manipulation"),
    ("Niet tevreden? Stuur ons eerst een bericht in plaats van een beoordeling.", EVERYWHERE, "review_manipulation"),
    ("Alleen als u 100% tevreden bent, graag een recensie met 5 sterren.", EVERYWHERE, "review_manipulation"),
    ("Yorumunuza 5 yıldız ve fotoğraf eklerseniz bir sonraki siparişinizde kargo bizden.", EVERYWHERE,
     "review_manipulation"),
    ("Produkty z wyprzedaży nie podlegają zwrotom ani wymianom.", (T,), "after_sales_terms"),
    ("Rastreie em t.cn/A6xKq9Lm, é mais rápido.", EVERYWHERE, "external_link"),
    ("物流信息可以在这个网站查：url.cn/5Xa9Lk", EVERYWHERE, "external_link"),
    ("Para la factura escribe a facturas arroba tiendaluna punto es con tu número de pedido.", EVERYWHERE, "email"),
    ("Handy gesperrt? Wir entsperren jedes iPhone in 24 Stunden.", EVERYWHERE, "spam"),
    ("Szukasz dodatkowego dochodu? Płacimy za pracę z domu.", EVERYWHERE, "spam"),
    ("My brother runs a loan service with instant approval and no credit checks, message me.", EVERYWHERE, "spam"),
    ("Abonnieren Sie unseren Newsletter, dann verpassen Sie keine Aktion.", (A,), "promotion"),
    ("Solo per questa settimana: due confezioni al prezzo di una.", (A,), "promotion"),
    ("Właśnie wprowadziliśmy nowy model czajnika, zapraszamy na stronę naszej marki.", (A,), "promotion"),
    ("Als Dankeschön für Ihre Treue legen wir Ihnen kostenlos ein zweites Paar Socken bei.", (A,), "incentive"),
    ("Te enviamos de regalo un cargador por confiar en nosotros.", (A,), "incentive"),
    ("В знак благодарности высылаем вам бесплатно второй комплект лезвий.", (A,), "incentive"),
    ("感谢您的支持，我们给您多放了一副备用耳塞。", (A,), "incentive"),
    ("Czy mógłby Pan poświęcić minutę i ocenić nasz produkt?", (A,), "review_request"),
    ("نرجو منك تخصيص دقيقة لكتابة تقييمك للمنتج.", (A,), "review_request"),
    ("Siparişinizi iptal ettiğinizi gördük. Fiyat mı etkili oldu? Yazarsanız seviniriz.", (A,), "cancel_reason"),
    ("キャンセルの件、どの点がご不満だったか教えていただけますでしょうか。", (A,), "cancel_reason"),
    ("Beden stokta kalmadı. Sipariş sayfanızdan iptal talebi oluşturabilir misiniz?", (A,), "ask_to_cancel"),
    ("Obrigada por ter escolhido a nossa loja, é um prazer tê-lo como cliente!", (A,), "thanks_only"),
]


@pytest.mark.parametrize(("text", "platforms"), INNOCENT)
def test_round13d_innocent_messages_pass(text: str, platforms: tuple[str, ...]) -> None:
    """Each legitimate message is sent on the platforms whose rules allow it."""
    for platform in platforms:
        assert_not_blocked(text, None, platform)


@pytest.mark.parametrize(("text", "blocked_on", "check"), VIOLATIONS)
def test_round13d_violations_are_blocked(text: str, blocked_on: tuple[str, ...], check: str) -> None:
    """Each violation is blocked by its check where the platform forbids it."""
    assert_blocked_where_forbidden(text, blocked_on, check)


@pytest.mark.parametrize(("subject", "text"), [
    ("[Important] Planification de la livraison de votre canapé",
     "Le canapé sera livré par transporteur. Pourriez-vous nous indiquer vos disponibilités la semaine prochaine ?"),
    ("[Important] Baskı detayı onayı",
     "Kupa baskısı için yazının altına tarih eklenecek mi? Onayınızı aldıktan sonra baskıya başlayacağız."),
])
def test_important_subject_on_essential_scheduling_or_print_details_passes(subject: str, text: str) -> None:
    """'[Important]' is allowed on Amazon when the message schedules a large delivery or confirms print details."""
    verdict = check_text(platform="amazon", subject=subject, body=text)
    assert not any(f.check == "important_subject" for f in verdict.findings), verdict.findings
