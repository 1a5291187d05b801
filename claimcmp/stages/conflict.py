"""Fact-conflict rules for two statements of one claim: numbers, dates, names and polarity.

Each rule returns the first conflict it finds as a :class:`Conflict` with the two spans (offsets
relative to each sentence) that disagree, or ``None``. The rules are deliberately narrow: a
conflict needs the same head noun (numbers), the same preposition or slot (years, weekdays,
days of the month), the same surname (names), or a negation on a word both sentences share
(polarity). Approximate quantities ("at least 12", "more than 30") never conflict by number.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

CONFLICT_KINDS = ["number", "date", "entity", "polarity", "nli"]


@dataclass(frozen=True)
class Conflict:
    """One conflict: its kind and the conflicting spans, as offsets into sentence a and sentence b."""

    kind: str
    span_a: tuple[int, int]
    span_b: tuple[int, int]


_WORDS_0_20 = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
               "sixteen seventeen eighteen nineteen twenty").split()
_TENS = {"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
NUMBER_WORDS = {w: i for i, w in enumerate(_WORDS_0_20)} | _TENS | {"dozen": 12, "hundred": 100}
_SCALE = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_APPROX = re.compile(
    r"(?:at least|at most|more than|less than|fewer than|over|under|nearly|almost|about|around|roughly|some|"
    r"approximately|up to|as many as|as few as|upwards of|close to|estimated|an estimated|dozens of|hundreds of|"
    r"thousands of|~|>|<)\s*$", re.I)
_NUM = re.compile(r"(?<![\w.,])(?P<cur>[$€£])?(?P<num>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:-(?P<hyph>[a-z]+))?"
                  r"(?:\s*(?P<scale>thousand|million|billion|trillion))?(?P<pct>\s*%|\s*percent)?(?![\w])", re.I)
_NUMWORD = re.compile(r"(?<![\w-])(?P<num>" + "|".join(NUMBER_WORDS) + r")(?:-(?P<hyph>[a-z]+))?"
                      r"(?:\s+(?P<scale>thousand|million|billion|trillion))?(?![\w])", re.I)
_TOKEN = re.compile(r"[A-Za-z][A-Za-z'’\-]*")
_SKIP_HEAD = frozenset("""
of the a an more than other people's additional new further extra and or to in on at for from by as were was
have had has been are is be who which that those these its their his her s
""".split())
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = ("january february march april may june july august september october november december "
          "jan feb mar apr jun jul aug sep sept oct nov dec").split()
_SPEECH_DAY = re.compile(r"\b(?:said|says|told|announced|stated|declared|confirmed|added|wrote|tweeted)\b"
                         r"(?:\s+\S+){0,6}\s+(?:on\s+)?$", re.I)
_WEEKDAY = re.compile(r"\b(" + "|".join(WEEKDAYS) + r")\b(?!['’]s\b)", re.I)  # "Tuesday's election": a name
_MONTH_DAY = re.compile(r"\b(?P<month>" + "|".join(MONTHS) + r")\.?\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?\b", re.I)
_YEAR = re.compile(r"\b(?P<prep>since|in|until|from|by|before|after)\s+(?P<year>(?:19|20)\d\d)\b", re.I)
_LOWER = r"[^\W\d_A-Z]+"
_NAME = re.compile(rf"\b(?P<first>[A-Z]{_LOWER})\s+(?:[A-Z]\.\s+)?(?P<last>[A-Z]{_LOWER}(?:-[A-Z]{_LOWER})?)\b")
_NEGATION = re.compile(r"\b(?:not|never|no longer|n['’]t|no(?!\.\s*\d)|neither|nor|denied|denies|deny|refused|refuses|"
                       r"rejected|rejects|failed to|fails to|without)\b", re.I)
_NEG_FILLER = frozenset("yet been be being fully quite so very even ever also really fully formally officially "
                        "the a an to".split())
_NAME_STOP = frozenset("The A An In On At For But And Mr Mrs Ms Dr Sen Rep Gov President Prime Minister Secretary "
                       "General State House White United Supreme New North South East West "
                       # sentence openers and titles before a surname: never a first name
                       "Though Although After Before When While If As Since Because Then Now So Yet Still Also "
                       "Meanwhile However Last Next Former Acting Judge Justice Chief Senator Representative "
                       "Governor Mayor Speaker Leader Attorney Saint St Gen Col Lt Sgt Officer Deputy Vice "
                       "Ambassador Chancellor King Queen Prince Princess Pope Father Rev Bishop Prof Professor "
                       "Coach Sheriff Detective Inspector Captain Commissioner Director Chairman Chairwoman".split())
#: Words that end organisation and place names ("Manchester City", "Cook County"): never a surname.
_NAME_SUFFIX = frozenset("City County Club Town University College School Party Council Street Avenue Road Airport "
                         "Square Park River Valley Beach Island Islands Province Republic Kingdom Union Times Post "
                         "News Group Bank Company Army Navy Command Force Forces Court Hospital Station Ocean Sea "
                         "Coast Bay Gulf Lake Mountains Desert Region Strait Peninsula".split())
#: Short forms of English first names: one person, not two ("Mike Flynn" / "Michael Flynn").
NICKNAMES: dict[str, frozenset[str]] = {k: frozenset(v.split()) for k, v in {
    "michael": "mike mick mickey", "william": "bill will billy willy liam", "robert": "bob rob bobby robbie bert",
    "richard": "rick dick rich ricky richie", "james": "jim jimmy jamie", "joseph": "joe joey",
    "john": "jack johnny jon",
    "thomas": "tom tommy", "edward": "ed eddie ted ned", "charles": "chuck charlie chas", "daniel": "dan danny",
    "david": "dave davey", "steven": "steve", "stephen": "steve", "anthony": "tony", "benjamin": "ben benny",
    "alexander": "alex al sasha", "christopher": "chris kit", "matthew": "matt", "nicholas": "nick nicky",
    "samuel": "sam sammy", "elizabeth": "liz beth betty lisa eliza libby", "katherine": "kate kathy katie",
    "catherine": "kate cathy katie", "jeffrey": "jeff", "ronald": "ron ronnie", "donald": "don donnie",
    "andrew": "andy drew", "patrick": "pat", "patricia": "pat patty tricia", "gregory": "greg", "kenneth": "ken kenny",
    "lawrence": "larry", "gerald": "jerry gerry", "henry": "hank harry", "timothy": "tim timmy", "frederick": "fred",
    "albert": "al bert", "rudolph": "rudy", "theodore": "ted teddy theo", "jonathan": "jon", "nathaniel": "nate",
    "zachary": "zach", "abraham": "abe", "susan": "sue susie", "margaret": "maggie peggy meg", "deborah": "debbie deb",
    "rebecca": "becky", "jennifer": "jen jenny", "victoria": "vicky tori", "alexandria": "alex", "mitchell": "mitch",
    "vincent": "vince", "raymond": "ray", "leonard": "leo len lenny", "douglas": "doug", "phillip": "phil",
    "philip": "phil", "terrence": "terry", "eugene": "gene", "randall": "randy", "gabriel": "gabe",
}.items()}


def _fold(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c)).lower()


def _stem(word: str) -> str:
    w = _fold(word).strip("'’-")
    for suf in ("ies", "es", "s"):
        if len(w) > 4 and w.endswith(suf) and not w.endswith("ss"):
            return w[: -len(suf)] + ("y" if suf == "ies" else "")
    return w


@dataclass(frozen=True)
class Quantity:
    value: float
    head: str
    start: int
    end: int
    approximate: bool


def _head_after(text: str, pos: int) -> str:
    for m in _TOKEN.finditer(text, pos):
        w = m.group().lower()
        if w in _SKIP_HEAD or w in _SCALE:
            continue
        if m.start() - pos > 40:
            break
        return _stem(w)
    return ""


def quantities(text: str) -> list[Quantity]:
    """Numbers in ``text`` with the noun they count (``head``), skipping years, times and ordinals."""
    out: list[Quantity] = []
    for m in list(_NUM.finditer(text)) + list(_NUMWORD.finditer(text)):
        raw = m.group("num").lower()
        if raw in NUMBER_WORDS:
            value = float(NUMBER_WORDS[raw])
        else:
            value = float(raw.replace(",", ""))
            if re.fullmatch(r"(?:19|20)\d\d", raw) and not m.groupdict().get("cur"):
                continue  # a year: handled by the date rule
        after = text[m.end():m.end() + 6]
        clock = text[max(0, m.start() - 1):m.start()] == ":"
        if clock or re.match(r"(?:st|nd|rd|th)\b|:\d|\s*[ap]\.?m\b", after, re.I):
            continue  # an ordinal or a clock time ("10:30 p.m."), not a count
        before = text[max(0, m.start() - 12):m.start()]
        if re.search(r"(?:No\.|number|#|page|article|resolution|chapter)\s*$", before, re.I):
            continue
        scale = (m.groupdict().get("scale") or "").lower()
        if scale:
            value *= _SCALE[scale]
        if m.groupdict().get("pct"):
            head = "percent"
        elif m.groupdict().get("cur"):
            head = "money"
        elif m.groupdict().get("hyph"):
            head = _stem(m.group("hyph"))
        else:
            head = _head_after(text, m.end())
        if not head:
            continue
        approx = bool(_APPROX.search(text[max(0, m.start() - 25):m.start()]))
        out.append(Quantity(value, head, m.start(), m.end(), approx))
    return out


def _decimals(text: str) -> int:
    """Decimal places written in a number ("1.37" -> 2, "1.4" -> 1, "870,000" -> 0)."""
    m = re.search(r"\.(\d+)", text.replace(",", ""))
    return len(m.group(1)) if m else 0


def _rounded(x: Quantity, y: Quantity, a: str, b: str) -> bool:
    """One value is the other rounded to the precision it is written with ("$1.37 trillion" / "$1.4 trillion")."""
    da, db = _decimals(a[x.start:x.end]), _decimals(b[y.start:y.end])
    if da == db:
        return False
    fine, coarse, places = (x, y, db) if da > db else (y, x, da)
    scale = next((v for k, v in _SCALE.items() if k in (a[x.start:x.end] + b[y.start:y.end]).lower()), 1.0)
    return abs(fine.value - coarse.value) / scale <= 0.5 * 10.0 ** -places + 1e-9


def number_conflict(a: str, b: str) -> Conflict | None:
    """The same head noun counted with different exact values, each value absent from the other sentence;
    a value and its rounding ("$1.37 trillion" / "$1.4 trillion") do not conflict."""
    qa, qb = quantities(a), quantities(b)
    vals_a, vals_b = {q.value for q in qa}, {q.value for q in qb}
    for x in qa:
        for y in qb:
            if x.head != y.head or x.value == y.value or x.approximate or y.approximate:
                continue
            if x.value in vals_b or y.value in vals_a or _rounded(x, y, a, b):
                continue
            same_head_a = [q for q in qa if q.head == x.head]
            same_head_b = [q for q in qb if q.head == y.head]
            if len(same_head_a) > 1 or len(same_head_b) > 1:
                continue  # several counts of one noun (a breakdown): not one figure against another
            return Conflict("number", (x.start, x.end), (y.start, y.end))
    return None


_TIME_WORDS = frozenset("early late last this next on night morning evening afternoon by until before after since "
                        "from the of in at said says".split())


def _lead_in(text: str, pos: int) -> set[str]:
    """Stems of the words just before a weekday ("Cummings died early" -> {cumming, died}), time words left out."""
    words = _TOKEN.findall(text[max(0, pos - 40):pos])[-4:]
    return {_stem(w) for w in words if w.lower() not in _TIME_WORDS and w.lower() not in _SKIP_HEAD}


def date_conflict(a: str, b: str) -> Conflict | None:
    """Different weekdays for the same event (a word just before each weekday is shared: "died early
    Tuesday" / "died early Thursday"), days of one month, or years after the same preposition."""
    wa, wb = list(_WEEKDAY.finditer(a)), list(_WEEKDAY.finditer(b))
    if any(_SPEECH_DAY.search(t[max(0, m.start() - 45):m.start()]) for t, ms in ((a, wa), (b, wb)) for m in ms):
        wa = wb = []  # the day of a statement ("said Saturday"), not of the event: two statements, no conflict
    if len(wa) == 1 and len(wb) == 1 and wa[0].group().lower() != wb[0].group().lower() \
            and _lead_in(a, wa[0].start()) & _lead_in(b, wb[0].start()):
        return Conflict("date", wa[0].span(), wb[0].span())
    da, db = list(_MONTH_DAY.finditer(a)), list(_MONTH_DAY.finditer(b))
    if len(da) == 1 and len(db) == 1 and da[0].group("month")[:3].lower() == db[0].group("month")[:3].lower() \
            and int(da[0].group("day")) != int(db[0].group("day")):
        return Conflict("date", da[0].span(), db[0].span())
    ya, yb = list(_YEAR.finditer(a)), list(_YEAR.finditer(b))
    years_a, years_b = {m.group("year") for m in ya}, {m.group("year") for m in yb}
    for x in ya:
        for y in yb:
            if x.group("prep").lower() == y.group("prep").lower() and x.group("year") != y.group("year") \
                    and x.group("year") not in years_b and y.group("year") not in years_a:
                return Conflict("date", x.span("year"), y.span("year"))
    return None


def _names(text: str) -> list[re.Match[str]]:
    return [m for m in _NAME.finditer(text) if m.group("first") not in _NAME_STOP
            and m.group("last") not in _NAME_STOP and m.group("last") not in _NAME_SUFFIX]


def _spelling_variant(x: str, y: str) -> bool:
    """Two spellings of one name ("Athletico" / "Atletico"): at most one edit apart in a longer name."""
    from difflib import SequenceMatcher

    return min(len(x), len(y)) >= 5 and SequenceMatcher(None, x, y).ratio() >= 0.85


def same_person_names(x: str, y: str) -> bool:
    """Two first names of one person: a short form ("Mike" / "Michael") or a prefix ("Rudy" / "Rudolph")."""
    x, y = _fold(x), _fold(y)
    if x == y or y in NICKNAMES.get(x, ()) or x in NICKNAMES.get(y, ()):
        return True
    short, long_ = sorted((x, y), key=len)
    return len(short) >= 3 and long_.startswith(short[:-1]) and short[-1] in "yie"


def entity_conflict(a: str, b: str) -> Conflict | None:
    """One surname with two different first names ("Loretta Sanchez" / "Linda Sánchez"); spelling
    variants and short forms of one first name, a first name the other sentence also uses, and
    organisation or place names ("Manchester City", "Atlantic Ocean") do not count."""
    na, nb = _names(a), _names(b)
    firsts_a = {_fold(m.group("first")) for m in na} | {_fold(w) for w in _TOKEN.findall(a)}
    firsts_b = {_fold(m.group("first")) for m in nb} | {_fold(w) for w in _TOKEN.findall(b)}
    for x in na:
        for y in nb:
            if _fold(x.group("last")) != _fold(y.group("last")):
                continue
            fx, fy = _fold(x.group("first")), _fold(y.group("first"))
            if fx != fy and fx not in firsts_b and fy not in firsts_a and not _spelling_variant(fx, fy) \
                    and not same_person_names(fx, fy):
                return Conflict("entity", x.span(), y.span())
    return None


def _negated_word(text: str, m: re.Match[str]) -> re.Match[str] | None:
    for w in _TOKEN.finditer(text, m.end()):
        if w.group().lower() in _NEG_FILLER:
            continue
        return w if w.start() - m.end() < 30 else None
    return None


def polarity_conflict(a: str, b: str) -> Conflict | None:
    """A negation on a word that the other sentence states without negation."""
    for neg_text, other, flip in ((a, b, False), (b, a, True)):
        if _NEGATION.search(other):
            continue
        for m in _NEGATION.finditer(neg_text):
            w = _negated_word(neg_text, m)
            if w is None:
                continue
            stem = _stem(w.group())[:5]
            if len(stem) < 4:
                continue
            hit = next((t for t in _TOKEN.finditer(other) if _stem(t.group())[:5] == stem), None)
            if hit is None:
                continue
            neg_span, other_span = (m.start(), w.end()), hit.span()
            return Conflict("polarity", other_span, neg_span) if flip else Conflict("polarity", neg_span, other_span)
    return None


def find_conflict(a: str, b: str) -> Conflict | None:
    """The first conflict between two statements of one claim: number, date, entity, then polarity."""
    for rule in (number_conflict, date_conflict, entity_conflict, polarity_conflict):
        c = rule(a, b)
        if c is not None:
            return c
    return None
