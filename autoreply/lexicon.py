"""Word evidence for short buyer messages: common words of each language, as data.

A statistical detector needs a dozen words to be sure; buyers often write three. These lists
hold the words that carry the most evidence in that situation: function words, question
words, greetings and thanks, and the vocabulary of orders, delivery and refunds. A word that
is at home in several languages is listed under each of them (``que`` is es, fr and pt), so
a hit only favours the languages that really use it. Words every language borrows (``ok``,
``super``, ``top``, ``tracking``) are deliberately absent.

Lookups are on lower-cased tokens; a token written without accents (``nao``, ``dziekuje``)
also matches its accented form through :func:`fold`.
"""

from __future__ import annotations

import unicodedata
from functools import cache

_WORDS: dict[str, str] = {
    "en": """
        the an and or but is are was were be been am you he she it we they me my your our his her
        its their this that these those there here what when where why how which who can could
        will would should do does did not no yes please pls plz thanks thank thx ty hi hello hey
        dear sir madam order ordered orders item items package parcel received receive arrived
        arrive still yet have has had haven doesn isn didn wasn aren won get got send sent ship
        shipped shipping delivery delivered deliver refund refunded return returned cancel
        exchange replace replacement size color colour black white blue red green wrong broken
        damaged missing working work works doesnt dont cant didnt havent isnt wont im ive with for
        of to in on at from by about after before if so just only any some all much many more very
        too also new same different buy bought paid pay money back day days week weeks month
        today tomorrow long take need want like good great nice fast quick seller product picture
        address number box charger battery waterproof possible available anyone someone nothing
        anything help check update reply answer sorry problem issue quality price discount free
        gift christmas come comes came make made i yet tell know think let us again than then
        told asked wait waiting waited since never ever because told thing things one two three
        arrive
    """,
    "es": """
        el la los las un una unos unas y o pero que qué de del al en con sin por para es son está
        están estoy estaba fue ha he han hemos hay me te se le les lo nos mi mis tu su sus este
        esta esto ese esa eso aquí ya no sí si muy más menos también todavía aún cuando cuándo
        donde dónde como cómo cuánto cuánta cuántos cuál cuáles porque hola buenas buenos días
        tardes noches gracias muchas muchísimas mucho muchos favor pedido pedidos paquete envío
        envíos enviar envían enviado enviaron llegado llegó llega llegan llegar llegue recibido
        recibí devolver devolución reembolso cambiar cambiarlo cambiarla cambio talla tallas
        negro negra blanco blanca rojo roja azul verde roto rota funciona tienen tiene tengo
        quiero quisiera puedo pueden puede necesito saber precio factura dinero vuelta semana
        semanas mes días hoy mañana nada algo bien perfecto vendedor compré producto dirección
        seguimiento número caja cargador pilas batería usted ustedes señor hace pero nunca siempre
        solo sólo otro otra ahora entonces vale todo gracias saludos también esto estos estas
        medidas modelo incluye envían rastrear entregado pasaron llevo esperando equivoqué
        abriga invierno chaqueta contento dice deja falta pieza plazo compra pagar cancelar
    """,
    "fr": """
        le la les un une des et ou mais que qui quoi de du au aux en avec sans pour par est sont
        suis êtes avez avons ai as a été ce cet cette ces ça ca mon ma mes ton ta tes son sa ses
        notre votre vos leur je tu il elle nous vous ils elles on ne pas plus rien jamais
        toujours encore déjà quand où comment combien pourquoi quel quelle quels quelles bonjour
        bonsoir salut merci beaucoup svp stp plaît commande commandé colis livraison livré livrée
        livrer reçu reçue recevoir arrivé arrivée remboursé remboursement rembourser retour
        retourner échanger échange taille couleur noir noire blanc blanche rouge bleu vert cassé
        cassée marche fonctionne voudrais veux peux pouvez puis possible prix facture argent
        semaine semaines mois jours aujourd hui demain tout tous toute bien très trop aussi
        vendeur produit adresse suivi numéro carton chargeur batterie fourni incluse inclus
        depuis après avant alors d'accord accord attends attendre est-ce qu c j l n s m t y
        si chez dans sur sous moi toi lui madame monsieur désolé rapide réponse pièce manque
        chaussures délai frais port envoyer envoyé expédiée expédié expédier vous-même avez-vous
        puis-je livrez-vous est-il rien contente content annulez annuler
    """,
    "pt": """
        o a os as um uma uns umas e ou mas que de do da dos das no na nos nas em com sem por
        pelo pela para é são está estão estou era foi tem têm tenho temos há me te se lhe eu
        você vocês ele ela meu minha meus minhas seu sua seus suas nosso nossa este esta isto
        esse essa isso aqui já não sim muito muita mais menos também ainda quando onde como
        quanto quanta qual quais porque oi olá bom boa dia tarde noite obrigado obrigada
        obrigadão valeu favor pedido pedidos encomenda pacote envio enviar enviado enviada
        enviam chegou chegar chega recebi recebido receber devolver devolução reembolso
        trocar troca tamanho cor preto preta branco branca vermelho azul verde quebrado
        quebrada funciona quero queria gostaria posso pode podem preciso saber preço nota
        fiscal dinheiro volta semana semanas mês dias hoje amanhã tudo nada bem perfeito
        vendedor comprei produto endereço rastreio rastreamento código caixa carregador
        bateria incluída incluído demora prazo entrega entregue aguardar aguardando fico
        esperando estoque tá tô vocês vem veio faltando peça desconto levar amei certinho
        artigo danificada amassada quentinho casaco pulseira material absurdo atualiza
        verificar podem compra comprar cancelar cancelamento
    """,
    "de": """
        der die das den dem des ein eine einen einem einer und oder aber dass ist sind war
        waren bin bist seid habe hast hat haben hatte ich du er sie es wir ihr mich mir dich
        dir mein meine meinen meiner dein ihre ihren unser nicht kein keine keinen noch schon
        immer nie wann wo wie was warum welche welcher wieviel hallo guten tag morgen abend
        danke dankeschön schön bitte vielen dank bestellung bestellt paket lieferung geliefert
        liefern versand versendet verschickt erhalten bekommen angekommen zurück erstattung
        rücksendung umtauschen umtausch größe farbe schwarz weiß rot blau grün kaputt
        beschädigt funktioniert möchte will kann können könnten muss brauche preis rechnung
        geld woche wochen monat tage heute alles gut sehr auch verkäufer artikel adresse
        sendungsnummer karton ladegerät batterie dabei enthalten seit nach vor für mit von zu
        bei aus auf im am um zum zur gibt gern gerne leider noch mal ware stück rabatt
        wasserdicht reißverschluss teil fehlt hier nichts klar einfach laut zugestellt
        stornieren sie ihnen ihr bleibt passt perfekt statt hätte lässt einschalten gerät
        armband material weihnachten frechheit warte warten fällt normal
    """,
    "it": """
        il lo la i gli le un uno una e ed o ma che di del della dei delle da dal dalla in nel
        nella con senza per su sul sulla è sono sei siamo siete ho hai ha abbiamo avete hanno
        era mi ti si ci vi io tu lui lei noi voi loro mio mia miei mie tuo tua suo sua nostro
        vostro questo questa quello quella qui qua già non sì no molto più meno anche ancora
        quando dove come quanto quanta quale quali perché perche ciao buongiorno buonasera
        salve grazie mille prego favore ordine ordinato pacco spedizione spedito spedita
        spedite spedire consegna consegnato arrivato arrivata ricevuto ricevere rimborso
        reso restituire cambiare cambio taglia colore nero nera bianco rosso blu verde rotto
        rotta funziona voglio vorrei posso potete può devo serve prezzo fattura soldi
        settimana settimane mese giorni oggi domani tutto niente bene perfetto venditore
        prodotto indirizzo tracciamento numero scatola caricabatterie batteria incluso
        inclusa compresa compreso avete c dov l quello sbagliato sbagliata pezzo manca
        aspetto vergogna regolare natale materiale cinturino giubbotto impermeabile
        cerniera pochi sconto prendo bellissimo fate faccio accende dispositivo serio
        consigliato
    """,
    "nl": """
        de het een en of maar dat die dit deze is zijn was waren ben bent heb hebt heeft
        hebben had ik jij je u hij zij ze wij we jullie mij me mijn jouw uw zijn haar ons onze
        niet geen nog al altijd nooit wanneer waar hoe wat waarom welke welk hallo hoi
        goedemorgen goedemiddag goedenavond bedankt dank dankjewel wel alstublieft
        alsjeblieft graag bestelling besteld pakket pakketje levering geleverd leveren
        verzonden verstuurd ontvangen gekregen aangekomen terug terugbetaling retour
        retourneren ruilen maat kleur zwart wit rood blauw groen kapot beschadigd werkt wil
        kan kunnen moet nodig prijs factuur geld week weken maand dagen vandaag morgen alles
        goed heel ook verkoper product adres trackingnummer doos oplader batterij
        inbegrepen sinds na voor met van te bij uit op in om er hier niks niets klopt
        verkeerde verkeerd bezorgd volgens zit krijg koop korting twee waterdicht rits
        ontbreekt onderdeel belachelijk wacht wachten valt gaat apparaat bandje materiaal
        kerst past aanrader prima fijne dag hoesje jas plaats blijft geschikt wijzigen
        geeft aan oké
    """,
    "pl": """
        i a w we z ze na do od po za o u że to ten ta te tego jest są był była było jestem
        mam masz ma mamy macie mają ja ty on ona my wy oni mnie mi mój moja moje mojego twój
        nie tak czy już jeszcze zawsze nigdy kiedy gdzie jak co dlaczego który która które ile
        dzień dobry witam cześć dziękuję dzięki proszę pozdrawiam zamówienie zamówiłem
        zamówiłam paczka paczki paczkę przesyłka wysyłka wysłane wysłana wysłać dostawa
        dostawy dostałem dostałam otrzymałem otrzymałam przyszedł przyszła przyszło zwrot
        zwrotu pieniędzy wymienić wymiana rozmiar rozmiarze kolor kolorze czarny czarnym
        biały czerwony niebieski zielony uszkodzony zepsuty działa chcę chciałbym chciałabym
        mogę możecie można potrzebuję cena faktury faktura tydzień tygodniu miesiąc dni dzisiaj
        dziś jutro wszystko dobrze bardzo też sprzedawca sprzedawcę produkt adres numer
        pudełko ładowarka bateria baterie zestawie komplecie się jest jeszcze nadal czekam
        brakuje części skandal polecam pasuje idealnie rabat sztukach sztuk świętami
        wodoodporny zamek pasek materiału urządzenie włączać odebrałam odebrałem informacji
        żadnych śledzenia doręczono nic status zgodny tabelą
    """,
    "tr": """
        ve veya ama fakat bir bu şu o ben sen biz siz onlar benim senin bizim sizin mi mı mu
        mü ne neden nasıl nerede nereye kaç hangi zaman değil yok var evet hayır hala hâlâ
        henüz artık çok daha en de da ile için gibi kadar sonra önce merhaba selam günaydın
        iyi günler akşamlar teşekkürler teşekkür ederim sağol sağolun lütfen sipariş
        siparişim siparişimi kargo kargom kargoya paket paketimi teslim gönderim gönderildi
        gönderilmedi geldi gelmedi gelir ulaşmadı aldım almadım iade para paramı
        değiştirebilir değiştirmek beden renk rengi siyah beyaz kırmızı mavi yeşil kırık
        bozuk bozuldu çalışmıyor istiyorum alabilir miyim musunuz misiniz fiyat fatura hafta
        ay gün bugün yarın her şey tamam harika satıcı ürün ürünü adres adresini takip
        numarası kutu şarj aleti pil dahil eksik parçası bekliyorum rezalet tavsiye
        fotoğraftakinden farklı uyumlu cevap hızlı indirim tane stokta geçirmez kayışın
        malzemesi fermuar yılbaşından cihaz açılmıyor yazıyor edildi elime iptal edin
        lazım kalıp bedenler teslimat yapıyor sürer verilecek olur
    """,
}

# Short function words shared by several languages: listed once here so that no list lacks
# one the others have (an ``a`` only in the French list would make "thx a lot" French).
_SHARED: dict[str, str] = {
    "a": "en es fr pt it pl", "e": "pt it", "o": "pt es it pl tr", "i": "en it pl",
    "y": "es fr", "u": "nl pl", "w": "pl", "z": "pl", "de": "es fr pt nl tr", "da": "pt it de tr",
    "la": "es fr it", "le": "es fr", "lo": "es it", "me": "en es fr it pt", "te": "es fr it pt nl pl",
    "se": "es fr it pt", "si": "es fr it", "so": "en de", "to": "en pl", "no": "en es it pt",
    "na": "pt pl", "ne": "fr it tr", "mi": "es it pl tr", "un": "es fr it", "en": "es fr nl",
    "in": "en nl it de", "on": "en fr", "son": "es fr tr", "al": "es de nl", "do": "en pt pl",
    "es": "es de", "is": "en nl", "was": "en de nl", "die": "de nl", "man": "en de",
    "tu": "es fr it pt pl", "su": "es it tr", "ya": "es tr",
    "per": "it", "con": "es it", "em": "pt", "com": "pt", "dat": "nl", "het": "nl",
    "ma": "it fr pl", "mu": "tr", "ce": "fr", "ca": "fr", "va": "fr it es", "ha": "es it",
    "he": "en es", "hay": "es", "et": "fr", "est": "fr", "bei": "de", "am": "en de",
}

# Ukrainian never writes these, Russian never writes those.
UKRAINIAN_LETTERS = frozenset("іїєґІЇЄҐ")
RUSSIAN_LETTERS = frozenset("ыэъёЫЭЪЁ")

# Letters that only some of our languages write (a missing letter proves nothing: buyers drop
# accents, so these only ever speak *for* languages, never against).
LETTER_LANGUAGES: dict[str, frozenset[str]] = {
    **{c: frozenset({"es"}) for c in "ñ¿¡"},
    **{c: frozenset({"pt"}) for c in "ãõ"},
    **{c: frozenset({"de"}) for c in "ß"},
    **{c: frozenset({"de", "tr"}) for c in "öü"},
    **{c: frozenset({"de"}) for c in "ä"},
    **{c: frozenset({"pl"}) for c in "ąęłśźżćń"},
    **{c: frozenset({"tr"}) for c in "ğış"},
    **{c: frozenset({"fr"}) for c in "œ"},
    **{c: frozenset({"fr", "pt", "tr"}) for c in "ç"},
    **{c: frozenset({"fr", "it"}) for c in "èù"},
    **{c: frozenset({"it"}) for c in "ìò"},
}

# Tokens that say nothing about a language (everyone writes them).
NEUTRAL_WORDS = frozenset({
    "ok", "okay", "okey", "oki", "okk", "okie", "k", "kk", "xd", "lol", "haha", "hahaha",
    "hehe", "wow", "hm", "hmm", "mmm", "ah", "oh", "eh", "uh", "ops", "oops", "xx", "xo",
})


def fold(word: str) -> str:
    """``não`` → ``nao``, ``dziękuję`` → ``dziekuje``, ``straße`` → ``strasse``."""
    word = word.replace("ł", "l").replace("ı", "i").replace("ß", "ss").replace("œ", "oe")
    decomposed = unicodedata.normalize("NFD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@cache
def _index() -> tuple[dict[str, frozenset[str]], dict[str, frozenset[str]]]:
    exact: dict[str, set[str]] = {}
    folded: dict[str, set[str]] = {}
    for lang, text in _WORDS.items():
        for word in text.split():
            exact.setdefault(word, set()).add(lang)
            folded.setdefault(fold(word), set()).add(lang)
    for word, langs in _SHARED.items():
        exact[word] = set(langs.split())
        folded[fold(word)] = set(langs.split())
    sets: dict[frozenset[str], frozenset[str]] = {}  # one object per distinct language set
    return ({k: sets.setdefault(frozenset(v), frozenset(v)) for k, v in exact.items()},
            {k: sets.setdefault(frozenset(v), frozenset(v)) for k, v in folded.items()})


def languages_of(word: str) -> frozenset[str]:
    """The languages ``word`` (lower case) is a common word of; empty when we do not know it."""
    exact, folded = _index()
    found = exact.get(word)
    if found is not None:
        return found
    if word.isascii():
        return folded.get(word, frozenset())
    return folded.get(fold(word), frozenset()) if fold(word) != word else frozenset()


# Words only one of Russian and Ukrainian writes (both spell ``товар``, ``до``, ``в``, ``так``:
# those are not here). Letters decide first; these decide texts without telling letters.
_CYRILLIC_ONLY: dict[str, str] = {
    "ru": """
        и но или что это как где когда почему зачем кто какой какая какие сколько нет да уже
        еще очень спасибо пожалуйста здравствуйте привет заказ заказа заказе заказал заказала
        деньги получил получила получили жду мне меня мой мои можно нужно надо могу будет было
        был была есть размер размера цвет цвета черный сломан сломался сломалась работает
        возврат вернуть отправили отправите отправлен пришел пришла с со из от к об чтобы если
        только тоже также хорошо отлично продавец продавца неделю неделя месяц сегодня вчера
        ничего сих пор почта оплатил оплатила вообще сейчас просил
    """,
    "uk": """
        дякую дуже будь ласка що чи як де коли але або вже ще мені мене мій можна потрібно
        треба можу буде було був була розмір колір кольору чорний червоний зелений зламаний
        зламався зламалась працює повернення повернути прийшов прийшла досі з зі від щоб якщо
        тільки також добре чудово швидко продавець продавця тиждень місяць сьогодні вчора
        нічого посилка посилку посилки замовлення замовив замовила отримав отримала отримали
        чекаю гроші грошей добрий хто який яка це цей ця цю навіть пошта оплатив
        оплатила
    """,
}


@cache
def cyrillic_exclusive() -> dict[str, str]:
    """Words only one of ru/uk writes (``спасибо`` ru, ``дякую`` uk), as word → language."""
    out: dict[str, str] = {}
    for lang, text in _CYRILLIC_ONLY.items():
        for word in text.split():
            out[word] = lang
    return out


def known_languages() -> frozenset[str]:
    """Languages these lists cover (evidence is neutral for any other language)."""
    return frozenset(_WORDS)
