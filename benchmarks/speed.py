"""Seeds end to end: cold (fresh interpreter) and warm (in process), vs a hand-glued peer pipeline
(agglomerative clustering of the embeddings, then NLI on cross-outlet pairs inside each cluster)."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from typing import Any

import numpy as np

from benchmarks.common import REPO_ROOT, Section

COLD_CODE = (
    "import json, time; t0 = time.perf_counter(); import claimcmp; t1 = time.perf_counter(); "
    "r = claimcmp.compare(claimcmp.load_seeds(), show_progress=False); t2 = time.perf_counter(); "
    "print(json.dumps({'import_s': t1 - t0, 'compare_s': t2 - t1, 'sentences': len(r.sentences), "
    "'judged_pairs': r.meta['judged_pairs']}))"
)
COLD_TARGET_S = 10.0


def cold_run() -> dict[str, Any]:
    """One cold end-to-end run: a fresh ``python -c`` (start, imports, model load, compare)."""
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    t = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", COLD_CODE], cwd=REPO_ROOT, env=env, capture_output=True,
                          text=True, check=True)
    wall = time.perf_counter() - t
    inner: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return {"wall_s": wall, **inner}


PEER_DISTANCE = 0.4  # cosine distance: same cluster when the average-linkage distance is under it


class Peer:
    """The pipeline a researcher would glue by hand: sentence-transformers encode, scikit-learn
    agglomerative clustering of the embeddings (cosine distance threshold 0.4, average linkage), then
    CrossEncoder NLI both ways on the cross-outlet pairs inside each cluster."""

    def __init__(self, distance_threshold: float = PEER_DISTANCE) -> None:
        self.distance_threshold = distance_threshold
        self.pairs = 0
        self.clusters = 0

    def load(self) -> None:
        """Load both models as claimcmp resolves them (float32, offline)."""
        import torch
        from sentence_transformers import CrossEncoder, SentenceTransformer

        from claimcmp.model_registry import default_model, resolve

        # float32 like claimcmp: the shipped NLI weights are stored as float16, which CrossEncoder would
        # otherwise run in float16 on the CPU (several times slower)
        fp32 = {"dtype": torch.float32}
        self.st = SentenceTransformer(str(resolve(default_model("embed"))), device="cpu", local_files_only=True,
                                      model_kwargs=fp32)
        self.ce = CrossEncoder(str(resolve(default_model("nli"))), device="cpu", local_files_only=True,
                               max_length=256, model_kwargs=fp32)

    def __call__(self, sentences: list[str], outlets: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """Cluster labels per sentence and NLI probabilities (both directions) of the judged pairs."""
        from sklearn.cluster import AgglomerativeClustering

        emb = self.st.encode(sentences, batch_size=64, normalize_embeddings=True)
        if len(sentences) > 1:
            labels = AgglomerativeClustering(n_clusters=None, distance_threshold=self.distance_threshold,
                                             metric="cosine", linkage="average").fit_predict(emb)
        else:
            labels = np.zeros(len(sentences), dtype=int)
        idx = [(i, j) for i in range(len(sentences)) for j in range(i + 1, len(sentences))
               if labels[i] == labels[j] and outlets[i] != outlets[j]]
        inputs = [(sentences[i], sentences[j]) for i, j in idx] + [(sentences[j], sentences[i]) for i, j in idx]
        probs = (self.ce.predict(inputs, batch_size=64, apply_softmax=True, show_progress_bar=False)
                 if inputs else np.zeros((0, 3)))
        self.pairs, self.clusters = len(idx), int(labels.max()) + 1 if len(labels) else 0
        return labels, np.asarray(probs)


def run(quick: bool = False) -> Section:
    import claimcmp

    sec = Section("speed", "Speed: the seeds end to end")
    repeats = 1 if quick else 3
    cold = [cold_run() for _ in range(repeats)]
    cold_med = statistics.median(c["wall_s"] for c in cold)
    seeds = claimcmp.load_seeds()
    claimcmp.compare(seeds, show_progress=False)  # warm-up: models loaded, caches filled
    warm_times, stage_times = [], []
    res = None
    for _ in range(repeats):
        t = time.perf_counter()
        res = claimcmp.compare(seeds, show_progress=False)
        warm_times.append(time.perf_counter() - t)
        stage_times.append(res.meta["timings_s"])
    assert res is not None
    warm_med = statistics.median(warm_times)
    sentences = res.sentences["text"].tolist()
    outlets = res.sentences["outlet"].astype(str).tolist()
    peer = Peer()
    peer.load()
    peer(sentences[:4], outlets[:4])  # warm-up
    peer_times = []
    for _ in range(repeats):
        t = time.perf_counter()
        peer(sentences, outlets)
        peer_times.append(time.perf_counter() - t)
    peer_med = statistics.median(peer_times)
    stages = {k: statistics.median(s[k] for s in stage_times) for k in stage_times[0]}
    judged, naive = res.meta["judged_pairs"], res.meta["naive_pairs"]
    rows = [
        ["claimcmp, cold (fresh `python -c`: start + import + model load + compare)", cold_med,
         ", ".join(f"{c['wall_s']:.2f}" for c in cold), None,
         f"import {statistics.median(c['import_s'] for c in cold):.2f} s, load + compare "
         f"{statistics.median(c['compare_s'] for c in cold):.2f} s; target < {COLD_TARGET_S:.0f} s: "
         f"{'met' if cold_med < COLD_TARGET_S else 'MISSED'}"],
        ["claimcmp, warm (in process, models loaded)", warm_med, ", ".join(f"{x:.2f}" for x in warm_times), 1.0,
         ", ".join(f"{k} {v:.2f}" for k, v in stages.items() if k != "total") + f"; NLI on {judged} pairs x 2"],
        ["peer, warm: ST encode + agglomerative clustering + CrossEncoder on cross-outlet pairs per cluster",
         peer_med, ", ".join(f"{x:.2f}" for x in peer_times), peer_med / warm_med,
         f"{peer.clusters} clusters; NLI on {peer.pairs} pairs x 2 directions; no cleaning/segmentation"],
    ]
    sec.add(f"The five seed articles ({len(sentences)} sentences after cleaning and segmentation, "
            f"{naive} cross-outlet sentence pairs). Median of {repeats} run(s); seconds. The peer gets claimcmp's "
            "sentences (so it does no cleaning or segmentation) and the same two models; it clusters the "
            f"embeddings with scikit-learn's `AgglomerativeClustering` (cosine distance threshold "
            f"{PEER_DISTANCE}, average linkage) and judges the cross-outlet pairs inside each cluster both ways. "
            "Both models are loaded through "
            "sentence-transformers (`SentenceTransformer`, `CrossEncoder`, both float32 like claimcmp: left to "
            "itself CrossEncoder runs the float16-stored NLI weights in float16, several times slower on this "
            "CPU), in the same process. Cold runs see a warm OS file cache after the first.")
    sec.table(["pipeline", "median s", "runs (s)", "time / claimcmp warm", "notes"], rows)
    sec.data = {"cold": cold, "cold_median_s": cold_med, "warm_times": warm_times, "warm_median_s": warm_med,
                "peer_times": peer_times, "peer_median_s": peer_med, "peer_pairs": peer.pairs,
                "peer_clusters": peer.clusters,
                "stages": stages, "judged_pairs": judged, "naive_pairs": naive}
    return sec
