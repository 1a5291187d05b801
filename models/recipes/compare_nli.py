"""Paired comparison of two NLI models on the held-out sets: is one really better than the other?

Usage (repository root)::

    python models/recipes/compare_nli.py --a models/recipes/runs/baseline/export \
        --b claimcmp-nli-minilm-l6 --out models/claimcmp-nli-minilm-l6/comparison_baseline.json

Both models judge the same pairs (float32). For every set: each model's accuracy, the difference
B - A with a paired bootstrap 95% interval (2,000 resamples of the pairs, seeded), the discordant
pairs (A right and B wrong, A wrong and B right) and the exact two-sided McNemar p-value on them.
2-way sets (QAGS, CoGenSumm) are scored as in ``eval_nli.py``: entailment when it is the top label.
``--sets`` also takes the development sets of ``nli_data.DEV_SETS`` (e.g. ``semi_automatic_nli_news_dev``):
those were seen by model selection, so a comparison there favours the selected model slightly.
Nothing here trains or selects.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
import eval_nli
import nli_data

DEFAULT_SETS = ["sick_test", "mnli_dev_mismatched", "snli_test", "anli_test_all", "xnli_en_test",
                "semi_automatic_nli_news_test", "qags_cnndm_2way", "qags_xsum_2way", "cogensumm_2way"]


def correct(probs: np.ndarray, gold: list[str]) -> np.ndarray:
    """Per pair: whether the argmax prediction matches the gold label (2-way sets: entailment vs not)."""
    return np.asarray(eval_nli.predicted_labels(probs, gold) == np.array(gold))


def mcnemar_p(a_only: int, b_only: int) -> float:
    """Exact two-sided McNemar p-value from the two discordant counts (binomial, p = 0.5)."""
    n = a_only + b_only
    if n == 0:
        return 1.0
    k = min(a_only, b_only)
    tail = sum(math.comb(n, i) for i in range(k + 1)) / 2**n  # exact integers: no overflow for large n
    return float(min(1.0, 2.0 * tail))


def paired(a_ok: np.ndarray, b_ok: np.ndarray, resamples: int = 2000, seed: int = 0) -> dict[str, float]:
    """Accuracies, difference B - A with its paired bootstrap 95% interval, discordant counts, McNemar p."""
    if a_ok.shape != b_ok.shape:
        raise ValueError("both models must be scored on the same pairs")
    rng = np.random.default_rng(seed)
    diff = b_ok.astype(np.float64) - a_ok.astype(np.float64)
    idx = rng.integers(0, len(diff), size=(resamples, len(diff)))
    boot = diff[idx].mean(1)
    a_only = int((a_ok & ~b_ok).sum())
    b_only = int((~a_ok & b_ok).sum())
    return {"n": float(len(diff)), "correct_a": float(a_ok.sum()), "correct_b": float(b_ok.sum()),
            "accuracy_a": float(a_ok.mean()), "accuracy_b": float(b_ok.mean()), "difference": float(diff.mean()),
            "ci95_low": float(np.quantile(boot, 0.025)), "ci95_high": float(np.quantile(boot, 0.975)),
            "a_right_b_wrong": float(a_only), "a_wrong_b_right": float(b_only),
            "mcnemar_p": mcnemar_p(a_only, b_only)}


def main() -> None:
    import claimcmp

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--a", required=True, help="model A: registry name or folder")
    ap.add_argument("--b", required=True, help="model B: registry name or folder")
    ap.add_argument("--sets", nargs="*", default=DEFAULT_SETS)
    ap.add_argument("--out", default=None, help="write the comparison as JSON here")
    args = ap.parse_args()
    judges = [claimcmp.NLIJudge(model=m, precision="float32", batch_size=128) for m in (args.a, args.b)]
    readers = {**nli_data.EVAL_SETS, **nli_data.DEV_SETS}
    rows = []
    for name in args.sets:
        try:
            df = readers[name]()
        except nli_data.EvalDataMissing as exc:
            print(f"skip {name}: {exc}", file=sys.stderr)
            continue
        gold = df["label"].tolist()
        a_ok, b_ok = (correct(j.judge(df["premise"].tolist(), df["hypothesis"].tolist()).to_numpy(), gold)
                      for j in judges)
        rows.append({"set": name, **paired(a_ok, b_ok)})
        print(json.dumps(rows[-1]), file=sys.stderr)
    res = pd.DataFrame(rows)
    cols = ["set", "n", "accuracy_a", "accuracy_b", "difference", "ci95_low", "ci95_high", "a_right_b_wrong",
            "a_wrong_b_right", "mcnemar_p"]
    print("| " + " | ".join(cols) + " |\n|" + "---|" * len(cols))
    for _, r in res.iterrows():
        cells = [r["set"], f"{int(r['n']):,}"] + [f"{r[c]:+.3f}" if c.startswith(("diff", "ci95")) else f"{r[c]:.3f}"
                                                  for c in cols[2:7]]
        cells += [f"{int(r['a_right_b_wrong'])}", f"{int(r['a_wrong_b_right'])}", f"{r['mcnemar_p']:.3g}"]
        print("| " + " | ".join(cells) + " |")
    if args.out:
        Path(args.out).write_text(json.dumps({"a": args.a, "b": args.b, "precision": "float32",
                                              "results": rows}, indent=2) + "\n")


if __name__ == "__main__":
    main()
