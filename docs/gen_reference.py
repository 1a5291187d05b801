"""Regenerate docs/reference/tables.md from claimcmp.schema.TABLES: `python docs/gen_reference.py`."""

from __future__ import annotations

from pathlib import Path

from claimcmp.schema import CORPUS_TABLES, TABLES, TRACK_TABLES

INTRO = {
    "articles": "The input articles as validated (one row per article). `text` is the original, never modified.",
    "sentences": "One row per sentence kept after cleaning. Join key: `sentence_id`. "
                 "Invariant: `articles.text[char_start:char_end] == text`.",
    "removed": "Every span the cleaner dropped, with the reason. Nothing is dropped silently: every "
               "non-whitespace character of an article is in exactly one sentence's or removed span's range "
               "(sentences cover the kept spans).",
    "claims": "One row per claim cluster (singletons included).",
    "pairs": "Cross-outlet sentence pairs judged by the NLI model, both directions. Only pairs inside a claim "
             "and near neighbours are judged; `Comparison.meta['naive_pairs']` gives the exhaustive count.",
    "coverage": "Outlet x claim in long form: every (claim, outlet) combination is a row, so omissions are "
                "explicit. `Comparison.coverage_matrix()` pivots it to claims x outlets.",
    "agreement": "Outlet x outlet summary, one row per unordered outlet pair. `Comparison.agreement_matrix()` "
                 "gives a symmetric matrix of one column.",
    "skipped": "Articles left out of the comparison as unusable, with the reason: empty with "
               "`on_bad_article='raise'` (the API default, which raises instead), one row per skipped article "
               "with `on_bad_article='skip'` (the command line's default). Skipped articles are not in "
               "`articles`.",
    "copied_sentences": "One row per cross-outlet sentence pair whose wording is a near-verbatim copy "
                        "(`CopyDetector`: word overlap and rapidfuzz token-sort ratio, both at least its "
                        "threshold), whether or not the pair was judged. Every cross-outlet pair is checked.",
    "copies": "One row per article pair from different outlets that share copied sentences: how many, the share "
              "of each article copied, and the direction by date where both articles are dated.",
    "timeline": "One row per (claim, article carrying it), for every claim, single-outlet ones included: when "
                "the article published it, its rank in order of publication, the claim's first outlet and date, and the "
                "words added and dropped against the first version. Undated articles have null date and rank.",
}

CORPUS_INTRO = {
    "status": "One row per event of a `claimcmp.compare_many(..., out=DIR)` run (`DIR/status.parquet`): what "
              "finished, what failed and why. A rerun skips the events whose status is ok.",
    "corpus_agreement": "Outlet x outlet over every finished event of the run (`DIR/corpus_agreement.parquet`).",
    "outlet_claims": "Claims per outlet over every finished event of the run (`DIR/outlet_claims.parquet`).",
}

TRACK_INTRO = {
    "track": "What `claimcmp.track(claims, articles)` returns, and the `track.parquet` / `track.csv` that "
             "`claimcmp track` writes: one row per (claim, article), sorted by claim_id and article_id. How the "
             "stance is decided: docs/guide/track.md. Skipped articles are in `result.attrs['skipped']` (records "
             "with the columns of `skipped` above), run details in `result.attrs['meta']`.",
}


SAVED = [
    "**Saved folders.** `Comparison.to_parquet(DIR)`, `Comparison.to_csv(DIR)` and `claimcmp compare` write",
    "`<table>.parquet` and/or `<table>.csv`, `dtypes.json` (every column's dtype) and `meta.json`, last.",
    "`meta.json` holds the comparison's `meta` plus `run_id` (a uuid4 in hex) and `files` (name -> `bytes`,",
    "`sha256` of every other file of the run); each parquet table also carries the run id in its schema",
    "metadata (`claimcmp.run_id`). `claimcmp.read_comparison(DIR)` checks the tables and `dtypes.json`",
    "against it (not the report or plots) and raises `OutputReadError` (CC220) for a folder that is",
    "incomplete, mixed from two runs or damaged. Folders written before run ids existed are read unchecked.",
    "",
    "**CSV cells.** A text cell that is empty or starts with `=`, `+`, `-`, `@`, a tab, a carriage return or",
    "`'` is written with a leading `'`, so no spreadsheet runs it as a formula (`=HYPERLINK(...)` is written",
    "`'=HYPERLINK(...)`); a missing value is an empty cell. Numbers are written as they are. Parquet keeps the",
    "exact text, and `read_comparison` of a CSV folder drops the `'` again, so both round trips are lossless.",
    "",
]


def _tables(tables: dict, intro: dict) -> list[str]:
    out: list[str] = []
    for name, cols in tables.items():
        out += [f"## `{name}`", "", intro[name], "", "| column | dtype | meaning |", "|---|---|---|"]
        out += [f"| `{c}` | {d} | {desc} |" for c, (d, desc) in cols.items()]
        out.append("")
    return out


def render() -> str:
    out = ["# Table reference", "",
           "Every table of a `claimcmp.Comparison`, with column names, dtypes and meaning. Generated from",
           "`claimcmp.schema.TABLES` by `python docs/gen_reference.py`; a test keeps the two in step.", ""]
    out += SAVED
    out += _tables(TABLES, INTRO)
    out += ["# Corpus tables", "",
            "Written by `claimcmp.compare_many(events, out=DIR)` next to the per-event tables, which form a parquet",
            "dataset partitioned by event: `DIR/<table>/event_id=<id>/part-0.parquet` (read one table of every",
            "event with `pandas.read_parquet(DIR / 'pairs')`, one event with `claimcmp.many.read_event`).", ""]
    out += _tables(CORPUS_TABLES, CORPUS_INTRO)
    out += ["# Track table", ""]
    out += _tables(TRACK_TABLES, TRACK_INTRO)
    return "\n".join(out)


if __name__ == "__main__":
    Path(__file__).with_name("reference").joinpath("tables.md").write_text(render(), encoding="utf-8")
