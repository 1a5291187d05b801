"""Fit the same-claim verifier (claimcmp.stages.verify.DEFAULT_WEIGHTS) and choose its threshold on dev.

Training pairs (read in place from ../shared/eval, sha256 recorded in the output):
- ECB+ topics 1-35: cross-document sentences sharing a coreferent action (1) vs the other sub-topic or
  no shared action (0); topics 36-45 stay held out for the benchmark;
- SemEval STS headlines 2013-2015: score >= 3.5 (1) vs <= 1.5 (0).

Features are :data:`claimcmp.stages.verify.FEATURES` (embedding cosine, the shipped NLI model both
ways, word overlaps); the model is a logistic regression (scikit-learn, C=1). The threshold is then
chosen on the hand-labelled dev pairs (benchmarks/gold/claim_pairs_dev.jsonl): the highest-F1
threshold among those with precision >= 0.85 on dev.

Usage: ``python models/recipes/train_same_claim.py --out models/recipes/runs/same_claim.json``
(about 5 minutes on 2 cores); it prints the weights to paste into ``DEFAULT_WEIGHTS``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from benchmarks.common import eval_path  # noqa: E402
from benchmarks.data import ECBPLUS_SENTENCES, HEADLINES, PairSet, ecbplus_pairs, headlines  # noqa: E402


def features(s1: list[str], s2: list[str]) -> np.ndarray:
    from claimcmp.stages import NLIJudge, SentenceEmbedder
    from claimcmp.stages.verify import pair_features

    emb = SentenceEmbedder()
    e1, e2 = emb.embed(s1), emb.embed(s2)
    cos = np.einsum("ij,ij->i", e1, e2)
    p = NLIJudge(show_progress=True).judge(s1 + s2, s2 + s1)[["entailment", "neutral", "contradiction"]].to_numpy()
    return pair_features(s1, s2, cos, p[:len(s1)], p[len(s1):])


def training_sets() -> list[PairSet]:
    h = headlines((2013, 2014, 2015))
    keep = (h.gold >= 3.5) | (h.gold <= 1.5)
    hl = PairSet("headlines_binary", [x for x, k in zip(h.s1, keep) if k], [x for x, k in zip(h.s2, keep) if k],
                 (h.gold[keep] >= 3.5).astype(np.int64))
    return [ecbplus_pairs(range(1, 36)), hl]


def choose_threshold(p: np.ndarray, gold: np.ndarray, min_precision: float = 0.85) -> tuple[float, dict[str, float]]:
    best: tuple[float, float, dict[str, float]] = (-1.0, 0.5, {})
    for t in np.round(np.arange(0.05, 0.96, 0.01), 2):
        pred = p >= t
        tp = int((pred & gold).sum())
        prec = tp / max(int(pred.sum()), 1)
        rec = tp / max(int(gold.sum()), 1)
        f1 = 2 * prec * rec / (prec + rec) if tp else 0.0
        if prec >= min_precision and f1 > best[0]:
            best = (f1, float(t), {"precision": prec, "recall": rec, "f1": f1})
    return best[1], best[2]


def main() -> None:
    from sklearn.linear_model import LogisticRegression

    from claimcmp.stages.verify import FEATURES

    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--cache", type=Path, default=ROOT / "models/recipes/runs/same_claim_features.npz")
    args = ap.parse_args()
    sets = training_sets()
    if args.cache.exists():
        z = np.load(args.cache)
        x, y = z["x"], z["y"]
    else:
        xs = [features(s.s1, s.s2) for s in sets]
        x, y = np.concatenate(xs), np.concatenate([s.gold for s in sets])
        args.cache.parent.mkdir(parents=True, exist_ok=True)
        np.savez(args.cache, x=x, y=y)
    lr = LogisticRegression(C=1.0, max_iter=2000).fit(x, y)
    weights = {"intercept": round(float(lr.intercept_[0]), 4)}
    weights |= {f: round(float(w), 4) for f, w in zip(FEATURES, lr.coef_[0])}

    gold_file = ROOT / "benchmarks/gold/claim_pairs_dev.jsonl"
    rows = [json.loads(r) for r in gold_file.read_text(encoding="utf-8").splitlines() if r]
    xd = features([r["text_a"] for r in rows], [r["text_b"] for r in rows])
    yd = np.array([bool(r["same_claim"]) for r in rows])
    pd_ = 1 / (1 + np.exp(-(xd @ lr.coef_[0] + lr.intercept_[0])))
    t, dev = choose_threshold(pd_, yd)
    reads = [eval_path(ECBPLUS_SENTENCES)] + [eval_path(HEADLINES[y]) for y in (2013, 2014, 2015)] + [gold_file]
    out = {"weights": weights, "threshold": t, "dev_pairwise": dev, "n_train": {s.name: len(s) for s in sets},
           "reads": {str(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in reads}}
    args.out.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
