"""Which stance rule finds contradictions best? Scores 'contradict' decisions made from both NLI directions.

Gold contradiction is symmetric, so a pair labelled contradiction (premise->hypothesis) should be
'contradict' whichever way it is run. Compares rule 'either' (contradiction top in >= 1 direction,
entailment in none) with 'both' (contradiction top in both directions) on held-out sets.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]  # repository root
sys.path.insert(0, str(ROOT / "models" / "recipes"))
import nli_data  # noqa: E402


def main() -> None:
    import claimcmp

    judge = claimcmp.NLIJudge(batch_size=128)
    print("| set | rule | contradiction precision | recall | F1 | agree precision (gold E) |")
    print("|---|---|---|---|---|---|")
    for name in sys.argv[1:] or ("sick_test", "semi_automatic_nli_news_test"):
        try:
            df = nli_data.EVAL_SETS[name]()
        except nli_data.EvalDataMissing as exc:
            print(f"| {name} | skipped: {exc} | | | | |")
            continue
        p, h = df["premise"].tolist(), df["hypothesis"].tolist()
        ab = judge.judge(p, h).to_numpy()
        ba = judge.judge(h, p).to_numpy()
        gold_c = (df["label"] == "contradiction").to_numpy()
        gold_e = (df["label"] == "entailment").to_numpy()
        ta, tb = ab.argmax(1), ba.argmax(1)
        ent = (ta == 0).astype(int) + (tb == 0).astype(int)
        rules = {"either": ((ta == 2) | (tb == 2)) & (ent == 0), "both": (ta == 2) & (tb == 2)}
        for rule, pred in rules.items():
            tp = float((pred & gold_c).sum())
            prec, rec = tp / max(1, pred.sum()), tp / max(1, gold_c.sum())
            f1 = 0 if prec + rec == 0 else 2 * prec * rec / (prec + rec)
            agree = ent == 2
            ap = float((agree & gold_e).sum()) / max(1, agree.sum())
            print(f"| {name} | {rule} | {prec:.3f} | {rec:.3f} | {f1:.3f} | {ap:.3f} |")


if __name__ == "__main__":
    main()
