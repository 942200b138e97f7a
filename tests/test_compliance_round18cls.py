"""Round 18 (learned classifier, waves 26a / 26b by two new writers, cue groups for the redirect and the review): a new
writer's off-platform redirects, rewarded or steered reviews and Amazon incentives are blocked where the platform
forbids them, each beside a hard negative that uses the same words for an ordinary reason (the marketplace's own store
page, a review quoted, a free replacement owed for a defect) and passes everywhere. Written for these tests: not taken
from a training file or a development set."""

from __future__ import annotations

import pytest

from tests.compliance_rows import blocked_on

A, X, T = "amazon", "aliexpress", "taobao"
EVERYWHERE = {A, X, T}

# (kind and language, violation, platforms where it blocks, hard negative that passes everywhere)
ROWS = [
    ("redirect en", "Next time just buy from our own web store instead, it is cheaper than on the marketplace.",
     EVERYWHERE, "More colours of this scarf are in our store on this site: tap the shop name above the title."),
    ("redirect de", "Für Ersatzteile bestellen Sie bitte künftig direkt in unserem eigenen Onlineshop, nicht hier.",
     EVERYWHERE, "Ersatzteile finden Sie in unserem Shop hier, einfach oben auf den Markennamen tippen."),
    ("redirect fr", "Pour les prochaines commandes, passez plutôt par notre propre site, les frais sont moins élevés.",
     EVERYWHERE, "Les autres tailles sont dans notre boutique ici même : cliquez sur le nom du vendeur."),
    ("redirect es", "Para el servicio técnico escríbanos fuera de la plataforma, aquí tardamos demasiado.",
     EVERYWHERE, "Para el servicio técnico escríbanos aquí mismo en la mensajería del pedido, respondemos en un día."),
    ("redirect pl", "Zamówienia hurtowe przyjmujemy tylko poza platformą, tam damy lepszą cenę.",
     EVERYWHERE, "Zamówienia hurtowe przyjmujemy tutaj, wystarczy zwiększyć ilość w koszyku."),
    ("redirect zh", "亲，以后可以直接去我们官网下单，不用走平台，还能便宜一点。",
     EVERYWHERE, "亲，这个颜色在商品页面的规格里就能选，下单时点一下就行。"),
    ("redirect ja", "次回からは弊社に直接ご連絡いただければ、プラットフォーム手数料の分お安くします。",
     EVERYWHERE, "ご希望の色違いは、同じストア内の別の商品ページでお求めいただけます。"),
    ("redirect tr", "Toptan siparişler için platform dışında bizimle iletişime geçin, komisyonsuz fiyat veririz.",
     EVERYWHERE, "Toptan siparişler için bu mesajlaşma üzerinden yazın, adet fiyatını hemen iletiriz."),
    ("review reward en", "Post your review, send us a screenshot of your review and we refund the whole price.",
     EVERYWHERE, "Please send us a screenshot of the error message so we can check the app for you."),
    ("review reward de", "Schicken Sie uns einen Screenshot Ihrer Rezension, dann erstatten wir Ihnen 10 Euro.",
     EVERYWHERE, "Schicken Sie uns bitte ein Foto vom Typenschild, dann prüfen wir die passende Ersatzdichtung."),
    ("review reward ko", "리뷰 작성 후 인증해 주시면 5천 원을 돌려드립니다.",
     EVERYWHERE, "리뷰에 적어주신 소음 문제는 펌웨어 업데이트로 해결되었습니다."),
    ("review steer es", "Si le ha gustado la lámpara, déjenos cinco estrellas; si no, escríbanos antes de valorar.",
     EVERYWHERE, "Varias opiniones dicen que la lámpara da una luz cálida; la potencia es de 9 W."),
    ("review steer it", "Abbiamo spedito il ricambio: potrebbe aggiornare la valutazione a cinque stelle?",
     EVERYWHERE, "La valutazione è una sua scelta; intanto le mandiamo un ricambio per il pezzo difettoso."),
    ("review steer ru", "Если всё понравилось, поставьте пять звёзд, а если нет — сначала напишите нам.",
     EVERYWHERE, "Рейтинг товара считает площадка по оценкам покупателей, мы на него не влияем."),
    ("incentive en", "If you keep the kettle instead of sending it back, we will refund you 20 dollars today.",
     {A}, "The kettle arrived dented, so we refund you in full; there is no need to send it back."),
    ("incentive pt", "Mande uma foto usando a mochila e ganhe um vale-presente de 10 dólares.",
     {A}, "A mochila chegou rasgada? Mande uma foto e enviamos outra sem custo."),
]


# the round-18 retrain (integration tree) blocks the English, German and Japanese redirects; the Polish one it still
# misses (a known limit, kept visible)
NEEDS_RETRAIN = {"redirect pl"}
VIOLATIONS = [pytest.param(*r, marks=pytest.mark.xfail(reason="the round-18 model misses it", strict=True))
              if r[0] in NEEDS_RETRAIN else r for r in ROWS]


@pytest.mark.parametrize(("name", "violation", "where", "negative"), VIOLATIONS, ids=[r[0] for r in ROWS])
def test_round18_new_writer_violation_is_blocked(name: str, violation: str, where: set[str], negative: str) -> None:
    """A new writer's redirect, rewarded or steered review or incentive is blocked where the platform forbids it."""
    assert where <= blocked_on(violation)


@pytest.mark.parametrize(("name", "violation", "where", "negative"), ROWS, ids=[r[0] for r in ROWS])
def test_round18_hard_negative_passes_everywhere(name: str, violation: str, where: set[str], negative: str) -> None:
    """The same words used for an ordinary reason are blocked nowhere."""
    assert blocked_on(negative) == set()
