"""Every bad input gets a typed claimcmp error naming the problem."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import claimcmp
from claimcmp import errors as E
from claimcmp.articles import to_articles

GOOD = [
    {"outlet": "A", "text": "The ministers met in Geneva on Monday. They agreed on a truce."},
    {"outlet": "B", "text": "A truce was agreed in Geneva. The talks lasted a day."},
]


def test_every_error_is_a_claimcmp_error_and_its_builtin() -> None:
    assert issubclass(E.NoArticlesError, E.ClaimcmpError) and issubclass(E.NoArticlesError, ValueError)
    assert issubclass(E.TextTypeError, TypeError)
    assert issubclass(E.ArticleReadError, OSError)
    assert issubclass(E.ModelNotFoundError, FileNotFoundError)
    codes = [getattr(E, n).code for n in E.__all__ if isinstance(getattr(E, n), type)
             and issubclass(getattr(E, n), E.ClaimcmpError)]
    assert len(codes) == len(set(codes)), "error codes must be unique"


@pytest.mark.parametrize("articles", [[], pd.DataFrame(columns=["outlet", "text"]), None])
def test_no_articles(articles: object) -> None:
    with pytest.raises(E.NoArticlesError):
        to_articles(articles)  # type: ignore[arg-type]


@pytest.mark.parametrize("text", ["", "   \n\t ", None])
def test_empty_text(text: object) -> None:
    with pytest.raises(E.EmptyTextError, match="#1"):
        to_articles([GOOD[0], {"outlet": "B", "text": text}])


def test_non_string_text() -> None:
    with pytest.raises(E.TextTypeError, match="text must be a string"):
        to_articles([GOOD[0], {"outlet": "B", "text": 42}])


@pytest.mark.parametrize("outlet", [None, "", "  "])
def test_missing_outlet(outlet: object) -> None:
    with pytest.raises(E.MissingOutletError, match="no outlet"):
        to_articles([GOOD[0], {"outlet": outlet, "text": "Some text here."}])


def test_missing_outlet_column() -> None:
    with pytest.raises(E.MissingOutletError, match="'outlet' column"):
        to_articles(pd.DataFrame({"text": ["a b c."]}))


def test_duplicate_ids() -> None:
    arts = [dict(GOOD[0], article_id="x"), dict(GOOD[1], article_id="x")]
    with pytest.raises(E.DuplicateArticleIdError, match="'x'"):
        to_articles(arts)


def test_identical_article_twice_is_a_duplicate() -> None:
    with pytest.raises(E.DuplicateArticleIdError):
        to_articles([GOOD[0], GOOD[0]])


def test_too_few_outlets() -> None:
    arts = [GOOD[0], dict(GOOD[1], outlet="A")]
    with pytest.raises(E.TooFewOutletsError, match="allow_single_outlet=True"):
        claimcmp.Comparator().compare(arts)


def test_wrong_item_type() -> None:
    with pytest.raises(E.TextTypeError):
        to_articles(["just a string"])  # type: ignore[list-item]
    with pytest.raises(E.TextTypeError):
        to_articles("a string")  # type: ignore[arg-type]


def test_stage_without_its_method() -> None:
    with pytest.raises(E.ParameterError, match="no embed"):
        claimcmp.Comparator(embedder=object()).stages()


def test_unknown_option() -> None:
    with pytest.raises(E.ParameterError, match="Unknown option"):
        claimcmp.compare(GOOD, clusterr=None)


def test_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(E.ArticleReadError, match="does not exist"):
        claimcmp.load_articles(tmp_path / "nope.csv")


def test_wrong_encoding(tmp_path: Path) -> None:
    folder = tmp_path / "event"
    folder.mkdir()
    (folder / "a.txt").write_bytes("Caf\xe9 owners said the truce held.".encode("cp1252"))
    (folder / "manifest.csv").write_text("file,outlet\na.txt,A\n", encoding="utf-8")
    with pytest.raises(E.ArticleReadError, match=r"a\.txt is not valid utf-8"):
        claimcmp.load_articles(folder)
    arts = claimcmp.load_articles(folder, encoding="cp1252")
    assert arts[0].text.startswith("Café")


def test_folder_without_manifest(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    with pytest.raises(E.ArticleReadError, match="no manifest"):
        claimcmp.load_articles(tmp_path)


def test_unparseable_table(tmp_path: Path) -> None:
    p = tmp_path / "arts.jsonl"
    p.write_text("{not json\n", encoding="utf-8")
    with pytest.raises(E.ArticleReadError, match="Cannot parse"):
        claimcmp.load_articles(p)


def test_missing_model_names_model_and_place(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from claimcmp import model_registry

    (tmp_path / "registry.json").write_text(
        '{"models": {"m": {"stage": "nli", "kind": "cross-encoder", "source": "path", "path": "m",'
        ' "weights": "model.safetensors", "sha256": null, "license": "x", "install": "run the recipe"}},'
        ' "defaults": {"nli": "m"}}', encoding="utf-8")
    monkeypatch.setenv("CLAIMCMP_MODELS_DIR", str(tmp_path))
    with pytest.raises(E.ModelNotFoundError) as info:
        model_registry.resolve("m")
    msg = str(info.value)
    assert "'m'" in msg and str(tmp_path / "m" / "model.safetensors") in msg and "run the recipe" in msg


def test_nli_judge_names_the_pair_that_is_not_text() -> None:
    judge = claimcmp.NLIJudge()
    with pytest.raises(E.ParameterError, match=r"premises\[1\] is NoneType"):
        judge.judge(["A truce was agreed.", None], ["Talks failed.", "Talks succeeded."])  # type: ignore[list-item]
    with pytest.raises(E.ParameterError, match=r"hypotheses\[0\] is float"):
        judge.judge(["A truce was agreed."], [float("nan")])  # type: ignore[list-item]
    with pytest.raises(E.ParameterError, match="2 premises but 1 hypotheses"):
        judge.judge(["a", "b"], ["c"])
