"""Fit the same-claim verifier's weights (``claimcmp.stages.verify.DEFAULT_WEIGHTS``) and say how well they generalise.

The default verifier is a logistic regression (scikit-learn, C=10) over four of
:data:`claimcmp.stages.verify.FEATURES` (cosine, the larger NLI entailment of the two directions, word
overlap, word Jaccard), fitted on the hand-labelled dev pairs (``benchmarks/gold/claim_pairs_dev.jsonl``).
Beside the fit, this script measures on dev, pair by pair (no clustering):

- ``in_sample``: the fitted weights on the pairs they were fitted on (optimistic);
- ``cross_validated``: 5-fold out-of-fold predictions, three shuffles (the honest dev estimate);
- ``ecb_sts``: the same model fitted on ECB+ topics 1-35 and SemEval STS headlines instead of dev;
- ``nli_head`` (``--head``): a logistic head over the NLI model's pooled pair representation (both
  directions), fitted on ECB+ and STS headlines, alone and stacked on the verifier out-of-fold.

The test split is never read. Usage: ``python -m benchmarks.fit_verifier --out FILE [--head]``
(about 2 minutes on 2 cores; ``--head`` adds about 5).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.common import REPO_ROOT, eval_path
from benchmarks.data import ECBPLUS_SENTENCES, HEADLINES, PairSet, ecbplus_pairs, headlines

log = logging.getLogger("benchmarks.fit_verifier")
DEV = REPO_ROOT / "benchmarks" / "gold" / "claim_pairs_dev.jsonl"
USED = ("cosine", "entail_max", "overlap", "jaccard")
C = 10.0


def nli_features(s1: list[str], s2: list[str]) -> np.ndarray:
    """The verifier's feature matrix for pairs (s1[i], s2[i]), from the default embedder and NLI model."""
    from claimcmp.stages import NLIJudge, SentenceEmbedder
    from claimcmp.stages.verify import pair_features

    emb = SentenceEmbedder(show_progress=False)
    cos = np.einsum("ij,ij->i", emb.embed(s1), emb.embed(s2))
    p = NLIJudge(show_progress=False).judge(s1 + s2, s2 + s1)[["entailment", "neutral", "contradiction"]].to_numpy()
    return pair_features(s1, s2, cos, p[:len(s1)], p[len(s1):])


def outside_sets() -> list[PairSet]:
    """ECB+ topics 1-35 (coreferent action = 1) and STS headlines (>= 3.5 = 1, <= 1.5 = 0)."""
    h = headlines((2013, 2014, 2015))
    keep = (h.gold >= 3.5) | (h.gold <= 1.5)
    hl = PairSet("headlines_binary", [x for x, k in zip(h.s1, keep) if k], [x for x, k in zip(h.s2, keep) if k],
                 (h.gold[keep] >= 3.5).astype(np.int64))
    return [ecbplus_pairs(range(1, 36)), hl]


def pr(p: np.ndarray, gold: np.ndarray, threshold: float = 0.5) -> dict[str, float]:
    pred = p >= threshold
    tp = int((pred & gold).sum())
    return {"precision": round(tp / max(int(pred.sum()), 1), 3), "recall": round(tp / max(int(gold.sum()), 1), 3),
            "tp": tp, "predicted": int(pred.sum()), "gold": int(gold.sum())}


def recall_at_precision(p: np.ndarray, gold: np.ndarray, min_precision: float = 0.85) -> float:
    """The highest recall over thresholds whose precision is at least ``min_precision``."""
    best = 0.0
    for t in np.unique(p):
        pred = p >= t
        tp = int((pred & gold).sum())
        if pred.sum() and tp / pred.sum() >= min_precision:
            best = max(best, tp / gold.sum())
    return round(float(best), 3)


def out_of_fold(x: np.ndarray, y: np.ndarray, seed: int, c: float = C) -> np.ndarray:
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    cv = StratifiedKFold(5, shuffle=True, random_state=seed)
    return cross_val_predict(LogisticRegression(C=c, max_iter=5000), x, y, cv=cv, method="predict_proba")[:, 1]


def pooled_pairs(s1: list[str], s2: list[str], batch_size: int = 64) -> np.ndarray:
    """The NLI model's pooled representation of each pair, both directions: [mean, |difference|]."""
    import torch

    from claimcmp.model_registry import load_sequence_classifier
    from claimcmp.stages import NLIJudge

    tok, model = load_sequence_classifier(NLIJudge().model_name, "cpu")

    def one_way(a: list[str], b: list[str]) -> np.ndarray:
        out = np.zeros((len(a), model.config.hidden_size), np.float32)
        order = sorted(range(len(a)), key=lambda i: len(a[i]) + len(b[i]))
        for s in range(0, len(order), batch_size):
            idx = order[s:s + batch_size]
            enc = tok([a[i] for i in idx], [b[i] for i in idx], truncation=True, max_length=256, padding=True,
                      return_tensors="pt")
            with torch.inference_mode():
                out[idx] = model.bert(**enc).pooler_output.float().numpy()
        return out

    ab, ba = one_way(s1, s2), one_way(s2, s1)
    return np.hstack([(ab + ba) / 2, np.abs(ab - ba)])


def nli_head(dev_a: list[str], dev_b: list[str], yd: np.ndarray, verifier_oof: np.ndarray) -> dict[str, Any]:
    from scipy.special import logit
    from sklearn.linear_model import LogisticRegression

    sets = outside_sets()
    xa = [x for s in sets for x in s.s1]
    xb = [x for s in sets for x in s.s2]
    y = np.concatenate([s.gold for s in sets])
    xt, xd = pooled_pairs(xa, xb), pooled_pairs(dev_a, dev_b)
    out: dict[str, Any] = {}
    for c in (0.01, 0.1, 1.0):
        ph = LogisticRegression(C=c, max_iter=3000).fit(xt, y).predict_proba(xd)[:, 1]
        z = np.c_[logit(np.clip(verifier_oof, 1e-4, 1 - 1e-4)), logit(np.clip(ph, 1e-4, 1 - 1e-4))]
        stacked = out_of_fold(z, yd, 0, c=1.0)
        out[f"C={c}"] = {"alone": pr(ph, yd) | {"recall_at_p85": recall_at_precision(ph, yd)},
                         "stacked_cv": pr(stacked, yd) | {"recall_at_p85": recall_at_precision(stacked, yd)}}
    return out


def main(argv: list[str] | None = None) -> int:
    from sklearn.linear_model import LogisticRegression

    from claimcmp.stages.verify import FEATURES

    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--head", action="store_true", help="also fit and score the NLI pooled-representation head")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    cols = [FEATURES.index(f) for f in USED]
    rows = [json.loads(r) for r in DEV.read_text(encoding="utf-8").splitlines() if r]
    da, db = [r["text_a"] for r in rows], [r["text_b"] for r in rows]
    yd = np.array([bool(r["same_claim"]) for r in rows])
    xd = nli_features(da, db)[:, cols]
    lr = LogisticRegression(C=C, max_iter=5000).fit(xd, yd)
    weights = {"intercept": round(float(lr.intercept_[0]), 4)}
    weights |= {f: round(float(w), 4) for f, w in zip(USED, lr.coef_[0])}
    oofs = [out_of_fold(xd, yd, seed) for seed in range(3)]
    sets = outside_sets()
    xo = np.concatenate([nli_features(s.s1, s.s2)[:, cols] for s in sets])
    yo = np.concatenate([s.gold for s in sets])
    p_outside = LogisticRegression(C=C, max_iter=5000).fit(xo, yo).predict_proba(xd)[:, 1]
    res: dict[str, Any] = {
        "weights": weights, "features": list(USED), "C": C, "threshold": 0.5,
        "in_sample": pr(lr.predict_proba(xd)[:, 1], yd),
        "cross_validated": [pr(p, yd) | {"recall_at_p85": recall_at_precision(p, yd)} for p in oofs],
        "ecb_sts": pr(p_outside, yd) | {"recall_at_p85": recall_at_precision(p_outside, yd)},
        "n_outside": {s.name: len(s) for s in sets},
    }
    if args.head:
        res["nli_head"] = nli_head(da, db, yd, oofs[0])
    reads = [eval_path(ECBPLUS_SENTENCES)] + [eval_path(HEADLINES[y]) for y in (2013, 2014, 2015)] + [DEV]
    res["reads"] = {str(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in reads}
    args.out.write_text(json.dumps(res, indent=1) + "\n", encoding="utf-8")
    log.info("%s", json.dumps({k: v for k, v in res.items() if k != "reads"}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
