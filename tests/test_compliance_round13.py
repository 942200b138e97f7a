"""Round 13 false blocks, each class in several languages beside the violations that look like it:
fraud warnings ("pay nobody who writes to you on WhatsApp"), messengers named as product features,
thanks for a review or feedback with a fix, essential delivery scheduling of large items, neutral
"good or bad" review requests, Taobao's legal exceptions (periodicals, used goods — never for quality
problems), polite firm refusals and everyday words that were read as insults."""

from __future__ import annotations

import pytest

from tests.test_compliance_round10 import assert_blocked_where_forbidden, assert_not_blocked

A, X, T = "amazon", "aliexpress", "taobao"
EVERYWHERE = (A, X, T)

# (text, platforms where it is blocked, the check that must fire there)
VIOLATIONS = [
    # off-platform payment and contact close to a fraud warning
    ("Stuur ons een Tikkie, dat is makkelijker dan het platform.", EVERYWHERE, "off_platform_payment"),
    ("Pay by bank transfer to us, it's cheaper. The marketplace fee is not ours.", EVERYWHERE, "off_platform_payment"),
    ("Para pagar menos, hable conmigo por WhatsApp y le paso el número de cuenta.", EVERYWHERE, "messenger"),
    ("Ödemeyi bize havale ile gönderin, komisyon ödemezsiniz.", EVERYWHERE, "off_platform_payment"),
    # a messenger as a contact channel, with a product feature in the same message
    ("Por WhatsApp le mando un vídeo de cómo se empareja la pulsera.", EVERYWHERE, "messenger"),
    ("Ich schicke Ihnen per Telegram eine Anleitung, wie die Uhr gekoppelt wird.", EVERYWHERE, "messenger"),
    ("Contact us on WhatsApp for help with the smartwatch.", EVERYWHERE, "messenger"),
    ("手环的问题加我微信，我给您发视频。", EVERYWHERE, "messenger"),
    # steering away from a bad review is manipulation, even beside "good or bad"
    ("Ob gut oder schlecht: bei Problemen bitte keine schlechte Bewertung, sondern schreiben Sie uns.",
     EVERYWHERE, "review_manipulation"),
    ("如果不满意请先联系客服，不要直接给差评。", EVERYWHERE, "review_manipulation"),
    # acknowledging a review and asking to change it
    ("Thanks for your review! Could you update it to five stars now that the lid is fixed?",
     EVERYWHERE, "review_manipulation"),
    # Amazon: a neutral request blocks there; a bare shipping confirmation stays one
    ("Qu'il soit bon ou mauvais, laissez-nous un avis sur la page du produit.", (A,), "review_request"),
    ("Your replacement went out with the courier today and should arrive by Thursday.", (A,), "order_confirmation"),
    ("Il suo ordine è stato spedito oggi. Buona giornata!", (A,), "order_confirmation"),
    # Taobao: an exception named, but quality problems refused too, or "other than" the exception
    ("Revistas y libros: no admitimos devoluciones, ni siquiera defectuosos.", (T,), "after_sales_terms"),
    ("杂志以外的商品拆封后概不退换。", (T,), "after_sales_terms"),
    ("已经使用过的商品不能退，质量问题换货只限5天内。", (T,), "after_sales_terms"),
    ("非质量问题3天内可以退货。", (T,), "after_sales_terms"),
    # an insult said of the buyer with a word that is harmless elsewhere
    ("Você é muito chato, leia a descrição antes de reclamar.", EVERYWHERE, "insult"),
    ("Il difetto l'avrebbe notato chiunque con un minimo di attenzione.", EVERYWHERE, "insult"),
]

# (text, subject): innocent everywhere
INNOCENT = [
    # fraud warnings
    ("Sollte Sie jemand auffordern, per Überweisung zu zahlen, melden Sie es bitte dem Kundenservice.", None),
    ("Krijgt u een betaalverzoek via WhatsApp? Dat komt niet van ons.", None),
    ("Betaal niemand die u via Telegram benadert; wij rekenen alleen via het platform af.", None),
    ("Mağazamız adına Telegram'dan yazıp IBAN gönderen kişilere para göndermeyin.", None),
    ("Non pagate nessuno che vi scriva su WhatsApp a nome nostro: è una truffa.", None),
    ("Не переводите деньги никому, кто пишет вам в Telegram от имени магазина.", None),
    ("当店を装って銀行振込を求めるSMSが届いても、お支払いなさらないでください。", None),
    ("如果有人让您加微信银行卡转账，那不是我们，请勿理会。", None),
    ("If you get a PayPal request in our name, that is a scam.", None),
    # messengers named as product features
    ("The fitness band vibrates for every WhatsApp message.", None),
    ("Het horloge trilt bij elk WhatsApp-bericht.", None),
    ("Die Tastatur hat eigene Tasten für WhatsApp und Instagram.", None),
    ("Słuchawki obsługują rozmowy przez Telegram i Skype.", None),
    ("Эти наушники совместимы со звонками в WhatsApp.", None),
    ("이 밴드는 카카오톡 메시지가 오면 진동합니다.", None),
    ("这款儿童手表可以接收微信消息，也支持视频通话。", None),
    ("このケースを付けたままでもLINEのビデオ通話ができます。", None),
    # neutral review requests (a warning at most on AliExpress and Taobao)
    ("好评差评都欢迎，期待您的真实评价。", None),
    ("Olumlu veya olumsuz, her yorum bizim için değerli.", None),
    ("Хороший или плохой — любой отзыв нам поможет.", None),
    # polite firm refusals and everyday words once read as insults
    ("Le reembolso no procede porque el paquete figura como entregado. Puede abrir una reclamación.", None),
    ("Het kan tot 5 werkdagen duren voordat de terugbetaling zichtbaar is.", None),
    ("Entendo, é chato esperar; o pacote sai amanhã cedo.", None),
    ("La macchia si toglie con acqua fredda, che descrive bene le istruzioni.", None),
    ("当店がレビューの見返りに特典を提供したり、評価の削除をお願いしたりすることはございません。", None),
]

# Amazon messages that are not bare confirmations, thanks-only messages or review requests
AMAZON_INNOCENT = [
    ("Obrigado pelo retorno. A peça nova foi enviada hoje; basta encaixá-la no lugar da antiga.", None),
    ("Диван передан в транспортную компанию. Водитель позвонит, чтобы согласовать время доставки.", None),
    ("L'armadio è stato spedito; per la consegna al piano il corriere fisserà un appuntamento con lei.", None),
    ("Il materasso è partito oggi: ci indichi un giorno in cui qualcuno è in casa per riceverlo.", None),
    ("Insistimos: no habrá reembolso. El artículo llegó en perfecto estado según la foto.", None),
    ("Wir haben Ihre Bewertung gelesen und freuen uns, dass Ihnen die Lampe gefällt.", None),
    ("남겨주신 리뷰 잘 읽었습니다. 포장 문제는 다음 배송부터 개선하겠습니다.", None),
    ("Мы прочитали ваш отзыв и передали замечание производству.", None),
    ("Thank you for the feedback on the zipper: our workshop has changed the supplier for new batches.", None),
    ("Danke für Ihre Rückmeldung. Wir haben das Problem mit der Maßtabelle behoben.", None),
    ("Merci pour votre retour. La pièce manquante est partie ce matin ; elle se fixe avec les deux vis.", None),
    ("Grazie della segnalazione. Il pezzo mancante è stato spedito oggi: va montato al passaggio 3.", None),
    ("Your sofa has arrived at the local depot. The carrier will phone you to book a delivery window.", None),
]

# Taobao after-sales terms that state a legal exception
TAOBAO_INNOCENT = [
    ("Czasopisma nie podlegają zwrotowi bez podania przyczyny; uszkodzony egzemplarz wymienimy.", None),
    ("Tijdschriften zijn uitgesloten van retour zonder reden; een beschadigd nummer vervangen we.", None),
    ("Zeitschriften sind von der Rückgabe ohne Angabe von Gründen ausgeschlossen.", None),
    ("期刊杂志不支持七天无理由退货，缺页破损请联系客服补发。", None),
    ("商品已经使用过，无法办理无理由退货，敬请谅解。", None),
    ("质量问题15天内包换，非质量问题7天内可无理由退货。", None),
]


@pytest.mark.parametrize(("text", "blocked_on", "check"), VIOLATIONS)
def test_round13_violations_are_blocked_where_the_platform_forbids_them(
        text: str, blocked_on: tuple[str, ...], check: str) -> None:
    """Each violation next to a round-13 hard negative is still blocked by its check where forbidden."""
    assert_blocked_where_forbidden(text, blocked_on, check)


@pytest.mark.parametrize(("text", "subject"), INNOCENT)
@pytest.mark.parametrize("platform", EVERYWHERE)
def test_round13_hard_negatives_pass(text: str, subject: str | None, platform: str) -> None:
    """Fraud warnings, product features, neutral review requests and polite refusals are never blocked."""
    assert_not_blocked(text, subject, platform)


@pytest.mark.parametrize(("text", "subject"), AMAZON_INNOCENT)
def test_round13_amazon_fixes_and_scheduling_pass(text: str, subject: str | None) -> None:
    """On Amazon, a fix, a next step, a delivery appointment or a refusal is not a bare confirmation or request."""
    assert_not_blocked(text, subject, A)


@pytest.mark.parametrize(("text", "subject"), TAOBAO_INNOCENT)
def test_round13_taobao_legal_exceptions_pass(text: str, subject: str | None) -> None:
    """On Taobao, periodicals, used goods and a correct no-reason window are lawful after-sales terms."""
    assert_not_blocked(text, subject, T)
