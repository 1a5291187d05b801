"""NLI quality and speed of the shipped model on SICK test and every set in nli_data.EVAL_SETS."""

from __future__ import annotations

import statistics
import time
from typing import Any

import numpy as np
import pandas as pd

from benchmarks.common import EvalDataMissing, Section

LABELS3 = ("entailment", "neutral", "contradiction")
LABELS2 = ("entailment", "not_entailment")
#: Sets measured in both float32 and bfloat16.
BOTH_PRECISIONS = ("sick_test", "mnli_dev_mismatched")
#: Sets whose rows are the concatenation of others (scored from their predictions, not re-run).
UNIONS = {"anli_test_all": ("anli_test_r1", "anli_test_r2", "anli_test_r3")}
SPEED_PAIRS = 512
QUICK_CAP = 64
#: Seconds the accuracy passes may take in a full run; beyond that the largest sets are sampled (and the
#: report says so). Cost is estimated from a timed sample, per character of the (truncated) pairs.
BUDGET_S = 660
CAP_FLOOR = 3000
MAX_CHARS = 1100  # about max_length=256 tokens


def nli_data() -> Any:
    """The recipe's data readers (models/recipes/nli_data.py)."""
    import nli_data  # on sys.path via benchmarks.common

    return nli_data


def scores(gold: np.ndarray, pred: np.ndarray, labels: tuple[str, ...]) -> dict[str, float]:
    """Accuracy, macro-F1 and per-class recall."""
    out: dict[str, float] = {"accuracy": float((gold == pred).mean()), "n": float(len(gold))}
    f1s = []
    for lab in labels:
        tp = float(((pred == lab) & (gold == lab)).sum())
        p = tp / max(float((pred == lab).sum()), 1.0)
        r = tp / max(float((gold == lab).sum()), 1.0)
        f1s.append(2 * p * r / (p + r) if p + r else 0.0)
        out[f"recall_{lab}"] = r
    out["macro_f1"] = float(np.mean(f1s))
    return out


def predict(probs: pd.DataFrame, two_way: bool) -> np.ndarray:
    """Argmax label; for 2-way sets 'entailment' when entailment is the argmax, else 'not_entailment'."""
    top = np.array(LABELS3)[probs[list(LABELS3)].to_numpy().argmax(1)]
    if two_way:
        return np.where(top == "entailment", "entailment", "not_entailment")
    return top


def judge(df: pd.DataFrame, precision: str) -> tuple[pd.DataFrame, float]:
    """Probabilities from claimcmp.NLIJudge and the seconds it took."""
    import claimcmp

    j = claimcmp.NLIJudge(precision=precision)
    t = time.perf_counter()
    probs = j.judge(df["premise"].tolist(), df["hypothesis"].tolist())
    return probs, time.perf_counter() - t


def speed(df: pd.DataFrame, precision: str, repeats: int = 3) -> float:
    """Median pairs/s over ``repeats`` runs of the same ``SPEED_PAIRS`` pairs."""
    sample = df.sample(n=min(SPEED_PAIRS, len(df)), random_state=0)
    rates = []
    for _ in range(repeats):
        _, s = judge(sample, precision)
        rates.append(len(sample) / s)
    return statistics.median(rates)


def run(quick: bool = False) -> Section:
    import claimcmp

    sec = Section("nli", "NLI quality and speed")
    try:
        nd = nli_data()
        sets = {name: fn() for name, fn in nd.EVAL_SETS.items() if name not in UNIONS}
    except EvalDataMissing as exc:  # the shared data is absent
        sec.add(f"Skipped: {exc}")
        return sec
    if quick:
        sets = {k: v.sample(n=min(QUICK_CAP, len(v)), random_state=0).reset_index(drop=True)
                for k, v in sets.items()}
    j = claimcmp.NLIJudge()
    judge(sets["sick_test"].head(8), "float32")  # load the model before timing
    caps: dict[str, int] = {}
    if not quick:
        sets, caps = fit_budget(sets)
    rows = []
    raw: dict[str, Any] = {"model": j.model_name, "sets": {}}
    preds: dict[tuple[str, str], tuple[np.ndarray, np.ndarray]] = {}
    for name, df in sets.items():
        two_way = set(df["label"]) <= set(LABELS2) and "not_entailment" in set(df["label"])
        for precision in ("float32", "bfloat16") if name in BOTH_PRECISIONS else ("float32",):
            probs, secs = judge(df, precision)
            pred = predict(probs, two_way)
            gold = df["label"].to_numpy()
            preds[(name, precision)] = (gold, pred)
            sc = scores(gold, pred, LABELS2 if two_way else LABELS3)
            sc["pairs_per_s"] = len(df) / secs
            raw["sets"][f"{name}/{precision}"] = sc
            rows.append(_row(name, precision, two_way, sc))
    for union, parts in UNIONS.items():
        if all((p, "float32") in preds for p in parts):
            gold = np.concatenate([preds[(p, "float32")][0] for p in parts])
            pred = np.concatenate([preds[(p, "float32")][1] for p in parts])
            sc = scores(gold, pred, LABELS3)
            n = sum(len(sets[p]) for p in parts)
            sc["pairs_per_s"] = n / sum(len(sets[p]) / raw["sets"][f"{p}/float32"]["pairs_per_s"] for p in parts)
            raw["sets"][f"{union}/float32"] = sc
            rows.append(_row(union, "float32", False, sc))
    sec.add(f"Model: `{j.model_name}` via `claimcmp.NLIJudge(precision=...).judge(premises, hypotheses)` "
            f"(batch {j.batch_size}, max_length {j.max_length} tokens: longer pairs, e.g. QAGS articles, are "
            "truncated). 3-way sets: argmax of the three probabilities. 2-way sets: *entailment* when entailment "
            "is the argmax, else *not_entailment*; their recall columns are entailment and not_entailment. "
            + (f"**--quick: every set capped at {QUICK_CAP} random pairs.** " if quick else
               ("**To fit the 30-minute budget these sets were sampled (random, seed 0): "
                + ", ".join(f"{k} {v:,} of {n:,}" for k, (v, n) in caps.items()) + ".** ") if caps else
               "Every set is complete (no caps). ")
            + "anli_test_all is scored from the R1-R3 predictions (same rows). pairs/s here is one pass over "
              "the whole set, so long-premise sets are slower.")
    sec.table(["set", "precision", "pairs", "accuracy", "macro-F1", "recall E", "recall N / not-E", "recall C",
               "pairs/s"], rows)
    cmp_rows = []
    for name in BOTH_PRECISIONS:
        a, b = raw["sets"].get(f"{name}/float32"), raw["sets"].get(f"{name}/bfloat16")
        if a and b:
            _, p32 = preds[(name, "float32")]
            _, p16 = preds[(name, "bfloat16")]
            flips = float((p32 != p16).mean())
            cmp_rows.append([name, b["accuracy"] - a["accuracy"], b["macro_f1"] - a["macro_f1"],
                             b["recall_contradiction"] - a["recall_contradiction"], flips])
    speed_rows = []
    for name in BOTH_PRECISIONS:
        r32 = speed(sets[name], "float32", 1 if quick else 3)
        r16 = speed(sets[name], "bfloat16", 1 if quick else 3)
        raw["sets"][f"{name}/speed"] = {"float32": r32, "bfloat16": r16}
        speed_rows.append([name, min(SPEED_PAIRS, len(sets[name])), r32, r16, r16 / r32])
    sec.add("bfloat16 vs float32 (bf16 minus fp32; 'label flips' = share of pairs whose predicted label changes):")
    sec.table(["set", "Δ accuracy", "Δ macro-F1", "Δ recall C", "label flips"], cmp_rows)
    sec.add(f"NLI speed, median of {1 if quick else 3} runs over the same {SPEED_PAIRS} random pairs:")
    sec.table(["set", "pairs", "float32 pairs/s", "bfloat16 pairs/s", "bf16 / fp32"], speed_rows)
    sec.data = raw
    return sec


def _cost(df: pd.DataFrame) -> float:
    return float(np.minimum(df["premise"].str.len() + df["hypothesis"].str.len(), MAX_CHARS).sum())


def fit_budget(sets: dict[str, pd.DataFrame]) -> tuple[dict[str, pd.DataFrame], dict[str, Any]]:
    """Sample the largest sets when the estimated time of all accuracy passes exceeds BUDGET_S."""
    probe = sets["mnli_dev_mismatched"].sample(n=min(256, len(sets["mnli_dev_mismatched"])), random_state=1)
    _, secs = judge(probe, "float32")
    per_char = secs / _cost(probe)
    cost = {k: _cost(v) * (2 if k in BOTH_PRECISIONS else 1) for k, v in sets.items()}
    total = sum(cost.values()) * per_char
    if total <= BUDGET_S:
        return sets, {}
    # shrink the sets above CAP_FLOOR pairs by a common factor
    big = [k for k, v in sets.items() if len(v) > CAP_FLOOR]
    small = sum(c for k, c in cost.items() if k not in big) * per_char
    factor = max((BUDGET_S - small) / max(total - small, 1e-9), 0.0)
    caps: dict[str, Any] = {}
    out = dict(sets)
    for k in big:
        n = max(CAP_FLOOR, int(len(sets[k]) * factor))
        if n < len(sets[k]):
            out[k] = sets[k].sample(n=n, random_state=0).reset_index(drop=True)
            caps[k] = (n, len(sets[k]))
    return out, caps


def _row(name: str, precision: str, two_way: bool, sc: dict[str, float]) -> list[Any]:
    if two_way:
        return [name + " (2-way)", precision, int(sc["n"]), sc["accuracy"], sc["macro_f1"],
                sc["recall_entailment"], sc["recall_not_entailment"], None, sc["pairs_per_s"]]
    return [name, precision, int(sc["n"]), sc["accuracy"], sc["macro_f1"], sc["recall_entailment"],
            sc["recall_neutral"], sc["recall_contradiction"], sc["pairs_per_s"]]
