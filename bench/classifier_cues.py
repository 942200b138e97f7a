"""Cue groups of the compliance classifier: phrases that say the same thing in 14 languages.

Each group is ONE feature of the training (``cue:<group>``, counted once per occurrence of any of
its phrases in the model's text), so evidence from every language is pooled: a condescending
"apparently" learnt from English and German insults also weighs for the Turkish "anlaşılan" that
the training has seen twice. The groups are features, not rules: the training decides how much a
group weighs (it sees the hard negatives too — "as explained in my previous message" in a polite
answer), and a group that also fires on innocent messages gets a small weight.

At run time nothing is new: the model is linear, so a group's weight is added to the weight of each
of its phrases, which become keys of the classifier's automaton like any n-gram (a phrase that is
already a kept feature gets the sum). The runtime divides by the square root of the n-gram count
only, and so does the training (cue occurrences are not counted there).

A phrase is written as a person writes it; it is passed through the engine's normalisation (the
model's view: case, accents and homoglyphs folded, punctuation dropped, digits as 0). It matches
from a word start to a word end; a trailing ``*`` lets it match a word's start (a stem); phrases in
Chinese, Japanese or Korean script match anywhere (their runs are one word).
"""

from __future__ import annotations

CUES: dict[str, list[str]] = {
    # "apparently / obviously" said of the buyer
    "obvious": [
        "apparently", "obviously", "clearly", "evidently", "offensichtlich", "anscheinend", "offenbar",
        "manifestement", "apparemment", "visiblement", "évidemment", "al parecer", "obviamente",
        "evidentemente", "claramente", "aparentemente", "ovviamente", "a quanto pare", "chiaramente",
        "najwyraźniej", "widocznie", "oczywiście", "очевидно", "видимо", "явно", "kennelijk", "blijkbaar",
        "overduidelijk", "belli ki", "anlaşılan", "besbelli", "显然", "看来您", "明显", "明らかに", "どうやら",
        "분명히", "보아하니", "يبدو أن", "من الواضح", "واضح أن",
    ],
    # explained again and again
    "again": [
        "already explained", "for the last time", "third time", "three times", "fourth time", "once again",
        "schon dreimal", "zum dritten mal", "bereits erklärt", "schon erklärt", "zum letzten mal", "déjà expliqué",
        "trois fois", "pour la dernière fois", "ya le hemos dicho", "tres veces", "por última vez", "già detto",
        "tre volte", "per l ultima volta", "już mówiliśmy", "trzy razy", "po raz ostatni", "уже объясняли",
        "три раза", "в последний раз", "al uitgelegd", "drie keer", "voor de laatste keer", "zaten söyledik",
        "üç kez", "üç kere", "son kez", "说过三遍", "说了多少遍", "再说一遍", "说过了", "何度も", "三度目",
        "繰り返し",
        "몇 번", "세 번", "이미 말씀", "ثلاث مرات", "سبق أن", "للمرة الأخيرة",
    ],
    # "what did you expect for that price"
    "cheap_expect": [
        "what did you expect", "what were you expecting", "for that price", "for this price", "cheapest",
        "was erwarten sie", "was haben sie erwartet", "für den preis", "für diesen preis", "à ce prix",
        "vous attendiez quoi", "qu attendiez vous", "qué esperaba", "por ese precio", "por este precio",
        "cosa si aspettava", "a quel prezzo", "a questo prezzo", "czego pan oczekiwał", "czego pani oczekiwała",
        "za tę cenę", "za taką cenę", "чего вы ожидали", "за такие деньги", "за эту цену",
        "wat verwachtte u", "voor die prijs", "voor deze prijs", "ne bekliyordunuz", "bu fiyata",
        "几十块钱", "这个价格", "这点钱", "还想要", "この価格で", "何を期待", "この値段で", "이 가격에", "뭘 기대",
        "ماذا توقعت", "بهذا السعر",
    ],
    # beginner, first time online, age, grandchildren, "not for you" (not the bare Japanese 初めて, "first time":
    # with CUE_SCALE 3 it blocked "初めてのご利用でしたら、取扱説明書の3ページに…", round 16)
    "novice": [
        "first time", "at your age", "a certain age", "grandchild*", "grandson", "beginner*", "not for you",
        "like the adults", "ersten mal", "erster onlinekauf", "ihr erster", "in ihrem alter", "enkel*",
        "premier achat", "première fois", "à votre âge", "petits enfants", "pas pour vous", "primera compra",
        "primera vez", "a su edad", "cierta edad", "nieto", "no es para usted", "prima volta",
        "alla sua età", "nipot*", "non fa per lei", "pierwszy raz", "w pani wieku", "w pana wieku", "wnu*",
        "первый раз", "в вашем возрасте", "внук*", "eerste keer", "op uw leeftijd", "kleinkind*",
        "ilk kez", "ilk defa", "bu yaşta", "torun*", "第一次网购", "这把年纪", "孙子", "お孫さん", "年齢",
        "처음", "손주", "연세", "أول مرة", "في عمرك", "حفيد",
    ],
    # mock praise
    "mock_praise": [
        "congratulations", "truly groundbreaking", "brilliant", "genius", "impressive", "glückwunsch", "genial",
        "félicitations", "bravo", "felicidades", "enhorabuena", "complimenti", "congratulazioni", "gratulacje",
        "brawo", "поздравляем", "браво", "gefeliciteerd", "tebrikler", "恭喜", "佩服", "おめでとう", "さすが",
        "축하", "대단", "مبروك", "تهانينا",
    ],
    # veiled threats: think twice, it would be a shame, we remember / know where you live
    "threat": [
        "think carefully", "think twice", "would be a shame", "your address", "we remember", "next orders",
        "überlegen sie sich", "wäre schade", "ihre adresse", "réfléchissez bien", "serait dommage",
        "votre adresse", "piénselo bien", "sería una pena", "su dirección", "ci pensi bene",
        "sarebbe un peccato", "suo indirizzo", "proszę się zastanowić", "byłoby szkoda", "pani adres",
        "подумайте хорошо", "хорошенько подумайте", "было бы жаль", "ваш адрес", "denk goed na",
        "zou jammer zijn", "uw adres", "iyi düşünün", "yazık olur", "adresinizi", "想清楚", "后果自负",
        "我们记得", "よく考え", "覚えて", "잘 생각", "기억하", "فكر جيدا", "من المؤسف", "عنوانك",
    ],
    # laughed at the buyer's message
    "laugh": [
        "laugh*", "funny", "amused", "gelacht", "lachen", "rire", "rigolé", "reír", "rió", "ridere", "riso",
        "śmia*", "смеял*", "посмеял*", "lachten", "güldü*", "好笑", "笑死", "笑って", "笑い", "웃었", "웃음",
        "ضحك",
    ],
    # people like you
    "like_you": [
        "people like you", "someone like you", "customers like you", "leute wie sie", "kunden wie sie",
        "gens comme vous", "clients comme vous", "gente como usted", "clientes como usted",
        "persone come lei", "clienti come lei", "ludzie tacy jak", "klienci tacy jak", "такие как вы",
        "таких как вы", "mensen zoals u", "klanten zoals u", "sizin gibi", "像您这样", "你这种", "您这种",
        "あなたのような", "お客様のような", "당신 같은", "고객님 같은", "أمثالك", "مثلك",
    ],
    # open threats (round 16): we know where you live, you will regret it, something may happen to your account
    "threat_harm": [
        "know where you live", "where you live", "we have your address", "we know who you are",
        "you will regret", "you'll regret", "regret it", "happen to your account", "consequences",
        "take measures", "another way", "wo sie wohnen", "wir wissen wer sie sind",
        "wir kennen ihre adresse", "werden es bereuen", "bereuen", "konsequenzen", "folgen haben",
        "ihrem konto passiert", "où vous habitez", "qui vous êtes", "regretter*", "conséquences",
        "arrive quelque chose", "dónde vive", "quién es usted", "arrepentir*", "consecuencias",
        "tomar medidas", "dove abita", "chi è lei", "pentir*", "conseguenze", "per il suo bene",
        "onde mora", "onde a senhora mora", "quem é", "arrepender*", "consequências", "de outra forma",
        "waar u woont", "wie u bent", "spijt krijgen", "gevolgen", "vervelend aflopen", "gdzie pan mieszka",
        "gdzie pani mieszka", "kim pan jest", "pożałuje*", "konsekwencje", "nieprzyjemn*", "где вы живёте",
        "где вы живете", "кто вы", "пожалеете", "последствия", "по-другому", "nerede oturduğunuzu",
        "kim olduğunuzu", "pişman olursunuz", "sonuçlarına", "bizde kayıtlı", "后果自负", "后果自己", "你住哪",
        "您住哪",
        "地址我们都有", "有您的地址", "走着瞧", "後悔", "考えがあります", "ご住所を把握", "どうなっても", "후회",
        "가만있지", "주소 다 알", "주소는 알고",
        "تندم", "ستندم", "أين تسكن", "عنوانك لدينا", "عنوانك موجود", "عواقب",
    ],
    # accusing the buyer of lying or scamming: fake dispute, nice try, born yesterday
    "liar": [
        "liar", "lying", "you lie", "false complaint", "fake complaint", "false dispute", "fake dispute",
        "false claim", "nice try", "born yesterday", "scammer", "scamming us", "dishonest", "lügen",
        "lügner*", "falsche beschwerde", "falsche reklamation", "netter versuch", "betrüger*", "unehrlich",
        "menteur", "mensonge*", "mentez", "fausse réclamation", "faux litige", "bien essayé", "arnaqueu*",
        "escroc*", "mentir*", "mentiroso", "miente", "queja falsa", "disputa falsa", "buen intento",
        "estafador*", "bugiard*", "mentendo", "mente", "reclamo falso", "contestazione falsa",
        "bel tentativo", "truffator*", "mentindo", "reclamação falsa", "boa tentativa", "golpista*",
        "liegen", "leugenaar*", "valse klacht", "nep klacht", "leuke poging", "oplichter*", "kłam*",
        "kłamca", "fałszyw*", "dobra próba", "oszust*", "врёте", "врете", "лжёте", "лжете", "ложн*",
        "врун*", "лжец*", "мошенни*", "хорошая попытка", "yalan", "yalancı", "sahte şikayet",
        "sahte şikâyet", "dolandırıcı", "güzel deneme", "撒谎", "说谎", "骗子", "虚假", "恶意投诉", "敲诈", "嘘",
        "虚偽",
        "詐欺", "거짓말", "허위", "사기꾼", "كاذب", "كذب", "تكذب", "محتال", "نصاب",
    ],
    # dismissive: not our problem, deal with it yourself
    "not_our_problem": [
        "not our problem", "your problem", "not our fault", "deal with it", "we don't care",
        "we do not care", "nicht unser problem", "ihr problem", "nicht unsere schuld", "ist uns egal",
        "pas notre problème", "votre problème", "pas notre faute", "débrouillez vous", "on s en fiche",
        "no es nuestro problema", "su problema", "no es culpa nuestra", "arréglese", "nos da igual",
        "non è un nostro problema", "problema suo", "non è colpa nostra", "si arrangi", "non ci interessa",
        "não é problema nosso", "problema seu", "não é culpa nossa", "se vira", "não nos interessa",
        "niet ons probleem", "uw probleem", "niet onze schuld", "zoek het zelf uit", "nie nasz problem",
        "pana problem", "pani problem", "nie nasza wina", "radź sobie", "не наша проблема", "ваши проблемы",
        "ваша проблема", "не наша вина", "разбирайтесь сами", "bizim sorunumuz değil", "sizin sorununuz",
        "bizim suçumuz değil", "不关我们的事", "你自己的问题", "您自己的问题", "跟我们没关系", "与我们无关",
        "自己看着办", "関係ありません", "知りません",
        "そちらの問題", "저희 문제가 아닙", "알아서 하세요", "ليست مشكلتنا", "مشكلتك",
    ],
    # relief that the buyer will not come back, or telling them never to order again
    "relief_gone": [
        "relieved", "relief", "won't be ordering", "will not be ordering", "never order from us",
        "don't order from us", "dont order from us", "good riddance", "next seller", "the competition",
        "erleichtert", "nicht mehr bei uns", "die konkurrenz", "nächsten verkäufer", "soulagé*",
        "ne reviendrez pas", "prochain vendeur", "la concurrence", "aliviad*", "alivio", "no vuelva",
        "la competencia", "próximo vendedor", "sollevat*", "sollievo", "non tornerà", "la concorrenza",
        "prossimo venditore", "aliviado*", "não volte", "não voltar", "a concorrência", "opgelucht",
        "niet meer bij ons", "de concurrent", "volgende verkoper", "ulżyło", "ulga", "u konkurencji",
        "następny sprzedawca", "с облегчением", "облегчение", "больше у нас", "конкурент*", "rahatladı*",
        "rahatlattı", "bir daha alışveriş", "sonraki satıcı", "松了一口气", "以后不来", "别再来", "下一家店",
        "安心いたしました",
        "ほっと", "次のお店", "다행", "다시는 안", "다음 판매자", "ارتحنا", "ارتياح", "لن تشتري منا",
    ],
    # price-expectation mockery: be realistic, luxury quality for that money
    "realistic": [
        "be realistic", "realistic", "down to earth", "for the price of a", "premium quality",
        "luxury quality", "you get what you pay for", "for nothing", "realistisch", "auf dem boden",
        "markenqualität", "erwartungen", "réaliste", "sur terre", "qualité de luxe", "pour rien",
        "realista", "de lujo", "calidad premium", "por nada", "realistic*", "qualità", "di lusso",
        "per niente", "de luxo", "faça me o favor", "realisme", "designkwaliteit", "voor niets", "realizm*",
        "jakości premium", "za darmo", "реалист*", "с небес на землю", "даром", "люкс*", "gerçekçi", "lüks",
        "bedava", "现实一点", "一分钱一分货", "大牌", "还想要", "现实的", "値段相応", "現実的", "高級", "현실적",
        "명품", "싼 것", "واقعي*",
        "مجانا", "مجانًا",
    ],
    # the buyer cannot read or use a simple thing: between the chair and the keyboard, very slowly
    "incompetent": [
        "strong suit", "if you can read", "between the chair", "not rocket science", "a grown up",
        "written for adults", "even a child", "primary school", "very slowly", "once more slowly",
        "one button", "falls sie lesen können", "vor dem gerät", "vor dem bildschirm", "grundschüler",
        "ganz langsam", "für erwachsene", "si vous savez lire", "physique nucléaire", "très lentement",
        "pour les adultes", "même un enfant", "si sabe leer", "entre la silla", "muy despacio",
        "para adultos", "hasta un niño", "se sa leggere", "molto lentamente", "per adulti",
        "anche un bambino", "se souber ler", "bem devagar", "até uma criança", "als lezen",
        "tussen de stoel", "heel langzaam", "voor volwassenen", "zelfs een kind", "umie pan czytać",
        "przed ekranem", "bardzo powoli", "nawet dziecko", "podstawówki", "умеете читать", "очень медленно",
        "даже ребёнок", "даже ребенок", "для взрослых", "okuma", "çok yavaş", "çocuk bile", "klavyeye",
        "认真看", "看不懂", "小学生", "慢慢说", "不识字", "ゆっくり", "読めない", "천천히", "초등학생", "읽을 줄",
        "ببطء", "حتى الطفل",
        "هل تقرأ",
    ],
    # spam: a relative's business, mention our shop
    "relative_biz": [
        "my cousin", "my brother", "my sister", "my uncle", "my aunt", "brother in law", "my nephew",
        "mention our shop", "mention our name", "say you come from us", "sent by us", "mein bruder",
        "meine schwester", "mein cousin", "mein onkel", "meine tante", "mein schwager", "nennung unseres",
        "von uns kommen", "mon frère", "ma sœur", "mon cousin", "mon oncle", "ma tante", "beau frère",
        "de notre part", "mi hermano", "mi hermana", "mi primo", "mi tío", "mi tía", "mi cuñado",
        "de nuestra parte", "mio fratello", "mia sorella", "mio cugino", "mio zio", "mia zia",
        "mio cognato", "da parte nostra", "meu irmão", "minha irmã", "meu primo", "meu tio", "minha tia",
        "meu cunhado", "cliente nosso", "mijn broer", "mijn zus", "mijn neef", "mijn oom", "mijn tante",
        "mijn zwager", "onze winkelnaam", "mój brat", "moja siostra", "mój kuzyn", "mój wujek",
        "moja ciocia", "mój szwagier", "naszego sklepu", "мой брат", "моя сестра", "мой двоюродный",
        "мой дядя", "моя тётя", "моя тетя", "мой шурин", "что от нас", "назовите наш", "kuzenim",
        "kardeşim", "amcam", "dayım", "teyzem", "halam", "eniştem", "mağazamızın adını", "我表哥", "我哥", "我姐",
        "我弟", "我妹", "我舅", "我叔", "我姑", "报我们店名", "我们店的名字", "叔父", "叔母", "兄が", "姉が",
        "弟が", "妹が", "従兄", "当店の名前",
        "사촌", "제 동생", "제 형", "제 언니", "삼촌", "이모", "가게 이름", "저희 고객이라고", "أخي", "أختي",
        "ابن عمي", "عمي",
        "خالي", "اسم متجرنا", "من طرفنا",
    ],
    # spam: chain letters
    "chain_letter": [
        "forward this message", "ten friends", "break the chain", "good luck", "bad luck", "good fortune",
        "nachricht weiter", "freunde weiter", "die kette", "glück", "pech", "envoyez ce message",
        "transmettez ce message", "la chaîne", "la chance", "malheur", "reenvíe este mensaje",
        "envíe este mensaje", "la cadena", "buena suerte", "mala suerte", "inoltra questo messaggio",
        "la catena", "fortuna", "sfortuna", "envie esta mensagem", "a corrente", "sorte", "azar",
        "stuur dit bericht", "de ketting", "geluk", "ongeluk", "prześlij tę wiadomość", "łańcuszek",
        "szczęście", "pecha", "перешлите это сообщение", "цепочк*", "удача", "удачу", "несчаст*",
        "bu mesajı", "zinciri", "şans", "转发这条消息", "转发给", "好运", "倒霉", "転送すると", "幸運", "不幸",
        "이 메시지를", "행운",
        "불행", "أرسل هذه الرسالة", "السلسلة", "الحظ",
    ],
    # spam: prizes and lotteries asking for personal data
    "prize": [
        "lucky winner", "you have won", "you've won", "you have been selected", "claim your prize",
        "your prize", "date of birth", "sie haben gewonnen", "gewinn", "verlosung", "geburtsdatum",
        "vous avez gagné", "tiré au sort", "votre lot", "date de naissance", "ha ganado", "sorteo",
        "su premio", "fecha de nacimiento", "ha vinto", "estrazione", "premio", "data di nascita",
        "você ganhou", "sorteio", "seu prêmio", "data de nascimento", "u heeft gewonnen", "gewonnen",
        "trekking", "loterij", "geboortedatum", "wygrywa", "wygrał*", "losowani*", "nagrod*", "вы выиграли",
        "лотере*", "приз*", "розыгрыш*", "kazandınız", "çekiliş*", "ödül*", "中奖", "抽中", "幸运", "领取", "当選",
        "抽選", "生年月日", "당첨", "추첨", "경품", "ربحت", "سحب", "الجائزة", "جائزة",
    ],
    # spam: stock and crypto tips
    "invest_tip": [
        "shares", "stock exchange", "stock", "crypto*", "token", "coin", "about to triple", "get in before",
        "insider", "aktie*", "an der börse", "einsteigen", "kryptowährung", "bourse", "crypto monnaie",
        "acciones", "criptomoneda", "azioni", "borsa", "criptovaluta", "ações", "bolsa de valores",
        "criptomoeda", "aandelen", "beurs", "akcje", "giełd*", "kryptowalut*", "акци*", "бирж*",
        "криптовалют*", "монета", "инсайд", "hisse*", "kripto", "股票", "小盘股", "稳赚", "内部消息", "币", "株",
        "仮想通貨",
        "十倍", "주식", "종목", "코인", "급등", "أسهم", "البورصة", "عملة رقمية",
    ],
    # spam: work from home, no experience, recruit friends
    "work_home": [
        "work from home", "home based", "no experience", "recruit", "earn up to", "per week", "heimarbeit",
        "ohne vorkenntnisse", "ohne erfahrung", "à domicile", "sans expérience", "parrainez", "desde casa",
        "sin experiencia", "da casa", "senza esperienza", "em casa", "sem experiência", "thuiswerk*",
        "zonder ervaring", "pracy zdalnej", "bez doświadczenia", "zwerbuj", "удалённ*", "удаленн*",
        "без опыта", "evden çalış*", "tecrübesiz", "deneyimsiz", "在家兼职", "无需经验", "日结", "在宅", "未経験",
        "재택",
        "경험 없", "العمل من المنزل", "دون خبرة", "بدون خبرة",
    ],
}


def _cjk(text: str) -> bool:
    return any("\u3040" <= ch <= "\u9fff" or "\uac00" <= ch <= "\ud7af" for ch in text)


def cue_keys(groups: dict[str, list[str]] | None = None) -> dict[str, list[str]]:
    """Each group's phrases as automaton keys over the model's padded text (see the module's doc)."""
    from autoreply.compliance.classifier import _padded
    from autoreply.compliance.normalize import leet_view, normalize

    out: dict[str, list[str]] = {}
    for group, phrases in (CUES if groups is None else groups).items():
        keys = []
        for phrase in phrases:
            stem = phrase.endswith("*")
            norm = normalize(phrase.rstrip("*"))
            inner = _padded((leet_view(norm) or norm).text)[0].strip()
            if not inner:
                continue
            key = inner if _cjk(inner) else f" {inner}" + ("" if stem else " ")
            if key not in keys:
                keys.append(key)
        out[group] = keys
    return out


def occurrences(padded: str, key: str) -> int:
    """How often ``key`` occurs in ``padded``, overlapping (as the automaton counts its matches)."""
    n, start = 0, padded.find(key)
    while start >= 0:
        n += 1
        start = padded.find(key, start + 1)
    return n
