"""Property-based fuzz suite, part 1 (no models): the input layer, the file readers, the cleaner and segmenter
offsets, parameter checks and the terminal sanitiser.

Every property asserts "a typed error or a valid result": a failure must be a
:class:`~claimcmp.errors.ClaimcmpError`, never a bare TypeError/ValueError/UnicodeError from deep inside.
Profiles and example counts: tests/fuzz_helpers.py (``CLAIMCMP_FUZZ=long`` for the long run).
"""

from __future__ import annotations

import csv
import inspect
import io
import itertools
import json
import tempfile
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from fuzz_helpers import (
    CONTROL,
    HOSTILE,
    article_rows,
    budget,
    field_values,
    hostile_text,
    mutate_sentences,
    outlets,
    report_tally,
    tally,
    typed_or_success,
    wrong_types,
)
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import claimcmp
import claimcmp.store
from claimcmp._text_safety import replace_unencodable, sanitize_terminal
from claimcmp.api import STAGE_METHODS, Comparator
from claimcmp.articles import Article, to_articles, to_articles_skipping
from claimcmp.cli import EXIT_INPUT, emit, main
from claimcmp.copies import CopyDetector
from claimcmp.errors import ClaimcmpError, ClaimcmpWarning, InputError, NoArticlesError, ParameterError
from claimcmp.io import load_articles
from claimcmp.stages.clean import BoilerplateCleaner, NoCleaner
from claimcmp.stages.cluster import LinkClusterer, ThresholdClusterer
from claimcmp.stages.embed import SentenceEmbedder
from claimcmp.stages.nli import NLIJudge
from claimcmp.stages.retrieve import NeighbourRetriever
from claimcmp.stages.segment import SentenceSegmenter
from claimcmp.stages.stance import StanceJudge
from claimcmp.stages.verify import SameClaimVerifier


@pytest.fixture(scope="module", autouse=True)
def _tally() -> Iterator[None]:
    yield
    data = report_tally()
    assert all(v.get("untyped", 0) == 0 for v in data.values()), data


def _check_articles(rows: list[dict[str, Any]], out: list[Article]) -> None:
    """What a successful validation promises about each article."""
    assert len(out) == len(rows)
    assert len({a.article_id for a in out}) == len(out)
    for row, a in zip(rows, out):
        assert isinstance(a.text, str) and a.text.strip()
        assert a.text == replace_unencodable(row["text"])[0], "the text is never rewritten (surrogates aside)"
        assert isinstance(a.outlet, str) and a.outlet == a.outlet.strip() and a.outlet
        assert isinstance(a.article_id, str) and a.article_id
        for f in ("title", "date", "url"):
            assert getattr(a, f) is None or isinstance(getattr(a, f), str)


def _check_sentences(arts: list[Article]) -> None:
    """The steps of compare() before any model: cleaning and segmentation give spans that slice the text."""
    sentences, removed = Comparator._segment(arts, BoilerplateCleaner(), SentenceSegmenter(), [])
    texts = {a.article_id: a.text for a in arts}
    for table in (sentences, removed):
        for aid, s, e, t in zip(table.get("article_id", []), table.get("char_start", []), table.get("char_end", []),
                                table.get("text", [])):
            assert 0 <= s < e <= len(texts[aid]) and texts[aid][s:e] == t


@settings(max_examples=budget("articles"))
@given(rows=article_rows(), as_objects=st.booleans())
def test_article_validation_is_typed_or_valid(rows: list[dict[str, Any]], as_objects: bool) -> None:
    items: list[Any] = rows
    if as_objects:  # Article objects are not validated on construction, only when handed in
        items = [Article(**{k: r.get(k) for k in ("article_id", "outlet", "text", "title", "date", "url")})
                 for r in rows]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        strict = typed_or_success("articles", lambda: to_articles(items))
        lenient = typed_or_success("articles", lambda: to_articles_skipping(items))
    assert all(issubclass(w.category, ClaimcmpWarning) for w in caught), [str(w.message) for w in caught]
    if isinstance(strict, list):
        _check_articles([r if not as_objects else {"text": a.text} for r, a in zip(rows, items)], strict)
        assert isinstance(lenient, tuple) and lenient[0] == strict and not lenient[1]
        typed_or_success("articles", lambda: _check_sentences(strict))
    elif isinstance(lenient, tuple):  # one bad article: strict raises, lenient skips it and keeps the others
        assert isinstance(strict, InputError)
        valid, skipped = lenient
        assert skipped and len(valid) + len(skipped) == len(rows)
        assert all(str(r["code"]).startswith("CC1") for r in skipped)
        assert not any(CONTROL.search(str(r["message"])) for r in skipped)
    else:  # the input as a whole is unusable: both raise the same error
        assert type(strict) is type(lenient)


def _container(kind: str, rows: list[dict[str, Any]]) -> Any:
    if kind == "tuple":
        return tuple(rows)
    if kind == "generator":
        return (r for r in rows)
    if kind == "dataframe":
        return pd.DataFrame(rows)
    if kind == "dataframe_dup":  # duplicated column names
        df = pd.DataFrame(rows)
        return pd.concat([df, df], axis=1) if len(df.columns) else df
    return rows


@settings(max_examples=budget("containers"))
@given(rows=article_rows(3), kind=st.sampled_from(("list", "tuple", "generator", "dataframe", "dataframe_dup")),
       other=st.one_of(wrong_types, hostile_text, st.dictionaries(st.text(max_size=5), field_values, max_size=3)),
       use_other=st.booleans())
def test_any_container_is_typed_or_valid(rows: list[dict[str, Any]], kind: str, other: Any, use_other: bool) -> None:
    try:
        articles = other if use_other else _container(kind, rows)
    except (ValueError, TypeError):  # pandas cannot build that frame (e.g. lone surrogates in arrow strings)
        assume(False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = typed_or_success("containers", lambda: to_articles(articles))
    if use_other and not isinstance(other, (list, tuple, frozenset)):
        assert isinstance(result, ClaimcmpError)


@settings(max_examples=budget("compare_parameters"))
@given(threshold=st.one_of(st.none(), st.floats(-1, 2), wrong_types, hostile_text),
       single=st.one_of(st.booleans(), wrong_types), progress=st.one_of(st.booleans(), wrong_types),
       device=st.one_of(st.sampled_from(("cpu", "cuda:99", "mps", "CPU", "cpu ", "gpu", "cuda:-1", "\x1b[31mcpu")),
                        hostile_text, wrong_types),
       bad=st.one_of(st.sampled_from(("raise", "skip", "Skip", "ignore", "")), wrong_types),
       stages=st.dictionaries(st.sampled_from((*STAGE_METHODS, "threshold_", "model", "\x1b")),
                              st.one_of(wrong_types, st.just(SentenceSegmenter())), max_size=2))
def test_compare_parameters_are_checked_before_any_model(threshold: Any, single: Any, progress: Any, device: Any,
                                                          bad: Any, stages: dict[str, Any]) -> None:
    """With no articles, compare() always fails typed: ParameterError for a bad option, else NoArticlesError."""
    err = typed_or_success("compare_parameters", lambda: claimcmp.compare(
        [], threshold=threshold, allow_single_outlet=single, show_progress=progress, device=device,
        on_bad_article=bad, **stages))
    assert isinstance(err, ClaimcmpError)
    assert not CONTROL.search(str(err))
    number = (int, float, np.integer, np.floating)
    valid_threshold = threshold is None or (isinstance(threshold, number) and not isinstance(threshold, bool)
                                            and 0 <= float(threshold) <= 1)
    valid_stages = all(k in STAGE_METHODS and (v is None or (not isinstance(v, type)
                                                             and callable(getattr(v, STAGE_METHODS[k], None))))
                       for k, v in stages.items())
    valid_stages = valid_stages and not (threshold is not None and {"verifier", "clusterer"} & set(stages))
    flags = (bool, np.bool_)
    valid = valid_threshold and valid_stages and isinstance(single, flags) and isinstance(progress, flags) \
        and isinstance(device, str) and device == "cpu" and isinstance(bad, str) and bad in ("raise", "skip")
    assert isinstance(err, NoArticlesError) == valid, err


STAGES = {"cleaner": BoilerplateCleaner, "segmenter": SentenceSegmenter, "embedder": SentenceEmbedder,
          "retriever": NeighbourRetriever, "nli": NLIJudge, "verifier": SameClaimVerifier,
          "clusterer": (LinkClusterer, ThresholdClusterer), "stance": StanceJudge, "copies": CopyDetector}
_PARAM_VALUES = st.one_of(wrong_types, hostile_text, st.integers(-5, 5000), st.floats(-2, 2),
                          st.sampled_from(("pysbd", "spacy", "float32", "bfloat16", "auto", "both", "cpu", "cuda",
                                           "../../etc/passwd", "all-MiniLM-L6-v2", "")))


@st.composite
def stage_objects(draw: Any) -> tuple[str, Any]:
    slot = draw(st.sampled_from(sorted(STAGES)))
    classes = STAGES[slot]
    cls = draw(st.sampled_from(classes if isinstance(classes, tuple) else (classes,)))
    names = [p for p in inspect.signature(cls).parameters if p != "self"]
    chosen = draw(st.lists(st.sampled_from(names), unique=True)) if names else []
    kwargs = {n: draw(_PARAM_VALUES) for n in chosen}
    return slot, cls(**kwargs)


@settings(max_examples=budget("stage_parameters"))
@given(stages=st.lists(st.one_of(stage_objects(), st.tuples(st.sampled_from(sorted(STAGES)), wrong_types)),
                       max_size=3),
       single=st.one_of(st.booleans(), wrong_types), bad=st.one_of(st.sampled_from(("raise", "skip")), wrong_types))
def test_stage_parameters_are_checked_before_any_model(stages: list[tuple[str, Any]], single: Any, bad: Any) -> None:
    """Stage objects with hostile parameters fail typed in Comparator.compare, before any model loads."""
    comparator = Comparator(**dict(stages), allow_single_outlet=single, on_bad_article=bad, show_progress=False)
    err = typed_or_success("stage_parameters", lambda: comparator.compare([]))
    assert isinstance(err, (ParameterError, NoArticlesError, claimcmp.errors.ModelNotFoundError)), err
    assert not CONTROL.search(str(err))


@settings(max_examples=budget("clean_segment"))
@given(text=hostile_text, backend=st.sampled_from(("pysbd", "pysbd", "spacy")), min_chars=st.integers(0, 40),
       repair=st.booleans(), headings=st.booleans(), max_heading_words=st.integers(0, 40), no_cleaner=st.booleans())
def test_clean_and_segment_offsets(text: str, backend: str, min_chars: int, repair: bool, headings: bool,
                                   max_heading_words: int, no_cleaner: bool) -> None:
    text = replace_unencodable(text)[0]  # what Article validation hands on
    cleaner = NoCleaner() if no_cleaner else BoilerplateCleaner(headings, max_heading_words)
    cleaned = typed_or_success("clean_segment", lambda: cleaner.clean(text))
    assert not isinstance(cleaned, ClaimcmpError), cleaned
    kept, removed = cleaned.kept, cleaned.removed
    for sp in [*kept, *removed]:
        assert 0 <= sp.start < sp.end <= len(text)
        assert text[sp.start:sp.end] == text[sp.start:sp.end].strip(), "spans are stripped"
    spans = sorted([(k.start, k.end) for k in kept] + [(r.start, r.end) for r in removed])
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans)), "kept and removed spans never overlap"
    covered = {i for s, e in spans for i in range(s, e)}
    assert all(ch.isspace() or i in covered for i, ch in enumerate(text)), "every non-space char is kept or removed"
    if text.strip():
        assert kept, "the cleaner never empties a non-empty article"
    segmenter = SentenceSegmenter(backend=backend, min_chars=min_chars, repair=repair)
    sents = typed_or_success("clean_segment", lambda: segmenter.segment(text, kept))
    assert not isinstance(sents, ClaimcmpError), sents  # an OffsetError is a bug of the segmenter
    for s in sents:
        assert 0 <= s.start < s.end <= len(text)
        assert text[s.start:s.end] == text[s.start:s.end].strip()
        assert any(k.start <= s.start and s.end <= k.end for k in kept), "a sentence lies inside one kept span"
    assert all(a.end <= b.start for a, b in itertools.pairwise(sents)), "sentences are ordered and disjoint"
    if kept:
        assert sents, "kept text gives at least one sentence"


def _write_folder(root: Path, files: list[tuple[str, bytes]], entries: list[tuple[Any, Any]], kind: str) -> Path:
    folder = root / "event"
    folder.mkdir()
    for name, data in files:
        try:
            (folder / name).write_bytes(data)
        except (OSError, ValueError):
            pass  # a name this file system refuses: the manifest still lists it
    if kind == "csv":
        with open(folder / "manifest.csv", "w", newline="", encoding="utf-8", errors="surrogatepass") as fh:
            w = csv.writer(fh)
            w.writerow(["file", "outlet"])
            w.writerows(entries)
    elif kind in ("json", "jsonl"):
        recs = [{"file": f, "outlet": o} for f, o in entries]
        body = json.dumps(recs, default=repr) if kind == "json" else "\n".join(json.dumps(r, default=repr)
                                                                               for r in recs)
        (folder / f"manifest.{kind}").write_text(body, encoding="utf-8", errors="surrogatepass")
    (root / "outside.txt").write_text("Outside the event folder. It must never be read.", encoding="utf-8")
    if kind != "none":
        try:
            (folder / "link.txt").symlink_to(root / "outside.txt")
        except OSError:
            pass
    return folder


_HTML = st.builds(lambda t, b: f"<html><head><title>{t}</title></head><body><article><p>{b}</p></article></body>"
                               f"</html>".encode("utf-8", "surrogatepass"), hostile_text, hostile_text)
_CONTENT = st.one_of(hostile_text.map(lambda t: t.encode("utf-8", "surrogatepass")), st.binary(max_size=200),
                     st.just(b""), _HTML, hostile_text.map(lambda t: t.encode("utf-16", "surrogatepass")),
                     st.just(b"\xef\xbb\xbfBOM first. Then a sentence."))
_NAMES = st.one_of(st.sampled_from(("a.txt", "b c.txt", "-x.txt", "--seeds.txt", "\u65e5\u672c.txt", "page.html",
                                    "page.HTM", "\u202etxt.exe", "e\u0301.txt", ".hidden.txt")),
                   st.text(st.characters(exclude_characters="/\x00", exclude_categories=["Cs"]), min_size=1,
                           max_size=20))
_BAD_ENTRIES = st.sampled_from(("../outside.txt", "/etc/passwd", "", " ", "a\x00b.txt", "\x00", "sub/../../x",
                                 "x" * 300, "missing.txt", ".", "..", "link.txt", "manifest.csv", "\ud800.txt",
                                 "a.txt\n"))


@st.composite
def folders(draw: Any) -> tuple[list[tuple[str, bytes]], list[tuple[Any, Any]]]:
    """Files of generated names and contents, and manifest entries: mostly those files, some hostile entries.

    Half the folders are plausible (real sentences, every file listed once, real outlets) with at most one
    hostile entry added, so that reading succeeds often enough to check what it returns.
    """
    if draw(st.booleans()):
        names = draw(st.lists(_NAMES, min_size=1, max_size=3, unique_by=str.lower))
        files = [(n, mutate_sentences(draw).encode("utf-8", "replace")) for n in names]
        entries: list[tuple[Any, Any]] = [(n, draw(st.sampled_from(("Reuters", "RT", "SANA")))) for n in names]
        if draw(st.integers(0, 3)) == 0:
            entries.insert(draw(st.integers(0, len(entries))), (draw(_BAD_ENTRIES), draw(outlets)))
        return files, entries
    files = draw(st.lists(st.tuples(_NAMES, _CONTENT), max_size=4))
    names = [f for f, _ in files] or ["a.txt"]
    entry = st.one_of(st.sampled_from(names), st.sampled_from(names), _BAD_ENTRIES, _NAMES, wrong_types)
    return files, draw(st.lists(st.tuples(entry, outlets), max_size=4))


@settings(max_examples=budget("load_folder"))
@given(folder=folders(), kind=st.sampled_from(("csv", "json", "jsonl", "none")),
       encoding=st.one_of(st.just("utf-8"), st.just("utf-8"), st.just("utf-8"),
                          st.sampled_from(("UTF_8", "latin-1", "cp1252", "utf-16")), st.text(max_size=8)))
def test_reading_a_folder_is_typed_or_valid(folder: tuple[list[tuple[str, bytes]], list[tuple[Any, Any]]],
                                            kind: str, encoding: str) -> None:
    files, entries = folder
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        event = _write_folder(root, files, entries, kind)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out = typed_or_success("load_folder", lambda: load_articles(event, encoding=encoding))
        if isinstance(out, list):
            assert out and all(isinstance(a, Article) and a.text.strip() for a in out)
            assert not any("It must never be read" in a.text for a in out), "a path outside the folder was read"


@settings(max_examples=budget("sanitize"))
@given(text=st.one_of(hostile_text, st.lists(st.sampled_from(HOSTILE)).map("".join), outlets))
def test_sanitised_text_and_error_messages_are_terminal_safe(text: str) -> None:
    clean = sanitize_terminal(text)
    tally("sanitize", "ok")
    assert not CONTROL.search(clean) and "\x1b" not in clean
    assert sanitize_terminal(clean) == clean
    clean.encode("utf-8")
    assert not CONTROL.search(str(ParameterError(text)))


# --- what the fuzz suite found: each a regression test ---------------------------------------------------


@pytest.mark.parametrize("entry", ["a\x00b.txt", "\x00"])
def test_manifest_entry_with_a_nul_character_is_refused(entry: str, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("A sentence of the article.", encoding="utf-8")
    pd.DataFrame({"file": ["a.txt", entry], "outlet": ["A", "B"]}).to_csv(tmp_path / "manifest.csv", index=False)
    with pytest.raises(claimcmp.errors.InputPathError, match="NUL character"):
        load_articles(tmp_path)


def test_output_path_with_a_nul_character_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(claimcmp.errors.OutputPathError, match="NUL character"):
        claimcmp.store.target_path(tmp_path / "a\x00b")
    assert main(["compare", "--seeds", "--out", str(tmp_path / "a\x00b")]) == EXIT_INPUT
    assert "NUL character" in capsys.readouterr().err
    assert not list(tmp_path.iterdir())


def test_cli_progress_lines_are_terminal_safe(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The event's source path and outlets reach stderr without escapes (one outlet: it fails before any model)."""
    folder = tmp_path / "ev\x1b[31ment\x1b]0;owned\x07"
    folder.mkdir()
    for name in ("a.txt", "b.txt"):
        (folder / name).write_text("The storm reached the coast on Monday night.", encoding="utf-8")
    pd.DataFrame({"file": ["a.txt", "b.txt"], "outlet": ["\x1b[2JRT", "\x1b[2JRT"]}).to_csv(folder / "manifest.csv",
                                                                                          index=False)
    assert main(["compare", str(folder), "--out", str(tmp_path / "out")]) == EXIT_INPUT
    err = capsys.readouterr().err
    assert f"1 outlet(s) ({tmp_path}/event)" in err, err
    assert not CONTROL.search(err.replace("\n", "")), err


def test_cli_device_error_is_typed_and_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["compare", "--seeds", "--device", "cuda:99", "--out", str(tmp_path / "out")]) == EXIT_INPUT
    err = capsys.readouterr().err
    assert err.startswith("claimcmp: error: [CC300] --device='cuda:99': no such CUDA device") and err.count("\n") == 1


def test_emit_removes_escapes_and_controls() -> None:
    stream = io.StringIO()
    emit(stream, "a\x1b[31mb\x07c\x9b2J\td\n\ud800")
    assert stream.getvalue() == "abc\td\n\ufffd"


def test_independent_outlets_of_a_single_sentence() -> None:
    """One sentence in all: the claim id is 0, not the tuple "(0,)" a one-element groupby list gave."""
    from claimcmp.copies import independent_outlets

    sentences = pd.DataFrame({"claim_id": [0], "outlet": ["Reuters"]})
    copied = pd.DataFrame({"claim_id_a": pd.Series([], dtype="int64"), "claim_id_b": pd.Series([], dtype="int64"),
                           "outlet_a": pd.Series([], dtype=str), "outlet_b": pd.Series([], dtype=str)})
    assert independent_outlets(sentences, copied).to_dict() == {0: 1}
