"""Copy (syndication) detection on real text: the seeds, a reprint of the Reuters seed, NeuS wire reuse."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import claimcmp
from benchmarks.common import eval_available
from benchmarks.copies import edit, newswcl50_sentences
from claimcmp.api import Comparator
from claimcmp.copies import CopyDetector, copy_normalise, copy_score
from claimcmp.errors import ParameterError
from claimcmp.stages.clean import BoilerplateCleaner
from claimcmp.stages.segment import SentenceSegmenter

REPRINT_OUTLET = "Nairobi Reprint"
needs_eval = pytest.mark.skipif(not eval_available(), reason="shared evaluation data not found")


def seed_sentences(seeds: list[claimcmp.Article]) -> tuple[list[str], list[str]]:
    """The seeds' kept sentences and their outlets, from the real cleaner and segmenter (no model)."""
    sents, _ = Comparator._segment(sorted(seeds, key=lambda a: a.article_id), BoilerplateCleaner(),
                                   SentenceSegmenter())
    return sents["text"].astype(str).tolist(), sents["outlet"].astype(str).tolist()


def reprint(reuters: claimcmp.Article) -> claimcmp.Article:
    """The Reuters seed as a later reprint would carry it: straight quotes, a few words changed, one
    sentence dropped, the photo caption and the comments left out, a line of its own added."""
    body = reuters.text.split("Social Streams")[0]
    body = body.split("\n\n", 2)[2]  # drop the headline and the photo caption
    body = body.translate(str.maketrans({"“": '"', "”": '"', "’": "'", "–": "-"}))
    body = body.replace("Daesh", "Islamic State").replace(" It gave no further detail.", "")
    body = body.replace("chief opposition negotiator", "the chief opposition negotiator")
    body = body.replace("The Syrian presidency made no mention of any UN Security Council list.",
                        "No mention of any UN Security Council list was made by the Syrian presidency.")
    return claimcmp.Article(outlet=REPRINT_OUTLET, text=body + "\nThis story was first published by Reuters.",
                            article_id="zz_reprint", title="Assad ready to help with Syria truce",
                            date="2016-02-25")


@pytest.fixture(scope="module")
def with_reprint(seeds: list[claimcmp.Article]) -> tuple[claimcmp.Comparison, claimcmp.Article]:
    reuters = next(a for a in seeds if a.outlet == "Reuters")
    return claimcmp.compare([*seeds, reprint(reuters)], show_progress=False), reuters


# --- the detector on its own ---------------------------------------------------------------------


def test_normalise_folds_case_quotes_dashes_and_punctuation() -> None:
    assert copy_normalise("“Uncompromising” fight – Assad’s GOVERNMENT, said.") == \
        copy_normalise('"uncompromising" fight - Assads government said')
    assert copy_normalise("U.S.-Russian plan") == "u s russian plan"


def test_edited_seed_sentences_are_copies_and_paraphrases_are_not(seeds: list[claimcmp.Article]) -> None:
    texts, _ = seed_sentences(seeds)
    long = [t for t in texts if len(t.split()) >= 12]
    rng = np.random.default_rng(3)
    vocab = sorted({w for t in texts for w in t.split() if w.isalpha()})
    copies = [edit(t, 0.2, rng, vocab, restyle=True) for t in long]
    det = CopyDetector()
    assert det.is_copy(long, copies).mean() >= 0.95
    # the IANS and RT accounts of Assad's El Pais interview say the same thing in other words
    rt = next(t for t in texts if t.startswith("First of all, for the truce to hold"))
    ians = next(t for t in texts if t.startswith("In an interview with the Spanish newspaper"))
    assert not det.is_copy([rt], [ians])[0]
    assert copy_score(rt, ians) < 0.6


def test_seeds_share_no_sentence_only_a_phrase(seeds: list[claimcmp.Article]) -> None:
    """The five seeds are five separately written accounts: no sentence of one is a copy of another's.
    The longest word run two of them share is RT's and IANS's 'the Russian Foreign Ministry said in a
    statement' (listed in docs/guide/walkthrough.md)."""
    texts, outlets = seed_sentences(seeds)
    assert CopyDetector().find(texts, outlets).empty
    grams: dict[str, set[str]] = {}
    for t, o in zip(texts, outlets):
        w = copy_normalise(t).split()
        grams.setdefault(o, set()).update(" ".join(w[i:i + 7]) for i in range(len(w) - 6))
    shared = {(a, b): grams[a] & grams[b] for a, b in itertools.combinations(sorted(grams), 2) if grams[a] & grams[b]}
    assert set(shared) == {("IANS", "RT")}
    assert shared[("IANS", "RT")] == {"the russian foreign ministry said in a", "russian foreign ministry said in a "
                                                                                 "statement"}


def test_find_misses_no_pair_the_score_accepts(seeds: list[claimcmp.Article]) -> None:
    """The word-set prefilter loses nothing: find() returns exactly the cross-outlet pairs whose score passes."""
    texts, outlets = seed_sentences(seeds)
    rng = np.random.default_rng(0)
    vocab = sorted({w for t in texts for w in t.split() if w.isalpha()})
    texts = texts + [edit(t, 0.15, rng, vocab, restyle=i % 2 == 0) for i, t in enumerate(texts[:40])]
    outlets = outlets + ["Copycat"] * 40
    det = CopyDetector(chunk_size=7)
    found = det.find(texts, outlets)
    ij = [(i, j) for i, j in itertools.combinations(range(len(texts)), 2) if outlets[i] != outlets[j]]
    ok = det.is_copy([texts[i] for i, _ in ij], [texts[j] for _, j in ij])
    assert set(zip(found["idx_a"], found["idx_b"])) == {p for p, y in zip(ij, ok) if y}
    assert len(found) >= 35  # the edited copies (short sentences under min_words excepted)


def test_short_lines_are_never_copies() -> None:
    det = CopyDetector()
    assert not det.is_copy(["He said on Monday."], ["He said on Monday."])[0]
    assert det.find(["Read more.", "Read more."], ["A", "B"]).empty


@needs_eval
def test_neus_wire_copy_between_outlets() -> None:
    """NeuS (AllSides) events where two outlets carry the same Reuters wording."""
    from benchmarks.data import neus_events

    seg, cl = SentenceSegmenter(), BoilerplateCleaner()
    wanted = {"background checks for firearm purchases": ("center", "right"),
              "send China a strong message on human rights": ("left", "right")}
    seen = set()
    for ev in neus_events("test"):
        hit = [k for k in wanted if any(k in a["text"] for a in ev)]
        if not hit:
            continue
        texts, outlets = [], []
        for a in ev:
            for s in seg.segment(a["text"], cl.clean(a["text"]).kept):
                texts.append(a["text"][s.start:s.end])
                outlets.append(a["outlet"])
        found = CopyDetector().find(texts, outlets)
        pairs = {(outlets[i], outlets[j]) for i, j in zip(found["idx_a"], found["idx_b"])}
        for k in hit:
            assert wanted[k] in pairs or wanted[k][::-1] in pairs, k
            seen.add(k)
    assert seen == set(wanted)


@needs_eval
def test_newswcl50_copies_between_outlets_are_shared_quotes() -> None:
    """Five outlets writing their own stories (NewsWCL50): the few copies found between them are
    nearly all quotations they share (a tweet, a memo), not reporting copied from each other."""
    n_sent = n_copied = n_pairs = n_quoted = 0
    for docs in newswcl50_sentences().values():
        texts = [s for sents in docs.values() for s in sents]
        outlets = [d for d, sents in docs.items() for _ in sents]
        found = CopyDetector().find(texts, outlets)
        n_sent += len(texts)
        n_copied += len(set(found["idx_a"]) | set(found["idx_b"]))
        for i, j in zip(found["idx_a"], found["idx_b"]):
            n_pairs += 1
            n_quoted += bool(re.search(r'["“”]', texts[i]) or re.search(r'["“”]', texts[j]))
    assert n_pairs > 10
    assert n_copied / n_sent < 0.06
    assert n_quoted / n_pairs >= 0.9


def test_bad_parameters_raise_typed_errors() -> None:
    for bad in (0, 1.5, "0.7", True):
        with pytest.raises(ParameterError, match="threshold"):
            CopyDetector(threshold=bad).find(["a b c d e f g"], ["A"])
    with pytest.raises(ParameterError, match="min_words"):
        CopyDetector(min_words=0).score(["x"], ["y"])
    with pytest.raises(ParameterError, match="equal-length"):
        CopyDetector().score(["x"], [])
    with pytest.raises(ParameterError, match="copies="):
        Comparator(copies=object()).stages()


# --- in the pipeline ------------------------------------------------------------------------------


def test_reprint_is_one_copy_row_with_direction(with_reprint: tuple[claimcmp.Comparison, claimcmp.Article]) -> None:
    c, reuters = with_reprint
    assert len(c.copies) == 1
    row = c.copies.iloc[0]
    assert {row["outlet_a"], row["outlet_b"]} == {"Reuters", REPRINT_OUTLET}
    assert row["source_article_id"] == reuters.article_id
    assert row["direction"] == ("a->b" if row["article_id_a"] == reuters.article_id else "b->a")
    n_reuters = int((c.sentences["article_id"] == reuters.article_id).sum())
    assert row["n_copied"] >= n_reuters - 3
    share_reprint = row["share_b"] if row["outlet_b"] == REPRINT_OUTLET else row["share_a"]
    assert share_reprint >= 0.8
    assert 0 < row["n_verbatim"] < row["n_copied"]  # quotes, words and one sentence's order changed
    cs = c.copied_sentences
    assert set(cs["outlet_a"].astype(str)) | set(cs["outlet_b"].astype(str)) == {"Reuters", REPRINT_OUTLET}
    texts = c.sentences.set_index("sentence_id")["text"]
    reordered = [i for i in cs["sentence_id_b"].tolist() + cs["sentence_id_a"].tolist()
                 if texts[i].startswith("No mention of any UN Security Council list")]
    assert reordered, "the reworded sentence (clauses reordered) is still a copy"


def test_copied_pairs_are_marked_and_still_judged(with_reprint: tuple[claimcmp.Comparison, claimcmp.Article]) -> None:
    c, _ = with_reprint
    p = c.pairs
    assert p["copied"].dtype == bool and p["copied"].any()
    copied = p[p["copied"]]
    assert set(copied["outlet_a"].astype(str)) | set(copied["outlet_b"].astype(str)) == {"Reuters", REPRINT_OUTLET}
    assert copied["stance"].notna().all() and (copied["entailment_ab"] > 0).all()
    keys = set(zip(c.copied_sentences["sentence_id_a"], c.copied_sentences["sentence_id_b"]))
    assert keys >= set(zip(copied["sentence_id_a"], copied["sentence_id_b"]))
    judged = c.copied_sentences["judged"]
    assert int(judged.sum()) == len(copied)


def test_independent_outlets_and_agreement(with_reprint: tuple[claimcmp.Comparison, claimcmp.Article]) -> None:
    c, _ = with_reprint
    cl = c.claims
    both = cl["outlets"].str.contains("Reuters") & cl["outlets"].str.contains(REPRINT_OUTLET)
    assert both.sum() >= 5
    assert (cl["n_independent_outlets"] <= cl["n_outlets"]).all()
    collapsed = cl[both & (cl["n_independent_outlets"] == cl["n_outlets"] - 1)]
    assert len(collapsed) >= 5  # the reprint is no second witness
    assert (cl.loc[~both, "n_independent_outlets"] == cl.loc[~both, "n_outlets"]).all()
    ag = c.agreement.set_index(["outlet_a", "outlet_b"])
    r = ag.loc[(REPRINT_OUTLET, "Reuters")] if (REPRINT_OUTLET, "Reuters") in ag.index else ag.loc[("Reuters",
                                                                                                    REPRINT_OUTLET)]
    assert r["n_pairs_independent"] < r["n_pairs"]
    others = c.agreement[~c.agreement["outlet_a"].isin(["Reuters", REPRINT_OUTLET])
                         & ~c.agreement["outlet_b"].isin(["Reuters", REPRINT_OUTLET])]
    assert (others["n_pairs_independent"] == others["n_pairs"]).all()
    pd.testing.assert_series_equal(others["agreement_rate_independent"], others["agreement_rate"],
                                   check_names=False)


def test_report_marks_copies(with_reprint: tuple[claimcmp.Comparison, claimcmp.Article]) -> None:
    from claimcmp.report.html import render_report

    c, _ = with_reprint
    html = render_report(c, plots=False)
    assert '<section id="copies">' in html and '<section id="timeline">' in html
    assert f"copy: {REPRINT_OUTLET}" in html and "copy: Reuters" in html
    assert "independent)" in html
    sect = html.split('<section id="copies">')[1].split("</section>")[0]
    assert "Reuters → " + REPRINT_OUTLET in sect
    assert "Share of A copied" in sect and "Agreement, independent pairs" in sect
    assert len(re.findall(r'<tr class="copied">', sect)) == len(c.copied_sentences)


def test_roundtrip_keeps_copy_and_timeline_tables(with_reprint: tuple[claimcmp.Comparison, claimcmp.Article],
                                                  tmp_path: Path) -> None:
    c, _ = with_reprint
    back = claimcmp.read_comparison(c.to_parquet(tmp_path / "out"))
    for name in ("copied_sentences", "copies", "timeline", "pairs", "claims", "agreement"):
        pd.testing.assert_frame_equal(getattr(back, name), getattr(c, name), check_categorical=True)
    back.validate()


HOSTILE = 'Officials said the <script>alert("x")</script> ceasefire will begin on Saturday at midnight in Syria.'


def test_cli_writes_copy_and_timeline_tables_and_escapes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from claimcmp.cli import main

    folder = tmp_path / "event"
    folder.mkdir()
    rows = [("a.txt", "Wire <b>One</b>", "2016-02-20T08:00:00Z",
             HOSTILE + " Aid convoys reached three besieged towns near Damascus on Friday."),
            ("b.txt", "Echo Daily", "2016-02-20T11:30:00Z",
             HOSTILE.replace("Saturday", "Saturday,") + " The opposition said it had not been consulted at all."),
            ("c.txt", "Third Voice", "", "The truce starts this weekend, according to diplomats in Geneva today.")]
    lines = ["file,outlet,date"]
    for f, outlet, date, text in rows:
        (folder / f).write_text(text, encoding="utf-8")
        lines.append(f'{f},"{outlet}",{date}')
    (folder / "manifest.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    code = main(["compare", str(folder), "--out", str(tmp_path / "out"), "--quiet"])
    _, err = capsys.readouterr()
    assert code == 0, err
    copies = pd.read_parquet(tmp_path / "out" / "copies.parquet")
    assert len(copies) == 1 and copies.iloc[0]["direction"] in ("a->b", "b->a")
    src = copies.iloc[0]["source_article_id"]
    back = claimcmp.read_comparison(tmp_path / "out")
    assert back.articles.set_index("article_id").at[src, "outlet"] == "Wire <b>One</b>"
    timeline = pd.read_parquet(tmp_path / "out" / "timeline.parquet")
    assert timeline["published"].isna().sum() == 1  # the undated article, kept
    assert (tmp_path / "out" / "timeline.csv").is_file() and (tmp_path / "out" / "copied_sentences.csv").is_file()
    html = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "<script>alert" not in html and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "Wire <b>One</b>" not in html and "Wire &lt;b&gt;One&lt;/b&gt;" in html
    sect = html.split('<section id="copies">')[1].split("</section>")[0]
    assert "Wire &lt;b&gt;One&lt;/b&gt; → Echo Daily" in sect
    tl = html.split('<section id="timeline">')[1].split("</section>")[0]
    assert "<img" in tl and "No date: Third Voice" in tl
