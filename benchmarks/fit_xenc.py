"""Experiment: the shipped NLI cross-encoder fine-tuned as a binary same-claim classifier.

Trains on the hand-labelled NeuS train pairs (``benchmarks/gold/claim_pairs_train.jsonl``, both orders),
starting from ``claimcmp-nli-minilm-l6`` with a new one-logit head (AdamW, lr 3e-5, batch 16, 10% warm-up,
bf16 autocast), and after each epoch scores the dev pairs (mean of both orders): precision and recall at
0.3 / 0.5 / 0.7 and the best recall at precision >= 0.85. The test split is never read. The scores per
epoch are saved so that ``benchmarks.fit_verifier``-style stacking can be checked on dev.

Usage: ``python -m benchmarks.fit_xenc --out DIR [--epochs 4]`` (about 15 minutes on 2 busy cores).
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import random
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.common import REPO_ROOT
from benchmarks.fit_verifier import DEV, pr, recall_at_precision

log = logging.getLogger("benchmarks.fit_xenc")
TRAIN = REPO_ROOT / "benchmarks" / "gold" / "claim_pairs_train.jsonl"


def _rows(path: Path) -> list[dict[str, Any]]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x]


def main(argv: list[str] | None = None) -> int:
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    from claimcmp.model_registry import resolve

    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--epochs", type=int, default=4)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    args.out.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(args.seed)
    rng = random.Random(args.seed)
    train = [(r["text_a"], r["text_b"], float(bool(r["same_claim"]))) for r in _rows(TRAIN)]
    examples = train + [(b, a, y) for a, b, y in train]
    dev = _rows(DEV)
    yd = np.array([bool(r["same_claim"]) for r in dev])
    folder = str(resolve("claimcmp-nli-minilm-l6"))
    tok = AutoTokenizer.from_pretrained(folder)
    model = AutoModelForSequenceClassification.from_pretrained(folder, num_labels=1, ignore_mismatched_sizes=True)
    model.float()
    bs = 16
    steps = args.epochs * math.ceil(len(examples) / bs)
    warm = max(int(0.1 * steps), 1)
    opt = torch.optim.AdamW(model.parameters(), lr=3e-5, weight_decay=0.01)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / warm) * max(0.0, (steps - s) / max(steps - warm, 1)))
    loss_fn = torch.nn.BCEWithLogitsLoss()

    def score(pairs: list[tuple[str, str]]) -> np.ndarray:
        model.eval()
        out = np.zeros(len(pairs), np.float32)
        order = sorted(range(len(pairs)), key=lambda i: len(pairs[i][0]) + len(pairs[i][1]))
        for s in range(0, len(order), 64):
            idx = order[s:s + 64]
            enc = tok([pairs[i][0] for i in idx], [pairs[i][1] for i in idx], truncation=True, max_length=160,
                      padding=True, return_tensors="pt")
            with torch.inference_mode(), torch.autocast("cpu", dtype=torch.bfloat16):
                out[idx] = torch.sigmoid(model(**enc).logits.float()[:, 0]).numpy()
        model.train()
        return out

    history = []
    model.train()
    for epoch in range(args.epochs):
        rng.shuffle(examples)
        for s in range(0, len(examples), bs):
            batch = examples[s:s + bs]
            enc = tok([x[0] for x in batch], [x[1] for x in batch], truncation=True, max_length=160, padding=True,
                      return_tensors="pt")
            with torch.autocast("cpu", dtype=torch.bfloat16):
                logits = model(**enc).logits.float()[:, 0]
            loss = loss_fn(logits, torch.tensor([x[2] for x in batch]))
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            opt.zero_grad()
        p = (score([(r["text_a"], r["text_b"]) for r in dev]) + score([(r["text_b"], r["text_a"]) for r in dev])) / 2
        np.save(args.out / f"dev_scores_epoch{epoch}.npy", p)
        res = {"epoch": epoch, **{f"at_{t}": pr(p, yd, t) for t in (0.3, 0.5, 0.7)},
               "recall_at_p85": recall_at_precision(p, yd)}
        history.append(res)
        log.info("%s", json.dumps(res))
    (args.out / "history.json").write_text(json.dumps(history, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
