"""Round 16 (learned classifier, waves 21–22): open threats, accusations of lying, "not our problem",
relief that the buyer will not return, price-expectation mockery and new kinds of spam (a relative's
business, chain letters, prizes, stock tips, work from home) are blocked on every platform by the
classifier and its new cue groups, and the polite answer beside each one, sharing its words, passes.
Written for these tests: not taken from a training file or a development set."""

from __future__ import annotations

import pytest

from tests.compliance_rows import blocked_on

A, X, T = "amazon", "aliexpress", "taobao"
EVERYWHERE = {A, X, T}

# (kind and language, violation, the polite answer with the same words); still missed, so not here: "Pas notre
# problème, débrouillez-vous" (fr) and a Polish chain letter
PAIRS = [
    ("threat en",
     "Keep posting lies about our shop and you will regret it. We know exactly where you live.",
     "We know the courier left the parcel at the wrong door; a new one ships today, so you will not regret waiting."),
    ("liar de",
     "Hören Sie auf zu lügen, der Kratzer stammt eindeutig von Ihnen. Netter Versuch.",
     "Laut Ihren Fotos stammt der Kratzer vom Transport. Wir schicken Ihnen heute kostenlos ein neues Gehäuse."),
    ("relief es",
     "Sinceramente, nos alivia saber que no volverá a comprarnos. Suerte con la competencia.",
     "Nos alivia saber que el paquete por fin llegó en buen estado. Si falta alguna pieza, escríbanos."),
    ("price it",
     "Per nove euro si aspettava una qualità di lusso? Sia un po' realista.",
     "Per nove euro in più può scegliere la versione in acciaio, che dura più a lungo."),
    ("relative ru",
     "Кстати, мой дядя открыл автомойку в Самаре, скажите, что вы от нас, будет скидка.",
     "Мой брат тоже пользуется этой моделью: фильтр достаточно промывать раз в месяц."),
    ("prize nl",
     "Gefeliciteerd, u bent de winnaar van onze loterij! Stuur uw geboortedatum om de prijs te ontvangen.",
     "Gefeliciteerd met uw nieuwe huis! Het bed wordt op de afgesproken dag tussen 8 en 12 uur geleverd."),
    ("stock tip zh",
     "内部消息：有只小盘股下周要拉升，现在买入稳赚，亲别错过。",
     "亲，这款包的内部有两个夹层，可以放下十三寸的笔记本电脑。"),
    ("work from home ja",
     "在宅ワークのご案内です。未経験でも月20万円可能です。興味があればご返信ください。",
     "在宅勤務用のデスクとしてもお使いいただけます。天板の奥行きは60センチです。"),
]


@pytest.mark.parametrize(("name", "violation", "polite"), PAIRS, ids=[p[0] for p in PAIRS])
def test_new_kinds_of_insult_and_spam_are_blocked_everywhere(name: str, violation: str, polite: str) -> None:
    """A new kind of insult or spam (most of which no word list names) is blocked on every platform."""
    assert blocked_on(violation) == EVERYWHERE


@pytest.mark.parametrize(("name", "violation", "polite"), PAIRS, ids=[p[0] for p in PAIRS])
def test_polite_answer_with_the_same_words_passes(name: str, violation: str, polite: str) -> None:
    """The polite answer beside it, sharing its words, is blocked nowhere."""
    assert blocked_on(polite) == set()
