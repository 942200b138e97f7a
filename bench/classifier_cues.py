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
        "üç kez", "üç kere", "son kez", "说过三遍", "说了多少遍", "再说一遍", "说过了", "何度も", "三度目", "繰り返し",
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
    # beginner, first time online, age, grandchildren, "not for you"
    "novice": [
        "first time", "at your age", "a certain age", "grandchild*", "grandson", "beginner*", "not for you",
        "like the adults", "ersten mal", "erster onlinekauf", "ihr erster", "in ihrem alter", "enkel*",
        "premier achat", "première fois", "à votre âge", "petits enfants", "pas pour vous", "primera compra",
        "primera vez", "a su edad", "cierta edad", "nieto", "no es para usted", "prima volta",
        "alla sua età", "nipot*", "non fa per lei", "pierwszy raz", "w pani wieku", "w pana wieku", "wnu*",
        "первый раз", "в вашем возрасте", "внук*", "eerste keer", "op uw leeftijd", "kleinkind*",
        "ilk kez", "ilk defa", "bu yaşta", "torun*", "第一次网购", "这把年纪", "孙子", "初めて", "お孫さん", "年齢",
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
