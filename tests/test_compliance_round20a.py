"""Round 20a rules (training set T40, ids 1–180, outside the repository): fullwidth ！？ and … end a Chinese or
Japanese sentence like 。, and the word families the T40 dev misses named.

Each row: platform, subject (or None), text, expected verdict — ``block``, or ``ok`` for anything but block.
Rows are written for these tests, a violation beside its nearest hard negative.
"""

from __future__ import annotations

import pytest

from autoreply.compliance.normalize import normalize
from autoreply.compliance.scan import sentence_starts
from tests.compliance_rows import assert_verdict

A, X, T = "amazon", "aliexpress", "taobao"

# fullwidth ！ ？ ； … (folded to ! ? ; ...) end a sentence before the next CJK character, as 。 does
SPLITS = [
    ("感谢您的购买！备用螺丝已经放在包裹里了。", [0, 7]),
    ("感谢您的购买？备用螺丝已经放在包裹里了。", [0, 7]),
    ("感谢您的购买…备用螺丝已经放在包裹里了。", [0, 9]),
    ("ご購入ありがとうございます！予備のネジも同梱しております。", [0, 14]),
    ("ご購入ありがとうございます．予備のネジも同梱しております。", [0, 14]),
    # a dot between Latin letters or digits stays inside its word
    ("尺寸是3.5寸，网站shop.com不是我们的", [0]),
]


@pytest.mark.parametrize(("text", "starts"), SPLITS)
def test_round20a_fullwidth_marks_end_cjk_sentences(text: str, starts: list[int]) -> None:
    """A fullwidth exclamation or question mark, a fullwidth dot or an ellipsis ends a CJK sentence."""
    folded = normalize(text).text
    assert [s for s in sentence_starts(folded) if s < len(folded)] == starts


CJK_SENTENCES = [
    # the thanks and the spare part are two sentences: nothing is given as thanks
    (A, None, "感谢您的购买！备用螺丝已经放在包裹里了。", "ok"),
    (A, None, "感谢您的购买…备用螺丝已经放在包裹里了。", "ok"),
    (A, None, "ご購入ありがとうございます！予備のネジも同梱しております。", "ok"),
    (A, None, "ご購入ありがとうございます…予備の電池も箱に入っています。", "ok"),
    # what each sentence says still counts
    (A, None, "感谢您的购买！送您一张优惠券。", "block"),
    (A, None, "ご購入ありがとうございます！お礼にギフトカードをお送りします。", "block"),
    (A, None, "ご購入ありがとうございます！またのご利用をお待ちしております！", "block"),
    (A, None, "包裹已经发出！祝您生活愉快！", "block"),
    (X, None, "好用吗？五星好评返现5元！", "block"),
]

# the buyer's request for a messenger reported, then declined (regret or "only here"): no channel offered
ASKED_REFUSED = [
    (X, None, "Hai chiesto se puoi scrivermi su Telegram: purtroppo possiamo parlare solo qui, in chat.", "ok"),
    (X, None, "Sie haben gefragt, ob wir per WhatsApp schreiben können. Leider geht das nur hier im Chat.", "ok"),
    (X, None, "U vroeg of u ons via WhatsApp kunt bereiken. Helaas kan dat alleen hier in de chat.", "ok"),
    (X, None, "Vous m'avez demandé mon WhatsApp : désolé, nous échangeons uniquement ici.", "ok"),
    # the question answered with an invitation is a channel
    (X, None, "You asked if we have WhatsApp. Yes! Add me on WhatsApp, it's faster.", "block"),
    (X, None, "Você perguntou se pode falar comigo no WhatsApp: sim, me chama lá que respondo rápido.", "block"),
]

# messenger nicknames (the blue bird, the paper plane, a purple or green app in Polish), Snapchat owned, and
# look-alike letters or emoji between the letters
NICKNAMES = [
    (T, None, "Folg uns auf dem blauen Vogel, dort posten wir die neuen Modelle zuerst.", "block"),
    (X, None, "Trovi la nostra pagina sull'uccellino blu, cerca il nome del negozio.", "block"),
    (T, None, "Schreib mir beim Papierflieger, da antworte ich schneller.", "block"),
    (X, None, "Napisz do mnie na fioletowej apce, wyślę zdjęcia.", "block"),
    (X, None, "Mi snap es tienda.luna, mándame la foto por ahí.", "block"),
    (X, None, "Lo siento, no usamos Telegram; escríbanos aquí.", "ok"),
    (X, None, "Kontaktieren Sie uns über Ꮃhatsapp, wir antworten sofort.", "block"),
    (X, None, "Add me on T🔥e🔥l🔥e🔥g🔥r🔥a🔥m for pics.", "block"),
    (A, None, "The blue bird figurine comes in a gift box.", "ok"),
    (X, None, "Le motif « oiseau bleu » est brodé à la main.", "ok"),
    (A, None, "The snap button on the jacket is replaced for free.", "ok"),
    (X, None, "We love our customers 🔥 fast 🔥 shipping 🔥 always.", "ok"),
    (T, None, "Add me on W🌸e🌼C🌺h🌻a🌷t, ID lily88.", "block"),
    (X, None, "Ok 👍 thanks 🙏 bye, the parcel leaves today.", "ok"),
    (T, None, "Szukaj mnie na WeChacie: ania.sklep", "block"),
]

# paying a wallet as a gift to family (PayPal friends & family in words), to a friend of the seller, to save
# the platform's commission; "no commission" is the benefit promised, not a refusal
PAYMENT = [
    (T, None, "Schick es einfach als Geschenk an Familie über PayPal, dann fällt keine Gebühr an.", "block"),
    (T, None, "Invialo su PayPal come regalo a familiari e ti faccio uno sconto.", "block"),
    (X, None, "Wyślij pieniądze przez PayPala jako prezent dla rodziny, bez prowizji.", "block"),
    (T, None, "Betaal het bedrag via Revolut aan een vriend van mij, dan scheelt het de commissie.", "block"),
    (T, None, "Para evitar las comisiones, hazme un Bizum y te lo envío hoy.", "block"),
    (X, None, "Pour économiser la commission, réglez-moi par Lydia et j'expédie demain.", "block"),
    (T, None, "Zapłać Revolutem bezpośrednio do mnie, nie ma prowizji.", "block"),
    (T, None, "Pague com MB Way diretamente para mim.", "block"),
    (A, None, "The set is ideal for the whole family and you can pay with PayPal at checkout.", "ok"),
    (X, None, "Great gift for the family! Payment by PayPal is available at checkout.", "ok"),
    (X, None, "Pagamento tramite PayPal solo al checkout di AliExpress: nessuna commissione extra per lei.", "ok"),
    (A, None, "Il rimborso arriverà sul suo conto PayPal tramite Amazon, nessuna commissione.", "ok"),
    (X, None, "Zwrot pieniędzy trafi na Pana konto PayPala automatycznie, przez platformę.", "ok"),
    (X, None, "Wir haben keine Gebühren für Rücksendungen; der Betrag kommt über AliExpress zurück.", "ok"),
    (T, None, "Überweise es einfach auf mein Alipay-Konto.", "block"),
    (T, None, "Pagamento via Alipay fuori dal carrello, così risparmi.", "block"),
    (X, None, "Il pagamento con Alipay avviene nel carrello di AliExpress, come sempre.", "ok"),
    (T, None, "Paga por PayPal opción amigos, sin comisiones.", "block"),
    # cash handed over at the seller's, a gift card taken as payment, a card number to pay to
    (T, None, "Pay in cash when you pick it up at my place, cheaper than here.", "block"),
    (T, None, "Zapłać gotówką przy odbiorze u mnie, będzie taniej.", "block"),
    (X, None, "Zahlung per Nachnahme: Sie zahlen bar beim Boten.", "ok"),
    (X, None, "Bar code is on the box; pick it up at the post office.", "ok"),
    (T, None, "Schick mir einen Amazon-Gutschein als Bezahlung.", "block"),
    (A, None, "We are sorry: as a thank-you we cannot send gift cards, Amazon does not allow it.", "ok"),
    (T, None, "Pay to my card 4111 1111 1111 1111 and I ship today.", "block"),
    (X, None, "The refund goes back to the card you paid with, ending in 1111.", "ok"),
    (X, None, "Your order 4111-1111-1111-1111 was paid by card.", "ok"),
]

# another marketplace named generically, with the seller's shop or a search there; a negation in a clause of
# its own before it does not reach it; "no / any other marketplace" refuses
REDIRECTS = [
    (X, None, "We also have a shop on another platform where shipping is free, just search our name.", "block"),
    (X, None, "Next time skip ordering here, we have a store on another marketplace with lower prices.", "block"),
    (A, None, "Tenemos tienda en otra plataforma, allí es más barato: busque nuestro nombre.", "block"),
    (A, None, "Następnym razem proszę zapłacić poza Amazonem, będzie taniej.", "block"),
    (T, None, "Contactez-nous en dehors de la plateforme, on règlera ça directement entre nous.", "block"),
    (A, None, "No vendemos en ningún otro marketplace; si ve anuncios con nuestro nombre, no son nuestros.", "ok"),
    (X, None, "We don't sell on any other platform, so ads elsewhere are not ours.", "ok"),
    (X, None, "If you ordered the lamp on another platform, please contact that seller there.", "ok"),
    (A, None, "This cable also works with devices bought on other marketplaces.", "ok"),
]

# a review "it" removed (Italian present), an address spelled with two-letter labels
OTHER = [
    (A, None, "Abbiamo letto la sua recensione. Se la toglie entro oggi le mandiamo un buono da 10 euro.", "block"),
    (A, None, "Abbiamo letto la sua recensione: la taglia era sbagliata, le mandiamo quella giusta.", "ok"),
    (A, None, "Mande o texto da gravação para l o j a @ u o l . c o m . b r", "block"),
    (A, None, "Die Maße: 20 x 30 cm, Gewicht 2 kg, Farbe @ Weiß.", "ok"),
]

# what the buyer expected for the price, with a luxury word or "let's be realistic"; reading "not your strong
# point"; reading before complaining, said impersonally
TAUNTS = [
    (X, None, "Sie haben für 15 Euro Kaschmir erwartet? Seien wir ehrlich.", "block"),
    (X, None, "Did you really expect silk for 9 dollars? Come on, let's be realistic.", "block"),
    (X, None, "Verwachtte u zijde voor 6 euro? Laten we realistisch zijn.", "block"),
    (X, None, "Did you expect the silk version for 19 dollars? That one is polyester, the silk one is 39.", "ok"),
    (X, None, "Had u verwacht dat het binnen 5 dagen komt? Voor 3 euro extra kan express.", "ok"),
    (X, None, "Czytanie instrukcji nie jest pana mocną stroną, prawda?", "block"),
    (X, None, "La lettura delle istruzioni non è il suo forte, vedo.", "block"),
    (X, None, "La resistencia al agua no es su fuerte: no lo sumerja.", "ok"),
    (X, None, "Our strong point is fast delivery; reading the label tells you the size.", "ok"),
    (X, None, "Warto przeczytać opis, zanim się zacznie narzekać na rozmiar.", "block"),
    (X, None, "Warto przeczytać opis przed zakupem, rozmiary są w tabeli.", "ok"),
]

# someone of the seller's paid (a friend, a cousin, a sister: after "to / a / an / aan", an account word or in
# the Polish dative), only with a paying word; the same relatives in a sentence about the seller's work pass
PAYEES = [
    (T, None, "Paga pure a mio cugino, così facciamo prima e ti spedisco subito.", "block"),
    (T, None, "Überweis das Geld auf das Konto meiner Schwester, dann spart ihr die Gebühren.", "block"),
    (T, None, "Betaal het restbedrag op de rekening van mijn broer.", "block"),
    (X, None, "Zapłać mojemu kuzynowi przelewem, będzie szybciej.", "block"),
    (X, None, "Mio fratello ha spedito il pacco direttamente dal magazzino.", "ok"),
    (X, None, "Ein Freund von mir bringt Ihnen das Sofa direkt vorbei.", "ok"),
    (X, None, "Thanks for your payment, my husband will ship it tomorrow.", "ok"),
    (X, None, "Obrigado pelo pagamento! O meu primo envia amanhã.", "ok"),
    (X, None, "Pay attention, my cousin packed two sizes.", "ok"),
]

# a handle after a copula ("my VX is lily_88"); "Messenger" as a weak name — with an invitation, not as a bag or
# the platform's own message box; look-alike letters from other scripts
HANDLES = [
    (T, None, "Mein VX ist lily_88, schreib mir dort.", "block"),
    (T, None, "Mi LINE es tienda_luna, escríbeme allí.", "block"),
    (T, None, "Mój VX to ania_88.", "block"),
    (A, None, "The X is 20.5 cm wide and the line is 2.5 m long.", "ok"),
    (A, None, "Our line is made in Portugal, the signal is strong.", "ok"),
    (T, None, "Escríbeme por Messenger, busca la página «Casa Luna».", "block"),
    (T, None, "Schreib uns über den Messenger, such die Seite „Haus Mia“.", "block"),
    (X, None, "Contact us about the messenger bag size, we reply here.", "ok"),
    (X, None, "Write to us in the AliExpress messenger if the size is wrong.", "ok"),
    (X, None, "Schreiben Sie uns bitte hier im Messenger von AliExpress.", "ok"),
    (T, None, "Adicione-me no WeϹhat: loja_bia.", "block"),
    (T, None, "Schreib mir auf Ꭲelegram: @kuechen_mia", "block"),
    (T, None, "Add me on ꓪeChat for the photos.", "block"),
]

# blaming the buyer: "maybe the problem is the user", or "not the product" with a rhetorical tag; "not our fault
# if you can't"; set phrases of condescension (the chair and the keyboard, "someone who can read", another genius)
BLAME = [
    (X, None, "Tausende Kunden nutzen ihn ohne Probleme. Vielleicht liegt das Problem doch beim Benutzer?", "block"),
    (X, None, "Le problème vient peut-être de l'utilisateur, vous ne croyez pas ?", "block"),
    (X, None, "Milhares de clientes usam. Talvez o problema não seja o produto, já pensou nisso?", "block"),
    (X, None, "Maybe the problem is the power adapter, not the product — please try another socket.", "ok"),
    (X, None, "Maybe the problem is the courier: the parcel was dropped on the way.", "ok"),
    (X, None, "Se non sa usare un cacciavite, non è colpa nostra.", "block"),
    (X, None, "If the courier can't deliver, it's not our fault, but we'll help you with the claim.", "ok"),
    (X, None, "If you can't find the label, it is not our fault: the factory forgot it, we send one today.", "ok"),
    (X, None, "Con todo respeto, el problema está entre la silla y el teclado.", "block"),
    (X, None, "The chair and the keyboard tray are sold separately.", "ok"),
    (X, None, "Vielleicht kann Ihnen ja jemand helfen, der lesen kann.", "block"),
    (X, None, "Kolejny klient, który nie umie przeczytać tabeli rozmiarów.", "block"),
    (X, None, "Kolejny klient zapytał o ten sam rozmiar, więc dodaliśmy tabelę.", "ok"),
    (X, None, "Você claramente não leu a descrição antes de comprar, né?", "block"),
    (X, None, "Reading is a handy skill, especially the size chart.", "block"),
    (X, None, "The size guide picture shows how to measure your wrist.", "ok"),
    (X, None, "Are you always this busy in December? We can ship after the holidays if you prefer.", "ok"),
]

# spam: a prize draw for forwarding the message, "are you single?", money from home with a bait
SPAM = [
    (X, None, "Wir verlosen ein iPhone unter allen, die diese Nachricht an 5 Freunde weiterleiten.", "block"),
    (X, None, "Wir verlosen nichts per Nachricht; Gewinnspiele gibt es bei uns nicht.", "ok"),
    (X, None, "Hello dear, are you single? I would like to know you better.", "block"),
    (X, None, "Is the jacket for a single person or a couple? We have both sizes.", "ok"),
    (X, None, "Gana dinero desde casa con solo tu móvil, escríbeme para más info.", "block"),
    (X, None, "Trabajamos desde casa y enviamos cada pedido con mucho cariño.", "ok"),
]

# Polish "own" shop and "cheaper" as an adjective
OWN_SHOP = [
    (X, None, "W naszym własnym sklepie internetowym zestaw jest tańszy, wystarczy wpisać nazwę w Google.", "block"),
    (X, None, "Ten zestaw jest tańszy od poprzedniej wersji, a różni się tylko kolorem.", "ok"),
]

# a review asked only of the fully satisfied (intensified conditions), the others sent to the seller first; "only"
# there is no negation ("alleen", "tylko")
ONLY_HAPPY = [
    (X, None, "Please only leave a review if you're 100% happy; otherwise message us first.", "block"),
    (X, None, "Geef alleen een review als u helemaal tevreden bent; anders eerst even contact met ons.", "block"),
    (X, None, "Lasci una recensione solo se è pienamente soddisfatto; altrimenti ci scriva prima.", "block"),
    (X, None, "If you're completely happy with the size, no need to reply.", "ok"),
    (X, None, "Se è soddisfatto del colore, lo confermiamo e spediamo domani.", "ok"),
]

ROWS = (CJK_SENTENCES + ASKED_REFUSED + NICKNAMES + PAYMENT + REDIRECTS + OTHER + TAUNTS + PAYEES + HANDLES + BLAME
        + SPAM + OWN_SHOP + ONLY_HAPPY)


@pytest.mark.parametrize(("platform", "subject", "text", "expected"), ROWS)
def test_round20a_verdict_follows_the_structure(platform: str, subject: str | None, text: str,
                                                expected: str) -> None:
    """Each message is blocked exactly when its structure makes it a violation on that platform."""
    assert_verdict(platform, subject, text, expected)
