"""The ``claimcmp track --claims FILE ARTICLES... --out DIR`` command (registered by :mod:`claimcmp.cli`)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from claimcmp.errors import ClaimsError, OutputError, ParameterError

TRACK_EPILOG = """claims (--claims FILE):
  a .txt file with one claim per line (blank lines and lines starting with '#' are skipped;
  claim_id counts the claims from 0), or a CSV/JSONL/JSON/parquet table with columns claim_id, text

articles (ARTICLES, optional with --seeds):
  the inputs of 'claimcmp compare' (event folders, folders of saved pages, table files); all the
  articles they hold are searched together

output (DIR):
  track.parquet / track.csv   one row per (claim, article): stance, best sentence, probabilities
  skipped.parquet / .csv      articles left out as unusable (--on-bad-article skip)
  meta.json                   parameters, models, counts, timings
  track.html                  claim x outlet grid with the matching sentence and stance per cell

examples:
  claimcmp track --claims claims.txt --seeds --out out/track
  claimcmp track --claims claims.csv events/syria-truce/ more.csv --out out/track --format csv
"""


def add_track_parser(sub: Any, formatter: type[argparse.HelpFormatter]) -> None:
    """Add the ``track`` subcommand to the ``claimcmp`` subparsers ``sub``."""
    from claimcmp.cli import _device

    p = sub.add_parser("track", help="track claims through the articles of one or more outlets",
                       formatter_class=formatter, epilog=TRACK_EPILOG,
                       description="Find each claim in every article and say how the article carries it: "
                                   "support, deny, report (attributed, hedged, questioned) or absent.")
    p.add_argument("paths", nargs="*", metavar="ARTICLES", help="article inputs, as for 'claimcmp compare'")
    p.add_argument("--claims", required=True, metavar="FILE", help="claims: .txt (one per line) or a table")
    p.add_argument("--seeds", action="store_true", help="also search the five bundled seed articles")
    p.add_argument("--out", metavar="DIR", default="claimcmp-track", help="output folder (default: claimcmp-track)")
    p.add_argument("--format", choices=("parquet", "csv", "both"), default="both",
                   help="table format(s) to write (default: both)")
    p.add_argument("--k", type=int, default=3, metavar="K",
                   help="sentences per article retrieved by embedding before judging (default: 3)")
    p.add_argument("--device", type=_device, default="cpu", help="torch device for both models (default: cpu)")
    p.add_argument("--nli-precision", choices=("float32", "bfloat16", "auto"), default="auto",
                   help="NLI arithmetic on the CPU (as for 'claimcmp compare')")
    p.add_argument("--on-bad-article", choices=("skip", "raise"), default="skip",
                   help="an unusable article: skip (default; listed in the skipped table) or raise (exit 2)")
    p.add_argument("--quiet", action="store_true", help="no progress, no summary; errors only")


def read_claims(path: str) -> Any:
    """Claims from a .txt file (one per line) or a table file with ``claim_id`` and ``text``."""
    from claimcmp.io import TABLE_SUFFIXES, _read_table, read_text

    p = Path(path)
    if p.suffix.lower() in TABLE_SUFFIXES:
        df = _read_table(p, "utf-8")
        if "claim_id" in df.columns:
            try:
                df["claim_id"] = pd.to_numeric(df["claim_id"], errors="raise").astype("int64")
            except (ValueError, TypeError) as exc:
                raise ClaimsError(f"{p}: claim_id must hold integers ({exc}).") from exc
        return df
    lines = [line.strip() for line in read_text(p).splitlines()]
    return [line for line in lines if line and not line.startswith("#")]


def _records(articles: Any) -> list[Mapping[str, Any]]:
    from claimcmp.articles import Article

    if isinstance(articles, pd.DataFrame):
        return [{str(k): v for k, v in r.items()} for r in articles.to_dict(orient="records")]
    return [a.to_dict() if isinstance(a, Article) else a for a in articles]


def _summary(table: pd.DataFrame) -> str:
    grid = table.pivot_table(index="claim_id", columns="outlet", values="stance", aggfunc=lambda s: "/".join(s),
                             observed=True)
    return grid.to_string()


def run_track(args: argparse.Namespace) -> int:
    """The ``track`` command; returns the exit code."""
    from claimcmp.cli import check_device, emit
    from claimcmp.io import load_records, load_seeds
    from claimcmp.report.track import write_track_report
    from claimcmp.schema import TABLES, conform
    from claimcmp.stages.nli import NLIJudge
    from claimcmp.track import track

    claims = read_claims(args.claims)
    articles: list[Mapping[str, Any]] = [a.to_dict() for a in load_seeds()] if args.seeds else []
    for path in args.paths:
        articles.extend(_records(load_records(path)))
    if not args.paths and not args.seeds:
        raise ParameterError("No articles: give one or more ARTICLES paths, or --seeds.")
    check_device(args.device)
    nli = NLIJudge(device=args.device, precision=args.nli_precision, show_progress=not args.quiet)
    table = track(claims, articles, k=args.k, on_bad_article=args.on_bad_article, device=args.device,
                  show_progress=not args.quiet, nli=nli)
    skipped = conform("skipped", pd.DataFrame(table.attrs.get("skipped", []), columns=list(TABLES["skipped"])))
    for r in skipped.itertuples(index=False):
        emit(sys.stderr, f"claimcmp: skipped: {' '.join(str(r.message).split())}\n")
    out = Path(args.out)
    try:
        out.mkdir(parents=True, exist_ok=True)
        plain = table.copy()
        plain.attrs = {}
        for name, df in (("track", plain), ("skipped", skipped)):
            if args.format in ("parquet", "both"):
                df.to_parquet(out / f"{name}.parquet", index=False)
            if args.format in ("csv", "both"):
                df.to_csv(out / f"{name}.csv", index=False, encoding="utf-8")
        (out / "meta.json").write_text(json.dumps(table.attrs.get("meta", {}), indent=2, default=str),
                                       encoding="utf-8")
        write_track_report(table, out / "track.html")
    except (OSError, ValueError) as exc:  # ValueError: a NUL character in the path
        raise OutputError(f"cannot write to {out}: {getattr(exc, 'strerror', None) or exc}") from exc
    if not args.quiet:
        emit(sys.stdout, f"{table['claim_id'].nunique()} claims x {table['article_id'].nunique()} articles: "
                         f"{table['stance'].value_counts().to_dict()}\n\n{_summary(table)}\n\n"
                         f"Wrote {out}/: track table, skipped table, meta.json, track.html\n")
    return 0
