"""End to end on the five seed articles with the real models."""

from __future__ import annotations

import re

import pandas as pd
import pytest

import claimcmp
from claimcmp.schema import TABLES

READY = re.compile(r"ready (?:for|to) (?:a )?(?:ceasefire|truce|stop military operations)", re.I)


def test_every_table_has_documented_columns_and_dtypes(seeds_comparison: claimcmp.Comparison) -> None:
    for name, cols in TABLES.items():
        df = getattr(seeds_comparison, name)
        assert list(df.columns) == list(cols), name
        for col, (dtype, _) in cols.items():
            assert str(df[col].dtype) == dtype, f"{name}.{col}"
    seeds_comparison.validate()


def test_offsets_reproduce_text(seeds_comparison: claimcmp.Comparison, seed_texts: dict[str, str]) -> None:
    s = seeds_comparison.sentences
    assert len(s) > 60
    for aid, a, b, text in zip(s["article_id"], s["char_start"], s["char_end"], s["text"]):
        assert seed_texts[aid][a:b] == text
    assert s["sentence_id"].is_unique
    assert (s["sentence_id"] == s["article_id"] + ":" + s["char_start"].astype(str) + "-"
            + s["char_end"].astype(str)).all()


def test_no_boilerplate_in_sentences(seeds_comparison: claimcmp.Comparison) -> None:
    text = " ".join(seeds_comparison.sentences["text"])
    for junk in ("READ MORE", "Comments", "Dzidzikashvili", "Post a comment", "Check Also", "UNITED24",
                 "mailing list", "REUTERS/", "by admin", "IANS Inputs", "Hazem Sabbagh", "helicopters",
                 "Sun Feb 21", "MOSCOW, Feb 24", "Moscow, SANA", "Social Streams", "Weapons of Mass Destruction"):
        assert junk not in text, junk
    removed = seeds_comparison.removed
    assert set(removed["reason"].astype(str)) >= {"reader_comments", "teaser", "newsletter", "donation",
                                                   "photo_caption", "credit", "byline", "dateline"}


def test_every_sentence_has_a_claim(seeds_comparison: claimcmp.Comparison) -> None:
    s, c = seeds_comparison.sentences, seeds_comparison.claims
    assert s["claim_id"].notna().all()
    assert set(s["claim_id"]) == set(c["claim_id"])
    assert c["n_sentences"].sum() == len(s)


def test_ready_for_ceasefire_is_one_agreed_claim(seeds_comparison: claimcmp.Comparison) -> None:
    s = seeds_comparison.sentences
    ready = s[s["text"].str.contains(READY) & s["text"].str.contains("Assad|Damascus")]
    claim_ids = ready.groupby("claim_id")["outlet"].apply(lambda o: set(o.astype(str)))
    best = max(claim_ids.index, key=lambda k: len(claim_ids[k]))
    assert {"RT", "IANS", "Press TV"} <= claim_ids[best], claim_ids.to_dict()
    claim = seeds_comparison.claims.set_index("claim_id").loc[best]
    assert claim["stance"] == "agree", claim.to_dict()
    assert claim["n_agree"] + claim["n_partial"] >= 2, "the outlets' versions are linked by entailment"
    assert claim["n_contradict"] == 0


def test_pairs_are_cross_outlet_both_directions_and_pruned(seeds_comparison: claimcmp.Comparison) -> None:
    p = seeds_comparison.pairs
    assert len(p) > 0
    assert (p["outlet_a"].astype(str) != p["outlet_b"].astype(str)).all()
    for d in ("ab", "ba"):
        total = p[[f"entailment_{d}", f"neutral_{d}", f"contradiction_{d}"]].sum(axis=1)
        assert ((total - 1).abs() < 1e-3).all()
    meta = seeds_comparison.meta
    assert meta["judged_pairs"] == len(p)
    assert meta["judged_pairs"] < meta["naive_pairs"] / 5, "NLI must not run on all cross-outlet pairs"
    assert set(p["stance"].astype(str)) <= {"agree", "partial", "contradict", "disputed", "unrelated"}
    assert (p.loc[~p["same_claim"], "stance"] == "unrelated").all(), "stance only for pairs of one claim"


def test_coverage_and_agreement(seeds_comparison: claimcmp.Comparison) -> None:
    cov, c = seeds_comparison.coverage, seeds_comparison.claims
    outlets = sorted(seeds_comparison.articles["outlet"])
    assert len(cov) == len(c) * len(outlets)
    assert (cov["carried"] == (cov["n_sentences"] > 0)).all()
    # omissions are visible: every claim is missing from at least one outlet here
    assert (cov.groupby("claim_id")["carried"].sum() < len(outlets)).all()
    agr = seeds_comparison.agreement
    assert len(agr) == len(outlets) * (len(outlets) - 1) // 2
    assert (agr["n_pairs"] == agr[["n_agree", "n_partial", "n_contradict", "n_disputed", "n_unrelated"]]
            .sum(axis=1)).all()
    m = seeds_comparison.agreement_matrix()
    assert list(m.index) == list(m.columns) and len(m) == len(outlets)


def test_permuted_input_gives_identical_results(seeds: list[claimcmp.Article],
                                               seeds_comparison: claimcmp.Comparison) -> None:
    again = claimcmp.compare(list(reversed(seeds)), show_progress=False)
    pd.testing.assert_frame_equal(again.sentences, seeds_comparison.sentences)
    pd.testing.assert_frame_equal(again.claims, seeds_comparison.claims)
    pd.testing.assert_frame_equal(again.pairs, seeds_comparison.pairs, atol=1e-4)


def test_dataframe_input_and_sentence_context(seeds: list[claimcmp.Article],
                                              seeds_comparison: claimcmp.Comparison) -> None:
    df = pd.DataFrame([a.to_dict() for a in seeds])
    assert [a.article_id for a in claimcmp.articles.to_articles(df)] == [a.article_id for a in seeds]
    sid = seeds_comparison.sentences["sentence_id"].iloc[3]
    ctx = seeds_comparison.sentence_context(sid, chars=20)
    assert "[[" + seeds_comparison.sentences["text"].iloc[3] + "]]" in ctx


def test_summary_mentions_claims_and_counts(seeds_comparison: claimcmp.Comparison) -> None:
    text = seeds_comparison.summary()
    assert "5 articles from 5 outlets" in text and "Contradicting pairs" in text


@pytest.mark.parametrize("allow", [True])
def test_single_outlet_when_asked(allow: bool) -> None:
    arts = [{"outlet": "A", "text": "Assad said he was ready for a truce. Kerry spoke to Lavrov."},
            {"outlet": "A", "text": "The truce starts Saturday. Russia will keep bombing terrorists."}]
    with pytest.warns(claimcmp.errors.SingleOutletWarning):
        res = claimcmp.compare(arts, allow_single_outlet=allow, show_progress=False)
    assert len(res.pairs) == 0 and (res.claims["stance"] == "single_outlet").all()
