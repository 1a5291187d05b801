"""Hedging and certainty markers per sentence, from a documented lexicon (:data:`HEDGE_LEXICON`).

A sentence is ``hedged`` when it contains at least one marker of epistemic distance or uncertainty:
an evidential ("reportedly", "according to", "is said to"), a distancing reporting verb ("claimed",
"alleged", "accuses"), an epistemic modal ("may", "might", "could", "possibly", "unlikely") or an
explicit uncertainty word ("unconfirmed", "unclear"). Otherwise it is ``asserted``. Markers inside
quotations count too (they hedge the quoted speaker's claim); ``n_in_quote`` says how many.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import pandas as pd

from claimcmp.framing._text import conform_frame, inside, outlet_categories, quote_spans

CERTAINTY = ["hedged", "asserted"]

#: kind -> regular expressions (matched case-insensitively unless they start with ``(?-i:``). Each entry
#: is one marker; the lower-cased matched text is reported. Extend with ``hedging_table(..., extra=...)``.
HEDGE_LEXICON: dict[str, tuple[str, ...]] = {
    # the writer passes the claim on from someone else, or signals second-hand knowledge
    "evidential": (
        r"reportedly", r"allegedly", r"apparently", r"purportedly", r"supposedly", r"seemingly", r"ostensibly",
        r"according to", r"(?:is|are|was|were) (?:said|believed|thought|understood|reported|rumou?red) to",
        r"it is (?:believed|thought|understood|said|claimed|alleged)", r"reports (?:say|said|suggest)",
    ),
    # reporting verbs that present the content as a contestable claim rather than a fact
    "distancing_verb": (
        r"claim(?:s|ed|ing)(?! (?:the )?lives?\b)(?! responsibility)(?! of\b)", r"alleg(?:e|es|ed|ing)",
        r"accus(?:e|es|ed|ing)",
    ),
    # epistemic modals and adverbs (lower-case "may" only, so the month is not a marker)
    "modal": (
        r"(?-i:may)", r"might", r"could(?! not be reached)", r"possibly", r"perhaps", r"probably", r"likely",
        r"unlikely", r"(?:appears?|appeared|seems?|seemed) to", r"(?:is|are|was|were) expected to",
        r"(?:I|we) (?:think|guess|believe|suppose|assume)",
    ),
    # explicit statements that something is not established
    "uncertainty": (
        r"unconfirmed", r"unverified", r"unclear", r"not (?:yet )?clear", r"uncertain", r"rumou?rs?",
        r"suspected", r"could not be (?:independently )?verified",
    ),
}

HEDGING_COLUMNS = {"sentence_id": "string", "article_id": "string", "outlet": "category", "markers": "string",
                   "kinds": "string", "n_markers": "int64", "n_in_quote": "int64", "certainty": "category"}


def _compile(lexicon: Mapping[str, Sequence[str]]) -> list[tuple[str, re.Pattern[str]]]:
    out = []
    for kind, patterns in lexicon.items():
        for p in patterns:
            flags = 0 if p.startswith("(?-i") else re.IGNORECASE
            out.append((kind, re.compile(rf"(?<![\w-])(?:{p})(?![\w-])", flags)))
    return out


def find_markers(text: str, lexicon: Mapping[str, Sequence[str]] | None = None) -> list[tuple[str, str, int, int]]:
    """Hedging markers in ``text`` as ``(kind, marker, start, end)``, in order, without overlaps."""
    hits: list[tuple[int, int, str, str]] = []
    for kind, rx in _compile(HEDGE_LEXICON if lexicon is None else lexicon):
        for m in rx.finditer(text):
            hits.append((m.start(), -m.end(), kind, m.group().lower()))
    out: list[tuple[str, str, int, int]] = []
    last_end = -1
    for start, neg_end, kind, marker in sorted(hits):
        if start >= last_end:
            out.append((kind, re.sub(r"\s+", " ", marker), start, -neg_end))
            last_end = -neg_end
    return out


def hedging_table(sentences: pd.DataFrame, extra: Mapping[str, Sequence[str]] | None = None) -> pd.DataFrame:
    """One row per sentence: markers ('; '-joined), their kinds, counts, and ``certainty``.

    ``extra`` adds patterns to :data:`HEDGE_LEXICON` (same shape: kind -> regexes).
    """
    lexicon: dict[str, tuple[str, ...]] = dict(HEDGE_LEXICON)
    for kind, pats in (extra or {}).items():
        lexicon[kind] = (*lexicon.get(kind, ()), *pats)
    rows = []
    for sid, aid, outlet, text in zip(sentences["sentence_id"], sentences["article_id"], sentences["outlet"],
                                      sentences["text"]):
        text = str(text)
        found = find_markers(text, lexicon)
        quotes = quote_spans(text)
        rows.append({
            "sentence_id": sid, "article_id": aid, "outlet": outlet,
            "markers": "; ".join(m for _, m, _, _ in found), "kinds": "; ".join(k for k, _, _, _ in found),
            "n_markers": len(found), "n_in_quote": sum(inside(quotes, s, e) for _, _, s, e in found),
            "certainty": "hedged" if found else "asserted",
        })
    out = pd.DataFrame(rows, columns=list(HEDGING_COLUMNS))
    return conform_frame(out, HEDGING_COLUMNS, {"certainty": CERTAINTY, "outlet": outlet_categories(sentences)})
