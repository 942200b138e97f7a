"""Round 18 rules (dev sets D1–D3, outside the repository): the normaliser's spacing fold and one-letter words,
the platform bypassed by name, dictated review content, a review question reported, pressure before a request,
gifts as thanks and referrals, chain letters with prizes, Taobao blanket refusals and unsealed media, customs
as essential (not recalls), payment codes a device prints, dimensions written "x", veiled threats with the buyer's
address, and the chain-letter sense of "łańcuszek".

Each row: platform, subject (or None), text, expected verdict — ``block``, or ``ok`` for anything but block.
Rows are written for these tests in several languages, a violation beside its nearest hard negative.
"""

from __future__ import annotations

import pytest

from autoreply.compliance.normalize import normalize
from tests.compliance_rows import assert_verdict

A, X, T = "amazon", "aliexpress", "taobao"

# a one-letter word beside spaced digits stays a word; spaced letters and leetspeak still fold
SPACING = [
    ("llámeme al 6 1 2 3 4 5 6 7 8 y le atiendo", "llameme al 612345678 y le atiendo"),
    ("zadzwoń 6 0 1 2 3 4 5 6 7 i porozmawiamy", "zadzwon 601234567 i porozmawiamy"),
    ("w h 4 t s a p p", "wh4tsapp"),
    ("r 3 v 1 e w", "r3v1ew"),
    ("j o h n 8 5 at gmail", "john85 at gmail"),
]


@pytest.mark.parametrize(("text", "folded"), SPACING)
def test_round18_spacing_fold_keeps_one_letter_words_apart_from_digits(text: str, folded: str) -> None:
    """A one-letter word next to a group of spaced digits is not joined to the number."""
    assert normalize(text).text == folded


PHONE_WORDS = [
    (X, None, "Zadzwoń 6 0 1 2 3 4 5 6 7 i porozmawiamy o rozmiarze.", "block"),
    (X, None, "Chiamami al 3 4 7 1 2 3 4 5 6 7 e ti rispondo subito.", "block"),
    (X, None, "W paczce są 2 x 3 słoiki i 1 x 5 kg mąki.", "ok"),
    # a number broken over lines at its hyphens is one number; a part number is no phone
    (T, None, "Call me if urgent\n0612-\n345-\n678", "block"),
    (A, None, "The brake discs you asked about (OE number 34116854997) fit the 2015 model.", "ok"),
    (A, None, "Диски, о которых вы спрашивали (артикул 34116854997), подходят к модели 2015 года.", "ok"),
]

# the platform named as what to do without, or to beat, with an order / contact / "directly" word
BYPASS = [
    (X, None, "Next time just order directly from our warehouse without AliExpress, it ships faster.", "block"),
    (A, None, "La prossima volta può ordinare direttamente da noi, senza passare per Amazon.", "block"),
    (T, None, "Beim nächsten Mal schreiben Sie uns direkt, ohne Taobao, dann wird es günstiger.", "block"),
    (T, None, "下次直接找我们下单，不走淘宝更便宜。", "block"),
    (X, None, "Следующий заказ можно сделать напрямую у нас, будет дешевле, чем на АлиЭкспресс.", "block"),
    (X, None, "For bulk orders contact our factory directly, the price is better than here.", "block"),
    # the platform's own name in its own sentence, or a refusal
    (X, None, "Please never order from us outside AliExpress: only the platform protects your payment.", "ok"),
    (A, None, "Without Amazon's confirmation of the return we cannot issue the refund.", "ok"),
    (X, None, "Купон, о котором вы спрашивали, есть на странице магазина на АлиЭкспресс.", "ok"),
    (X, None, "الكوبون موجود في صفحة متجرنا على علي إكسبريس، اضغط عليه قبل الدفع.", "ok"),
    # Arabic "فقط" before an imperative is "just", not "only through"
    (A, None, "للطلبات القادمة اطلب من متجرنا الإلكتروني، فقط ابحث عن اسمنا.", "block"),
    (A, None, "نتواصل معك فقط عبر رسائل أمازون.", "ok"),
]

# the review's content dictated; a quote of the buyer's own review acknowledged is none
DICTATED = [
    (X, None, "Please leave 5 stars and write 'great seller, fast delivery' in the review.", "block"),
    (T, None, "Bitte schreiben Sie in Ihrer Bewertung „schnelle Lieferung, tolle Qualität“, das hilft uns.", "block"),
    (A, None, "よろしければレビューに「対応が早い」と書いていただけると嬉しいです。", "block"),
    (A, None, "We read your review 'the strap is too short' and are sending a longer one.", "ok"),
    (X, None, "The button on the review page says 'Submit', in case you can't find it.", "ok"),
]

# the buyer's review question reported and answered
REVIEW_ASKED = [
    (X, None, "You asked whether you can change your rating once the parcel arrives: that is up to you.", "ok"),
    (T, None, "您问能不能修改评价——这完全由您决定，我们不会干涉。", "ok"),
    (X, None, "Since the new parcel arrived, could you change your rating to five stars?", "block"),
    (T, None, "新的已经寄到了，麻烦您把评价修改一下。", "block"),
]

# a review taken back: pronoun forms; what the buyer wrote, two sentences after the review
REVIEW_CHANGE = [
    (A, None, "Vimos su opinión de una estrella. Ya le hemos reembolsado. Le agradeceríamos que la retirara.",
     "block"),
    (A, None, "Widzimy Pani opinię. Jeśli ją Pani usunie, przelejemy 30 zł.", "block"),
    (A, None, "Hello Mrs. Carter, we saw your feedback. The supplier has changed. Would you reconsider what you wrote?",
     "block"),
    (A, None, "Vimos su opinión. Su dirección estaba incompleta. Le agradeceríamos que la corrigiera en su cuenta.",
     "ok"),
]

# a plea first, the request with its review word right after; only happy buyers asked, the others sent to the seller
PRESSURE = [
    (A, None, "このままでは店を続けられるか分かりません。どうか高評価をお願いします。", "block"),
    (A, None, "We may not stay in business this year. Please leave us a five-star review.", "block"),
    (A, None, "لو كنت راضيا عن المنتج فلا تنس تقييم خمس نجوم، أما إذا كانت لديك ملاحظة فراسلنا أولا.",
     "block"),
    (A, None, "We are a small family shop and this year has been hard. Your parcel ships on Monday.", "ok"),
]

# gifts as thanks, a surprise, a referral or a survey paid for; the due for a defect is none
INCENTIVES = [
    (A, None, "For being one of our first customers we added a little extra to your parcel: a spare set of lids.",
     "block"),
    (A, None, "Als Dankeschön liegt eine kleine Überraschung bei – wir verraten nicht, was es ist.", "block"),
    (A, None, "Jeśli poleci Pan nasz plecak znajomym, wyślemy drugi gratis.", "block"),
    (A, None, "설문조사에 참여해 주시면 기프티콘을 보내 드립니다.", "block"),
    (A, None,
     "Es un defecto de fábrica, así que le ofrecemos el reembolso completo de 59,90 € sin necesidad de devolverlo.",
     "ok"),
    (A, None, "We're sorry the lid cracked; a replacement lid is on its way free of charge.", "ok"),
]

# chain letters with a prize, a relative's business, fortune telling sold
SPAM = [
    (X, None, "Congratulations! Forward this message to 10 friends to enter our iPhone draw.", "block"),
    (T, None, "转发本消息给十位好友即可参加抽奖，不转发会倒霉！", "block"),
    (A, None, "Nuestro cuñado tiene una agencia de viajes con ofertas increíbles, pregúntenos.", "block"),
    (T, None, "今週の運勢：恋愛運が上昇中！開運ブレスレットを今だけ特別価格でご案内します。", "block"),
    (A, None, "Nuestro cuñado diseñó este estampado; la tela es algodón orgánico.", "ok"),
    (T, None, "星座ブレスレットは全12種類、特別価格でご用意しております。", "ok"),
]

# "łańcuszek" is a necklace unless it is a chain letter
CHAIN = [
    (A, None, "Łańcuszek srebrny ma 45 cm i zapięcie typu karabińczyk.", "ok"),
    (X, None, "Łańcuszek jest ze stali chirurgicznej, nie ciemnieje.", "ok"),
    (X, None, "To jest łańcuszek szczęścia: wyślij go dziesięciu osobom.", "block"),
    (X, None, "Nie przerywaj łańcuszka, bo spotka cię nieszczęście.", "block"),
]

# Taobao: blanket refusals; a worn item, unsealed media
TAOBAO = [
    (T, None, "Niente rimborsi: controlli bene la taglia prima di ordinare.", "block"),
    (T, None, "단순변심 환불 절대 불가입니다.", "block"),
    (T, None, "理由を問わず返品はお受けできません。", "block"),
    (T, None, "The shoes came back with clear signs of wear. We can't refund the full amount in this case.", "ok"),
    (T, None, "DVDは開封後は7日間無理由返品の対象外です。未開封なら返品できます。", "ok"),
    (T, None, "La maglia resa è integra: il rimborso parte oggi, ci scusi per il disguido.", "ok"),
]

# [Important]: goods held by customs that need the buyer's data are essential; a plain update is not, nor a
# product recall (PLATFORM_RULES names custom details, large-item delivery scheduling and invalid addresses only)
IMPORTANT = [
    (A, "[Important] Product recall: kettle model K2", "Please stop using the kettle; Amazon refunds you in full.",
     "block"),
    (A, "[Wichtig] Rückrufaktion Kindersitz", "Bitte verwenden Sie den Sitz nicht mehr; Amazon erstattet den Preis.",
     "block"),
    (A, "[Important] Your parcel is held by customs", "The broker needs the importer's full name; please reply here.",
     "ok"),
    (A, "[Important] Your parcel is on its way", "It left our warehouse today.", "block"),
]

# device features: a payment code a device prints, a smart lock's mini app, dimensions written with "x"
FEATURES = [
    (T, None, "这款收银打印机支持打印收款码，USB连接，店里直接用。", "ok"),
    (T, None, "请直接扫我的收款码付款，比平台便宜。", "block"),
    (T, None, "このスマートロックはWeChatのミニアプリからも解錠できます。", "ok"),
    (A, None, "Pode me mandar largura x altura em cm aqui pelo chat da Amazon?", "ok"),
    (A, None, "Follow us on X: @casa_cortinas for new models.", "block"),
    (A, None, "The Bitcoin logo keychain is zinc alloy, decoration only.", "ok"),
    (A, None, "You can also pay us in Bitcoin, it is cheaper.", "block"),
]

# veiled threats with the buyer's address; insults without a rude word
THREATS = [
    (X, None, "We know where you live. Think carefully before you leave another review.", "block"),
    (X, None, "Адрес у нас есть. Подумайте, прежде чем писать такие отзывы.", "block"),
    (X, None, "We have your address from the order, so the replacement goes out today.", "ok"),
    (X, None, "¿Otra vez? Deje de hacernos preguntas tontas.", "block"),
    (T, None, "二度と買わないでください。", "block"),
    (A, None, "If the size is wrong, you don't need to buy again: we exchange it for free.", "ok"),
    (X, None, "Странно, что взрослый человек не может прочитать инструкцию.", "block"),
]

# other wordings: "green app" for a messenger, a Korean polite ask to cancel, a Turkish indirect review request
OTHER = [
    (X, None, "Fotoğraflar için yeşil uygulamada bizi aratın.", "block"),
    (X, None, "Yeşil renkli kılıf da stokta var.", "ok"),
    (A, None, "품절이라 발송이 어렵습니다. 주문을 취소해 주시겠어요?", "block"),
    (A, None, "품절이라 주문은 저희가 취소해 드리겠습니다.", "ok"),
    (A, None, "Ürünü değerlendirmeniz bizim için çok kıymetli olur.", "block"),
    (A, None, "Ürünü iade etmek isterseniz sipariş sayfasından başvurabilirsiniz.", "ok"),
]

ROWS = (PHONE_WORDS + BYPASS + DICTATED + REVIEW_ASKED + REVIEW_CHANGE + PRESSURE + INCENTIVES + SPAM + CHAIN + TAOBAO
        + IMPORTANT + FEATURES + THREATS + OTHER)


@pytest.mark.parametrize(("platform", "subject", "text", "expected"), ROWS)
def test_round18rules_verdict_follows_the_structure(platform: str, subject: str | None, text: str,
                                                    expected: str) -> None:
    """Each message is blocked exactly when its structure makes it a violation on that platform."""
    assert_verdict(platform, subject, text, expected)
