"""Column reference for every table of a :class:`~claimcmp.Comparison` (names, dtypes, meaning).

This dict is the single source of truth: tables are cast to these dtypes when built, checked by
``Comparison.validate()``, and documented in docs/reference/tables.md (a test keeps them in step).
"""

from __future__ import annotations

import pandas as pd

STANCE_CATEGORIES = ["agree", "partial", "contradict", "disputed", "unrelated"]
CLAIM_STANCE_CATEGORIES = ["agree", "contradict", "mixed", "disputed", "unrelated", "single_outlet"]
CONFLICT_KINDS = ["number", "date", "entity", "polarity", "nli"]
CERTAINTY = ["asserted", "hedged"]
#: How an article carries a tracked claim (:func:`claimcmp.track`).
TRACK_STANCES = ["support", "deny", "report", "absent"]
COPY_DIRECTIONS = ["a->b", "b->a", "unknown"]
SENTENCE_PARTS = ["title", "front_matter", "body"]

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
        "part": ("category", "Where the sentence stands: title (the article's title line) or front_matter (a "
                             "sub-headline or caption between the title and the dateline), which the cleaner "
                             "takes out of the body and claimcmp compares like any sentence "
                             "(Comparator(titles=False) leaves them out), or body."),
        "claim_id": ("int64", "Claim cluster of the sentence; every sentence has one (singletons too)."),
    },
    "removed": {
        "article_id": ("string", "Article the span was removed from."),
        "outlet": ("category", "Outlet of that article."),
        "char_start": ("int64", "Start offset in the article text."),
        "char_end": ("int64", "End offset (exclusive)."),
        "text": ("string", "The removed text exactly as in the article."),
        "reason": ("category", "Why it was removed: reader_comments, teaser, newsletter, donation, "
                               "photo_caption, credit, byline, dateline, heading, front_matter, repeated."),
    },
    "claims": {
        "claim_id": ("int64", "Claim cluster id; 0 is the largest cluster."),
        "representative": ("string", "Text of the sentence closest to all others in the claim."),
        "representative_sentence_id": ("string", "sentence_id of that sentence."),
        "n_sentences": ("int64", "Sentences in the claim."),
        "n_outlets": ("int64", "Distinct outlets that carry the claim."),
        "n_independent_outlets": ("int64", "n_outlets with each copy group counted once: outlets linked by copied "
                                           "sentences of this claim (``copied_sentences``) collapse into one."),
        "outlets": ("string", "Those outlets, sorted, joined by '; '."),
        "n_pairs": ("int64", "Cross-outlet pairs judged inside the claim."),
        "n_links": ("int64", "Of those, verified links (P(same claim) >= the verifier's threshold): the links the "
                             "claim was formed from; 0 for a singleton. Identical texts join without a link."),
        "link_score": ("float64", "Mean P(same claim) over the judged pairs inside the claim; NaN if none."),
        "n_agree": ("int64", "Pairs inside the claim with stance agree."),
        "n_partial": ("int64", "Pairs with stance partial."),
        "n_contradict": ("int64", "Pairs with stance contradict."),
        "n_disputed": ("int64", "Pairs with stance disputed."),
        "n_unrelated": ("int64", "Pairs with stance unrelated (never inside a claim with the default stance stage)."),
        "stance": ("category", "Summary: single_outlet (one outlet only); mixed (contradict and agree/partial "
                               "pairs); contradict (contradict pairs, no agree/partial); disputed (disputed pairs, "
                               "no contradict: the outlets report a debate between speakers); agree (agree or "
                               "partial pairs only: the outlets' versions are consistent, some may add details); "
                               "unrelated (no judged pair inside the claim)."),
    },
    "pairs": {
        "sentence_id_a": ("string", "First sentence (earlier in canonical order)."),
        "sentence_id_b": ("string", "Second sentence."),
        "outlet_a": ("category", "Outlet of sentence a."),
        "outlet_b": ("category", "Outlet of sentence b (always different from outlet_a)."),
        "claim_id_a": ("int64", "Claim of sentence a."),
        "claim_id_b": ("int64", "Claim of sentence b."),
        "same_claim": ("bool", "Both sentences ended up in the same claim; only such pairs get a stance other "
                               "than unrelated."),
        "cosine": ("float32", "Cosine similarity of the two sentence embeddings."),
        "same_claim_prob": ("float32", "The verifier's P(same claim): both sentences state one fact, event or "
                                       "question, agreeing or not (1 for identical texts)."),
        "verified": ("bool", "same_claim_prob >= the verifier's threshold: a link claims are formed from."),
        "retrieved": ("bool", "The pair came from nearest-neighbour retrieval (else: judged after clustering "
                              "because both sentences shared a claim; the sentences are then clustered again "
                              "with it, so it may end up between two claims)."),
        "copied": ("bool", "One sentence nearly reproduces the other (the copy detector, see docs/guide/copies.md); "
                           "copied pairs are judged like the others."),
        "entailment_ab": ("float32", "P(entailment) with a as premise, b as hypothesis."),
        "neutral_ab": ("float32", "P(neutral), a -> b."),
        "contradiction_ab": ("float32", "P(contradiction), a -> b."),
        "entailment_ba": ("float32", "P(entailment) with b as premise, a as hypothesis."),
        "neutral_ba": ("float32", "P(neutral), b -> a."),
        "contradiction_ba": ("float32", "P(contradiction), b -> a."),
        "stance": ("category", "agree (the same fact), partial (the same claim; one side adds or omits detail, "
                               "both can be true), contradict (the two accounts cannot both be true), disputed "
                               "(opposing positions of different speakers that both outlets report), unrelated "
                               "(not the same claim). See docs/guide/alignment.md."),
        "conflict_kind": ("category", "For contradict and disputed: number, date, entity, polarity (a fact rule "
                                      "found it) or nli (the NLI model alone); NA otherwise."),
        "evidence_a_start": ("Int64", "Start of the conflicting span in article a's text (NA when no conflict)."),
        "evidence_a_end": ("Int64", "End (exclusive) of that span."),
        "evidence_a": ("string", "The conflicting span of sentence a, exactly as in the article."),
        "evidence_b_start": ("Int64", "Start of the conflicting span in article b's text."),
        "evidence_b_end": ("Int64", "End (exclusive) of that span."),
        "evidence_b": ("string", "The conflicting span of sentence b."),
        "speaker_a": ("string", "Who sentence a attributes its content to (claimcmp.framing attribution); NA "
                                "for the outlet's own voice."),
        "speaker_b": ("string", "The same for sentence b."),
        "certainty_a": ("category", "hedged (a hedging marker such as 'reportedly', 'alleged', 'may') or asserted."),
        "certainty_b": ("category", "The same for sentence b."),
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
        "n_disputed": ("int64", "Pairs with stance disputed."),
        "n_unrelated": ("int64", "Pairs with stance unrelated (judged, not the same claim)."),
        "agreement_rate": ("float64", "(n_agree + n_partial) / same-claim pairs; NaN if none."),
        "contradiction_rate": ("float64", "n_contradict / same-claim pairs; NaN if none."),
        "n_pairs_independent": ("int64", "Judged pairs between the two outlets that are not copies (pairs.copied "
                                         "false)."),
        "agreement_rate_independent": ("float64", "agreement_rate over the same-claim pairs that are not copies; NaN "
                                                  "if none."),
        "contradiction_rate_independent": ("float64", "contradiction_rate over the same-claim pairs that are not "
                                                      "copies; NaN if none."),
    },
    "copied_sentences": {
        "sentence_id_a": ("string", "First sentence (earlier in canonical order, as in pairs)."),
        "sentence_id_b": ("string", "Second sentence, from another outlet."),
        "article_id_a": ("string", "Article of sentence a."),
        "article_id_b": ("string", "Article of sentence b."),
        "outlet_a": ("category", "Outlet of sentence a."),
        "outlet_b": ("category", "Outlet of sentence b."),
        "claim_id_a": ("int64", "Claim of sentence a."),
        "claim_id_b": ("int64", "Claim of sentence b."),
        "score": ("float32", "Copy score (0-1): the smaller of the word overlap and the edit similarity of the "
                             "normalised texts; at least the detector's threshold."),
        "verbatim": ("bool", "The texts are equal after normalisation (case, punctuation, quotes, spacing)."),
        "judged": ("bool", "The pair is also in pairs (judged for stance); a copy the retriever did not pair is "
                           "found anyway, since the detector checks every cross-outlet pair."),
    },
    "copies": {
        "article_id_a": ("string", "First article (alphabetical order)."),
        "article_id_b": ("string", "Second article, from another outlet."),
        "outlet_a": ("category", "Outlet of article a."),
        "outlet_b": ("category", "Outlet of article b."),
        "n_copied": ("int64", "Copied sentence pairs between the two articles."),
        "share_a": ("float64", "Share of article a's sentences that have a copy in article b."),
        "share_b": ("float64", "Share of article b's sentences that have a copy in article a."),
        "n_verbatim": ("int64", "Of the copied pairs, those equal after normalisation."),
        "direction": ("category", "a->b (a is dated earlier, so b copied a), b->a, or unknown (a date missing or "
                                  "both the same)."),
        "source_article_id": ("string", "The earlier article of the two; NA when the direction is unknown."),
    },
    "timeline": {
        "claim_id": ("int64", "Claim."),
        "article_id": ("string", "An article carrying the claim (one row per claim and article)."),
        "outlet": ("category", "Its outlet."),
        "date": ("string", "The article's date as given; NA when it has none."),
        "published": ("datetime64[ns, UTC]", "That date (and time, when given) read as UTC; NaT when missing or "
                                             "unreadable. A date without a zone is taken as UTC."),
        "rank": ("Int64", "1 for the earliest article carrying the claim, then in order of publication; articles "
                          "published at the same time share a rank; NA without a date."),
        "n_sentences": ("int64", "The article's sentences in the claim."),
        "sentence_id": ("string", "The first of them (lowest position)."),
        "first_article_id": ("string", "The claim's earliest dated article (ties broken by article_id); NA when no "
                                       "article carrying the claim has a date. The same on every row of the claim."),
        "first_outlet": ("string", "Outlet of that article."),
        "first_date": ("string", "Its date as given."),
        "order": ("string", "Outlets in order of first appearance, joined by ' > ' ('=' between outlets first "
                            "seen at the same time); undated outlets are left out. The same on every row of the "
                            "claim."),
        "words_added": ("Int64", "Words in this article's version of the claim (its sentences, normalised) missing "
                                 "from the first article's version; 0 for the first article; NA when there is no "
                                 "first article."),
        "words_dropped": ("Int64", "Words of the first article's version missing from this one."),
        "added": ("string", "The added words, in order of appearance, each once, joined by spaces."),
        "dropped": ("string", "The dropped words, the same way."),
    },
    "skipped": {
        "article_id": ("string", "Id of the skipped article (NA when it had none and none could be derived)."),
        "outlet": ("string", "Its outlet, if it had one."),
        "position": ("int64", "0-based position of the article in the input."),
        "stage": ("string", "Where it was dropped: input (validation) or segment (no sentences after cleaning)."),
        "error": ("string", "Error class, e.g. EmptyTextError."),
        "code": ("string", "The error's stable code, e.g. CC102."),
        "message": ("string", "The error message, naming the article."),
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
        "n_disputed": ("int64", "Pairs with stance disputed."),
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

#: The table :func:`claimcmp.track` returns (one row per claim and article).
TRACK_TABLES: dict[str, dict[str, tuple[str, str]]] = {
    "track": {
        "claim_id": ("int64", "The claim: its position in the list of claims, or the given claim_id."),
        "claim_text": ("string", "The claim as given."),
        "article_id": ("string", "Article searched for the claim."),
        "outlet": ("category", "Outlet of that article."),
        "date": ("string", "Its publication date as given (NA if none)."),
        "stance": ("category", "support (the article states the claim as fact: entailed, own voice, not hedged), "
                               "deny (it states the opposite, or reports a denial, as fact), report (it carries the "
                               "claim without endorsing it: attributed to someone else, hedged, questioned, or the "
                               "same claim without entailing it), absent (no sentence states the claim). "
                               "See docs/guide/track.md."),
        "basis": ("string", "The rule that gave the stance, in words (e.g. 'attributed to Kerry', 'hedged')."),
        "sentence_id": ("string", "The best-matching sentence (highest P(same claim)); for absent, the sentence "
                                  "nearest to the claim by embedding."),
        "sentence_ids": ("string", "Every matching sentence of the article (P(same claim) >= threshold, or "
                                   "P(entail) >= match_entail, among the k retrieved), best first, joined by '; '; "
                                   "NA for absent."),
        "n_matches": ("int64", "Number of matching sentences (0 = absent)."),
        "char_start": ("int64", "Start of sentence_id in the article text."),
        "char_end": ("int64", "End (exclusive): article_text[char_start:char_end] == sentence."),
        "sentence": ("string", "The text of sentence_id, exactly as in the article."),
        "speaker": ("string", "Who the sentence attributes its content to (claimcmp.framing); NA for the outlet's "
                              "own voice and for absent."),
        "mode": ("category", "direct_quote, indirect or own_voice (claimcmp.framing attribution); NA for absent."),
        "certainty": ("category", "hedged (a hedging marker such as 'reportedly', 'may') or asserted; NA for absent."),
        "conflict_kind": ("category", "For deny from a contradiction: number, date, entity, polarity or nli; NA "
                                      "otherwise."),
        "cosine": ("float32", "Cosine similarity of the claim and sentence embeddings."),
        "same_claim_prob": ("float32", "The verifier's P(same claim) for the claim and the sentence; NaN when the "
                                       "cosine is below the floor (not judged)."),
        "p_entail": ("float32", "P(entailment) with the sentence as premise and the claim as hypothesis."),
        "p_neutral": ("float32", "P(neutral), sentence -> claim."),
        "p_contradict": ("float32", "P(contradiction), sentence -> claim."),
        "p_entail_rev": ("float32", "P(entailment), claim -> sentence."),
        "p_contradict_rev": ("float32", "P(contradiction), claim -> sentence."),
    },
}


def empty(table: str) -> pd.DataFrame:
    """An empty DataFrame with the columns and dtypes of ``table``."""
    return pd.DataFrame({c: pd.Series(dtype=d) for c, (d, _) in TABLES[table].items()})


def conform(table: str, df: pd.DataFrame, categories: dict[str, list[str]] | None = None) -> pd.DataFrame:
    """``df`` with exactly the documented columns, in order, cast to the documented dtypes."""
    cols = TABLES[table] if table in TABLES else TRACK_TABLES[table]
    out = df.reindex(columns=list(cols)).copy()
    for c, (dtype, _) in cols.items():
        if dtype == "category":
            cats = (categories or {}).get(c)
            if cats is None and c == "stance":
                cats = STANCE_CATEGORIES if table in ("pairs",) else CLAIM_STANCE_CATEGORIES
            if cats is None and c == "conflict_kind":
                cats = CONFLICT_KINDS
            if cats is None and c.startswith("certainty"):
                cats = CERTAINTY
            if cats is None and c == "direction":
                cats = COPY_DIRECTIONS
            if cats is None and c == "part":
                cats = SENTENCE_PARTS
            out[c] = pd.Categorical(out[c].astype("string").astype(object), categories=cats)
        else:
            out[c] = out[c].astype(dtype)  # type: ignore[call-overload]
    return out.reset_index(drop=True)
