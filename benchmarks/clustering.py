"""Clustering scale and quality: claimcmp's ThresholdClusterer vs community_detection vs agglomerative.

Every (method, size) timing runs in its own subprocess (``python -m benchmarks.clustering --worker``)
so that peak memory (VmHWM) belongs to that method alone.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.common import REPO_ROOT, EvalDataMissing, Section, peak_rss_mib
from benchmarks.data import PairSet, msrp, neus_events, stsb
from benchmarks.metrics import binary_scores

METHODS = ("claimcmp", "community_detection", "agglomerative")
DIM = 384
#: Largest n at which each peer is attempted, and why not beyond.
LIMITS = {
    "agglomerative": (20_000, "scikit-learn's average linkage without connectivity builds the condensed "
                              "n(n-1)/2 float64 distance matrix: 40 GB at 100k, more than this machine's RAM"),
}
WORKER_TIMEOUT_S = 600


# --- the methods ------------------------------------------------------------------------------

def cluster_claimcmp(emb: np.ndarray, t: float) -> np.ndarray:
    from claimcmp.stages.cluster import ThresholdClusterer

    return np.asarray(ThresholdClusterer(threshold=t).cluster(emb))


def cluster_community(emb: np.ndarray, t: float) -> np.ndarray:
    import torch
    from sentence_transformers import util

    comms = util.community_detection(torch.from_numpy(np.ascontiguousarray(emb)), threshold=t,
                                     min_community_size=1)
    labels = np.full(len(emb), -1, dtype=np.int64)
    for k, c in enumerate(comms):
        labels[np.asarray(c, dtype=np.int64)] = k
    rest = np.where(labels < 0)[0]  # cannot happen with min_community_size=1, kept for safety
    labels[rest] = len(comms) + np.arange(len(rest))
    return labels


def cluster_agglomerative(emb: np.ndarray, t: float) -> np.ndarray:
    from sklearn.cluster import AgglomerativeClustering

    if len(emb) < 2:
        return np.zeros(len(emb), dtype=np.int64)
    model = AgglomerativeClustering(metric="cosine", linkage="average", distance_threshold=1 - t, n_clusters=None)
    return np.asarray(model.fit_predict(emb), dtype=np.int64)


FUNCS: dict[str, Callable[[np.ndarray, float], np.ndarray]] = {
    "claimcmp": cluster_claimcmp, "community_detection": cluster_community, "agglomerative": cluster_agglomerative,
}


# --- worker (one method, one size, own process) -------------------------------------------------

def worker(method: str, size: int, emb_path: str | None, repeats: int, threshold: float) -> dict[str, Any]:
    # warm-up on a few vectors first, so lazy imports (torch, sentence-transformers, scikit-learn) count
    # neither in the time nor in the memory growth
    rng = np.random.default_rng(1)
    tiny = rng.standard_normal((64, DIM), dtype=np.float32)
    FUNCS[method](tiny / np.linalg.norm(tiny, axis=1, keepdims=True), threshold)
    if emb_path:
        emb = np.load(emb_path)[:size]
        source = "real"
    else:
        rng = np.random.default_rng(0)
        emb = rng.standard_normal((size, DIM), dtype=np.float32)
        emb /= np.linalg.norm(emb, axis=1, keepdims=True)
        source = "random"
    emb = np.ascontiguousarray(emb, dtype=np.float32)
    base = peak_rss_mib()
    times = []
    labels = np.zeros(0)
    for _ in range(repeats):
        t = time.perf_counter()
        labels = FUNCS[method](emb, threshold)
        times.append(time.perf_counter() - t)
    peak = peak_rss_mib()
    return {"method": method, "n": len(emb), "source": source, "times": times, "median_s": statistics.median(times),
            "peak_rss_mib": peak, "baseline_rss_mib": base, "delta_rss_mib": peak - base,
            "n_clusters": len(np.unique(labels))}


def run_worker(method: str, size: int, emb_path: str | None, repeats: int, threshold: float) -> dict[str, Any]:
    """Run one (method, size) in a fresh interpreter; returns its JSON or an error record."""
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as fh:
        out = fh.name
    cmd = [sys.executable, "-m", "benchmarks.clustering", "--worker", method, str(size), "--repeats", str(repeats),
           "--threshold", str(threshold), "--json", out] + (["--emb", emb_path] if emb_path else [])
    t = time.perf_counter()
    try:
        proc = subprocess.run(cmd, cwd=REPO_ROOT, capture_output=True, text=True, timeout=WORKER_TIMEOUT_S,
                              check=False)
    except subprocess.TimeoutExpired:
        return {"method": method, "n": size, "error": f"timed out after {WORKER_TIMEOUT_S} s"}
    finally:
        wall = time.perf_counter() - t
    if proc.returncode != 0:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-1:] or ["?"]
        return {"method": method, "n": size, "error": f"exit {proc.returncode}: {tail[0][:160]}"}
    res: dict[str, Any] = json.loads(Path(out).read_text())
    Path(out).unlink(missing_ok=True)
    res["wall_s"] = wall
    return res


# --- data -----------------------------------------------------------------------------------------

def neus_sentences(limit: int) -> list[str]:
    """Distinct sentences of NeuS articles (test, then val, then train), segmented by claimcmp."""
    import claimcmp

    cleaner, seg = claimcmp.BoilerplateCleaner(), claimcmp.SentenceSegmenter()
    seen: dict[str, None] = {}
    for split in ("test", "val", "train"):
        for ev in neus_events(split):
            for a in ev:
                r = cleaner.clean(a["text"])
                for s in seg.segment(a["text"], r.kept):
                    seen.setdefault(a["text"][s.start:s.end], None)
                if len(seen) >= limit:
                    return list(seen)[:limit]
    return list(seen)


def pool(ps: PairSet) -> tuple[list[str], np.ndarray]:
    """Distinct sentences of all pairs, and each pair's two indices into them."""
    index: dict[str, int] = {}
    for s in ps.s1 + ps.s2:
        index.setdefault(s, len(index))
    pairs = np.array([[index[a], index[b]] for a, b in zip(ps.s1, ps.s2)], dtype=np.int64)
    return list(index), pairs


def pair_scores(labels: np.ndarray, pairs: np.ndarray, gold: np.ndarray) -> Any:
    return binary_scores(labels[pairs[:, 0]] == labels[pairs[:, 1]], gold)


# --- the section ------------------------------------------------------------------------------------

def run(quick: bool = False) -> Section:
    tmpdir = Path(tempfile.mkdtemp(prefix="claimcmp-bench-"))
    try:
        return _run(quick, tmpdir)
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)


def _run(quick: bool, tmpdir: Path) -> Section:
    import claimcmp
    from claimcmp.stages.cluster import DEFAULT_THRESHOLD

    t = DEFAULT_THRESHOLD
    sec = Section("clustering", "Clustering: scale and quality")
    sizes = [300, 1000] if quick else [1000, 10_000, 100_000]
    repeats = {300: 1, 1000: 1} if quick else {1000: 3, 10_000: 3, 100_000: 1}
    real_upto = 0 if quick else 10_000
    data: dict[str, Any] = {"scale": [], "quality": {}}
    emb_path: str | None = None
    note_real = ""
    if real_upto:
        try:
            sents = neus_sentences(real_upto)
            emb = claimcmp.SentenceEmbedder().embed(sents)
            emb_path = str(tmpdir / "neus.npy")
            np.save(emb_path, emb)
            note_real = (f"real all-MiniLM-L6-v2 vectors of {len(sents):,} distinct NeuS sentences for "
                         f"n <= {len(sents):,}")
        except EvalDataMissing as exc:
            note_real = f"NeuS missing ({exc}); random vectors everywhere"
    # quality on pooled pair sets
    try:
        qsets = {"MSRP test (gold: paraphrase)": (msrp("test"), None),
                 "STS-B test, all genres (gold: score >= 4)": (stsb("test"), 4.0)}
    except EvalDataMissing as exc:
        sec.add(f"Quality comparison skipped: {exc}")
        qsets = {}
    grid = [round(x, 2) for x in np.arange(0.50, 0.951, 0.05 if quick else 0.01)]
    qrows = []
    for name, (ps, cut) in qsets.items():
        if quick:
            ps = PairSet(ps.name, ps.s1[:150], ps.s2[:150], ps.gold[:150])
        gold = ps.gold == 1 if cut is None else ps.gold >= cut
        texts, pairs = pool(ps)
        emb = claimcmp.SentenceEmbedder().embed(texts)
        res_q: dict[str, Any] = {}
        for m in METHODS:
            ts = time.perf_counter()
            at_default = pair_scores(FUNCS[m](emb, t), pairs, gold)
            secs = time.perf_counter() - ts
            sweep_grid = sorted({*grid, t})
            swept = [(g, pair_scores(FUNCS[m](emb, g), pairs, gold)) for g in sweep_grid]
            g_best, best = max(swept, key=lambda x: x[1].f1)
            best.threshold = g_best
            res_q[m] = {"default": at_default.__dict__, "best": best.__dict__, "seconds": secs}
        for m in METHODS:
            d, b = res_q[m]["default"], res_q[m]["best"]
            qrows.append([name, len(texts), m, d["precision"], d["recall"], d["f1"], b["f1"], b["threshold"],
                          res_q[m]["seconds"]])
        data["quality"][name] = res_q
    rows = []
    for n in sizes:
        real = emb_path is not None and n <= real_upto
        res: dict[str, dict[str, Any]] = {}
        for m in METHODS:
            lim = LIMITS.get(m)
            if lim and n > lim[0]:
                res[m] = {"method": m, "n": n, "skipped": lim[1]}
                continue
            res[m] = run_worker(m, n, emb_path if real else None, repeats.get(n, 1), t)
        ref = res["claimcmp"].get("median_s")
        for m in METHODS:
            r = res[m]
            data["scale"].append(r)
            if "median_s" in r:
                rows.append([f"{n:,}", "real" if real else "random", m, r["median_s"], len(r["times"]),
                             r["median_s"] / ref if ref else None, r["peak_rss_mib"], r["delta_rss_mib"],
                             r["n_clusters"]])
            else:
                rows.append([f"{n:,}", "real" if real else "random", m, None, None, None, None, None,
                             "skipped: " + r["skipped"] if "skipped" in r else r.get("error")])
    sec.add(f"Threshold {t} (`ThresholdClusterer`'s default) for every method; community_detection with "
            "`min_community_size=1`; agglomerative = scikit-learn `AgglomerativeClustering(metric='cosine', "
            f"linkage='average', distance_threshold={1 - t:.2f}, n_clusters=None)`. Embeddings: {note_real or 'random'}"
            "; random unit vectors (384-d, seed 0) above that. Each (method, size) runs in a fresh subprocess: "
            "peak RSS is that process's VmHWM (Python, numpy, torch for community_detection, the vectors), "
            "Δ RSS is the growth during clustering. 'time / claimcmp' > 1 means slower than claimcmp.")
    sec.table(["n", "vectors", "method", "median s", "runs", "time / claimcmp", "peak RSS MiB", "Δ RSS MiB",
               "clusters"], rows)
    if qrows:
        sec.add("Quality: both sentences of every pair go into one pool (distinct sentences), the pool is "
                "clustered, and each gold pair is scored as 'same cluster' or not. Precision/recall/F1 at "
                f"threshold {t}; 'best F1' sweeps the threshold "
                f"({grid[0]}-{grid[-1]}, step {0.05 if quick else 0.01}) on the same pairs, so it is an upper "
                "bound for that method.")
        sec.table(["pool", "sentences", "method", f"precision @{t}", f"recall @{t}", f"F1 @{t}", "best F1",
                   "at threshold", f"s @{t}"], qrows)
    sec.add("Targets for claimcmp's `ThresholdClusterer`: " + "; ".join(targets(data, t, sizes)) + ".")
    sec.data = data
    return sec


def targets(data: dict[str, Any], t: float, sizes: list[int]) -> list[str]:
    """Plain-language verdicts on the clusterer's targets."""
    out = []
    for name, q in data["quality"].items():
        ours, best = q["claimcmp"]["default"]["f1"], q["community_detection"]["best"]
        same = q["community_detection"]["default"]["f1"]
        own = q["claimcmp"]["best"]
        out.append(f"{name}: F1 {ours:.4f} at the default {t} vs community_detection's best {best['f1']:.4f} (at "
                   f"{best['threshold']}) → {'met' if ours >= best['f1'] else 'MISSED'} (at equal thresholds: "
                   f"{ours:.4f} vs {same:.4f} at {t}, best {own['f1']:.4f} at {own['threshold']} vs "
                   f"{best['f1']:.4f})")
    by = {(r["method"], r["n"]): r for r in data["scale"]}
    for n in sizes:
        if n < 10_000:
            continue
        a, b = by.get(("claimcmp", n), {}), by.get(("community_detection", n), {})
        if "median_s" in a and "median_s" in b:
            out.append(f"faster at {n:,}: {a['median_s']:.2f} s vs community_detection {b['median_s']:.2f} s → "
                       f"{'met' if a['median_s'] < b['median_s'] else 'MISSED'}")
        elif "median_s" not in a:
            out.append(f"faster at {n:,}: claimcmp did not finish ({a.get('error', 'skipped')}) → MISSED")
    big = by.get(("claimcmp", max(sizes)), {})
    if "peak_rss_mib" in big:
        out.append(f"{max(sizes):,} under 4 GiB: peak RSS {big['peak_rss_mib']:,.0f} MiB → "
                   f"{'met' if big['peak_rss_mib'] < 4096 else 'MISSED'}")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--worker", nargs=2, metavar=("METHOD", "SIZE"))
    ap.add_argument("--emb")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--threshold", type=float, default=0.6)
    ap.add_argument("--json")
    args = ap.parse_args(argv)
    if not args.worker:
        ap.error("only --worker mode; run the section with python -m benchmarks --only clustering")
    res = worker(args.worker[0], int(args.worker[1]), args.emb, args.repeats, args.threshold)
    Path(args.json).write_text(json.dumps(res))
    return 0


if __name__ == "__main__":
    sys.exit(main())
