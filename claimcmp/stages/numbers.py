"""Quantities in a sentence, and when two of them state one figure differently.

A quantity is a number with the noun it counts (``head``), where it sits, whether it is a bound
("at least 12", "over a dozen"), and the words around it that say what is counted (its role: "jobs
*lost* to the pandemic" / "*added* 1.4 million jobs in August"). Two quantities conflict only when they
count the same noun in the same role with different exact values; a forecast, a reference window ("the
previous three months"), a running total ("already given") or a breakdown is not one figure against
another.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_WORDS_0_20 = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
               "sixteen seventeen eighteen nineteen twenty").split()
_TENS = {"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
NUMBER_WORDS = {w: i for i, w in enumerate(_WORDS_0_20)} | _TENS | {"dozen": 12, "hundred": 100}
_SCALE = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
#: Words before a number that bound it: the value is a floor, a ceiling, or a round figure (``~``).
_BOUNDS = (
    ("floor", r"at least|more than|over|above|beyond|in excess of|upwards of|>"),
    ("ceiling", r"at most|less than|fewer than|under|below|up to|as many as|as few as|<"),
    ("near", r"nearly|almost|close to"),
    ("round", r"about|around|roughly|some|approximately|estimated|an estimated|~"),
    ("vague", r"dozens of|hundreds of|thousands of|millions of|already|so far|to date|thus far"),
)
_BOUND = re.compile("(?:" + "|".join(rf"(?P<{k}>(?<![\w])(?:{v}))" for k, v in _BOUNDS) + r")\s*(?:an?\s+)?$",
                    re.I)
#: Words before a number that make it a forecast or an expectation, not a reported figure.
_FORECAST = re.compile(r"\b(?:expect\w*|forecast\w*|project(?:ed|ing|ion)s?|predict\w*|estimat\w*|looking for|"
                       r"anticipat\w*)\b", re.I)
#: "the previous three months", "his first 100 days": a reference window, not a count of the claim.
_WINDOW = re.compile(r"\b(?:previous|past|last|next|first|coming|following|final|initial)\s+$", re.I)
_TIME_UNITS = frozenset("second minute hour day week month year decade".split())
_NUM = re.compile(r"(?<![\w.,])(?<![A-Za-z]-)(?P<cur>[$€£])?(?P<num>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)"
                  r"(?:-(?P<hyph>[a-z]+))?"
                  r"(?:\s*(?P<scale>thousand|million|billion|trillion))?(?P<pct>\s*%|\s*percent)?(?![\w])", re.I)
_NUMWORD = re.compile(r"(?<![\w-])(?P<num>" + "|".join(NUMBER_WORDS) + r")(?:-(?P<hyph>[a-z]+))?"
                      r"(?:\s+(?P<scale>thousand|million|billion|trillion))?(?![\w])", re.I)
_ORDINAL = re.compile(r"\b(\d+)(?:st|nd|rd|th)\b", re.I)
_DURATION = re.compile(r"\b(?P<y>\d+|" + "|".join(NUMBER_WORDS) + r")\s+years?,?\s+(?:and\s+)?"
                       r"(?P<m>\d+|" + "|".join(NUMBER_WORDS) + r")\s+months?\b", re.I)
TOKEN = re.compile(r"[A-Za-z][A-Za-z'’\-]*")
SKIP_HEAD = frozenset("""
of the a an more than other people's additional new further extra and or to in on at for from by as were was
have had has been are is be who which that those these its their his her s
""".split())
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = ("january february march april may june july august september october november december "
          "jan feb mar apr jun jul aug sep sept oct nov dec").split()
_AFTER_MONTH = re.compile(r"\b(?:" + "|".join(MONTHS) + r")\.?\s*$", re.I)
#: Words that say nothing about what a number counts (left out of its role).
_NOT_ROLE = SKIP_HEAD | frozenset("""
said says say told according reported also about with into after before than this will would could can may
it he she they we i you not but so if when while where what there here just only even still all any each
today yesterday week day month year night morning
""".split()) | frozenset(WEEKDAYS) | frozenset(MONTHS)
_DEATH = frozenset("kill killed killing kills dead die died dying death deaths fatal fatalities lives".split())
_HARM = frozenset("wound wounded injure injured injuring injuries injury hurt shot shooting".split())


def fold(s: str) -> str:
    """Lower case without accents ("Sánchez" -> "sanchez")."""
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c)).lower()


def stem(word: str) -> str:
    """A crude plural-free form of a word ("cases" -> "case", "parties" -> "party")."""
    w = fold(word).strip("'’-")
    if len(w) <= 4 or not w.endswith("s") or w.endswith("ss"):
        return w
    if w.endswith("ies"):
        return w[:-3] + "y"
    if w.endswith(("ses", "xes", "zes", "ches", "shes")):
        return w[:-2]
    return w[:-1]


@dataclass(frozen=True)
class Quantity:
    """A number in a sentence: its value, the noun it counts, its span, and whether it is a bound."""

    value: float
    head: str
    start: int
    end: int
    bound: str | None = None
    forecast: bool = False
    window: bool = False

    @property
    def approximate(self) -> bool:
        """A bound or a round figure ("at least 12", "about 600"), not an exact value."""
        return self.bound is not None

    def interval(self) -> tuple[float, float] | None:
        """The values the quantity allows, or ``None`` when it is too vague to compare ("dozens of")."""
        v = self.value
        return {None: (v, v), "floor": (v, float("inf")), "ceiling": (float("-inf"), v),
                "near": (0.9 * v, v), "round": (0.9 * v, 1.1 * v)}.get(self.bound)


def _head_after(text: str, pos: int) -> tuple[str, int]:
    for m in TOKEN.finditer(text, pos):
        w = m.group().lower()
        if w in SKIP_HEAD or w in _SCALE:
            continue
        if m.start() - pos > 40:
            break
        return stem(w), m.end()
    return "", pos


def _bound(before: str) -> str | None:
    m = _BOUND.search(before)
    return next((k for k, _ in _BOUNDS if m.group(k)), None) if m else None


def quantities(text: str) -> list[Quantity]:
    """Numbers in ``text`` with the noun they count (``head``), skipping years, times, ordinals and the
    day of a date ("April 10")."""
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
        if re.search(r"(?:No\.|number|#|page|article|resolution|chapter)\s*$", before, re.I) \
                or _AFTER_MONTH.search(before):
            continue
        scale = (m.groupdict().get("scale") or "").lower()
        if scale:
            value *= _SCALE[scale]
        if m.groupdict().get("pct"):
            head = "percent"
        elif m.groupdict().get("cur"):
            head = "money"
        elif m.groupdict().get("hyph"):
            head = stem(m.group("hyph"))
        else:
            head = _head_after(text, m.end())[0]
        if not head:
            continue
        lead = text[max(0, m.start() - 40):m.start()]
        out.append(Quantity(value, head, m.start(), m.end(),
                            bound=_bound(text[max(0, m.start() - 25):m.start()]),
                            forecast=bool(_FORECAST.search(lead)),
                            window=head in _TIME_UNITS and bool(_WINDOW.search(text[max(0, m.start() - 20):
                                                                                     m.start()]))))
    return out


def role(text: str, q: Quantity, width: int = 4) -> set[str]:
    """The content words around a quantity (``width`` tokens before it and after its noun), stemmed:
    what is counted and how ("jobs lost to the pandemic" -> {lost, pandemic}). Names are left out: they
    say what the story is about, not what the number counts."""
    before = TOKEN.findall(text[max(0, q.start - 80):q.start])[-width:]
    after = [w for w in TOKEN.findall(text[q.end:q.end + 80]) if w.lower() not in _SCALE][:width + 1]
    return {stem(w) for w in before + after
            if len(w) > 2 and w[0].islower() and w.lower() not in _NOT_ROLE} - {q.head}


def _casualty(text: str, q: Quantity) -> str | None:
    """"death" or "harm" from the casualty word nearest the number ("killed 50" / "50 people were shot")."""
    best: tuple[int, str] | None = None
    for m in TOKEN.finditer(text, max(0, q.start - 60), min(len(text), q.end + 60)):
        w = m.group().lower()
        kind = "death" if w in _DEATH else "harm" if w in _HARM else None
        if kind is None:
            continue
        dist = len(TOKEN.findall(text[m.end():q.start])) if m.end() <= q.start else len(
            TOKEN.findall(text[q.end:m.start()]))
        if best is None or dist < best[0]:
            best = (dist, kind)
    return best[1] if best else None


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


def _number_value(raw: str) -> float:
    raw = raw.lower()
    return float(NUMBER_WORDS[raw]) if raw in NUMBER_WORDS else float(raw)


def stated_values(text: str, qs: list[Quantity]) -> set[float]:
    """Every value the sentence states in some form: its quantities, ordinals ("the 58th day"), sums of
    two of its figures of one magnitude (a breakdown: "2.5 million ... and 1.5 million") and durations in months
    ("three years, four months" = 40)."""
    vals = {q.value for q in qs} | {float(m.group(1)) for m in _ORDINAL.finditer(text)}
    vals |= {x.value + y.value for i, x in enumerate(qs) for y in qs[i + 1:]
             if max(x.value, y.value) <= 10 * min(x.value, y.value)}
    vals |= {12 * _number_value(m.group("y")) + _number_value(m.group("m")) for m in _DURATION.finditer(text)}
    return vals


def same_figure(x: Quantity, y: Quantity, a: str, b: str) -> bool:
    """``x`` in ``a`` and ``y`` in ``b`` count one thing in one role (so different values conflict)."""
    if x.head != y.head or x.forecast or y.forecast or x.window or y.window:
        return False
    ka, kb = _casualty(a, x), _casualty(b, y)
    if ka and kb and ka != kb:
        return False  # "four people were killed" / "five people were shot": two counts
    return bool(role(a, x) & role(b, y))


def number_conflict_spans(a: str, b: str) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """The spans of one figure given with two values that no single value satisfies ("at least 63" /
    "as many as 50", "30 million" / "more than 37 million"), each absent from the other sentence; a value
    and its rounding ("$1.37 trillion" / "$1.4 trillion") do not conflict."""
    qa, qb = quantities(a), quantities(b)
    vals_a, vals_b = stated_values(a, qa), stated_values(b, qb)
    for x in qa:
        for y in qb:
            ix, iy = x.interval(), y.interval()
            if ix is None or iy is None or (ix[0] <= iy[1] and iy[0] <= ix[1]):
                continue  # too vague to compare, or the two allow a common value
            if x.value in vals_b or y.value in vals_a or _rounded(x, y, a, b):
                continue
            if not same_figure(x, y, a, b):
                continue
            if sum(q.head == x.head for q in qa) > 1 or sum(q.head == y.head for q in qb) > 1:
                continue  # several counts of one noun (a breakdown): not one figure against another
            return (x.start, x.end), (y.start, y.end)
    return None
