"""Round 20b rules (training set T41 — zh ja ko ru tr ar by a new writer — ids 1–180 as the dev set, outside the
repository): the buyer's question about a channel answered with a refusal, a CJK negation that reaches its clause
only when the hit is in Latin letters, Korean and Arabic wallets sent to the seller, a call word after the number,
number words mixed with digits, an official site with no carrier after it, put-downs said as structures, money-making
pitched as a question, the seller paying the return postage, the Arabic comma as a clause break, and folds of the
tatweel, the heavy plus sign, separators between Chinese characters and spaced Latin letters against CJK text.

Each row: platform, text, expected verdict — ``block``, or ``ok`` for anything but block. Rows are written for these
tests (not copied from the dev set), a violation beside its nearest hard negative.
"""

from __future__ import annotations

import pytest

from autoreply.compliance.normalize import normalize
from tests.compliance_rows import assert_verdict

A, X, T = "amazon", "aliexpress", "taobao"

FOLDS = [
    ("ご質問はＬ Ｉ Ｎ Ｅでどうぞ", "ご质问はlineでどうぞ"),
    ("W h a t s A p p로 연락", "whatsapp로 연락"),
    ("사이즈 S M L 중에", "사이즈 sml 중에"),
    ("راسلني على واتـسـاب", "راسلني على واتساب"),
    ("➕V：abc", "+v:abc"),
    ("加我薇.信，发图", "加我薇信,发图"),
    ("价格3.5元", "价格3.5元"),
]


@pytest.mark.parametrize(("text", "folded"), FOLDS)
def test_round20b_folds(text: str, folded: str) -> None:
    """Spaced Latin letters against CJK text, the tatweel, the heavy plus sign and separators between Chinese
    characters fold; digits and a decimal point stay."""
    assert normalize(text).text == folded


# the buyer's question about a channel, answered with a refusal in that sentence or the next; answered with a yes
ASKED = [
    (X, "Вы спрашивали про Viber — увы, переписываться можем только здесь, в чате заказа.", "ok"),
    (X, "Telegram adresimizi sormuşsunuz. Maalesef yalnızca buradan yazışabiliyoruz.", "ok"),
    (X, "라인 아이디를 물어보셨는데, 정책상 외부 메신저는 사용할 수 없어요.", "ok"),
    (A, "收到您关于Telegram的询问，抱歉我们只能通过亚马逊消息沟通。", "ok"),
    (X, "سألت عن رقم التيليجرام، للأسف لا يمكننا التواصل خارج المنصة.", "ok"),
    (A, "LINEでのご連絡をご希望とのことですが、Amazonのメッセージ以外ではやり取りができません。", "ok"),
    (X, "Вы спрашивали про Viber — да, пишите туда, так быстрее.", "block"),
    (X, "Telegram adresimizi sormuşsunuz; evet, oradan yazabilirsiniz.", "block"),
    (T, "您问能不能加微信，可以的，微信号 shop_abc1。", "block"),
    (A, "LINEをご希望とのことですので、こちらのIDを追加してください：zakka_jp", "block"),
]

# a CJK negation reaches its clause only, also for a hit in Latin letters; 没法 / 无法 and 필요 없 negate
NEGATION = [
    (X, "決済ができない場合は、Wiseでこちらに直接送金していただいても構いません。", "block"),
    (X, "PayPalでの直接のお支払いはお受けできません。注文ページからお願いします。", "ok"),
    (T, "支付宝我们这边没法单独收款，请在订单页面正常付款。", "ok"),
    (T, "카드 결제는 결제 페이지에서 하시면 되고, 따로 계좌로 송금하실 필요는 없어요.", "ok"),
]

# Korean, Arabic, Russian, Turkish, Chinese and Japanese wallets and transfers sent to the seller
PAYMENT = [
    (T, "수수료 아끼시려면 토스로 저한테 바로 보내 주세요.", "block"),
    (X, "알리페이로 제게 직접 보내 주시면 더 싸게 해 드려요.", "block"),
    (T, "알리페이로 결제해 주세요.", "ok"),
    (X, "토스트기는 오늘 보내 드렸습니다.", "ok"),
    (X, "يمكنك الدفع لي مباشرة عبر STC Pay وسأشحن اليوم.", "block"),
    (X, "حوّل المبلغ إلى حسابي وسأرسل الطلب فورا.", "block"),
    (X, "سيتم إرجاع المبلغ إلى حسابك في المنصة خلال أيام.", "ok"),
    (X, "Оплатите по реквизитам, которые я пришлю, выйдет дешевле.", "block"),
    (X, "Оплата только через страницу заказа, переводом мы деньги не принимаем.", "ok"),
    (X, "Ödemeyi elden de yapabilirsiniz, daha uygun olur.", "block"),
    (X, "Ürünü elden teslim etmemiz mümkün değil, kargo ile gönderiyoruz.", "ok"),
    (T, "您直接发个红包给我就行，不用在平台拍了。", "block"),
    (T, "红包封面是赠品，随包裹一起寄出。", "ok"),
    (A, "次回はPayPayで送金いただければ送料無料にします。", "block"),
    (A, "返金は元のお支払い方法に送金されます。", "ok"),
    (A, "Amazonを通さずにお取引いただければ1割引きにします。", "block"),
]

# a call word after the number; number words run into digit groups
PHONES = [
    (X, "急ぎの方は080 2345 6789までお電話ください。", "block"),
    (X, "급하시면 010-2345-6789로 전화 주세요.", "block"),
    (X, "注文番号2345678901についてご連絡いたします。", "ok"),
    (A, "للطوارئ اتصل: صفر خمسة اثنان، ٣٤٥ ٦٧٨٩", "block"),
    (A, "Звоните: восемь девять, 161 234 567.", "block"),
    (A, "В коробке две банки по 250 и одна на 1000 мл.", "ok"),
]

# the seller's own site or shop elsewhere; a carrier's or the maker's official site is theirs
REDIRECTS = [
    (A, "Скидки для постоянных клиентов есть на официальном сайте, наберите название бренда.", "block"),
    (A, "Отследить посылку можно на официальном сайте Почты России.", "ok"),
    (A, "Драйверы есть на официальном сайте производителя.", "ok"),
    (X, "يمكنك تتبع الشحنة على الموقع الرسمي لشركة الشحن.", "ok"),
    (T, "欢迎到我们的实体店来买，地址在杭州。", "block"),
    (X, "Закажите на ВБ, там у нас акция.", "block"),
    (X, "다음엔 저희 홈페이지에서 직접 주문해 주세요.", "block"),
    (X, "저희 홈페이지는 따로 없고 이 스토어에서만 판매합니다.", "ok"),
]

# put-downs said as a structure; their nearest innocent readings
INSULTS = [
    (A, "Talimatlara bakmaya zahmet etseydiniz bu soruyu sormazdınız.", "block"),
    (A, "Если бы вы потрудились открыть инструкцию, вопросов бы не было.", "block"),
    (T, "您但凡看一眼说明书也不会装错。", "block"),
    (X, "せめて足のサイズくらい測ってからご注文くださいね。", "block"),
    (X, "サイズは3センチくらい大きめです。", "ok"),
    (T, "这个道理不用我教您吧？", "block"),
    (T, "二十块钱的东西还指望是纯棉？", "block"),
    (X, "Beden tablosu en üstte, gözünüzden kaçması gerçekten ilginç.", "block"),
    (X, "Размер указан крупно, удивительно, что вы не заметили.", "block"),
    (X, "Мы, к сожалению, не заметили ваше сообщение — удивительно, как оно потерялось.", "ok"),
    (A, "لم يشتك أحد من عملائنا غيرك، فالمشكلة ليست في المنتج.", "block"),
    (A, "Никто из покупателей не жаловался, кроме вас.", "block"),
    (A, "Другие покупатели тоже писали, что размер маломерит, берите на размер больше.", "ok"),
    (X, "هل فتحت دليل الاستخدام أصلا؟", "block"),
    (X, "هل استلمت الدليل مع المنتج؟", "ok"),
    (T, "自己用坏了还好意思来找我们？", "block"),
    (X, "Ну раз вы такой специалист, чините сами.", "block"),
]

# money-making pitched as a question with how it is taught; a relative's business for "our customers"
SPAM = [
    (X, "Посылка в пути. Кстати, не хотите подзаработать? Напишите, расскажу.", "block"),
    (X, "Kargonuz yolda. Bu arada ayda 10 bin TL kazanmak ister misiniz?", "block"),
    (X, "Кстати, у моего брата автосервис, скидка нашим покупателям.", "block"),
    (X, "У моего брата такой же рюкзак, он очень доволен.", "ok"),
    (X, "Кстати, в комплекте есть запасные батарейки.", "ok"),
]

# a messenger or a group named in new ways; the same words as a device's feature
MESSENGERS = [
    (T, "想看实物视频的话，留个V，我拉您进群。", "block"),
    (T, "关注我们的公众号，上新第一时间通知您。", "block"),
    (X, "تابع حسابنا على انستقرام لمعرفة العروض.", "block"),
    (X, "الساعة تدعم إشعارات واتساب بعد ربطها بالهاتف.", "ok"),
    (A, "LINEのQRコードを同封しましたので、登録お願いします。", "block"),
    (A, "LINEの通知はスマートウォッチ側で設定できます。", "ok"),
]

# Amazon: a return registered with what the seller pays is more than a confirmation
CONFIRMATIONS = [
    (A, "Возврат оформлен. Обратную доставку оплачиваем мы, этикетка придёт на почту Amazon.", "ok"),
    (A, "退货已受理，退货运费由我们承担。", "ok"),
    (A, "Возврат оформлен.", "block"),
]

# the Arabic comma ends a clause: "no need to …, send …" — the waiver does not reach the request after it
ARABIC_CLAUSES = [
    (X, "لا داعي للدفع عبر علي إكسبريس، أرسل المبلغ عبر ويسترن يونيون.", "block"),
    (X, "لا نقبل ويسترن يونيون، الدفع فقط عبر صفحة الطلب.", "ok"),
    (X, "لدينا متجر على إيباي بأسعار أقل.", "block"),
    (X, "وصل طلبك من مستودعنا، ويمكنك تقييم المنتج من صفحة الطلب.", "ok"),
]

# more channels and shops: Western Union and MoneyGram in Chinese, the seller's own site in Russian, DMs
OTHERS = [
    (X, "您可以通过西联或者速汇金付款，更快到账。", "block"),
    (X, "У нас есть свой сайт, там цены ниже.", "block"),
    (X, "Скиньте фото в личку, посмотрю.", "block"),
    (X, "Фото брака можно прикрепить прямо здесь, в чате заказа.", "ok"),
    (X, "Вам бы сначала научиться пользоваться, а потом жаловаться.", "block"),
]

# a negation before ", but …" does not reach what the turn offers; more put-downs, shops and cash handed over
TURNS = [
    (X, "Этого размера тут нет, но он есть в нашем магазине на Ozon.", "block"),
    (X, "Этого цвета нет, но мы можем сделать его под заказ здесь, на AliExpress.", "ok"),
    (X, "Мы не принимаем оплату переводом, но вы можете оплатить на странице заказа.", "ok"),
    (X, "Таблица размеров крупным шрифтом, может, вам очки нужны?", "block"),
    (X, "Если нужны очки для чтения, у нас есть модели с диоптриями.", "ok"),
    (T, "您要是嫌贵可以不买，没人逼您。", "block"),
    (X, "Никто не заставляет вас оставлять отзыв, это ваше решение.", "ok"),
    (T, "您直接来我们工厂拿货，比网上便宜。", "block"),
    (X, "يمكنك الدفع كاش لمندوبنا بدلا من الدفع في الموقع.", "block"),
]

ROWS = (TURNS + ARABIC_CLAUSES + OTHERS + ASKED + NEGATION + PAYMENT + PHONES + REDIRECTS + INSULTS + SPAM + MESSENGERS
        + CONFIRMATIONS)


@pytest.mark.parametrize(("platform", "text", "expected"), ROWS)
def test_round20b_verdict_follows_the_structure(platform: str, text: str, expected: str) -> None:
    """Each message is blocked exactly when its structure makes it a violation on that platform."""
    assert_verdict(platform, None, text, expected)
