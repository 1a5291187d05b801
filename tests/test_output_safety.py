"""Output that is never half-written or mixed, saved folders that are refused when damaged, a CLI that
reads only the regular files it was given, and CSV cells that spreadsheets cannot run."""

from __future__ import annotations

import csv
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pandas as pd
import pytest

import claimcmp
from claimcmp.cli import EXIT_INPUT, EXIT_INTERRUPTED, EXIT_LOCKED, EXIT_PATH, main, write_outputs
from claimcmp.errors import InputPathError, OutputLockedError, OutputPathError, OutputReadError
from claimcmp.io import load_records
from claimcmp.results import TABLE_NAMES
from claimcmp.saving import CSV_GUARDED, OUTPUT_FILES, save_comparison
from claimcmp.store import LOCK_SUFFIX, OLD_TAG, TMP_TAG, OutputLock, file_digest

HOSTILE = [
    ("=HYPERLINK(\"http://evil.example\",\"Coast Herald\")",
     "=HYPERLINK(\"http://evil.example\",\"click\") The storm reached the coast on Monday night with winds of "
     "150 km/h. Two people were killed and thousands lost power. The port will stay closed until Friday."),
    ("@Metro Daily",
     "+1 Winds of 150 km/h hit the coast on Monday night as the storm arrived. Officials said two people "
     "died. 'Schools in the region reopened on Tuesday,' a spokesman said."),
    ("-Harbour Post",
     "-2 The storm reached the coast on Monday night. Two people were killed, officials said. "
     "@everyone The port stays closed until Friday."),
]


def _articles() -> list[dict[str, str]]:
    return [{"outlet": o, "text": t, "title": f"=cmd|' /C calc'!A{i}"} for i, (o, t) in enumerate(HOSTILE)]


@pytest.fixture(scope="module")
def storm() -> claimcmp.Comparison:
    """Three short real articles whose outlets, titles and sentences start like spreadsheet formulas."""
    return claimcmp.compare(_articles(), show_progress=False)


def assert_same(a: claimcmp.Comparison, b: claimcmp.Comparison) -> None:
    for name in TABLE_NAMES:
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name), check_exact=True, obj=name)
    assert a.meta == b.meta


def leftovers(target: Path) -> list[str]:
    """Temporary, old and lock files of ``target`` in its parent folder."""
    return sorted(p.name for p in target.parent.iterdir()
                  if p.name.startswith(f".{target.name}") and any(t in p.name for t in (TMP_TAG, OLD_TAG, LOCK_SUFFIX)))


def run_id(folder: Path) -> str:
    return str(json.loads((folder / "meta.json").read_text(encoding="utf-8"))["run_id"])


# --- CSV cells and round trips --------------------------------------------------------------------


def test_csv_cells_are_neutralised_and_read_back_exactly(storm: claimcmp.Comparison, tmp_path: Path) -> None:
    out = storm.to_csv(tmp_path / "csv")
    cells = [c for name in TABLE_NAMES for row in _csv_rows(out / f"{name}.csv")[1:] for c in row]
    assert any(c.startswith("'=HYPERLINK") for c in cells)
    assert any(c.startswith("'@Metro") for c in cells) and any(c.startswith("'-Harbour") for c in cells)
    offending = [c for c in cells if c.startswith(CSV_GUARDED[:-1]) and not _is_number(c)]
    assert offending == []
    back = claimcmp.read_comparison(out)
    assert_same(storm, back)
    assert back.articles["outlet"].str.startswith("=HYPERLINK").sum() == 1
    back.validate()


def _csv_rows(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def test_parquet_keeps_exact_text(storm: claimcmp.Comparison, tmp_path: Path) -> None:
    out = storm.to_parquet(tmp_path / "pq")
    raw = pd.read_parquet(out / "articles.parquet")
    assert raw["outlet"].tolist() == storm.articles["outlet"].tolist()
    assert raw["text"].str.startswith(("=", "+", "-")).all()
    assert_same(storm, claimcmp.read_comparison(out))


# --- atomic replacement and the lock --------------------------------------------------------------


def test_a_run_replaces_the_whole_folder(storm: claimcmp.Comparison, tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_outputs(storm, out, "both")
    first = run_id(out)
    write_outputs(storm, out, "parquet")  # what `--format parquet` does into a folder of an earlier run
    names = {p.name for p in out.iterdir()}
    assert not [n for n in names if n.endswith(".csv")]
    assert names == set(json.loads((out / "meta.json").read_text(encoding="utf-8"))["files"]) | {"meta.json"}
    assert run_id(out) != first
    assert leftovers(out) == []
    assert_same(storm, claimcmp.read_comparison(out))


def test_foreign_files_and_bad_paths_are_refused(storm: claimcmp.Comparison, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    mine = tmp_path / "thesis"
    mine.mkdir()
    (mine / "chapter1.docx").write_text("months of work", encoding="utf-8")
    with pytest.raises(OutputPathError, match="did not write"):
        storm.to_parquet(mine)
    assert (mine / "chapter1.docx").read_text(encoding="utf-8") == "months of work"
    assert sorted(p.name for p in mine.iterdir()) == ["chapter1.docx"]
    (tmp_path / "a-file").write_text("x", encoding="utf-8")
    for bad, fragment in (("", "empty"), (tmp_path / "a-file", "not a folder"),
                          (tmp_path / "a-file" / "sub", "not a folder")):
        with pytest.raises(OutputPathError, match=fragment):
            storm.to_parquet(bad)
    monkeypatch.chdir(mine)
    with pytest.raises(OutputPathError, match="current directory"):
        storm.to_parquet(".")


def test_lock_stops_a_second_writer_and_a_stale_lock_does_not(storm: claimcmp.Comparison, tmp_path: Path) -> None:
    out = tmp_path / "out"
    with OutputLock(out):
        with pytest.raises(OutputLockedError, match=f"pid {os.getpid()}"):
            storm.to_parquet(out)
        with pytest.raises(OutputLockedError):
            claimcmp.compare_many({"e": _articles()}, out=out, show_progress=False)
    assert not out.exists() and leftovers(out) == []
    (tmp_path / f".out{LOCK_SUFFIX}").write_text("999999\n", encoding="utf-8")  # left by a killed run
    storm.to_parquet(out)
    assert leftovers(out) == []


def test_a_run_stopped_between_the_renames_is_put_back(storm: claimcmp.Comparison, tmp_path: Path) -> None:
    out = storm.to_parquet(tmp_path / "out")
    before = run_id(out)
    os.rename(out, tmp_path / f".out{OLD_TAG}deadbeef")  # killed after renaming the old run away
    (tmp_path / f".out{TMP_TAG}cafe").mkdir()
    with OutputLock(out):
        pass
    assert run_id(out) == before and leftovers(out) == []
    claimcmp.read_comparison(out)


def test_cli_lock_and_out_errors_have_their_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    table = tmp_path / "storm.csv"
    pd.DataFrame(_articles()).to_csv(table, index=False)
    out = tmp_path / "out"
    with OutputLock(out):
        assert main(["compare", str(table), "--out", str(out), "--quiet"]) == EXIT_LOCKED
    assert "another claimcmp run" in capsys.readouterr().err
    (tmp_path / "a-file").write_text("x", encoding="utf-8")
    foreign = tmp_path / "mine"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("keep", encoding="utf-8")
    for bad in ("", "  ", str(tmp_path / "a-file"), str(tmp_path / "a-file" / "x"), str(foreign)):
        assert main(["compare", str(table), "--out", bad, "--quiet"]) == EXIT_INPUT, bad
        err = capsys.readouterr().err
        assert err.startswith("claimcmp: error: [CC601]"), err
    assert (foreign / "notes.txt").read_text(encoding="utf-8") == "keep"


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions (a 0o500 folder stays writable to "
                    "it), so a permission refusal can only be seen as another user; the unusable --out cases that "
                    "also bind root are tested in test_cli_lock_and_out_errors_have_their_exit_codes")
def test_unwritable_out_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    table = tmp_path / "storm.csv"
    pd.DataFrame(_articles()).to_csv(table, index=False)
    locked = tmp_path / "ro"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        assert main(["compare", str(table), "--out", str(locked / "out"), "--quiet"]) == EXIT_INPUT
    finally:
        locked.chmod(0o700)
    assert "not writable" in capsys.readouterr().err


# --- damaged, incomplete and mixed folders --------------------------------------------------------


def _rewrite_digest(folder: Path, name: str) -> None:
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    meta["files"][name] = file_digest(folder / name)
    (folder / "meta.json").write_text(json.dumps(meta), encoding="utf-8")


def _damage(kind: str, folder: Path, other: Path) -> None:
    if kind == "missing table":
        (folder / "claims.parquet").unlink()
    elif kind == "table of another run":
        shutil.copy(other / "pairs.parquet", folder / "pairs.parquet")
    elif kind == "truncated parquet":
        data = (folder / "sentences.parquet").read_bytes()
        (folder / "sentences.parquet").write_bytes(data[: len(data) // 2])
    elif kind == "truncated parquet, digest rewritten":
        data = (folder / "sentences.parquet").read_bytes()
        (folder / "sentences.parquet").write_bytes(data[: len(data) // 2])
        _rewrite_digest(folder, "sentences.parquet")
    elif kind == "broken meta.json":
        (folder / "meta.json").write_text('{"run_id": "abc", "files": {', encoding="utf-8")
    elif kind == "meta.json without its file list":
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        del meta["files"]
        (folder / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    elif kind == "broken dtypes.json":
        (folder / "dtypes.json").write_text("{\"articles\": ", encoding="utf-8")
    elif kind == "wrong dtypes.json, digest rewritten":
        (folder / "dtypes.json").write_text(json.dumps({"articles": {"text": "string"}}), encoding="utf-8")
        _rewrite_digest(folder, "dtypes.json")
    elif kind == "csv of an earlier run beside it":
        shutil.copy(other / "claims.csv", folder / "claims.csv")
    elif kind == "edited csv cell":
        p = folder / "articles.csv"
        p.write_text(p.read_text(encoding="utf-8").replace("Winds", "Gusts"), encoding="utf-8")
    elif kind == "parquet run id swapped, digest rewritten":
        shutil.copy(other / "coverage.parquet", folder / "coverage.parquet")
        _rewrite_digest(folder, "coverage.parquet")
    else:  # pragma: no cover
        raise AssertionError(kind)


DAMAGE = {
    "missing table": "incomplete: claims.parquet",
    "table of another run": "mixed: pairs.parquet belongs to run",
    "truncated parquet": "damaged or truncated",
    "truncated parquet, digest rewritten": "cannot be read as a sentences table",
    "broken meta.json": "meta.json is damaged",
    "meta.json without its file list": "no valid file list",
    "broken dtypes.json": "dtypes.json is damaged or truncated",
    "wrong dtypes.json, digest rewritten": "dtypes.json is damaged: no valid dtypes",
    "csv of an earlier run beside it": "mixed: claims.csv is not part of run",
    "edited csv cell": "articles.csv is damaged",
    "parquet run id swapped, digest rewritten": "mixed: coverage.parquet carries run",
}


#: damage kind -> the saved folder it is done to
BASE = {"csv of an earlier run beside it": "parquet", "edited csv cell": "csv",
        "parquet table in a csv folder": "csv"}
DAMAGE["parquet table in a csv folder"] = "mixed: claims.parquet is not part of run"


@pytest.fixture(scope="module")
def saved(storm: claimcmp.Comparison, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The storm comparison saved four times: parquet + CSV, parquet, CSV, and parquet + CSV again."""
    root = tmp_path_factory.mktemp("saved")
    return {"both": save_comparison(storm, root / "both", ("parquet", "csv")),
            "parquet": save_comparison(storm, root / "parquet", ("parquet",)),
            "csv": save_comparison(storm, root / "csv", ("csv",)),
            "other": save_comparison(storm, root / "other", ("parquet", "csv"))}


@pytest.mark.parametrize("kind", list(DAMAGE))
def test_damaged_folders_are_refused(kind: str, saved: dict[str, Path], tmp_path: Path) -> None:
    folder = Path(shutil.copytree(saved[BASE.get(kind, "both")], tmp_path / "cmp"))
    claimcmp.read_comparison(folder)  # intact before the damage
    if kind == "parquet table in a csv folder":
        shutil.copy(saved["other"] / "claims.parquet", folder / "claims.parquet")
    else:
        _damage(kind, folder, saved["other"])
    with pytest.raises(OutputReadError, match=DAMAGE[kind]) as info:
        claimcmp.read_comparison(folder)
    assert isinstance(info.value, claimcmp.errors.ArticleReadError) and "[CC220]" in str(info.value)


def test_folders_without_run_id_still_read(storm: claimcmp.Comparison, tmp_path: Path) -> None:
    out = storm.to_parquet(tmp_path / "cmp")
    meta = json.loads((out / "meta.json").read_text(encoding="utf-8"))
    for k in ("run_id", "files"):
        meta.pop(k)
    (out / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    for name in TABLE_NAMES:  # tables as an older claimcmp wrote them: no run id in the schema
        getattr(storm, name).to_parquet(out / f"{name}.parquet", index=False)
    assert_same(storm, claimcmp.read_comparison(out))
    shutil.copy(storm.to_parquet(tmp_path / "new") / "pairs.parquet", out / "pairs.parquet")
    with pytest.raises(OutputReadError, match=r"mixed: pairs\.parquet carries run"):
        claimcmp.read_comparison(out)


# --- inputs: only what was given, only regular files ----------------------------------------------


def _event(folder: Path, files: list[str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    pd.DataFrame({"file": files, "outlet": [f"Outlet {i}" for i in range(len(files))]}).to_csv(
        folder / "manifest.csv", index=False)
    return folder


def test_manifest_entries_stay_inside_its_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("The password is hunter2 and must never reach a report.", encoding="utf-8")
    ev = tmp_path / "event"
    ev.mkdir()
    (ev / "a.txt").write_text(HOSTILE[0][1], encoding="utf-8")
    (ev / "sub").mkdir()
    (ev / "sub" / "b.txt").write_text(HOSTILE[1][1], encoding="utf-8")
    (ev / "link-in.txt").symlink_to(ev / "sub" / "b.txt")
    (ev / "link-out.txt").symlink_to(secret)
    (ev / "sub" / "up").symlink_to(tmp_path)
    assert len(load_records(_event(ev, ["a.txt", "sub/../link-in.txt"]))) == 2
    for entry, fragment in (("../secret.txt", "through '..'"), (str(secret), "absolute path"),
                            ("link-out.txt", "through a symlink"), ("sub/up/secret.txt", "through a symlink"),
                            ("sub/../../secret.txt", "through '..'")):
        _event(ev, ["a.txt", entry])
        with pytest.raises(InputPathError, match=fragment):
            load_records(ev)
        assert main(["compare", str(ev), "--out", str(tmp_path / "out"), "--quiet"]) == EXIT_PATH
        err = capsys.readouterr().err
        assert "[CC210]" in err and "hunter2" not in err
    assert not (tmp_path / "out").exists()


def test_html_pages_linking_outside_are_refused(tmp_path: Path) -> None:
    (tmp_path / "outside.html").write_text("<html><body><p>Private page.</p></body></html>", encoding="utf-8")
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "leak.html").symlink_to(tmp_path / "outside.html")
    with pytest.raises(InputPathError, match="through a symlink"):
        load_records(pages)


def _within(seconds: float, fn: object) -> BaseException | None:
    """Run ``fn()`` in a daemon thread; fail if it has not returned after ``seconds``; return what it raised."""
    box: list[BaseException | None] = [None]

    def target() -> None:
        try:
            fn()  # type: ignore[operator]
        except BaseException as exc:  # handed back to the test
            box[0] = exc

    t = threading.Thread(target=target, daemon=True)
    t.start()
    t.join(seconds)
    assert not t.is_alive(), f"still blocked after {seconds}s"
    return box[0]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_fifos_are_refused_unopened(tmp_path: Path) -> None:
    ev = tmp_path / "event"
    ev.mkdir()
    (ev / "a.txt").write_text(HOSTILE[0][1], encoding="utf-8")
    os.mkfifo(ev / "b.txt")
    os.mkfifo(tmp_path / "articles.csv")
    _event(ev, ["a.txt", "b.txt"])
    for path in (ev, tmp_path / "articles.csv"):
        exc = _within(10, lambda path=path: load_records(path))
        assert isinstance(exc, InputPathError) and "a FIFO" in str(exc), exc
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    for path in (ev, tmp_path / "articles.csv"):
        res = subprocess.run([sys.executable, "-m", "claimcmp", "compare", str(path), "--out", str(tmp_path / "o")],
                             capture_output=True, text=True, timeout=60, env=env, check=False)
        assert res.returncode == EXIT_PATH, res.stderr
        assert "a FIFO: only regular files are read" in res.stderr


# --- Ctrl-C while writing -------------------------------------------------------------------------


def _interrupt_run(table: Path, out: Path, when: str, delay: float, sig: int = signal.SIGINT) -> int:
    """Start the CLI, send ``sig`` ``delay`` s after start (``when='start'``) or after writing began."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    proc = subprocess.Popen([sys.executable, "-m", "claimcmp", "compare", str(table), "--out", str(out), "--quiet"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    deadline = time.monotonic() + 300
    if when == "write":
        while proc.poll() is None and time.monotonic() < deadline:
            if any(p.name.startswith(f".{out.name}{TMP_TAG}") for p in out.parent.iterdir()):
                break
            time.sleep(0.002)
    time.sleep(delay)
    if proc.poll() is None:
        proc.send_signal(sig)
    _, err = proc.communicate(timeout=300)
    assert proc.returncode in (0, EXIT_INTERRUPTED), err.decode()
    return proc.returncode


def test_sigint_leaves_the_previous_or_the_new_output(storm: claimcmp.Comparison, tmp_path: Path) -> None:
    table = tmp_path / "storm.csv"
    pd.DataFrame(_articles()).to_csv(table, index=False)
    out = tmp_path / "out"
    write_outputs(storm, out, "both")  # a complete earlier run
    codes = {}
    for when, delay in (("start", 4.0), ("write", 0.0), ("write", 0.05), ("write", 0.3), ("write", 1.5)):
        before = run_id(out)
        code = codes[when, delay] = _interrupt_run(table, out, when, delay)
        back = claimcmp.read_comparison(out)  # whole: every listed file present and matching, nothing else
        names = {p.name for p in out.iterdir()}
        assert names == set(json.loads((out / "meta.json").read_text(encoding="utf-8"))["files"]) | {"meta.json"}
        assert names <= OUTPUT_FILES
        assert (run_id(out) == before) == (code == EXIT_INTERRUPTED), (when, delay, code)
        assert leftovers(out) == [], (when, delay)
        pd.testing.assert_frame_equal(back.sentences, storm.sentences)
    # stopped while loading models, and while writing: the earlier run is kept, the temporary folder gone
    assert codes["start", 4.0] == codes["write", 0.0] == EXIT_INTERRUPTED, codes
    before = run_id(out)
    assert _interrupt_run(table, out, "write", 0.0, signal.SIGTERM) == EXIT_INTERRUPTED
    assert run_id(out) == before and leftovers(out) == []
    claimcmp.read_comparison(out)


def test_two_concurrent_runs_one_stops_at_the_lock(tmp_path: Path) -> None:
    table = tmp_path / "storm.csv"
    pd.DataFrame(_articles()).to_csv(table, index=False)
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    cmd = [sys.executable, "-m", "claimcmp", "compare", str(table), "--out", str(out), "--quiet"]
    procs = [subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env) for _ in range(2)]
    errs = [p.communicate(timeout=300)[1].decode() for p in procs]
    codes = sorted(p.returncode for p in procs)
    assert codes == [0, EXIT_LOCKED], errs
    assert any("[CC602] another claimcmp run (pid" in e for e in errs), errs
    claimcmp.read_comparison(out)
    assert leftovers(out) == []
