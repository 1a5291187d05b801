"""The command line, run in-process: outputs per event, output layout, exit codes, one-line errors."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import claimcmp
from claimcmp.cli import main
from claimcmp.results import TABLE_NAMES

STORM = [
    ("Coast Herald", "The storm reached the coast on Monday night with winds of 150 km/h. "
                     "Two people were killed and thousands lost power. The port will stay closed until Friday."),
    ("Metro Daily", "Winds of 150 km/h hit the coast on Monday night as the storm arrived. "
                    "Officials said two people died. Schools in the region reopened on Tuesday."),
]
PLOTS = ("agreement.png", "coverage.png", "stance.png")


def write_folder(folder: Path, articles: list[tuple[str, str]]) -> Path:
    """An event folder: one .txt per article plus manifest.csv."""
    folder.mkdir(parents=True)
    with open(folder / "manifest.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["file", "outlet", "title"])
        for i, (outlet, text) in enumerate(articles):
            (folder / f"{i}.txt").write_text(text, encoding="utf-8")
            w.writerow([f"{i}.txt", outlet, f"Storm report {i}"])
    return folder


def write_csv(path: Path, articles: list[tuple[str, str]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    pd.DataFrame(articles, columns=["outlet", "text"]).to_csv(path, index=False)
    return path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def assert_event_output(folder: Path, fmt: str = "both") -> None:
    for name in TABLE_NAMES:
        assert (folder / f"{name}.parquet").is_file() == (fmt in ("parquet", "both")), name
        assert (folder / f"{name}.csv").is_file() == (fmt in ("csv", "both")), name
    for name in ("meta.json", "report.html", *PLOTS):
        assert (folder / name).is_file(), name
        assert (folder / name).stat().st_size > 100


def assert_one_line_error(err: str, fragment: str) -> None:
    lines = [line for line in err.splitlines() if line.startswith("claimcmp: error: ")]
    assert len(lines) == 1, err
    assert fragment in lines[0], lines[0]


def test_seeds(seeds_comparison: claimcmp.Comparison, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "compare", "--seeds", "--out", str(tmp_path / "seeds"))
    assert code == 0, err
    assert_event_output(tmp_path / "seeds")
    assert "5 articles from 5 outlets" in out and "report.html" in out
    back = claimcmp.read_comparison(tmp_path / "seeds")
    pd.testing.assert_frame_equal(back.sentences, seeds_comparison.sentences)
    assert "<html" in (tmp_path / "seeds" / "report.html").read_text(encoding="utf-8")


def test_folder_and_csv_events_get_one_folder_each(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = write_folder(tmp_path / "in" / "a" / "storm", STORM)
    table = write_csv(tmp_path / "in" / "b" / "storm.csv", STORM[::-1])
    code, out, err = run(capsys, "compare", str(folder), str(table), "--out", str(tmp_path / "out"),
                         "--format", "csv", "--quiet", "--threshold", "0.65", "--nli-precision", "bfloat16")
    assert code == 0, err
    assert out == "" and err == ""
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["storm", "storm-2"]
    for name in ("storm", "storm-2"):
        assert_event_output(tmp_path / "out" / name, fmt="csv")
    meta = (tmp_path / "out" / "storm" / "meta.json").read_text(encoding="utf-8")
    assert '"threshold": 0.65' in meta
    assert '"nli_precision": "bfloat16"' in meta


def test_batch_folder_and_continue_after_a_bad_event(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    batch = tmp_path / "events"
    write_folder(batch / "storm", STORM)
    write_csv(batch / "one-outlet.csv", [(STORM[0][0], STORM[0][1]), (STORM[0][0], STORM[1][1])])
    (batch / "notes.md").write_text("not an event", encoding="utf-8")
    code, out, err = run(capsys, "compare", str(batch), "--out", str(tmp_path / "out"), "--format", "parquet")
    assert code == 2, err  # the single-outlet event fails, the other one is still written
    assert_one_line_error(err, "one-outlet: [CC105]")
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["storm"]
    assert_event_output(tmp_path / "out" / "storm", fmt="parquet")
    assert len(claimcmp.read_comparison(tmp_path / "out" / "storm").articles) == 2
    assert "2 events" in out


def test_single_event_writes_into_out_and_single_outlet_flag(tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    table = write_csv(tmp_path / "solo.csv", [(STORM[0][0], STORM[0][1]), (STORM[0][0], STORM[1][1])])
    code, _, err = run(capsys, "compare", str(table), "--out", str(tmp_path / "x"))
    assert code == 2
    assert_one_line_error(err, "allow_single_outlet")
    assert not (tmp_path / "x").exists(), "nothing is written for a failed single event"
    code, _, err = run(capsys, "compare", str(table), "--out", str(tmp_path / "x"), "--allow-single-outlet")
    assert code == 0, err
    assert "claimcmp: warning: solo: Only one outlet" in err
    assert_event_output(tmp_path / "x")


def _bad_inputs(tmp: Path) -> dict[str, tuple[list[str], int, str]]:
    empty = write_csv(tmp / "empty.csv", [("A", "Some text here that is long enough."), ("B", "   ")])
    latin = write_folder(tmp / "latin", STORM)
    (latin / "1.txt").write_bytes("Caf\xe9 au lait was served at the summit.".encode("latin-1"))
    no_outlet = tmp / "no_outlet.csv"
    no_outlet.write_text("text\nA sentence long enough to keep.\n", encoding="utf-8")
    broken = tmp / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    (tmp / "plain").mkdir()
    return {
        "empty text": ([str(empty), "--on-bad-article", "raise"], 2, "[CC102]"),
        "non-utf8 file": ([str(latin)], 3, "not valid utf-8"),
        "missing path": ([str(tmp / "nope.csv")], 3, "does not exist"),
        "no outlet column": ([str(no_outlet)], 2, "[CC103]"),
        "unparseable json": ([str(broken)], 3, "Cannot parse"),
        "folder without manifest": ([str(tmp / "plain")], 3, "has no manifest"),
        "nothing to compare": ([], 2, "Nothing to compare"),
        "threshold out of range": (["--seeds", "--threshold", "1.5"], 2, "--threshold"),
        "threshold not a number": (["--seeds", "--threshold", "high"], 2, "not a number"),
        "negative threshold": (["--seeds", "--threshold", "-0.5", "--workers", "1"], 2, "probability in [0, 1]"),
        "bad device": (["--seeds", "--device", "gpu0"], 2, "--device"),
        "bad format": (["--seeds", "--format", "xlsx"], 2, "--format"),
        "unknown option": (["--seeds", "--colour"], 2, "unrecognized arguments"),
    }


BAD_CASES = ["empty text", "non-utf8 file", "missing path", "no outlet column", "unparseable json",
             "folder without manifest", "nothing to compare", "threshold out of range", "threshold not a number",
             "negative threshold", "bad device", "bad format", "unknown option"]


@pytest.mark.parametrize("case", BAD_CASES)
def test_bad_input_exit_codes(case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args, expected, fragment = _bad_inputs(tmp_path)[case]
    code, out, err = run(capsys, "compare", *args, "--out", str(tmp_path / "out"))
    assert code == expected, err
    assert_one_line_error(err, fragment)
    assert out == ""
    assert not (tmp_path / "out").exists()


def test_missing_model_exit_code(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLAIMCMP_MODELS_DIR", str(tmp_path / "no-models"))
    table = write_csv(tmp_path / "storm.csv", STORM)
    code, _, err = run(capsys, "compare", str(table), "--out", str(tmp_path / "out"), "--quiet")
    assert code == 4
    assert_one_line_error(err, "[CC400]")


def test_help_documents_options_and_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--help")
    assert code == 0 and "exit codes" in out and "compare" in out
    code, out, _ = run(capsys, "compare", "--help")
    assert code == 0
    for word in ("--out", "--format", "--threshold", "--quiet", "--device", "--seeds", "--allow-single-outlet",
                 "report.html", "exit codes", "manifest"):
        assert word in out, word


def test_console_entry_point() -> None:
    res = subprocess.run([sys.executable, "-m", "claimcmp.cli", "compare", "--help"], capture_output=True,
                         text=True, timeout=120, check=False)
    assert res.returncode == 0 and "usage: claimcmp compare" in res.stdout
    res = subprocess.run([sys.executable, "-m", "claimcmp.cli", "compare"], capture_output=True, text=True,
                         timeout=120, check=False)
    assert res.returncode == 2
    assert res.stderr.strip().splitlines()[-1].startswith("claimcmp: error: ")


def test_cli_reference_documents_every_option() -> None:
    from claimcmp.cli import build_parser

    doc = (Path(__file__).resolve().parent.parent / "docs" / "reference" / "cli.md").read_text(encoding="utf-8")
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    compare = sub.choices["compare"]  # type: ignore[index]
    for action in compare._actions:
        for flag in action.option_strings:
            assert f"`{flag}" in doc or f"{flag}`" in doc, f"{flag} missing from docs/reference/cli.md"
    for code in range(5):
        assert f"| {code} |" in doc
