"""Synthetic event streams: realistic marketplace traffic, deterministic from a seed.

Used by ``autoreply synth`` (to try rules on made-up traffic), by ``bench/`` and by the
``simulate`` tests. The stream is shaped like a cross-border seller's day:

* kinds: buyers' first messages (``welcome``), stock-outs, shipment milestones
  (``shipped`` / ``in_transit`` / ``delayed`` / ``delivered`` and a few ``customs_hold``), and a
  trickle of ``after_sales`` questions that no shipped rule answers;
* platforms Amazon, AliExpress and Taobao with their marketplaces, buyer countries, locales and
  order-id formats; buyers write in the 16 template languages (and Traditional Chinese), some
  in a language other than their locale says;
* arrivals follow the buyers' waking hours: at 03:00 UTC the Americans are asleep and the
  Chinese buyers are not;
* buyers and orders come back (a second question the same day, several milestones of one
  parcel), so dedupe windows have something to do; some Amazon buyers opted out of messages;
* a few item titles carry an emoji and a few buyer names look like a web address, so the
  compliance stage has something to find.

Everything is drawn from one :class:`random.Random` seeded with ``seed``: the same arguments
always give the same events, byte for byte (see :func:`write_jsonl`).
"""

from __future__ import annotations

import json
import random
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import IO, Any

DEFAULT_START = datetime(2026, 11, 23, 0, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Country:
    code: str
    utc_offset: int  # hours, standard time (only shapes the arrival curve)
    locale: str
    names: tuple[str, ...]
    places: tuple[tuple[str | None, str, str], ...]  # (region, postal code prefix, city)
    currency: str


C = Country
COUNTRIES: dict[str, Country] = {c.code: c for c in (
    C("US", -5, "en-US", ("Emily", "Michael", "Carlos", "Ashley", "David", "Jennifer"),
      (("NY", "10", "New York"), ("CA", "90", "Los Angeles"), ("TX", "77", "Houston"),
       ("IL", "60", "Chicago"), ("WA", "98", "Seattle"), ("FL", "33", "Miami")), "USD"),
    C("CA", -5, "en-CA", ("Olivia", "Liam", "Chloé"),
      (("ON", "M5", "Toronto"), ("BC", "V6", "Vancouver"), ("QC", "H2", "Montréal")), "CAD"),
    C("MX", -6, "es-MX", ("José", "Guadalupe", "Alejandro"), ((None, "06", "Ciudad de México"),), "MXN"),
    C("BR", -3, "pt-BR", ("Ana", "João", "Mariana", "Lucas"),
      (("SP", "01", "São Paulo"), ("RJ", "20", "Rio de Janeiro")), "BRL"),
    C("GB", 0, "en-GB", ("Oliver", "Amelia", "Harry"), ((None, "SW1", "London"),), "GBP"),
    C("ES", 1, "es-ES", ("Lucía", "Hugo", "Martina", "Pablo"),
      (("MD", "28", "Madrid"), ("CT", "08", "Barcelona"), ("CN", "35", "Las Palmas")), "EUR"),
    C("FR", 1, "fr-FR", ("Camille", "Léa", "Louis", "Gabriel"),
      ((None, "75", "Paris"), (None, "69", "Lyon")), "EUR"),
    C("DE", 1, "de-DE", ("Jonas", "Lena", "Felix", "Sophie"),
      ((None, "10", "Berlin"), (None, "80", "München")), "EUR"),
    C("IT", 1, "it-IT", ("Giulia", "Marco", "Francesca"), ((None, "00", "Roma"),), "EUR"),
    C("NL", 1, "nl-NL", ("Daan", "Emma", "Sem"), ((None, "10", "Amsterdam"),), "EUR"),
    C("PL", 1, "pl-PL", ("Zofia", "Jakub", "Anna"), ((None, "00", "Warszawa"),), "PLN"),
    C("SE", 1, "sv-SE", ("Elsa", "Oscar"), ((None, "11", "Stockholm"),), "SEK"),
    C("PT", 0, "pt-PT", ("Inês", "Tiago"), ((None, "11", "Lisboa"), ("20", "95", "Ponta Delgada")), "EUR"),
    C("UA", 2, "uk-UA", ("Олена", "Андрій", "Оксана"), ((None, "01", "Київ"),), "UAH"),
    C("RU", 3, "ru-RU", ("Анна", "Дмитрий", "Мария"), ((None, "10", "Москва"),), "RUB"),
    C("TR", 3, "tr-TR", ("Elif", "Mehmet", "Zeynep"), ((None, "34", "İstanbul"),), "TRY"),
    C("IL", 2, "he-IL", ("נועה", "דניאל", "יעל"), ((None, "61", "תל אביב"),), "ILS"),
    C("SA", 3, "ar-SA", ("محمد", "فاطمة", "عبدالله"), ((None, "11", "الرياض"),), "SAR"),
    C("AE", 4, "ar-AE", ("أحمد", "مريم"), ((None, "00", "دبي"),), "AED"),
    C("JP", 9, "ja-JP", ("陽翔", "さくら", "結衣"), ((None, "100", "東京"),), "JPY"),
    C("KR", 9, "ko-KR", ("민준", "서연", "지우"), ((None, "04", "서울"),), "KRW"),
    C("CN", 8, "zh-CN", ("王芳", "李伟", "张敏", "刘洋"),
      ((None, "100", "北京"), (None, "200", "上海"), (None, "518", "深圳")), "CNY"),
    C("TW", 8, "zh-TW", ("陳怡君", "林志明"), ((None, "100", "臺北"),), "TWD"),
    C("HK", 8, "zh-HK", ("陳嘉欣", "黃家豪"), ((None, "", "香港"),), "HKD"),
)}

# platform -> (share of traffic, [(country, weight)])
PLATFORMS: dict[str, tuple[float, tuple[tuple[str, float], ...]]] = {
    "amazon": (0.45, (("US", 40), ("GB", 8), ("DE", 10), ("FR", 6), ("IT", 5), ("ES", 5),
                      ("NL", 2), ("PL", 2), ("SE", 1.5), ("TR", 1), ("JP", 8), ("SA", 1.5),
                      ("AE", 1), ("BR", 3), ("MX", 3), ("CA", 3))),
    "aliexpress": (0.40, (("ES", 14), ("FR", 12), ("BR", 12), ("PT", 2), ("RU", 10), ("UA", 3),
                          ("PL", 7), ("KR", 7), ("IL", 4), ("NL", 4), ("IT", 5), ("DE", 5),
                          ("US", 8), ("TR", 3), ("SA", 2), ("MX", 2))),
    "taobao": (0.15, (("CN", 80), ("TW", 10), ("HK", 8), ("JP", 2))),
}

#: short things buyers write, per language (the 16 template languages and Traditional Chinese)
BUYER_TEXTS: dict[str, tuple[str, ...]] = {
    "en": ("Hi, is this available in size M?", "When will my order ship?",
           "Hello, can you send it to a different address?", "Does this come with a charger?"),
    "es": ("Hola, ¿tienen la talla M en rojo?", "¿Cuándo envían mi pedido? Gracias",
           "Buenas, ¿el envío a Canarias tiene aduana?", "¿Viene con instrucciones en español?"),
    "fr": ("Bonjour, est-ce que cet article existe en bleu ?", "Quand ma commande sera-t-elle expédiée ?",
           "Bonjour, le colis n'est toujours pas arrivé, pouvez-vous vérifier ?"),
    "de": ("Hallo, ist der Artikel noch auf Lager?", "Wann wird meine Bestellung verschickt?",
           "Guten Tag, kann ich die Lieferadresse noch ändern?"),
    "it": ("Ciao, questo articolo è disponibile in nero?", "Quando verrà spedito il mio ordine?",
           "Buongiorno, il pacco non è ancora arrivato."),
    "nl": ("Hallo, is dit artikel nog op voorraad?", "Wanneer wordt mijn bestelling verzonden?"),
    "pl": ("Dzień dobry, kiedy wyślecie moje zamówienie?", "Czy ten produkt jest dostępny w rozmiarze L?"),
    "pt": ("Olá, esse produto tem na cor azul?", "Quando vocês vão enviar o meu pedido?",
           "Boa tarde, meu pacote ainda não chegou."),
    "ru": ("Здравствуйте, когда отправите мой заказ?", "Есть ли этот товар в чёрном цвете?",
           "Посылка не приходит уже три недели."),
    "uk": ("Добрий день, коли ви відправите моє замовлення?", "Чи є цей товар у синьому кольорі?"),
    "tr": ("Merhaba, siparişim ne zaman kargoya verilecek?", "Bu ürünün siyah rengi var mı?"),
    "ar": ("مرحبا، متى سيتم شحن طلبي؟", "هل هذا المنتج متوفر باللون الأسود؟"),
    "he": ("שלום, מתי תשלחו את ההזמנה שלי?", "האם המוצר הזה קיים בצבע שחור?"),
    "ja": ("こんにちは、この商品はいつ発送されますか？", "色違いの在庫はありますか？"),
    "ko": ("안녕하세요, 제 주문은 언제 발송되나요?", "이 상품 검은색도 있나요?"),
    "zh": ("你好，这个什么时候发货？", "请问有黑色的吗？", "我的快递三天没更新了，帮我查一下"),
    "zh-Hant": ("你好，請問什麼時候出貨？", "請問這個有黑色的嗎？"),
}
# the language a country's buyers mostly write in (others: their locale's language)
COUNTRY_LANGUAGE = {"TW": "zh-Hant", "HK": "zh-Hant", "SE": "en"}

ITEMS: tuple[tuple[str, str, float], ...] = (
    ("TSHIRT-M-RED", "T-shirt, red, M", 12.9), ("LAMP-DESK-BLK", "Desk lamp, black", 34.99),
    ("MUG-CERAMIC-WHT", "Ceramic mug 350 ml", 9.5), ("BAG-CANVAS-GRN", "Canvas tote bag", 18.0),
    ("KETTLE-1L-STL", "Kettle 1 l, steel", 29.9), ("TEA-SET-6", "Porcelain tea set, 6 pieces", 45.0),
    ("CASE-IP15-CLR", "Phone case, clear", 7.99), ("SOCKS-5P-WOOL", "Wool socks, 5 pairs", 15.5),
    ("HEADPH-BT-01", "Bluetooth headphones", 59.0), ("LED-STRIP-5M", "LED strip 5 m", 21.0),
)
EMOJI_TITLES = ("🎁 Gift box", "Star lamp ⭐")
CARRIERS = {"amazon": ("UPS", "DHL", "Royal Mail", "Yamato", "USPS"),
            "aliexpress": ("Cainiao", "Correos", "La Poste", "Correios", "PostNL"),
            "taobao": ("顺丰速运", "中通快递", "圆通速递")}
KINDS = (("welcome", 0.42), ("logistics_update", 0.40), ("out_of_stock", 0.15),
         ("after_sales", 0.03))
STATUSES = (("shipped", 0.33), ("in_transit", 0.30), ("delayed", 0.09), ("delivered", 0.25),
            ("customs_hold", 0.03))
# how busy buyers are at each local hour (arrival shape)
ACTIVITY = (2, 1, 1, 1, 1, 2, 4, 7, 9, 10, 11, 11, 12, 11, 11, 11, 11, 12, 13, 14, 14, 12, 8, 4)


class _Picker:
    """Weighted choice with precomputed cumulative weights (fast and deterministic)."""

    def __init__(self, pairs: tuple[tuple[Any, float], ...] | list[tuple[Any, float]]) -> None:
        self.items = [p[0] for p in pairs]
        total = 0.0
        self.cum: list[float] = []
        for _, w in pairs:
            total += w
            self.cum.append(total)

    def __call__(self, rng: random.Random) -> Any:
        return rng.choices(self.items, cum_weights=self.cum)[0]


@dataclass
class _Order:
    platform: str
    country: str
    buyer: dict[str, Any]
    order: dict[str, Any]
    carrier: str
    tracking: str


class Synth:
    """The generator. ``Synth(seed).events(count)`` yields event dicts in arrival order."""

    def __init__(self, seed: int = 1, *, start: datetime = DEFAULT_START,
                 span: timedelta = timedelta(days=1), buyers_per_country: int | None = None,
                 opted_out_share: float = 0.08) -> None:
        if start.tzinfo is None:
            raise ValueError("start must carry a time zone")
        self.seed = seed
        self.start = start.astimezone(UTC)
        self.span = span
        self.buyers_per_country = buyers_per_country
        self._pool = buyers_per_country or 4000
        self.opted_out_share = opted_out_share
        self.rng = random.Random(seed)
        self.platform = _Picker([(name, share) for name, (share, _) in PLATFORMS.items()])
        self.kind = _Picker(KINDS)
        self.status = _Picker(STATUSES)
        # per platform and UTC hour: which country is awake
        self.country: dict[tuple[str, int], _Picker] = {}
        for name, (_, countries) in PLATFORMS.items():
            for hour in range(24):
                self.country[(name, hour)] = _Picker([
                    (cc, w * ACTIVITY[(hour + COUNTRIES[cc].utc_offset) % 24])
                    for cc, w in countries])
        self.recent: dict[str, deque[_Order]] = {p: deque(maxlen=3000) for p in PLATFORMS}
        self._buyers: dict[str, dict[str, Any]] = {}

    # -- people and orders -----------------------------------------------------------
    def _buyer(self, platform: str, cc: str) -> dict[str, Any]:
        # a few buyers write often: a skewed pick from the country's pool makes ids repeat
        n = int(self._pool * (self.rng.random() ** 2))
        bid = f"{platform[:2]}-{cc.lower()}-{n:05d}"
        cached = self._buyers.get(bid)
        if cached is not None:
            return cached
        r = random.Random(f"{self.seed}:{bid}")
        country = COUNTRIES[cc]
        region, postal_prefix, city = r.choice(country.places)
        postal = postal_prefix + "".join(str(r.randrange(10)) for _ in range(max(0, 5 - len(postal_prefix))))
        name = r.choice(country.names)
        if r.random() < 0.002:
            name = "www.best-deals.com"
        buyer: dict[str, Any] = {"id": bid, "name": name, "country": cc}
        if region:
            buyer["region"] = region
        if postal_prefix:
            buyer["postal_code"] = postal
        buyer["city"] = city
        if r.random() < 0.85:
            buyer["locale"] = country.locale
        if platform != "taobao" and r.random() < 0.5:
            buyer["email"] = f"{bid}@buyer.example"
        if platform == "amazon" and r.random() < self.opted_out_share:
            buyer["opted_out"] = True
        if len(self._buyers) < 200_000:
            self._buyers[bid] = buyer
        return buyer

    def _order_id(self, platform: str) -> str:
        r = self.rng
        if platform == "amazon":
            return f"{r.randrange(100, 1000)}-{r.randrange(10**7):07d}-{r.randrange(10**7):07d}"
        if platform == "aliexpress":
            return f"80{r.randrange(10**14):014d}"
        return f"3{r.randrange(10**18):018d}"

    def _new_order(self, platform: str, cc: str, at: datetime) -> _Order:
        r = self.rng
        buyer = self._buyer(platform, cc)
        sku, title, price = r.choice(ITEMS)
        if r.random() < 0.01:
            title = r.choice(EMOJI_TITLES)
        qty = 1 if r.random() < 0.8 else r.randrange(2, 5)
        placed = at - timedelta(hours=r.uniform(1, 24 * 6))
        order: dict[str, Any] = {
            "id": self._order_id(platform), "placed_at": _iso(placed), "status": "unshipped",
            "items": [{"sku": sku, "title": title, "quantity": qty, "price": price}],
            "currency": COUNTRIES[cc].currency, "total": round(price * qty, 2),
            "handling_days": r.choice((1, 2, 3, 5)),
            "estimated_delivery": (placed + timedelta(days=r.randrange(5, 25))).date().isoformat(),
        }
        carrier = r.choice(CARRIERS[platform])
        tracking = f"{r.choice(('LP', 'JJD', 'SF', '1Z'))}{r.randrange(10**12):012d}"
        made = _Order(platform, cc, buyer, order, carrier, tracking)
        self.recent[platform].append(made)
        return made

    def _text(self, cc: str, buyer: dict[str, Any]) -> str:
        r = self.rng
        lang = COUNTRY_LANGUAGE.get(cc) or (buyer.get("locale") or COUNTRIES[cc].locale).split("-")[0]
        if r.random() < 0.06:  # a buyer writing in another language than their locale
            lang = r.choice(("en", "es", "zh", "ru", "fr"))
        return r.choice(BUYER_TEXTS.get(lang, BUYER_TEXTS["en"]))

    # -- events ----------------------------------------------------------------------
    def event(self, index: int, at: datetime) -> dict[str, Any]:
        r = self.rng
        platform = self.platform(r)
        cc = self.country[(platform, at.hour)](r)
        kind = self.kind(r)
        event: dict[str, Any] = {
            "id": f"syn-{self.seed}-{index:08d}", "kind": kind, "platform": platform,
            "marketplace": None, "occurred_at": _iso(at),
        }
        recent = self.recent[platform]
        if kind == "logistics_update" and recent and r.random() < 0.6:
            made = recent[r.randrange(len(recent))]  # a later milestone of a known parcel
            cc = made.country
        else:
            made = self._new_order(platform, cc, at)
        event["marketplace"] = "CN" if platform == "taobao" else cc
        event["buyer"] = made.buyer
        if kind == "welcome":
            if r.random() < 0.7:
                event["order"] = made.order
            event["message"] = {"text": self._text(cc, made.buyer),
                                "received_at": _iso(at - timedelta(seconds=r.randrange(1, 30)))}
        elif kind == "after_sales":
            event["order"] = made.order
            event["message"] = {"text": self._text(cc, made.buyer), "received_at": _iso(at)}
        elif kind == "out_of_stock":
            item = made.order["items"][0]
            available = 0 if r.random() < 0.95 else r.randrange(1, 20)
            stock: dict[str, Any] = {"sku": item["sku"], "available": available}
            if r.random() < 0.7:
                stock["restock_eta"] = (at + timedelta(days=r.randrange(3, 30))).date().isoformat()
            event["order"] = made.order
            event["stock"] = stock
        else:
            status = self.status(r)
            shipment: dict[str, Any] = {"carrier": made.carrier, "tracking_number": made.tracking,
                                        "status": status}
            if status == "delivered":
                shipment["delivered_at"] = _iso(at - timedelta(minutes=r.randrange(5, 240)))
            else:
                shipment["eta"] = (at + timedelta(days=r.randrange(2, 20))).date().isoformat()
            event["order"] = {**made.order, "status": "delivered" if status == "delivered" else "shipped"}
            event["shipment"] = shipment
        return event

    def events(self, count: int) -> Iterator[dict[str, Any]]:
        """``count`` events spread over the span, in arrival order."""
        # about one buyer in four writes more than once a day
        self._pool = self.buyers_per_country or max(50, count // 6)
        step = self.span / max(count, 1)
        for index in range(count):
            jitter = timedelta(seconds=self.rng.random() * min(step.total_seconds(), 1.0))
            yield self.event(index, self.start + step * index + jitter)


def _iso(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def generate(count: int, seed: int = 1, **options: Any) -> Iterator[dict[str, Any]]:
    """``count`` synthetic events (dicts in the native JSON shape), deterministic from ``seed``."""
    return Synth(seed, **options).events(count)


def write_jsonl(out: IO[str], count: int, seed: int = 1, **options: Any) -> int:
    """Write ``count`` events as JSON lines to ``out``; returns how many were written."""
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    written = 0
    for event in generate(count, seed, **options):
        out.write(dumps(event) + "\n")
        written += 1
    return written
