"""Checks for a way off the platform: links, e-mail addresses, handles and phone numbers
(messengers named as a channel, payment outside checkout and other marketplaces: ``channels``).

All run on the normalised text (obfuscations undone) and report spans on the original.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import phonenumbers

from autoreply.compliance.linecache import any_line_matches, remember
from autoreply.compliance.literals import Literals, bounded_words, finditer_at
from autoreply.compliance.normalize import DIGIT_MASK, normalize_term
from autoreply.compliance.scan import Raw, Scan

TLDS = [
    "com", "net", "org", "info", "biz", "shop", "store", "online", "site", "website", "xyz", "top", "io", "co",
    "me", "app", "link", "ly", "us", "uk", "de", "fr", "es", "it", "nl", "pl", "ru", "br", "jp", "kr", "cn", "tr",
    "eu", "ca", "au", "in", "mx", "ar", "cl", "pt", "be", "ch", "at", "se", "no", "dk", "fi", "cz", "gr", "hu",
    "ro", "sk", "ua", "by", "kz", "vn", "th", "id", "my", "ph", "sg", "hk", "tw", "ae", "sa", "il", "nz", "za",
    "ie", "tk", "ml", "ga", "cf", "gq", "cc", "tv", "ws", "su", "pw", "club", "live", "life", "world", "today",
    "buzz", "icu", "vip", "work", "page", "blog", "ink", "cloud", "tech", "space", "fun", "email", "asia"
]
# ccTLDs that are also everyday words: a domain with one of them must be written as one
# (lower case, no space after the dot) to count — "received.It" is a typo, not a link.
WORDLIKE = {"it", "de", "es", "no", "me", "to", "in", "at", "be", "us", "is", "am", "so", "do", "my",
            "co", "id", "ca", "ar", "se", "tv", "fun", "top", "life", "live", "work", "page", "today",
            "world", "link", "blog", "space", "site", "app", "store", "shop", "club", "vip", "ink",
            "asia", "email", "cloud", "tech", "online", "website", "pt", "fr", "nl", "pl", "cn",
            "jp", "kr", "tr", "uk", "eu", "ch", "au", "ie", "cc", "info"}
# TLDs that count even when written with spaces or a word for the dot ("shop dot com")
STRONG = ["com", "net", "org", "info", "biz", "shop", "store", "online", "site", "website", "xyz", "icu",
          "vip", "club", "ru", "cn", "uk", "jp", "kr", "io"]
# words for "dot" and "at" (normalised like the text: Cyrillic lookalikes folded, accents gone)
_DOT_WORDS = ["dot", "d0t", "punto", "point", "punkt", "ponto", "kropka", "nokta", "punt", "точка", "tochka", "نقطة",
              "dit"]
_AT_WORDS = ["at", "arroba", "arobase", "chiocciola", "malpa", "małpa", "собака", "sobaka", "apenstaartje",
             "klammeraffe", "at isareti", "at işareti", "アットマーク", "골뱅이", "艾特", "ат", "chez"]
# a webmail provider written in another script ("support.khaled على جيميل دوت كوم", "shop アット ジーメール")
_WEBMAIL_SAID = ["جيميل", "جي ميل", "هوتميل", "ياهو", "اوتلوك", "أوتلوك", "ジーメール", "ホットメール", "ヤフー",
                 "지메일", "핫메일", "야후", "네이버", "джимейл", "гмейл", "яндекс"]
_ROMANCE_DOTS = {"punto", "point", "ponto", "punt"}
# words for "/" ("paypal dot me slash shop", "punto es barra ofertas")
_SLASH_WORDS = ["slash", "barra", "schragstrich", "schrägstrich", "ukosnik", "ukośnik", "egik cizgi", "eğik çizgi",
                "слэш", "слеш", "スラッシュ", "슬래시", "斜杠", "斜线", "شرطة", "barre oblique", "schuine streep",
                "barra obliqua"]
# TLDs written in Cyrillic ("точка ру", "точка ком"), as the normalised text has them (р→p, у→y)
_SAID_TLDS = {"py": "ru", "kom": "com", "pф": "рф", "c0m": "com", "n3t": "net", "0rg": "org", "c0": "co"}
# link shorteners and messenger / payment short links, the dot spelled or left out ("bit ly slash x", "wa dot me/34…")
_SHORT_HOSTS = {"bit": "ly", "ow": "ly", "cutt": "ly", "rb": "gy", "is": "gd", "goo": "gl", "tinyurl": "com",
                "t": "me|co|cn", "url": "cn", "dwz": "cn", "tiny": "cc", "v": "gd", "wa": "me", "m": "me",
                "fb": "me", "paypal": "me", "revolut": "me", "lnkd": "in",
                "amzn": "to", "shorturl": "at"}
# hosts that are a messenger or a payment page: reported as such, not as a plain link
_HOST_RULES = {"wa.me": "messenger", "t.me": "messenger", "telegram.me": "messenger", "m.me": "messenger",
               "fb.me": "messenger", "line.me": "messenger", "instagram.com": "messenger", "facebook.com": "messenger",
               "vk.com": "messenger", "paypal.me": "off_platform_payment", "revolut.me": "off_platform_payment",
               "cash.app": "off_platform_payment"}
# term groups whose hits gate the costly patterns: no dot word, no spelled-out domain
HINT_GROUPS = {
    "dot_word": [*_DOT_WORDS, "点", "點", "ドット", "닷", "쩜", "[.]", "(.)", "{.}", "<.>"],
    "at_word": [w for w in _AT_WORDS if w != "at"] + ["at", "(at)", "[at]", "{at}", "<at>"],
    "slash_word": _SLASH_WORDS,
    "webmail": ["gmail", "googlemail", "hotmail", "outlook", "yahoo", "icloud", "gmx", "yandex", "protonmail", "proton",
                "aol", "naver", "hanmail", "daum", "libero", "mail.ru", "web.de", "wp.pl", "onet", "interia", "orange",
                "wanadoo", "free.fr", "laposte", "t-online", "qq邮箱", "163邮箱", *_WEBMAIL_SAID],
}


def _alt(words: list[str]) -> str:
    return "|".join(sorted({re.escape(normalize_term(w)) for w in words}, key=len, reverse=True))


_DOTWORD = rf"(?:{_alt(_DOT_WORDS)})"
_CJK_DOT = r"(?:点|點|ドット|닷|쩜)"
_DOT_BRACKET = rf"\s*[\[\(\{{<]\s*(?:\.|{_DOTWORD})\s*[\]\)\}}>]\s*"
_DOT_SPACED = rf"(?:{_DOT_BRACKET}|\s+{_DOTWORD}\s+|\s*{_CJK_DOT}\s*|\s*\.\s*)"
_DOT_SAID = rf"(?:{_DOT_BRACKET}|\s+{_DOTWORD}\s+|\s*{_CJK_DOT}\s*)"   # a dot written as a word or in brackets
_SLASH_WORD = "|".join(sorted({re.escape(normalize_term(w)) for w in _SLASH_WORDS}, key=len, reverse=True))
_SLASH = rf"(?:\s*/\s*|\s+(?:{_SLASH_WORD})\s+)"
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_TLD_ALT = "|".join(sorted(set(TLDS), key=len, reverse=True))
_STRONG_ALT = "|".join(sorted(set(STRONG), key=len, reverse=True))
_SCHEME = re.compile(r"\b(?:h[tx]{2}ps?|ftp)\s*:\s*/\s*/\s*\S+|\bwww\s*(?:\.|\[\.\]|\(\.\)|\s+dot\s+)\s*\S+")
_DOMAIN = re.compile(rf"(?<![\w@.-])((?:{_LABEL}\.)+)({_TLD_ALT})(?![\w-])(?:/[^\s]*)?")
_DOMAIN_SPACED = re.compile(rf"(?<![\w@])((?:{_LABEL}{_DOT_SPACED})+)({_STRONG_ALT})(?![\w-])(?:{_SLASH}[^\s]+)?")
_SAID_TLD_ALT = "|".join(sorted({*TLDS, *_SAID_TLDS}, key=len, reverse=True))
_DOMAIN_SAID = re.compile(rf"(?<![\w@])((?:{_LABEL}{_DOT_SAID})+)({_SAID_TLD_ALT})(?![\w-])(?:{_SLASH}[^\s]+)?")
_SHORT_LINK = re.compile(rf"(?<![\w@.])({'|'.join(sorted(_SHORT_HOSTS, key=len, reverse=True))})"
                         rf"(?:{_DOT_SAID}|\s*\.\s*|\s+)({'|'.join(sorted(set('|'.join(_SHORT_HOSTS.values()).split('|'))))})"
                         rf"(?![\w-]){_SLASH}[^\s]+")
_AT_WORD = rf"(?:{_alt(_AT_WORDS)})"
_AT = rf"(?:\s*@\s*|\s*[\[\(\{{<]\s*(?:{_AT_WORD}|@)\s*[\]\)\}}>]\s*|\s+{_AT_WORD}\s+)"
# a two-letter TLD spelled with a space ("… (dot) r u", "… . d e"): after an "@" and a dot, still a TLD
_SPACED_TLD = "|".join(sorted({f"{t[0]} {t[1]}" for t in TLDS if len(t) == 2}))
# a host label, hyphens spaced out ("holzwerk - shop"), or spelled out letter by letter when it is too short for
# the normaliser's spacing fold (three or more letters) to join it ("sklep @ w p . p l": round 20a)
_HOST_LABEL = rf"(?:{_LABEL}(?:\s*-\s*{_LABEL})*|[a-z0-9](?: [a-z0-9])+)"
_EMAIL = re.compile(rf"(?<![\w.])[a-z0-9][a-z0-9._%+-]*{_AT}{_HOST_LABEL}(?:{_DOT_SPACED}{_HOST_LABEL})*{_DOT_SPACED}"
                    rf"(?:{_TLD_ALT}|{_SPACED_TLD})(?![\w-])")
# an address in another script ("info@магазин.рф", "店长@商店.中国"): any letters around a plain "@"
_EMAIL_IDN = re.compile(r"(?<![\w.])[^\W_][\w.+-]*@[^\W_][\w-]*(?:\.[^\W_][\w-]*)*\.[^\W\d_]{2,}(?![\w-])")
# "sunnybags at gmail": a webmail provider needs no TLD
_WEBMAIL = re.compile(rf"(?<![\w.])[a-z0-9][a-z0-9._%+-]{{2,}}(?:{_AT})"
                      rf"(?:gmail|googlemail|hotmail|outlook|yahoo|icloud|"
                      rf"gmx|yandex|protonmail|proton|aol|naver|hanmail|daum|libero|mail\.ru|web\.de|wp\.pl|"
                      rf"onet|interia|orange|wanadoo|free\.fr|laposte|t-online|qq邮箱|163邮箱)(?![\w-])")
_AT_SCRIPT = _alt(["على", "عند", "アット", "앳", "эт"])
_WEBMAIL_TRANSLIT = re.compile(rf"(?<![\w.])[a-z0-9][a-z0-9._%+-]{{2,}}\s*(?:@|{_AT_WORD}|{_AT_SCRIPT})\s*"
                               rf"(?:{_alt(_WEBMAIL_SAID)})(?![^\W\d_])")
# words that never start a domain written with a dot word ("le point de vente", "el punto de recogida")
_NOT_LABELS = {"el", "la", "le", "les", "un", "une", "au", "du", "de", "del", "al", "the", "a", "an", "this", "that",
               "este", "esta", "ese", "esa", "cada", "mi", "su", "tu", "ce", "cet", "cette", "son", "sa", "mon", "ma",
               "ton", "o", "um", "uma", "no", "na", "do", "da", "il", "lo", "una", "questo", "quel", "der", "die",
               "das", "ein", "eine", "het", "een", "our", "my", "your", "on", "in", "at", "to", "of", "by",
               "primer", "premier", "meme", "mismo", "ultimo", "dernier", "seul", "buen", "bon", "cualquier",
               "quelque", "qualquer", "qualsiasi", "otro", "autre", "outro", "altro"}
_WORDLIKE_TLD = {"de", "es", "me", "no", "to", "in", "at", "be", "us", "se", "la", "so", "do", "is", "am", "my", "id",
                 "by", "it", "co", "ca", "ar", "tv"}
_HANDLE = re.compile(r"(?<![\w.@])@[a-z0-9_](?:[a-z0-9_.]{1,28}[a-z0-9_])"
                     r"|(?<![\w.@])@\s+[a-z0-9_]{2,}(?:\s*[._]\s*[a-z0-9_]{2,})+")
_ABBREVIATIONS = {"e.g", "i.e", "a.m", "p.m", "n.b", "u.s", "etc", "approx", "no", "nr", "vs"}

# --- phones
_PHONE_CANDIDATE = re.compile(r"(?<![a-z0-9/])(\+|00)?\(?\d[\d ()./\-\u2012-\u2015]{5,24}\d(?![a-z0-9/])")
# where a candidate can start: "+", "(" or a digit with no letter, digit or slash before it
_PHONE_START = re.compile(r"[+(\d](?<![a-z0-9/].)")
# _PHONE_START on the text with its digits masked (normalize.mask_digits), each masked line's starts kept: a digit
# is read as \d there and as the mask here, and a start never spans a line (the class before reads a line
# break as it reads the text's start)
_PHONE_START_MASKED = re.compile(_PHONE_START.pattern.replace("0-9", "0-9" + DIGIT_MASK))
_PHONE_START_LINES: dict[str, list[int]] = {}
# a device's serial number, IMEI or production batch: the number after it is no phone, even when the sentence
# names the phone it belongs to ("the IMEI of the phone you received is 356938035643809")
_SERIAL_TERMS = (
    "imei", "serial", "s/n", "sn", "seriennummer", "serien-nr", "numero de serie", "numéro de série", "número de serie",
    "número de série", "numero di serie", "matricola", "serienummer", "numer seryjny", "seri no", "seri numarası",
    "seri numarasi", "серийный номер", "серийник", "製造番号", "シリアル番号", "シリアルナンバー", "시리얼 번호",
    "시리얼번호", "일련번호", "序列号", "串号", "机身码", "الرقم التسلسلي", "numer partii", "partii", "partia",
    "chargennummer", "charge-nr", "lote", "lotto", "partij", "партия", "партии", "parti no",
    "批号", "批次", "ロット", "로트", "التشغيلة",
    # round 18: part numbers ("numer OE 34116858652", "OEM 1K0-615-301", "Teilenummer")
    "oe", "oem", "numer oe", "part number", "part no", "numer czesci", "numer części", "teilenummer", "oe-nummer",
    "numero de pieza", "número de pieza", "référence pièce", "codice ricambio", "onderdeelnummer", "parca no",
    "parça no", "номер детали", "артикул", "品番", "部品番号", "부품 번호", "부품번호", "零件号", "配件号",
    "رقم القطعة")
# (a Latin word may follow a Chinese or Japanese character: "手机IMEI是 86 …")
_SERIAL_WORDS = Literals("|".join(sorted({(r"(?<![a-z0-9\u00c0-\u024f\u0400-\u04ff\u0600-\u06ff])" if w[:1].isalnum()
                                             and w[:1] < "\u3040" else "") + re.escape(w)
                                            for w in map(normalize_term, _SERIAL_TERMS)}, key=len, reverse=True)),
                         [normalize_term(w) for w in _SERIAL_TERMS])
# punctuation between the serial word and the number: another phrase ("serial on the box, or call 0612 …")
_SERIAL_BREAK = re.compile(r"[,;，；、—–!?！？()（）]")
# a unit right after the number ("0–450 / 0–1800 obr./min", "1200 / 1800 rpm"): a measure, not a phone
_UNIT_AFTER = re.compile(r"\s*(?:obr\.?/min|obr\b|rpm\b|u/min|tr/min|об/мин|giri/min|mm\b|cm\b|km\b|kg\b|mah\b|ah\b|"
                         r"[kmg]?hz\b|nm\b|kw\b|w\b|v\b|dpi\b|[kmgt]b\b|lm\b|ml\b|°|%)")
# a date at the start of a code ("2024-11-08-0347"): a batch or reference, not a phone
_DATE_CODE = re.compile(r"(?:19|20)\d\d[-./](?:0?[1-9]|1[0-2])[-./](?:0?[1-9]|[12]\d|3[01])[-./]\d")
# words before a number that make it a phone, or make it something else (matched on normalised text)
_PHONE_WORDS = bounded_words((
    "tel", "phone", "mobile", "cell", "call", "whatsapp", "wechat", "viber", "telegram", "telefon", "telefono",
    "teléfono", "téléphone", "móvil", "handy", "celular", "telemovel", "телефон", "тел", "звоните",
    "cellulare", "komórka", "mobiel", "bellen", "arayın", "電話", "携帯", "전화", "휴대폰", "电话", "手机", "致电",
    "هاتف", "جوال", "اتصل", "ligue", "llame", "llámenos", "appelez", "rufen", "chiami", "dzwoń", "arayin",
    "номер телефона", "whats", "my number", "our number", "mi numero", "nuestro numero", "mon numero",
    "notre numero", "meine nummer", "unsere nummer", "meu numero", "nosso numero", "mio numero",
    "nostro numero", "moj numer", "mój numer", "nasz numer", "mijn nummer", "ons nummer", "мой номер",
    "наш номер", "私の番号", "当店の番号", "제 번호", "저희 번호", "我的号码", "我的电话", "رقمي", "رقمنا"))
# round 20b: a call word right AFTER the number, as Japanese, Korean and Chinese put it ("090 1234 5678までお電話
# ください", "010-1234-5678로 전화 주세요", "…로 연락 주세요"): a phone word too, when no order word is before it
_PHONE_AFTER = re.compile(r"\s*(?:までに?|まで|へ|に|にて|로|으로|번으로|번|으로만|로만|拨打|打)?\s*"
                          r"(?:お|ご)?(?:电话|電話|连络|連絡|전화|연락|문자|联系|打给|致电|call|اتصل)")
# ("my / our number": "Mi número por si hay problemas: 6 4 7. 2 1 9 …"; an order word after it decides)
# short phone words, whole words only ("wa" is not "was", "bel" not "belt", "line" not "liner")
_PHONE_WORDS_WHOLE = bounded_words((
    "bel", "cep", "gsm", "liga", "line", "sms", "text", "wa", "zap", "texting", "text me"), r"(?![^\W\d_])")
_NOT_PHONE_WORDS = bounded_words((
    "order", "tracking", "track", "sku", "ean", "upc", "isbn", "asin", "invoice", "parcel", "package", "shipment",
    "item", "model", "art", "pedido", "commande", "bestell", "sendung", "encomenda", "заказ", "ordine", "zamówien",
    "bestelling", "sipariş", "注文", "주문", "订单", "单号", "运单", "快递", "编号", "طلب", "#", "no.", "nr.", "n°",
    "№", "takip", "seguimiento", "suivi", "rastreio", "rastreamento", "трек", "отслежив", "отправлени", "tracciamento",
    "przesyłk", "zending", "kargo", "追跡", "伝票", "問い合わせ番号", "운송장", "송장", "التتبع", "serial", "batch",
    "lot", "modell", "modelo", "modèle", "referenc", "ref.", "factura", "facture", "rechnung", "fattura", "счет",
    "номер заказа", "siparis", "fatura", "単号", "track & trace", "t&t",
    # barcodes and the carriers whose name stands before a tracking number
    "barcode", "bar code", "codice", "codice a barre", "código de barras", "code-barres", "code barre", "strichcode",
    "kod kreskowy", "streepjescode", "barkod", "штрихкод", "штрих-код", "バーコード", "바코드", "条形码", "条码",
    "باركود", "smsa", "aramex", "dhl", "ups", "fedex", "usps", "gls", "dpd", "yurtiçi", "correios", "сдэк", "顺丰",
    # shipments and the carriers that number them, in their own scripts too ("عبر أرامكس رقم …", "waybill")
    "waybill", "air waybill", "awb", "consignment", "expedición", "expedicion", "envío", "envio", "envoi", "colis",
    "spedizione", "zásilka", "gönderi", "gonderi", "postnummer", "seur", "correos", "colissimo", "chronopost", "hermes",
    "evri", "royal mail", "postnl", "inpost", "brt", "sda", "tnt", "yodel", "cainiao", "yunexpress", "4px", "j&t",
    "أرامكس", "ارامكس", "سمسا", "زاجل", "ناقل", "البريد السعودي", "سبل", "شحنة", "شحنتك", "الشحنة", "بوليصة",
    "арамекс", "почта россии", "boxberry", "посылк", "накладн", "アラメックス", "ヤマト", "佐川", "우체국", "택배",
    "中通", "圆通", "申通", "韵达", "极兔", "邮政", "菜鸟",
    # serial numbers, IMEIs and production batches
    *_SERIAL_TERMS))
# a number followed at once by a tracking or barcode word ("7312345678 takip numarasıyla"): not a phone
_CODE_AFTER = re.compile(r"\s*(?:takip|tracking|trackingnummer|sendungsnummer|numero de suivi|трек|штрихкод|"
                         r"追跡|运单|单号|운송장|barcode)")
# a Brazilian postal code (CEP): five digits, a hyphen, three digits
_CEP = re.compile(r"\d{5}-\d{3}")
# a range of years ("2015–2022", "1998-2004"): model years, not a phone
_YEARS = re.compile(r"(?:19|20)\d\d\s*[-\u2012-\u2015]\s*(?:19|20)\d\d")
# tax and company identifiers (VAT, USt-IdNr., NIP, ИНН, vergi numarası, 统一社会信用代码 …): whole words
_ID_WORDS = bounded_words((
    "vat", "vat no", "vat number", "vat id", "tax", "tax id", "tin", "ein", "eori", "gst", "abn", "company number",
    "company registration", "registration number", "registered number", "company no", "reg no", "crn",
    "nif", "cif", "nie", "iva", "partita iva", "p iva", "codice fiscale", "tva", "siret", "siren", "rcs",
    "ust-idnr", "ustidnr", "ust-id", "ust id", "umsatzsteuer", "steuernummer", "steuer-nr", "handelsregister", "hrb",
    "cnpj", "cpf", "nipc", "btw", "btw-nummer", "kvk", "kvk-nummer", "nip", "regon", "krs", "инн", "огрн", "кпп",
    "vergi", "vergi numarasi", "vkn", "mersis", "登録番号", "法人番号", "事業者番号", "사업자", "사업자등록번호",
    "등록번호",
    "税号", "纳税人识别号", "信用代码", "统一社会信用代码", "统一编号", "统编", "营业执照", "الرقم الضريبي", "ضريبي",
    "السجل التجاري"), r"(?![^\W\d_])")
# a part, article, model or product code word, whole words in alphabetic scripts ("código da peça é 998-123-441",
# "numer części to 5302-441-0987", "parça kodu 0532-…"; CJK and Hangul words start anywhere:
# "型番は 090-…", "모델은 010-…")
_CODE_WORDS = bounded_words((
    "part", "part number", "part no", "p/n", "mpn", "code", "product code", "item code", "article", "catalogue",
    "catalog", "artikelnummer", "artikel", "teilenummer", "ersatzteilnummer", "typennummer", "référence", "réf",
    "pièce", "código", "pieza", "referencia", "artículo", "ricambio", "articolo", "pezzo", "peça", "artigo",
    "referência", "onderdeel", "onderdeelnummer", "typenummer", "części", "część", "kod", "numer katalogowy",
    "indeks", "parça", "kodu", "kodudur", "ürün kodu", "stok kodu", "артикул", "код", "деталь", "детали",
    "каталожный номер", "модель", "модели", "كود", "الكود", "رمز المنتج", "رقم القطعة", "موديل", "الموديل",
    "رقم الصنف"), r"(?![^\W\d_])")
_CJK_CODE_WORDS = bounded_words((
    "型番", "品番", "部品番号", "製品番号", "商品コード", "コード", "モデル", "모델", "품번", "부품번호",
    "부품 번호", "제품 코드", "코드", "型号", "货号", "零件号", "配件号", "编码", "产品代码", "物料号"))
_DIGIT = re.compile(r"\d")
_AMAZON_ORDER = re.compile(r"\d(?<=\b\d)\d{2}-\d{7}-\d{7}\b")  # 123-1234567-1234567, digit first
_DATE_LIKE = re.compile(r"^\d{1,4}[./-]\d{1,2}[./-]\d{1,4}$")
DEFAULT_PHONE_REGIONS = ("US", "GB", "DE", "FR", "ES", "IT", "NL", "PL", "PT", "BR", "RU", "TR",
                         "MX", "JP", "KR", "CN", "SA", "AE")


@dataclass(frozen=True)
class ContactPolicy:
    """What the platform and the seller allow: domains (a carrier's tracking site) and
    e-mail addresses, and the regions phone numbers are read in."""

    allow_domains: tuple[str, ...] = ()
    allow_emails: tuple[str, ...] = ()
    phone_regions: tuple[str, ...] = DEFAULT_PHONE_REGIONS


def _domain_allowed(domain: str, allowed: Iterable[str]) -> bool:
    # the normalised text drops a hyphen between letters ("sf-express.com" is read as "sfexpress.com"),
    # so an allowlist entry matches with or without its hyphens
    domain = domain.strip(".").lower().replace("-", "")
    for entry in allowed:
        entry = entry.lower().strip(".").replace("-", "")
        if entry.endswith(".*"):
            base = entry[:-2]
            if domain == base or domain.startswith(base + ".") or f".{base}." in f".{domain}":
                return True
        elif domain == entry or domain.endswith("." + entry):
            return True
    return False


def _sentence_goes_on(scan: Scan, m: re.Match[str]) -> bool:
    """'…size kalmış. Biz sadece…': a full stop ends a word, and a capitalised word that reads on as a
    sentence follows — a sentence boundary, not 'kalmış.biz' (an obfuscated domain keeps its case)."""
    labels = m.group(1)
    if not re.search(r"\w\.\s+$", labels):
        return False
    original = scan.norm.original
    oa, ob = scan.norm.span(m.start(2), m.end(2))
    tld = original[oa:ob]
    return (len(tld) > 1 and tld[0].isupper() and tld[1:].islower()
            and re.match(r"\s+[^\W\d_]", original[ob:ob + 3]) is not None
            and original[ob:].lstrip()[:1].islower())


def _clean_domain(raw: str) -> str:
    text = re.sub(rf"{_SLASH}.*$", "", raw)
    text = re.sub(rf"{_DOT_SPACED}", ".", text)
    return re.sub(r"/.*$", "", text).strip(". ")


# "x.y": a dot between a letter or digit and a letter (the dot first: re looks for it alone)
_DOT_IN_WORD = re.compile(r"\.(?<=[a-z0-9]\.)(?=[a-z])")
_DOTWORD_HINT = re.compile(rf"\s{_DOTWORD}\s")
# (the lookahead: only a space, a dot or a bracket can follow the label's last character)
_SPACED_DOT = re.compile(rf"[a-z0-9](?=[\s.\[\(\{{<])"
                         rf"(?:\s+\.\s*|\s*\.\s+|\s*[\[\(\{{<]\s*\.\s*[\]\)\}}>]\s*)(?:{_STRONG_ALT})\b")
# what follows the dot of every _SPACED_DOT match (the dot first: re looks for it alone)
_SPACED_DOT_TAIL = re.compile(rf"\.\s*(?:[\]\)\}}>]\s*)?(?:{_STRONG_ALT})\b")
_FOLLOW_OK = re.compile(r"\s*(?:$|[^\w\s]|"
                        r"(?:y|e|et|und|and|o|ou|or|oder|of|en|op|para|pour|per|to|ve|und|и|a|i|und)\b)")


_SLASH_AFTER = re.compile(_SLASH + r"\S")


def _tld_follow_ok(text: str, end: int) -> bool:
    """A word-like TLD ("punto es", "punkt in") only counts at the end of a phrase — or before a path."""
    return bool(_FOLLOW_OK.match(text, end)) or bool(_SLASH_AFTER.match(text, end))


def _host_rule(domain: str) -> str:
    """``external_link``, or ``messenger`` / ``off_platform_payment`` for a chat or payment host (wa.me, paypal.me)."""
    host = domain.lower()
    for known, rule in _HOST_RULES.items():
        if host == known or host.endswith("." + known):
            return rule
    return "external_link"


def links(scan: Scan, policy: ContactPolicy, emails: list[tuple[int, int]]) -> list[Raw]:
    text = scan.text
    found: list[Raw] = []
    taken: list[tuple[int, int]] = list(emails)

    def free(a: int, b: int) -> bool:
        return all(b <= x or a >= y for x, y in taken)

    if "//" in text or "www" in text or "/ /" in text:
        for m in _SCHEME.finditer(text):
            url = m.group(0)
            host = re.sub(r"^(?:h[tx]{2}ps?|ftp)\s*:\s*/\s*/\s*", "", url).rstrip(",;:!?)]}>\"'»」）")
            taken.append(m.span())
            if _domain_allowed(_clean_domain(host), policy.allow_domains):
                continue
            found.append(scan.raw("external_link", m.start(), m.end(), "a link to a web address"))
    views = [text] + ([scan.leet] if scan.leet is not None else [])  # "sh0p-lumina d0t c0m"
    for view in views:
        found += _domains(scan, view, policy, free, taken)
    return found


def _domains(scan: Scan, text: str, policy: ContactPolicy, free: Callable[[int, int], bool],
             taken: list[tuple[int, int]]) -> list[Raw]:
    """Domains in one view of the text (plain or leet), written with a dot, spaced or spelled out."""
    found: list[Raw] = []
    slashed = "/" in text or bool(scan.get("slash_word"))
    if slashed:
        for m in _SHORT_LINK.finditer(text):
            a, b = m.span()
            if not free(a, b):
                continue
            domain = f"{m.group(1)}.{m.group(2)}"
            taken.append((a, b))
            if not _domain_allowed(domain, policy.allow_domains):
                found.append(scan.raw(_host_rule(domain), a, b, f"a short link ({domain}/…)"))
    patterns = [_DOMAIN] if _DOT_IN_WORD.search(text) else []
    if _SPACED_DOT_TAIL.search(text) and _SPACED_DOT.search(text):
        patterns.append(_DOMAIN_SPACED)
    if scan.get("dot_word") or (text is not scan.text and _DOTWORD_HINT.search(text)):
        patterns.append(_DOMAIN_SAID)
    for pattern in patterns:
        for m in pattern.finditer(text):
            a, b = m.span()
            if not free(a, b):
                continue
            labels, tld = m.group(1), m.group(2)
            first = re.split(rf"{_DOT_SPACED}", labels.strip())[0]
            if (labels.rstrip(". ").lower() in _ABBREVIATIONS or first.isdigit()
                    or (len(first) < 2 and pattern is not _DOMAIN)):
                continue
            if pattern is _DOMAIN and tld in WORDLIKE:
                oa, ob = scan.norm.span(m.start(2), m.end(2))
                if not scan.norm.original[oa:ob].islower() or len(first) < 2:
                    continue
            if pattern is _DOMAIN and all(part.isdigit() for part in labels.split(".") if part):
                continue
            if pattern is _DOMAIN_SPACED and _sentence_goes_on(scan, m):
                continue
            if pattern is _DOMAIN_SAID:
                if first in _NOT_LABELS or (tld in WORDLIKE and len(tld) > 2 and tld not in STRONG):
                    continue  # "the pickup point today": a word after a dot word is no TLD
                if tld in _WORDLIKE_TLD:
                    romance = any(w in labels.split() for w in _ROMANCE_DOTS)
                    if len(first) < 4 or not _tld_follow_ok(text, m.end(2)) or (tld == "de" and romance):
                        continue
            domain = _clean_domain(m.group(0))
            if pattern is _DOMAIN_SAID and tld in _SAID_TLDS:
                domain = domain[: -len(tld)] + _SAID_TLDS[tld]
            taken.append((a, b))
            if _domain_allowed(domain, policy.allow_domains):
                continue
            found.append(scan.raw(_host_rule(domain), a, b, f"a web address ({domain})"))
    return found


_AT_BRACKET = re.compile(rf"[\[\(\{{<]\s*(?:{_AT_WORD}|@)\s*[\]\)\}}>]")
_AT_TIGHT = rf"(?:\s*@\s*|\s*[\[\(\{{<]\s*(?:{_AT_WORD}|@)\s*[\]\)\}}>]\s*)"
# an at word written in Chinese, Japanese or Korean and the host in Latin letters or Chinese numerals
# ("xiaoli 艾特 一六三 点 com", "shop アットマーク abc ドット jp")
_EMAIL_CJK = re.compile(rf"(?<![\w.])[a-z0-9][a-z0-9._%+-]*\s*(?:艾特|アットマーク|アット|골뱅이|앳)\s*"
                        rf"(?:{_LABEL}|[〇零一二三四五六七八九幺两]+)(?:\s*(?:{_CJK_DOT}|\.)\s*{_LABEL})*"
                        rf"\s*(?:{_CJK_DOT}|\.|\s{_DOTWORD}\s)\s*(?:{_TLD_ALT})(?![\w-])")
_CJK_AT_HINT = re.compile("艾特|アット|골뱅이|앳")
_EMAIL_SAID = re.compile(rf"(?<![\w.])[a-z0-9][a-z0-9._%+-]*\s+{_AT_WORD}\s+{_LABEL}(?:(?:{_DOT_SAID}|\.){_LABEL})*"
                         rf"(?:{_DOT_SAID}|\.)({_TLD_ALT})(?![\w-])")


def email_spans(scan: Scan, allow_domains: Iterable[str] = ()) -> list[tuple[int, int]]:
    """Where the text gives an e-mail address, in any spelling ("name (at) host dot com").

    The plain word "at" before a domain the policy allows is where to look, not an address:
    "follow it on the carrier's site at usps.com" (the link check reads the domain).
    """
    text = scan.text
    at_words = bool(scan.get("at_word"))
    if "@" not in text and not at_words and not scan.get("webmail"):
        return []
    spans = [m.span() for m in _EMAIL.finditer(text) if re.search(_AT_TIGHT, m.group(0))] if (
        "@" in text or _AT_BRACKET.search(text)) else []
    if at_words and (scan.get("dot_word") or "." in text):
        for m in _EMAIL_SAID.finditer(text):
            unambiguous = re.search(r"\s(?:arroba|arobase|chiocciola|malpa|małpa|собака|apenstaartje|klammeraffe)\s",
                                    m.group(0)) is not None  # no sentence says "arroba" but an address
            if m.group(1) in _WORDLIKE_TLD and not unambiguous and not _tld_follow_ok(text, m.end(1)):
                continue
            host = re.split(rf"\s+{_AT_WORD}\s+", m.group(0))[-1]
            if host.startswith("www."):
                continue  # "track it at www.dhl.de": "at" a web address, the link check reads it
            if _host_rule(_clean_domain(host)) != "external_link":
                continue  # "… at paypal dot me slash shop": a payment link, not an address
            if not unambiguous and _domain_allowed(_clean_domain(host), allow_domains) and re.search(
                    r"\sat\s", m.group(0)) and not _AT_BRACKET.search(m.group(0)):
                continue  # "the carrier's site at usps.com": a place to look, read by the link check
            spans.append(m.span())
    if "@" in text and not spans:
        spans += [m.span() for m in _EMAIL_IDN.finditer(text)]
    if at_words and _CJK_AT_HINT.search(text):
        spans += [m.span() for m in _EMAIL_CJK.finditer(text)]
    if scan.get("webmail"):
        # "tracking at laposte.fr": the plain word "at" before an allowed site (a webmail name too) is a place
        spans += [m.span() for m in _WEBMAIL.finditer(text) if not _allowed_site_after(text, m, allow_domains)]
        spans += [m.span() for m in _WEBMAIL_TRANSLIT.finditer(text)]
    spans.sort()
    out: list[tuple[int, int]] = []
    for a, b in spans:
        if out and a < out[-1][1]:
            out[-1] = (out[-1][0], max(b, out[-1][1]))
        else:
            out.append((a, b))
    return out


# words that say where something is found, before "at" and a site ("tracking at laposte.fr", "it is online at …")
_PLACE_BEFORE_AT = frozenset({"tracking", "track", "trackable", "available", "online", "site", "website", "it", "them",
                              "parcel", "package", "shipment", "order", "status", "progress", "updates", "here"})
_SITE_AFTER = re.compile(rf"(?:\.{_LABEL})*\.(?:{_TLD_ALT})(?![\w-])")


def _allowed_site_after(text: str, m: re.Match[str], allow_domains: Iterable[str]) -> bool:
    """Does the webmail name of ``m`` continue into an allowed domain after a plain "at" and a word of place
    ("tracking at laposte.fr")?"""
    tail = _SITE_AFTER.match(text, m.end())
    if tail is None or not re.search(r"\sat\s", m.group(0)) or m.group(0).split()[0] not in _PLACE_BEFORE_AT:
        return False  # "jean.dupont at laposte.fr" stays an address
    host = re.split(r"\s+at\s+", m.group(0))[-1] + tail.group(0)
    return _domain_allowed(_clean_domain(host), allow_domains)


def emails(scan: Scan, policy: ContactPolicy, spans: list[tuple[int, int]]) -> list[Raw]:
    out = []
    for a, b in spans:
        address = re.sub(rf"{_AT}", "@", scan.text[a:b])
        address = re.sub(rf"{_DOT_SPACED}", ".", address)
        if address in policy.allow_emails:
            continue
        out.append(scan.raw("email", a, b, "an e-mail address"))
    return out


def handles(scan: Scan, email_ranges: list[tuple[int, int]]) -> list[Raw]:
    out: list[Raw] = []
    if "@" not in scan.text:
        return out
    for m in _HANDLE.finditer(scan.text):
        if any(x <= m.start() < y for x, y in email_ranges):
            continue
        out.append(scan.raw("messenger", m.start(), m.end(), "a social-media or messenger handle"))
    return out


def _ean_ok(digits: str) -> bool:
    if len(digits) not in (8, 12, 13, 14):
        return False
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(reversed(digits[:-1])))
    return (10 - total % 10) % 10 == int(digits[-1])


# letters joined to the digits by a hyphen, slash or underscore: a reference code, not a phone
_CODE_PREFIX = re.compile(r"(?<![^\W\d_])[^\W\d_]{1,5}[-_/]$")


# a phone with letters for digits: "+7 (9I6) 4O2-33-I8" (I, l → 1; O → 0), each letter between digits
_LETTER_DIGITS = re.compile(r"(?<![^\W\d_])\+?\(?[\dilo][\dilo()\s.\-]{6,}[\dilo](?![^\W\d_])")
_AS_DIGIT = str.maketrans("ilo", "110")
_DIGIT_LETTER = re.compile(r"\d(?:(?<=[ilo]\d)|(?=[ilo]))")  # finds one where \d[ilo]|[ilo]\d does; digit first


# each masked line's answer of _DIGIT_LETTER: it reads a digit as \d only, as it reads the mask (normalize.mask_digits)
_DIGIT_LETTER_LINES: dict[str, bool] = {}


def _letters_as_digits(text: str, masked: str | None = None) -> str:
    """The text with look-alike letters inside a run of digits read as digits (same length); ``masked``: the text
    through ``normalize.mask_digits``, when the caller has it (the gate is then asked per masked line)."""
    def fix(m: re.Match[str]) -> str:
        run = m.group(0)
        if sum(c.isdigit() for c in run) < 5 or re.search(r"[ilo]{2}", run) or not re.search(r"[ilo]", run):
            return run
        return run.translate(_AS_DIGIT)
    if masked is not None and len(masked) == len(text):
        hint = any_line_matches(_DIGIT_LETTER, masked, _DIGIT_LETTER_LINES)
    else:
        hint = _DIGIT_LETTER.search(text) is not None
    return _LETTER_DIGITS.sub(fix, text) if hint else text


def _serial_before(scan: Scan, text: str, a: int, said: list[int]) -> bool:
    """A serial, IMEI or batch word earlier in the sentence, and no phone word labelling the number itself
    (a phone word two words or less before it: "phone: …", "call me at …")."""
    start = scan.sentence_span(a)[0]
    serial = [m.end() for m in _SERIAL_WORDS.finditer(text[start:a])
              if len(m.group(0)) > 2 or not text[start + m.end():start + m.end() + 1].isalpha()]
    if not serial or _SERIAL_BREAK.search(text, start + serial[-1], a):
        return False
    return not any(e > start + serial[-1] and len(text[e:a].split()) <= 2 for e in said)


def phones(scan: Scan, policy: ContactPolicy, region: str | None) -> list[Raw]:
    text = _letters_as_digits(scan.text, scan.masked)
    if "-\n" in text:  # a number broken over lines at its hyphens ("010-\n4827-\n9931"): one number (round 18)
        text = re.sub(r"(?<=\d)-\n(?=\d)", "- ", text)
    out: list[Raw] = []
    masked = scan.masked  # (seven masks and no mask of its own: seven ASCII digits, counted in one pass)
    if (masked is None or masked.count(DIGIT_MASK) < 7 or DIGIT_MASK in scan.text) \
            and sum(map(text.count, "0123456789")) < 7 and (text.isascii() or sum(map(str.isdigit, text)) < 7):
        return out  # fewer than seven digits (ASCII ones counted first: one pass per digit)
    code_shapes: set[tuple[int, ...]] = set()  # digit groups of the numbers read as codes
    excluded: list[tuple[int, int]] | None = None  # Amazon order numbers: looked for at the first candidate
    regions = ([region] if region else []) + [r for r in policy.phone_regions if r != region]
    if masked is not None and len(masked) == len(text) and DIGIT_MASK not in text and text == scan.text:
        starts = []
        offset = 0
        kept = _PHONE_START_LINES
        for line in masked.split("\n") if "\n" in masked else (masked,):
            found = kept.get(line)
            if found is None:
                found = remember(kept, line, [m.start() for m in _PHONE_START_MASKED.finditer(line)])
            if found:
                starts.extend([a + offset for a in found] if offset else found)
            offset += len(line) + 1
    else:
        starts = [m.start() for m in _PHONE_START.finditer(text)]
    for m in finditer_at(_PHONE_CANDIDATE, text, starts):
        a = m.start()
        raw = m.group(0).strip(" ./-")
        digits = re.sub(r"\D", "", raw)
        if len(digits) < 7 or len(digits) > 15:
            continue  # (an Amazon order number itself: 17 digits)
        if excluded is None:
            excluded = [o.span() for o in _AMAZON_ORDER.finditer(text)] if "-" in text else []
        if any(x <= a < y for x, y in excluded):
            continue
        start = max(0, a - 30)
        while 0 < start < a and text[start - 1].isalnum() and text[start].isalnum():
            start += 1  # a word the window cuts is no word ("rep|artidor" is not "art")
        before = text[start:a]
        plus = raw.startswith(("+", "00"))
        said = [m.end() for w in (_PHONE_WORDS, _PHONE_WORDS_WHOLE) for m in w.finditer(before)]
        other = [m.end() for m in _NOT_PHONE_WORDS.finditer(before)
                 if (len(m.group(0)) > 2 or not before[m.end():m.end() + 1].isalpha()
                     or m.group(0)[-1] >= "\u3040")  # "n°", not "nous"; "注文番号", "주문번호" are order words
                 and (m.group(0) != "no" or not before[m.end():].strip(" .:#"))]  # "№ 12…", not Spanish "no"
        other += [m.end() for m in _ID_WORDS.finditer(before)]
        other += [m.end() for m in _CODE_WORDS.finditer(before)] + [m.end() for m in _CJK_CODE_WORDS.finditer(before)]
        shape = tuple(len(g) for g in re.findall(r"\d+", raw))
        phone_word = bool(said) and (not other or max(said) >= max(other))  # the nearest word decides
        if not phone_word and not other and _PHONE_AFTER.match(text, a + len(m.group(0).rstrip(" ./-"))):
            phone_word = True  # "090 1234 5678までお電話ください": the call word after it (round 20b)
        if not plus and _serial_before(scan, text, a, [start + e for e in said]):
            continue  # "Die Seriennummer … lautet 0601 9J21 04 / 524 008 173", "the IMEI of the phone … is 3569…"
        if not plus and _CEP.fullmatch(raw):
            continue  # "CEP 01310-100": a Brazilian postal code, "cep" though it is also Turkish for mobile
        if not plus and not phone_word:
            if other:
                code_shapes.add(shape)
                continue
            if shape in code_shapes:
                continue  # "Artikelnummer 172-443-901 …, nicht die 172-443-910": the same code's sibling
            if _DATE_LIKE.match(raw) or _YEARS.fullmatch(raw) or (_ean_ok(digits) and raw.isdigit()):
                continue
            if _CODE_AFTER.match(text, a + len(m.group(0).rstrip(" ./-"))):
                continue  # "7312345678 takip numarasıyla": the tracking number named after it
            if _UNIT_AFTER.match(text, a + len(m.group(0).rstrip(" ./-"))) or _DATE_CODE.match(raw):
                continue  # "2 biegi (0–450 / 0–1800 obr./min)", "numer partii 2024-11-08-0347"
            if a > 0 and (text[a - 1].isalpha() or text[a - 1] in "#№="):  # "=": a link's query value
                continue
            if _CODE_PREFIX.search(text, max(0, a - 8), a):
                continue  # a reference code: "RK-2024-0871", "INV/2024/118734"
            if raw.count(".") >= 1 and not re.search(r"\d{2,4}\.?[ .-]\d{2,4}\.?[ .-]\d{2,4}", raw):
                continue
        if re.search(r"\d\s*[./]\s*\d{1,2}\s*$", raw) and not phone_word and not plus and "." in raw[-4:]:
            continue  # a price or a measure
        candidate = "+" + raw[2:] if raw.startswith("00") else raw
        valid = False
        for reg in regions:
            try:
                number = phonenumbers.parse(candidate, reg)
            except phonenumbers.NumberParseException:
                continue
            if phonenumbers.is_valid_number(number):
                valid = True
                break
            if plus:
                break
        # spaced-out digits "+4 4 7 9 1 1 …" are a phone once a phone word is there
        if not valid and not (phone_word and len(digits) >= 8):
            continue
        out.append(scan.raw("phone", a, a + len(m.group(0).rstrip(" ./-")), "a phone number"))
    return out


def phone_requests(scan: Scan) -> list[Raw]:
    """Asking for the buyer's number to phone them ("leave me your number and I'll call you"): the talk
    moves off the platform though no number is written."""
    out: list[Raw] = []
    for hit in scan.get("your_number"):
        if (scan.in_sentence("call_you", hit.start) and scan.in_sentence("seller_self", hit.start)
                and not scan.in_sentence("carrier_word", hit.start) and not scan.negated(hit)):
            out.append(scan.raw("phone", hit.start, hit.end, "asks for the buyer's phone number to call them"))
    return out
