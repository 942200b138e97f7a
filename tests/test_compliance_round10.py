"""Round 10 classes of violations and hard negatives, each in several languages: indirect review
requests, changing "it" after a named review, stars for money, asking the buyer to cancel, thanks-only
closings, redirects, off-checkout payments, number words joined by hyphens, get-rich spam,
condescension, just-added products, Taobao after-sales terms in languages with spaces — and the
innocent messages next to them that must still pass."""

from __future__ import annotations

import pytest

from autoreply.compliance import check_text

A, X, T = "amazon", "aliexpress", "taobao"
EVERYWHERE = (A, X, T)

# (text, platforms where it is blocked, the check that must fire there)
VIOLATIONS = [
    # indirect review requests (Amazon blocks every request)
    ("When you have a moment, we would appreciate it if you could rate it on the order page.", (A,), "review_request"),
    ("Uw eerlijke mening op de productpagina helpt andere kopers enorm.", (A,), "review_request"),
    ("Si vous avez un instant, partagez votre expérience sur la page du produit.", (A,), "review_request"),
    ("Seria muito importante para nós se partilhasse a sua experiência na página do artigo.", (A,), "review_request"),
    ("Unas líneas suyas en la página del producto ayudarían a otros compradores.", (A,), "review_request"),
    ("Si vous êtes content du grille-pain, laissez-nous un avis.", (A,), "review_request"),
    # changing "it" after a named review, in the next sentence
    ("We saw your 1-star review. Now that the refund went through, could you remove it?", EVERYWHERE,
     "review_manipulation"),
    ("Hemos visto su valoración de dos estrellas. Ya que el problema está resuelto, ¿podría modificarla?",
     EVERYWHERE, "review_manipulation"),
    ("Abbiamo letto la sua recensione negativa. Adesso che il pacco è arrivato, potrebbe aggiornarla?",
     EVERYWHERE, "review_manipulation"),
    # stars for money: an offer, not a plain request
    ("Give us five stars and you will get 5 dollars back.", EVERYWHERE, "review_manipulation"),
    ("Geef ons 5 sterren en u krijgt 8 euro terug.", EVERYWHERE, "review_manipulation"),
    ("Mettez-nous 5 étoiles et vous recevrez 10 yuan.", EVERYWHERE, "review_manipulation"),
    # asking the buyer to cancel
    ("El modelo azul está agotado. Le agradeceríamos que cancelara usted el pedido.", (A,), "ask_to_cancel"),
    ("Il colore scelto è finito: le chiediamo di annullare l'ordine dal suo account.", (A,), "ask_to_cancel"),
    ("Der Artikel ist ausverkauft, wir bitten Sie, die Bestellung zu stornieren.", (A,), "ask_to_cancel"),
    ("Le produit est épuisé : nous vous demandons d'annuler la commande.", (A,), "ask_to_cancel"),
    # asking why, one sentence after the cancellation
    ("Schade, dass Sie storniert haben! Dürfen wir fragen, woran es gelegen hat?", (A,), "cancel_reason"),
    # thanks only
    ("Merci beaucoup pour votre achat, c'est un plaisir de vous compter parmi nos clients.", (A,), "thanks_only"),
    ("Muito obrigado pela sua compra! Foi um prazer tê-la como cliente.", (A,), "thanks_only"),
    ("Danke für Ihre Bestellung! Wir freuen uns sehr, Sie als Kunden zu haben.", (A,), "thanks_only"),
    # redirects
    ("Su Temu vendiamo gli stessi cuscini a metà prezzo.", EVERYWHERE, "off_platform_redirect"),
    ("Dá uma olhada na nossa loja da Shopee.", EVERYWHERE, "off_platform_redirect"),
    ("Busque «Casa Lumi» en Google y encontrará nuestra tienda.", EVERYWHERE, "off_platform_redirect"),
    ("Our shop is also on eBay.", EVERYWHERE, "off_platform_redirect"),
    ("Tapez « Atelier Nord » sur Google pour trouver notre boutique.", EVERYWHERE, "off_platform_redirect"),
    # payment outside the checkout
    ("It's easier to skip the checkout and send the balance to us.", EVERYWHERE, "off_platform_payment"),
    ("Den Aufpreis können Sie direkt an uns überweisen statt über AliExpress zu bezahlen.", EVERYWHERE,
     "off_platform_payment"),
    ("Het verschil kunt u via een Tikkie overmaken, dan hoeft u niets opnieuw te bestellen.", EVERYWHERE,
     "off_platform_payment"),
    # phones in number words joined by hyphens
    ("Rufen Sie uns an: null-sechs-neun, eins-zwei-drei, vier-fünf-sechs-sieben.", EVERYWHERE, "phone"),
    ("Bel ons op nul-zes, achtentwintig, negenenveertig, eenendertig, zeventien.", EVERYWHERE, "phone"),
    # get-rich spam, also in leetspeak
    ("Snel rijk worden met onze kr1ptoclub, rendement gegarandeerd!", EVERYWHERE, "spam"),
    ("Want to get rich quick? Join our crypto club today.", EVERYWHERE, "spam"),
    # condescension without an insult word
    ("It is not our fault if you can't follow three simple steps.", EVERYWHERE, "insult"),
    ("Si vous aviez lu la fiche, vous auriez vu la taille. Visiblement, la notion de mesure vous échappe.",
     EVERYWHERE, "insult"),
    ("Als u de beschrijving had gelezen, hadden we dit niet hoeven uitleggen.", EVERYWHERE, "insult"),
    ("Nossa, que dificuldade! Até uma criança liga esse aparelho.", EVERYWHERE, "insult"),
    ("Wir verstehen, dass Technik nicht jedermanns Stärke ist.", EVERYWHERE, "insult"),
    # newly added products
    ("We've just added matching cushions to our shop.", (A,), "promotion"),
    ("Abbiamo appena aggiunto nuove tazze al negozio, le trova in vetrina.", (A,), "promotion"),
    # Taobao after-sales terms in languages with spaces
    ("Sale items cannot be returned.", (T,), "after_sales_terms"),
    ("Los productos rebajados no admiten devoluciones.", (T,), "after_sales_terms"),
    ("La devolución sin motivo solo es posible en los primeros 3 días.", (T,), "after_sales_terms"),
    ("Bei einem Qualitätsmangel können Sie nur innerhalb von 10 Tagen umtauschen.", (T,), "after_sales_terms"),
    ("Retours zonder opgaaf van reden kunnen alleen binnen 5 dagen.", (T,), "after_sales_terms"),
    ("Devoluções sem motivo só são aceitas em até 5 dias.", (T,), "after_sales_terms"),
]

# (text, subject) that must pass on every platform
INNOCENT = [
    ("We never ask for payment outside AliExpress. If anyone claiming to be us sends you bank details, "
     "please ignore it and report the message.", None),
    ("The car mount works with any navigation app, and you can take WhatsApp calls hands-free.", None),
    ("Your complaint number is RK-2025-1193; please quote it in any reply.", None),
    ("Su número de reclamación es AB-2024-5567.", None),
    ("The parcel is stuck, so we opened a claim. You can follow it on https://www.dhl.de/en/tracking.html "
     "with the code JD014600003828391.", None),
    ("You can track it at www.ups.com with the number 1Z999AA10123456784.", None),
    ("We have received your return request and will review it within two working days.", None),
    ("Hemos recibido su solicitud de devolución y la revisaremos en dos días.", None),
    ("The carrier says the door code is missing. Could you add it to the delivery instructions?",
     "[Important] Delivery address incomplete"),
    ("Il corriere segnala che manca il codice di accesso. Può aggiungerlo alle istruzioni di consegna?",
     "[Importante] Indirizzo di consegna incompleto"),
    ("Thanks for your review! Your address was incomplete, so please update it in your account.", None),
    ("When you get a minute, check the size chart on the product page.", None),
    ("Appelez-nous via la messagerie Amazon si le colis n'arrive pas.", None),
    ("We will exchange the defective item within 3 days of receiving it.", None),
    ("You can return it without giving a reason within 7 days, and quality exchanges within 15 days.", None),
    ("Vous trouverez le point relais sur Google Maps.", None),
    ("Le point relais est visible sur Google.", None),
    ("Uw mening is belangrijk: laat ons weten wat er mis is met de lamp.", None),
    ("Hätten Sie die Anleitung zur Hand? Dann schauen wir gemeinsam auf Seite 4.", None),
    ("Le chiediamo scusa per il ritardo: il pacco partirà domani.", None),
    ("Les coussins personnalisés ne peuvent pas être retournés sans motif, mais un défaut reste couvert.", None),
    ("Os relógios gravados com nome não têm devolução sem motivo; defeitos continuam cobertos.", None),
]


def assert_blocked_where_forbidden(text: str, blocked_on: tuple[str, ...], check: str) -> None:
    for platform in blocked_on:
        verdict = check_text(platform=platform, subject=None, body=text)
        assert check in {f.check for f in verdict.findings if f.severity == "block"}, (platform, verdict)


def assert_not_blocked(text: str, subject: str | None, platform: str) -> None:
    verdict = check_text(platform=platform, subject=subject, body=text)
    assert verdict.verdict != "block", verdict


@pytest.mark.parametrize(("text", "blocked_on", "check"), VIOLATIONS)
def test_round10_violations_are_blocked_where_the_platform_forbids_them(
        text: str, blocked_on: tuple[str, ...], check: str) -> None:
    """Each violation is blocked by its check on the platforms whose rules forbid it."""
    assert_blocked_where_forbidden(text, blocked_on, check)


@pytest.mark.parametrize(("text", "subject"), INNOCENT)
@pytest.mark.parametrize("platform", EVERYWHERE)
def test_round10_hard_negatives_pass(text: str, subject: str | None, platform: str) -> None:
    """Warnings against fraud, product features, reference codes, carrier links, received requests and
    essential "[Important]" messages are never blocked."""
    assert_not_blocked(text, subject, platform)
