"""Cleaning and segmentation: nothing dropped silently, offsets always reproduce the text."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import claimcmp
from claimcmp.stages.clean import BoilerplateCleaner, NoCleaner
from claimcmp.stages.segment import SentenceSegmenter


def _coverage_ok(text: str, cleaner: BoilerplateCleaner) -> None:
    """Every non-whitespace character is in exactly one kept or removed span."""
    res = cleaner.clean(text)
    owner = [0] * len(text)
    for s in res.kept:
        for i in range(s.start, s.end):
            owner[i] += 1
    for r in res.removed:
        for i in range(r.start, r.end):
            owner[i] += 1
    for i, ch in enumerate(text):
        if not ch.isspace():
            assert owner[i] == 1, f"char {i} {ch!r} covered {owner[i]} times"


def test_seed_boilerplate_is_removed_with_reasons(seeds: list[claimcmp.Article]) -> None:
    cleaner = BoilerplateCleaner()
    by_id = {a.article_id: a for a in seeds}
    reasons: dict[str, set[str]] = {}
    for a in seeds:
        _coverage_ok(a.text, cleaner)
        res = cleaner.clean(a.text)
        reasons[a.outlet] = {r.reason for r in res.removed}
        kept = " ".join(a.text[s.start:s.end] for s in res.kept)
        for junk in ("READ MORE", "Facebook Comments", "David Dzidzikashvili", "Post a comment", "Check Also",
                     "UNITED24", "mailing list", "REUTERS/Sergei", "by admin", "With IANS Inputs",
                     "Hazem Sabbagh", "Mi-24", "Social Streams"):
            assert junk not in kept, f"{junk!r} kept in {a.outlet}"
    assert {"teaser"} <= reasons["RT"]
    assert {"reader_comments", "photo_caption", "dateline"} <= reasons["Reuters"]
    assert {"donation", "newsletter", "dateline"} <= reasons["Press TV"]
    assert {"teaser", "byline", "dateline"} <= reasons["SANA"]
    assert {"credit", "dateline", "heading"} <= reasons["IANS"]
    reuters = by_id["002_f8a0c7eefd967341"].text
    comments = [r for r in cleaner.clean(reuters).removed if r.reason == "reader_comments"]
    assert comments and reuters[comments[0].end:].strip() == ""


def test_dateline_prefix_removed_but_sentence_kept() -> None:
    text = "MOSCOW, Feb 24 – Syrian President Bashar al-Assad told Putin he was ready."
    res = BoilerplateCleaner().clean(text)
    assert [(r.reason, text[r.start:r.end]) for r in res.removed] == [("dateline", "MOSCOW, Feb 24 –")]
    assert text[res.kept[0].start:res.kept[0].end].startswith("Syrian President")


def test_headings_can_be_kept() -> None:
    text = "A Headline Without A Full Stop\n\nThe body says something."
    assert [r.reason for r in BoilerplateCleaner().clean(text).removed] == ["heading"]
    assert BoilerplateCleaner(remove_headings=False).clean(text).removed == []


def test_text_of_only_unpunctuated_lines_is_kept() -> None:
    # a truncated one-line lead (NeuS-style) is content; emptying it would raise EmptyTextError
    text = "By Jane Doe\n\nThe Senate voted on Tuesday to extend the truce monitoring mission for"
    res = BoilerplateCleaner().clean(text)
    assert [text[k.start:k.end] for k in res.kept] == [text.split("\n\n")[1]]
    assert [r.reason for r in res.removed] == ["byline"]
    spans = SentenceSegmenter().segment(text, res.kept)
    assert [text[s.start:s.end] for s in spans] == [text.split("\n\n")[1]]
    # a heading above real prose is still removed
    titled = "Senate extends the truce mission in a late vote\n\n" + text.split("\n\n")[1] + " two months."
    assert [r.reason for r in BoilerplateCleaner().clean(titled).removed] == ["heading"]


def test_no_cleaner_keeps_everything() -> None:
    text = "READ MORE: something\n\nBody text."
    assert len(NoCleaner().clean(text).kept) == 2


@pytest.mark.parametrize("backend", ["pysbd", "spacy"])
def test_segment_offsets_and_abbreviations(backend: str) -> None:
    text = ("The U.S. and Russia agreed on Feb. 12 in Munich. Mr. Kerry said so. "
            "“We are ready,” Assad said.")
    seg = SentenceSegmenter(backend=backend)
    spans = seg.segment(text, [claimcmp.stages.Span(0, len(text))])
    sents = [text[s.start:s.end] for s in spans]
    assert all(s == s.strip() and s for s in sents)
    if backend == "pysbd":
        assert sents == ["The U.S. and Russia agreed on Feb. 12 in Munich.", "Mr. Kerry said so.",
                         "“We are ready,” Assad said."]


def test_unknown_backend() -> None:
    with pytest.raises(claimcmp.errors.ParameterError):
        SentenceSegmenter(backend="nope").segment("a. b.", [claimcmp.stages.Span(0, 5)])


words = st.sampled_from(["Assad", "said", "the", "truce", "U.S.", "Feb.", "ready", "“quoted”", "'x'", "no.",
                         "READ MORE:", "by", "—", "Moscow,", "3.5", "e.g.", "!", "?", "..."])
texts = st.lists(st.lists(words, min_size=1, max_size=12).map(" ".join), min_size=1, max_size=6).map(
    lambda paras: "\n\n".join(p + "." for p in paras))


@settings(max_examples=150, deadline=None)
@given(texts)
def test_offsets_reproduce_text_on_random_input(text: str) -> None:
    cleaner, seg = BoilerplateCleaner(), SentenceSegmenter()
    _coverage_ok(text, cleaner)
    res = cleaner.clean(text)
    spans = seg.segment(text, res.kept)
    last = -1
    for s in spans:
        piece = text[s.start:s.end]
        assert piece and piece == piece.strip()
        assert s.start >= last
        last = s.end
    kept_chars = "".join(re.sub(r"\s", "", text[k.start:k.end]) for k in res.kept)
    sent_chars = "".join(re.sub(r"\s", "", text[s.start:s.end]) for s in spans)
    assert kept_chars == sent_chars, "segmentation must not lose kept text"
