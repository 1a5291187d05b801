"""Evaluate an NLI model on the held-out sets of ``nli_data.EVAL_SETS`` (never used for training or selection).

Usage (repository root)::

    python models/recipes/eval_nli.py                       # the registry's default NLI model, float32
    python models/recipes/eval_nli.py --precision bfloat16 --sets sick_test mnli_dev_mismatched
    python models/recipes/eval_nli.py --out models/claimcmp-nli-minilm-l6/eval_results.json

3-way sets: accuracy, macro-F1 and per-class recall. 2-way sets (QAGS, CoGenSumm): "entailment" vs
"not_entailment", predicted as entailment when P(entailment) is the largest of the three.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
import nli_data


def predicted_labels(probs: np.ndarray, gold: list[str]) -> np.ndarray:
    """Argmax labels; for 2-way gold sets, "entailment" when it is the top label, else "not_entailment"."""
    pred_idx = probs.argmax(1)
    if "not_entailment" in set(gold):
        return np.where(pred_idx == 0, "entailment", "not_entailment")
    return np.array(nli_data.LABELS)[pred_idx]


def scores(probs: np.ndarray, gold: list[str]) -> dict[str, float]:
    """Accuracy, macro-F1 and per-class recall of argmax predictions against gold labels."""
    pred = predicted_labels(probs, gold)
    classes = ["entailment", "not_entailment"] if "not_entailment" in set(gold) else list(nli_data.LABELS)
    g = np.array(gold)
    out: dict[str, float] = {"n": float(len(g)), "accuracy": float((pred == g).mean())}
    f1s = []
    for c in classes:
        tp = float(((pred == c) & (g == c)).sum())
        prec = tp / max(1.0, float((pred == c).sum()))
        rec = tp / max(1.0, float((g == c).sum()))
        f1s.append(0.0 if prec + rec == 0 else 2 * prec * rec / (prec + rec))
        out[f"recall_{c}"] = rec
    out["macro_f1"] = float(np.mean(f1s))
    return out


def evaluate(judge: object, sets: list[str], max_pairs: int | None = None) -> pd.DataFrame:
    """One row per set: scores plus pairs/s, for a ``claimcmp.NLIJudge``-like object."""
    rows = []
    for name in sets:
        try:
            df = nli_data.EVAL_SETS[name]()
        except nli_data.EvalDataMissing as exc:
            print(f"skip {name}: {exc}", file=sys.stderr)
            continue
        if max_pairs and len(df) > max_pairs:
            df = df.sample(n=max_pairs, random_state=0)
        t = time.perf_counter()
        probs = judge.judge(df["premise"].tolist(), df["hypothesis"].tolist()).to_numpy()  # type: ignore[attr-defined]
        secs = time.perf_counter() - t
        rows.append({"set": name, **scores(probs, df["label"].tolist()), "pairs_per_s": len(df) / secs})
    return pd.DataFrame(rows)


def to_markdown(df: pd.DataFrame) -> str:
    """The results as a markdown table."""
    cols = ["set", "n", "accuracy", "macro_f1", "recall_entailment", "recall_neutral", "recall_contradiction",
            "recall_not_entailment"]
    cols = [c for c in cols if c in df.columns]
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for _, r in df.iterrows():
        cells = []
        for c in cols:
            v = r[c]
            if c == "set":
                cells.append(str(v))
            elif c == "n":
                cells.append(f"{int(v):,}")
            else:
                cells.append("" if pd.isna(v) else f"{v:.3f}")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    import claimcmp

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", default=None, help="registry name or folder (default: registry default)")
    ap.add_argument("--precision", default="float32", choices=["float32", "bfloat16"])
    ap.add_argument("--sets", nargs="*", default=list(nli_data.EVAL_SETS))
    ap.add_argument("--max-pairs", type=int, default=None, help="sample at most this many pairs per set")
    ap.add_argument("--out", default=None, help="write results as JSON here")
    args = ap.parse_args()
    judge = claimcmp.NLIJudge(model=args.model, precision=args.precision, batch_size=128)
    df = evaluate(judge, args.sets, args.max_pairs)
    print(to_markdown(df))
    if args.out:
        Path(args.out).write_text(json.dumps({"model": judge.model_name, "precision": args.precision,
                                              "results": df.to_dict(orient="records")}, indent=2))


if __name__ == "__main__":
    main()
