"""Round 16 spam recall: advertising unrelated to the trade read as a topic plus what makes it an
appeal (chain letters, stock and crypto tips, investment groups, home jobs, a relative's business
with a referral, prize claims, surveys with a draw, religious and political appeals, network
marketing, horoscopes), each beside innocent messages that use the same words about the order."""

from __future__ import annotations

import pytest

from autoreply.compliance import ComplianceEngine
from tests.test_compliance_round10 import assert_not_blocked

A, X, T = "amazon", "aliexpress", "taobao"
EVERYWHERE = (A, X, T)
RULES = ComplianceEngine(use_classifier=False)

# spam in many languages, each found by the rules alone and blocked on every platform
SPAM = [
    # chain letters
    "Send this message to eight friends before midnight and luck will follow you all year.",
    "Leiten Sie diese Nachricht an fünf Freunde weiter, sonst bringt sie Ihnen Unglück.",
    "Não quebre a corrente: mande para nove amigos hoje.",
    "Перешлите это сообщение пяти знакомым, и удача не заставит себя ждать.",
    "请把这条消息转发给八个朋友，好运会一直跟着你。",
    "이 메시지를 다섯 명에게 전달하면 행운이 옵니다.",
    # stock and crypto tips, investment groups
    "Between us: shares of a tiny battery maker will double in value next week, buy before Monday.",
    "Ein Tipp: Die Aktie eines kleinen Biotech-Unternehmens wird sich bald verdoppeln, jetzt kaufen.",
    "Une petite crypto va tripler d'ici la fin du mois, achetez maintenant.",
    "Esta acción de una minera pequeña va a dispararse en bolsa, compre ahora.",
    "Bu hisse gelecek ay ikiye katlanacak, hemen alın.",
    "这只股下个月要暴涨，现在买入稳赚。",
    "Unisciti al nostro gruppo VIP di criptovalute: i membri hanno guadagnato il 150 % a marzo.",
    "Приглашаем в закрытую группу по биткоину, участники удвоили деньги за месяц.",
    # jobs and home work
    "We're hiring people to review apps from home, no experience required, earn up to 70 a day.",
    "Trabajo desde casa: pagamos 25 euros por hora, sin experiencia, responda SÍ.",
    "Nous recrutons pour du travail à domicile, 60 € par jour, sans expérience.",
    "在家兼职打字，日结两百，无需经验。",
    "Szukamy osób do pracy zdalnej, 200 zł dziennie, bez doświadczenia.",
    # a relative's or friend's business with a referral
    "My sister just opened a nail salon in Bristol; tell them you're from us and get 20 % off.",
    "Mi tía tiene una floristería en Málaga, diga que va de nuestra parte y le harán precio.",
    "Mon oncle tient un garage à Lille, dites que vous venez de notre part.",
    "Mijn broer heeft een kapsalon in Gent, zeg dat u van ons komt voor korting.",
    "Мой друг открыл автомойку, скажите, что от нас, будет скидка.",
    "我姐在南京开了家美甲店，报我们店名打八折。",
    "叔父が京都で旅館を営んでおりまして、当店の名前をお伝えいただければ割引になります。",
    "أختي فتحت صالون تجميل في جدة، قولي لهم إنك من طرفنا.",
    # prize claims and surveys with a draw
    "Congratulations, you have been chosen as our lucky winner! Send your date of birth to claim the prize.",
    "Parabéns, você foi sorteado! Envie seu CPF para receber o prêmio.",
    "Gefeliciteerd, u bent geselecteerd voor een prijs. Stuur uw geboortedatum om hem te ontvangen.",
    "Fill in our short survey and win a new tablet in our monthly draw.",
    "Rispondi al nostro sondaggio e partecipi all'estrazione di una bici.",
    # religious and political appeals
    "Come to our church this Sunday, everyone is welcome and God loves you.",
    "Venga a nuestra iglesia este domingo, Dios le ama.",
    "Kommen Sie am Sonntag zum Gottesdienst in unsere Kirche.",
    "Vote for our candidate in the coming elections, he protects small shops.",
    "Votez pour notre candidat aux élections municipales.",
    # network marketing, horoscopes
    "Join our team of beauty advisers: sell to your friends and recruit three more to earn bonuses.",
    "Dołącz do naszego zespołu: sprzedawaj znajomym i zwerbuj trzy osoby.",
    "Meine Schwester erstellt persönliche Horoskope für nur 15 Euro, einfach antworten.",
    "Burcunuza özel fal yorumu hazırlıyoruz, ilgilenirseniz yazın.",
    # say + from us beside a business opened; earning with pay per period and a sum; other phrasings
    "Hey, unrelated, but my buddy runs a taxi service at the airport, just say the shop sent you and "
    "he'll knock 10 off.",
    "Small favour: my aunt's bakery on Elm Street opens Saturday, please pop in and tell her you bought from us.",
    "Earn 400 a week from your sofa, no skills needed, just answer YES.",
    "Arbeiten Sie von zu Hause aus und verdienen Sie 200 Euro am Tag, keine Erfahrung nötig.",
    "Зарабатывайте 5000 рублей в день из дома без опыта, ответьте ДА.",
    "自宅で簡単、日給1万円、未経験OK、「はい」と返信してください。",
    "제 삼촌이 대구에서 식당을 하는데, 저희 가게 손님이라고 하시면 할인해 드려요.",
    "叔母が大阪でカフェを開きました。当店のお客様だとお伝えいただければドリンク無料です。",
    "Start your own business with our essential oils: buy the starter kit and recruit your friends, "
    "you'll earn commission on every sale.",
    "Remember to vote for the Green candidate on Sunday, the future depends on it.",
    "Leiten Sie diesen Brief an sieben Personen weiter, sonst verfolgt Sie das Pech.",
    "Looking for love? Chat with beautiful women near you tonight.",
    # a relative's number offered, invest and get back, prayers to forward, loans, love spells, surveys, votes
    "By the way, my cousin sells cheap car insurance, want his number?",
    "Mein Onkel vermietet Ferienwohnungen an der Ostsee, ich kann Ihnen gern seine Nummer geben.",
    "제 누나가 보험 설계사인데, 필요하시면 연락처 드릴게요.",
    "Invest 100 today and get 1000 back in a month, limited spots.",
    "Инвестируйте 10 000 рублей и получите 100 000 через месяц.",
    "现在投资一千，一个月后回报一万。",
    "Envoyez cette prière à neuf personnes et votre vœu se réalisera.",
    "Prześlij tę modlitwę do siedmiu osób. Twoje życzenie się spełni, nie przerywaj łańcucha.",
    "قروض سريعة بدون كفيل، الموافقة في نفس اليوم.",
    "Marabout sérieux : retour de l'être aimé en sept jours.",
    "Ответьте на наш опрос и выиграйте смартфон.",
    "Glosujcie na naszego kandydata w niedzielnych wyborach.",
]

# the same words about the order, the shop, a holiday or the family: never blocked
HARD_NEGATIVES = [
    # luck, forwarding, chains
    "Good luck with the move! Please forward this message to the person who will receive the parcel.",
    "Die Kette ist aus Edelstahl und bricht nicht so leicht.",
    "A corrente do relógio foi trocada; boa sorte com o presente!",
    "Перешлите, пожалуйста, это сообщение вашему курьеру, если он спросит номер заказа.",
    # shares, tokens, crypto, stock as inventory
    "This wallet fits crypto hardware keys and two cards.",
    "The bike lock comes with two keys and a spare token for the app.",
    "The item is back in stock and will ship tomorrow; prices may double in value only for collectors, not for you.",
    "Wir akzeptieren keine Kryptowährungen, bitte bezahlen Sie über die Plattform.",
    "Les actions de notre service client sont rapides : votre colis part demain.",
    "这款商品库存充足，明天发货。",
    # hiring, jobs, home
    "Our warehouse is hiring more staff, so shipping is faster this month.",
    "We're hiring extra packers for the holidays, so your order will leave within a day.",
    "Estamos contratando más personal en el almacén para enviar más rápido.",
    "Das Kissen eignet sich gut für die Arbeit von zu Hause am Schreibtisch.",
    "在家也能轻松安装，无需经验，按说明书操作即可。",
    # the seller's family, friends, businesses
    "My mother sews each bag by hand in her workshop, so small differences are normal.",
    "Mi padre empezó este taller hace 30 años y todavía revisa cada pedido.",
    "Mon frère a emballé votre commande ce matin, elle part aujourd'hui.",
    "我妈妈亲手缝制每一个包，细节略有不同属正常现象。",
    "Мой брат упаковал ваш заказ сегодня, он уже в пути.",
    "Our shop name is on the parcel label, so the courier can find the return address.",
    # giveaways, prizes from the seller, surveys
    "You won our monthly giveaway for buyers of this lamp; the spare bulb ships with your order.",
    "Please enter your full name as it appears on your ID so customs can clear the parcel.",
    "Amazon may send you a short survey about your delivery; it is optional.",
    "Parabéns pela compra! O seu pedido já foi enviado.",
    # religious holidays, elections as a shipping notice
    "Due to Ramadan our warehouse works shorter hours, your parcel ships on Monday.",
    "春节期间物流停运，您的包裹将在节后第一时间发出。",
    "Frohe Weihnachten! Wegen der Feiertage kann die Zustellung etwas länger dauern.",
    "Because of the elections on Sunday the post offices are closed, delivery resumes Monday.",
    "Hoy es fiesta por las elecciones, el paquete sale mañana.",
    "The church candle set includes twelve candles and a brass holder.",
    # horoscopes, tarot as the product
    "The zodiac pendant is sterling silver; the horoscope card inside lists your sign's traits.",
    "Das Tarot-Deck kommt in einer Geschenkbox mit Anleitung.",
    # a team, friends, sharing
    "Thanks for sharing the photo with your friends; we're glad the gift was a hit.",
    "Our team checked the parcel twice before shipping.",
    "Если понадобится, наш менеджер расскажет, как настроить приложение.",
    # earning, pay per period, "no experience", "reply yes" about the product; say + from us to a courier
    "You earn loyalty points with every order; the parcel ships within a day.",
    "My brother packed your order this morning; if the courier asks, just say it's from our shop and "
    "show the order number.",
    "My dad checks every lamp before it leaves; if the customs office asks, tell them you bought from us "
    "on AliExpress.",
    "My mother sews each cushion cover, so please allow a day or two for small colour differences.",
    "The charger gives 2 A per hour of use; no experience is needed to install it.",
    "No experience needed: the drone has a beginner mode and flies about 20 minutes a day on one battery.",
    "Reply YES if you'd like us to send the replacement strap; it ships within a day.",
    "Please reply yes or no: do you want the blue one instead? It costs 2 euros more per month of warranty.",
    "Our team works from home on weekends, so replies may take a day.",
    "We pay the return shipping; the refund reaches you within a day after we get the parcel.",
    "Good luck with the exam! The calculator ships today.",
    "The shares of each colour in the set are equal: four red, four blue.",
    "This token holder keychain fits most bank security tokens.",
    "The item is out of stock for a week; we'll ship as soon as it is back.",
    "Happy Diwali! Our warehouse is closed for two days, your parcel ships on Thursday.",
    "Merry Christmas from our small family shop; delivery may take longer this week.",
    "Ramadan Mubarak — our packing hours are shorter this month, thank you for your patience.",
    "Elections are on Sunday so the post office is closed; the candidate list has nothing to do with us, "
    "your parcel leaves Monday.",
    "The survey from the carrier is optional; we cannot offer anything for it.",
    "You won't need a draw or a lottery: every buyer gets the free case automatically.",
    "The lottery ticket holder you ordered ships tomorrow.",
    "Our church candle set contains twelve candles; please keep them away from children.",
    "This rosary is handmade by my aunt; each bead is olive wood.",
    "Meine Mutter näht jede Tasche selbst, kleine Abweichungen sind daher normal.",
    "Mein Bruder hat Ihr Paket heute früh zur Post gebracht.",
    "Sagen Sie dem Zusteller einfach, dass das Paket von uns kommt, falls er fragt.",
    "Sie verdienen sich mit jeder Bestellung Treuepunkte; der Versand dauert einen Tag.",
    "Ma mère coud chaque sac à la main, de petites différences sont normales.",
    "Dites au livreur que le colis vient de notre boutique s'il demande.",
    "Vous pouvez gagner du temps : l'installation prend cinq minutes par jour de chantier.",
    "Mi madre cose cada bolso a mano, por eso hay pequeñas diferencias.",
    "Si el transportista pregunta, dígale que el paquete es de nuestra tienda.",
    "Gana tiempo: el montaje sin experiencia lleva diez minutos al día como mucho.",
    "Se il corriere chiede, dica che il pacco viene dal nostro negozio.",
    "Minha mãe costura cada bolsa à mão.",
    "Se a transportadora perguntar, diga que o pacote é da nossa loja.",
    "Mijn moeder naait elke tas met de hand.",
    "Zeg tegen de koerier dat het pakket van ons komt als hij ernaar vraagt.",
    "Moja mama szyje każdą torbę ręcznie.",
    "Jeśli kurier zapyta, proszę powiedzieć, że paczka jest od nas.",
    "Моя мама шьёт каждую сумку вручную.",
    "Если курьер спросит, скажите, что посылка от нашего магазина.",
    "Annem her çantayı elle dikiyor.",
    "Kargo görevlisi sorarsa paketin bizden geldiğini söyleyin.",
    "我妈妈亲手缝每一个包。",
    "如果快递员问，就说是我们店发的货。",
    "母が一つ一つ手縫いしています。",
    "配達員に聞かれたら、当店からの荷物だとお伝えください。",
    "저희 어머니가 가방을 하나하나 직접 만드세요.",
    "택배 기사님이 물으시면 저희 가게에서 보낸 거라고 말씀하시면 됩니다.",
    "أمي تخيط كل حقيبة يدويًا.",
    "إذا سألك المندوب، قل له إن الطرد من متجرنا.",
    "Этот кошелёк подходит для аппаратных ключей и двух карт.",
    "Our warehouse is recruiting more packers, so orders leave within a day.",
    "Estamos contratando más personal, por eso los pedidos salen en un día.",
    "Gewinnspiel-Teilnahme ist nicht nötig: jeder Käufer bekommt das Zubehör gratis.",
    "The horoscope calendar 2026 ships in a tube so the pages don't bend.",
    "Thanks for recommending us to your friends!",
    "Bitcoin-themed T-shirt: the print is washable at 30 degrees.",
    "This mining helmet lamp lasts 12 hours a day.",
    "My cousin designed this lamp; if you need a spare shade, I can give you the part number.",
    "Invest a few minutes in the setup and you get back hours of battery life.",
    "Please forward this message to the two people who will sign for the parcel. Good luck with the event!",
    "We never offer loans or credit; payment is only through the platform checkout.",
    "The vote on the colour is closed, thank you; the blue version ships on Monday.",
    "The candle is scented with myrrh and ships every Monday; happy Sunday!",
]


@pytest.mark.parametrize("text", SPAM)
def test_round16_spam_is_found_by_the_rules_alone(text: str) -> None:
    """Each unrelated advertisement is blocked as spam on every platform by the rules alone."""
    for platform in EVERYWHERE:
        verdict = RULES.check(platform=platform, subject=None, body=text)
        assert "spam" in {f.check for f in verdict.findings if f.severity == "block"}, (platform, verdict)


@pytest.mark.parametrize("text", HARD_NEGATIVES)
def test_round16_spam_words_about_the_order_are_not_spam(text: str) -> None:
    """Luck, shares, hiring, the seller's family, giveaways, holidays and horoscopes as products raise no
    spam finding by the rules."""
    verdict = RULES.check(platform=X, subject=None, body=text)
    assert "spam" not in {f.check for f in verdict.findings}, verdict


@pytest.mark.parametrize("text", HARD_NEGATIVES)
def test_round16_hard_negatives_pass_everywhere(text: str) -> None:
    """With the classifier, the innocent messages pass on AliExpress and Taobao ("crypto" alone is a
    payment word to off_platform_payment, which this round leaves as it is)."""
    if "crypto" in text:
        pytest.skip("off_platform_payment reads 'crypto' alone")
    for platform in (X, T):
        assert_not_blocked(text, None, platform)
