"""Round 14 recall: irony and condescension aimed at the buyer without an insult word, and spam
inside a seller message (money, crypto, prizes, jobs, followers, a relative's business, petitions),
each in several languages beside innocent messages that use the same words."""

from __future__ import annotations

import pytest

from autoreply.compliance import ComplianceEngine
from tests.test_compliance_round10 import assert_blocked_where_forbidden, assert_not_blocked

A, X, T = "amazon", "aliexpress", "taobao"
EVERYWHERE = (A, X, T)
RULES = ComplianceEngine(use_classifier=False)

# (text, the check that must block it on every platform) — found by the rules alone
VIOLATIONS = [
    # reading is "apparently" too hard
    ("Reading a washing label is evidently too difficult, so once more: 30 degrees.", "insult"),
    ("Die Maße zu lesen ist offenbar zu schwer für Sie.", "insult"),
    ("Lire une notice est visiblement trop compliqué, alors je résume : vis A dans le trou B.", "insult"),
    ("Pelo visto ler a descrição é difícil demais.", "insult"),
    ("Видимо, прочитать описание слишком сложно.", "insult"),
    ("看来阅读说明书对您来说太难了。", "insult"),
    # congratulations on discovering the obvious
    ("Congratulations on finding the reset hole at last.", "insult"),
    ("Complimenti, ha finalmente trovato l'interruttore.", "insult"),
    ("축하합니다, 드디어 충전 단자를 발견하셨네요.", "insult"),
    ("Tebrikler, sonunda şarj girişini buldunuz.", "insult"),
    # explained N times
    ("I have told you three times that the adapter is sold separately.", "insult"),
    ("Ik heb het u al drie keer uitgelegd: de stekker wordt apart geleverd.", "insult"),
    ("Se lo he explicado tres veces: la garantía es de dos años.", "insult"),
    ("Tłumaczyłem to już kilka razy, zasilacz jest osobno.", "insult"),
    ("这个问题已经跟您解释过好几遍了。", "insult"),
    ("二度ご説明しましたが、充電器は別売りです。", "insult"),
    # some people just can't follow simple instructions
    ("Some people simply can't follow basic steps, it seems.", "insult"),
    ("Manche Leute schaffen es einfach nicht, eine simple Anleitung zu befolgen.", "insult"),
    ("Некоторые люди просто не могут выполнить простую инструкцию.", "insult"),
    ("Bazı insanlar basit bir talimatı bir türlü takip edemiyor.", "insult"),
    # drawing the buyer a picture, feigned surprise
    ("Maybe we should draw you a picture next time.", "insult"),
    ("La prossima volta le facciamo un disegnino, promesso.", "insult"),
    ("Who would have thought a 40 cm shelf is shorter than a 60 cm one. Shocking.", "insult"),
    ("Qui l'eût cru : une taille S est plus petite qu'une taille L. Quelle surprise.", "insult"),
    # mock titles spelled out or said as a vocative, a brain spelled out
    ("Try the other socket, g e n i u s.", "insult"),
    ("Pruebe a cargarlo primero, genio.", "insult"),
    ("Сначала зарядите, г е н и й.", "insult"),
    ("Benutzen Sie mal Ihr H i r n.", "insult"),
    # money offered, loans sold
    ("Quick question: need cash fast? I can put you in touch with a lender.", "spam"),
    ("Übrigens vergibt unser Partner Kredite bis 10.000 Euro ohne Schufa.", "spam"),
    ("Acil nakit mi lazım? Hemen kredi veriyoruz.", "spam"),
    # crypto schemes, prizes to claim, jobs, followers, a relative's business, petitions
    ("Invierta en criptomonedas con nosotros: ganancias garantizadas cada mes.", "spam"),
    ("Join our bitcoin club and earn 20% per month.", "spam"),
    ("恭喜您中奖了！请提供银行卡号以便发放奖金。", "spam"),
    ("Sie haben gewonnen! Für die Auszahlung brauchen wir nur Ihre Kontodaten.", "spam"),
    ("Cerchiamo collaboratori da casa, 80 euro al giorno.", "spam"),
    ("インスタのフォロワーを1000人3000円で販売中です。", "spam"),
    ("Want more TikTok followers? We sell them in packs of 5,000.", "spam"),
    ("저희 사촌이 치과를 운영하는데 임플란트가 반값입니다.", "spam"),
    ("Подпишите, пожалуйста, нашу петицию о ремонте дороги.", "spam"),
]

# innocent messages with the same words: humour about a third party, a hard manual, counts that
# are not explanations, real congratulations, products named like the mock titles, loans at checkout
INNOCENT = [
    "Apparently the courier found our label too hard to read, so we reprinted it in larger type.",
    "Apparently the manual is difficult to follow for some customers, so we recorded a short video.",
    "The instructions are a bit difficult at first, so we added a video guide to the listing.",
    "Visiblement, lire notre étiquette était trop difficile pour le livreur ; nous l'avons réimprimée.",
    "Congratulations on your wedding! The cake topper ships on Monday.",
    "Glückwunsch zum neuen Zuhause! Die gefundenen Schrauben legen wir bei.",
    "As explained in the manual, press the pairing button twice.",
    "We explained to the courier twice that you are at work until 6 pm.",
    "Wir haben den Fehler zweimal geprüft und erklären ihn Ihnen gern noch einmal.",
    "我们已经跟快递公司解释过两次了，他们今天会重新派送。",
    "Some people can't use the simple clip with gloves on, so the XL version has a bigger one.",
    "Manche Kunden bevorzugen einfach die größere Variante.",
    "Our artist will draw you a picture of your dog from the photo you upload.",
    "What a surprise to see the lamp in your garden photo, it looks lovely there.",
    "The Genius mouse pairs over 2.4 GHz and runs on one AA battery.",
    "Our champion model, the X2, has a 5000 mAh battery.",
    "We are hiring extra packers for the holidays, so replies may take a day longer.",
    "Kredi kartına 6 aya kadar taksit seçeneği ödeme sayfasında görünür.",
    "Оплатить заказ в кредит до 12 месяцев можно на странице оформления.",
    "The money box counts coins automatically; it earns no interest, it just keeps them safe for a month.",
    "Mein Bruder hat die Regale selbst gebaut, sie sind aus Eiche.",
    "The ring light is popular with creators who want more followers on their channel.",
    "If someone offers you a loan up to 5,000 in our name, it is a scam: please report it.",
    "I understand your frustration. As I wrote in my last message, the new part ships on Monday.",
    "Désolé pour l'attente, je vous réexplique volontiers le montage étape par étape.",
    "亲，非常抱歉让您久等了，我们已经催促快递，明天一定送到。",
]


@pytest.mark.parametrize(("text", "check"), VIOLATIONS)
def test_round14_violations_are_blocked_everywhere(text: str, check: str) -> None:
    """Each put-down or spam offer is blocked by its check on every platform."""
    assert_blocked_where_forbidden(text, EVERYWHERE, check)


@pytest.mark.parametrize(("text", "check"), VIOLATIONS)
def test_round14_violations_are_found_by_the_rules_alone(text: str, check: str) -> None:
    """The word lists and structures find each violation without the learned classifier."""
    for platform in EVERYWHERE:
        verdict = RULES.check(platform=platform, subject=None, body=text)
        assert check in {f.check for f in verdict.findings if f.severity == "block"}, (platform, verdict)


@pytest.mark.parametrize("text", INNOCENT)
@pytest.mark.parametrize("platform", EVERYWHERE)
def test_round14_hard_negatives_pass(text: str, platform: str) -> None:
    """Humour about a third party, real congratulations, counts, product names and loans at the
    checkout are never blocked."""
    assert_not_blocked(text, None, platform)
