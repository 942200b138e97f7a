"""Round 17 rules (dev sets N1/N2, outside the repository): a coupon the buyer asked about answered, a reply's
subject, the platform's own name in other scripts, "ni … ni", short messenger slang in codes, "when you receive
it", a link's query, "[Important]" in more inflections, Taobao exceptions and refusals, refunds put off, deals
proposed by the buyer and declined, not filing a return as the act paid for, pressure over a review, dictated
follow-up reviews, and spam topics with their companions.

Each row: platform, subject (or None), text, expected verdict — ``block``, or ``ok`` for anything but block.
Rows are written for these tests in several languages, a violation beside its nearest hard negative.
"""

from __future__ import annotations

import pytest

from tests.compliance_rows import assert_verdict

A, X, T = "amazon", "aliexpress", "taobao"

# the coupon the buyer asked about, answered, is no marketing; pointing to a next order still is
COUPON_ASKED = [
    (A, None, "The coupon you asked about was a 10% coupon on the product page; it had to be ticked before payment.",
     "ok"),
    (A, None, "La promoción por la que nos pregunta era un cupón del 15 % que ya caducó el lunes.", "ok"),
    (A, None, "문의하신 쿠폰은 20% 쿠폰이었고 결제 전에만 적용됩니다.", "ok"),
    (A, None, "Sorduğunuz kupon %10 kupondu, ödeme sonrası eklenemiyor.", "ok"),
    (A, "Re: Промокод не применился", "Код, о котором вы спрашивали, действовал только до конца ноября.", "ok"),
    (A, "AW: Gutscheincode", "Der Code, nach dem Sie fragen, galt nur bis Sonntag; nachträglich geht es leider nicht.",
     "ok"),
    (A, None, "You asked about coupons: use code WINTER20 for 20% off your next order.", "block"),
    (A, "Re: Rabattcode", "Mit dem Code HERBST15 sparen Sie 15 % bei Ihrer nächsten Bestellung.", "block"),
    (A, None, "お届けした鍋の蓋にへこみがあり申し訳ございません。全品の返品をご希望でしたら注文履歴からどうぞ。", "ok"),
    (A, None, "週末は全品20%オフのセールを開催中です。", "block"),
]

# the platform's own name in another script is the shop there; another marketplace stays a redirect
OWN_NAME = [
    (X, None, "같은 디자인의 2개 세트도 저희 알리익스프레스 스토어에서 보실 수 있어요.", "ok"),
    (X, None, "Комплект из двух штук тоже есть в нашем магазине на АлиЭкспресс.", "ok"),
    (X, None, "같은 디자인은 저희 쿠팡 스토어에서 더 싸게 파세요.", "block"),
    (A, None, "같은 디자인의 2개 세트는 저희 알리익스프레스 스토어에서 더 싸요.", "block"),
]

# "ni … ni" negates; a messenger offered stays one
NI_NI = [
    (X, None, "Nous n'utilisons ni WhatsApp ni Telegram : tout passe par la messagerie de la plateforme.", "ok"),
    (X, None, "Écrivez-nous sur WhatsApp pour recevoir les photos.", "block"),
]

# "vx" in a code is no WeChat; written against Chinese it still is
VX = [
    (A, None, "The serial number on the label starts with VX, please send it so we can order the filter.", "ok"),
    (A, None, "Numer seryjny zaczyna się od liter VX i znajduje się pod spodem.", "ok"),
    (X, None, "有问题可以加我的vx聊。", "block"),
    (X, None, "我的VX是shop_2024，加一下。", "block"),
]

# "when you receive it" is the delivery, not something offered for the review
RECEIVE = [
    (X, None, "Когда получите лампу и немного попользуетесь, оставьте, пожалуйста, отзыв.", "ok"),
    (X, None, "Cuando reciba la mochila y la use unos días, déjenos su opinión, por favor.", "ok"),
    (X, None, "Quand vous recevrez le colis, un avis nous aiderait beaucoup.", "ok"),
    (X, None, "Оставьте отзыв на пять звёзд, и вы получите купон на 300 рублей.", "block"),
    (X, None, "Laissez un avis cinq étoiles et vous recevrez un bon de 5 €.", "block"),
]

# a "?" that opens a link's query asks nothing: a carrier's tracking link is no question about followers
LINK_QUERY = [
    (X, None, "شحنتك لدى أرامكس الآن، يمكنك المتابعة عبر https://www.aramex.com/track/results?ShipmentNumber=55512345",
     "ok"),
    (X, None, "هل تريد زيادة عدد المتابعين لحسابك؟ نبيع متابعين حقيقيين.", "block"),
]

# "[Important]" essential: measurements of a made-to-order item, an engraving text, a delivery day
IMPORTANT = [
    (A, "[Importante] Misure per il tappeto su misura",
     "Per tagliare il tappeto su misura ci servono lunghezza e larghezza esatte in centimetri.", "ok"),
    (A, "[Belangrijk] Graveertekst", "Voor de gepersonaliseerde pen missen we de graveertekst. Stuur ons de tekst.",
     "ok"),
    (A, "[Important] Дата доставки шкафа",
     "Шкаф доставляет служба с подъёмом. Сообщите, пожалуйста, два удобных дня на этой неделе.", "ok"),
    (A, "[Important] Nieuwe collectie", "Onze nieuwe collectie staat online, neem een kijkje.", "block"),
    (A, "[Important] Новинки", "В нашем магазине новая коллекция, заходите.", "block"),
]

# Taobao lawful exceptions stated correctly pass; the refusal of quality problems or of the window does not
TAOBAO_EXCEPTIONS = [
    (T, None, "Lingerie retirada da embalagem lacrada não pode ser devolvida sem motivo, por higiene.", "ok"),
    (T, None, "Unterwäsche, die aus der versiegelten Verpackung genommen wurde, kann nicht ohne Grund zurückgegeben "
              "werden.", "ok"),
    (T, None, "Торты печём в день доставки, поэтому вернуть их без причины нельзя.", "ok"),
    (T, None, "La tarta se hornea el mismo día, así que no se admite devolución sin motivo.", "ok"),
    (T, None, "開封済みのダウンロードコードは7日間理由なし返品の対象外です。", "ok"),
    (T, None, "Opened download codes cannot be returned without a reason; faulty codes are replaced at once.", "ok"),
    (T, None, "يمكنك إرجاع السماعة خلال ٧ أيام دون ذكر السبب، ويتحمل المشتري رسوم الشحن في هذه الحالة.", "ok"),
    (T, None, "Los jerséis no se pueden devolver.", "block"),
    (T, None, "لا نقبل أي إرجاع بعد فتح الطرد، حتى لو كان المنتج معيبًا.", "block"),
    (T, None, "水果不退不换，坏果也不赔。", "block"),
    (T, None, "质量问题只修不换，请自行联系厂家。", "block"),
]

# Taobao refusals by structure: a "do"/"not subject to"/Arabic verb, and "even within the 15 days"
TAOBAO_REFUSALS = [
    (T, None, "No hacemos cambios ni devoluciones de los artículos rebajados.", "block"),
    (T, None, "Уценённые товары не подлежат возврату без причины, даже в течение 7 дней.", "block"),
    (T, None, "لا نقبل استرجاع الملابس المخفضة.", "block"),
    (T, None, "Nous ne faisons pas d'échange sur les articles soldés, même dans les 15 jours.", "block"),
    (T, None, "Рюкзаки можно вернуть без причины в течение 7 дней.", "ok"),
    (T, None, "يمكنك إرجاع المنتج خلال 7 أيام بدون سبب.", "ok"),
    (T, None, "Bei Rücksendungen ohne Angabe von Gründen behalten wir 15 % Bearbeitungsgebühr vom Erstattungsbetrag "
              "ein.", "block"),
    (T, None, "Das Geld erhalten Sie erst 40 Tage nach Eingang der Rücksendung zurück.", "block"),
    (T, None, "Het geld krijgt u pas 25 dagen na ontvangst van het pakket terug.", "block"),
    (T, None, "Het geld staat binnen 3 dagen na ontvangst van het pakket weer op uw rekening.", "ok"),
]

# a deal the buyer proposed and the seller declines is none; accepted, it is
ASKED_DEALS = [
    (A, None, "You asked whether we could refund 10 € if you keep the kettle. We can't do that, but a return is "
              "free through Your Orders.", "ok"),
    (A, None, "Sie fragten, ob Sie einen Gutschein bekommen, wenn Sie die Lampe behalten. Das bieten wir nicht an.",
     "ok"),
    (A, None, "Você perguntou se daríamos um vale-presente para não devolver a panela. Não podemos oferecer isso.",
     "ok"),
    (A, None, "You asked whether we could refund 10 € if you keep the kettle. Sure, keep it and we refund 10 €.",
     "block"),
]

# not filing a return or a claim is the act paid for
WAIVED = [
    (A, None, "Si te quedas la lámpara y no tramitas la devolución, te reembolsamos 20 € hoy.", "block"),
    (A, None, "Если вы оставите чайник и не будете оформлять возврат, мы вернём вам 30% стоимости.", "block"),
    (A, None, "احتفظ بالمكنسة ولا تقدّم طلب إرجاع، وسنعيد لك ٥٠ ريالاً.", "block"),
    (A, None, "반품 신청을 하지 않고 그대로 사용해 주시면 10달러를 환불해 드리겠습니다.", "block"),
    (A, None, "如果您不申请退货，我们给您退20美元。", "block"),
    (A, None, "إذا لم تفتحوا مطالبة ضمان من الألف إلى الياء، سنرسل لكم هدية مجانًا.", "block"),
    (A, None, "Wenn Sie auf den Antrag verzichten, bekommen Sie einen Amazon-Gutschein über 10 €.", "block"),
    (A, None, "Se encerrar a reclamação hoje, mandamos um vale-presente de R$ 30.", "block"),
    (A, None, "Jeśli zrezygnuje Pan z otwierania roszczenia, dorzucimy drugi kubek gratis.", "block"),
    (A, None, "Wenn Sie die Rücksendung stornieren und das Gerät behalten, verlängern wir die Garantie kostenlos.",
     "block"),
    # the buyer's due: a free repair, a replacement, an exchange
    (A, None, "Wenn Sie das Radio behalten möchten, reparieren wir es kostenlos.", "ok"),
    (A, None, "Si no quiere tramitar la devolución, le mandaremos una pieza nueva sin coste.", "ok"),
    (A, None, "No need to open a return: we'll exchange it for the right size at no cost.", "ok"),
    # a negation near a return word that files nothing
    (A, None, "If you don't see the return label, we'll send you a new one for free.", "ok"),
    (A, None, "Si no encuentra la etiqueta de devolución, le mandaremos otra sin coste.", "ok"),
]

# pressure over a review: the shop harmed, a plea, more messages threatened; a dictated follow-up review
PRESSURE = [
    (X, None, "Wystaw nam proszę 5 gwiazdek. Każda niższa ocena to dla nas kara od platformy, więc błagamy, nie rób "
              "nam tego.", "block"),
    (T, None, "Допишите, пожалуйста, дополнение к отзыву, что всё в порядке, иначе магазин закроют.", "block"),
    (T, None, "Please add a follow-up review saying that everything is fine.", "block"),
    (X, None, "Yorumunuz puanımızı düşürdü. Ek yorum yazar mısınız? Yoksa aramaya devam edeceğiz.", "block"),
    (X, None, "Por favor, déjanos una valoración. Las valoraciones negativas nos hacen muchísimo daño.", "block"),
    (X, None, "Leave us a review please, or we'll keep messaging you every day until you do.", "block"),
    # a review left to the buyer, a sorry without a request
    (X, None, "We are sorry the zipper broke; a replacement is on its way, and your review is entirely up to you.",
     "ok"),
    (X, None, "Спасибо за ваш отзыв, мы исправили описание размеров.", "ok"),
    (T, None, "看到您的追评了，谢谢您的建议，我们会改进包装。", "ok"),
]

# changing a review named before, in pronoun forms; only satisfied buyers; steering the others away
REVIEW_CHANGE = [
    (X, None, "Abbiamo visto la sua recensione negativa. Se la cancella le rimborsiamo metà del prezzo.", "block"),
    (X, None, "Nous avons vu votre note d'une étoile. Si vous la retirez, nous vous offrons un bon.", "block"),
    (A, None, "We hebben uw review van één ster gelezen. Als u die wilt verwijderen, betalen we u terug.", "block"),
    (X, None, "Vi sua avaliação de 1 estrela. Se mudar para 5, mando um cupom.", "block"),
    (X, None, "교환품 받으셨으면 이제 평점 좀 올려 주세요.", "block"),
    (T, None, "亲，那条差评能不能帮我们删一下？", "block"),
    (X, None, "Bitte bewerten Sie uns nur, wenn Sie rundum zufrieden sind.", "block"),
    (X, None, "Оставляйте отзыв, только если всё идеально.", "block"),
    (X, None, "Si algo no te gusta, escríbenos antes de valorar.", "block"),
    (X, None, "إذا كنت راضيًا فقيّمنا بخمس نجوم، وإن لم تكن راضيًا فلا تكتب تقييمًا وراسلنا.", "block"),
    (T, None, "Измените, пожалуйста, от3ыв на положительный.", "block"),
    # a review read, not asked to change; an address updated
    (X, None, "Abbiamo visto la sua recensione: ha ragione, la cerniera era difettosa e la sostituiamo.", "ok"),
    (X, None, "Вы указали старый адрес. Измените его, пожалуйста, в профиле.", "ok"),
    (T, None, "请问能不能修改一下收货地址？", "ok"),
]

# spam: a horoscope with a birth date, a tip with someone's gains, a crypto club, chain letters, faith appeals
SPAM = [
    (X, None, "Este mes Mercurio retrógrado afecta a Géminis. Envíenos su fecha de nacimiento y le mandamos su carta "
              "astral.", "block"),
    (X, None, "Deze maand staat Saturnus in uw teken! Stuur ons uw geboortedatum voor een persoonlijke voorspelling.",
     "block"),
    (X, None, "某某币下周必涨，我朋友上周赚了五万。", "block"),
    (X, None, "Kripto para fırsatı! Kulübümüze katılın, ilk ay kazancınızı ikiye katlayın.", "block"),
    (X, None, "Questo messaggio porta fortuna: inoltralo a dieci persone entro domani.", "block"),
    (X, None, "Nasza parafia zbiera datki na nowe organy, Pan Bóg wynagrodzi hojnych.", "block"),
    (X, None, "هل تعلم أن الاستثمار في الذهب الآن سيضاعف أموالك؟", "block"),
    # the trade itself: a birthday engraving, a gold-plated ring, a zodiac pendant, a church candle sold
    (X, None, "Please send us the date of birth you want engraved on the zodiac pendant.", "ok"),
    (X, None, "الخاتم مطلي بالذهب عيار 18 ويأتي في علبة هدية.", "ok"),
    (X, None, "Świece do kościoła wysyłamy w kartonie z przegrodami.", "ok"),
    (X, None, "Nuestro club de clientes recibe envío gratis en el próximo pedido.", "ok"),
]

# a phone spelled in spaced digit groups ends before a one-letter word
PHONES = [
    (X, None, "Para lo que necesite, llámeme al 6 2 1  4 7 8  3 0 5 y le ayudo.", "block"),
    (X, None, "En la caja van 2 x 6 botellas y 3 x 1 kg de café.", "ok"),
]

ROWS = (COUPON_ASKED + OWN_NAME + NI_NI + VX + RECEIVE + LINK_QUERY + IMPORTANT + TAOBAO_EXCEPTIONS + TAOBAO_REFUSALS
        + ASKED_DEALS + WAIVED + PRESSURE + REVIEW_CHANGE + SPAM + PHONES)


@pytest.mark.parametrize(("platform", "subject", "text", "expected"), ROWS)
def test_round17rules_verdict_follows_the_structure(platform: str, subject: str | None, text: str,
                                                    expected: str) -> None:
    """Each message is blocked exactly when its structure makes it a violation on that platform."""
    assert_verdict(platform, subject, text, expected)
