"""Small metric helpers: threshold sweeps, F1, Spearman."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class ThresholdScore:
    """Binary decisions ``score >= threshold`` against gold labels."""

    threshold: float
    accuracy: float
    precision: float
    recall: float
    f1: float
    positive_rate: float


def binary_scores(pred: np.ndarray, gold: np.ndarray, threshold: float = float("nan")) -> ThresholdScore:
    """Accuracy, precision, recall and F1 of boolean predictions against boolean gold labels."""
    pred = np.asarray(pred, dtype=bool)
    gold = np.asarray(gold, dtype=bool)
    tp = int((pred & gold).sum())
    fp = int((pred & ~gold).sum())
    fn = int((~pred & gold).sum())
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return ThresholdScore(threshold, float((pred == gold).mean()) if len(gold) else 0.0, p, r, f1,
                          float(pred.mean()) if len(pred) else 0.0)


def at_threshold(scores: np.ndarray, gold: np.ndarray, threshold: float) -> ThresholdScore:
    """Scores of the decision ``scores >= threshold``."""
    return binary_scores(np.asarray(scores) >= threshold, gold, threshold)


def sweep(scores: np.ndarray, gold: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Exact sweep over every distinct score: thresholds, F1 and accuracy of ``scores >= t`` for each."""
    s = np.asarray(scores, dtype=np.float64)
    g = np.asarray(gold, dtype=bool)
    order = np.argsort(-s, kind="stable")
    s, g = s[order], g[order]
    tp = np.cumsum(g)
    fp = np.cumsum(~g)
    last = np.r_[s[1:] != s[:-1], True]  # end of each run of equal scores
    thr, tp, fp = s[last], tp[last], fp[last]
    pos = int(g.sum())
    n = len(g)
    prec = tp / np.maximum(tp + fp, 1)
    rec = tp / max(pos, 1)
    f1 = np.where(prec + rec > 0, 2 * prec * rec / np.maximum(prec + rec, 1e-12), 0.0)
    acc = (tp + (n - pos - fp)) / n
    return thr, f1, acc


def best_threshold(scores: np.ndarray, gold: np.ndarray, metric: str = "f1") -> tuple[float, float]:
    """The threshold maximising ``metric`` (``f1`` or ``accuracy``), placed midway to the next lower score.

    Returns ``(threshold, best value)``. Ties go to the highest threshold (the most conservative).
    """
    thr, f1, acc = sweep(scores, gold)
    vals = f1 if metric == "f1" else acc
    i = int(np.argmax(vals))  # thresholds are descending, so argmax picks the highest among ties
    lower = thr[i + 1] if i + 1 < len(thr) else thr[i] - 1e-3
    return float((thr[i] + lower) / 2), float(vals[i])


def spearman(a: np.ndarray, b: np.ndarray) -> float:
    """Spearman rank correlation."""
    from scipy.stats import spearmanr

    return float(spearmanr(a, b).statistic)


def pair_cosines(emb1: np.ndarray, emb2: np.ndarray) -> np.ndarray:
    """Row-wise cosine of two arrays of unit vectors."""
    return np.einsum("ij,ij->i", emb1, emb2).astype(np.float64)
