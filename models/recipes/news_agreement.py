"""How far the semi-automatic news test can separate models: its annotators' agreement, and accuracy by it.

Usage (repository root)::

    python models/recipes/news_agreement.py --models models/recipes/runs/baseline/export claimcmp-nli-minilm-l6

Every news test row carries five crowd labels (``label1`` .. ``label5``, ``x`` = no judgement) and
their majority (``label``). Printed: how often one annotator agrees with the majority of the other
four (a human reference point for a single-label predictor), how many rows carry a 3-, 4- or 5-of-5
majority, and each model's accuracy per agreement level and per subset (base_news, sim_news).
Held-out data only; nothing here trains or selects.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
import compare_nli
import nli_data

SUBSETS = ("base_news", "sim_news")


def leave_one_out_agreement(votes: list[list[str]]) -> tuple[int, int]:
    """(agreements, judgements): each annotator's label against the strict majority of the others.

    ``x`` (no judgement) is skipped; a judgement counts only where the others have a unique top label.
    """
    hits = total = 0
    for row in votes:
        for i, mine in enumerate(row):
            if mine == "x":
                continue
            top = Counter(v for j, v in enumerate(row) if j != i and v != "x").most_common(2)
            if not top or (len(top) == 2 and top[0][1] == top[1][1]):
                continue
            total += 1
            hits += mine == top[0][0]
    return hits, total


def news_test_votes() -> pd.DataFrame:
    """The news test rows (same order as ``nli_data.EVAL_SETS``) with subset, votes and majority size."""
    rows = []
    for sub in SUBSETS:
        with nli_data._path(f"nli/semi_automatic_nli/data/{sub}/test.jsonl").open(encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    r = json.loads(line)
                    votes = [r[f"label{i}"] for i in range(1, 6)]
                    rows.append({"subset": sub, "votes": votes, "majority": sum(v == r["label"] for v in votes)})
    return pd.DataFrame(rows)


def main() -> None:
    import claimcmp

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--models", nargs="*", default=[], help="registry names or folders to score (float32)")
    args = ap.parse_args()
    votes = news_test_votes()
    hits, total = leave_one_out_agreement(votes["votes"].tolist())
    print(f"one annotator vs the majority of the other four: {hits / total:.3f} ({hits} of {total} judgements)")
    print("rows by majority size:", votes["majority"].value_counts().sort_index().to_dict())
    pairs = nli_data.EVAL_SETS["semi_automatic_nli_news_test"]()
    if len(pairs) != len(votes):
        raise RuntimeError("news test rows and their votes are out of step")
    for model in args.models:
        judge = claimcmp.NLIJudge(model=model, precision="float32", batch_size=128)
        probs = judge.judge(pairs["premise"].tolist(), pairs["hypothesis"].tolist()).to_numpy()
        ok = compare_nli.correct(probs, pairs["label"].tolist())
        by = {f"{k} of 5": float(np.mean(ok[(votes["majority"] == k).to_numpy()])) for k in (3, 4, 5)}
        by |= {s: float(np.mean(ok[(votes["subset"] == s).to_numpy()])) for s in SUBSETS}
        print(f"{model}: all {ok.mean():.3f}; " + "; ".join(f"{k} {v:.3f}" for k, v in by.items()))


if __name__ == "__main__":
    main()
