"""Round 11 classes of violations and hard negatives, each in several languages: order numbers after
CJK order words, messengers as a call feature, impersonation warnings, engraving as essential, Korean
"쩜", messenger slang, sarcastic put-downs, PayPal friends & family, "we also sell there", phones in
number words and katakana, review manipulation without a change word, work-from-home spam,
cancellations, incentives, webmail names in other scripts, Taobao after-sales terms outside Chinese."""

from __future__ import annotations

import pytest

from tests.test_compliance_round10 import assert_blocked_where_forbidden, assert_not_blocked

A, X, T = "amazon", "aliexpress", "taobao"
EVERYWHERE = (A, X, T)

# (text, platforms where it is blocked, the check that must fire there)
VIOLATIONS = [
    # a dot said in Korean slang
    ("제품 후기는 shop 쩜 tistory 쩜 com 에 올려 두었어요.", EVERYWHERE, "external_link"),
    # messenger slang
    ("Пишите нам в ВиЧат, там быстрее ответим.", EVERYWHERE, "messenger"),
    ("有问题去绿色软件上找我，号是店名拼音。", EVERYWHERE, "messenger"),
    ("看不清的话加个薇信，我发视频给你。", EVERYWHERE, "messenger"),
    # sarcastic put-downs with no insult word
    ("Gdyby Pani chociaż raz spojrzała na tabelę rozmiarów, nie byłoby problemu.", EVERYWHERE, "insult"),
    ("Если вы не умеете пользоваться инструкцией, мы ничем не поможем.", EVERYWHERE, "insult"),
    ("説明文はちゃんと読んでいただけましたか？", EVERYWHERE, "insult"),
    ("설명서도 안 읽고 문의하시다니 정말 대단하십니다.", EVERYWHERE, "insult"),
    ("Tebrikler, kapağı kırmayı başaran ilk müşterimiz oldunuz.", EVERYWHERE, "insult"),
    ("Maybe ask someone younger to help you with the settings.", EVERYWHERE, "insult"),
    ("المنتج يعمل عند عملائنا إلا عندك، ربما تحتاج إلى من يشرح الإعدادات.", EVERYWHERE, "insult"),
    # PayPal friends & family
    ("PayPalの個人間送金でお支払いいただければ送料をサービスします。", EVERYWHERE, "off_platform_payment"),
    ("Proszę zapłacić przez PayPal dla znajomych i rodziny, będzie taniej.", EVERYWHERE, "off_platform_payment"),
    # another marketplace: we sell there too / search us there
    ("이 제품은 쿠팡에서도 판매하고 있어요.", EVERYWHERE, "off_platform_redirect"),
    ("去闲鱼搜我们的店名，价格更低。", EVERYWHERE, "off_platform_redirect"),
    # phones in number words and katakana
    ("Proszę dzwonić: pięćset dwanaście, trzysta czterdzieści, dwadzieścia jeden.", EVERYWHERE, "phone"),
    ("Bizi arayın: sıfır beş yüz otuz, iki yüz kırk, elli beş, yirmi.", EVERYWHERE, "phone"),
    ("Llámenos al seiscientos doce, trescientos cuarenta y cinco, sesenta y siete.", EVERYWHERE, "phone"),
    ("お電話はゼロハチゼロ、サンヨンゴーロク、ナナハチキューイチまで。", EVERYWHERE, "phone"),
    # e-mail with the webmail name written in another script
    ("الفاتورة أرسلها إلى ahmed.shop على هوتميل دوت كوم من فضلك.", EVERYWHERE, "email"),
    # review manipulation
    ("Если поставите 5 звёзд, пришлём купон на скидку.", EVERYWHERE, "review_manipulation"),
    ("新しい商品が届いたら、評価の見直しをお願いできますか。", EVERYWHERE, "review_manipulation"),
    ("만족하신 분만 별점 5점 평가를 남겨 주세요.", EVERYWHERE, "review_manipulation"),
    ("不满意请先私信我们，别急着给差评。", EVERYWHERE, "review_manipulation"),
    ("If you are not satisfied, please contact us before leaving a rating.", EVERYWHERE, "review_manipulation"),
    # spam
    ("【在宅ワーク】スマホだけで高収入！詳しくは返信を。", EVERYWHERE, "spam"),
    ("Evden çalışarak ek gelir elde etmek ister misiniz?", EVERYWHERE, "spam"),
    # Amazon-only: cancellations and incentives
    ("Brakuje koloru czarnego. Czy mogliby Państwo anulować zamówienie po swojej stronie?", (A,), "ask_to_cancel"),
    ("Widzimy, że zamówienie zostało anulowane. Co wpłynęło na tę decyzję?", (A,), "cancel_reason"),
    ("Мы заметили отмену заказа. Что повлияло на ваше решение?", (A,), "cancel_reason"),
    ("W paczce znajdzie Pan drobny upominek od nas.", (A,), "incentive"),
    ("Как благодарность кладём в посылку небольшой подарок от нас.", (A,), "incentive"),
    # Taobao after-sales terms outside Chinese
    ("Возврат без объяснения причин принимаем только в течение 2 дней.", (T,), "after_sales_terms"),
    ("단순 변심 반품은 수령 후 5일까지만 가능합니다.", (T,), "after_sales_terms"),
    ("يمكن إرجاع المنتج بدون سبب خلال 3 أيام فقط.", (T,), "after_sales_terms"),
    ("Kampanyalı ürünlerde iade kabul etmiyoruz.", (T,), "after_sales_terms"),
    ("セール品は返品・交換不可となっております。", (T,), "after_sales_terms"),
    ("При возврате удерживаем 15 юаней с суммы.", (T,), "after_sales_terms"),
    ("签收后2天内可退，超过2天一律不予处理。", (T,), "after_sales_terms"),
    ("如有品質問題請在5天內聯繫，超過5天恕不受理。", (T,), "after_sales_terms"),
]

# (text, subject): innocent everywhere
INNOCENT = [
    # order numbers after CJK order words
    ("ご注文番号 9034417762 の配送先について、建物名を教えていただけますか？", None),
    ("주문번호 7781203456 건의 배송지를 변경했습니다. 확인 부탁드립니다.", None),
    ("訂單號 4829103375621 的地址已經更新，請放心。", None),
    # a messenger named as a call feature of the product
    ("Наушники подходят для звонков в Telegram и Zoom.", None),
    ("السماعة تحسن جودة المكالمات عبر تيليجرام.", None),
    ("The microphone improves call quality on WhatsApp and Zoom.", None),
    # fraud warnings about impersonators
    ("Facebook'ta mağazamızı taklit eden sahte bir hesap var; oradan gelen mesajlara itibar etmeyin.", None),
    ("На Instagram появился фейковый аккаунт, который выдает себя за наш магазин. Игнорируйте его.", None),
    ("إذا وصلتك رسالة باسم متجرنا تطلب الدفع خارج المنصة فتجاهلها.", None),
    # essential: the engraving text
    ("نحتاج إلى النص المطلوب للنقش قبل بدء التصنيع.", "[Important] النقش"),
    ("Пришлите, пожалуйста, текст для гравировки до пятницы.", "[Важно] Гравировка"),
    # lawful terms and neutral words near the new terms
    ("Возврат без объяснения причин возможен в течение 7 дней.", None),
    ("단순 변심 반품은 수령 후 7일 이내에 가능합니다.", None),
    ("Мы не удерживаем комиссию при возврате.", None),
    ("لا ترد على هذه الرسالة، سنتواصل معك عبر المنصة.", None),
    ("Paket günde iki kez kargoya verilir.", None),
    ("Der Artikel eignet sich gut als Geschenk.", None),
    ("يمكنك الدفع نقداً عند الاستلام.", None),
    ("サンゴのネックレスとハチミツのセットです。", None),
    ("Paket iki yüz elli gram ağırlığında, beş gün içinde gelir.", None),
    ("El precio es de ciento veinte euros y el envío tarda dos o tres días.", None),
    ("Use your Gmail account at checkout.", None),
    ("If you are not satisfied with the item, please contact us.", None),
    ("图片看不清的话请在平台上联系客服，不要加微信。", None),
    ("Zamówienie może Pani anulować w swoim koncie, jeśli Pani chce.", None),
]


@pytest.mark.parametrize(("text", "blocked_on", "check"), VIOLATIONS)
def test_round11_violations_are_blocked_where_the_platform_forbids_them(
        text: str, blocked_on: tuple[str, ...], check: str) -> None:
    """Each violation is blocked by its check on the platforms whose rules forbid it."""
    assert_blocked_where_forbidden(text, blocked_on, check)


@pytest.mark.parametrize(("text", "subject"), INNOCENT)
@pytest.mark.parametrize("platform", EVERYWHERE)
def test_round11_hard_negatives_pass(text: str, subject: str | None, platform: str) -> None:
    """Order numbers, call features, impersonation warnings, engraving requests, lawful terms and
    everyday words next to the new terms are never blocked."""
    assert_not_blocked(text, subject, platform)
