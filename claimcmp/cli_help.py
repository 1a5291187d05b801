"""Help texts of the ``claimcmp`` command line: exit codes and the compare command's epilog."""

EXIT_CODES = """exit codes:
  0  success
  1  any other error (a bug, or a write that failed midway, e.g. a full disk)
  2  bad input or parameter: empty text, missing outlet, one outlet only, a bad option value,
     nothing to compare, an empty or unwritable --out, an --out holding files claimcmp did not write
  3  unreadable input: missing path, not UTF-8, unparseable table, folder without a manifest
  4  a model is not installed (see models/registry.json)
  5  an input path refused unread: a manifest entry outside the manifest's folder (../x, an
     absolute path, a symlink leading out), or something other than a regular file (a FIFO)
  6  another claimcmp run is writing into the same --out
  130 interrupted (Ctrl-C, SIGTERM): --out is left as it was before the run
Errors are printed to stderr as one line: "claimcmp: error: ...".
"""

COMPARE_EPILOG = f"""inputs (PATH):
  a folder with a manifest (manifest.csv/.json/.jsonl listing file, outlet, ...) = one event
  a folder of saved web pages (.html/.htm, no manifest needed: main text, title, date, url and
    the site name as outlet are read from each page) = one event
  a CSV, JSONL, JSON or parquet file with columns outlet, text (article_id, title, date, url
    optional) = one event
  a folder without a manifest that holds event folders and/or table files = one event per entry

output layout:
  One event writes into DIR itself; several events (several PATHs, a batch folder, or --seeds
  with PATHs) write one folder per event, DIR/<name>/, named after the folder or file stem
  ("seeds" for --seeds; "-2", "-3", ... are appended when names collide). Each event folder is
  written beside its place and renamed in when complete, replacing an earlier run's folder as a
  whole; a folder holding files claimcmp did not write is refused. Each holds:
    articles, sentences, removed, claims, pairs, coverage, agreement, skipped, copied_sentences,
    copies, timeline (.parquet and/or .csv)
    meta.json     parameters, model names and checksums, versions, timings, run_id, files
    dtypes.json   column dtypes, so claimcmp.read_comparison(DIR) restores parquet exactly
    report.html   self-contained report (open it in any browser, no network needed)
    agreement.png, coverage.png, stance.png

{EXIT_CODES}
examples:
  claimcmp compare --seeds --out out/seeds
  claimcmp compare events/syria-truce/ --out out/syria
  claimcmp compare events/*/ --out out/ --quiet --format parquet
"""
