"""Taobao after-sales windows stated in languages other than Chinese ("il reso senza motivo è
possibile solo entro 5 giorni", "bij een kwaliteitsprobleem binnen 7 dagen omruilen; daarna niet
meer"): a no-reason return window under 7 days or a quality exchange window under 15 days.

The Chinese forms are read by ``aftersales.after_sales``; this module reads the same structure on
the normalised text of every language written with spaces: a number of days (or hours), a
no-reason or quality word and a return or exchange word in the sentence, and something that
makes the window a limit on the buyer — "only", "after that no longer", or "you can"; a plain
return window under 7 days with "only" and a word of asking ("returns are only possible within 3
days"), not a processing time ("refunds are issued within 3 days").

``quality_fees`` (every script): return postage charged to the buyer for a quality problem ("bei
Qualitätsmängeln tragen Sie die Rücksendekosten", "质量问题运费买家承担") — a quality word, a postage
word (``quality_word`` in ``after_sales.toml``) and a buyer-pays phrase in one sentence, with no
no-reason word (the buyer may pay for a
change of mind) and nothing the seller pays.
"""

from __future__ import annotations

import re

from autoreply.compliance.normalize import normalize_term
from autoreply.compliance.scan import Raw, Scan


def n(pattern: str) -> str:
    """The pattern's non-Latin words (Cyrillic, Arabic, Hangul) as the normalised text has them
    (homoglyphs folded: "дней" → "дheи")."""
    return re.sub(r"(?:(?![a-zA-Z])[^\W\d_])+", lambda m: normalize_term(m.group(0)), pattern)


_HOURS = ("hour", "hours", "ore", "horas", "heures", "stunden", "uur", "godzin", "godziny", "часов", "saat", "ساعة",
          "ساعه", "시간")
_DAY_WORDS = ("days", "day", "giorni", "giorno", "dias", "dia", "tage", "tagen", "jours", "jour", "dagen", "dag",
              "dni", "dnia", "дней", "дня", "суток", "أيام", "ايام", "يوم", "يومًا", "يوما", "일",
              "gun", "gunu", "gunluk", "gundur", "werktage", "werkdagen", "giorni lavorativi",
              "business days", "working days", "dias habiles", "dias uteis", "jours ouvres")
_HOURS_SAID = {normalize_term(h) for h in _HOURS}
_WINDOW = re.compile(n(r"(?<![\w.,])(\d{1,3})\s*(" + "|".join(sorted((*_DAY_WORDS, *_HOURS), key=len, reverse=True))
                     + r")(?:(?<=일)|(?<=시간)|(?!\w))"))
_NO_REASON = re.compile(n(r"\b(?:no[- ]reason|without (?:giving )?(?:a|any) reason|for any reason|senza motiv\w*|"
                        r"sin motivo|sin dar (?:ninguna )?explicaci\w+|sans motif|sans justification|"
                        r"ohne angabe von grunden|ohne grund|zonder opgaaf van reden\w*|zonder reden|sem motivo|"
                        r"bez podania przyczyny|без объяснения причин\w*|без причины|sebepsiz|sebep belirtmeden|"
                        r"gerekce gostermeden|단순 ?변심|변심|بدون سبب|بدون إبداء|دون إبداء|"
                        r"no[- ]?questions[- ]?asked)"))
_QUALITY = re.compile(n(r"(?:quality|defect\w*|faulty|qualita|calidad|defectuos\w*|qualite|defectueu\w*|defauts?|"
                      r"qualitat\w*|"
                      r"mangel\w*|defekt\w*|kwaliteit\w*|qualidade|defeituos\w*|jakosc\w*|wad\w*|качеств\w*|"
                      r"брак\w*|kalite\w*|kusur\w*|품질|불량|하자|الجودة|عيب\w*|تالف\w*)"))
_RETURN = re.compile(n(r"\b(?:return\w*|exchang\w*|refund\w*|res[oi]\b|rendere|restitu\w+|cambi\w*|sostitu\w+|"
                     r"devol\w+|reembols\w+|retour\w*|rembours\w+|echang\w+|ruckgabe|rucksend\w+|umtausch\w*|"
                     r"umtauschen|zurucksend\w*|zuruckgeb\w*|zuruckschick\w*|ruil\w*|omruil\w*|terugstur\w+|troca\w*|trocar|zwrot\w*|zwroc\w*|wymian\w*|"
                     r"возврат\w*|вернуть|обмен\w*|iade\w*|degisim\w*|반품\w*|교환\w*|환불\w*|"
                     r"\w*(?:إرجاع|ارجاع|استرجاع|استبدال|الاسترداد)\w*)"))
# what makes the window a limit on the buyer
_LIMIT = re.compile(n(r"\b(?:only|solo|soltanto|solamente|unicamente|nur|seulement|uniquement|alleen|slechts|apenas|"
                    r"somente|so sao|so e|so aceit\w*|so pode\w*|no maximo|em ate|tylko|только|sadece|"
                    r"after that|afterwards|thereafter|daarna|danach|dopo|despues|"
                    r"apres|ensuite|depois|potem|после этого|sonra|no longer|nicht mehr|niet meer|plus possible|"
                    r"ya no|non piu|nao e mais|juz nie|больше не|artik|you can|you may|kunt u|puede|potete|"
                    r"puo|konnen sie|vous pouvez|pode|moze pan|можете|yapabilirsiniz|فقط|بعد ذلك|"
                    r"period|window|frist|delai|plazo|periodo|prazo|termijn|termin|срок|suresi|مدة)\b"))
# Korean limits written on the word ("7일까지만", "3일 이내에만", "이후에는 접수되지 않습니다")
_LIMIT_KO = re.compile(r"까지만|이내에만|내에만|만 가능|이후에는|이후로는|지나면")
_CLAUSE = re.compile(r"[,;:.!?\n،]")
# a plain window: a word of asking or accepting, and no processing time
_ASK_RETURN = re.compile(n(r"\b(?:possible|accepted|accept|request\w*|appl\w+|send (?:it|them) back|"
                         r"moglich|akzeptiert|possibles?|acceptes?|posible|acept\w*|possibile|accettat\w*|"
                         r"possivel|aceit\w+|mogelijk|geaccepteerd|mozliwy|mozliwe|przyjmujemy|mumkun|kabul|можно|"
                         r"возможен|возможно|принима\w*|ممكن|نقبل)\b|가능|접수"))
_PROCESSING = re.compile(n(r"\b(?:process\w*|issued|credited|ship\w*|dispatch\w*|"
                         r"bearbeit\w*|trait\w+|procesad\w*|elaborat\w*|processad\w*|verwerkt|rozpatr\w*|"
                         r"обработ\w*|işlen\w*|islen\w*|معالجة|처리)\b"))


def windows(scan: Scan, excepted: list[tuple[int, int]]) -> list[Raw]:
    """Short no-reason or quality windows written in a language with spaces (see the module docstring).
    ``excepted``: sentence spans holding a legal exception (made to order, perishable …)."""
    text = scan.text
    out: list[Raw] = []
    for m in _WINDOW.finditer(text):
        days = int(m.group(1))
        if m.group(2) in _HOURS_SAID:
            days = -(-days // 24)
        a, b = scan.sentence_span(m.start())
        if not days or any(x <= m.start() < y for x, y in excepted):
            continue
        sentence = text[a:b]
        if not _RETURN.search(sentence) or not (_LIMIT.search(sentence) or _LIMIT_KO.search(sentence)
                                                or _LIMIT_ONLY.search(sentence)):
            continue
        # the kind of window is said in the number's own clause ("… within 7 days, and quality … 15 days")
        starts = [c.end() for c in _CLAUSE.finditer(text, a, m.start())]
        end = _CLAUSE.search(text, m.end(), b)
        clause = text[starts[-1] if starts else a:end.start() if end else b]
        if _NO_REASON.search(clause) and days < 7:
            out.append(scan.raw("after_sales_terms", m.start(), m.end(),
                                "a no-reason return window shorter than 7 days"))
        elif _QUALITY.search(clause) and days < 15:
            out.append(scan.raw("after_sales_terms", m.start(), m.end(),
                                "a quality-problem window shorter than 15 days"))
        elif days < 7 and _RETURN.search(text, a, m.start()) and _LIMIT_ONLY.search(sentence) and \
                _ASK_RETURN.search(sentence) and not _PROCESSING.search(sentence):
            out.append(scan.raw("after_sales_terms", m.start(), m.end(),
                                "a return window shorter than 7 days"))
        elif days < 7 and _PERIOD_WORD.search(clause) and not _PROCESSING.search(sentence):
            # "the return period is 3 days", "İade süresi 3 gündür"
            out.append(scan.raw("after_sales_terms", m.start(), m.end(), "a return period shorter than 7 days"))
        elif days < 7 and _AFTER_REFUSED.search(text, m.end(), b) and not _PROCESSING.search(sentence):
            # "you have 3 days to request a return, after that we can't help"
            out.append(scan.raw("after_sales_terms", m.start(), m.end(),
                                "refuses returns after fewer than 7 days"))
    return out


_PERIOD_WORD = re.compile(n(
    r"\b(?:return period|return window|returns window|ruckgabefrist|umtauschfrist|delai de retour|plazo de devolucion|"
    r"periodo di reso|prazo de devolucao|prazo para devolucao|retourtermijn|termin zwrotu|срок возврата|iade suresi|"
    r"مدة الإرجاع|مهلة الإرجاع)\b|반품 ?기간|返品期間|返品期限"))
# a lapse and a refusal after the window: "after that we can't", "danach nicht mehr", "после этого не"
_AFTER_REFUSED = re.compile(n(
    r"\b(?:after that|afterwards|after this|thereafter|past that)\W+(?:we |it )?(?:can't|cannot|can not|won't|"
    r"will not|no longer|not)|\b(?:danach|anschliessend) (?:\w+ )?(?:nicht|kein\w*)|"
    r"\b(?:ensuite|apres) (?:\w+ )?(?:plus|aucun\w*|ne)\b|"
    r"\bdespues (?:ya )?no\b|\bdopo (?:non|piu)\b|\bdepois (?:ja )?nao\b|\bdaarna (?:\w+ )?(?:niet|geen)\b|"
    r"\bpotem (?:juz )?nie\b|после этого (?:уже )?не|\bsonra (?:\w+ )?(?:kabul edilmez|yapilmaz|alinmaz)|بعد ذلك لا"))


_LIMIT_ONLY = re.compile(n(
    r"\b(?:must|muss|mussen|doit|doivent|debe|deben|deve|devono|devem|moet|moeten|musi|musza|должен|должны|"
    r"gerekir|يجب|"
    r"only|solo|soltanto|nur|seulement|uniquement|alleen|slechts|apenas|somente|so sao|so e|em ate|que dans|"
    r"que sous|tylko|только|sadece|yalnizca|فقط)\b|까지만|이내에만|내에만"))
_POSTAGE = re.compile(n(
    r"\b(?:shipping|postage|return costs?|return fees?|frais|gastos|envio|spese|frete|porto|versandkosten|"
    r"rucksendekosten|rucksendung|retourkosten|verzendkosten|koszt\w*|przesylk\w*|odeslani\w*|kargo|пересылк\w*|"
    r"доставк\w*|\w*شحن)\b|运费|邮费|快递费|送料|返送料|배송비|택배비"))
_BUYER_PAYS = re.compile(n(
    r"\b(?:at your (?:own )?(?:expense|cost)|(?:is|are) on you\b|on your side|"
    r"please pay (?:for )?(?:the )?(?:return|shipping|postage)|"
    r"you (?:will )?(?:have to )?pay (?:for )?(?:the )?(?:return|shipping|"
    r"postage)|you (?:need to |have to |must |will )?(?:cover|bear) (?:the )?(?:return|shipping|postage|cost)|"
    r"lo paga usted|lo paga el (?:cliente|comprador)|ponosi (?:klient|pan|pani)|оплачиваете вы|вы оплачиваете|"
    r"оплачивает клиент|size aittir|musteriye aittir|paid by (?:the )?(?:buyer|customer|you)|"
    r"(?:buyer|customer) pays|borne by (?:the )?(?:buyer|customer)|"
    r"a votre charge|a la charge (?:du client|de l'acheteur)|por su cuenta|por cuenta del (?:cliente|comprador)|"
    r"a cargo del (?:cliente|comprador)|a carico (?:del cliente|dell'acquirente|suo)|a suo carico|por sua conta|"
    r"por conta do (?:cliente|comprador)|voor uw rekening|voor rekening van de koper|tragen sie|selbst tragen|"
    r"zu ihren lasten|ponosi kupujacy|po stronie kupujacego|pokrywa kupujacy|aliciya aittir|alici oder|"
    r"alici tarafindan|оплачивает покупатель|за ваш сч[её]т|за сч[её]т покупателя|يتحمل المشتري|على حساب المشتري|"
    r"على نفقتك)|お客様のご負担|お客様負担|ご負担いただ|고객님 부담|고객 부담|구매자 부담|买家承担|买家自己承担|"
    r"买家自理|运费自理|需扣除|扣除|扣掉|您出|买家出|由您承担|您自己承担|您承担|自己承担|您自付|自付|自己出|您来出"))
_SELLER_PAYS = re.compile(n(
    r"\b(?:we (?:pay|cover|refund|reimburse)|our expense|at our cost|wir (?:tragen|ubernehmen|erstatten)|"
    r"nous (?:payons|prenons|remboursons)|nosotros pagamos|pagamos|paghiamo|wij betalen|betalen wij|pokrywamy|"
    r"karsiliyoruz|оплачиваем мы|мы оплачиваем|نتحمل)|我们承担|我们出|卖家承担|本店承担|当店負担|当店が負担|"
    r"저희가 부담|판매자 부담"))
_NO_REASON_ANY = re.compile(_NO_REASON.pattern + n(
    r"|无理由|不想要|不喜欢|理由を問わ|お客様都合|ご都合|\b(?:change of mind|changed your mind|cambio de opinion|"
    r"changement d'avis)\b"))


def quality_fees(scan: Scan) -> list[Raw]:
    """Return postage charged to the buyer for a quality problem (see the module docstring); only
    sentences with a ``quality_word`` (``after_sales.toml``) are read."""
    text = scan.text
    out: list[Raw] = []
    seen: set[int] = set()
    for q in scan.get("quality_word"):
        a, b = scan.sentence_span(q.start)
        if a in seen:
            continue
        seen.add(a)
        m = _BUYER_PAYS.search(text, a, b)
        if m and _POSTAGE.search(text, a, b) and not _NO_REASON_ANY.search(text, a, b) \
                and not _SELLER_PAYS.search(text, a, b):
            out.append(scan.raw("after_sales_terms", m.start(), m.end(),
                                "charges the buyer the return postage of a quality problem"))
    return out
