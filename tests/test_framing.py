"""Framing analysis: attribution, hedging, wording; on the seeds (real models) and on unit examples."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pandas as pd
import pytest

import claimcmp
from claimcmp.framing import Framing, Lexicon, analyze_framing, attribute_sentence, find_markers, framing_html_section
from claimcmp.framing._text import quote_spans
from claimcmp.framing.attribution import attribution_table
from claimcmp.framing.evaluate import read_gold, same_speaker, score
from claimcmp.framing.hedging import hedging_table
from claimcmp.framing.lexicon import variant_pattern

GOLD = Path(__file__).parent / "data" / "attribution_gold.csv"
#: Measured on the seeds against the hand gold (docs/guide/framing.md); the test allows MARGIN below.
MEASURED = {"speaker_precision": 0.985, "speaker_recall": 0.956, "mode_accuracy": 0.956, "hedged_precision": 1.0,
            "hedged_recall": 1.0}
MARGIN = 0.05
READY = re.compile(r"ready for (?:a )?(?:ceasefire|truce)|ready to stop military operations", re.I)


@pytest.fixture(scope="module")
def framing(seeds_comparison: claimcmp.Comparison) -> Framing:
    return seeds_comparison.framing


# --- measured quality on the seeds -------------------------------------------------------------------

def test_gold_covers_the_seed_sentences(seeds_comparison: claimcmp.Comparison) -> None:
    gold = read_gold(GOLD)
    ids = set(seeds_comparison.sentences["sentence_id"])
    assert gold["sentence_id"].is_unique
    assert len(set(gold["sentence_id"]) & ids) >= 0.95 * len(ids)
    assert set(gold["mode"]) <= {"direct_quote", "indirect", "own_voice"}


def test_attribution_and_hedging_stay_at_measured_quality(framing: Framing) -> None:
    s = score(framing.attribution, framing.hedging, read_gold(GOLD))
    got = {"speaker_precision": s["speaker"]["precision"], "speaker_recall": s["speaker"]["recall"],
           "mode_accuracy": s["mode_accuracy"], "hedged_precision": s["hedged"]["precision"],
           "hedged_recall": s["hedged"]["recall"]}
    for key, measured in MEASURED.items():
        assert got[key] >= measured - MARGIN, (key, got[key], s["errors"])


# --- the seeds' framing ------------------------------------------------------------------------------

def test_terrorists_militants_rebels_split_by_outlet(framing: Framing) -> None:
    m = framing.term_matrix("armed_groups")
    terrorist = m.loc[("armed_groups", "terrorist")]
    militant = m.loc[("armed_groups", "militant")]
    rebel = m.loc[("armed_groups", "rebel")]
    for outlet in ("RT", "IANS", "SANA", "Press TV"):
        assert terrorist[outlet] >= 2, outlet
    for outlet in ("RT", "IANS", "SANA"):  # never "militants" or "rebels"
        assert militant[outlet] == 0 and rebel[outlet] == 0, outlet
    # Reuters: "Nusra Front militants", "other militant groups", "Jaish al-Islam rebel group"; its one
    # "terrorists" is "groups designated as terrorists by the U.N. Security Council".
    assert militant["Reuters"] == 2 and rebel["Reuters"] == 1 and terrorist["Reuters"] == 1
    assert rebel.drop("Reuters").sum() == 0
    assert militant["Press TV"] == 1  # "Daesh and other militant groups"
    share = terrorist / m.sum()
    assert share["Reuters"] < 0.5 < min(share[o] for o in ("RT", "IANS", "SANA", "Press TV"))


def test_term_table_points_to_the_sentences(framing: Framing, seeds_comparison: claimcmp.Comparison) -> None:
    texts = seeds_comparison.sentences.set_index("sentence_id")["text"]
    tt = framing.term_table
    reuters = tt[(tt["outlet"] == "Reuters") & (tt["canonical"] == "rebel")]
    assert reuters["sentence_ids"].tolist() == ["002_f8a0c7eefd967341:1536-1639"]
    for ids, term, count in zip(tt["sentence_ids"], tt["term"], tt["count"]):
        sids = ids.split("; ")
        assert len(sids) <= count
        for sid in sids:
            assert re.search(variant_pattern(term), texts[sid], re.IGNORECASE), (term, sid)
    assert tt["count"].sum() == len(framing.terms)


def test_ready_for_ceasefire_claim_has_speakers_per_outlet(framing: Framing,
                                                           seeds_comparison: claimcmp.Comparison) -> None:
    s = seeds_comparison.sentences
    hits = s[s["text"].str.contains(READY) & s["text"].str.contains("Assad")]
    claim_id = int(hits["claim_id"].value_counts().idxmax())
    rows = framing.speakers(claim_id)
    by_outlet = {o: set(g["speaker"].dropna()) for o, g in rows.groupby("outlet", observed=True)}
    assert {"RT", "IANS", "Press TV"} <= set(by_outlet)
    assert "Syrian president Bashar Assad" in by_outlet["RT"]
    assert "Syrian President Bashar al-Assad" in by_outlet["IANS"]
    assert "Syrian President Bashar al-Assad" in by_outlet["Press TV"]
    by_assad = rows[rows["speaker"].fillna("").str.contains("Assad")]
    assert set(by_assad["mode"].astype(str)) <= {"indirect", "direct_quote"}
    for outlet in ("RT", "IANS", "Press TV"):  # the ready-for-ceasefire sentence itself is reported speech
        ready = rows[(rows["outlet"] == outlet) & rows["sentence_id"].isin(hits["sentence_id"])]
        assert "indirect" in set(ready["mode"].astype(str)), outlet


def test_claim_wording_for_shared_claims(framing: Framing, seeds_comparison: claimcmp.Comparison) -> None:
    cw = framing.claim_wording
    cross = seeds_comparison.cross_outlet_claims()
    assert set(cw["claim_id"]) == set(cross["claim_id"])
    assert (cw.groupby("claim_id")["outlet"].nunique() >= 2).all()
    press = cw[(cw["outlet"] == "Press TV") & (cw["terms"].str.contains("qualifiers:foreign-backed"))]
    assert len(press) == 1  # "foreign-backed terrorists" in the ready-for-ceasefire claim
    assert "qualifiers:foreign-backed" in press["distinctive_terms"].iloc[0]
    for words, sid_list in zip(cw["distinctive_words"], cw["sentence_ids"]):
        text = " ".join(seeds_comparison.sentences.set_index("sentence_id").loc[sid_list.split("; "), "text"]).lower()
        for w in filter(None, words.split("; ")):
            assert w in text


def test_offsets_reproduce_text(framing: Framing, seed_texts: dict[str, str]) -> None:
    a = framing.attribution.dropna(subset=["speaker"])
    for aid, s, e, sp in zip(a["article_id"], a["speaker_start"], a["speaker_end"], a["speaker"]):
        assert seed_texts[aid][int(s):int(e)] == sp
    t = framing.terms
    assert len(t) > 100
    for aid, s, e, text in zip(t["article_id"], t["char_start"], t["char_end"], t["text"]):
        assert seed_texts[aid][s:e] == text


def test_tables_join_to_sentences(framing: Framing, seeds_comparison: claimcmp.Comparison) -> None:
    ids = list(seeds_comparison.sentences["sentence_id"])
    assert list(framing.attribution["sentence_id"]) == ids
    assert list(framing.hedging["sentence_id"]) == ids
    assert set(framing.terms["sentence_id"]) <= set(ids)
    assert set(framing.speakers_by_claim["sentence_id"]) == set(ids)
    assert str(framing.attribution["speaker_start"].dtype) == "Int64"
    assert list(framing.attribution["mode"].cat.categories) == ["direct_quote", "indirect", "own_voice"]
    assert list(framing.hedging["certainty"].cat.categories) == ["hedged", "asserted"]
    assert framing.attribution["speaker_resolved"].dtype == bool


def test_comparison_accessor_is_cached_and_not_stored(seeds_comparison: claimcmp.Comparison,
                                                      tmp_path: Path) -> None:
    f = seeds_comparison.framing
    assert f is seeds_comparison.framing
    assert "framing" not in {fl.name for fl in dataclasses.fields(seeds_comparison)}
    seeds_comparison.to_parquet(tmp_path / "cmp")
    assert not [p for p in (tmp_path / "cmp").iterdir() if "framing" in p.name]


# --- attribution patterns ----------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "speaker", "verb", "mode"), [
    ("“We are ready to stop military operations,” Syrian president Bashar Assad said.",
     "Syrian president Bashar Assad", "say", "direct_quote"),
    ("'We have reached a provisional agreement,' Kerry said Sunday.", "Kerry", "say", "direct_quote"),
    ('"We have until Friday," said Alloush, who heads the political office.', "Alloush", "say", "direct_quote"),
    ("Lavrov said that the talks were positive.", "Lavrov", "say", "indirect"),
    ("Russian President Vladimir Putin on Saturday claimed that the army helped.", "Russian President Vladimir Putin",
     "claim", "indirect"),
    ("The deal excludes Daesh, the Kremlin and the Syrian presidency said.", "the Kremlin and the Syrian presidency",
     "say", "indirect"),
    ("Putin and Assad, who held a call, stressed the need to fight terrorism, the Kremlin said.", "the Kremlin",
     "say", "indirect"),
    ("According to the source that saw the draft, it does not include Islamic State.", "the source",
     "according to", "indirect"),
    ("The comment came as the Serbian Foreign Ministry earlier confirmed two deaths.",
     "the Serbian Foreign Ministry", "confirm", "indirect"),
    ("A source close to peace talks earlier told Reuters that the Nusra Front would not be targeted.",
     "A source close to peace talks", "tell", "indirect"),
    ("The minister expressed hope, saying the truce would hold.", "The minister", "express", "indirect"),
])
def test_attribution_patterns(text: str, speaker: str, verb: str, mode: str) -> None:
    a = attribute_sentence(text)
    assert (a.speaker, a.reporting_verb, a.mode) == (speaker, verb, mode)
    assert text[a.speaker_start:a.speaker_end] == speaker


@pytest.mark.parametrize("text", [
    "The US and Russia discussed “practical cooperation” on Syria during a call on Saturday.",
    "The conflict has claimed the lives of some 470,000 people.",
    "That’s why Turkey’s shelling of the Kurds matters to Damascus's allies.",
    "The agreement allows for continued attacks on the Nusra Front.",
    "The false report came amid reports of a number of packages.",
])
def test_own_voice(text: str) -> None:
    a = attribute_sentence(text)
    assert (a.speaker, a.mode) == (None, "own_voice")


def test_agentless_reporting_is_indirect_without_speaker() -> None:
    a = attribute_sentence("It was noted that progress was made on aid delivery.")
    assert (a.speaker, a.reporting_verb, a.mode) == (None, "note", "indirect")


def test_quote_spans_ignore_apostrophes() -> None:
    text = "“That’s why,” he said of Turkey’s 'terrorists' and the ministers’ talks."
    spans = [text[s:e] for s, e in quote_spans(text)]
    assert spans == ["“That’s why,”", "'terrorists'"]


def test_pronouns_and_quote_continuations_resolve_within_the_article() -> None:
    texts = ["Syrian President Bashar al-Assad said he was ready for a ceasefire.",
             "The President added that the borders must be sealed.",
             "“More than 80 countries supported those terrorists,” he said.",
             "“Some other countries supported them politically.”",
             "Meanwhile the fighting continued."]
    rows, pos = [], 0
    for pos, t in enumerate(texts):
        start = sum(len(x) + 1 for x in texts[:pos])
        rows.append({"sentence_id": f"a:{start}-{start + len(t)}", "article_id": "a", "outlet": "X",
                     "position": pos, "char_start": start, "text": t})
    att = attribution_table(pd.DataFrame(rows))
    assert att["speaker"].tolist()[:4] == ["Syrian President Bashar al-Assad", "The President",
                                           "Syrian President Bashar al-Assad", "Syrian President Bashar al-Assad"]
    assert att["speaker_resolved"].tolist() == [False, False, True, True, False]
    assert att["mention"].tolist()[2] == "he"
    assert att["mode"].astype(str).tolist() == ["indirect", "indirect", "direct_quote", "direct_quote", "own_voice"]
    assert (att["speaker_start"].iloc[2], att["speaker_end"].iloc[2]) == (0, 32)


def test_same_speaker_is_lenient_about_titles_only() -> None:
    assert same_speaker("Assad", "Syrian President Bashar al-Assad")
    assert same_speaker("the source", "the source that saw the draft document")
    assert not same_speaker("Russia", "the Russian Foreign Ministry")


# --- hedging -----------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "markers"), [
    ("The US and Russia have reportedly agreed on a document.", ["reportedly"]),
    ("Operations that may undermine the agreement, according to Kerry.", ["may", "according to"]),
    ("The US has been pounding alleged Daesh positions.", ["alleged"]),
    ("It is believed the truce could begin in the coming days.", ["it is believed", "could"]),
    ("Putin claimed that Russian forces helped.", ["claimed"]),
    ("The conflict has claimed the lives of 470,000 people since May 2011.", []),
    ("Holding a meeting isn't unlikely in the near future.", ["unlikely"]),
])
def test_hedging_markers(text: str, markers: list[str]) -> None:
    assert [m for _, m, _, _ in find_markers(text)] == markers


def test_hedging_table_labels_and_extension() -> None:
    df = pd.DataFrame({"sentence_id": ["a:0-1", "a:2-3"], "article_id": ["a", "a"], "outlet": ["X", "X"],
                       "text": ["Damascus is ready for a ceasefire.", "Sources suggest a deal is near."]})
    h = hedging_table(df)
    assert h["certainty"].astype(str).tolist() == ["asserted", "asserted"]
    h2 = hedging_table(df, extra={"evidential": [r"sources suggest"]})
    assert h2["certainty"].astype(str).tolist() == ["asserted", "hedged"]
    assert h2["markers"].tolist()[1] == "sources suggest"


# --- lexicon -----------------------------------------------------------------------------------------

def test_lexicon_matching_rules() -> None:
    lex = Lexicon.default()
    found = [(t.group, t.canonical, t.text) for t in lex.match(
        "Islamic State (IS, formerly ISIS/ISIL) and the Al Nusra Front; this is it. A cease-fire, a truce.")]
    assert ("islamic_state", "Islamic State", "Islamic State") in found
    assert ("islamic_state", "Islamic State", "IS") in found
    assert ("nusra", "Nusra Front", "Al Nusra Front") in found
    assert ("truce", "ceasefire", "cease-fire") in found
    assert not [f for f in found if f[2] == "is"]  # "IS" is case-sensitive
    assert [t.text for t in lex.match("Al-Qaeda-linked Al-Nusra Front") if t.group == "nusra"] == ["Al-Nusra Front"]
    assert [t.text for t in lex.match("anti-terror efforts, terrorism") if t.group == "armed_groups"] == []


def test_lexicon_extension_by_the_user(seeds_comparison: claimcmp.Comparison) -> None:
    extra = {"actors": {"Kremlin": ["Kremlin"], "Russia": ["Russia", "Moscow"]},
             "armed_groups": {"freedom fighter": ["freedom fighters"]}}
    fr = analyze_framing(seeds_comparison, lexicon=extra)
    kremlin = fr.terms[fr.terms["canonical"] == "Kremlin"]
    assert set(kremlin["outlet"].astype(str)) == {"Reuters"}
    assert len(kremlin) == 2
    assert "terrorist" in set(fr.terms["canonical"])  # the default lexicon is still there
    only = Lexicon.from_mapping({"actors": {"Kremlin": ["Kremlin"]}})
    assert set(analyze_framing(seeds_comparison, lexicon=only).terms["group"]) == {"actors"}
    lex = Lexicon.default().add("acronyms", "UN", "UN")
    assert [t.text for t in lex.match("the UN and un-named officials") if t.group == "acronyms"] == ["UN"]
    n = len(Lexicon.default().entries)
    assert len(Lexicon.default().extend({"truce": {"truce": ["Truce"]}}).entries) == n  # no duplicates


# --- HTML --------------------------------------------------------------------------------------------

def test_html_section_escapes_article_text() -> None:
    evil = [
        claimcmp.Article(article_id="evil_a", outlet="Evil <Outlet>",
                         text="<script>alert('x')</script> The terrorists broke the truce, officials said. "
                              "“We are ready for a ceasefire,” the <b>minister</b> said."),
        claimcmp.Article(article_id="evil_b", outlet="Other",
                         text="Militants broke the truce, officials said on Monday. "
                              "The minister said he was ready for a ceasefire <img src=x onerror=alert(1)>."),
    ]
    cmp = claimcmp.compare(evil, threshold=0.5, show_progress=False)
    html = framing_html_section(cmp)
    assert "<script" not in html and "<img" not in html and "<b>" not in html and "<Outlet>" not in html
    assert "&lt;script&gt;" in html or "&lt;img" in html
    assert "Evil &lt;Outlet&gt;" in html
    assert html.startswith("<section") and html.rstrip().endswith("</section>")
