"""Precision of what claimcmp flags: every `contradict` and `disputed` pair on real NeuS events, read by hand.

A researcher reads the flagged pairs first, so their precision is measured on what the pipeline
actually flags, not on a benchmark's class balance. ``--dump`` compares the first ``--events`` NeuS
events of a split (left / centre / right coverage of one story) with the default pipeline and writes
every cross-outlet pair whose stance is ``contradict`` or ``disputed``, with both sentences, their
context and the evidence spans, for labelling by ``benchmarks/gold/GUIDELINES.md``. The labelled file
(``benchmarks/gold/flagged_<split>.jsonl``: the dump plus ``gold_stance`` and ``note``) is scored by
``--score``: precision of each flagged stance against the hand label, and which flags are new since
labelling (unlabelled, listed rather than guessed). The ``val`` split is the development split; ``test``
is read only to report.

Usage::

    python -m benchmarks.flagged --split val --events 150 --dump OUT.jsonl
    python -m benchmarks.flagged --split val --events 150 --score benchmarks/gold/flagged_val.jsonl
    python -m benchmarks.flagged --rejudge benchmarks/gold/flagged_val.jsonl   # rules changed since labelling
"""

from __future__ import annotations

import argparse
import json
import logging
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pandas as pd

from benchmarks.data import neus_events

log = logging.getLogger("benchmarks.flagged")
FLAGS = ("contradict", "disputed")


def _context(text: str, start: int, end: int, width: int = 200) -> str:
    return text[max(0, start - width):start] + "[[" + text[start:end] + "]]" + text[end:end + width]


def _opt(x: Any) -> str | None:
    return None if x is None or pd.isna(x) else str(x)


def flagged_pairs(split: str, n_events: int) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The flagged pairs of the first ``n_events`` events of ``split``, and run statistics."""
    import claimcmp

    comp = claimcmp.Comparator(show_progress=False)
    rows: list[dict[str, Any]] = []
    stats: Counter[str] = Counter()
    t0 = time.perf_counter()
    for arts in neus_events(split, n_events):
        event = arts[0]["article_id"].split("_")[0]
        try:
            c = comp.compare(arts)
        except claimcmp.ClaimcmpError as e:
            log.warning("%s skipped: %s", event, e)
            stats["events_skipped"] += 1
            continue
        stats["events"] += 1
        p = c.pairs
        stats["pairs_judged"] += len(p)
        stats["pairs_same_claim"] += int(p["same_claim"].sum())
        texts = {a["article_id"]: a["text"] for a in arts}
        s = c.sentences.set_index("sentence_id")
        for r in p[p["stance"].isin(FLAGS)].itertuples():
            sa, sb = s.loc[r.sentence_id_a], s.loc[r.sentence_id_b]
            rows.append({
                "pair_id": f"{r.sentence_id_a}|{r.sentence_id_b}", "event": event, "split": split,
                "outlet_a": r.outlet_a, "outlet_b": r.outlet_b, "text_a": sa["text"], "text_b": sb["text"],
                "context_a": _context(texts[sa["article_id"]], int(sa["char_start"]), int(sa["char_end"])),
                "context_b": _context(texts[sb["article_id"]], int(sb["char_start"]), int(sb["char_end"])),
                "stance": r.stance, "conflict_kind": _opt(r.conflict_kind), "evidence_a": _opt(r.evidence_a),
                "evidence_b": _opt(r.evidence_b), "speaker_a": _opt(r.speaker_a), "speaker_b": _opt(r.speaker_b),
                "cosine": round(float(r.cosine), 4),
            })
    stats_out: dict[str, Any] = dict(stats)
    stats_out["seconds"] = round(time.perf_counter() - t0, 1)
    stats_out["flagged"] = dict(Counter(r["stance"] for r in rows))
    return rows, stats_out


def score(flagged: list[dict[str, Any]], labelled: list[dict[str, Any]]) -> dict[str, Any]:
    """Precision per flagged stance against the hand labels; flags without a label are counted apart."""
    gold = {r["pair_id"]: r for r in labelled}
    out: dict[str, Any] = {}
    for stance in FLAGS:
        mine = [r for r in flagged if r["stance"] == stance]
        known = [r for r in mine if r["pair_id"] in gold]
        right = [r for r in known if gold[r["pair_id"]]["gold_stance"] == stance]
        either = [r for r in known if gold[r["pair_id"]]["gold_stance"] in FLAGS]
        out[stance] = {"flagged": len(mine), "labelled": len(known), "right": len(right),
                       "precision": round(len(right) / len(known), 3) if known else None,
                       "conflict_or_debate": len(either),
                       "gold_of_wrong": dict(Counter(gold[r["pair_id"]]["gold_stance"] for r in known
                                                     if gold[r["pair_id"]]["gold_stance"] != stance)),
                       "unlabelled": [r["pair_id"] for r in mine if r["pair_id"] not in gold]}
    return out


def rejudge(labelled: list[dict[str, Any]]) -> dict[str, Any]:
    """The labelled flags judged again by the current :class:`~claimcmp.stages.StanceJudge` (same-claim
    assumed, as when they were flagged): precision of the flags that remain. A quick check of a rule
    change that only narrows the flags; a rule that adds flags needs a new ``--dump``."""
    from claimcmp.stages import NLIJudge, StanceJudge

    a, b = [r["text_a"] for r in labelled], [r["text_b"] for r in labelled]
    nli = NLIJudge()
    cols = ["entailment", "neutral", "contradiction"]
    both = nli.judge(a + b, b + a)[cols].to_numpy()  # both directions in one length-sorted pass
    ab, ba = both[:len(a)], both[len(a):]
    judged = StanceJudge().judge(a, b, ab, ba, [True] * len(a))
    now = [r | {"stance": j.stance} for r, j in zip(labelled, judged)]
    out = score([r for r in now if r["stance"] in FLAGS], labelled)
    out["removed"] = dict(Counter(r["gold_stance"] for r, n in zip(labelled, now) if n["stance"] not in FLAGS))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--split", choices=("train", "val", "test"), default="val")
    ap.add_argument("--events", type=int, default=150)
    ap.add_argument("--dump", type=Path, help="write the flagged pairs (JSONL) for labelling")
    ap.add_argument("--score", type=Path, help="a labelled file to score the current flags against")
    ap.add_argument("--rejudge", type=Path, help="judge a labelled file's pairs again with the current rules")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    logging.getLogger("claimcmp").setLevel(logging.WARNING)
    if args.rejudge:
        labelled = [json.loads(x) for x in args.rejudge.read_text(encoding="utf-8").splitlines() if x]
        log.info("%s", json.dumps(rejudge(labelled), indent=1))
        return 0
    rows, stats = flagged_pairs(args.split, args.events)
    res: dict[str, Any] = {"split": args.split, "events_asked": args.events, **stats}
    if args.dump:
        args.dump.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    if args.score:
        labelled = [json.loads(x) for x in args.score.read_text(encoding="utf-8").splitlines() if x]
        res["precision"] = score(rows, labelled)
    log.info("%s", json.dumps(res, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
