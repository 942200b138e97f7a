"""Round 16 rules (dev set K, a new writer): what a number is when a part, article or model code word names
it (and its sibling of the same shape later on), links with punctuation after an allowed host, "[Important]"
on a delivery being scheduled, insults quoted back from the buyer, e-mail addresses with spaced hyphens and
two-letter TLDs or an at word in Chinese, phones with "my number", digits in hiragana and Sino-Korean
digits split by commas, "no need to …" that does not reach the next clause, a goodwill refund tied to a
reply (Amazon incentive), Dutch "pas" (= only), and Japanese refusals with an emphasis ("一切").

Each row: platform, subject (or None), text, expected verdict — ``block``, or ``ok`` for anything but block.
Rows are written for these tests in several languages, a violation beside its hard negative.
"""

from __future__ import annotations

import pytest

from tests.compliance_rows import assert_verdict

A, X, T = "amazon", "aliexpress", "taobao"

# a part, article, model or product code word before the number makes it a code; a later number of the
# same shape with no phone word is that code's sibling
CODES = [
    (X, None, "The correct part number is 318-552-907; do not order 318-552-970, it is for the old model.", "ok"),
    (A, None, "Die passende Teilenummer lautet 4410-227-315. Bitte vergleichen Sie sie mit dem Typenschild.", "ok"),
    (X, None, "La referencia de la pieza es 775-310-442, la 775-310-424 es la versión antigua.", "ok"),
    (X, None, "Il codice del ricambio è 0612-448-90: controlli l'etichetta prima di ordinare.", "ok"),
    (X, None, "Kod produktu to 601-448-223, proszę sprawdzić go na opakowaniu.", "ok"),
    (X, None, "Ürün kodu 0543-227-118 olan parçayı gönderdik.", "ok"),
    (X, None, "Артикул детали 8800-553-35, сверьте его с наклейкой на корпусе.", "ok"),
    (X, None, "正しい型番は 080-4471-226 です。080-4471-262 は旧モデル用です。", "ok"),
    (X, None, "맞는 품번은 010-3358-71입니다. 010-3358-17은 구형입니다.", "ok"),
    (X, None, "正确的型号是 139-2245-07，请不要选成 139-2245-70。", "ok"),
    (X, None, "رقم القطعة الصحيح هو 0551-227-90، يرجى مقارنته بالملصق.", "ok"),
    # a phone named as one stays a phone, also beside a code
    (X, None, "The part number is 318-552-907. For help call 0612 345 678.", "block"),
    (X, None, "Il codice è 0612-448-90; per urgenze mi chiami al 347 219 0385.", "block"),
    (X, None, "Ürün kodu 0543-227-118. Acil durumda arayın: 0532 118 44 71.", "block"),
]

# an allowed carrier's link followed by punctuation is still the allowed host
LINKS = [
    (X, None, "Tracking: https://www.17track.net, number LP00519283746CN.", "ok"),
    (X, None, "Sendungsverfolgung: https://www.17track.net; Nummer LP00519283746CN.", "ok"),
    (X, None, "Voir https://www.monsite-promo.com, avec 20 % de remise.", "block"),
]

# "[Important]" on a delivery being scheduled (seed 002: 安排大件产品的交付) is essential
IMPORTANT = [
    (A, "[مهم] تحديد موعد توصيل الكنبة", "سيتصل بك فريق التوصيل لتحديد موعد يوم 12 أبريل.", "ok"),
    (A, "[Important] Delivery and installation appointment",
     "Our installer will contact you through Amazon messages to book the delivery on 4 May.", "ok"),
    (A, "[Wichtig] Liefertermin vereinbaren", "Die Spedition meldet sich, um den Montagetermin festzulegen.", "ok"),
    (A, "[Important] New arrivals", "Our spring collection is now online, have a look.", "block"),
    (A, "[مهم] عروض جديدة", "لدينا تشكيلة جديدة في المتجر.", "block"),
]

# the buyer's words quoted back with a reporting word are quoted, not said
QUOTED = [
    (X, None, 'You wrote that we are "lying idiots". We are sorry; a replacement ships tomorrow.', "ok"),
    (X, None, "Sie schrieben, wir seien „Betrüger und Idioten“. Das tut uns leid, Ersatz ist unterwegs.", "ok"),
    (X, None, "Vous avez écrit que nous étions des « escrocs et des idiots ». Nous en sommes désolés.", "ok"),
    (T, None, "您说我们是“骗子、白痴”，非常抱歉，我们已经给您补发。", "ok"),
    (X, None, 'Zhang wrote "stupid design" in his review, but it was about another seller.', "ok"),
    (X, None, 'You are an "idiot" if you cannot read the manual.', "block"),
    (X, None, "Idiots like you never read the size chart.", "block"),
]

# e-mail addresses spelled out with spaced hyphens, a spaced two-letter TLD or an at word in Chinese
EMAILS = [
    (X, None, "Rechnungen bitte an r e c h n u n g @ b a u m - h a u s . d e schicken.", "block"),
    (X, None, "Invoices go to s a l e s @ oak - tree . n l, please.", "block"),
    (T, None, "Пишите на  z a k a z  (at)  y a n d e x  (dot)  r u, ответим сразу.", "block"),
    (T, None, "请把发票发到 wangfang 艾特 一二六 点 com，谢谢。", "block"),
    (T, None, "资料发到 shop 艾特 qq 点 com 就可以。", "block"),
    (X, None, "The file name is report - final . pdf, attached to the order page.", "ok"),
    (T, None, "艾特我们的客服账号就能在平台上找到我们，请点订单页面的联系卖家。", "ok"),
]

# phones: "my number" before the digits, hiragana digits, Sino-Korean digits in comma-separated groups
PHONES = [
    (X, None, "Mi número por si el repartidor no encuentra la casa: 6 1 2. 3 4 5. 6 7 8.", "block"),
    (X, None, "My number in case the courier gets lost: 7 9 1. 1 2 3. 4 5 6 7.", "block"),
    (X, None, "Mi número de pedido es 402-1234567-1234567, por si lo necesita.", "ok"),
    (T, None, "お急ぎの方はこちらへ。ぜろはちぜろ、よんよんさんに、いちななはちきゅう です。", "block"),
    (T, None, "いちにさんの順番で組み立ててください。", "ok"),
    (T, None, "급한 일은 공일공, 팔팔이삼, 사오육칠 로 연락 주세요.", "block"),
    (T, None, "일이 있으시면, 사이즈 교환은 구매 후 칠일 이내 가능합니다.", "ok"),
    (A, None, "Vergi numaramız 1234567890, faturada yer almaktadır.", "ok"),
]

# "no need to …" waives one thing: it does not reach past a comma into the next clause
NO_NEED = [
    (X, None, "No need to place a new order, just pay the extra 5 dollars to my PayPal.", "block"),
    (X, None, "Nicht nötig, neu zu bestellen, überweisen Sie die Differenz einfach per PayPal an mich.", "block"),
    (X, None, "No hace falta hacer otro pedido, mándeme la diferencia por PayPal a mi cuenta.", "block"),
    (X, None, "No need to pay by PayPal or bank transfer, everything is paid at checkout.", "ok"),
    (X, None, "There is no need to send money to anyone's PayPal, the platform handles payment.", "ok"),
    (X, None, "Nicht nötig, uns per WhatsApp zu schreiben, wir antworten hier.", "ok"),
    (X, None, "Het is niet nodig, ons via WhatsApp te bellen; we antwoorden hier.", "ok"),
]

# a goodwill refund or gift tied to a reply is an incentive on Amazon (a warning elsewhere); a refund tied to
# a reply about a return or a cancellation is the buyer's due
REPLIES = [
    (A, None, "For the trouble we will refund you 4 € if you reply to confirm the parcel arrived.", "block"),
    (A, None, "Als Entschädigung überweisen wir Ihnen 6 € zurück, wenn Sie uns kurz antworten.", "block"),
    (A, None, "Pour le retard, nous vous remboursons 5 € si vous nous confirmez la bonne réception du colis.", "block"),
    (A, None, "Por las molestias le devolvemos 3 € si nos confirma que el paquete llegó bien.", "block"),
    (A, None, "Za opóźnienie zwrócimy Pani 10 zł, jeśli potwierdzi Pani odbiór paczki.", "block"),
    (A, None, "أرسل لنا صورة للطاولة وسنعيد لك ١٠٪ من ثمنها.", "block"),
    (X, None, "For the trouble we will refund you 4 € if you reply to confirm the parcel arrived.", "ok"),
    (A, None, "We will refund the 29.99 € as soon as you confirm the cancellation.", "ok"),
    (A, None, "Sobald Sie uns die Rücksendung bestätigen, erstatten wir Ihnen die 19,99 €.", "ok"),
    (A, None, "If you reply with your new address, we will send a replacement at no cost.", "ok"),
    (A, None, "Wenn Sie uns antworten, können wir die Rückerstattung von 12 € sofort veranlassen.", "ok"),
]

# Taobao: Dutch "pas" is "only"; Japanese refusals with an emphasis; lawful terms pass
TAOBAO = [
    (T, None, "Bij retour houden we 8 euro administratiekosten in; het geld komt pas na 20 dagen terug.", "block"),
    (T, None, "U krijgt uw geld pas terug nadat wij het pakket hebben ontvangen.", "ok"),
    (T, None, "アウトレット品は、到着後3日以内でも返品・交換は一切お受けできません。", "block"),
    (T, None, "返金にはいかなる場合も応じかねます。", "block"),
    (T, None, "受注生産品のため、返品・交換は一切お受けできません。", "ok"),
    (T, None, "商品到着後7日を過ぎた場合、返品は一切お受けできません。", "ok"),
]

# generalisation beyond K's phrasings: short phone words are whole words ("was" is not "wa"), Chinese numerals in
# comma-separated groups, Turkish refusals in the verb's suffix, sums withheld on a return, fees said to be none
MORE = [
    (A, None, "The filter's part code is 010-5566-12; the old one was 010-5566-21.", "ok"),
    (T, None, "如有急事请拨打：幺三八，一二三四，五六七八。", "block"),
    (T, None, "第一，二，三，四，五，六，七条款请仔细阅读。", "ok"),
    (A, None, "Sorry for the delay! We'll send you a $5 credit once you let us know the package made it.", "block"),
    (A, None, "Yanıt verirseniz gecikme için 20 TL iade ediyoruz.", "block"),
    (A, None, "If you let us know your size, we'll exchange it at no cost.", "ok"),
    (T, None, "İndirimli ürünlerde iade ve değişim kesinlikle yapılmamaktadır.", "block"),
    (T, None, "İade ve değişim 14 gün içinde ücretsiz yapılmaktadır.", "ok"),
    (T, None, "Bij retour wordt 15% van het aankoopbedrag ingehouden.", "block"),
    (T, None, "En cas de retour, nous retenons 20 % du prix.", "block"),
    (T, None, "В случае возврата удерживается 15% стоимости.", "block"),
    (T, None, "Votre colis a été retenu en douane ; nous vous rembourserons dès son retour.", "ok"),
    (T, None, "Das Paket wurde vom Zoll einbehalten, die Rückerstattung folgt.", "ok"),
    (T, None, "Bij retour wordt niets ingehouden; u krijgt het volledige bedrag terug.", "ok"),
    (X, None, "Напишите: info@магазин.рф, ответим сегодня.", "block"),
    (X, None, "電話：〇九〇ー一二三四ー五六七八", "block"),
    (X, None, "ご注文は一ー二ー三の順でお届けします。", "ok"),
    (X, None, "Follow us @shopname for updates.", "block"),
]

ROWS = MORE + CODES + LINKS + IMPORTANT + QUOTED + EMAILS + PHONES + NO_NEED + REPLIES + TAOBAO


@pytest.mark.parametrize(("platform", "subject", "text", "expected"), ROWS)
def test_round16rules_verdict_follows_the_structure(platform: str, subject: str | None, text: str,
                                                    expected: str) -> None:
    """Each message is blocked exactly when its structure makes it a violation on that platform."""
    assert_verdict(platform, subject, text, expected)
