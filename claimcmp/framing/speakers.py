"""Speaker phrases: which words may form the speaker of a reporting verb, and where that phrase is.

No part-of-speech tagger is used. A phrase is a speaker when it is a pronoun, or (strict check) made of
capitalised words, numbers, determiners, a few prepositions and the role nouns of :data:`ROLE_WORDS`
("spokesman", "source", "ministry", ...); or (loose check, for short phrases) free of auxiliaries, verb
forms in -ed / -ing, subordinators and other clause words. Both need an anchor: a name or a role noun.
"""

from __future__ import annotations

import re

from claimcmp.framing._text import Span

PRONOUNS = frozenset({"he", "she", "they", "it", "we", "i"})
SUBORDINATORS = frozenset({"as", "while", "when", "because", "since", "although", "though", "after", "before", "if",
                           "whereas", "where", "once", "until", "unless", "that", "which", "who", "whom"})
COORDINATORS = frozenset({"but", "and", "yet", "so"})
DETS = frozenset({"the", "a", "an", "his", "her", "its", "their", "our", "this", "that", "these", "those", "one",
                  "another", "some", "both", "two", "three", "four", "five", "several", "many", "other", "each",
                  "any", "most", "all"})
PREPS = frozenset({"of", "from", "in", "for", "to", "at", "with", "on", "close", "near", "within", "and", "&", "by"})
#: Lower-case words a speaker phrase may contain besides names: roles, bodies, titles and their modifiers.
ROLE_WORDS = frozenset("""
source sources spokesman spokeswoman spokesperson minister ministry ministers official officials statement statements
president presidency prime premier king queen leader leaders chief head secretary envoy ambassador diplomat diplomats
negotiator negotiators delegation delegate delegates representative representatives mediator council committee
coalition alliance office department embassy communique document letter counterpart journalist journalists reporter
reporters correspondent people person man woman witness witnesses resident residents activist activists observer
observers expert experts analyst analysts police rebels rebel militants militant fighters forces force troops
soldiers officer officers commander commanders monitor monitors group groups organization organizations organisation
organisations agency agencies media newspaper outlet channel television tv radio report reports aide aides adviser
advisers advisor advisors lawmaker lawmakers senator mp government regime army military authorities doctor doctors
medic medics staff worker workers member members party parties side sides country countries state states nation
nations opposition faction factions camp talks peace human rights watchdog observatory center centre institute
researcher researchers professor news familiar matter situation plans negotiations foreign senior top former deputy
general defense defence interior press political local western eastern regional international national independent
unnamed anonymous armed high ranking high-ranking state-run affairs security intelligence justice health federal
central supreme united joint presidential royal
""".split())
INTRO_WORDS = frozenset({"in", "on", "at", "during", "after", "before", "when", "while", "however", "meanwhile",
                         "speaking", "asked", "yesterday", "earlier", "later", "separately", "also", "but", "and",
                         "then", "moreover", "still", "since", "with", "following", "today", "last", "this"})
_BLOCK = frozenset({"is", "are", "was", "were", "be", "been", "being", "am", "has", "have", "had", "do", "does", "did",
                    "will", "would", "can", "could", "shall", "should", "may", "might", "must", "not", "no", "never",
                    "there", "here", "him", "them", "us", "me", "what", "why", "how", "than", "then", "very",
                    "just", "only", "even", "amid", "despite", "against", "into", "through", "over", "under",
                    "without", "during", "about", "across"}) | SUBORDINATORS | COORDINATORS - {"and"}
_LY_NOUNS = frozenset({"family", "ally", "assembly", "daily", "rally", "supply", "monopoly", "anomaly", "italy"})
RELATIVE_WORDS = frozenset({"that", "which", "who", "whom", "whose"})
RELATIVE = re.compile(r"\s+(?:(?:that|who|which|whose|whom)\s|[a-z]+ed\s+(?:by|in|at|from|with|to|on)\s)")
_NAME_PARTICLE = re.compile(r"^(?:al|el|ad|as|ash|ar|bin|ibn|abu|de|da|di|du|van|von|der|la|le)(?:-\w+)?$")
_COMPOUND_ADJ = re.compile(r"^[\w.]+-(?:backed|based|led|linked|affiliated|run|owned|funded|sponsored)$")
TRAILING_ADJUNCTS = re.compile(
    r"(?:[\s,]+(?:has|have|had|also|earlier|previously|later|again|once again|then|now|further|repeatedly"
    r"|reportedly|recently|yesterday|today|separately|publicly|privately|himself|herself|themselves|itself"
    r"|however|meanwhile|too|instead|still|already|first|(?!(?:" + "|".join(sorted(_LY_NOUNS)) + r")\b)[a-z]+ly"
    r"|on (?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)|at the time|in a statement"
    r"|last (?:week|month|year|night)|this (?:week|month|year)))+\s*$"
)


def _tokens(phrase: str) -> list[str]:
    head = RELATIVE.split(" " + phrase.strip() + " ", maxsplit=1)[0].strip()
    return [t for t in (t.strip(".,;:()[]“”\"'‘’") for t in head.split()) if t]


def is_speaker_phrase(phrase: str, loose: bool = True) -> bool:
    """Whether ``phrase`` (a trailing relative clause is ignored) looks like a speaker; see the module doc."""
    tokens = _tokens(phrase)
    if not tokens or len(tokens) > 12:
        return False
    if len(tokens) == 1 and tokens[0].lower() in PRONOUNS:
        return True
    low = [t.lower() for t in tokens]
    if low[0] in PREPS | SUBORDINATORS | COORDINATORS or low[-1] in DETS | PREPS:
        return False
    anchor, strict_ok = False, True
    for i, (tok, w) in enumerate(zip(tokens, low)):
        if tok[0].isupper() or tok[0].isdigit():
            anchor = anchor or not (i == 0 and w in DETS)
        elif _NAME_PARTICLE.match(w) or _COMPOUND_ADJ.match(w):
            anchor = anchor or "-" in w
        elif w in ROLE_WORDS:
            anchor = True
        elif w not in DETS and w not in PREPS:
            strict_ok = False
    if strict_ok:
        return anchor
    last = tokens[-1]
    if not loose or len(tokens) > 7 or not anchor or not (last[0].isupper() or last[0].isdigit()
                                                          or low[-1] in ROLE_WORDS):
        return False
    for w in low:
        if w in _BLOCK or w in PRONOUNS:
            return False
        if w not in ROLE_WORDS and not _COMPOUND_ADJ.match(w) and (
                w.endswith(("ed", "ing")) or (w.endswith("ly") and w not in _LY_NOUNS)):
            return False
    return True


def display_span(phrase_start: int, phrase: str) -> Span:
    """Offsets of a speaker phrase without a trailing relative clause ("the source that saw ...")."""
    m = RELATIVE.search(phrase)
    core = (phrase[: m.start()] if m else phrase).rstrip(" ,;:.")
    lead = len(core) - len(core.lstrip())
    return phrase_start + lead, phrase_start + len(core)


def left_boundary(text: str, end: int, quotes: list[Span]) -> tuple[int, str]:
    """Start of the clause chunk ending at ``end`` and the boundary kind ('start', 'punct' or 'quote')."""
    best, kind = 0, "start"
    for i in range(end - 1, -1, -1):
        if text[i] in ",;:()[]—–":
            best, kind = i + 1, "punct"
            break
    for _, qe in quotes:
        if best < qe <= end:
            best, kind = qe, "quote"
    return best, kind


def _paren_start(text: str, end: int) -> int:
    """If ``text[:end]`` ends with a parenthesis ("... Rights (SOHR)"), where it opens; else ``end``."""
    stripped = text[:end].rstrip()
    if stripped.endswith(")"):
        i = stripped.rfind("(")
        if i > 0:
            return i
    return end


def left_speaker(text: str, verb_start: int, quotes: list[Span]) -> tuple[int, int, str, bool] | None:
    """The speaker phrase before a verb as (start, end, clause, after_boundary), or None.

    ``clause`` is 'main', 'adverbial' (after "as", "while", ...) or 'relative' (after "which", "that",
    "who": "in which rebel forces claimed").

    Skips trailing adjuncts ("has", "also", "on Saturday"), one appositive between commas ("Putin and
    Assad, who held a call, stressed"; "X, a rebel group, told"), takes a name in apposition ("the
    deputy chief, Khalil al-Hayya, told"), and cuts after a subordinator or
    coordinator when the whole chunk is no speaker ("as the Serbian Foreign Ministry confirmed").
    """
    m = TRAILING_ADJUNCTS.search(text[:verb_start])
    end = m.start() if m else len(text[:verb_start].rstrip())
    start, kind = left_boundary(text, _paren_start(text, end), quotes)
    if not text[start:end].strip() and kind == "punct" and start > 0:
        prev, _ = left_boundary(text, start - 1, quotes)
        if re.match(r"\s*(?:who|which|whose|whom|an?|the)\b", text[prev:start - 1]) and prev > 0:
            end = prev - 1  # skip an appositive: "Putin and Assad, who held a call, stressed"
            start, kind = left_boundary(text, _paren_start(text, end), quotes)
        elif prev > 0 and is_speaker_phrase(text[prev:start - 1], loose=False):
            start, end = prev, start - 1  # a name in apposition: "the deputy chief, Khalil al-Hayya, told"
    chunk = text[start:end]
    if chunk.strip() and is_speaker_phrase(chunk):
        return start, end, "main", kind != "start"
    cuts = [c for c in re.finditer(r"\b(\w+)\s+", chunk) if c.group(1).lower() in SUBORDINATORS | COORDINATORS]
    for cut in reversed(cuts):
        sub = chunk[cut.end():]
        if is_speaker_phrase(sub) and not RELATIVE.search(" " + sub):
            word = cut.group(1).lower()
            how = "relative" if word in RELATIVE_WORDS else "adverbial" if word in SUBORDINATORS else "main"
            return start + cut.end(), end, how, False
    return None


def right_speaker(text: str, verb_end: int) -> Span | None:
    """The speaker after an inverted verb ('“...,” said Alloush, who ...'), or None."""
    m = re.match(r"\s*([^,.;:!?”\"]+)", text[verb_end:])
    if not m:
        return None
    start = verb_end + m.start(1)
    chunk = RELATIVE.split(" " + m.group(1) + " ", maxsplit=1)[0].strip()
    words = chunk.split()
    while words:
        phrase = " ".join(words)
        if is_speaker_phrase(phrase, loose=False) and (phrase[0].isupper() or words[0].lower() in DETS):
            return start, start + len(phrase)
        words = words[:-1]
    return None


def starts_with_intro(text: str) -> bool:
    """Whether ``text`` opens with an adverbial word ("In", "However", "During", "When", ...)."""
    first = text.lstrip().split(" ", 1)[0].lower().strip(",")
    return first in INTRO_WORDS


def clause_start(text: str) -> int:
    """Where the main clause begins: after a leading adverbial ("In Moscow, ...", "However, ...")."""
    if starts_with_intro(text) and "," in text:
        return text.index(",") + 1
    return 0


def subject_prefix(text: str, start: int, end: int) -> Span | None:
    """The longest strictly valid speaker phrase at the start of ``text[start:end]`` (a clause subject)."""
    words = list(re.finditer(r"\S+", text[start:end]))
    best: Span | None = None
    for k in range(1, min(len(words), 10) + 1):
        s, e = start + words[0].start(), start + words[k - 1].end()
        if is_speaker_phrase(text[s:e], loose=False):
            best = (s, e)
    return best
