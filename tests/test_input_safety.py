"""Hostile and careless input: typed errors at the boundary, no silent wrong results, safe labels and output."""

from __future__ import annotations

import io
import re
import subprocess
import sys
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

import claimcmp
from claimcmp._text_safety import replace_unencodable, sanitize_terminal
from claimcmp.articles import to_articles
from claimcmp.errors import (
    ClaimcmpError,
    ParameterError,
    TextTypeError,
    UnencodableTextWarning,
)
from claimcmp.report.plots import plot_agreement, plot_coverage, plot_stance
from claimcmp.stages import (
    LinkClusterer,
    NeighbourRetriever,
    NLIJudge,
    SameClaimVerifier,
    SentenceEmbedder,
    SentenceSegmenter,
    StanceJudge,
    ThresholdClusterer,
)

FLOOD = ("Heavy rain flooded the river town of Mersey Bridge on Tuesday, officials said. "
         "The mayor said 14 people were rescued from their roofs by boat.")
FLOOD_B = ("Floods hit Mersey Bridge on Tuesday after two days of heavy rain. "
           "Rescuers took 14 people off their roofs, the mayor said.")
FLOOD_C = ("The river burst its banks in Mersey Bridge on Tuesday. "
           "Police said no one was hurt and 30 homes were evacuated.")
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def flood_articles(outlets: tuple[str, str, str] = ("Alpha", "Beta", "Gamma")) -> list[dict[str, str]]:
    return [{"outlet": o, "text": t} for o, t in zip(outlets, (FLOOD, FLOOD_B, FLOOD_C))]


# --- 1. unencodable text -------------------------------------------------------------------------

def test_lone_surrogate_becomes_replacement_char_with_a_warning() -> None:
    text = FLOOD.replace("Tuesday", "Tues\ud800day", 1)
    with pytest.warns(UnencodableTextWarning, match=r"2 code point.*1 in outlet, 1 in text"):
        (art,) = to_articles([{"outlet": "Alpha\udfff", "text": text}])
    assert len(art.text) == len(text), "one code point for one: offsets stay valid"
    assert art.text == text.replace("\ud800", "\ufffd")
    assert art.outlet == "Alpha\ufffd"
    art.text.encode("utf-8")  # would raise UnicodeEncodeError before
    assert replace_unencodable("ok") == ("ok", 0)


def test_text_without_surrogates_gives_no_warning() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error", UnencodableTextWarning)
        (art,) = to_articles([{"outlet": "Alpha", "text": FLOOD + " \ufffd kept as is"}])
    assert art.text.endswith("\ufffd kept as is")


@pytest.fixture(scope="module")
def surrogate_result() -> claimcmp.Comparison:
    arts = flood_articles()
    arts[0]["text"] = arts[0]["text"].replace("Tuesday", "Tues\ud800day")
    arts[1]["text"] = arts[1]["text"].replace("heavy", "he\udc80avy")
    with pytest.warns(UnencodableTextWarning):
        return claimcmp.compare(arts, show_progress=False)


def test_compare_with_surrogates_keeps_offsets_and_saves(surrogate_result: claimcmp.Comparison,
                                                           tmp_path: Path) -> None:
    res = surrogate_result.validate()  # every sentence offset slices its article's text
    texts = dict(zip(res.articles["article_id"], res.articles["text"]))
    assert sum("\ufffd" in t for t in texts.values()) == 2
    for aid, s, e, t in zip(res.sentences["article_id"], res.sentences["char_start"], res.sentences["char_end"],
                            res.sentences["text"]):
        assert texts[aid][s:e] == t
    res.to_parquet(tmp_path / "out")
    back = claimcmp.read_comparison(tmp_path / "out")
    assert back.articles["text"].tolist() == res.articles["text"].tolist()


# --- 2. parameters and input types ---------------------------------------------------------------

@pytest.fixture
def no_models(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Point the model registry at an empty folder: any model that loaded would raise ModelNotFoundError."""
    monkeypatch.setenv("CLAIMCMP_MODELS_DIR", str(tmp_path))


@pytest.mark.parametrize("articles", [42, 3.5, "text", b"bytes", {"outlet": "A", "text": FLOOD}, object()])
def test_articles_of_the_wrong_type(articles: Any, no_models: None) -> None:
    with pytest.raises(TextTypeError):
        claimcmp.compare(articles, show_progress=False)


CASES: list[tuple[dict[str, Any], str]] = [
    ({"threshold": "0.5"}, "threshold"),
    ({"threshold": float("nan")}, "threshold"),
    ({"threshold": True}, "threshold"),
    ({"threshold": 1.5}, "threshold"),
    ({"device": "cuda:99"}, "device"),
    ({"device": "bogus"}, "device"),
    ({"device": 0}, "device"),
    ({"on_bad_article": "x"}, "on_bad_article"),
    ({"on_bad_article": None}, "on_bad_article"),
    ({"show_progress": "no"}, "show_progress"),
    ({"allow_single_outlet": 1}, "allow_single_outlet"),
    ({"batch_size": 0}, "batch_size"),
    ({"embedder": SentenceEmbedder(batch_size=0)}, "batch_size"),
    ({"embedder": SentenceEmbedder(batch_size="8")}, "batch_size"),  # type: ignore[arg-type]
    ({"embedder": SentenceEmbedder(device="bogus")}, "device"),
    ({"nli": NLIJudge(batch_size=0)}, "batch_size"),
    ({"nli": NLIJudge(precision="fp8")}, "precision"),
    ({"nli": NLIJudge(device="cuda:99")}, "device"),
    ({"retriever": NeighbourRetriever(k=-1)}, "k"),
    ({"retriever": NeighbourRetriever(k="8")}, "k"),  # type: ignore[arg-type]
    ({"retriever": NeighbourRetriever(floor="0.4")}, "floor"),  # type: ignore[arg-type]
    ({"verifier": SameClaimVerifier(threshold="0.5")}, "threshold"),  # type: ignore[arg-type]
    ({"clusterer": LinkClusterer(threshold=2.0)}, "threshold"),
    ({"clusterer": ThresholdClusterer(threshold="0.5")}, "threshold"),  # type: ignore[arg-type]
    ({"clusterer": ThresholdClusterer(max_neighbours=0)}, "max_neighbours"),
    ({"stance": StanceJudge(nli_contradiction="high")}, "nli_contradiction"),  # type: ignore[arg-type]
    ({"segmenter": SentenceSegmenter(backend="nltk")}, "backend"),
    ({"segmenter": SentenceSegmenter(min_chars=-1)}, "min_chars"),
    ({"embedder": object()}, "embed"),
    ({"nli": "model"}, "judge"),
    ({"clusterer": ThresholdClusterer, "verifier": None}, "clusterer"),
]


@pytest.mark.parametrize(("kwargs", "named"), CASES, ids=[f"{next(iter(k))}-{n}" for k, n in CASES])
def test_bad_parameter_is_a_parameter_error_before_any_model_loads(kwargs: dict[str, Any], named: str,
                                                                   no_models: None) -> None:
    with pytest.raises(ParameterError, match=re.escape(named)):
        claimcmp.compare(flood_articles(), **{"show_progress": False, **kwargs})


def test_comparator_checks_its_own_parameters(no_models: None) -> None:
    with pytest.raises(ParameterError, match="on_bad_article"):
        claimcmp.Comparator(on_bad_article="ignore").compare(flood_articles())
    with pytest.raises(ParameterError, match="allow_single_outlet"):
        claimcmp.Comparator(allow_single_outlet="yes").compare(flood_articles())  # type: ignore[arg-type]


def test_stage_checks_work_on_their_own() -> None:
    with pytest.raises(ParameterError, match="batch_size"):
        NLIJudge(batch_size=-3).judge(["a"], ["b"])
    with pytest.raises(ParameterError, match="k must"):
        NeighbourRetriever(k=0).select(np.eye(3, dtype=np.float32), ["a", "b", "c"])
    with pytest.raises(ParameterError, match="texts for"):
        LinkClusterer().cluster(np.eye(3, dtype=np.float32), [], ["a", "b"])


# --- 3. labels are never mathtext ----------------------------------------------------------------

MATH_OUTLETS = ("Beta $\\frac$", "$x^2$ News", "Gamma $ one dollar")


@pytest.fixture(scope="module")
def math_result() -> claimcmp.Comparison:
    arts = flood_articles(MATH_OUTLETS)
    arts[0]["text"] = arts[0]["text"].replace("14 people", "14 people ($\\sqrt{x}$ of them children)")
    return claimcmp.compare(arts, show_progress=False)


@pytest.mark.parametrize("plot", [plot_agreement, plot_coverage, plot_stance])
def test_math_like_outlets_and_claims_render_in_plots(math_result: claimcmp.Comparison, plot: Any) -> None:
    fig = plot(math_result)
    buf = io.BytesIO()
    fig.savefig(buf, format="png")  # mathtext parsing of "$\frac$" would raise here
    assert buf.getvalue().startswith(b"\x89PNG")
    shown = []
    for ax in fig.axes:
        for label in [*ax.get_xticklabels(), *ax.get_yticklabels()]:
            text, is_math = label._preprocess_math(label.get_text())
            assert not is_math, f"label {label.get_text()!r} would be parsed as mathtext"
            shown.append(text)
    assert any("$" in t for t in shown), "the outlet names are shown with their dollar signs"
    if plot is not plot_stance:
        assert any(MATH_OUTLETS[0] == t for t in shown)


def test_math_like_outlets_render_in_the_report(math_result: claimcmp.Comparison, tmp_path: Path) -> None:
    path = math_result.write_report(tmp_path / "report.html")
    html = path.read_text(encoding="utf-8")
    for outlet in MATH_OUTLETS:
        assert outlet in html
    assert html.count("data:image/png;base64,") >= 3


# --- 4. automatic ids ----------------------------------------------------------------------------

@pytest.mark.parametrize("outlets", [("A.B", "A-B"), ("Ä", "A"), ("!!!", "???"), ("Le Monde", "le monde"),
                                     ("Ö", "Ü", "É"), ("北京日报", "東京新聞")])
def test_automatic_ids_are_unique_for_outlets_that_slug_alike(outlets: tuple[str, ...]) -> None:
    arts = to_articles([{"outlet": o, "text": FLOOD} for o in outlets])
    ids = [a.article_id for a in arts]
    assert len(set(ids)) == len(ids)
    again = to_articles([{"outlet": o, "text": FLOOD} for o in outlets])
    assert [a.article_id for a in again] == ids, "ids are stable"


def test_same_text_same_outlet_is_still_a_duplicate() -> None:
    with pytest.raises(claimcmp.errors.DuplicateArticleIdError):
        to_articles([{"outlet": "A.B", "text": FLOOD}, {"outlet": "A.B ", "text": FLOOD}])


def test_outlets_that_slug_alike_are_compared() -> None:
    arts = [{"outlet": o, "text": t} for o, t in (("A.B", FLOOD), ("A-B", FLOOD), ("!!!", FLOOD_B))]
    res = claimcmp.compare(arts, show_progress=False)
    assert sorted(res.articles["outlet"]) == ["!!!", "A-B", "A.B"]
    assert res.articles["article_id"].str.match(r"^(a-b|outlet)-[0-9a-f]{12}$").all()
    assert res.coverage.groupby("outlet", observed=True)["carried"].any().all()


# --- 5. one identical sentence in a few hundred outlets ------------------------------------------

SHARED = "The ministry said 14 people died when the Mersey Bridge flood reached the old town on Tuesday."
N_OUTLETS = 300


@pytest.fixture(scope="module")
def crowd() -> list[dict[str, str]]:
    arts = [{"outlet": f"Outlet {i:03d}", "text": SHARED} for i in range(N_OUTLETS)]
    arts[7]["text"] = SHARED + " Rescue teams from three counties worked through the night."
    arts[8]["text"] = "Rescue teams from three counties worked through the night. " + SHARED
    return arts


@pytest.mark.parametrize("clusterer", [None, ThresholdClusterer()], ids=["link", "threshold"])
def test_identical_sentence_in_300_outlets_is_one_claim(crowd: list[dict[str, str]],
                                                        clusterer: Any) -> None:
    stages = {} if clusterer is None else {"clusterer": clusterer}
    res = claimcmp.compare(crowd, show_progress=False, **stages)
    shared = res.sentences[res.sentences["text"] == SHARED]
    assert len(shared) == N_OUTLETS
    assert shared["claim_id"].nunique() == 1, "one sentence, one claim"
    cid = shared["claim_id"].iloc[0]
    cov = res.coverage[res.coverage["claim_id"] == cid]
    assert len(cov) == N_OUTLETS and cov["carried"].all(), "no outlet omits the shared claim"
    claim = res.claims.set_index("claim_id").loc[cid]
    assert claim["n_outlets"] == N_OUTLETS


# --- 6. terminal output --------------------------------------------------------------------------

ANSI = "\x1b[2J\x1b[31m"


def test_sanitize_terminal_strips_escapes_and_controls() -> None:
    raw = f"{ANSI}red\x1b[0m \x1b]0;owned\x07title \x9b2Jc1 bell\x07 cr\r nul\x00 del\x7f keep\ttab\nline \ud800"
    out = sanitize_terminal(raw)
    assert out == "red title c1 bell cr nul del keep\ttab\nline \ufffd"
    assert sanitize_terminal("plain text, unchanged — ok") == "plain text, unchanged — ok"


def test_error_messages_are_terminal_safe() -> None:
    err = ParameterError(f"bad {ANSI}value\r\n")
    assert not CONTROL.search(str(err).replace("\n", ""))
    assert isinstance(err, ClaimcmpError)


@pytest.fixture(scope="module")
def ansi_articles() -> list[dict[str, str]]:
    arts = flood_articles((f"Alpha{ANSI}", "Beta\x07\x85", "Gamma"))
    arts[0]["text"] = arts[0]["text"].replace("Tuesday", f"Tuesday{ANSI}\x1b]0;owned\x07")
    return arts


def test_summary_has_no_control_characters(ansi_articles: list[dict[str, str]]) -> None:
    res = claimcmp.compare(ansi_articles, show_progress=False)
    assert "\x1b" in "".join(res.articles["text"]) and "\x1b" in "".join(res.articles["outlet"]), \
        "the tables keep the exact text"
    summary = res.summary()
    assert "Alpha" in summary and "\x1b" not in summary
    assert not CONTROL.search(summary.replace("\n", "").replace("\t", ""))


def test_cli_prints_no_control_characters(ansi_articles: list[dict[str, str]], tmp_path: Path) -> None:
    src = tmp_path / "event.csv"
    pd.DataFrame([*ansi_articles, {"outlet": f"Delta{ANSI}", "text": "   "}]).to_csv(src, index=False)
    proc = subprocess.run([sys.executable, "-m", "claimcmp.cli", "compare", str(src), "--out", str(tmp_path / "out")],
                          capture_output=True, text=True, encoding="utf-8", timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "skipped" in proc.stderr and "Contradicting pairs" in proc.stdout
    assert "\x1b" not in proc.stdout + proc.stderr
    assert not CONTROL.search(proc.stdout.replace("\n", "").replace("\t", "")), proc.stdout
    # progress bars on stderr move back with carriage returns; nothing else is a control character
    assert not CONTROL.search(proc.stderr.replace("\n", "").replace("\t", "").replace("\r", "")), proc.stderr
