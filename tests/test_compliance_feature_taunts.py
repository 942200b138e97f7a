"""Round 9 of the compliance engine: messengers named as a device feature, checkout options and
disowned cards are not violations; condescension, a request for the buyer's number, deals between
us, messenger nicknames, review offers and edits, other marketplaces, Taobao windows and Amazon's
indirect review requests, promotions, cancellations and purpose clauses are judged per platform."""

from __future__ import annotations

import pytest

from tests.compliance_rows import blocked_on
from tests.test_compliance_audit import ALL, A, T

# (category, text, platforms that block it) — written for these tests, not taken from a corpus
CASES = [
    # hard negatives: a messenger as a product feature, checkout options, disowned cards, purpose clauses
    ("feature en", "Once paired, the band vibrates for Telegram and WhatsApp notifications.", set()),
    ("feature es", "La pulsera muestra notificaciones de WhatsApp y Telegram cuando está emparejada.", set()),
    ("feature de", "Das Armband vibriert bei Benachrichtigungen von WhatsApp, sobald es gekoppelt ist.", set()),
    ("feature ko", "이 밴드는 앱과 연동되면 카카오톡 알림을 진동으로 알려줍니다.", set()),
    ("feature zh", "手环配对后可以接收微信来电提醒。", set()),
    ("feature but invite en", "Turn on notifications and add us on WhatsApp for news.", ALL),
    ("checkout option en", "The wire transfer method shown at checkout is run by the marketplace, not by us.", set()),
    ("checkout diverted en", "Skip the checkout and send a bank transfer to my account instead.", ALL),
    ("disowned card zh", "如果收到写着好评返现的小卡片，不是我们放的，请忽略。", set()),
    ("disowned card en", "If a cash-for-review flyer was in the box, it is not from us; please ignore it.", set()),
    ("purpose ru", "Мы оформим возврат сами, чтобы деньги поступили быстрее.", set()),
    ("duration es", "El abono suele tardar en verse unos días en su cuenta.", set()),
    ("courier calls en", "The driver will call you on your phone number before delivery.", set()),
    ("our courier calls en", "Our courier will call you on your phone number to book a slot.", set()),
    ("our watch feature en", "Our watch shows WhatsApp and Telegram notifications once paired.", set()),
    ("our watch feature zh", "我们的手表配对后可以显示微信消息提醒。", set()),
    ("our account en", "Get order notifications on our WhatsApp instead.", ALL),
    ("only ships fast zh", "我们只在24小时内发货。", set()),
    ("seller checked feature en", "I checked: the band shows Signal and WhatsApp notifications once paired.", set()),
    ("size in shop de", "Die passende Größe finden Sie in der Tabelle in unserem Shop.", set()),
    ("no time wasted ko", "시간 낭비 없이 빠르게 보내 드릴게요.", set()),
    # condescension blocks everywhere
    ("taunt en", "Honestly, if you can't even charge a phone, that's on you.", ALL),
    ("taunt fr", "Lisez la notice au lieu de nous faire perdre notre temps.", ALL),
    ("taunt de", "Wer zu faul ist, das Etikett zu prüfen, bestellt eben die falsche Größe.", ALL),
    ("taunt nl", "Als je niet eens een batterij kunt vervangen, kunnen wij ook niets doen.", ALL),
    ("taunt zh", "连这都不会用，还好意思投诉？", ALL),
    # off-platform contact and payment without a brand
    ("call me it", "Mi mandi il tuo numero di telefono e ti chiamo stasera.", ALL),
    ("call me en", "Send me your mobile number and I'll give you a call this afternoon.", ALL),
    ("between us en", "Next time we can deal directly and avoid the platform fee.", ALL),
    ("bypass de", "Beim nächsten Mal können wir das ohne die Plattform machen.", ALL),
    ("bypass ko", "다음엔 직거래로 하시면 더 싸게 드릴게요.", ALL),
    ("nickname en", "Find us on the green chat app under the shop's name.", ALL),
    ("nickname ko", "카.톡 으로 연락 주세요.", ALL),
    # review manipulation
    ("surprise review fr", "Laissez un avis avec photo et recevez une petite surprise dans votre prochain colis.", ALL),
    ("edit after replacement es", "Te enviamos otra; ¿podrías cambiar lo que escribiste cuando llegue?", ALL),
    ("delete cantonese", "麻煩你刪咗個差評啦。", ALL),
    # other marketplace (Korean)
    ("coupang ko", "쿠팡에서 저희 가게를 찾아주시면 바로 주문하실 수 있어요.", ALL),
    # Taobao after-sales
    ("48h window zh", "质量问题只能在签收后48小时内申请退换。", {T}),
    ("only within en", "Returns are only accepted within 3 days of delivery.", {T}),
    ("inspection fee zh", "退货需支付质检费15元。", {T}),
    ("no appraisal period zh", "本店不支持七天无理由退货。", {T}),
    # Amazon only
    ("indirect review en", "Your feedback would help other buyers choose the right size.", {A}),
    ("indirect review zh", "有空的话帮我们留个评价吧。", {A}),
    ("matching promo en", "We now also have the matching pillowcases in our store.", {A}),
    ("why anular es", "Vimos que anulaste la compra. ¿Nos podrías decir por qué?", {A}),
]


@pytest.mark.parametrize(("text", "expected"), [(c[1], c[2]) for c in CASES], ids=[c[0] for c in CASES])
def test_round9_kinds_get_each_platforms_verdict(text: str, expected: set[str]) -> None:
    """Each phrasing is blocked on exactly the platforms whose rules forbid it."""
    assert blocked_on(text) == expected
