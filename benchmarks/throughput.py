"""Throughput on NeuS events (left/center/right articles), peak memory, and NLI pair pruning.

The measurement runs in its own process (``python -m benchmarks.throughput --worker``) so that its
peak RSS is the pipeline's alone.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.common import REPO_ROOT, EvalDataMissing, Section, peak_rss_mib
from benchmarks.data import neus_events

N_EVENTS = 100
QUICK_EVENTS = 3


def worker(n: int, repeats: int) -> dict[str, Any]:
    import claimcmp
    from claimcmp.errors import ClaimcmpError, EmptyTextError

    events = neus_events("test", n)
    seeds = claimcmp.compare(claimcmp.load_seeds(), show_progress=False)  # also loads both models
    failed: list[str] = []
    ok = []
    for ev in events:  # drop events claimcmp rejects (e.g. an article with no sentence left after cleaning)
        try:
            for a in ev:
                r = claimcmp.BoilerplateCleaner().clean(a["text"])
                if not claimcmp.SentenceSegmenter().segment(a["text"], r.kept):
                    raise EmptyTextError(a["article_id"])
            ok.append(ev)
        except ClaimcmpError as exc:
            failed.append(f"{exc} ({type(exc).__name__})")
    events = ok
    rss_loaded = peak_rss_mib()
    passes = []
    per_event: list[dict[str, Any]] = []
    for rep in range(repeats):
        t = time.perf_counter()
        stats = []
        for ev in events:
            r = claimcmp.compare(ev, show_progress=False)
            stats.append({"articles": len(r.articles), "sentences": len(r.sentences),
                          "judged": r.meta["judged_pairs"], "naive": r.meta["naive_pairs"],
                          "nli_s": r.meta["timings_s"]["nli"]})
        passes.append(time.perf_counter() - t)
        if rep == 0:
            per_event = stats
    return {"events": len(events), "failed": failed, "passes_s": passes, "rss_after_load_mib": rss_loaded,
            "peak_rss_mib": peak_rss_mib(), "per_event": per_event,
            "seeds": {"judged": seeds.meta["judged_pairs"], "naive": seeds.meta["naive_pairs"],
                      "sentences": len(seeds.sentences)}}


def run(quick: bool = False) -> Section:
    sec = Section("throughput", "Throughput on NeuS events")
    n = QUICK_EVENTS if quick else N_EVENTS
    repeats = 1 if quick else 3
    try:
        neus_events("test", 1)
    except EvalDataMissing as exc:
        sec.add(f"Skipped: {exc}")
        return sec
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as fh:
        out = fh.name
    subprocess.run([sys.executable, "-m", "benchmarks.throughput", "--worker", "--n", str(n), "--repeats",
                    str(repeats), "--json", out], cwd=REPO_ROOT, check=True, capture_output=True)
    d: dict[str, Any] = json.loads(Path(out).read_text())
    Path(out).unlink(missing_ok=True)
    pe = d["per_event"]
    arts = sum(e["articles"] for e in pe)
    sents = sum(e["sentences"] for e in pe)
    judged = sum(e["judged"] for e in pe)
    naive = sum(e["naive"] for e in pe)
    nli_s = sum(e["nli_s"] for e in pe)
    med = statistics.median(d["passes_s"])
    sec.add(f"{d['events']} events from NeuS test.source (one event = the left, center and right articles of "
            "one AllSides roundup; outlets are the slot names). Each event is one `claimcmp.compare` call in a "
            f"warm process (models loaded); median of {repeats} pass(es) over all events "
            f"({', '.join(f'{x:.1f}' for x in d['passes_s'])} s). NLI pairs/s counts judged pairs (each judged "
            "in both directions) over the NLI stage's time."
            + (f" {len(d['failed'])} of the first {n} events were skipped because claimcmp rejects them: an "
               "article has no sentence left after cleaning (NeuS articles are truncated leads; a one-line lead "
               "cut off without final punctuation is removed as a heading): " + ", ".join(d["failed"]) + "."
               if d["failed"] else ""))
    sec.table(["events", "articles", "sentences", "median s", "articles/s", "sentences/s",
               "judged pairs/s (NLI stage, 2 directions each)", "RSS after model load MiB", "peak RSS MiB"],
              [[d["events"], arts, sents, med, arts / med, sents / med, judged / nli_s if nli_s else None,
                d["rss_after_load_mib"], d["peak_rss_mib"]]])
    s = d["seeds"]
    sec.add("NLI pruning: cross-outlet pairs judged (`meta['judged_pairs']`) vs the naive all-cross-outlet "
            "count (`meta['naive_pairs']`):")
    sec.table(["corpus", "sentences", "judged pairs", "naive pairs", "judged / naive"],
              [["seeds (5 articles)", s["sentences"], s["judged"], s["naive"], s["judged"] / s["naive"]],
               [f"NeuS, {d['events']} events (summed)", sents, judged, naive, judged / naive if naive else None]])
    sec.data = d
    return sec


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--worker", action="store_true")
    ap.add_argument("--n", type=int, default=N_EVENTS)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--json", required=True)
    args = ap.parse_args(argv)
    Path(args.json).write_text(json.dumps(worker(args.n, args.repeats)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
