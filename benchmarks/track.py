"""claimcmp.track: the seeds' lead claims against a reader's marks, the dev gold, ClaimDiff test pairs, and speed.

Run alone with ``python -m benchmarks.track [--quick]`` (prints the markdown) or as the ``track``
section of ``python -m benchmarks --only track``.
"""

from __future__ import annotations

import argparse
import logging
import statistics
import time
from collections import Counter
from typing import Any

from benchmarks.common import EvalDataMissing, Section

#: The lead claim of each seed (RT, IANS, Reuters, Press TV, SANA), as a reader would state it.
LEAD_CLAIMS = [
    "Damascus is ready for a ceasefire.",
    "The US and Russia have launched talks on brokering a ceasefire in Syria.",
    "Assad told Putin that his government was ready to assist in implementing a ceasefire in Syria.",
    "Kerry and Lavrov have struck a provisional deal on the terms of a cessation of hostilities in Syria.",
    "The main point in the political settlement in Syria is guaranteeing that the Syrians decide their future "
    "on their own.",
]
OUTLETS = ("RT", "IANS", "Reuters", "Press TV", "SANA")
#: A reader's marks (claim_id -> outlet -> stance), made from the seed texts before reading the tracker's output;
#: the reasons are in docs/guide/walkthrough.md ("Tracking the lead claims").
READER: dict[int, dict[str, str]] = {
    0: {"RT": "report", "IANS": "report", "Reuters": "report", "Press TV": "report", "SANA": "absent"},
    1: {"RT": "support", "IANS": "support", "Reuters": "support", "Press TV": "report", "SANA": "absent"},
    2: {"RT": "absent", "IANS": "absent", "Reuters": "report", "Press TV": "absent", "SANA": "absent"},
    3: {"RT": "report", "IANS": "absent", "Reuters": "support", "Press TV": "report", "SANA": "absent"},
    4: {"RT": "absent", "IANS": "absent", "Reuters": "absent", "Press TV": "absent", "SANA": "report"},
}
#: ClaimDiff label -> the tracker stances that count as right (the mapping of issue 24).
ALLOWED = {"strengthen": {"support", "report"}, "weaken": {"deny", "report"}, "neither": {"absent", "report"}}
#: The strict reading: one stance per label (report is right for none).
STRICT = {"support": "strengthen", "deny": "weaken", "absent": "neither"}
GOLD = ("strengthen", "weaken", "neither")
STANCES = ("support", "deny", "report", "absent")


def claimdiff(sec: Section, quick: bool) -> None:
    """Each ClaimDiff test pair: claim A tracked in a one-sentence article B (claim B)."""
    from benchmarks.data import claimdiff as load
    from claimcmp.stages.verify import SameClaimVerifier
    from claimcmp.track import Tracker

    try:
        pairs, labels = load("test")
    except EvalDataMissing as exc:
        sec.add(f"Skipped: {exc}")
        return
    n = 60 if quick else len(labels)
    gold = labels[:n]
    sec.add(f"ClaimDiff test (`/work/shared/eval/xdoc/claimdiff`, ClaimDiff-S and -W test files joined by pair_id: "
            f"strengthen = S relation 1, weaken = W relation 1, neither = both 0): {n:,} pairs. Claim A is tracked "
            "in an article whose text is claim B (the data holds the two claims, not the articles). Two runs: "
            "the defaults of `claimcmp.track`, and *stance only* (`floor=-1`, `threshold=0`: every claim B counts "
            "as a match, so only the stance rules decide).")
    variants = {"defaults": Tracker(), "stance only": Tracker(floor=-1.0, verifier=SameClaimVerifier(threshold=0.0))}
    for name, tracker in variants.items():
        preds: list[str] = []
        rules: Counter[str] = Counter()
        t = time.perf_counter()
        for a, b in zip(pairs.s1[:n], pairs.s2[:n]):
            df = tracker.track([a], [{"article_id": "b", "outlet": "B", "text": b}])
            preds.append(str(df["stance"].iat[0]))
            rules[_rule(str(df["basis"].iat[0]))] += 1
        seconds = time.perf_counter() - t
        sec.data.setdefault("claimdiff", {})[name] = _score(sec, name, gold, preds, seconds)
        sec.add("Rules that fired: " + ", ".join(f"{r} {c:,}" for r, c in rules.most_common()) + ".")


def _rule(basis: str) -> str:
    """The stance rule named by a ``basis`` string (without its numbers and speakers)."""
    for key in ("attributed", "hedged or questioned", "contradicts", "question", "hedged", "stated as fact",
                "not entailed", "cosine >= floor", "P(same claim)"):
        if key in basis:
            return {"cosine >= floor": "absent (below the floor)", "P(same claim)": "absent (not the same claim)",
                    "contradicts": "deny", "stated as fact": "support"}.get(key, key)
    return basis


def _score(sec: Section, name: str, gold: list[str], preds: list[str], seconds: float) -> dict[str, Any]:
    n = len(gold)
    counts = Counter(zip(gold, preds))
    sec.add(f"**{name}** ({seconds:.0f} s):")
    sec.table(["gold \\ predicted", *STANCES, "pairs"],
              [[g, *(counts[(g, s)] for s in STANCES), sum(counts[(g, s)] for s in STANCES)] for g in GOLD])
    lenient = sum(p in ALLOWED[g] for g, p in zip(gold, preds)) / n
    strict = sum(STRICT.get(p) == g for g, p in zip(gold, preds)) / n
    majority = Counter(gold).most_common(1)[0]
    rows = []
    for g in GOLD:
        stance = next(s for s, lab in STRICT.items() if lab == g)
        tp = counts[(g, stance)]
        n_pred = sum(counts[(h, stance)] for h in GOLD)
        n_gold = sum(counts[(g, s)] for s in STANCES)
        rows.append([f"{g} (= {stance})", n_pred, tp / n_pred if n_pred else float("nan"),
                     tp / n_gold if n_gold else float("nan")])
    sec.table(["class (strict)", "predicted", "precision", "recall"], rows)
    sec.add(f"Accuracy with the issue's mapping (strengthen = support or report, weaken = deny or report, neither = "
            f"absent or report): **{lenient:.3f}**; 'report' is right for every label under that mapping, so "
            f"always answering report would score 1.000. Strict accuracy (support = strengthen, deny = weaken, "
            f"absent = neither, report = wrong): **{strict:.3f}**, against {majority[1] / n:.3f} for always "
            f"answering the majority label ({majority[0]}). {sum(p == 'report' for p in preds) / n:.1%} of the "
            "pairs came out report.")
    return {"n": n, "lenient": lenient, "strict": strict, "seconds": seconds,
            "confusion": {f"{g}|{s}": counts[(g, s)] for g in GOLD for s in STANCES}}


def seeds(sec: Section) -> None:
    """The lead claim of each seed tracked across the five outlets, against the reader's marks."""
    import claimcmp

    df = claimcmp.track(LEAD_CLAIMS, claimcmp.load_seeds())
    got = {(int(c), str(o)): str(s) for c, o, s in zip(df["claim_id"], df["outlet"], df["stance"])}
    rows, agree = [], 0
    for cid, claim in enumerate(LEAD_CLAIMS):
        cells = []
        for o in OUTLETS:
            mine, reader = got[(cid, o)], READER[cid][o]
            agree += mine == reader
            cells.append(mine if mine == reader else f"**{mine}** (reader: {reader})")
        rows.append([f"{cid}: {claim}", *cells])
    sec.table(["lead claim", *OUTLETS], rows)
    sec.add(f"The tracker agrees with the reader on **{agree} of {len(got)}** cells (bold: where it does not).")
    sec.data["seeds"] = {"agree": agree, "cells": len(got)}


def speed(sec: Section, quick: bool) -> None:
    """Seconds per 1,000 (claim, article) pairs: NeuS headlines tracked through NeuS articles."""
    from benchmarks.data import neus_events
    from claimcmp.track import Tracker

    try:
        events = neus_events("test", n=4 if quick else 20)
    except EvalDataMissing as exc:
        sec.add(f"Speed skipped: {exc}")
        return
    arts = [a for ev in events for a in ev][: 10 if quick else 50]
    claims = [ev[1]["title"] or ev[1]["text"].split(". ")[0] for ev in events][: 2 if quick else 20]
    events = events[: -(-len(arts) // 3)]
    n_pairs = len(arts) * len(claims)
    rows = []
    for k in (1, 3, 5):
        tracker = Tracker(k=k)
        tracker.track(claims[:1], arts[:2])  # load the models
        times, judged = [], 0
        for _ in range(3):
            t = time.perf_counter()
            df = tracker.track(claims, arts)
            times.append(time.perf_counter() - t)
            judged = int(df.attrs["meta"]["judged_pairs"])
        med = statistics.median(times)
        found = int((df["stance"] != "absent").sum())
        rows.append([k, n_pairs, judged, found, med, med * 1000 / n_pairs])
    sec.add(f"Speed: {len(claims)} NeuS test headlines (the centre article's title) tracked through {len(arts)} NeuS "
            f"test articles (the first {len(events)} of those events, left / centre / right), warm models, median "
            "of 3 runs, 2 CPU cores. 'judged' counts the (claim, sentence) candidates above the cosine floor sent to"
            " the NLI model (each both ways).")
    sec.table(["k", "(claim, article) pairs", "judged", "not absent", "median s", "s per 1,000 pairs"], rows)
    sec.data["speed"] = rows


#: The dev-gold rows of the benchmark: the matching rule before and after ``match_entail`` (see benchmarks.track_dev).
#: The defaults (P(same claim) >= 0.5 or P(entail) >= 0.5) are scored as well.
DEV_VARIANTS: dict[str, dict[str, Any]] = {
    "before: P(same claim) >= 0.5 only": {"match_entail": None},
    "P(same claim) >= 0.4 only": {"match_entail": None, "threshold": 0.4},
}


def run(quick: bool = False) -> Section:
    from benchmarks.track_dev import run_dev

    logging.getLogger("claimcmp").setLevel(logging.ERROR)
    sec = Section("track", "Tracking claims (claimcmp.track)")
    seeds(sec)
    run_dev(sec, {} if quick else DEV_VARIANTS)
    claimdiff(sec, quick)
    speed(sec, quick)
    return sec


def _main() -> None:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.track", description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="small sizes (smoke test)")
    args = ap.parse_args()
    sec = run(quick=args.quick)
    print("\n\n".join(sec.markdown))


if __name__ == "__main__":
    _main()
