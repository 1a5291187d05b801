"""Choose the shipped NLI weights among finished training runs and their weight averages.

Usage (repository root, after the runs named in the config have finished)::

    python models/recipes/select_nli.py --config models/recipes/nli_config.json --stage select

Every candidate (a run's best epoch) and every listed "soup" (the uniform average of candidates'
weights, which share one initialisation: the same base weights and the same seeded classifier head) is
scored on the config's development sets only. The one with the highest selection score (the mean
accuracy, weighted by the config's ``dev_weights`` where given) is exported to ``output_dir`` in half
precision with the tokenizer, and ``record_file`` (and ``selection_file`` in ``output_dir`` unless it is
null) records every score, so the choice can be checked and repeated. Listed "ensembles" (the mean of
candidates' probabilities; "all" for every subset of two or more) are scored for the record in
``record_file`` but never chosen: they cannot ship as one model folder. With ``fixed``, ``reference``
and ``tolerance`` the choice is not a maximum: the fixed option (a refit of a recipe already chosen)
ships unless it trails the reference (the shipped weights) by more than ``tolerance``; when the
reference stays, nothing is exported. Held-out evaluation sets are never read here.
"""

from __future__ import annotations

import argparse
import itertools
import json
import logging
import sys
from pathlib import Path

import numpy as np
import torch
from safetensors.torch import load_file

sys.path.insert(0, str(Path(__file__).resolve().parent))
import nli_data
import train_nli

log = logging.getLogger("select_nli")


def average(state_dicts: list[dict[str, torch.Tensor]]) -> dict[str, torch.Tensor]:
    """Uniform average of state dicts with identical keys and shapes (float32)."""
    if len(state_dicts) == 1:  # no arithmetic: keeps the weights bit for bit (even -0.0)
        return {k: v.float() for k, v in state_dicts[0].items()}
    keys = state_dicts[0].keys()
    for sd in state_dicts[1:]:
        if sd.keys() != keys:
            raise ValueError("candidates have different parameters; they cannot be averaged")
    return {k: torch.stack([sd[k].float() for sd in state_dicts]).mean(0) for k in keys}


def selection_score(dev_scores: dict[str, float], weights: dict[str, float]) -> float:
    """Weighted mean of the per-set dev accuracies (weight 1 for sets ``weights`` does not name)."""
    names = [n for n in dev_scores if n not in ("mean", "score")]
    total = sum(weights.get(n, 1.0) for n in names)
    return float(sum(dev_scores[n] * weights.get(n, 1.0) for n in names) / total)


def choose(results: dict[str, dict[str, float]], cfg: dict) -> str:
    """The highest selection score; with ``fixed``, that option unless it trails ``reference`` by more
    than ``tolerance`` (a refit, whose own dev rows are in its training data, is checked, not chosen)."""
    if not cfg.get("fixed"):
        return max(results, key=lambda n: results[n]["score"])
    fixed, ref = cfg["fixed"], cfg["reference"]
    ok = results[fixed]["score"] >= results[ref]["score"] - cfg["tolerance"]
    return fixed if ok else ref


def ensemble_members(spec: str | list[list[str]], candidates: list[str]) -> list[list[str]]:
    """The config's ensembles: a list of candidate-name lists, or "all" for every subset of two or more."""
    if spec == "all":
        return [list(c) for r in range(2, len(candidates) + 1) for c in itertools.combinations(candidates, r)]
    unknown = {m for members in spec for m in members} - set(candidates)
    if unknown:
        raise ValueError(f"ensembles name unknown candidates: {sorted(unknown)}")
    return [list(members) for members in spec]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--config", default=str(Path(__file__).with_name("nli_config.json")))
    ap.add_argument("--stage", default=None, help="the config's stage to run (configs with named stages)")
    ap.add_argument("--dry-run", action="store_true", help="score and report, export nothing")
    args = ap.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    cfg = train_nli.load_config(args.config, args.stage)
    root = nli_data.REPO_ROOT
    torch.set_num_threads(cfg.get("threads", 2))

    tok, model = train_nli.base_model()

    weights = {name: load_file(str(root / path)) for name, path in cfg["candidates"].items()}
    options: dict[str, list[str]] = {name: [name] for name in weights}
    for soup in cfg.get("soups", []):
        options[" + ".join(soup)] = list(soup)

    dev = train_nli.load_dev(cfg["dev_sets"])  # the same sets and SNLI sample the runs selected on

    results: dict[str, dict[str, float]] = {}
    probs: dict[str, dict[str, np.ndarray]] = {}
    for name, parts in options.items():
        model.load_state_dict(average([weights[p] for p in parts]))
        probs[name] = {n: train_nli.predict(model, tok, d, cfg["max_length"], cfg["bf16"]) for n, d in dev.items()}
        results[name] = train_nli.dev_scores(probs[name], dev)
        log.info("%-40s %s", name, json.dumps({k: round(v, 4) for k, v in results[name].items()}))

    for s in results.values():
        s["score"] = selection_score(s, cfg.get("dev_weights", {}))
    chosen = choose(results, cfg)
    log.info("chosen: %s (selection score %.4f)", chosen, results[chosen]["score"])

    # probability ensembles: scored for the record only (several models cannot ship as one folder)
    ensembles: dict[str, dict[str, float]] = {}
    for members in ensemble_members(cfg.get("ensembles", []), list(weights)):
        s = train_nli.dev_scores({n: np.mean([probs[m][n] for m in members], axis=0) for n in dev}, dev)
        s["score"] = selection_score(s, cfg.get("dev_weights", {}))
        ensembles[" | ".join(members)] = s
        log.info("ensemble %-31s %s", " | ".join(members), json.dumps({k: round(v, 4) for k, v in s.items()}))
    if cfg.get("record_file"):
        (root / cfg["record_file"]).parent.mkdir(parents=True, exist_ok=True)
        (root / cfg["record_file"]).write_text(json.dumps(
            {"config": cfg, "chosen": chosen, "dev": results, "ensembles": ensembles,
             "torch": torch.__version__}, indent=2) + "\n")
    if args.dry_run:
        return
    if chosen == cfg.get("reference"):
        log.info("the reference stays; nothing exported")
        return
    out = root / cfg["output_dir"]
    out.mkdir(parents=True, exist_ok=True)
    model.load_state_dict(average([weights[p] for p in options[chosen]]))
    if cfg.get("export_dtype", "float16") == "float16":
        model = model.half()
    model.save_pretrained(str(out), safe_serialization=True)
    tok.save_pretrained(str(out))
    logs = {}
    for name in options[chosen]:
        weights_file = root / cfg["candidates"][name]
        run_log = next((d / "state.json" for d in (weights_file.parent, weights_file.parent.parent)
                        if (d / "state.json").is_file()), None)
        if run_log is not None:
            state = json.loads(run_log.read_text())
            logs[name] = {"history": state.get("history"), "train_seconds": state.get("train_seconds")}
    if cfg.get("selection_file", "selection.json"):
        (out / cfg.get("selection_file", "selection.json")).write_text(json.dumps(
            {"config": cfg, "chosen": chosen, "parts": options[chosen], "dev": results, "runs": logs,
             "torch": torch.__version__}, indent=2) + "\n")
    log.info("exported %s to %s", chosen, out)


if __name__ == "__main__":
    main()
