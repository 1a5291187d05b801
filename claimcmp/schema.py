"""Column reference for every table of a :class:`~claimcmp.Comparison` (names, dtypes, meaning).

This dict is the single source of truth: tables are cast to these dtypes when built, checked by
``Comparison.validate()``, and documented in docs/reference/tables.md (a test keeps them in step).
"""

from __future__ import annotations

import pandas as pd

STANCE_CATEGORIES = ["agree", "partial", "contradict", "unrelated"]
CLAIM_STANCE_CATEGORIES = ["agree", "contradict", "mixed", "unrelated", "single_outlet"]

#: table -> column -> (dtype, description)
TABLES: dict[str, dict[str, tuple[str, str]]] = {
    "articles": {
        "article_id": ("string", "Unique id of the article (given, or outlet slug + text hash)."),
        "outlet": ("string", "Outlet that published the article."),
        "text": ("string", "Original article text, never modified; every offset points into it."),
        "title": ("string", "Title, if given."),
        "date": ("string", "Publication date as given (ISO 8601 where known)."),
        "url": ("string", "URL, if given."),
    },
    "sentences": {
        "sentence_id": ("string", "'{article_id}:{char_start}-{char_end}'; stable across runs and input orders."),
        "article_id": ("string", "Article the sentence comes from."),
        "outlet": ("category", "Outlet of that article."),
        "position": ("int64", "0-based index of the sentence within its article."),
        "char_start": ("int64", "Start offset in the article text (inclusive)."),
        "char_end": ("int64", "End offset (exclusive): article_text[char_start:char_end] == text."),
        "text": ("string", "The sentence exactly as in the article."),
        "claim_id": ("int64", "Claim cluster of the sentence; every sentence has one (singletons too)."),
    },
    "removed": {
        "article_id": ("string", "Article the span was removed from."),
        "outlet": ("category", "Outlet of that article."),
        "char_start": ("int64", "Start offset in the article text."),
        "char_end": ("int64", "End offset (exclusive)."),
        "text": ("string", "The removed text exactly as in the article."),
        "reason": ("category", "Why it was removed: reader_comments, teaser, newsletter, donation, "
                               "photo_caption, credit, byline, dateline, heading."),
    },
    "claims": {
        "claim_id": ("int64", "Claim cluster id; 0 is the largest cluster."),
        "representative": ("string", "Text of the sentence closest to all others in the claim."),
        "representative_sentence_id": ("string", "sentence_id of that sentence."),
        "n_sentences": ("int64", "Sentences in the claim."),
        "n_outlets": ("int64", "Distinct outlets that carry the claim."),
        "outlets": ("string", "Those outlets, sorted, joined by '; '."),
        "n_pairs": ("int64", "Cross-outlet pairs judged inside the claim."),
        "n_agree": ("int64", "Of those, pairs with stance agree."),
        "n_partial": ("int64", "Pairs with stance partial."),
        "n_contradict": ("int64", "Pairs with stance contradict."),
        "n_unrelated": ("int64", "Pairs with stance unrelated."),
        "stance": ("category", "Summary: single_outlet (one outlet only); mixed (contradict and agree/partial "
                               "pairs); contradict (contradict pairs only); agree (an agree or partial pair, i.e. "
                               "entailment in some direction, and no contradiction: the outlets' versions are "
                               "consistent, some may add details); unrelated (no entailment either way)."),
    },
    "pairs": {
        "sentence_id_a": ("string", "First sentence (earlier in canonical order)."),
        "sentence_id_b": ("string", "Second sentence."),
        "outlet_a": ("category", "Outlet of sentence a."),
        "outlet_b": ("category", "Outlet of sentence b (always different from outlet_a)."),
        "claim_id_a": ("int64", "Claim of sentence a."),
        "claim_id_b": ("int64", "Claim of sentence b."),
        "same_claim": ("bool", "Both sentences are in the same claim (else a near neighbour)."),
        "cosine": ("float32", "Cosine similarity of the two sentence embeddings."),
        "entailment_ab": ("float32", "P(entailment) with a as premise, b as hypothesis."),
        "neutral_ab": ("float32", "P(neutral), a -> b."),
        "contradiction_ab": ("float32", "P(contradiction), a -> b."),
        "entailment_ba": ("float32", "P(entailment) with b as premise, a as hypothesis."),
        "neutral_ba": ("float32", "P(neutral), b -> a."),
        "contradiction_ba": ("float32", "P(contradiction), b -> a."),
        "stance": ("category", "agree (entailment both ways), partial (one way), contradict (contradiction "
                               "top in both directions by default, entailment in neither), unrelated."),
    },
    "coverage": {
        "claim_id": ("int64", "Claim."),
        "outlet": ("category", "Outlet; every outlet appears for every claim, so omissions are rows too."),
        "n_sentences": ("int64", "Sentences of this outlet in the claim (0 = omitted)."),
        "carried": ("bool", "n_sentences > 0."),
    },
    "agreement": {
        "outlet_a": ("category", "First outlet (alphabetical order)."),
        "outlet_b": ("category", "Second outlet."),
        "shared_claims": ("int64", "Claims carried by both outlets."),
        "only_a": ("int64", "Claims carried by outlet_a and not outlet_b."),
        "only_b": ("int64", "Claims carried by outlet_b and not outlet_a."),
        "n_pairs": ("int64", "Judged sentence pairs between the two outlets."),
        "n_agree": ("int64", "Pairs with stance agree."),
        "n_partial": ("int64", "Pairs with stance partial."),
        "n_contradict": ("int64", "Pairs with stance contradict."),
        "n_unrelated": ("int64", "Pairs with stance unrelated."),
        "agreement_rate": ("float64", "(n_agree + n_partial) / n_pairs over same-claim pairs; NaN if none."),
        "contradiction_rate": ("float64", "n_contradict / n_pairs over all judged pairs; NaN if none."),
    },
}


#: Tables of a corpus run (:func:`claimcmp.compare_many` with ``out=``), written next to the per-event dataset.
CORPUS_TABLES: dict[str, dict[str, tuple[str, str]]] = {
    "status": {
        "event_id": ("string", "Event id (the key of the events mapping, or the event_id column)."),
        "status": ("string", "ok (tables written) or error (the comparison raised; nothing written)."),
        "error_type": ("string", "Exception class of a failed event; empty when ok."),
        "error": ("string", "Its message; empty when ok."),
        "seconds": ("float64", "Wall time of the event's comparison."),
        "n_articles": ("int64", "Articles in the event."),
        "judged_pairs": ("int64", "Cross-outlet pairs judged (0 for a failed event)."),
    },
    "corpus_agreement": {
        "outlet_a": ("string", "First outlet (alphabetical order)."),
        "outlet_b": ("string", "Second outlet."),
        "n_events": ("int64", "Finished events in which both outlets have an article."),
        "shared_claims": ("int64", "Claims carried by both outlets, summed over those events."),
        "only_a": ("int64", "Claims carried by outlet_a and not outlet_b, summed."),
        "only_b": ("int64", "Claims carried by outlet_b and not outlet_a, summed."),
        "n_pairs": ("int64", "Judged sentence pairs between the two outlets, summed."),
        "n_agree": ("int64", "Pairs with stance agree."),
        "n_partial": ("int64", "Pairs with stance partial."),
        "n_contradict": ("int64", "Pairs with stance contradict."),
        "n_unrelated": ("int64", "Pairs with stance unrelated."),
        "agreement_rate": ("float64", "(agree + partial) / pairs over all events' same-claim pairs; NaN if none."),
        "contradiction_rate": ("float64", "n_contradict / n_pairs over all events; NaN if none."),
    },
    "outlet_claims": {
        "outlet": ("string", "Outlet."),
        "n_events": ("int64", "Finished events with an article from the outlet."),
        "n_articles": ("int64", "Its articles over those events."),
        "n_sentences": ("int64", "Its sentences kept after cleaning."),
        "n_claims": ("int64", "Claims it carries, summed over events."),
        "n_shared_claims": ("int64", "Of those, claims another outlet carries too."),
        "n_exclusive_claims": ("int64", "Claims only this outlet carries."),
    },
}

def empty(table: str) -> pd.DataFrame:
    """An empty DataFrame with the columns and dtypes of ``table``."""
    return pd.DataFrame({c: pd.Series(dtype=d) for c, (d, _) in TABLES[table].items()})


def conform(table: str, df: pd.DataFrame, categories: dict[str, list[str]] | None = None) -> pd.DataFrame:
    """``df`` with exactly the documented columns, in order, cast to the documented dtypes."""
    cols = TABLES[table]
    out = df.reindex(columns=list(cols)).copy()
    for c, (dtype, _) in cols.items():
        if dtype == "category":
            cats = (categories or {}).get(c)
            if cats is None and c == "stance":
                cats = STANCE_CATEGORIES if table in ("pairs",) else CLAIM_STANCE_CATEGORIES
            out[c] = pd.Categorical(out[c].astype("string").astype(object), categories=cats)
        else:
            out[c] = out[c].astype(dtype)  # type: ignore[call-overload]
    return out.reset_index(drop=True)
