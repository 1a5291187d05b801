"""Which words each outlet chose: lexicon matches, outlet x term tables, and wording per shared claim."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from claimcmp.framing._text import conform_frame, inside, outlet_categories, quote_spans, stop_words, tokenizer
from claimcmp.framing.lexicon import Lexicon

TERMS_COLUMNS = {
    "sentence_id": "string", "article_id": "string", "outlet": "category", "claim_id": "int64", "group": "string",
    "term": "string", "canonical": "string", "char_start": "int64", "char_end": "int64", "text": "string",
    "in_quote": "bool",
}
TERM_TABLE_COLUMNS = {
    "group": "string", "canonical": "string", "term": "string", "outlet": "category", "count": "int64",
    "n_in_quote": "int64", "n_sentences": "int64", "sentence_ids": "string",
}
CLAIM_WORDING_COLUMNS = {
    "claim_id": "int64", "outlet": "category", "n_outlets": "int64", "n_sentences": "int64",
    "sentence_ids": "string", "terms": "string", "distinctive_terms": "string", "distinctive_words": "string",
    "shared_words": "string",
}


def _cast(df: pd.DataFrame, columns: dict[str, str], outlets: list[str]) -> pd.DataFrame:
    out: pd.DataFrame = conform_frame(df, columns, {"outlet": outlets})
    return out


def terms_table(sentences: pd.DataFrame, lexicon: Lexicon) -> pd.DataFrame:
    """One row per lexicon match inside a kept sentence; offsets are into the article text.

    ``term`` is the lexicon variant that matched, ``canonical`` the label it counts towards, ``text`` the
    words exactly as in the article, ``in_quote`` whether they stand inside quotation marks (a quoted
    speaker's word rather than the outlet's own).
    """
    rows = []
    for sid, aid, outlet, claim, cs, text in zip(sentences["sentence_id"], sentences["article_id"],
                                                 sentences["outlet"], sentences["claim_id"],
                                                 sentences["char_start"], sentences["text"]):
        text = str(text)
        quotes = quote_spans(text)
        for t in lexicon.match(text):
            rows.append({"sentence_id": sid, "article_id": aid, "outlet": outlet, "claim_id": claim,
                         "group": t.group, "term": t.term, "canonical": t.canonical,
                         "char_start": int(cs) + t.start, "char_end": int(cs) + t.end, "text": t.text,
                         "in_quote": inside(quotes, t.start, t.end)})
    return _cast(pd.DataFrame(rows, columns=list(TERMS_COLUMNS)), TERMS_COLUMNS, outlet_categories(sentences))


def term_table(terms: pd.DataFrame) -> pd.DataFrame:
    """Long outlet x term counts: one row per (group, canonical, term, outlet) that occurs.

    ``count`` matches, ``n_in_quote`` of them inside quotation marks, ``n_sentences`` distinct sentences,
    ``sentence_ids`` those sentences ('; '-joined, in text order). Outlets that never use a term have no
    row; :func:`term_matrix` gives the wide table with zeros.
    """
    outlets = outlet_categories(terms)
    rows = []
    keys = ["group", "canonical", "term", "outlet"]
    if len(terms):
        for key, g in terms.groupby(keys, observed=True, sort=True):
            sids = list(dict.fromkeys(g["sentence_id"]))
            rows.append({**dict(zip(keys, key)), "count": len(g), "n_in_quote": int(g["in_quote"].sum()),
                         "n_sentences": len(sids), "sentence_ids": "; ".join(sids)})
    return _cast(pd.DataFrame(rows, columns=list(TERM_TABLE_COLUMNS)), TERM_TABLE_COLUMNS, outlets)


def term_matrix(table: pd.DataFrame, group: str | None = None, level: str = "canonical",
                own_voice_only: bool = False) -> pd.DataFrame:
    """Wide table: rows (group, ``level``) where level is 'canonical' or 'term', one column per outlet.

    Cells are match counts (0 = the outlet never uses the term); ``own_voice_only`` leaves out matches
    inside quotation marks.
    """
    if level not in ("canonical", "term"):
        raise ValueError("level must be 'canonical' or 'term'.")
    df = table if group is None else table[table["group"] == group]
    df = df.assign(value=df["count"] - (df["n_in_quote"] if own_voice_only else 0))
    outlets = list(table["outlet"].cat.categories)
    m = df.pivot_table(index=["group", level], columns="outlet", values="value", aggfunc="sum",
                       fill_value=0, observed=False)
    m = m.reindex(columns=outlets, fill_value=0).astype("int64")
    m.columns = pd.Index([str(c) for c in m.columns], name="outlet")
    return m


def _content_words(text: str) -> list[str]:
    """Lower-cased content tokens (no stop words, punctuation or single letters), in order."""
    stops = stop_words()
    out = []
    for tok in tokenizer()(text):
        w = tok.text.lower().replace("’", "'")
        if (tok.is_alpha or tok.like_num or "-" in w) and len(w) > 1 and w not in stops and not tok.is_punct:
            out.append(w)
    return out


def claim_wording(sentences: pd.DataFrame, claims: pd.DataFrame, terms: pd.DataFrame) -> pd.DataFrame:
    """For every claim carried by two or more outlets, one row per carrying outlet.

    ``terms``: the lexicon terms of the outlet's sentences in the claim ('group:canonical', '; '-joined,
    in order); ``distinctive_terms``: those no other outlet uses in this claim; ``distinctive_words``:
    content words (stop words removed) of the outlet's version that appear in no other outlet's version;
    ``shared_words``: content words every carrying outlet uses.
    """
    cross = claims.loc[claims["n_outlets"] > 1, ["claim_id", "n_outlets"]]
    rows = []
    for claim_id, n_out in zip(cross["claim_id"], cross["n_outlets"]):
        sents = sentences[sentences["claim_id"] == claim_id].sort_values(["outlet", "article_id", "position"])
        per_outlet: dict[str, pd.DataFrame] = {str(o): g for o, g in sents.groupby("outlet", observed=True)}
        words = {o: _content_words(" ".join(g["text"].astype(str))) for o, g in per_outlet.items()}
        tset = terms[terms["claim_id"] == claim_id]
        labels = {o: list(dict.fromkeys(f"{r.group}:{r.canonical}" for r in
                                        tset[tset["outlet"].astype(str) == o].itertuples()))
                  for o in per_outlet}
        shared = set.intersection(*(set(w) for w in words.values())) if words else set()
        for o, g in per_outlet.items():
            other_words = set().union(*(set(w) for k, w in words.items() if k != o))
            other_terms = set().union(*(set(t) for k, t in labels.items() if k != o))
            rows.append({
                "claim_id": claim_id, "outlet": o, "n_outlets": n_out, "n_sentences": len(g),
                "sentence_ids": "; ".join(g["sentence_id"]), "terms": "; ".join(labels[o]),
                "distinctive_terms": "; ".join(t for t in labels[o] if t not in other_terms),
                "distinctive_words": "; ".join(_unique(w for w in words[o] if w not in other_words)),
                "shared_words": "; ".join(_unique(w for w in words[o] if w in shared)),
            })
    return _cast(pd.DataFrame(rows, columns=list(CLAIM_WORDING_COLUMNS)), CLAIM_WORDING_COLUMNS,
                 outlet_categories(sentences))


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))
