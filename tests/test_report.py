"""The HTML report: written, self-contained, escaped, every sentence anchored at its char offsets."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from report_helpers import PWNED, hostile_comparison, parse_report

import claimcmp
from claimcmp.report.html import anchor_id, render_report, render_summary_html, summarise_stances


@pytest.fixture(scope="module")
def seeds_html(seeds_comparison: claimcmp.Comparison, tmp_path_factory: pytest.TempPathFactory) -> str:
    path = claimcmp.write_report(seeds_comparison, tmp_path_factory.mktemp("report") / "report.html")
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def hostile_html() -> str:
    return render_report(hostile_comparison(), plots=False)


def test_report_is_written_and_self_contained(seeds_comparison: claimcmp.Comparison, tmp_path: Path) -> None:
    path = seeds_comparison.write_report(tmp_path / "sub" / "report.html")
    text = path.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>")
    assert "<script" not in text.lower()
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", text), "the report must not load anything remote"
    assert "Content-Security-Policy" in text
    tl = text[text.index('id="timeline"'):]
    tl = tl[:tl.index("</section>")]
    assert tl.count("data:image/png;base64,") >= 1  # the event's timeline plot
    assert text.count("data:image/png;base64,") == 3 + tl.count("data:image/png;base64,")


def test_one_row_per_cross_outlet_claim_and_one_column_per_outlet(
        seeds_comparison: claimcmp.Comparison, seeds_html: str) -> None:
    cross = seeds_comparison.cross_outlet_claims()
    grid = seeds_html.split('<table class="grid">', 1)[1].split("</table>", 1)[0]
    assert grid.count('<tr id="c-') == len(cross)
    for cid in cross["claim_id"]:
        assert f'<tr id="c-{cid}">' in grid
    outlets = sorted(seeds_comparison.articles["outlet"])
    header = grid.split("</thead>", 1)[0]
    assert re.findall(r"<th>([^<]*)</th>", header) == outlets
    # omissions are explicit cells: every (claim, outlet) not carried shows "not reported"
    carried = seeds_comparison.coverage[seeds_comparison.coverage["claim_id"].isin(cross["claim_id"])]
    assert grid.count(">not reported</td>") == int((~carried["carried"]).sum())


def test_single_outlet_claims_are_in_a_collapsed_section(
        seeds_comparison: claimcmp.Comparison, seeds_html: str) -> None:
    section = seeds_html.split('<details id="single">', 1)[1].split("</details>", 1)[0]
    single = seeds_comparison.claims[seeds_comparison.claims["n_outlets"] == 1]
    for cid in single["claim_id"]:
        assert f'<tr id="c-{cid}">' in section


def test_every_sentence_has_an_anchor_and_every_link_resolves(
        seeds_comparison: claimcmp.Comparison, seeds_html: str) -> None:
    parsed = parse_report(seeds_html)
    ids = set(parsed.ids)
    assert len(ids) == len(parsed.ids), "duplicate HTML ids"
    for sid in seeds_comparison.sentences["sentence_id"]:
        assert anchor_id(sid) in ids
        assert f'href="#{anchor_id(sid)}"' in seeds_html, f"no link to sentence {sid}"
    internal = [h[1:] for h in parsed.hrefs if h.startswith("#")]
    assert internal and set(internal) <= ids, set(internal) - ids


def test_full_texts_are_exact_and_highlights_follow_char_offsets(
        seeds_comparison: claimcmp.Comparison, seeds_html: str) -> None:
    parsed = parse_report(seeds_html)
    texts = dict(zip(seeds_comparison.articles["article_id"], seeds_comparison.articles["text"], strict=True))
    assert parsed.texts == texts
    expected = {s.sentence_id: (s.article_id, s.char_start, s.char_end)
                for s in seeds_comparison.sentences.itertuples(index=False)}
    assert parsed.sentences == expected
    removed = sorted((r.article_id, r.char_start, r.char_end, f"removed: {r.reason}")
                     for r in seeds_comparison.removed.itertuples(index=False))
    assert sorted(parsed.removed) == removed


def test_repeated_sentence_is_highlighted_at_each_offset(hostile_html: str) -> None:
    comparison = hostile_comparison()
    parsed = parse_report(hostile_html)
    text = comparison.articles.set_index("article_id").at["evil-1", "text"]
    repeated = comparison.sentences[comparison.sentences["text"].str.startswith("The ceasefire in Syria")]
    assert len(repeated) == 2
    for s in repeated.itertuples(index=False):
        aid, start, end = parsed.sentences[s.sentence_id]
        assert (aid, start, end) == ("evil-1", s.char_start, s.char_end)
        assert text[start:end] == s.text
    assert len({parsed.sentences[s][1] for s in repeated["sentence_id"]}) == 2


def test_untrusted_text_is_escaped(hostile_html: str) -> None:
    low = hostile_html.lower()
    assert "<script" not in low
    assert "<b>markup</b>" not in hostile_html
    assert "&lt;b&gt;markup&lt;/b&gt;" in hostile_html
    assert "&lt;script&gt;document.title=" in hostile_html
    assert "<i>evil</i>" not in low and "&lt;i&gt;Evil&lt;/i&gt; News" in hostile_html
    assert "<img" not in low and "&lt;img src=x onerror=&quot;" in low
    assert 'href="javascript:' not in low
    assert 'href="https://example.org/truce?a=1&amp;b=2"' in hostile_html
    assert PWNED in hostile_html  # present, but only as text


def test_stance_summary_rule() -> None:
    assert summarise_stances([]) == "none"
    assert summarise_stances(["agree", "unrelated"]) == "agree"
    assert summarise_stances(["partial", "unrelated"]) == "partial"
    assert summarise_stances(["contradict", "agree"]) == "mixed"
    assert summarise_stances(["contradict", "unrelated"]) == "contradict"
    assert summarise_stances(["unrelated"]) == "unrelated"


def test_framing_section_hook_is_optional(seeds_comparison: claimcmp.Comparison,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    import claimcmp.framing as framing

    marker = '<h2 id="framing-test">Framing</h2>'
    monkeypatch.setattr(framing, "framing_html_section", lambda c: marker, raising=False)
    assert marker in render_report(seeds_comparison, plots=False)
    monkeypatch.delattr(framing, "framing_html_section")
    assert marker not in render_report(seeds_comparison, plots=False)


def test_repr_html_is_small_and_escaped(seeds_comparison: claimcmp.Comparison) -> None:
    out = seeds_comparison._repr_html_()
    assert len(out) < 10_000
    assert f"{len(seeds_comparison.claims)} claims" in out
    assert "<table>" in out and "agreement" in out
    hostile = render_summary_html(hostile_comparison())
    assert "<i>Evil</i>" not in hostile and "&lt;i&gt;Evil&lt;/i&gt;" in hostile


CONFLICT_ARTICLES = [
    {"article_id": "a", "outlet": "Wire <A>",
     "text": "12 people were killed in the attack on the Aleppo market on Tuesday, officials said. "
             "Aid convoys reached three besieged towns near Damascus on Friday."},
    {"article_id": "b", "outlet": "Daily B",
     "text": "Aid trucks arrived in three besieged towns near Damascus on Friday. "
             "30 people <b>were</b> killed in the attack on the Aleppo market on Tuesday, officials said."},
]


def test_contradictions_section_marks_the_conflicting_words_escaped() -> None:
    result = claimcmp.compare(CONFLICT_ARTICLES, show_progress=False)
    contra = result.pairs[result.pairs["stance"] == "contradict"]
    assert len(contra) == 1 and contra["conflict_kind"].iloc[0] == "number"
    html = render_report(result, plots=False)
    section = html[html.index('id="contradictions"'):html.index("</section>", html.index('id="contradictions"'))]
    marks = re.findall(r'<mark class="ev">(.*?)</mark>', section)
    assert sorted(marks) == ["12", "30"]
    assert "&lt;b&gt;were&lt;/b&gt;" in section and "<b>were</b>" not in section
    assert "Wire &lt;A&gt;" in section and "<A>" not in section
    assert "<br>number</td>" in section


def test_stance_summary_knows_disputed() -> None:
    assert summarise_stances(["disputed", "partial"]) == "disputed"
    assert summarise_stances(["contradict", "disputed"]) == "contradict"
