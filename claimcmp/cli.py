"""Command line: ``claimcmp compare PATH... --out DIR`` and ``claimcmp compare --seeds``."""

from __future__ import annotations

import argparse
import logging
import math
import os
import re
import signal
import sys
import threading
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from claimcmp._checks import check_device as _check_device
from claimcmp._text_safety import sanitize_terminal
from claimcmp.cli_help import COMPARE_EPILOG, EXIT_CODES
from claimcmp.errors import (
    ArticleReadError,
    ClaimcmpError,
    ClaimcmpWarning,
    InputError,
    InputPathError,
    ModelNotFoundError,
    OutputError,
    OutputLockedError,
    OutputPathError,
    ParameterError,
    TooFewOutletsError,
)

if TYPE_CHECKING:
    from claimcmp.articles import ArticlesLike
    from claimcmp.results import Comparison

log = logging.getLogger("claimcmp")

EXIT_OK, EXIT_OTHER, EXIT_INPUT, EXIT_READ, EXIT_MODEL, EXIT_PATH, EXIT_LOCKED = 0, 1, 2, 3, 4, 5, 6
EXIT_INTERRUPTED = 130

class UsageError(Exception):
    """A command-line usage error (unknown option, bad value): exit code 2."""


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage errors as one line instead of exiting."""

    def error(self, message: str) -> Any:  # type: ignore[override]
        raise UsageError(f"{message} (see '{self.prog} --help')")


def _probability(value: str) -> float:
    try:
        t = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if math.isnan(t) or not 0.0 <= t <= 1.0:
        raise argparse.ArgumentTypeError(f"must be a probability in [0, 1], got {value}")
    return t


def _device(value: str) -> str:
    if not re.fullmatch(r"cpu|cuda(:\d+)?|mps", value):
        raise argparse.ArgumentTypeError(f"expected cpu, cuda, cuda:N or mps, got {value!r}")
    return value


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``claimcmp`` command."""
    import claimcmp
    from claimcmp.stages.verify import DEFAULT_VERIFY_THRESHOLD

    fmt = argparse.RawDescriptionHelpFormatter
    parser = _Parser(prog="claimcmp", formatter_class=fmt,
                     description="Compare how news outlets report one event, claim by claim.",
                     epilog="Run 'claimcmp compare --help' for the inputs, options and output layout.\n\n"
                            + EXIT_CODES)
    parser.add_argument("--version", action="version", version=f"claimcmp {claimcmp.__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND", parser_class=_Parser)
    cmp_ = sub.add_parser("compare", help="compare the articles of one or more events", formatter_class=fmt,
                          description="Compare the articles of one or more events and write tables, plots "
                                      "and an HTML report per event.", epilog=COMPARE_EPILOG)
    cmp_.add_argument("paths", nargs="*", metavar="PATH",
                      help="event folder with a manifest, a CSV/JSONL/JSON/parquet file of articles, or a "
                           "folder of such events")
    cmp_.add_argument("--seeds", action="store_true", help="also compare the five bundled seed articles")
    cmp_.add_argument("--out", metavar="DIR", default="claimcmp-out",
                      help="output folder (default: claimcmp-out), replaced as a whole when the run completes")
    cmp_.add_argument("--format", choices=("parquet", "csv", "both"), default="both",
                      help="table format(s) to write (default: both)")
    cmp_.add_argument("--threshold", type=_probability, default=None, metavar="T",
                      help="P(same claim) at which a pair is a verified link and two claims merge (default: "
                           f"the verifier's {DEFAULT_VERIFY_THRESHOLD}, claims by LinkClusterer; see "
                           "docs/guide/alignment.md)")
    cmp_.add_argument("--device", type=_device, default="cpu",
                      help="torch device for both models: cpu (default), cuda, cuda:N or mps")
    cmp_.add_argument("--nli-precision", choices=("float32", "bfloat16", "auto"), default="auto",
                      help="NLI arithmetic on the CPU: auto (default: bfloat16 where the CPU computes it "
                           "natively, about 2.5x faster, else float32), float32 (the same results on every "
                           "CPU) or bfloat16")
    cmp_.add_argument("--allow-single-outlet", action="store_true",
                      help="compare events whose articles all come from one outlet (otherwise exit code 2)")
    cmp_.add_argument("--on-bad-article", choices=("skip", "raise"), default="skip",
                      help="an article that cannot be used (no text, no outlet, nothing left after cleaning): "
                           "skip (default) leaves it out, reports it on stderr and lists it in the skipped table; "
                           "raise fails its event (exit code 2)")
    cmp_.add_argument("--workers", type=int, default=None, metavar="N",
                      help="run the events on a local Dask cluster of N worker processes (claimcmp[dask]); "
                           "writes a parquet dataset partitioned by event, see claimcmp.compare_many")
    cmp_.add_argument("--scheduler", default=None, metavar="ADDRESS",
                      help="run the events on an existing Dask cluster (e.g. tcp://host:8786; start one with "
                           "'dask scheduler' and 'dask worker ADDRESS' on each machine)")
    cmp_.add_argument("--quiet", action="store_true", help="no progress, no warnings, no summary; errors only")
    from claimcmp.cli_track import add_track_parser

    add_track_parser(sub, fmt)
    return parser


def exit_code(exc: BaseException) -> int:
    """Exit code for an error: 2 input/parameter/--out, 3 unreadable file, 4 missing model, 5 refused
    input path, 6 --out locked, 1 other."""
    if isinstance(exc, (InputError, ParameterError, UsageError, OutputPathError)):
        return EXIT_INPUT
    if isinstance(exc, InputPathError):
        return EXIT_PATH
    if isinstance(exc, OutputLockedError):
        return EXIT_LOCKED
    if isinstance(exc, ArticleReadError):
        return EXIT_READ
    if isinstance(exc, ModelNotFoundError):
        return EXIT_MODEL
    return EXIT_OTHER


@dataclass
class Event:
    """One event to compare: its output name, where it came from, and its articles."""

    name: str
    source: str
    articles: ArticlesLike

    def counts(self) -> tuple[int, int]:
        """Articles and distinct outlets as read (before validation)."""
        import pandas as pd

        from claimcmp.articles import Article

        rows: list[Mapping[str, Any]]
        if isinstance(self.articles, pd.DataFrame):
            rows = [{str(k): v for k, v in r.items()} for r in self.articles.to_dict(orient="records")]
        else:
            rows = [a.to_dict() if isinstance(a, Article) else a for a in self.articles]
        return len(rows), len({r.get("outlet") for r in rows if isinstance(r.get("outlet"), str)})


def _is_event_folder(path: Path) -> bool:
    from claimcmp.io import HTML_SUFFIXES, MANIFEST_NAMES

    return any((path / m).is_file() for m in MANIFEST_NAMES) or any(
        c.is_file() and c.suffix.lower() in HTML_SUFFIXES for c in path.iterdir())


def expand_paths(paths: Sequence[str]) -> tuple[list[Path], bool]:
    """Every event input named by ``paths`` (batch folders expanded); True if a batch folder was seen."""
    from claimcmp.io import TABLE_SUFFIXES

    out: list[Path] = []
    batch = False
    for p in paths:
        path = Path(p)
        if path.is_dir() and not _is_event_folder(path):
            entries = sorted(c for c in path.iterdir() if not c.name.startswith(".") and (
                (c.is_dir() and _is_event_folder(c)) or (c.is_file() and c.suffix.lower() in TABLE_SUFFIXES)))
            if entries:
                out.extend(entries)
                batch = True
                continue
        out.append(path)
    return out, batch


def unique_name(stem: str, taken: set[str]) -> str:
    """A folder-safe version of ``stem`` not in ``taken`` (``-2``, ``-3``, ... appended); adds it to ``taken``."""
    base = re.sub(r"[^\w.-]+", "_", stem).strip("._") or "event"
    name, i = base, 1
    while name.lower() in taken:
        i += 1
        name = f"{base}-{i}"
    taken.add(name.lower())
    return name


def load_events(paths: Sequence[str], seeds: bool) -> tuple[list[Event], bool]:
    """Read every input before any model runs, so a bad file fails fast; True if subfolders are needed."""
    from claimcmp.io import load_records, load_seeds

    inputs, batch = expand_paths(paths)
    taken: set[str] = set()
    events = [Event(unique_name("seeds", taken), "bundled seeds", load_seeds())] if seeds else []
    for path in inputs:
        stem = path.resolve().name if path.is_dir() else path.stem
        events.append(Event(unique_name(stem, taken), str(path), load_records(path)))
    if not events:
        raise ParameterError("Nothing to compare: give one or more PATHs, or --seeds.")
    return events, batch or len(events) > 1


def check_device(device: str) -> None:
    """Raise :class:`ParameterError` if the torch device does not exist on this machine."""
    _check_device(device, "--device")


def emit(stream: Any, text: str) -> None:
    """Write ``text`` to ``stream`` fit for a terminal: escape sequences and control characters (from file
    names, outlets, article text) removed, newlines and tabs kept."""
    stream.write(sanitize_terminal(text))


def write_outputs(result: Comparison, out: Path, fmt: str) -> list[str]:
    """Write tables (``fmt``: parquet, csv or both), meta, report.html and the plots as folder ``out``.

    The folder is built beside ``out`` and renamed into place when complete; the caller holds the
    lock of ``--out`` (:class:`claimcmp.store.OutputLock`).
    """
    from claimcmp.report import save_plots, write_report
    from claimcmp.report.plots import PLOT_FILES
    from claimcmp.results import TABLE_NAMES
    from claimcmp.saving import save_comparison

    def extras(folder: Path) -> None:
        write_report(result, folder / "report.html")
        save_plots(result, folder)

    formats = ("parquet", "csv") if fmt == "both" else (fmt,)
    try:
        save_comparison(result, out, formats, extras=extras, lock=False)
    except ClaimcmpError:
        raise
    except OSError as exc:
        raise OutputError(f"cannot write to {out}: {exc.strerror or exc}") from exc
    tables = "parquet + csv" if fmt == "both" else fmt
    return [f"{len(TABLE_NAMES)} tables ({tables})", "meta.json", "report.html", *PLOT_FILES]


class _StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Log handler that writes to whatever ``sys.stderr`` is at the time of the record."""

    @property  # type: ignore[override]
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, value: Any) -> None:
        pass


def _setup_logging(quiet: bool) -> None:
    if not any(isinstance(h, _StderrHandler) for h in log.handlers):
        handler = _StderrHandler()
        handler.setFormatter(logging.Formatter("claimcmp: %(levelname)s: %(message)s"))
        log.addHandler(handler)
    log.setLevel(logging.ERROR if quiet else logging.WARNING)
    if quiet:
        try:
            from transformers.utils import logging as hf_logging

            hf_logging.disable_progress_bar()
        except ImportError:
            pass


def _error(message: str) -> None:
    emit(sys.stderr, "claimcmp: error: " + " ".join(str(message).split()) + "\n")


def _compare_one(event: Event, args: argparse.Namespace) -> Comparison:
    from claimcmp.api import compare
    from claimcmp.stages.nli import NLIJudge

    nli = NLIJudge(device=args.device, precision=args.nli_precision, show_progress=not args.quiet)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ClaimcmpWarning)
        result = compare(event.articles, threshold=args.threshold, allow_single_outlet=args.allow_single_outlet,
                         show_progress=not args.quiet, device=args.device, nli=nli,
                         on_bad_article=args.on_bad_article)
    for w in caught:
        if issubclass(w.category, ClaimcmpWarning) and not args.quiet:
            emit(sys.stderr, f"claimcmp: warning: {event.name}: {w.message}\n")
        else:
            log.debug("warning during comparison: %s", w.message)
    for _, r in result.skipped.iterrows():
        emit(sys.stderr, f"claimcmp: skipped: {event.name}: {' '.join(str(r['message']).split())}\n")
    return result


def run_compare(args: argparse.Namespace) -> int:
    """The ``compare`` command; returns the exit code."""
    from claimcmp.saving import OUTPUT_FILES
    from claimcmp.store import OutputLock, check_replaceable, check_writable, target_path

    many = args.workers is not None or args.scheduler is not None
    root = target_path(args.out, replaced=not many)
    check_writable(root)
    events, subfolders = load_events(args.paths, args.seeds)
    check_device(args.device)
    if many:
        return _run_many(events, args)
    with OutputLock(root):
        for event in events:  # refuse a folder of someone else's files before any model runs
            check_replaceable(root / event.name if subfolders else root, OUTPUT_FILES)
        return _compare_all(events, args, root, subfolders)


def _compare_all(events: list[Event], args: argparse.Namespace, root: Path, subfolders: bool) -> int:
    """Compare and write every event in turn (the caller holds the lock of ``root``); returns the exit code."""
    first_failure = EXIT_OK
    for i, event in enumerate(events, 1):
        n_articles, outlets = event.counts()
        if not args.quiet:
            emit(sys.stderr, f"claimcmp: [{i}/{len(events)}] {event.name}: {n_articles} articles "
                             f"from {outlets} outlet(s) ({event.source})\n")
        try:
            result = _compare_one(event, args)
        except InputError as exc:  # bad data in one event: report it, go on with the others
            hint = " (command line: --allow-single-outlet)" if isinstance(exc, TooFewOutletsError) else ""
            _error(f"{event.name}: {exc}{hint}")
            first_failure = first_failure or exit_code(exc)
            continue
        out = root / event.name if subfolders else root
        written = write_outputs(result, out, args.format)
        if not args.quiet:
            emit(sys.stdout, f"\n== {event.name} ==\n{result.summary(top=5)}\n\nWrote {out}/: "
                             f"{', '.join(written)}\n")
    if len(events) > 1 and not args.quiet:
        failed = "" if first_failure == EXIT_OK else " (some failed, see errors above)"
        emit(sys.stdout, f"\n{len(events)} events, outputs under {root}/{failed}\n")
    return first_failure


def _run_many(events: list[Event], args: argparse.Namespace) -> int:
    """``--workers`` / ``--scheduler``: every event through :func:`claimcmp.compare_many` into ``--out``."""
    from claimcmp.api import Comparator, threshold_stages
    from claimcmp.many import compare_many
    from claimcmp.stages.nli import NLIJudge

    if args.workers is not None and args.workers < 1:
        raise ParameterError(f"--workers must be >= 1, got {args.workers}.")
    linked = {} if args.threshold is None else threshold_stages(args.threshold)  # as compare(threshold=T)
    comparator = Comparator(nli=NLIJudge(device=args.device, precision=args.nli_precision),
                            allow_single_outlet=args.allow_single_outlet, show_progress=False, **linked)
    done = compare_many({e.name: e.articles for e in events}, comparator=comparator, out=args.out,
                        scheduler=args.scheduler or "processes", workers=args.workers, show_progress=not args.quiet)
    for row in done.errors.itertuples(index=False):
        _error(f"{row.event_id}: {row.error_type}: {row.error}")
    if not args.quiet:
        emit(sys.stdout, f"{len(events)} events ({len(done.errors)} failed), dataset under {args.out}/\n")
    return EXIT_INPUT if len(done.errors) else EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``claimcmp`` command with ``argv`` (default ``sys.argv[1:]``); returns the exit code."""
    try:
        args = build_parser().parse_args(argv)
    except UsageError as exc:
        _error(str(exc))
        return EXIT_INPUT
    except SystemExit as exc:  # --help and --version
        return int(exc.code or 0) if not isinstance(exc.code, str) else EXIT_INPUT
    _setup_logging(args.quiet)
    _INTERRUPTED.clear()
    previous = _on_interrupt_signals()
    try:
        if args.command == "track":
            from claimcmp.cli_track import run_track

            return run_track(args)
        return run_compare(args)
    except ClaimcmpError as exc:
        _error(str(exc))
        return exit_code(exc)
    except KeyboardInterrupt:
        _error("interrupted")
        return EXIT_INTERRUPTED
    except Exception as exc:  # the command line reports every failure as one line
        if _INTERRUPTED.is_set():  # a Ctrl-C that a library turned into its own error (an import cut short)
            _error("interrupted")
            return EXIT_INTERRUPTED
        _error(f"{type(exc).__name__}: {exc}")
        log.debug("traceback", exc_info=True)
        return EXIT_OTHER
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def run() -> None:
    """The program's entry point (``claimcmp`` and ``python -m claimcmp``): :func:`main`, then exit with its code.

    A Ctrl-C that arrives before :func:`main` handles it still exits 130 with one line; an interrupted
    run exits 130 at once, ignoring further Ctrl-C."""
    try:
        code = main()
    except KeyboardInterrupt:
        _error("interrupted")
        code = EXIT_INTERRUPTED
    if code == EXIT_INTERRUPTED:
        # main() has removed its temporary folder and lock. A Ctrl-C that cut an import (torch loads
        # lazily) leaves the interpreter flagged to die by SIGINT at exit, whatever SystemExit says, so
        # the exit code 130 is given straight to the system once the output streams are flushed.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        for stream in (sys.stdout, sys.stderr):
            stream.flush()
        os._exit(EXIT_INTERRUPTED)
    raise SystemExit(code)


#: Set when SIGINT or SIGTERM arrives during :func:`main`, so that an error a library raises while being
#: interrupted is still reported as the interruption.
_INTERRUPTED = threading.Event()


def _interrupt(signum: int, frame: Any) -> None:
    _INTERRUPTED.set()
    raise KeyboardInterrupt


def _on_interrupt_signals() -> dict[int, Any]:
    """Let SIGINT and SIGTERM stop the run like Ctrl-C (temporary folder and lock cleaned up), noting that
    they came; returns the old handlers (none outside the main thread)."""
    if threading.current_thread() is not threading.main_thread():
        return {}
    return {sig: signal.signal(sig, _interrupt) for sig in (signal.SIGINT, signal.SIGTERM)}


if __name__ == "__main__":
    run()
