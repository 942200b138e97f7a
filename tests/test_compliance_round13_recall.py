"""Round 13 recall classes, each in several languages: condescension without an insult word (common
sense "as anyone knows", "even you can", a hedged "next time" with reading, congratulating a mistake,
explaining "a third time"), review manipulation (contact us before rating, below five stars, only
satisfied buyers, indirect change words, an offer once the review changes) and Taobao after-sales
terms (sale items, opened goods, exchange only, return postage on a quality problem, short windows)."""

from __future__ import annotations

import pytest

from autoreply.compliance import ComplianceEngine
from tests.test_compliance_round10 import assert_blocked_where_forbidden, assert_not_blocked

A, X, T = "amazon", "aliexpress", "taobao"
EVERYWHERE = (A, X, T)

# (text, platforms where it is blocked, the check that must fire there)
VIOLATIONS = [
    # condescension: common sense compared with anyone
    ("As anybody with common sense would know, batteries do not go in the microwave.", EVERYWHERE, "insult"),
    ("Wie jeder mit gesundem Menschenverstand sieht, ist das Kabel zu kurz für Ihre Wand.", EVERYWHERE, "insult"),
    ("Cualquiera con sentido común sabe que la lana se lava en frío.", EVERYWHERE, "insult"),
    ("Любой человек со здравым смыслом понял бы, что это чехол, а не телефон.", EVERYWHERE, "insult"),
    ("有点常识的人都知道羽绒服不能暴晒。", EVERYWHERE, "insult"),
    # "even you", "a toddler could"
    ("I'm sure that even you can follow three pictures in the manual.", EVERYWHERE, "insult"),
    ("Je suis certain que même vous pourrez visser un couvercle.", EVERYWHERE, "insult"),
    ("Estoy seguro de que hasta usted puede conectar un cable.", EVERYWHERE, "insult"),
    ("Eminim siz bile bu kapağı açabilirsiniz.", EVERYWHERE, "insult"),
    ("相信就算是你也能把电池装进去。", EVERYWHERE, "insult"),
    # a hedged "next time" next to reading
    ("Maybe next time try reading the label before you open the bottle.", EVERYWHERE, "insult"),
    ("Magari la prossima volta provi a leggere le istruzioni prima di chiamarci.", EVERYWHERE, "insult"),
    ("Misschien kunt u de volgende keer eerst de beschrijving lezen.", EVERYWHERE, "insult"),
    ("다음에는 주문 전에 상품 설명을 한 번 읽어 보시는 건 어떨까요?", EVERYWHERE, "insult"),
    # congratulating a mistake, explaining a third time, sarcasm about reading
    ("Bravo, vous êtes le premier client à casser une poignée en acier.", EVERYWHERE, "insult"),
    ("Gratulacje, jest pan pierwszym klientem, który zgubił pilota w pudełku.", EVERYWHERE, "insult"),
    ("We explained this twice already, but here it is a third time.", EVERYWHERE, "insult"),
    ("Мы уже объясняли это, но повторим в третий раз.", EVERYWHERE, "insult"),
    ("Reading the size chart was apparently too much to ask.", EVERYWHERE, "insult"),
    # contact us before rating
    ("Please message us before you leave a review so we can sort it out.", EVERYWHERE, "review_manipulation"),
    ("Kontaktieren Sie uns bitte vor der Bewertung, wir finden eine Lösung.", EVERYWHERE, "review_manipulation"),
    ("Antes de calificar el pedido, escríbanos por favor.", EVERYWHERE, "review_manipulation"),
    ("Przed wystawieniem opinii prosimy o kontakt z nami.", EVERYWHERE, "review_manipulation"),
    ("レビューを書く前に、ご連絡ください。", EVERYWHERE, "review_manipulation"),
    ("评价之前请先联系客服，我们帮您处理。", EVERYWHERE, "review_manipulation"),
    # below five stars, then talk to us first
    ("Planning on fewer than 5 stars? Get in touch first, please.", EVERYWHERE, "review_manipulation"),
    ("Weniger als fünf Sterne geplant? Schreiben Sie uns zuerst.", EVERYWHERE, "review_manipulation"),
    ("Меньше 5 звёзд? Сперва свяжитесь с нами.", EVERYWHERE, "review_manipulation"),
    ("低于五星的话请先找客服。", EVERYWHERE, "review_manipulation"),
    # only satisfied buyers
    ("Only happy customers, please leave us a review.", EVERYWHERE, "review_manipulation"),
    ("Solo i clienti soddisfatti sono pregati di lasciare una recensione.", EVERYWHERE, "review_manipulation"),
    ("Tylko zadowoleni klienci proszeni są o wystawienie opinii.", EVERYWHERE, "review_manipulation"),
    # indirect change words, an offer once the review changes
    ("Now that it works, could you revisit your review?", EVERYWHERE, "review_manipulation"),
    ("Agora que chegou a peça, poderia rever a sua avaliação?", EVERYWHERE, "review_manipulation"),
    ("De terugbetaling volgt zodra uw beoordeling is aangepast.", EVERYWHERE, "review_manipulation"),
    ("Возврат оформим, как только отзыв будет обновлён.", EVERYWHERE, "review_manipulation"),
    ("리뷰를 업데이트해 주시면 바로 환불해 드립니다.", EVERYWHERE, "review_manipulation"),
    ("Send us a screenshot of your 5-star review and we will send you a gift card.", EVERYWHERE,
     "review_manipulation"),
    # Taobao after-sales terms
    ("Clearance items are not eligible for a refund.", (T,), "after_sales_terms"),
    ("Once unpacked, the vacuum cleaner can no longer be returned.", (T,), "after_sales_terms"),
    ("We can swap the size, but we don't give refunds.", (T,), "after_sales_terms"),
    ("For defective items the return shipping is at your own expense.", (T,), "after_sales_terms"),
    ("Bei defekten Geräten tragen Sie die Rücksendekosten selbst.", (T,), "after_sales_terms"),
    ("Les articles en solde ne peuvent pas être retournés.", (T,), "after_sales_terms"),
    ("Si el reloj es defectuoso, los gastos de envío corren por su cuenta.", (T,), "after_sales_terms"),
    ("Effettuiamo solo cambi di taglia, nessun rimborso.", (T,), "after_sales_terms"),
    ("Produtos abertos não podem ser devolvidos.", (T,), "after_sales_terms"),
    ("Bij een defect zijn de verzendkosten voor uw rekening.", (T,), "after_sales_terms"),
    ("Przy wadliwym towarze koszt przesyłki ponosi kupujący.", (T,), "after_sales_terms"),
    ("Arızalı üründe kargo ücreti alıcıya aittir.", (T,), "after_sales_terms"),
    ("Возврат возможен только в течение 48 часов.", (T,), "after_sales_terms"),
    ("نقوم بالاستبدال فقط ولا نعيد المبلغ للمنتجات المخفضة.", (T,), "after_sales_terms"),
    ("返品は到着後24時間以内のみ受け付けます。", (T,), "after_sales_terms"),
    ("불량이라도 왕복 배송비는 고객님 부담입니다.", (T,), "after_sales_terms"),
    ("质量问题退回的运费由买家承担。", (T,), "after_sales_terms"),
    ("拆了包装就不能退了。", (T,), "after_sales_terms"),
    ("签收三天后就不处理退货了。", (T,), "after_sales_terms"),
    ("Our no-questions-asked return window is 2 days.", (T,), "after_sales_terms"),
]

# (text, subject): innocent everywhere
INNOCENT = [
    # firm, polite refusals and plain advice
    ("We cannot offer a discount after the purchase; thank you for understanding.", None),
    ("La lana se lava en frío; así el jersey conserva su forma.", None),
    ("Next time you order, you can pick express delivery at checkout.", None),
    ("Anyone can install it in ten minutes with the included screwdriver.", None),
    ("Beim nächsten Mal können Sie die Lieferung an eine Packstation wählen.", None),
    ("Congratulations on your new home! The shelf ships on Monday.", None),
    ("You are the first customer to report this, thank you; we are checking the batch.", None),
    ("We explained the delay to the courier and asked them to call you.", None),
    # reviews left to the buyer, contact offered without a review
    ("Ob Sie eine Bewertung schreiben, bleibt ganz Ihnen überlassen.", None),
    ("If anything is wrong with the blender, just contact us and we will help.", None),
    ("Feel free to update us on how the plant is doing.", None),
    ("Bitte aktualisieren Sie Ihre Adresse, bevor wir das Paket versenden.", None),
    ("Please contact us before returning the item so we can send a label.", None),
    ("Only the black model comes with a carry case.", None),
    ("Si está satisfecho con el cambio de talla, no necesita hacer nada más.", None),
    # lawful after-sales terms and the legal exceptions
    ("You can return the item within 7 days without giving a reason.", None),
    ("For a quality problem within 15 days we exchange it and pay the postage.", None),
    ("Personalised mugs are made to order, so they cannot be returned without a reason.", None),
    ("Los cuadros hechos por encargo no tienen devolución salvo defecto.", None),
    ("Gravierte Artikel sind auf Bestellung gefertigt und vom Umtausch ohne Grund ausgenommen.", None),
    ("Could you keep the tracking number? Refunds are only processed within 3 days after the return arrives.", None),
    ("签收后7天内支持无理由退货，质量问题我们承担运费。", None),
    ("生鲜水果不支持无理由退货，坏果包赔。", None),
    ("返品は商品到着後7日以内であれば理由を問わず承ります。", None),
    ("불량인 경우 반품 배송비는 저희가 부담합니다.", None),
    ("如果系统不能退款，请联系客服。", None),
    ("Zwrot pieniędzy nastąpi, jak tylko paczka do nas dotrze.", None),
]


@pytest.mark.parametrize(("text", "blocked_on", "check"), VIOLATIONS)
def test_round13_violations_are_blocked_where_the_platform_forbids_them(
        text: str, blocked_on: tuple[str, ...], check: str) -> None:
    """Each violation is blocked by its check on the platforms whose rules forbid it."""
    assert_blocked_where_forbidden(text, blocked_on, check)


@pytest.mark.parametrize(("text", "blocked_on", "check"), VIOLATIONS)
def test_round13_violations_are_found_by_the_rules_alone(
        text: str, blocked_on: tuple[str, ...], check: str) -> None:
    """The word lists and structures find each violation without the learned classifier."""
    engine = ComplianceEngine(use_classifier=False)
    for platform in blocked_on:
        verdict = engine.check(platform=platform, subject=None, body=text)
        assert check in {f.check for f in verdict.findings if f.severity == "block"}, (platform, verdict)


@pytest.mark.parametrize(("text", "subject"), INNOCENT)
@pytest.mark.parametrize("platform", EVERYWHERE)
def test_round13_hard_negatives_pass(text: str, subject: str | None, platform: str) -> None:
    """Polite refusals, plain advice, reviews left to the buyer, lawful after-sales terms and the
    legal exceptions are never blocked."""
    assert_not_blocked(text, subject, platform)
