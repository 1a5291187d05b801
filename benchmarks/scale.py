"""Issue 22 at scale: per-event overhead against the bare models, and NLI throughput old vs new.

Each part runs in its own interpreter (``python -m benchmarks.scale --part NAME --json PATH``) and
writes its figures as JSON, so a long run loses nothing when one part fails. The corpus parts
(throughput table, growth curve) live in :mod:`benchmarks.scale_corpus`; :func:`run` runs them all.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks.common import REPO_ROOT, EvalDataMissing, Section, peak_rss_mib
from benchmarks.data import neus_events

OVERHEAD_EVENTS = 8
NLI_EVENTS = 100
OVERHEAD_TARGET = 1.5
NLI_TARGET = 2.0
AGREEMENT_TARGET = 0.995
CHECKPOINT = "/tmp/scale_{part}.json"


def _warm() -> Any:
    """Load both models (one compare of the seeds) and return the default NLI judge's model pair."""
    import claimcmp
    from claimcmp.model_registry import default_model, load_sentence_transformer, load_sequence_classifier

    claimcmp.compare(claimcmp.load_seeds(), show_progress=False)
    return load_sentence_transformer(default_model("embed")), load_sequence_classifier(default_model("nli"))


def judged_inputs(result: Any) -> tuple[list[str], list[str]]:
    """The NLI inputs ``compare`` judged for one result: every pair of its ``pairs`` table, both ways."""
    text = dict(zip(result.sentences["sentence_id"].astype(str), result.sentences["text"].astype(str)))
    a = [text[s] for s in result.pairs["sentence_id_a"].astype(str)]
    b = [text[s] for s in result.pairs["sentence_id_b"].astype(str)]
    return a + b, b + a


def bare_nli(tok: Any, model: Any, premises: list[str], hypotheses: list[str], batch_size: int = 64,
             bf16: bool = True, sort: bool = True) -> Any:
    """The NLI model alone: tokenize and forward in batches; ``sort``: batches of similar length."""
    import contextlib

    import numpy as np
    import torch

    order = sorted(range(len(premises)), key=lambda i: len(premises[i]) + len(hypotheses[i])) if sort \
        else list(range(len(premises)))
    out = np.zeros((len(premises), 3), dtype=np.float32)
    for s in range(0, len(order), batch_size):
        idx = order[s:s + batch_size]
        enc = tok([premises[i] for i in idx], [hypotheses[i] for i in idx], truncation=True, max_length=256,
                  padding=True, return_tensors="pt")
        ctx = torch.autocast("cpu", dtype=torch.bfloat16) if bf16 else contextlib.nullcontext()
        with torch.inference_mode(), ctx:
            out[idx] = torch.softmax(model(**enc).logits.float(), dim=-1).numpy()
    return out


def crawl_events(n: int) -> list[list[dict[str, str]]]:
    """The first ``n`` stories of the NeuS crawl with all three leads: one event each, outlets by name."""
    from benchmarks.data import neus_topic_articles

    stories: dict[str, list[dict[str, str]]] = {}
    for a in neus_topic_articles():
        stories.setdefault(a["article_id"].rsplit("_", 1)[0], []).append(
            {k: v for k, v in a.items() if k != "topic"})
    return [v for v in stories.values() if len(v) == 3 and len({a["outlet"] for a in v}) == 3][:n]


def overhead_worker(n: int, repeats: int, source: str = "test") -> dict[str, Any]:
    """Warm ``compare`` per event vs the bare models on the same work, interleaved, same process.

    ``source``: ``"test"`` (NeuS test.source events) or ``"crawl"`` (the NeuS crawl's stories, longer leads).
    """
    import claimcmp
    from claimcmp.runtime import runtime_info
    from claimcmp.stages.nli import NLIJudge

    st, (tok, model) = _warm()
    events = neus_events("test", n) if source == "test" else crawl_events(n)
    bf16 = NLIJudge().resolved_precision() == "bfloat16"
    results = [claimcmp.compare(ev, show_progress=False) for ev in events]  # one extra warm-up pass
    work = []
    for r in results:
        p, h = judged_inputs(r)
        uniq = list(dict.fromkeys(zip(p, h)))  # compare judges each distinct pair once
        work.append((list(dict.fromkeys(r.sentences["text"].astype(str))), [x for x, _ in uniq], [y for _, y in uniq]))
    reps: list[dict[str, Any]] = []
    for _ in range(repeats):
        t = time.perf_counter()
        stages: dict[str, float] = {}
        for ev in events:
            r = claimcmp.compare(ev, show_progress=False)
            for k, v in r.meta["timings_s"].items():
                stages[k] = stages.get(k, 0.0) + v
        compare_s = time.perf_counter() - t
        emb_s = nli_s = 0.0
        for sents, p, h in work:
            t = time.perf_counter()
            st.encode(sents, batch_size=64, convert_to_numpy=True, normalize_embeddings=True, show_progress_bar=False)
            emb_s += time.perf_counter() - t
            t = time.perf_counter()
            bare_nli(tok, model, p, h, bf16=bf16)
            nli_s += time.perf_counter() - t
        reps.append({"compare_s": compare_s, "embed_s": emb_s, "nli_s": nli_s, "bare_s": emb_s + nli_s,
                     "ratio": compare_s / (emb_s + nli_s), "stages_s": stages})
    prof = cProfile.Profile()
    prof.enable()
    for ev in events:
        claimcmp.compare(ev, show_progress=False)
    prof.disable()
    buf = io.StringIO()
    pstats.Stats(prof, stream=buf).sort_stats("cumulative").print_stats(30)
    return {"source": source, "events": len(events), "sentences": sum(len(r.sentences) for r in results),
            "judged_pairs": sum(len(r.pairs) for r in results),
            "nli_inputs": sum(len(p) for _, p, _ in work), "repeats": reps,
            "ratio_median": statistics.median(x["ratio"] for x in reps),
            "compare_median_s": statistics.median(x["compare_s"] for x in reps),
            "bare_median_s": statistics.median(x["bare_s"] for x in reps),
            "profile": buf.getvalue(), "runtime": runtime_info(), "bf16": bf16, "peak_rss_mib": peak_rss_mib()}


def nli_worker(n: int, repeats: int) -> dict[str, Any]:
    """Pairs/s of the default NLIJudge vs float32 sorted vs the old path (float32, input order), one process."""
    import numpy as np

    import claimcmp
    from claimcmp.runtime import runtime_info
    from claimcmp.stages.nli import NLI_LABELS, NLIJudge

    _, (tok, model) = _warm()
    premises: list[str] = []
    hypotheses: list[str] = []
    for ev in neus_events("test", n):
        try:
            r = claimcmp.compare(ev, show_progress=False)
        except claimcmp.ClaimcmpError:
            continue
        p, h = judged_inputs(r)
        premises += p
        hypotheses += h
    ntok = [len(tok(p, h, truncation=True, max_length=256)["input_ids"]) for p, h in zip(premises, hypotheses)]
    runs: dict[str, list[float]] = {"default": [], "float32_sorted": [], "old": []}
    labels: dict[str, Any] = {}
    paths = {
        "default": lambda: NLIJudge().judge(premises, hypotheses)[list(NLI_LABELS)].to_numpy(),
        "float32_sorted": lambda: NLIJudge(precision="float32").judge(premises, hypotheses)[
            list(NLI_LABELS)].to_numpy(),
        "old": lambda: bare_nli(tok, model, premises, hypotheses, bf16=False, sort=False),
    }
    for _ in range(repeats):  # interleaved, so load changes hit every path alike
        for name, fn in paths.items():
            t = time.perf_counter()
            probs = fn()
            runs[name].append(time.perf_counter() - t)
            labels[name] = np.asarray(probs).argmax(1)
    med = {k: statistics.median(v) for k, v in runs.items()}
    return {"inputs": len(premises), "tokens_median": statistics.median(ntok), "tokens_mean": statistics.mean(ntok),
            "runs_s": runs, "median_s": med, "pairs_per_s": {k: len(premises) / v for k, v in med.items()},
            "speedup": med["old"] / med["default"],
            "agreement_bf16_vs_fp32": float((labels["default"] == labels["float32_sorted"]).mean()),
            "agreement_bf16_vs_old": float((labels["default"] == labels["old"]).mean()),
            "precision": NLIJudge().resolved_precision(), "runtime": runtime_info()}


PARTS = {"overhead": lambda q: overhead_worker(3 if q else OVERHEAD_EVENTS, 1 if q else 3),
         "overhead_crawl": lambda q: overhead_worker(3 if q else OVERHEAD_EVENTS, 1 if q else 3, "crawl"),
         "nli": lambda q: nli_worker(10 if q else NLI_EVENTS, 1 if q else 3)}


def run_part(part: str, quick: bool, json_path: str | None = None) -> dict[str, Any]:
    """One part in a fresh interpreter; its JSON is kept at ``json_path`` (default /tmp/scale_<part>.json)."""
    path = json_path or CHECKPOINT.format(part=part)
    mod = "benchmarks.scale_corpus" if part not in PARTS else "benchmarks.scale"
    cmd = [sys.executable, "-m", mod, "--part", part, "--json", path] + (["--quick"] if quick else [])
    subprocess.run(cmd, cwd=REPO_ROOT, check=True, env={**os.environ, "PYTHONPATH": str(REPO_ROOT)})
    out: dict[str, Any] = json.loads(Path(path).read_text(encoding="utf-8"))
    return out


def run(quick: bool = False) -> Section:
    from benchmarks.scale_corpus import CORPUS_PARTS, render

    sec = Section("scale", "Scale: overhead, NLI throughput, corpus throughput and growth (issue 22)")
    try:
        neus_events("test", 1)
    except EvalDataMissing as exc:
        sec.add(f"Skipped: {exc}")
        return sec
    load0 = os.getloadavg()
    data = {p: run_part(p, quick) for p in (*PARTS, *CORPUS_PARTS)}
    data["load"] = {"start": load0, "end": os.getloadavg()}
    render(sec, data)
    sec.data = data
    return sec


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--part", choices=sorted(PARTS), required=True)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--json", required=True)
    args = ap.parse_args(argv)
    t = time.perf_counter()
    load0 = os.getloadavg()
    d = PARTS[args.part](args.quick)
    d.update(wall_s=time.perf_counter() - t, load_start=load0, load_end=os.getloadavg())
    Path(args.json).write_text(json.dumps(d, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
