"""Taobao: a return, exchange or refund refused by the sentence's structure, in languages written with spaces —
a negation with a word of possibility or acceptance governing a return word in one clause, in either order:
"Gli articoli in saldo non si possono restituire", "Eine Rückgabe … ist bei uns nicht möglich", "os artigos
em promoção não podem ser trocados", "returns are not accepted on clearance items", "le retour n'est pas
possible". The fixed phrases of ``after_sales_refusal`` (``after_sales.toml``) cover the usual wordings; this
reads the free ones, whatever goods the writer names.

Not a refusal: the legal exceptions (``aftersales`` passes the sentences that hold one), a condition or a
"not yet" before it in its clause ("if the seal is broken …", "noch nicht"), a return the buyer need not make
("no need to send it back"), a channel ("not possible through this form; use the platform's button"), used or
opened goods ("worn shoes"), a window said to have lapsed ("after the return window closed"), and a
lapse after a lawful window (a count of 7 days or more in the sentence: "after 7 days returns are no longer
possible"; shorter windows are ``windows``' to judge).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from autoreply.compliance.scan import Raw, Scan
from autoreply.compliance.windows import _RETURN
from autoreply.compliance.windows import n as _n

_NEG = _n(r"(?:not|no|non|nicht|kein\w*|ne|pas|nao|niet|geen|nie|не|ni|لا|لن)")
_POSS = _n(r"(?:can|could|may|possible|allowed|accepted|eligible|able|"
           r"puede|pueden|posible|aceptan|aceptamos|aceptada\w*|admit\w*|permit\w*|"
           r"peut|peuvent|possibles?|accept\w*|admis\w*|"
           r"moglich|konnen|kann|akzeptier\w*|angenommen|"
           r"possono|puo|possibile|accettat\w*|accettiamo|ammess\w*|"
           r"pode|podem|possivel|aceit\w*|permitid\w*|"
           r"kan|kunnen|mogelijk|geaccepteerd|accepteren|toegestaan|"
           r"mozna|moze|moga|mozemy|mozliw\w*|przyjmujemy|przyjmowan\w*|akceptujemy|"
           r"можно|может|могут|возможен|возможно|принима\w*|"
           # round 17: "no hacemos cambios", "не подлежат возврату", "لا نقبل أي استرجاع", "لا يمكن", "لا يتم"
           r"hacemos|realizamos|aceptamos|tramitamos|faisons|effectuons|подлеж\w*|производим|"
           r"نقبل|يقبل|تقبل|يمكن|يمكنك|يتم|نستطيع)")
# one word that says both: "impossible", "unmöglich", "nelze", "невозможно", "cannot"
_NEG_POSS = _n(r"(?:cannot|can't|impossible|unmoglich|imposible|impossibile|impossivel|onmogelijk|niemozliw\w*|"
               r"невозможн\w*|нельзя)")
_W = r"(?:[^\W\d_][\w'-]*\s+){0,%d}"
_RET = _RETURN.pattern
# Turkish says the negation in the verb's suffix: "iade ve değişim kesinlikle yapılmamaktadır", "iade kabul edilmez"
_TR_NEG_VERB = (r"(?:yapilma(?:z|maktadir)|yapilmamaktadir|kabul\s+edilme(?:z|mektedir)|alinma(?:z|maktadir)|"
                r"edileme(?:z|mektedir)|mumkun\s+degil\w*)")  # (active "yapmıyoruz": after_sales_refusal's)
_REFUSED = re.compile(
    # "non si possono restituire", "pas d'échange"
    rf"\b(?:{_NEG}\s+{_W % 3}{_POSS}|{_NEG_POSS})\s+{_W % 4}(?:[dl]')?{_RET}"
    rf"|{_RET}\s+{_W % 8}(?:{_NEG}\s+{_W % 1}{_POSS}|{_NEG_POSS})\b"  # "die Rückgabe ist bei uns nicht möglich"
    rf"|{_RET}\s+{_W % 4}{_TR_NEG_VERB}\b")  # "iade ve değişim kesinlikle yapılmamaktadır"
_NOT_REFUSAL = re.compile(_n(
    r"\b(?:if|unless|until|once|when|si|sauf|hasta|jusqu\w*|wenn|falls|bis|sobald|se|finche|ate|als|tenzij|"
    r"caso (?:o|a|os|as|voce|seja)|"
    r"jesli|jezeli|dopoki|если|пока|yet|still|noch|todavia|aun|encore|ancora|ainda|nog|jeszcze|еще|ещё|"
    r"need|needed|necessary|nodig|notig|necesario|necessaire|necessario|necessario|potrzeby|нужно|"
    r"platform|plataforma|plateforme|piattaforma|platforma|платформ\w*|app|button|boton|bouton|pulsante|knop|"
    r"przycisk|formular\w*|form|"
    r"expired|closed|over|abgelaufen|verstrichen|expire\w*|vencid\w*|scadut\w*|expirad\w*|verlopen|uplyn\w*|minal|"
    r"истек\w*|прош[её]л|прошло|gecti|gectikten)\b"))
_DAYS = re.compile(r"(?<![\w.,])(\d{1,3})\s*(?=[^\W\d_])")
# "even within the 15 days" after the refusal: the lawful window refused, not its end
_EVEN_WITHIN = re.compile(_n(r"\b(?:even|aunque sea|incluso|meme|auch|selbst|anche|persino|mesmo|zelfs|nawet|даже|"
                             r"حتى)\W+(?:[^\W\d_]+\W+){0,3}\d{1,3}"))


def _used(scan: Scan, pos: int) -> bool:
    return bool(scan.in_sentence("after_sales_used", pos) or scan.in_sentence("after_sales_opened", pos))


def refused(scan: Scan, excepted: Callable[[int], bool]) -> list[Raw]:
    """Returns refused by structure (see the module docstring)."""
    text = scan.text
    out: list[Raw] = []
    for m in _REFUSED.finditer(text):
        a, b = scan.sentence_span(m.start())
        if excepted(m.start()) or _NOT_REFUSAL.search(text, a, m.start()) or _NOT_REFUSAL.search(text, m.end(), b):
            continue  # a condition, "not yet", no need, the channel, a lapsed window — in the sentence but the match
        if (_used(scan, m.start()) or (a > 0 and _used(scan, a - 1))) \
                and not scan.in_sentence("after_sales_quality_too", m.start()):
            continue  # "we can't accept returns on worn shoes": used or opened goods (round 18: or the sentence
            # before says so — "the soles show clear wear … We can't refund the full amount in this case")
        if any(int(d.group(1)) >= 7 for d in _DAYS.finditer(text, a, b)) and not _EVEN_WITHIN.search(text, m.end(), b):
            continue  # "after 7 days returns are no longer possible": the lawful window's end
            # (not "no returns, even within the 15 days": the window itself refused — round 17)
        out.append(scan.raw("after_sales_terms", m.start(), m.end(),
                            "refuses returns or exchanges the platform makes mandatory"))
    return out
