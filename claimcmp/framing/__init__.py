"""Framing analysis: who said each claim, how hedged it is, and which words each outlet chose.

``analyze_framing(comparison)`` returns a :class:`Framing` whose tables all join to
``comparison.sentences`` on ``sentence_id``; ``comparison.framing`` computes it lazily with the default
lexicon. Method, lexicon, columns and measured precision: docs/guide/framing.md.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from claimcmp.framing._text import conform_frame, outlet_categories
from claimcmp.framing.attribution import MODES, REPORTING_VERBS, attribute_sentence, attribution_table
from claimcmp.framing.hedging import HEDGE_LEXICON, find_markers, hedging_table
from claimcmp.framing.lexicon import DEFAULT_TERMS, GROUP_DESCRIPTIONS, Lexicon, LexiconMapping, as_lexicon
from claimcmp.framing.wording import claim_wording, term_matrix, term_table, terms_table

if TYPE_CHECKING:
    from claimcmp.results import Comparison

log = logging.getLogger("claimcmp.framing")

SPEAKERS_BY_CLAIM_COLUMNS = {
    "claim_id": "int64", "n_outlets": "int64", "outlet": "category", "sentence_id": "string", "position": "int64",
    "speaker": "string", "mode": "category", "reporting_verb": "string", "speaker_resolved": "bool",
}


@dataclass(frozen=True, eq=False)
class Framing:
    """Framing tables for one :class:`~claimcmp.Comparison` (every table has ``sentence_id`` or ``claim_id``).

    ``attribution``: one row per sentence: speaker, speaker_start / speaker_end (article offsets,
    nullable), reporting_verb (lemma, or 'according to'), mode (direct_quote / indirect / own_voice),
    speaker_resolved, mention, other_speakers, quote_share.
    ``hedging``: one row per sentence: markers ('; '-joined), kinds, n_markers, n_in_quote, certainty.
    ``terms``: one row per lexicon match: group, term (variant), canonical, char_start / char_end
    (article offsets), text, in_quote.
    ``term_table``: long counts per (group, canonical, term, outlet) with the sentence_ids behind them;
    :meth:`term_matrix` pivots it to outlets as columns.
    ``claim_wording``: per cross-outlet claim and carrying outlet: terms, distinctive_terms,
    distinctive_words, shared_words.
    ``speakers_by_claim``: one row per sentence, ordered by claim: claim_id, outlet, speaker, mode.
    """

    attribution: pd.DataFrame
    hedging: pd.DataFrame
    terms: pd.DataFrame
    term_table: pd.DataFrame
    claim_wording: pd.DataFrame
    speakers_by_claim: pd.DataFrame
    lexicon: Lexicon

    def term_matrix(self, group: str | None = None, level: str = "canonical",
                    own_voice_only: bool = False) -> pd.DataFrame:
        """Outlets as columns, (group, canonical or term) as rows, match counts as cells (0 = never used)."""
        return term_matrix(self.term_table, group=group, level=level, own_voice_only=own_voice_only)

    def speakers(self, claim_id: int) -> pd.DataFrame:
        """Who carries one claim, per outlet: the attributed speakers and modes of its sentences."""
        df = self.speakers_by_claim
        return df[df["claim_id"] == claim_id].reset_index(drop=True)

    def __repr__(self) -> str:
        n_attr = int((self.attribution["mode"] != "own_voice").sum())
        return (f"Framing({len(self.attribution)} sentences, {n_attr} attributed, "
                f"{int((self.hedging['certainty'] == 'hedged').sum())} hedged, {len(self.terms)} lexicon matches)")


def speakers_by_claim(sentences: pd.DataFrame, claims: pd.DataFrame, attribution: pd.DataFrame) -> pd.DataFrame:
    """One row per sentence with its claim, outlet, speaker and mode, ordered by claim, outlet, position."""
    df = sentences[["sentence_id", "claim_id", "outlet", "article_id", "position"]].merge(
        attribution[["sentence_id", "speaker", "mode", "reporting_verb", "speaker_resolved"]], on="sentence_id")
    df = df.merge(claims[["claim_id", "n_outlets"]], on="claim_id", how="left")
    df = df.sort_values(["claim_id", "outlet", "article_id", "position"])
    out: pd.DataFrame = conform_frame(df, SPEAKERS_BY_CLAIM_COLUMNS,
                                      {"outlet": outlet_categories(attribution), "mode": MODES})
    return out


def analyze_framing(comparison: Comparison, lexicon: Lexicon | LexiconMapping | None = None) -> Framing:
    """Attribution, hedging and wording tables for a comparison.

    ``lexicon``: ``None`` for the default (:meth:`Lexicon.default`); a mapping
    ``{group: {canonical: [variants]}}`` to extend the default; a :class:`Lexicon` to use as is.
    """
    lex = as_lexicon(lexicon)
    s = comparison.sentences
    attribution = attribution_table(s)
    hedging = hedging_table(s)
    terms = terms_table(s, lex)
    framing = Framing(
        attribution=attribution, hedging=hedging, terms=terms, term_table=term_table(terms),
        claim_wording=claim_wording(s, comparison.claims, terms),
        speakers_by_claim=speakers_by_claim(s, comparison.claims, attribution), lexicon=lex,
    )
    log.info("framing: %s", framing)
    return framing


def framing_html_section(comparison: Comparison, framing: Framing | None = None,
                         groups: Sequence[str] | None = None, max_claims: int = 30) -> str:
    """An HTML fragment (all text escaped) with the outlet x term tables and the speakers per shared claim.

    Uses ``comparison.framing`` unless ``framing`` is given; ``groups`` picks the lexicon groups shown
    (default: the referent groups, see :data:`claimcmp.framing.html.DEFAULT_GROUPS`); at most
    ``max_claims`` cross-outlet claims are listed, largest first.
    """
    from claimcmp.framing.html import render_section

    fr = comparison.framing if framing is None else framing
    return render_section(comparison, fr, groups=groups, max_claims=max_claims)


__all__ = [
    "DEFAULT_TERMS",
    "GROUP_DESCRIPTIONS",
    "HEDGE_LEXICON",
    "MODES",
    "REPORTING_VERBS",
    "Framing",
    "Lexicon",
    "analyze_framing",
    "attribute_sentence",
    "find_markers",
    "framing_html_section",
]
