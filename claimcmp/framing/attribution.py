"""Who said it: the speaker, reporting verb and mode (direct quote, indirect, own voice) of each sentence.

Rule-based (no trained model): quotation marks are found by :func:`claimcmp.framing._text.quote_spans`,
reporting verbs by a curated list (:data:`REPORTING_VERBS`), and the speaker is the noun phrase next to
the verb, checked by a small grammar of what a speaker phrase may contain (names, titles, role nouns).
See docs/guide/framing.md for the rules, the measured precision and the known limits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

import pandas as pd

from claimcmp.framing._text import Span, conform_frame, nonspace, outlet_categories, overlap_chars, quote_spans
from claimcmp.framing.speakers import (
    DETS,
    PRONOUNS,
    ROLE_WORDS,
    clause_start,
    display_span,
    is_speaker_phrase,
    left_speaker,
    right_speaker,
    starts_with_intro,
    subject_prefix,
)

#: lemma -> finite forms counted as a reporting verb (participles such as "saying" are not: they have no
#: subject of their own). Extend by adding entries; forms must be lower case.
REPORTING_VERBS: dict[str, tuple[str, ...]] = {
    "say": ("said", "says", "say"), "tell": ("told", "tells"), "state": ("stated", "states"),
    "add": ("added", "adds"), "note": ("noted", "notes"), "stress": ("stressed", "stresses"),
    "claim": ("claimed", "claims"), "emphasize": ("emphasized", "emphasised", "emphasizes", "emphasises"),
    "assert": ("asserted", "asserts"), "affirm": ("affirmed", "affirms"), "reaffirm": ("reaffirmed",),
    "point out": ("pointed out", "points out"), "announce": ("announced", "announces"),
    "confirm": ("confirmed", "confirms"), "urge": ("urged", "urges"), "accuse": ("accused", "accuses"),
    "insist": ("insisted", "insists"), "argue": ("argued", "argues"), "warn": ("warned", "warns"),
    "explain": ("explained", "explains"), "declare": ("declared", "declares"),
    "report": ("reported", "reports"),
    "deny": ("denied", "denies"), "admit": ("admitted", "admits"), "reiterate": ("reiterated", "reiterates"),
    "write": ("wrote", "writes"), "tweet": ("tweeted",), "suggest": ("suggested",),
    "acknowledge": ("acknowledged", "acknowledges"), "allege": ("alleged", "alleges"),
    "believe": ("believes",), "hope": ("hoped", "hopes"), "voice": ("voiced",), "ask": ("asked",),
    "complain": ("complained",), "reply": ("replied",), "mention": ("mentioned",), "comment": ("commented",),
    "remark": ("remarked",), "indicate": ("indicated",), "predict": ("predicted",), "estimate": ("estimated",),
    "concede": ("conceded",), "underline": ("underlined",), "underscore": ("underscored",),
    "highlight": ("highlighted",), "continue": ("continued",), "call": ("called", "calls"),
    "clarify": ("clarified", "clarifies"), "elaborate": ("elaborated",), "reveal": ("revealed", "reveals"),
    "disclose": ("disclosed",), "describe": ("described", "describes"), "express": ("expressed",),
    "recall": ("recalled",), "promise": ("promised",), "vow": ("vowed", "vows"), "pledge": ("pledged",),
    "demand": ("demanded",), "propose": ("proposed",),
}
#: Verbs that report speech only right after a quotation ('“...,” he continued'), elsewhere they do not.
QUOTE_ONLY_VERBS = frozenset({"continue"})

MODES = ["direct_quote", "indirect", "own_voice"]
#: participle -> lemma: ", saying ..." attributes to the subject of the main clause.
PARTICIPLES = {"saying": "say", "adding": "add", "telling": "tell", "noting": "note", "stressing": "stress",
               "insisting": "insist", "warning": "warn", "explaining": "explain", "arguing": "argue",
               "stating": "state", "asserting": "assert", "declaring": "declare", "calling": "call",
               "vowing": "vow", "urging": "urge", "describing": "describe"}
_PASSIVE_AUX = re.compile(r"\b(?:is|are|was|were|be|been|being|get|got)\s+(?:\w+ly\s+)?$", re.IGNORECASE)
_NOT_REPORTING = re.compile(r"^\s+(?:(?:the\s+)?lives?|responsibility|off|up|of)\b", re.IGNORECASE)
_PARTICIPLE_RE = re.compile(r",\s+(" + "|".join(PARTICIPLES) + r")\b")
_ACCORDING = re.compile(r"\b[Aa]ccording to\s+")
_AGENTLESS = re.compile(
    r"\b(?:[Ii]t|[Tt]his)\s+(?:is|was|has been|had been|is being)\s+(?P<verb>said|noted|reported|believed|confirmed"
    r"|claimed|understood|alleged|thought|stressed|announced|stated|argued|feared|expected)\b"
    r"|\b(?:is|are|was|were)\s+(?P<verb2>said|reported|believed|thought|alleged|understood)\s+to\b"
)
_FORM_TO_LEMMA = {form: lemma for lemma, forms in REPORTING_VERBS.items() for form in forms}
_VERB_RE = re.compile(r"(?<![\w-])(?:" + "|".join(sorted((re.escape(f) for f in _FORM_TO_LEMMA), key=len, reverse=True))
                      + r")\b")
_AGENTLESS_LEMMA = {"said": "say", "noted": "note", "reported": "report", "believed": "believe",
                    "confirmed": "confirm", "claimed": "claim", "understood": "understand", "alleged": "allege",
                    "thought": "think", "stressed": "stress", "announced": "announce", "stated": "state",
                    "argued": "argue", "feared": "fear", "expected": "expect"}
_CLOSE_QUOTES = "”\"’'"


@dataclass(frozen=True)
class Attribution:
    """The attribution of one sentence, offsets relative to the sentence (``speaker_start`` ...)."""

    speaker: str | None = None
    speaker_start: int | None = None
    speaker_end: int | None = None
    reporting_verb: str | None = None
    mode: str = "own_voice"
    speaker_resolved: bool = False
    mention: str | None = None
    other_speakers: tuple[str, ...] = ()
    quote_share: float = 0.0
    kind: str = "none"  # finite, inverted, subordinate, relative, participle, according_to, agentless, none
    after_boundary: bool = False
    region: Span = (0, 0)


# --- one sentence -------------------------------------------------------------------------------

def _quote_share(text: str, quotes: list[Span], region: Span, others: list[Span]) -> float:
    """Share of the sentence's content that lies inside quotation marks.

    Content is the sentence minus the attribution clause and any "according to X"; a leading adverbial ("In Moscow,")
    before a sentence-initial speaker is not content either, and neither is what follows a clause-final
    attribution when no quotation follows it ('..., the source said in a statement on Monday.').
    """
    rs, re_ = region
    n = len(text)
    head_has_q = overlap_chars(quotes, 0, rs, text) > 0
    tail_has_q = overlap_chars(quotes, re_, n, text) > 0
    head = text[:rs].rstrip()
    if not head_has_q and (rs <= clause_start(text) or (starts_with_intro(head) and head.endswith(","))):
        parts = [(re_, n)]
    elif not tail_has_q and nonspace(text, 0, rs) >= 12:
        parts = [(0, rs)]
    else:
        parts = [(0, rs), (re_, n)]
    mask = [False] * n
    for s, e in parts:
        mask[s:e] = [True] * (e - s)
    for s, e in others:
        mask[s:e] = [False] * (e - s)
    quoted = [False] * n
    for s, e in quotes:
        quoted[s:e] = [True] * (e - s)
    total = sum(1 for i, c in enumerate(text) if mask[i] and not c.isspace())
    inq = sum(1 for i, c in enumerate(text) if mask[i] and quoted[i] and not c.isspace())
    return inq / total if total else 0.0


def _find(text: str, quotes: list[Span]) -> list[Attribution]:
    """Every attribution clause in the sentence (finite, inverted, subordinate, participle, ...)."""
    found: list[Attribution] = []
    in_quote = lambda i: any(s <= i < e for s, e in quotes)  # noqa: E731
    for m in _VERB_RE.finditer(text):
        lemma = _FORM_TO_LEMMA[m.group()]
        if in_quote(m.start()) or _PASSIVE_AUX.search(text[:m.start()]) or _NOT_REPORTING.match(text[m.end():]):
            continue
        pre = text[:m.start()].rstrip()
        if lemma in QUOTE_ONLY_VERBS and not re.search(r"[”\"’'][,.]?\s*\S[^,;:]*$", pre):
            continue
        left = left_speaker(text, m.start(), quotes)
        if left is not None:
            s, e, clause, boundary = left
            ds, de = display_span(s, text[s:e])
            kind = {"main": "finite", "adverbial": "subordinate", "relative": "relative"}[clause]
            found.append(Attribution(speaker=text[ds:de], speaker_start=ds, speaker_end=de, reporting_verb=lemma,
                                     kind=kind, after_boundary=boundary,
                                     region=(s, m.end())))
        elif lemma != "tell" and pre and (pre[-1] in _CLOSE_QUOTES or pre.endswith(("”,", '",', "’,", "',", ","))):
            right = right_speaker(text, m.end())
            if right is not None:
                found.append(Attribution(speaker=text[right[0]:right[1]], speaker_start=right[0],
                                         speaker_end=right[1], reporting_verb=lemma, kind="inverted",
                                         after_boundary=True, region=(m.start(), right[1])))
    for m in _PARTICIPLE_RE.finditer(text):
        subj = None if in_quote(m.start()) else subject_prefix(text, clause_start(text), m.start())
        if subj is not None:
            found.append(Attribution(speaker=text[subj[0]:subj[1]], speaker_start=subj[0], speaker_end=subj[1],
                                     reporting_verb=PARTICIPLES[m.group(1)], kind="participle",
                                     region=(m.start(1), m.end(1))))
    for m in _ACCORDING.finditer(text):
        np_m = None if in_quote(m.start()) else re.match(r"[^,;:]+", text[m.end():])
        if np_m:
            phrase = np_m.group().rstrip(" .")
            region = (m.start(), m.end() + len(phrase))
            if is_speaker_phrase(phrase):
                ds, de = display_span(m.end(), phrase)
                found.append(Attribution(speaker=text[ds:de], speaker_start=ds, speaker_end=de,
                                         reporting_verb="according to", kind="according_to", region=region))
            else:  # "according to a post on X by ...": attributed, but to no speaker phrase
                found.append(Attribution(reporting_verb="according to", kind="according_to", region=region))
    for m in _AGENTLESS.finditer(text):
        if not in_quote(m.start()):
            verb = m.group("verb") or m.group("verb2")
            found.append(Attribution(reporting_verb=_AGENTLESS_LEMMA.get(verb, verb), kind="agentless",
                                     region=(m.start(), m.end())))
    return found


def attribute_sentence(text: str) -> Attribution:
    """Attribution of one sentence on its own (no pronoun resolution, no quote continuation).

    The main attribution is the first finite reporting clause ("Lavrov said that ..."), replaced by a
    later clause-final one (", the Kremlin said."); failing those a subordinate one ("as the ministry
    confirmed"), then ", saying ..." (speaker = the clause subject), "according to X", and agentless
    "it was noted that". Mode is ``direct_quote`` when at least half of the content is quoted.
    """
    quotes = quote_spans(text)
    found = _find(text, quotes)
    main = _choose(found)
    if main is None:
        return Attribution(quote_share=_quote_share(text, quotes, (0, 0), []))
    share = _quote_share(text, quotes, main.region, [a.region for a in found
                                                     if a is not main and a.kind == "according_to"])
    others = tuple(dict.fromkeys(a.speaker for a in found if a.speaker and a.speaker != main.speaker))
    return replace(main, quote_share=share, mode="direct_quote" if share >= 0.5 else "indirect",
                   other_speakers=others)


def _choose(found: list[Attribution]) -> Attribution | None:
    """The main attribution among those found (see :func:`attribute_sentence`)."""
    main: Attribution | None = None
    for a in sorted((a for a in found if a.kind in ("finite", "inverted")), key=lambda a: a.region[0]):
        if main is None or a.after_boundary:
            main = a
    if main is not None:
        return main
    for kind in ("subordinate", "participle", "according_to", "agentless"):
        cands = [a for a in found if a.kind == kind]
        if cands:
            return min(cands, key=lambda a: a.region[0])
    return None


def _has_name(speaker: str) -> bool:
    """Whether a speaker phrase contains a proper name (a capitalised word that is not a title or role)."""
    return any(t[:1].isupper() and t.lower().strip(".,") not in ROLE_WORDS and not (i == 0 and t.lower() in DETS)
               for i, t in enumerate(speaker.split()))


def _antecedent(history: list[tuple[str, int, int]]) -> tuple[str, int, int] | None:
    """What a pronoun refers to: the last speaker; a bare description ("The Minister") is replaced by the
    latest earlier speaker with a name whose words include the description's head noun."""
    if not history:
        return None
    last = history[-1]
    if _has_name(last[0]):
        return last
    head = last[0].split()[-1].lower()
    for cand in reversed(history[:-1]):
        if _has_name(cand[0]) and head in {w.lower() for w in cand[0].split()}:
            return cand
    return last


# --- a whole table ------------------------------------------------------------------------------

ATTRIBUTION_COLUMNS = {
    "sentence_id": "string", "article_id": "string", "outlet": "category", "speaker": "string",
    "speaker_start": "Int64", "speaker_end": "Int64", "reporting_verb": "string", "mode": "category",
    "speaker_resolved": "bool", "mention": "string", "other_speakers": "string", "quote_share": "float64",
}


def attribution_table(sentences: pd.DataFrame, min_quote_share: float = 0.5) -> pd.DataFrame:
    """One row per sentence: speaker (article offsets), reporting verb lemma, mode, and resolution flags.

    Pronoun speakers ("he said") resolve to the last named speaker earlier in the same article; a sentence
    with no attribution of its own that is mostly a quotation (``quote_share >= min_quote_share``) right
    after a sentence with a speaker continues that speaker's quote; a sentence starting in lower case (a
    segmentation fragment) continues the previous sentence. Both set ``speaker_resolved``.
    """
    rows = []
    df = sentences.sort_values(["article_id", "position"])
    history: dict[str, list[tuple[str, int, int]]] = {}
    prev: dict[str, tuple[int, dict[str, object]]] = {}
    for sid, aid, outlet, pos, cs, text in zip(df["sentence_id"], df["article_id"], df["outlet"], df["position"],
                                               df["char_start"], df["text"]):
        a = attribute_sentence(str(text))
        row: dict[str, object] = {
            "sentence_id": sid, "article_id": aid, "outlet": outlet, "speaker": a.speaker,
            "speaker_start": None if a.speaker_start is None else int(cs) + a.speaker_start,
            "speaker_end": None if a.speaker_end is None else int(cs) + a.speaker_end,
            "reporting_verb": a.reporting_verb, "mode": a.mode, "speaker_resolved": False, "mention": a.speaker,
            "other_speakers": "; ".join(a.other_speakers) or None, "quote_share": round(a.quote_share, 4),
        }
        p = prev.get(aid)
        adjacent = p is not None and p[0] == int(pos) - 1
        antecedent = _antecedent(history.get(aid, []))
        if a.speaker and a.speaker.lower() in PRONOUNS and antecedent is not None:
            row.update(speaker=antecedent[0], speaker_start=antecedent[1], speaker_end=antecedent[2],
                       speaker_resolved=True)
        elif a.kind == "none" and adjacent and p is not None and p[1]["speaker"] is not None:
            fragment = str(text)[:1].islower()
            if fragment or a.quote_share >= min_quote_share:
                row.update({k: p[1][k] for k in ("speaker", "speaker_start", "speaker_end")},
                           mode=p[1]["mode"] if fragment else "direct_quote", speaker_resolved=True, mention=None)
        if a.speaker and a.speaker_start is not None and a.speaker_end is not None \
                and a.speaker.lower() not in PRONOUNS:
            history.setdefault(aid, []).append((a.speaker, int(cs) + a.speaker_start, int(cs) + a.speaker_end))
        prev[aid] = (int(pos), row)
        rows.append(row)
    out = pd.DataFrame(rows, columns=list(ATTRIBUTION_COLUMNS))
    order = dict(zip(sentences["sentence_id"], range(len(sentences))))
    out = out.sort_values("sentence_id", key=lambda col: col.map(order))
    return conform_frame(out, ATTRIBUTION_COLUMNS, {"mode": MODES, "outlet": outlet_categories(sentences)})
