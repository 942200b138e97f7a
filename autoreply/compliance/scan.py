"""One pass over a text that every check shares: the normalised views, the term hits by group,
sentence boundaries and "how close are these two hits" helpers.

Checks produce :class:`Raw` findings (rule id + span on the ORIGINAL text + message); the
policy decides afterwards whether a rule applies on a platform and how severe it is.

A group ``X`` with a companion group ``X_not`` ("review" / "review_not": "we will review your
request", "power rating") loses every hit that overlaps one of ``X_not``.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections import defaultdict
from dataclasses import dataclass, field

from autoreply.compliance.linecache import remember
from autoreply.compliance.normalize import CJK_HANGUL_CLASS, DIGIT_MASK, Normalized, leet_view, normalize_masked
from autoreply.compliance.terms import CYRILLIC, Hit, TermIndex

# A sentence ends at . ! ? (followed by a space or the end), CJK full stops, semicolons and
# line breaks. A dot inside a word ("shop.com", "3.5") does not end one.
# (one character class first, so re skips to a candidate)
# (a title's dot — "Mr. Dobbs", "Sra. López", "Hr. Meier", "Dr." — ends no sentence: round 18)
# The normaliser folds fullwidth ！？．；… to ! ? . ; ... — in Chinese/Japanese they stand right before the next
# sentence, with no space: "!", "?", an ellipsis, or a dot between two CJK characters ("感谢您的购买！备用螺丝…")
# end a sentence before a CJK character too (round 20a).
_CJK_CHAR = CJK_HANGUL_CLASS
SENTENCE_END = re.compile(r"[.!?…؟。！？；;\n](?:(?<=[.!?…؟])(?<!\bmr\.)(?<!\bmrs\.)(?<!\bms\.)(?<!\bdr\.)"
                          r"(?<!\bsr\.)(?<!\bsra\.)(?<!\bsrta\.)(?<!\bhr\.)(?<!\bhrn\.)(?<!\bmme\.)(?=\s|$)"
                          rf"|(?<=[!?…؟])(?=[{_CJK_CHAR}])|(?<=[{_CJK_CHAR}]\.)(?=[{_CJK_CHAR}])"
                          rf"|(?<=\.\.)(?=[{_CJK_CHAR}])"
                          r"|(?<=[。！？；;\n]))")
# Punctuation that separates two hits so they no longer belong to one phrase.
_PHRASE_BREAK = re.compile(r"[,;:.!?。，、！？；：\n()\[\]\"“”«»]")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
# (a "?" that opens a link's query — "results?ShipmentNumber=…" — asks nothing: round 17)
_QUESTION = re.compile(r"\?(?![\w.-]*=)|[？؟]|(?:か|吗|呢)\s*[。.]?\s*$")
# (round 20b: the Arabic comma "،" and semicolon "؛" are clause breaks too — "لا داعي للدفع عبر …، أرسل …")
_CLAUSE = re.compile(r"[，、；,;،؛]")
_CLAUSE_HARD = re.compile(r"[，；,;،؛]")
# a German or Dutch infinitive clause ("… zu schreiben", "… te bellen", "anzurufen")
_INFINITIVE = re.compile(r"\b(?:zu|te)\s+[^\W\d_]+n\b|\b[^\W\d_]+zu[^\W\d_]+en\b")
_KANA_HANGUL = re.compile(r"[\u3040-\u30ff\uac00-\ud7af]")
# a comma and a connective that opens a new clause ("…, then you don't need …", "…, dan hoeft u geen …")
_NEXT_CLAUSE = re.compile(r"[,;:–—]\s*(?:then|so|and then|so that|dann|damit|sodass|puis|alors|ainsi|entonces|asi|"
                          r"y asi|quindi|cosi|poi|dan|zodat|en dan|entao|assim|e assim|potem|wtedy|тогда|и тогда)\b")
# a negation after a comma that only points away from here ("order in our own shop, not here", "…, nicht
# hier", "…, pas ici"): a contrast that confirms the clause before it, no refusal of it
_NOT_HERE = re.compile(r"\s*(?:here|hier|ici|aqui|qui|qua|tutaj|tu|здесь|тут|burada|هنا)\b\s*(?:[.!;,]|$)")
_NOT_HERE_GAP = re.compile(r"\s*[,;–—]\s*(?:(?:but|aber|mais|pero|ma|mas|maar|ale|а|но|und|and)\s+)?")
# negative words inside a term of these groups do not negate ("不走平台", "no contact")
VIOLATION_GROUPS = ("messenger", "payment", "redirect_strong", "marketplace", "after_sales_refusal")


@dataclass(frozen=True)
class Raw:
    """A rule that fired, with its span on the original text."""

    rule: str
    start: int
    end: int
    message: str


def _misread(hit: Hit, cyrillic_only: frozenset[str], norm: Normalized) -> bool:
    """Is ``hit`` a ``TermIndex.cyrillic_only`` term standing on text with no Cyrillic letter ("he
    enviado" is no "не")?"""
    if hit.term not in cyrillic_only:
        return False
    a, b = norm.span(hit.start, hit.end)
    return CYRILLIC.search(norm.original, a, b) is None


def _overlaps(h: Hit, others: list[Hit]) -> bool:
    return any(o.start < h.end and h.start < o.end for o in others)


# A line's sentence ends, kept (bounded): template lines recur from message to message.
_LINE_ENDS: dict[str, list[int]] = {}


def sentence_starts(text: str) -> list[int]:
    """0 and the end of every ``SENTENCE_END`` match in ``text``, in order.

    A match is one character and a line break is always one, so a text's matches are its lines'
    matches, shifted, with each line break between them; a ``.`` that ends a line matches alone
    (``$``) as it does before the line break (``\\s``). So each line is asked once. No digit is
    punctuation or a space, so the text with its digits masked (``mask_digits``) has the same starts."""
    if "\n" not in text:
        return [0, *[m.end() for m in SENTENCE_END.finditer(text)]]
    out = [0]
    offset = 0
    kept = _LINE_ENDS
    for line in text.split("\n"):
        ends = kept.get(line)
        if ends is None:
            ends = remember(kept, line, [m.end() for m in SENTENCE_END.finditer(line)])
        if ends:
            out.extend([offset + e for e in ends] if offset else ends)
        offset += len(line) + 1
        out.append(offset)  # the line break
    out.pop()  # the last line has none
    return out


@dataclass
class Scan:
    norm: Normalized
    hits: dict[str, list[Hit]]
    sentence_starts: list[int] = field(default_factory=list)
    leet: str | None = None  # the leetspeak view ("sh0p d0t c0m" → "shop dot com"), same offsets
    index: TermIndex | None = None  # for the lazy groups, found on the first question about one
    masked: str | None = None  # the normalised text with its digits masked (normalize.mask_digits)
    # the hits and sentence starts are the masked text's own (no key with a digit hit, no leet view, no
    # ``cyrillic_only`` term): what the text's digits are is then in ``norm`` alone (see :meth:`masked_view`)
    digit_blind: bool = False

    @classmethod
    def of(cls, text: str, index: TermIndex) -> Scan:
        # digits masked (same offsets): the line caches of the terms and the sentence ends are kept by
        # the lines as they read without their digits (an order number, a date), which nothing there reads
        norm, masked = normalize_masked(text)
        leet = leet_view(norm, masked)
        if leet is None:  # (nearly every text) the hits by group as kept per line, when nothing below applies
            grouped = index.find_grouped(norm.text, masked)
            if grouped is not None:
                return cls(norm, grouped, sentence_starts(masked), None, index if index.lazy_groups else None, masked,
                           True)
        hits: dict[str, list[Hit]] = defaultdict(list)
        guarded = index.cyrillic_only
        for hit in index.find(norm.text, masked):
            if hit.term in guarded and _misread(hit, guarded, norm):  # (the common case without a call)
                continue
            hits[hit.group].append(hit)
        if leet is not None:  # "r3view", "wh4tsapp", "sh0p": hits the plain view missed
            for hit in index.find(leet.text):
                if _misread(hit, guarded, norm):
                    continue
                known = hits[hit.group]
                if not any(h.start == hit.start and h.end == hit.end for h in known):
                    known.append(hit)
        for group in [g for g in hits if g.endswith("_not")]:
            base = group[:-4]
            if base in hits:
                nots = hits[group]
                hits[base] = [h for h in hits[base] if not _overlaps(h, nots)]
        return cls(norm, hits, sentence_starts(masked), leet.text if leet is not None else None,
                   index if index.lazy_groups else None, masked)

    def masked_view(self, original: str) -> Scan:
        """This scan as its text reads with every ASCII digit a ``0`` (``original``: the original text so;
        only for a ``digit_blind`` scan, before any lazy group was asked): the same offsets, hits and sentence
        starts, each digit still an ASCII digit (``\\d``, ``[0-9]``, ``str.isdigit``, ``str.isascii`` answer
        alike) but none with its value — what a check finds on it is a function of the masked text, its
        normalised form and their offsets (the engine's digit-blind cache, engine.py)."""
        assert self.digit_blind and self.masked is not None
        norm = self.norm
        return Scan(Normalized(original, self.masked.replace(DIGIT_MASK, "0"), norm.starts, norm.ends),
                    self.hits.copy(), self.sentence_starts, None, self.index, self.masked, True)

    def _find_lazy(self, index: TermIndex) -> None:
        self.index = None
        for hit in index.find_lazy(self.norm.text):
            if not _misread(hit, index.cyrillic_only, self.norm):
                self.hits[hit.group].append(hit)

    # -- positions ---------------------------------------------------------------------
    @property
    def text(self) -> str:
        return self.norm.text

    def sentence(self, pos: int) -> int:
        return bisect.bisect_right(self.sentence_starts, pos) - 1

    def sentence_span(self, pos: int) -> tuple[int, int]:
        i = self.sentence(pos)
        end = self.sentence_starts[i + 1] if i + 1 < len(self.sentence_starts) else len(self.text)
        return self.sentence_starts[i], end

    def sentences(self) -> list[tuple[int, int]]:
        bounds = [*self.sentence_starts, len(self.text)]
        return [(a, b) for a, b in itertools.pairwise(bounds) if self.text[a:b].strip()]

    def get(self, group: str, *, leet: bool = True) -> list[Hit]:
        """The hits of ``group``; a lazy group's (``TermIndex.lazy_groups``) are found on the first ask."""
        index = self.index  # checks ask ~60 times per text: kept to one attribute test
        if index is not None and group in index.lazy_groups:
            self._find_lazy(index)
        return self.hits.get(group, [])

    def has(self, group: str) -> bool:
        return bool(self.get(group))

    def in_sentence(self, group: str, pos: int) -> list[Hit]:
        s = self.sentence(pos)
        return [h for h in self.get(group) if self.sentence(h.start) == s]

    def in_span(self, group: str, a: int, b: int) -> list[Hit]:
        return [h for h in self.get(group) if a <= h.start < b]

    def question(self, pos: int) -> bool:
        """Is the sentence around ``pos`` a question?"""
        a, b = self.sentence_span(pos)
        return bool(_QUESTION.search(self.text[a:b].strip()))

    def near(self, a: Hit, b: Hit, words: int = 4) -> bool:
        """Are ``a`` and ``b`` part of one phrase: at most ``words`` words apart, no
        punctuation between them (CJK: a few characters)."""
        if a.start > b.start:
            a, b = b, a
        if b.start < a.end:
            return True
        gap = self.text[a.end:b.start]
        if _PHRASE_BREAK.search(gap):
            return False
        if _CJK.search(gap) or (_CJK.search(self.text[a.start:a.end]) and not gap.strip()):
            return len(gap.replace(" ", "")) <= words
        return len(gap.split()) <= words

    def raw(self, rule: str, start: int, end: int, message: str) -> Raw:
        a, b = self.norm.span(start, end)
        return Raw(rule, a, b, message)

    def negated(self, hit: Hit, *, since: int = 0) -> bool:
        """Is the sentence around ``hit`` a warning or a refusal ("we never ask for …")?
        A negative word inside a term of the same group ("不走平台") does not count; with ``since``, only
        a negative word from that offset on does (a warning sentence always counts)."""
        s = self.sentence(hit.start)
        if self.warning(s):
            return True
        idioms = [h for h in self.hits.get("negation_idiom", ()) if self.sentence(h.start) == s]
        own = [h for g in {hit.group, *VIOLATION_GROUPS} for h in self.hits.get(g, ()) if self.sentence(h.start) == s]
        cjk_hit = bool(_CJK.match(self.text, hit.start))
        for neg in self.hits.get("negation", ()):
            if self.sentence(neg.start) != s or neg.start < since:
                continue
            # (round 20b: a CJK negation reaches its clause only, also when the hit is in Latin letters —
            # "決済がうまくいかない場合は、PayPalでこちらに直接送金…": the condition's own negation)
            cjk = cjk_hit or bool(_CJK.match(self.text, neg.start))
            if cjk and _CLAUSE.search(self.text, min(neg.end, hit.start), max(neg.start, hit.end)) \
                    and not self._cjk_reaches(neg, hit, s):
                continue  # Chinese/Japanese: a negation reaches to the end of its clause only
            if neg.start >= hit.end and _NEXT_CLAUSE.search(self.text, hit.end, neg.start):
                continue  # "pay us via Tikkie, then you need not place a new order": a later clause
            if neg.start >= hit.end and _NOT_HERE_GAP.fullmatch(self.text, hit.end, neg.start) \
                    and _NOT_HERE.match(self.text, neg.end):
                continue  # "bestellen Sie in unserem eigenen Onlineshop, nicht hier": a contrast, no refusal
            if not cjk and neg.end <= hit.start and _CLAUSE_HARD.search(self.text, neg.end, hit.start) and any(
                    n.start <= neg.start < n.end for n in self.hits.get("no_need", ())) and not self._infinitive(hit):
                continue  # "no need to reorder, just send the difference to my PayPal": the waiver's own clause
            if not cjk and self._conditioned(neg, hit):
                continue  # "if you don't get a reply here, write to us on WhatsApp": the condition's own
            if not cjk and neg.end <= hit.start and any(
                    neg.end <= c.start < hit.start and _CLAUSE_HARD.search(self.text, neg.end, c.start)
                    for c in self.hits.get("contrast", ()) if self.sentence(c.start) == s):
                continue  # "этого цвета тут нет, но он есть в нашем магазине на Ozon": a turn after a comma (20b)
            if any(i.start <= neg.start < i.end for i in idioms):
                continue
            if any(o.start <= neg.start < o.end for o in own):
                continue
            return True
        return False

    def _infinitive(self, hit: Hit) -> bool:
        """Is the clause of ``hit`` an infinitive the waiver before the comma governs ("Nicht nötig, uns per WhatsApp
        zu schreiben", "niet nodig om ons via WhatsApp te bellen")?"""
        a = max([self.sentence_span(hit.start)[0]] + [m.end() for m in _CLAUSE_HARD.finditer(self.text, 0, hit.start)])
        brk = _CLAUSE_HARD.search(self.text, hit.end)
        b = brk.start() if brk is not None else self.sentence_span(hit.start)[1]
        return _INFINITIVE.search(self.text, a, b) is not None

    def _conditioned(self, neg: Hit, hit: Hit) -> bool:
        """Is ``neg`` inside a condition clause ("if you don't …", "если нет …", "wenn Sie keine …") that does
        not hold ``hit``? The clause runs from the condition word to the next comma or semicolon."""
        for c in self.hits.get("condition_open", ()):
            if c.end > neg.start or self.sentence(c.start) != self.sentence(neg.start):
                continue
            if _CLAUSE_HARD.search(self.text, c.end, neg.start):
                continue  # a comma between: the condition is over before the negation
            brk = _CLAUSE_HARD.search(self.text, neg.end)
            end = brk.start() if brk is not None else self.sentence_span(neg.start)[1]
            if not c.start <= hit.start < end:
                return True
        return False

    def negated_scope(self, hit: Hit, *, lists: bool = True) -> bool:
        """Is ``hit`` inside a negation's scope — a warning sentence, or a negation before it in its clause,
        across a list ("we do not offer gifts, discounts or anything else for reviews", "nie oferujemy
        prezentów ani rabatów", "不做好评返现")? A contrast, a condition word or a subject pronoun after a comma
        opens a new clause the negation does not reach ("we don't charge fees, we send a gift for …");
        a colon or a semicolon ends it (a comma too with ``lists=False``). Narrower than :meth:`negated` (the
        whole sentence in Latin scripts)."""
        s = self.sentence(hit.start)
        if self.warning(s):
            return True
        if _CJK.match(self.text, hit.start):
            return self.negated(hit)  # CJK: the clause bounds it already ("当店では…行っておりません")
        idioms = [h for h in self.hits.get("negation_idiom", ()) if self.sentence(h.start) == s]
        own = [h for g in {hit.group, *VIOLATION_GROUPS} for h in self.hits.get(g, ()) if self.sentence(h.start) == s]
        opens = [h for g in ("contrast", "condition_open") for h in self.hits.get(g, ())
                 if self.sentence(h.start) == s]
        subjects = [h for h in self.hits.get("clause_subject", ()) if self.sentence(h.start) == s]
        for neg in self.hits.get("negation", ()):
            if neg.end > hit.start or self.sentence(neg.start) != s:
                continue
            if any(i.start <= neg.start < i.end for i in idioms) or any(o.start <= neg.start < o.end for o in own):
                continue
            if any(neg.end <= o.start < hit.start for o in opens) or re.search(
                    r"[;:；：]" if lists else r"[;:；：,，]", self.text[neg.end:hit.start]):
                continue
            if any(neg.end <= p.start < hit.start and re.search(r"[,，]\s*(?:(?:and|y|et|und|e|и|i|en|ve|و)\s+)?$",
                                                                 self.text[neg.end:p.start]) for p in subjects):
                continue  # "we don't charge fees, we send a gift": a new clause after the comma
            return True
        return False

    def _cjk_reaches(self, neg: Hit, hit: Hit, s: int) -> bool:
        """Where a CJK negation reaches past a comma: a Chinese enumeration comma (、) only lists
        ("不会要求您通过支付宝转账、微信转账或银行卡付款"), and a Japanese or Korean negation that ends the
        sentence governs all of it ("銀行振込やPayPalなど、…をお願いすることは一切ございません")."""
        a, b = min(neg.end, hit.start), max(neg.start, hit.end)
        if neg.end <= hit.start and not _CLAUSE_HARD.search(self.text, a, b):
            return not _KANA_HANGUL.search(self.text, *self.sentence_span(hit.start))  # Chinese: 、 lists
        if neg.start >= hit.end:
            end = self.sentence_span(hit.start)[1]
            return _KANA_HANGUL.search(self.text, neg.start, neg.end) is not None and \
                not re.search(r"[^\s。．.!！?？」』）)\u3040-\u309f\uac00-\ud7af]", self.text[neg.end:end]) and \
                not re.search(r"が、|けど|지만|ください|ます|です|した、|て、|세요|니다|요,", self.text[a:b])
        return False

    def warning(self, s: int) -> bool:
        """"If someone asks you to pay by bank transfer in our name, it is a scam": a fraud word and
        a third party in one sentence — across its clauses, in every script."""
        for h in self.hits.get("disclaimer", ()):
            d = self.sentence(h.start)
            # "if there is a 好评返现 card in the parcel, it is not from us"; "Got a Tikkie? It is not from us."
            if d == s or (d == s + 1 and self.question(self.sentence_starts[s])):
                return True
        if any(self.sentence(h.start) == s for h in self.hits.get("scam_verdict", ())):
            return True  # "if you get a Tikkie 'from us', that is fake"
        # a third party, or a message the buyer may receive ("…메시지를 받으시면 신고해 주세요")
        return any(self.sentence(h.start) == s for h in self.hits.get("scam_word", ())) and any(
            self.sentence(h.start) == s for g in ("third_party", "third_party_if") for h in self.get(g))


def dedupe(found: list[Raw]) -> list[Raw]:
    """The findings with each (rule, span) once, in their first order."""
    seen: set[tuple[str, int, int]] = set()
    out = []
    for f in found:
        key = (f.rule, f.start, f.end)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out
