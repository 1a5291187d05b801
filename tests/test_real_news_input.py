"""Real news in, clean sentences out: segmentation repairs, structural cleaning, bad articles skipped, HTML pages."""

from __future__ import annotations

import html
from pathlib import Path

import pandas as pd
import pytest

import claimcmp
from claimcmp import errors as E
from claimcmp.cli import main
from claimcmp.stages.clean import BoilerplateCleaner, Span
from claimcmp.stages.segment import SentenceSegmenter

EVAL = Path(__file__).resolve().parent.parent.parent / "shared" / "eval"

# Ordinary news sentences that an earlier cleaner removed for a word they contain (issue 20).
ORDINARY = [
    "Saudi Arabia will donate $100 million to Syrian refugees, the ministry said.",
    "Russia said it would subscribe to the plan if the rebels complied.",
    "Updated figures show that 470,000 people have died in the war.",
    "By Saturday the truce was holding in most areas, monitors said.",
    "He told AFP/Reuters that the truce would hold.",
    "By noon, their own ostensible allies in Congress had buckled.",
    "Donors pledged to support independent journalism in the region, the foundation said.",
    "Get the daily briefing, the minister told reporters, was his new routine.",
]


def _sentences(text: str) -> list[str]:
    res = BoilerplateCleaner().clean(text)
    return [text[s.start:s.end] for s in SentenceSegmenter().segment(text, res.kept)]


@pytest.mark.parametrize("sentence", ORDINARY)
def test_ordinary_sentences_are_never_removed_for_a_word(sentence: str) -> None:
    text = "Officials met in Geneva on Monday to discuss the ceasefire and aid deliveries.\n\n" + sentence
    res = BoilerplateCleaner().clean(text)
    assert res.removed == []
    assert _sentences(text)[-1] == sentence


@pytest.mark.parametrize(("text", "expected"), [
    ("Sen. Bob Corker, R-Tenn., said the bill was wrong. The vote is on Friday.",
     ["Sen. Bob Corker, R-Tenn., said the bill was wrong.", "The vote is on Friday."]),
    ("Rep. Nancy Pelosi, D-Calif., told Politico that she would not back it. Others agreed with her.",
     ["Rep. Nancy Pelosi, D-Calif., told Politico that she would not back it.", "Others agreed with her."]),
    ("Gov. Andrew Cuomo, D-N.Y., spoke first. Atty. Gen. Merrick Garland said the opposite on Monday.",
     ["Gov. Andrew Cuomo, D-N.Y., spoke first.", "Atty. Gen. Merrick Garland said the opposite on Monday."]),
    ("“The deal was wrong.” He said it twice in the interview. Lt. Gen. H.R. McMaster did not respond.",
     ["“The deal was wrong.”", "He said it twice in the interview.", "Lt. Gen. H.R. McMaster did not respond."]),
    ("The team is ranked No. 3 in the U.S. after the win. The coach was pleased with the result.",
     ["The team is ranked No. 3 in the U.S. after the win.", "The coach was pleased with the result."]),
    ("In a statement to The Atlantic, Trump Jr. said he had done nothing wrong at the meeting.",
     ["In a statement to The Atlantic, Trump Jr. said he had done nothing wrong at the meeting."]),
])
def test_us_style_abbreviations_do_not_make_fragments(text: str, expected: list[str]) -> None:
    assert _sentences(text) == expected


def test_repair_can_be_turned_off_to_see_the_raw_backend() -> None:
    text = "Sen. Bob Corker, R-Tenn., said the bill was wrong on Monday night."
    raw = SentenceSegmenter(repair=False, min_chars=0).segment(text, [Span(0, len(text))])
    assert len(raw) > 1  # pysbd alone breaks after "R-Tenn."
    assert len(SentenceSegmenter().segment(text, [Span(0, len(text))])) == 1


@pytest.mark.parametrize(("text", "dateline", "first"), [
    ("FERGUSON, Mo. — Police said the man was shot on Saturday.", "FERGUSON, Mo. —", "Police said"),
    ("WASHINGTON ― The Senate voted on Thursday to pass the bill.", "WASHINGTON ―", "The Senate"),
    ("WEST PALM BEACH, Fla. — President Trump sent the director to Pyongyang.", "WEST PALM BEACH, Fla. —",
     "President Trump"),
    ("Washington (AFP) – US President Donald Trump has delayed his decision.", "Washington (AFP) –", "US President"),
    ("(CNN) - Patience is in ever-shorter supply across the country.", "(CNN) -", "Patience"),
    ("Feb 24, 2016 - Russia and the United States agreed on a truce.", "Feb 24, 2016 -", "Russia and"),
    ("FERGUSON, Mo.\n\nPolice said the man was shot on Saturday.", "FERGUSON, Mo.", "Police said"),
])
def test_datelines_are_split_off_and_recorded(text: str, dateline: str, first: str) -> None:
    res = BoilerplateCleaner().clean(text)
    assert [(r.reason, text[r.start:r.end]) for r in res.removed] == [("dateline", dateline)]
    assert _sentences(text)[0].startswith(first)


def test_credit_and_caption_lines_are_removed_with_reasons() -> None:
    body = "The Senate voted on Thursday to pass the bill after a long debate that lasted into the night."
    text = (f"{body}\n\nSenators leave the chamber after the vote. (Photo: AP)\n\n"
            "Protesters outside the Capitol on Thursday REUTERS/Jonathan Ernst\n\n"
            "Fox News' Chad Pergram and The Associated Press contributed to this report.")
    res = BoilerplateCleaner().clean(text)
    assert [r.reason for r in res.removed] == ["photo_caption", "photo_caption", "credit"]
    assert _sentences(text) == [body]


# Spaced straight quotes (NewsWCL50's rebuilt text): the mark after a full stop closes the quotation the
# paragraph left open, or opens the next one (held-out segmentation gold, 5_5_M and 1_1_M).
@pytest.mark.parametrize(("text", "expected"), [
    ('The announcement followed months of drama, with Trump wary of whether he would get a " warm welcome. " '
     'He also declined to attend the opening of a new U.S. Embassy in London.',
     ['The announcement followed months of drama, with Trump wary of whether he would get a " warm welcome. "',
      "He also declined to attend the opening of a new U.S. Embassy in London."]),
    ('The congressman added that the memos are also " corroborated by notes from Dana Boente. " Boente is a '
     "former acting attorney general.",
     ['The congressman added that the memos are also " corroborated by notes from Dana Boente. "',
      "Boente is a former acting attorney general."]),
    ('David Lammy asked whether anyone he knew was " good at making placards, " or signs, carried during '
     'demonstrations. " Asking for a friend, " Lammy added.',
     ['David Lammy asked whether anyone he knew was " good at making placards, " or signs, carried during '
      "demonstrations.", '" Asking for a friend, " Lammy added.']),
    ('" They hacked the party in 2016 and they will be back, " Perez said. " We must prevent future attacks. "',
     ['" They hacked the party in 2016 and they will be back, " Perez said.', '" We must prevent future attacks. "']),
    # a quotation whose opening mark is in an earlier paragraph, closed before its attribution (6_6_R)
    ('Groups have entered the United States by climbing the fence near the port, " he said. " In several '
     'incidents, children were seen crossing. "',
     ['Groups have entered the United States by climbing the fence near the port, " he said.',
      '" In several incidents, children were seen crossing. "']),
    # a curly opening mark closed by a straight one (4_4_M)
    ('“If they restart their program, they will have bigger problems, " Trump said in the Oval Office. " You can '
     'mark it down. "',
     ['“If they restart their program, they will have bigger problems, " Trump said in the Oval Office.',
      '" You can mark it down. "']),
])
def test_spaced_quotes_go_with_the_quotation_they_close(text: str, expected: list[str]) -> None:
    assert _sentences(text) == expected


def test_a_closing_contributed_reporting_line_is_a_credit() -> None:
    body = ("North Korea's leader announced early Saturday that his country no longer needed to test nuclear "
            "weapons or long-range missiles.")
    credit = ("Mark Landler contributed reporting from Washington, Motoko Rich from Tokyo and Rick Gladstone "
              "from New York.")
    text = f"{body}\n\n{credit}"
    res = BoilerplateCleaner().clean(text)
    assert [(r.reason, text[r.start:r.end]) for r in res.removed] == [("credit", credit)]
    assert _sentences(text) == [body]
    # the same line inside the body is kept: its place is part of the evidence
    text = f"{credit}\n\n{body}"
    assert BoilerplateCleaner().clean(text).removed == []


def test_a_line_introducing_a_quote_is_not_a_heading() -> None:
    text = ("Senate passes the bill\n\nAnd Trump himself lashed out on Twitter, saying:\n\n"
            "\"This is a witch hunt,\" he wrote on Friday morning.")
    res = BoilerplateCleaner().clean(text)
    assert [(r.reason, text[r.start:r.end]) for r in res.removed] == [("heading", "Senate passes the bill")]


@pytest.mark.parametrize("text", [
    "Mob Strips Adulterous Woman",
    "30 October 2016 35 cases of suffocation in terrorist chemical attack on al-Hamadaniyeh area in Aleppo city",
    "By Staff Reporter",
    "Feb 24, 2016",
])
def test_the_cleaner_never_empties_an_article(text: str) -> None:
    assert _sentences(text), text


@pytest.mark.skipif(not (EVAL / "sts_news_headlines").is_dir(), reason=f"shared data not found at {EVAL}")
def test_no_real_headline_is_emptied() -> None:
    from benchmarks.data import headlines

    ps = headlines((2013, 2014, 2015, 2016))
    texts = sorted(set(ps.s1) | set(ps.s2))
    assert len(texts) > 2000
    emptied = [t for t in texts if not _sentences(t)]
    assert emptied == []


@pytest.mark.skipif(not (EVAL / "sts_news_headlines").is_dir(), reason=f"shared data not found at {EVAL}")
def test_headlines_as_articles_compare_with_the_default_cleaner() -> None:
    from benchmarks.data import headlines

    ps = headlines((2014,))
    arts = [{"outlet": f"outlet{i % 3}", "text": t} for i, t in enumerate(list(dict.fromkeys(ps.s1))[:24])]
    res = claimcmp.compare(arts, show_progress=False)
    assert len(res.articles) == 24 and res.skipped.empty
    assert set(res.sentences["article_id"]) == set(res.articles["article_id"])


GOOD = [
    {"article_id": "a", "outlet": "Coast Herald", "text": "The storm reached the coast on Monday. Two died."},
    {"article_id": "b", "outlet": "Metro Daily", "text": "Winds of 150 km/h hit the coast on Monday."},
]
BAD = [
    {"article_id": "empty", "outlet": "Metro Daily", "text": "   "},
    {"article_id": "nooutlet", "outlet": None, "text": "Officials said the port will stay closed until Friday."},
    {"article_id": "a", "outlet": "Other", "text": "A second article that reuses the id of the first one here."},
]


def test_bad_articles_raise_by_default() -> None:
    with pytest.raises(E.EmptyTextError, match="empty"):
        claimcmp.compare([*GOOD, BAD[0]], show_progress=False)
    with pytest.raises(E.ParameterError, match="on_bad_article"):
        claimcmp.compare(GOOD, on_bad_article="ignore", show_progress=False)


def test_bad_articles_are_skipped_and_listed(tmp_path: Path) -> None:
    res = claimcmp.compare([*GOOD, *BAD], on_bad_article="skip", show_progress=False)
    assert sorted(res.articles["article_id"]) == ["a", "b"]
    sk = res.skipped
    assert list(sk["position"]) == [2, 3, 4]
    assert list(sk["error"]) == ["EmptyTextError", "MissingOutletError", "DuplicateArticleIdError"]
    assert list(sk["code"]) == ["CC102", "CC103", "CC104"]
    assert list(sk["stage"]) == ["input"] * 3
    assert "Skipped articles: 3" in res.summary()
    back = claimcmp.read_comparison(res.to_parquet(tmp_path / "out"))
    pd.testing.assert_frame_equal(back.skipped, res.skipped)


class _DropAll:
    """A cleaner that removes everything, to reach the no-sentences-after-cleaning path."""

    def clean(self, text: str) -> claimcmp.stages.clean.CleanResult:
        from claimcmp.stages.clean import CleanResult, RemovedSpan

        return CleanResult(kept=[], removed=[RemovedSpan(0, len(text.rstrip()), "heading")])


def test_an_article_emptied_by_a_custom_cleaner_is_skipped() -> None:
    cleaner = _DropAll()
    with pytest.raises(E.EmptyTextError, match="no sentences left"):
        claimcmp.compare(GOOD, cleaner=cleaner, show_progress=False)
    with pytest.raises(E.NoArticlesError, match="skipped"):
        claimcmp.compare(GOOD, cleaner=cleaner, on_bad_article="skip", show_progress=False)


# --- saved web pages ---------------------------------------------------------------------------

PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title} | {site}</title>
<meta property="og:site_name" content="{site}"><link rel="canonical" href="{url}">
<meta property="article:published_time" content="{date}T09:30:00Z">
<script>window.dataLayer = [{{"page": "<p>tracking pixel text</p>"}}];</script>
<style>.nav a {{ color: #333; }}</style></head>
<body><header><div class="logo">{site}</div><nav class="nav"><ul><li><a href="/">Home</a></li>
<li><a href="/world">World</a></li><li><a href="/politics">Politics</a></li><li><a href="/subscribe">Subscribe</a></li>
</ul></nav></header>
<main><article><h1>{title}</h1><div class="byline">By {author}</div><time datetime="{date}">{date}</time>
{paragraphs}
<figure><img src="/img/1.jpg" alt=""><figcaption>Residents clear debris on Tuesday. (Photo: AP)</figcaption></figure>
</article>
<aside class="related"><h3>Related stories</h3><ul><li><a href="/a">Storm season starts early</a></li>
<li><a href="/b">How to prepare your home</a></li></ul></aside>
<section id="comments"><h3>Comments</h3><div class="comment"><b>reader42</b> This is a disgrace, nobody warned us!
</div></section></main>
<footer><p>&copy; 2018 {site}. All rights reserved.</p><a href="/privacy">Privacy policy</a></footer></body></html>
"""

STORY = {
    "herald": ("Coast Herald", "https://coastherald.example/news/storm-hits-coast", "Jane Doe", [
        "PORTSMOUTH, Va. — The storm reached the coast on Monday night with winds of 150 km/h, the weather "
        "service said.",
        "Two people were killed and thousands lost power across the region, officials said on Tuesday.",
        "Gov. Ralph Northam, D-Va., said the port would stay closed until Friday & that schools would reopen.",
    ]),
    "metro": ("Metro Daily", "https://metrodaily.example/2018/05/storm", "John Smith", [
        "Winds of 150 km/h hit the coast on Monday night as the storm arrived, forecasters said.",
        "Officials said two people died and that power was cut to thousands of homes <b>overnight</b>.",
        "The port will remain closed until Friday, the governor said at a news conference on Tuesday.",
    ]),
}


def write_pages(folder: Path) -> Path:
    folder.mkdir(parents=True)
    for name, (site, url, author, paras) in STORY.items():
        body = "\n".join(f"<p>{html.escape(p) if '<b>' not in p else p}</p>" for p in paras)
        (folder / f"{name}.html").write_text(PAGE.format(title=f"Storm hits the coast, {site} reports", site=site,
                                                         url=url, date="2018-05-29", author=author,
                                                         paragraphs=body), encoding="utf-8")
    return folder


def test_load_articles_reads_saved_pages(tmp_path: Path) -> None:
    arts = {a.article_id: a for a in claimcmp.load_articles(write_pages(tmp_path / "pages"))}
    assert sorted(arts) == ["herald", "metro"]
    h = arts["herald"]
    assert h.outlet == "Coast Herald" and h.url == STORY["herald"][1] and h.date == "2018-05-29"
    assert h.title == "Storm hits the coast, Coast Herald reports"
    assert "& that schools" in h.text and "&amp;" not in h.text
    for a in arts.values():
        for junk in ("<", "tracking pixel", "Privacy policy", "All rights reserved", "disgrace", "How to prepare",
                     "Subscribe"):
            assert junk not in a.text, (a.article_id, junk)
    assert "overnight." in arts["metro"].text


def test_manifest_values_win_over_the_page(tmp_path: Path) -> None:
    folder = write_pages(tmp_path / "pages")
    (folder / "manifest.csv").write_text("file,outlet,article_id\nherald.html,Herald (print),h1\n"
                                         "metro.html,,\n", encoding="utf-8")
    arts = {a.article_id: a for a in claimcmp.load_articles(folder)}
    assert arts["h1"].outlet == "Herald (print)" and arts["h1"].url == STORY["herald"][1]
    assert arts["metro"].outlet == "Metro Daily"


def test_cli_compares_a_folder_of_saved_pages(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = write_pages(tmp_path / "pages")
    (folder / "broken.html").write_text("<html><body><nav><a href='/'>Home</a></nav></body></html>",
                                        encoding="utf-8")
    code = main(["compare", str(folder), "--out", str(tmp_path / "out"), "--format", "parquet"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "claimcmp: skipped: pages:" in err and "broken" in err
    res = claimcmp.read_comparison(tmp_path / "out")
    assert list(res.skipped["article_id"]) == ["broken"]
    assert sorted(res.articles["outlet"]) == ["Coast Herald", "Metro Daily"]
    assert set(res.articles["url"]) == {STORY["herald"][1], STORY["metro"][1]}
    assert not res.sentences["text"].str.contains("<|>|&amp;", regex=True).any()
    assert "dateline" in set(res.removed["reason"].astype(str))
    assert res.sentences["text"].str.startswith("Gov. Ralph Northam, D-Va., said").any()
    assert "Skipped articles: 1" in out
