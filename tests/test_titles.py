"""Headlines as claims: the title line the cleaner takes out of the body is compared like a sentence."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

import claimcmp
from claimcmp.errors import ParameterError
from claimcmp.saving import _write_parquet
from claimcmp.stages.clean import BoilerplateCleaner
from claimcmp.stages.segment import SentenceSegmenter
from claimcmp.store import file_digest

# NewsWCL50 event 3 (the DNC lawsuit), HuffPost 3_3_LL and Fox 3_3_R: title, sub-headline, the story's opening
HUFFPOST = ("Democrats sue Russia and Trump campaign, alleging conspiracy in 2016 election.\n\n"
            "The party alleged that top officials in Trump's campaign conspired with Russia to hurt Hillary "
            "Clinton.\n\n"
            "WASHINGTON (Reuters) - The Democratic Party sued the Russian government, U.S. President Donald Trump's "
            "campaign and WikiLeaks on Friday, charging that they carried out a wide - ranging conspiracy to influence "
            "the 2016 U.S. presidential election.\n\n"
            "In its federal lawsuit in Manhattan, the Democratic National Committee said that top officials in Trump's "
            "campaign conspired with the Russian government and its military spy agency to hurt Democratic "
            "presidential nominee Hillary Clinton and tilt the election to Trump by hacking Democratic Party "
            "computers.")
FOX = ("Democratic Party files suit alleging conspiracy by Trump campaign, Russia, WikiLeaks to sway 2016 election.\n\n"
       "DNC files lawsuit over election interference.\n\n"
       "The Democratic Party on Friday filed a multimillion - dollar federal lawsuit against Trump campaign officials, "
       "the Russian government and WikiLeaks alleging a widespread conspiracy to tilt the 2016 election in Donald "
       "Trump's favor.\n\n"
       "Calling it an \" all - out assault on our democracy, \" the Democratic National Committee filed the civil suit "
       "in federal district court in Manhattan.")
HUFFPOST_TITLE = "Democrats sue Russia and Trump campaign, alleging conspiracy in 2016 election."
FOX_TITLE = ("Democratic Party files suit alleging conspiracy by Trump campaign, Russia, WikiLeaks to sway 2016 "
             "election.")


def _articles() -> list[dict[str, str]]:
    return [{"article_id": "fox", "outlet": "Fox", "text": FOX},
            {"article_id": "huffpost", "outlet": "HuffPost", "text": HUFFPOST}]


def test_the_title_line_is_the_first_sentence_and_not_removed() -> None:
    arts = claimcmp.articles.to_articles(_articles())
    sentences, removed = claimcmp.Comparator._segment(arts, BoilerplateCleaner(), SentenceSegmenter())
    first = sentences[sentences["position"] == 0].set_index("article_id")
    assert first.loc["fox", "text"] == FOX_TITLE and first.loc["huffpost", "text"] == HUFFPOST_TITLE
    assert (first["part"] == "title").all()
    # HuffPost's sub-headline, between the title and the dateline, is compared too; Fox's second line is
    # not front matter (no dateline opens its story), so it stays a removed heading
    assert sentences.loc[(sentences["article_id"] == "huffpost") & (sentences["position"] == 1), "part"].tolist() \
        == ["front_matter"]
    assert set(sentences.loc[sentences["position"] > 1, "part"]) == {"body"}
    assert not removed["text"].isin([FOX_TITLE, HUFFPOST_TITLE]).any()
    # without titles the line is removed as a heading, as the cleaner says, and no sentence is a title
    s2, r2 = claimcmp.Comparator._segment(arts, BoilerplateCleaner(), SentenceSegmenter(), titles=False)
    assert set(s2["part"]) == {"body"} and len(s2) == len(sentences) - 3
    assert set(r2.loc[r2["reason"] == "heading", "text"]) >= {FOX_TITLE, HUFFPOST_TITLE}


def test_headlines_are_compared_and_traced_to_the_text() -> None:
    c = claimcmp.compare(_articles(), show_progress=False)
    titles = c.sentences[c.sentences["part"] == "title"]
    assert len(titles) == 2 and str(c.sentences["part"].dtype) == "category"
    for r in titles.itertuples():
        text = FOX if r.article_id == "fox" else HUFFPOST
        assert text[r.char_start:r.char_end] == r.text
    # the two headlines state one claim: they are judged as a pair and end up in one claim
    assert titles["claim_id"].nunique() == 1
    pair = c.pairs[c.pairs["sentence_id_a"].isin(titles["sentence_id"]) & c.pairs["sentence_id_b"].isin(
        titles["sentence_id"])]
    assert len(pair) == 1 and bool(pair["same_claim"].iloc[0])
    off = claimcmp.compare(_articles(), show_progress=False, titles=False)
    assert set(off.sentences["part"]) == {"body"}
    assert off.removed["text"].isin([FOX_TITLE, HUFFPOST_TITLE]).sum() == 2
    with pytest.raises(ParameterError):
        claimcmp.Comparator(titles="yes", show_progress=False).compare(_articles())  # type: ignore[arg-type]


def test_a_given_title_is_found_below_a_section_line() -> None:
    # Press TV's page opens with its site section; the title given in the manifest is the second line
    seeds = {a.outlet: a for a in claimcmp.load_seeds()}
    press = seeds["Press TV"]
    assert press.title and not press.text.lstrip().startswith(press.title)
    sentences, removed = claimcmp.Comparator._segment([press], BoilerplateCleaner(), SentenceSegmenter())
    title = sentences[sentences["part"] == "title"]
    assert title["text"].tolist() == [press.title] and title["position"].tolist() == [0]
    assert press.title not in set(removed["text"]) and (removed["reason"] == "heading").any()


def test_a_folder_saved_before_sentences_had_a_part_reads_back(tmp_path: Path) -> None:
    c = claimcmp.compare(_articles(), show_progress=False)
    folder = tmp_path / "run"
    c.to_parquet(folder)
    # rewrite sentences.parquet without the column, as an older claimcmp wrote it, and its digest
    p = Path(folder) / "sentences.parquet"
    run_id = json.loads((Path(folder) / "meta.json").read_text())["run_id"]
    _write_parquet(pd.read_parquet(p).drop(columns=["part"]), p, run_id)
    meta = json.loads((Path(folder) / "meta.json").read_text())
    meta["files"]["sentences.parquet"] = file_digest(p)
    (Path(folder) / "meta.json").write_text(json.dumps(meta))
    back = claimcmp.read_comparison(folder)
    assert list(back.sentences.columns) == list(c.sentences.columns)
    assert set(back.sentences["part"]) == {"body"} and len(back.sentences) == len(c.sentences)
