"""Scoring attribution and hedging against a hand-labelled gold file (tests/data/attribution_gold.csv).

The gold file has one row per sentence: ``sentence_id``, ``speaker`` (empty when the sentence is in the
outlet's own voice or its speaker is not named), ``mode`` (direct_quote / indirect / own_voice),
``hedged`` (true / false) and a free ``note``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pandas as pd

_DROP = {"the", "a", "an"}


def speaker_tokens(speaker: str) -> frozenset[str]:
    """Normalised word set of a speaker phrase: lower case, no articles, 'al-Assad' -> 'assad'."""
    words = re.findall(r"[\w\-']+", speaker.lower().replace("’", "'"))
    return frozenset(re.sub(r"^(?:al|el|ad|as|ar)-", "", w) for w in words if w not in _DROP)


def same_speaker(predicted: str, gold: str) -> bool:
    """Lenient match: one phrase's normalised words contain the other's ('Assad' ~ 'President Bashar al-Assad')."""
    p, g = speaker_tokens(predicted), speaker_tokens(gold)
    return bool(p) and bool(g) and (p <= g or g <= p)


def read_gold(path: str | Path) -> pd.DataFrame:
    """The gold table with ``speaker`` as string (empty -> <NA>) and ``hedged`` as bool."""
    g = pd.read_csv(path, dtype=str, keep_default_na=False)
    g["speaker"] = g["speaker"].replace("", pd.NA).astype("string")
    g["hedged"] = g["hedged"].str.lower().eq("true")
    return g


def _pr(tp: int, n_pred: int, n_gold: int) -> dict[str, float]:
    p = tp / n_pred if n_pred else float("nan")
    r = tp / n_gold if n_gold else float("nan")
    f = 2 * p * r / (p + r) if n_pred and n_gold and (p + r) else float("nan")
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "tp": tp, "n_pred": n_pred,
            "n_gold": n_gold}


def score(attribution: pd.DataFrame, hedging: pd.DataFrame, gold: pd.DataFrame) -> dict[str, Any]:
    """Precision / recall of speakers, per-mode precision / recall, mode accuracy, and hedging P / R.

    Speaker: a predicted speaker is correct when the gold row has a speaker and :func:`same_speaker`
    holds; precision is over sentences with a predicted speaker, recall over sentences with a gold one.
    Only sentences present in both the gold file and the predictions are scored.
    """
    df = gold.merge(attribution[["sentence_id", "speaker", "mode"]], on="sentence_id", suffixes=("_gold", ""))
    df = df.merge(hedging[["sentence_id", "certainty"]], on="sentence_id")
    pred_sp, gold_sp = df["speaker"], df["speaker_gold"]
    has_pred, has_gold = pred_sp.notna(), gold_sp.notna()
    correct = [bool(hp and hg and same_speaker(str(p), str(g)))
               for p, g, hp, hg in zip(pred_sp, gold_sp, has_pred, has_gold)]
    out: dict[str, Any] = {"n_sentences": len(df), "speaker": _pr(sum(correct), int(has_pred.sum()),
                                                                   int(has_gold.sum()))}
    mode_pred, mode_gold = df["mode"].astype(str), df["mode_gold"].astype(str)
    out["mode_accuracy"] = round(float((mode_pred == mode_gold).mean()), 4) if len(df) else float("nan")
    out["mode"] = {m: _pr(int(((mode_pred == m) & (mode_gold == m)).sum()), int((mode_pred == m).sum()),
                          int((mode_gold == m).sum())) for m in ("direct_quote", "indirect", "own_voice")}
    attributed_pred, attributed_gold = mode_pred != "own_voice", mode_gold != "own_voice"
    out["attributed"] = _pr(int((attributed_pred & attributed_gold).sum()), int(attributed_pred.sum()),
                            int(attributed_gold.sum()))
    hp, hg = df["certainty"].astype(str).eq("hedged"), df["hedged"]
    out["hedged"] = _pr(int((hp & hg).sum()), int(hp.sum()), int(hg.sum()))
    speaker_wrong = pd.Series([not c and bool(a or b) for c, a, b in zip(correct, has_pred, has_gold)],
                              index=df.index)
    out["errors"] = df.loc[speaker_wrong | (mode_pred != mode_gold),
                           ["sentence_id", "speaker_gold", "speaker", "mode_gold", "mode"]].reset_index(drop=True)
    return out
