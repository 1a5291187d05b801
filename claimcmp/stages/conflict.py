"""Fact-conflict rules for two statements of one claim: numbers, dates, names and polarity.

Each rule returns the first conflict it finds as a :class:`Conflict` with the two spans (offsets
relative to each sentence) that disagree, or ``None``. The rules are deliberately narrow: a
conflict needs the same head noun (numbers), the same preposition or slot (years, weekdays,
days of the month), the same surname (names), or a negation on a word both sentences share
(polarity). Approximate quantities ("at least 12", "more than 30") never conflict by number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from claimcmp.stages.numbers import MONTHS, SKIP_HEAD, TOKEN, WEEKDAYS, number_conflict_spans
from claimcmp.stages.numbers import fold as _fold
from claimcmp.stages.numbers import stem as _stem

CONFLICT_KINDS = ["number", "date", "entity", "polarity", "nli"]


@dataclass(frozen=True)
class Conflict:
    """One conflict: its kind and the conflicting spans, as offsets into sentence a and sentence b."""

    kind: str
    span_a: tuple[int, int]
    span_b: tuple[int, int]


_SPEECH_DAY = re.compile(r"\b(?:said|says|told|announced|stated|declared|confirmed|added|wrote|tweeted)\b"
                         r"(?:\s+\S+){0,6}\s+(?:on\s+)?$", re.I)
_FUTURE = re.compile(r"\b(?:will|plans? to|planning to|is set to|are set to|is expected to|are expected to|"
                     r"is scheduled to|are scheduled to|is due to|are due to)\b", re.I)
_CLAUSE = re.compile(r"[,;:()\u2014\u2013]| - ")
_LIMIT = re.compile(r"\b(?:before|until|till|through|no later than)\s+$", re.I)
_SEQUENCE = re.compile(r"\b(?:initial|original|previous|earlier|new|final|revised|extended|later|first|second|"
                       r"next)\s+(?:\w+\s+)?$", re.I)
_WEEKDAY = re.compile(r"\b(" + "|".join(WEEKDAYS) + r")\b(?!['’]s\b)", re.I)  # "Tuesday's election": a name
_MONTH_DAY = re.compile(r"\b(?P<month>" + "|".join(MONTHS) + r")\.?\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?\b", re.I)
_YEAR = re.compile(r"\b(?P<prep>since|in|until|from|by|before|after)\s+(?P<year>(?:19|20)\d\d)\b", re.I)
_LOWER = r"[^\W\d_A-Z]+"
_NAME = re.compile(rf"\b(?P<first>[A-Z]{_LOWER})\s+(?:[A-Z]\.\s+)?(?P<last>[A-Z]{_LOWER}(?:-[A-Z]{_LOWER})?)\b")
_NEGATION = re.compile(r"(?:\b(?:not|never|no longer|no(?!\.\s*\d)|neither|nor|denied|denies|deny|denial|refused|"
                       r"refuses|rejected|rejects|failed to|fails to|without|declined to|declines to|decided against|"
                       r"voted against|other than)\b|n['’]t\b)", re.I)
#: "warned it not to retaliate": a directive someone gave, not a negated fact.
_DIRECTIVE = re.compile(r"\b(?:warn|urg|told|tell|ask|order|advis|caution|press|call(?:ed|s)? on)\w*"
                        r"(?:\s+\S+){0,3}\s+$", re.I)
_DETERMINER = frozenset("the a an its his her their this that these those our your".split())
_NEG_FILLER = frozenset("yet been be being have has had do does did fully quite so very even ever also really "
                        "formally officially "
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
                         "Coast Bay Gulf Lake Mountains Desert Region Strait Peninsula "
                         # groups: "Senate Democrats" / "Congressional Democrats" are not two people
                         "Democrats Republicans Democrat Republican Conservatives Liberals Senators Lawmakers "
                         "Officials Leaders".split())
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


def number_conflict(a: str, b: str) -> Conflict | None:
    """One figure (same noun, same role) given with two exact values, each absent from the other sentence
    (:mod:`claimcmp.stages.numbers`)."""
    spans = number_conflict_spans(a, b)
    return Conflict("number", *spans) if spans else None


_TIME_WORDS = frozenset("early late last this next on night morning evening afternoon by until before after since "
                        "from the of in at said says".split())


def _context_word(w: str) -> bool:
    """A word that can say which event a date belongs to: not a time word, not a name."""
    return w[0].islower() and w.lower() not in _TIME_WORDS and w.lower() not in SKIP_HEAD


def _lead_in(text: str, pos: int, n: int = 2) -> set[str]:
    """Stems of the ``n`` words just before a date ("Cummings died early" -> {cumming, died}), time words
    left out."""
    words = [w for w in TOKEN.findall(_CLAUSE.split(text[max(0, pos - 60):pos])[-1]) if _context_word(w)]
    return {_stem(w) for w in words[-n:]}


def _follow(text: str, pos: int, n: int = 2) -> set[str]:
    """Stems of the ``n`` words just after a date ("Jan. 20 inauguration" -> {inauguration})."""
    words = [w for w in TOKEN.findall(_CLAUSE.split(text[pos:pos + 60])[0]) if _context_word(w)]
    return {_stem(w) for w in words[:n]}


def _same_event(a: str, ma: re.Match[str], b: str, mb: re.Match[str]) -> bool:
    """The two dates belong to one event: a word just before or just after both is shared, and neither
    sentence alone speaks of the future ("will try on Thursday" / "blocked him on Wednesday"); a deadline
    ("before Friday") or one of a series ("the initial April 10 deadline") is not the event's date."""
    if bool(_FUTURE.search(a)) != bool(_FUTURE.search(b)):
        return False
    if any(_LIMIT.search(t[max(0, m.start() - 12):m.start()]) for t, m in ((a, ma), (b, mb))):
        return False  # "before Friday": a deadline, not the day of the event
    if any(_SEQUENCE.search(t[max(0, m.start() - 25):m.start()]) for t, m in ((a, ma), (b, mb))):
        return False  # "the initial April 10 deadline" / "a final April 23 deadline": two of a series
    return bool((_lead_in(a, ma.start()) | _follow(a, ma.end())) & (_lead_in(b, mb.start()) | _follow(b, mb.end())))


def date_conflict(a: str, b: str) -> Conflict | None:
    """Different weekdays or days of one month for the same event (a word next to both dates is shared:
    "died early Tuesday" / "died early Thursday"), or years after the same preposition, each the only
    such year in its sentence."""
    wa, wb = list(_WEEKDAY.finditer(a)), list(_WEEKDAY.finditer(b))
    if any(_SPEECH_DAY.search(t[max(0, m.start() - 45):m.start()]) for t, ms in ((a, wa), (b, wb)) for m in ms):
        wa = wb = []  # the day of a statement ("said Saturday"), not of the event: two statements, no conflict
    if len(wa) == 1 and len(wb) == 1 and wa[0].group().lower() != wb[0].group().lower() \
            and _same_event(a, wa[0], b, wb[0]):
        return Conflict("date", wa[0].span(), wb[0].span())
    da, db = list(_MONTH_DAY.finditer(a)), list(_MONTH_DAY.finditer(b))
    if len(da) == 1 and len(db) == 1 and da[0].group("month")[:3].lower() == db[0].group("month")[:3].lower() \
            and int(da[0].group("day")) != int(db[0].group("day")) and _same_event(a, da[0], b, db[0]):
        return Conflict("date", da[0].span(), db[0].span())
    ya, yb = list(_YEAR.finditer(a)), list(_YEAR.finditer(b))
    years_a, years_b = {m.group("year") for m in ya}, {m.group("year") for m in yb}
    for x in ya:
        for y in yb:
            prep = x.group("prep").lower()
            if prep == y.group("prep").lower() and x.group("year") != y.group("year") \
                    and x.group("year") not in years_b and y.group("year") not in years_a \
                    and sum(m.group("prep").lower() == prep for m in ya) == 1 \
                    and sum(m.group("prep").lower() == prep for m in yb) == 1:
                return Conflict("date", x.span("year"), y.span("year"))
    return None


def _names(text: str) -> list[re.Match[str]]:
    return [m for m in _NAME.finditer(text) if m.group("first") not in _NAME_STOP
            and m.group("last") not in _NAME_STOP and m.group("last") not in _NAME_SUFFIX]


def _spelling_variant(x: str, y: str) -> bool:
    """Two spellings of one name: one edit apart in a longer name ("Athletico" / "Atletico"), the same
    letters in another order ("Jeronimo" / "Jeromino"), or a final "s" ("Johns" / "John Hopkins")."""
    from difflib import SequenceMatcher

    if min(len(x), len(y)) >= 5 and (SequenceMatcher(None, x, y).ratio() >= 0.85 or sorted(x) == sorted(y)):
        return True
    short, long_ = sorted((x, y), key=len)
    return len(short) >= 4 and long_ == short + "s"


_KIN = re.compile(r"\b(?:brother|sister|wife|husband|son|daughter|father|mother|cousin|uncle|aunt|nephew|niece|"
                  r"widow|sibling|parent|grand\w+)s?\b(?:\W+\w+){0,6}\W+$", re.I)


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
    organisation or place names ("Manchester City", "Atlantic Ocean"), groups ("Senate Democrats") and a
    relative named as such ("his brother Julián Castro") do not count."""
    na, nb = _names(a), _names(b)
    firsts_a = {_fold(m.group("first")) for m in na} | {_fold(w) for w in TOKEN.findall(a)}
    firsts_b = {_fold(m.group("first")) for m in nb} | {_fold(w) for w in TOKEN.findall(b)}
    for x in na:
        for y in nb:
            if _fold(x.group("last")) != _fold(y.group("last")):
                continue
            fx, fy = _fold(x.group("first")), _fold(y.group("first"))
            if _KIN.search(a[max(0, x.start() - 60):x.start()]) or _KIN.search(b[max(0, y.start() - 60):y.start()]):
                continue  # "his brother Julián Castro": a relative shares the surname
            if fx != fy and fx not in firsts_b and fy not in firsts_a and not _spelling_variant(fx, fy) \
                    and not same_person_names(fx, fy):
                return Conflict("entity", x.span(), y.span())
    return None


def _negated_word(text: str, m: re.Match[str]) -> re.Match[str] | None:
    for w in TOKEN.finditer(text, m.end()):
        if w.group().lower() in _NEG_FILLER:
            continue
        return w if w.start() - m.end() < 30 else None
    return None


def _noun_use(text: str, hit: re.Match[str]) -> bool:
    """The word follows a determiner ("the border wall"): a noun, not the verb a negation denies."""
    prev = TOKEN.findall(text[max(0, hit.start() - 20):hit.start()])
    return bool(prev) and prev[-1].lower() in _DETERMINER


def polarity_conflict(a: str, b: str) -> Conflict | None:
    """A negation on a word that the other sentence states without negation; a directive ("warned it
    not to retaliate") is not a negated fact, and a negated verb does not deny the same word used as a
    noun ("does not border Mexico" / "the border wall")."""
    for neg_text, other, flip in ((a, b, False), (b, a, True)):
        if _NEGATION.search(other):
            continue
        for m in _NEGATION.finditer(neg_text):
            if m.group().lower() == "not" and _DIRECTIVE.search(neg_text[max(0, m.start() - 40):m.start()]) \
                    and neg_text[m.end():m.end() + 4].lower().startswith(" to "):
                continue
            w = _negated_word(neg_text, m)
            if w is None:
                continue
            stem = _stem(w.group())[:5]
            if len(stem) < 4:
                continue
            # "not border", "not to retaliate": the negation is on a verb (only "to" between them)
            verb_negated = {t.lower() for t in TOKEN.findall(neg_text[m.end():w.start()])} <= {"to"}
            hit = next((t for t in TOKEN.finditer(other) if _stem(t.group())[:5] == stem
                        and not (verb_negated and _noun_use(other, t))), None)
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
