"""Round 17 (learned classifier, wave 24 and pruned cue groups): threats, accusations of lying, relief that the
buyer will not return, price mockery, "cannot read", chain letters, prizes and stock tips that the rules and
round 15's model missed are blocked on every platform; the ordinary seller messages that use the words the round
took out of the cue groups (good luck, a necklace's chain, out of stock, no experience needed, per week, my
brother, relief, realistic, your problem…) pass everywhere. Written for these tests: not taken from a training
file or a development set."""

from __future__ import annotations

import pytest

from tests.compliance_rows import blocked_on

A, X, T = "amazon", "aliexpress", "taobao"
EVERYWHERE = {A, X, T}

# (kind and language, violation): blocked by this round's model, missed before it (main at 581f645). Still missed,
# so not here: "Bonne chance avec la concurrence, on ne vous regrettera pas." (fr), "Be a bit realistic: for twelve
# dollars you wanted designer quality?" (en), "ご住所は把握しています。これ以上騒ぐと後悔しますよ。" (ja)
NEW = [
    ("threat de", "Wir wissen genau, wo Sie wohnen. Überlegen Sie sich gut, was Sie in Ihre Bewertung schreiben."),
    ("threat es", "Sabemos exactamente dónde vive usted. Piénselo dos veces antes de abrir otra disputa."),
    ("threat it", "Sappiamo esattamente dove abita. Se apre un'altra contestazione se ne pentirà."),
    ("relief de",
     "Ehrlich gesagt sind wir froh, wenn Sie nie wieder bei uns bestellen. Viel Glück bei der Konkurrenz."),
    ("realistic fr", "Soyez un peu réaliste : pour ce prix-là vous vouliez du cachemire ?"),
    ("realistic pt", "Seja um pouco realista: por esse preço queria qualidade de luxo?"),
    ("liar ru", "Хорошая попытка, но вы врёте: царапина появилась уже у вас."),
    ("cannot read de", "Falls Sie lesen können: Seite zwei erklärt alles. Das Problem sitzt vor dem Bildschirm."),
    ("chain letter fr", "Transmettez ce message à dix amis avant minuit, sinon la malchance vous suivra."),
    ("prize pl", "Gratulacje! Wygrał Pan nasze losowanie, proszę podać datę urodzenia, żeby odebrać nagrodę."),
    ("stock tip en", "Insider tip: this small mining stock is about to triple, get in before Friday."),
]

# (the phrase taken out of a cue group, language, an ordinary seller message with it): blocked nowhere
PRUNED = [
    ("good luck", "en", "Good luck with the exam tomorrow! The calculator's batteries are already inside."),
    ("buena suerte", "es", "¡Buena suerte con la mudanza! La lámpara va bien protegida en doble caja."),
    ("glück", "de", "Viel Glück beim Umzug! Die Lampe ist doppelt verpackt."),
    ("la chance", "fr",
     "Bonne chance pour le marathon ! Les chaussures taillent grand, prenez une pointure en dessous."),
    ("şans", "tr", "Yeni işinizde bol şans! Zincirin uzunluğunu değiştirmek isterseniz yazmanız yeterli."),
    ("好运", "zh", "祝您考试好运！这款耳机的续航大约是八小时。"),
    ("행운", "ko", "시험에 행운을 빌어요! 계산기는 태양광으로도 작동합니다."),
    ("الحظ", "ar", "نتمنى لك حظاً سعيداً في المسابقة، والساعة مقاومة للماء حتى خمسين متراً."),
    ("szczęście", "pl", "Dużo szczęścia w nowym mieszkaniu! Zasłony można prać w 30 stopniach."),
    ("stock", "en", "Sorry, the blue one in size M is out of stock until Friday; the grey one is available now."),
    ("人民币", "zh", "这款台灯的价格是人民币129元，颜色有黑白两种，您看需要哪一种？"),
    ("borsa", "it", "La borsa in pelle ha una tasca interna con cerniera e la tracolla regolabile."),
    ("coin", "en", "The remote takes one CR2032 coin cell, which is already in the box."),
    ("株", "ja", "株式会社サクラ物流の配達員が明日の午前中にお届けします。"),
    ("no experience", "en", "No experience needed: the shelf clicks together without tools in about ten minutes."),
    ("ohne vorkenntnisse", "de", "Der Aufbau gelingt auch ohne Vorkenntnisse, alle Schrauben liegen bei."),
    ("无需经验", "zh", "安装无需经验，按照说明书十分钟就能装好。"),
    ("未経験", "ja", "未経験の方でも簡単に組み立てられます。六角レンチが付属しています。"),
    ("per week", "en", "Water the plant about twice per week; it ships in a breathable box."),
    ("mój brat", "pl", "Mój brat, który szyje te plecaki, poleca prać je ręcznie w zimnej wodzie."),
    ("mi hermano", "es", "Mi hermano revisó la bicicleta antes de enviarla y los frenos ya están ajustados."),
    ("我哥", "zh", "我哥是做这款台灯的师傅，他说灯泡可以换成暖光的，型号写在底座上。"),
    ("relief", "en", "The gel gives quick relief for sore muscles; apply it twice a day."),
    ("realistisch", "de", "Die Farben auf den Fotos sind realistisch, wir fotografieren bei Tageslicht."),
    ("qualità", "it", "Questa lampada ha una qualità della luce molto calda, ideale per la camera."),
    ("premio", "it", "Il modello ha ricevuto un premio per il design l'anno scorso; la spedizione parte domani."),
    ("consequences", "en",
     "If the strap breaks, there are no consequences for your warranty: we replace it free of charge."),
    ("nieprzyjemności", "pl", "Przepraszamy za nieprzyjemności, nowe etui wysłaliśmy dziś rano."),
    ("your problem", "en", "We will solve your problem today: a replacement charger ships this afternoon."),
    ("ihr problem", "de", "Wir lösen Ihr Problem sofort, der Ersatzakku geht heute noch raus."),
    ("okuma", "tr", "Kılavuzu baştan sona okuma zahmetine gerek yok, kutudaki hızlı başlangıç kartı yeterli."),
    ("ゆっくり", "ja", "ゆっくりお休みください。商品は明日の午前中に届く予定です。"),
    ("gewinn", "de", "Beim Versand machen wir keinen Gewinn, deshalb übernehmen wir das Porto gern."),
    ("акция", "ru", "Цена в заказе указана с учётом акции, которая действовала в день покупки."),
]


@pytest.mark.parametrize(("name", "violation"), NEW, ids=[n for n, _ in NEW])
def test_round17_insult_and_spam_are_blocked_everywhere(name: str, violation: str) -> None:
    """An insult or spam the earlier model missed is blocked on every platform."""
    assert blocked_on(violation) == EVERYWHERE


@pytest.mark.parametrize(("phrase", "lang", "text"), PRUNED, ids=[f"{p} {lang}" for p, lang, _ in PRUNED])
def test_words_taken_out_of_the_cue_groups_pass_in_ordinary_messages(phrase: str, lang: str, text: str) -> None:
    """An ordinary seller message with a word the round took out of a cue group is blocked nowhere."""
    assert blocked_on(text) == set()
