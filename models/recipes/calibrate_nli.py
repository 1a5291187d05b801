"""Tune the NLI model's per-class logit offsets (a class-prior correction) on the development sets.

Usage (repository root)::

    python models/recipes/calibrate_nli.py --config models/recipes/nli_calibrate.json --dry-run
    python models/recipes/calibrate_nli.py --config models/recipes/nli_calibrate.json

The model's class probabilities are computed once on the config's development sets. Offsets
``(0, d_neutral, d_contradiction)`` are added to the logits (entailment stays at 0: softmax ignores a
common shift) over a grid, and each grid point gets the same weighted selection score that chose the
shipped weights. The score is smoothed over each point's grid neighbourhood (``smooth_radius``), so a
flat optimum wins over a lone spike; the smoothed maximum is chosen (ties: the smallest offsets). The
offsets are exported, added to the classifier's bias, only if the chosen point beats the zero offsets
by at least ``min_gain`` and loses no dev set by more than ``max_set_drop``. ``calibration.json`` in
the output folder (``models/recipes/runs/`` with ``--dry-run``) records the rule, every set's accuracy
at zero and at the chosen point, and the grid.
Held-out evaluation sets are never read here.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

import numpy as np
import torch
from transformers import AutoModelForSequenceClassification, AutoTokenizer

sys.path.insert(0, str(Path(__file__).resolve().parent))
import nli_data
import select_nli
import train_nli

log = logging.getLogger("calibrate_nli")


def offset_grid(lo: float, hi: float, step: float) -> np.ndarray:
    """Grid values from ``lo`` to ``hi`` inclusive, rounded so that 0 is exactly on it."""
    n = round((hi - lo) / step) + 1
    return np.round(lo + step * np.arange(n), 6)


def accuracy_with_offsets(log_probs: np.ndarray, gold: np.ndarray, offsets: np.ndarray) -> float:
    """Accuracy of ``argmax(log_probs + offsets)`` against gold label ids."""
    return float(((log_probs + offsets).argmax(1) == gold).mean())


def scores_with_offsets(log_probs: dict[str, np.ndarray], gold: dict[str, np.ndarray], weights: dict[str, float],
                        offsets: np.ndarray) -> dict[str, float]:
    """Each set's accuracy with ``offsets`` added, plus the weighted selection score (key ``score``)."""
    accs = {n: accuracy_with_offsets(log_probs[n], gold[n], offsets) for n in log_probs}
    accs["score"] = select_nli.selection_score(accs, weights)
    return accs


def score_grid(log_probs: dict[str, np.ndarray], gold: dict[str, np.ndarray], weights: dict[str, float],
               grid: np.ndarray) -> np.ndarray:
    """Selection score for every (d_neutral, d_contradiction) grid point; shape (len(grid), len(grid))."""
    out = np.zeros((len(grid), len(grid)))
    for i, dn in enumerate(grid):
        for j, dc in enumerate(grid):
            out[i, j] = scores_with_offsets(log_probs, gold, weights, np.array([0.0, dn, dc]))["score"]
    return out


def smooth(scores: np.ndarray, radius: int) -> np.ndarray:
    """Mean over each point's (2 * radius + 1)^2 neighbourhood, clipped at the grid's edges."""
    if radius <= 0:
        return scores.copy()
    out = np.zeros_like(scores)
    n, m = scores.shape
    for i in range(n):
        for j in range(m):
            out[i, j] = scores[max(0, i - radius):i + radius + 1, max(0, j - radius):j + radius + 1].mean()
    return out


def choose(smoothed: np.ndarray, grid: np.ndarray) -> tuple[int, int]:
    """Index of the smoothed maximum; ties go to the smallest |d_neutral| + |d_contradiction|."""
    best = smoothed.max()
    ties = np.argwhere(np.isclose(smoothed, best, rtol=0.0, atol=1e-12))
    i, j = min(ties.tolist(), key=lambda ij: (abs(grid[ij[0]]) + abs(grid[ij[1]]), ij))
    return int(i), int(j)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--config", default=str(Path(__file__).with_name("nli_calibrate.json")))
    ap.add_argument("--dry-run", action="store_true", help="score and report, export nothing")
    ap.add_argument("--record-to", metavar="DIR", default=None,
                    help="also write the offset weights to DIR whatever the rule decides (a held-out record of a "
                         "candidate that was not chosen; never the shipped folder)")
    args = ap.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    cfg = json.loads(Path(args.config).read_text())
    root = nli_data.REPO_ROOT
    torch.set_num_threads(cfg.get("threads", 2))

    folder = root / cfg["model"]
    tok = AutoTokenizer.from_pretrained(str(folder))
    model = AutoModelForSequenceClassification.from_pretrained(str(folder), dtype=torch.float32)
    label_ids = [model.config.label2id[lab] for lab in nli_data.LABELS]  # by name, never by position

    dev = train_nli.load_dev(cfg["dev_sets"])
    log_probs: dict[str, np.ndarray] = {}
    gold: dict[str, np.ndarray] = {}
    for name, df in dev.items():
        probs = train_nli.predict(model, tok, df, cfg["max_length"], cfg["bf16"])[:, label_ids]
        log_probs[name] = np.log(np.clip(probs, 1e-12, None))
        gold[name] = np.array([nli_data.LABELS.index(x) for x in df["label"]])

    weights = cfg.get("dev_weights", {})
    grid = offset_grid(*cfg["grid"])
    raw = score_grid(log_probs, gold, weights, grid)
    smoothed = smooth(raw, cfg["smooth_radius"])
    i, j = choose(smoothed, grid)
    z = int(np.argmin(np.abs(grid)))
    chosen = np.array([0.0, grid[i], grid[j]])

    at_zero = scores_with_offsets(log_probs, gold, weights, np.zeros(3))
    at_chosen = scores_with_offsets(log_probs, gold, weights, chosen)
    gain = at_chosen["score"] - at_zero["score"]
    worst = min(at_chosen[n] - at_zero[n] for n in log_probs)
    ship = bool(gain >= cfg["min_gain"] and worst >= -cfg["max_set_drop"])
    log.info("zero offsets: %s", json.dumps({k: round(v, 4) for k, v in at_zero.items()}))
    log.info("chosen d_neutral=%+.2f d_contradiction=%+.2f: %s", grid[i], grid[j],
             json.dumps({k: round(v, 4) for k, v in at_chosen.items()}))
    log.info("gain %.4f (min %.4f), worst set change %.4f (max drop %.4f): %s", gain, cfg["min_gain"], worst,
             cfg["max_set_drop"], "export" if ship else "keep the weights as they are")

    record = {"config": cfg, "offsets": {"entailment": 0.0, "neutral": float(grid[i]),
                                         "contradiction": float(grid[j])},
              "gain": gain, "worst_set_change": worst, "exported": ship and not args.dry_run,
              "dev_at_zero": at_zero, "dev_at_chosen": at_chosen,
              "smoothed_at_zero": float(smoothed[z, z]), "smoothed_at_chosen": float(smoothed[i, j]),
              "grid": grid.tolist(), "score_grid": np.round(raw, 5).tolist(), "torch": torch.__version__}
    out = root / cfg["output_dir"]
    targets = [out] if ship and not args.dry_run else []
    if args.record_to:
        if Path(args.record_to).resolve() == out.resolve():
            raise SystemExit("--record-to must not be the shipped folder")
        targets.append(Path(args.record_to))
    if targets:
        with torch.no_grad():
            bias = model.classifier.bias
            for lab, d in record["offsets"].items():
                bias[model.config.label2id[lab]] += d
        if cfg.get("export_dtype", "float16") == "float16":
            model = model.half()
        for folder_out in targets:
            model.save_pretrained(str(folder_out), safe_serialization=True)
            tok.save_pretrained(str(folder_out))
            log.info("wrote the offset weights to %s", folder_out)
    if args.dry_run:
        out = root / "models" / "recipes" / "runs"
    out.mkdir(parents=True, exist_ok=True)
    (out / "calibration.json").write_text(json.dumps(record, indent=2) + "\n")


if __name__ == "__main__":
    main()
