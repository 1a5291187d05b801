"""Command line: ``claimcmp compare PATH... --out DIR`` and ``claimcmp compare --seeds``."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from claimcmp.errors import ArticleReadError, ClaimcmpError, InputError, ModelNotFoundError, ParameterError

log = logging.getLogger("claimcmp")

EXIT_OK, EXIT_OTHER, EXIT_INPUT, EXIT_READ, EXIT_MODEL = 0, 1, 2, 3, 4


def exit_code(exc: BaseException) -> int:
    """Exit code for an error: 2 input/parameter, 3 unreadable file, 4 missing model, 1 other."""
    if isinstance(exc, (InputError, ParameterError)):
        return EXIT_INPUT
    if isinstance(exc, ArticleReadError):
        return EXIT_READ
    if isinstance(exc, ModelNotFoundError):
        return EXIT_MODEL
    return EXIT_OTHER


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="claimcmp", description="Compare how news outlets report one event.")
    sub = parser.add_subparsers(dest="command", required=True)
    cmp_ = sub.add_parser("compare", help="compare the articles of one or more events")
    cmp_.add_argument("paths", nargs="*", help="article folder(s) with a manifest, or CSV/JSONL/JSON/parquet files")
    cmp_.add_argument("--seeds", action="store_true", help="run on the bundled seed articles")
    cmp_.add_argument("--out", default="claimcmp-out", help="output folder (default: claimcmp-out)")
    cmp_.add_argument("--threshold", type=float, default=None, help="clustering threshold (cosine)")
    cmp_.add_argument("--quiet", action="store_true", help="no progress bars and no summary")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="claimcmp: %(message)s")
    from claimcmp.api import compare
    from claimcmp.io import load_articles, load_seeds

    try:
        events: list[tuple[str, object]] = []
        if args.seeds:
            events.append(("seeds", load_seeds()))
        for p in args.paths:
            events.append((Path(p).stem, load_articles(p)))
        if not events:
            raise ParameterError("Nothing to compare: give PATH(s) or --seeds.")
        for name, arts in events:
            result = compare(arts, threshold=args.threshold, show_progress=not args.quiet)  # type: ignore[arg-type]
            out = Path(args.out) / name if len(events) > 1 else Path(args.out)
            result.to_parquet(out)
            if not args.quiet:
                sys.stdout.write(result.summary() + f"\n\nTables written to {out}/\n")
    except ClaimcmpError as exc:
        sys.stderr.write(f"claimcmp: error: {exc}\n")
        return exit_code(exc)
    return EXIT_OK


if __name__ == "__main__":
    raise SystemExit(main())
