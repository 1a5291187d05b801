"""claimcmp.track on its development gold (``benchmarks/gold/track_dev.jsonl``, NeuS val events).

Cell accuracy over the four stances, a confusion table, precision and recall of "present" (support,
report or deny) against absent, and how often the tracker's sentence is the labelled one. For choosing
the tracker's matching rule; the seeds table of :mod:`benchmarks.track` is the acceptance check.
Run alone with ``python -m benchmarks.track_dev`` (prints the markdown for the default tracker and the
variants in :data:`VARIANTS`).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import time
from collections import Counter
from pathlib import Path
from typing import Any

from benchmarks.common import EvalDataMissing, Section

GOLD = Path(__file__).parent / "gold" / "track_dev.jsonl"
_STAGES: dict[str, Any] = {}  # default stage objects, loaded once for all the variants


class CachedNLI:
    """The default NLI model with its answers kept per (premise, hypothesis): the variants judge the same pairs."""

    def __init__(self, nli: Any) -> None:
        self.nli = nli
        self.model_name = getattr(nli, "model_name", None)
        self.cache: dict[tuple[str, str], list[float]] = {}

    def judge(self, premises: list[str], hypotheses: list[str]) -> Any:
        import pandas as pd

        from claimcmp.stages.nli import NLI_LABELS

        todo = sorted({(p, h) for p, h in zip(premises, hypotheses)} - set(self.cache))
        if todo:
            probs = self.nli.judge([p for p, _ in todo], [h for _, h in todo])[list(NLI_LABELS)].to_numpy()
            self.cache.update({pair: [float(x) for x in row] for pair, row in zip(todo, probs)})
        return pd.DataFrame([self.cache[(p, h)] for p, h in zip(premises, hypotheses)], columns=list(NLI_LABELS))
STANCES = ("support", "report", "deny", "absent")
#: Tracker options tried on the dev gold (name -> keyword arguments of ``Tracker``; ``threshold`` is the verifier's).
VARIANTS: dict[str, dict[str, Any]] = {
    "P(same) >= 0.5 only": {"match_entail": None},
    "P(same) >= 0.4": {"match_entail": None, "threshold": 0.4},
    "P(same) >= 0.3": {"match_entail": None, "threshold": 0.3},
    "or P(entail) >= 0.9": {"match_entail": 0.9},
    "or P(entail) >= 0.8": {"match_entail": 0.8},
    "or P(entail) >= 0.7": {"match_entail": 0.7},
    "or P(entail) >= 0.6": {"match_entail": 0.6},
    "or P(entail) >= 0.5": {"match_entail": 0.5},
    "or P(entail) >= 0.4": {"match_entail": 0.4},
    "P(same) >= 0.4 or P(entail) >= 0.8": {"match_entail": 0.8, "threshold": 0.4},
    "P(same) >= 0.4 or P(entail) >= 0.5": {"match_entail": 0.5, "threshold": 0.4},
}


def load_gold() -> tuple[list[dict[str, Any]], dict[str, list[dict[str, str]]]]:
    """The gold rows and, per event, its articles; the article texts are checked against the rows' sha1 and spans."""
    from benchmarks.data import neus_events

    rows = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]
    n = max(int(r["event"].removeprefix("neus")) for r in rows) + 1
    events = {ev[0]["article_id"].split("_")[0]: ev for ev in neus_events("val", n)}
    texts = {a["article_id"]: a["text"] for ev in events.values() for a in ev}
    for r in rows:
        text = texts.get(r["article_id"])
        if text is None or hashlib.sha1(text.encode("utf-8")).hexdigest() != r["text_sha1"]:
            raise EvalDataMissing(f"{r['article_id']}: the NeuS val text is not the one labelled (sha1 differs).")
        if r["label"] != "absent" and text[r["char_start"]:r["char_end"]] != r["sentence"]:
            raise ValueError(f"{r['article_id']}: span {r['char_start']}-{r['char_end']} is not the labelled sentence.")
    return rows, {e: events[e] for e in sorted({r["event"] for r in rows})}


def predict(rows: list[dict[str, Any]], events: dict[str, list[dict[str, str]]],
            **options: Any) -> dict[tuple[int, str], dict[str, Any]]:
    """Each event's claims tracked through its three articles: (claim_id, article_id) -> the tracker's row."""
    import pandas as pd

    from claimcmp.stages.verify import SameClaimVerifier
    from claimcmp.track import TRACK_STAGES, Tracker

    opts = dict(options)
    threshold = opts.pop("threshold", None)
    if not _STAGES:
        _STAGES.update(Tracker().stages())
        _STAGES["nli"] = CachedNLI(_STAGES["nli"])
    stages = {s: _STAGES[s] for s in TRACK_STAGES if s != "verifier"}
    if threshold is not None:
        stages["verifier"] = SameClaimVerifier(threshold=float(threshold))
    tracker = Tracker(**opts, **stages)
    out: dict[tuple[int, str], dict[str, Any]] = {}
    for event, arts in events.items():
        claims = sorted({(r["claim_id"], r["claim"]) for r in rows if r["event"] == event})
        frame = pd.DataFrame({"claim_id": [c for c, _ in claims], "text": [t for _, t in claims]})
        df = tracker.track(frame, [{"article_id": a["article_id"], "outlet": a["outlet"], "text": a["text"]}
                                   for a in arts])
        for rec in df.to_dict("records"):
            out[(int(rec["claim_id"]), str(rec["article_id"]))] = {str(k): v for k, v in rec.items()}
    return out


def score(rows: list[dict[str, Any]], pred: dict[tuple[int, str], dict[str, Any]]) -> dict[str, Any]:
    """Accuracy, confusion counts, present-vs-absent precision and recall, and sentence agreement."""
    pairs = [(r["label"], str(pred[(r["claim_id"], r["article_id"])]["stance"])) for r in rows]
    counts = Counter(pairs)
    tp = sum(g != "absent" and p != "absent" for g, p in pairs)
    n_pred = sum(p != "absent" for _, p in pairs)
    n_gold = sum(g != "absent" for g, _ in pairs)
    found = [(r, pred[(r["claim_id"], r["article_id"])]) for r in rows if r["label"] != "absent"]
    found = [(r, p) for r, p in found if p["stance"] != "absent"]
    same = sum(int(p["char_start"]) < r["char_end"] and int(p["char_end"]) > r["char_start"] for r, p in found)
    return {"n": len(pairs), "accuracy": sum(g == p for g, p in pairs) / len(pairs),
            "precision": tp / n_pred if n_pred else float("nan"), "recall": tp / n_gold if n_gold else float("nan"),
            "present_found": tp, "predicted_present": n_pred, "gold_present": n_gold,
            "sentence_agree": same / len(found) if found else float("nan"),
            "confusion": {f"{g}|{p}": counts[(g, p)] for g in STANCES for p in STANCES}}


def confusion_table(sec: Section, res: dict[str, Any]) -> None:
    conf = res["confusion"]
    sec.table(["gold \\ tracker", *STANCES, "rows"],
              [[g, *(conf[f"{g}|{p}"] for p in STANCES), sum(conf[f"{g}|{p}"] for p in STANCES)] for g in STANCES])


def run_dev(sec: Section, variants: dict[str, dict[str, Any]] | None = None) -> None:
    """The dev-gold section: a confusion table per tracker (the defaults and each variant) and a summary row each."""
    from claimcmp.track import MATCH_ENTAIL

    try:
        rows, events = load_gold()
    except EvalDataMissing as exc:
        sec.add(f"Dev gold skipped: {exc}")
        return
    labels = Counter(r["label"] for r in rows)
    sec.add(f"Dev gold (`benchmarks/gold/track_dev.jsonl`, guidelines in `benchmarks/gold/TRACK_GUIDELINES.md`): "
            f"{len({r['claim_id'] for r in rows})} claims from {len(events)} NeuS val events, each labelled against "
            f"the event's other articles: {len(rows)} rows (" + ", ".join(f"{labels[s]} {s}" for s in STANCES)
            + "). 'present' = support, report or deny; 'sentence' = share of the present rows found where the "
            "tracker's sentence is the labelled one.")
    results: dict[str, dict[str, Any]] = {}
    table = []
    runs = {"defaults": {}, **(VARIANTS if variants is None else variants)}
    for name, opts in runs.items():
        t = time.perf_counter()
        res = score(rows, predict(rows, events, **opts))
        res["seconds"] = time.perf_counter() - t
        results[name] = res
        table.append([name, res["accuracy"], res["precision"], res["recall"],
                      f"{res['present_found']}/{res['gold_present']}", res["sentence_agree"], res["seconds"]])
    for name, res in results.items():
        sec.add(f"**{name}**" + (f" (`match_entail={MATCH_ENTAIL}`)" if name == "defaults" else "") + ":")
        confusion_table(sec, res)
    sec.table(["tracker", "accuracy (4 stances)", "present precision", "present recall", "present found",
               "sentence", "s"], table)
    sec.data["dev"] = results


def _main() -> None:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.track_dev", description=__doc__.split("\n")[0])
    ap.add_argument("--defaults-only", action="store_true", help="score the default tracker only")
    ap.add_argument("--benchmark", action="store_true", help="the variants of the track benchmark only")
    args = ap.parse_args()
    logging.getLogger("claimcmp").setLevel(logging.ERROR)
    sec = Section("track_dev", "claimcmp.track on the dev gold")
    if args.benchmark:
        from benchmarks.track import DEV_VARIANTS

        run_dev(sec, DEV_VARIANTS)
    else:
        run_dev(sec, {} if args.defaults_only else None)
    print("\n\n".join(sec.markdown))


if __name__ == "__main__":
    _main()
