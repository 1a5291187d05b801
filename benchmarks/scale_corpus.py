"""Issue 22, corpus parts: events/hour in-process, on a Dask LocalCluster and for the hand-glued peer,
and how one event's time, judged pairs and peak memory grow with its number of articles.

Every configuration and every growth size runs in its own interpreter, so its peak RSS is its own:
``python -m benchmarks.scale_corpus --part PART --json PATH`` (PART: ``table_<dataset>_<mode>`` or
``growth_<articles>``). ``--render`` writes the issue-22 section of docs/benchmarks.md from the JSON.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks.common import REPO_ROOT, Section, peak_rss_mib
from benchmarks.data import neus_events, neus_topic_articles, newswcl50_events

NEUS_N = 100
GROWTH_SIZES = (5, 20, 50, 200)
GROWTH_TOPIC = "Coronavirus"
RSS_TARGET_MIB = 8 * 1024
MODES = ("inprocess", "dask", "peer")
DATASETS = ("neus", "wcl")
CORPUS_PARTS = tuple(f"table_{d}_{m}" for d in DATASETS for m in MODES) + tuple(f"growth_{n}" for n in GROWTH_SIZES)
PLOT = REPO_ROOT / "docs" / "img" / "scale_growth.png"
DOC = REPO_ROOT / "docs" / "benchmarks.md"
BEGIN, END = "<!-- scale section: begin -->", "<!-- scale section: end -->"


def corpus(dataset: str, quick: bool) -> dict[str, list[dict[str, str]]]:
    """``{event_id: articles}``: NeuS test events (3 articles) or NewsWCL50's 10 events (5 articles)."""
    if dataset == "neus":
        return {f"neus{i:03d}": ev for i, ev in enumerate(neus_events("test", 5 if quick else NEUS_N))}
    evs = newswcl50_events()
    return {f"wcl{k}": v for k, v in list(evs.items())[:2 if quick else None]}


def _sentences(arts: list[dict[str, str]]) -> tuple[list[str], list[str]]:
    """claimcmp's cleaned, segmented sentences and their outlets (what the peer is given)."""
    from claimcmp.stages.clean import BoilerplateCleaner
    from claimcmp.stages.segment import SentenceSegmenter

    texts, outlets = [], []
    for a in arts:
        for s in SentenceSegmenter().segment(a["text"], BoilerplateCleaner().clean(a["text"]).kept):
            texts.append(a["text"][s.start:s.end])
            outlets.append(a["outlet"])
    return texts, outlets


def table_worker(dataset: str, mode: str, quick: bool) -> dict[str, Any]:
    """One pass over the corpus in one configuration, models loaded (and workers started) beforehand."""
    from benchmarks.scale import _warm

    events = corpus(dataset, quick)
    n_articles = sum(len(v) for v in events.values())
    out: dict[str, Any] = {"dataset": dataset, "mode": mode, "events": len(events), "articles": n_articles}
    t = time.perf_counter()
    if mode == "peer":
        from benchmarks.speed import Peer

        peer = Peer()
        peer.load()
        inputs = [_sentences(arts) for arts in events.values()]  # untimed: the peer is given claimcmp's sentences
        peer(*inputs[0])
        out["setup_s"] = time.perf_counter() - t
        t = time.perf_counter()
        pairs = 0
        for sents, outlets in inputs:
            peer(sents, outlets)
            pairs += peer.pairs
        out.update(seconds=time.perf_counter() - t, ok=len(events), judged_pairs=pairs,
                   sentences=sum(len(s) for s, _ in inputs), peak_rss_mib=peak_rss_mib())
        return out
    import claimcmp
    from claimcmp.runtime import runtime_info

    client = cluster = None
    if mode == "dask":
        from distributed import Client, LocalCluster

        from claimcmp.runtime import PASSIVE_WAIT_ENV

        cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                               env=dict(PASSIVE_WAIT_ENV))
        client = Client(cluster)
        warm = {f"warm{i}": e for i, e in enumerate(neus_events("val", 2))}
        claimcmp.compare_many(warm, client=client, show_progress=False)  # workers load the models
    else:
        _warm()
    out["setup_s"] = time.perf_counter() - t
    t = time.perf_counter()
    res = claimcmp.compare_many(events, client=client, show_progress=False)
    out["seconds"] = time.perf_counter() - t
    st = res.status
    out.update(ok=int((st["status"] == "ok").sum()), failed=st.loc[st["status"] != "ok", "error_type"].tolist(),
               judged_pairs=int(st["judged_pairs"].sum()),
               sentences=sum(len(r.sentences) for r in res.values()), peak_rss_mib=peak_rss_mib())
    if client is not None:
        out["worker_peak_rss_mib"] = list(client.run(peak_rss_mib).values())
        out["worker_runtime"] = list(client.run(runtime_info).values())
        client.close()
        assert cluster is not None
        cluster.close()
    else:
        out["runtime"] = runtime_info()
    return out


def growth_worker(n: int) -> dict[str, Any]:
    """One event of ``n`` pooled NeuS-crawl articles on one topic: warm compare, judged pairs, peak RSS."""
    import claimcmp
    from benchmarks.scale import _warm

    pool = neus_topic_articles(GROWTH_TOPIC)
    topic = GROWTH_TOPIC
    if len(pool) < n:  # not enough on the topic: fill from the other topics, said in the result
        pool += [a for a in neus_topic_articles() if a["topic"] != GROWTH_TOPIC]
        topic = f"{GROWTH_TOPIC} + other topics"
    arts = [{k: v for k, v in a.items() if k != "topic"} for a in pool[:n]]
    _warm()
    rss_loaded = peak_rss_mib()
    t = time.perf_counter()
    r = claimcmp.compare(arts, show_progress=False, on_bad_article="skip")
    secs = time.perf_counter() - t
    return {"articles": n, "used_articles": len(r.articles), "outlets": int(r.articles["outlet"].nunique()),
            "topic": topic, "sentences": len(r.sentences), "judged_pairs": len(r.pairs),
            "naive_pairs": r.meta["naive_pairs"], "claims": len(r.claims), "seconds": secs,
            "stages_s": r.meta["timings_s"], "rss_after_load_mib": rss_loaded, "peak_rss_mib": peak_rss_mib()}


def run_corpus_part(part: str, quick: bool) -> dict[str, Any]:
    if part.startswith("table_"):
        _, dataset, mode = part.split("_")
        return table_worker(dataset, mode, quick)
    return growth_worker(int(part.split("_")[1]) if not quick else min(20, int(part.split("_")[1])))


# --- report ----------------------------------------------------------------------------------------


def _plot(growth: list[dict[str, Any]]) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    x = [g["articles"] for g in growth]
    fig, axes = plt.subplots(1, 3, figsize=(12, 3.6))
    for ax, key, label in zip(axes, ("seconds", "judged_pairs", "peak_rss_mib"),
                              ("seconds (warm compare)", "judged pairs", "peak RSS (MiB)")):
        ax.plot(x, [g[key] for g in growth], marker="o")
        ax.set_xscale("log")
        ax.set_xticks(x, [str(v) for v in x])
        ax.set_xlabel("articles in the event")
        ax.set_title(label)
        ax.grid(alpha=0.3)
    axes[2].axhline(RSS_TARGET_MIB, color="red", linestyle="--", linewidth=1, label="8 GiB target")
    axes[2].legend()
    fig.suptitle(f"One event of pooled NeuS-crawl articles ({GROWTH_TOPIC}), claimcmp.compare, 1 torch thread")
    fig.tight_layout()
    PLOT.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(PLOT, dpi=110)
    plt.close(fig)


def _overhead(sec: Section, o: dict[str, Any]) -> None:
    from benchmarks.scale import OVERHEAD_TARGET

    what = (f"The first {o['events']} NeuS test events (left/center/right articles" if o.get("source", "test") == "test"
            else f"The first {o['events']} stories of the NeuS crawl with three leads (outlets by name")
    stages: dict[str, float] = {}
    for rep in o["repeats"]:
        for k, v in rep["stages_s"].items():
            stages[k] = stages.get(k, 0.0) + v / len(o["repeats"])
    sec.add(f"**Overhead ratio, {o.get('source', 'test')}.** {what}; "
            f"{o['sentences']} sentences, {o['judged_pairs']} judged pairs = {o['nli_inputs']} distinct NLI inputs "
            "both ways). Per repeat, a warm `claimcmp.compare` of each event, then the bare models on the same "
            "work in the same process: `SentenceTransformer.encode` of the event's distinct sentences (batch 64) "
            "and the NLI model's own forward (tokenizer + `AutoModelForSequenceClassification`, batch 64, "
            f"length-sorted, {'bf16 autocast' if o['bf16'] else 'float32'}, like the default) on exactly the pairs "
            f"of the result's `pairs` table, both ways. Torch threads: {o['runtime']['torch_threads']} "
            f"({o['runtime']['threads_source']}). Seconds summed over the events; median of {len(o['repeats'])}.")
    sec.table(["repeat", "compare s", "bare embed s", "bare NLI s", "bare total s", "compare / bare"],
              [[i + 1, r["compare_s"], r["embed_s"], r["nli_s"], r["bare_s"], r["ratio"]]
               for i, r in enumerate(o["repeats"])]
              + [["median", o["compare_median_s"], None, None, o["bare_median_s"], o["ratio_median"]]])
    sec.add(f"Target ratio <= {OVERHEAD_TARGET}: **{'met' if o['ratio_median'] <= OVERHEAD_TARGET else 'MISSED'}**. "
            "compare's own stage timings (`meta['timings_s']`, mean per repeat, summed over events): "
            + ", ".join(f"{k} {v:.2f} s" for k, v in stages.items()) + ".")


def render(sec: Section, data: dict[str, Any]) -> None:
    """The section's markdown from the parts' JSON (see :data:`CORPUS_PARTS` and benchmarks.scale.PARTS)."""
    from benchmarks.scale import AGREEMENT_TARGET, NLI_EVENTS, NLI_TARGET

    for key in ("overhead", "overhead_crawl"):
        if key in data:
            _overhead(sec, data[key])
    n = data["nli"]
    sec.add(f"**NLI throughput, side by side.** The pairs `compare` judged on the first {NLI_EVENTS} NeuS test "
            f"events, both ways: {n['inputs']} inputs ({n['inputs'] // 2} pairs x 2 directions), median "
            f"{n['tokens_median']:.0f} tokens (mean {n['tokens_mean']:.0f}). Interleaved in one process, median "
            f"of {len(n['runs_s']['default'])}; "
            f"torch threads {n['runtime']['torch_threads']}, OMP_WAIT_POLICY={n['runtime']['omp_wait_policy']}.")
    label = {"default": f"default `NLIJudge()` (auto = {n['precision']}, length-sorted batches)",
             "float32_sorted": "`NLIJudge(precision=\"float32\")` (length-sorted)",
             "old": "old path: float32, batches in input order (the model's own forward)"}
    sec.table(["path", "median s", "runs (s)", "NLI inputs/s (one direction each)", "vs old"],
              [[label[k], n["median_s"][k], ", ".join(f"{x:.1f}" for x in n["runs_s"][k]), n["pairs_per_s"][k],
                n["median_s"]["old"] / n["median_s"][k]] for k in ("default", "float32_sorted", "old")])
    sec.add(f"Speed-up of the default over the old path: {n['speedup']:.2f}x (target >= {NLI_TARGET:.0f}x: "
            f"**{'met' if n['speedup'] >= NLI_TARGET else 'MISSED'}**). Predicted-label agreement bf16 vs float32: "
            f"{100 * n['agreement_bf16_vs_fp32']:.2f}% (target >= {100 * AGREEMENT_TARGET:.1f}%: "
            f"**{'met' if n['agreement_bf16_vs_fp32'] >= AGREEMENT_TARGET else 'MISSED'}**). With one torch thread "
            "no OpenMP thread waits on another, so the passive-wait part of the fix is not exercised here: the "
            "gain is bf16 and length-sorted batches.")
    rows = []
    names = {"inprocess": "`compare_many`, in-process",
             "dask": "`compare_many`, Dask LocalCluster, 2 workers x 1 thread",
             "peer": "hand-glued peer (ST + agglomerative 0.4 + CrossEncoder)"}
    for d, dname in (("neus", f"NeuS test, {data['table_neus_inprocess']['events']} events x 3"),
                     ("wcl", f"NewsWCL50, {data['table_wcl_inprocess']['events']} events x 5")):
        for m in MODES:
            t = data[f"table_{d}_{m}"]
            rss = max(t.get("worker_peak_rss_mib") or [t["peak_rss_mib"]])
            rows.append([dname, names[m], t["ok"], t["articles"], t["sentences"], t["judged_pairs"], t["seconds"],
                         3600 * t["ok"] / t["seconds"], 3600 * t["articles"] / t["seconds"], t["setup_s"], rss])
    sec.add("**Throughput.** One pass per configuration, each in its own interpreter, models loaded (and Dask "
            "workers started and warmed on two NeuS val events) before the clock starts; setup is that time. "
            "events/hour counts the events that finished. The peer is given claimcmp's cleaned sentences "
            "(no cleaning or segmentation timed) and runs float32 (speed.py's `Peer`); peak RSS of a Dask row is "
            "the largest worker's.")
    sec.table(["corpus", "pipeline", "events ok", "articles", "sentences", "judged pairs", "seconds",
               "events/hour", "articles/hour", "setup s", "peak RSS MiB"], rows)
    sec.add("1-minute load average at the start of each row's interpreter (other jobs on the 2 cores): "
            + ", ".join(f"{d}/{m} {data[f'table_{d}_{m}'].get('load_start', [float('nan')])[0]:.1f}"
                        for d in DATASETS for m in MODES)
            + ". With both cores already busy, a second Dask worker has no free core to use, so the Dask rows "
            "gain little or lose; they do not show what two idle cores would give.")
    fails = {f"{d}/{m}": data[f"table_{d}_{m}"].get("failed") for d in DATASETS for m in MODES[:2]}
    if any(fails.values()):
        sec.add("Events claimcmp rejected (recorded in `status`, not counted above): "
                + "; ".join(f"{k}: {len(v)} ({', '.join(sorted(set(v)))})" for k, v in fails.items() if v) + ".")
    growth = [data[f"growth_{s}"] for s in GROWTH_SIZES if f"growth_{s}" in data]
    _plot(growth)
    sec.add(f"**Growth.** One event built by pooling the NeuS crawl's ({GROWTH_TOPIC}) articles in file order "
            f"(outlet = the outlet's name), one warm `compare` per size, each size in its own interpreter. "
            f"Target: a 200-article event in under 8 GiB peak RSS.")
    sec.table(["articles", "outlets", "topic", "sentences", "judged pairs", "naive pairs", "claims", "seconds",
               "RSS after load MiB", "peak RSS MiB"],
              [[g["used_articles"], g["outlets"], g["topic"], g["sentences"], g["judged_pairs"], g["naive_pairs"],
                g["claims"], g["seconds"], g["rss_after_load_mib"], g["peak_rss_mib"]] for g in growth])
    big = next((g for g in growth if g["articles"] == 200), None)
    if big:
        sec.add(f"200 articles: peak RSS {big['peak_rss_mib'] / 1024:.2f} GiB (target < 8 GiB: "
                f"**{'met' if big['peak_rss_mib'] < RSS_TARGET_MIB else 'MISSED'}**).")
    sec.add(f"![growth of one event with its articles](img/{PLOT.name})")



def write_doc(data: dict[str, Any], commit: str, commands: list[str]) -> None:
    """Insert (or replace) this section in docs/benchmarks.md, leaving the other sections as they are."""
    sec = Section("scale", "Scale: overhead, NLI throughput, corpus throughput and growth (issue 22)")
    render(sec, data)
    load = [data[p].get("load_start", [0])[0] for p in data if isinstance(data[p], dict) and "load_start" in data[p]]
    head = [f"## {sec.title}", "",
            f"*measured {dt.date(2026, 12, 3).isoformat()} on commit {commit}; 1-minute load average "
            f"{min(load):.2f}-{max(load):.2f} at the start of the parts (`os.getloadavg()`; the 2-core machine is "
            "shared with other jobs, so absolute times are inflated and noisy; ratios compare configurations "
            "measured in the same run). OMP_NUM_THREADS=1, so in-process runs use one torch thread and the "
            "Dask rows two processes of one thread each.*", "", "Commands:", "", "```bash",
            *commands, "```", ""]
    body = "\n".join(head + [b + "\n" for b in sec.markdown]).rstrip() + "\n"
    text = DOC.read_text(encoding="utf-8")
    block = f"{BEGIN}\n{body}{END}\n"
    if BEGIN in text and END in text:
        text = text[:text.index(BEGIN)] + block + text[text.index(END) + len(END) + 1:]
    else:
        anchor = "## Clustering: scale and quality"
        text = text.replace(anchor, block + "\n" + anchor, 1) if anchor in text else text.rstrip() + "\n\n" + block
    DOC.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--part", choices=CORPUS_PARTS)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--json")
    ap.add_argument("--render", action="store_true", help="write the section from /tmp/scale_*.json")
    ap.add_argument("--commit", default="")
    args = ap.parse_args(argv)
    if args.render:
        from benchmarks.scale import CHECKPOINT, PARTS

        data = {p: json.loads(Path(CHECKPOINT.format(part=p)).read_text()) for p in (*PARTS, *CORPUS_PARTS)
                if Path(CHECKPOINT.format(part=p)).is_file()}
        commit = args.commit or subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO_ROOT,
                                               capture_output=True, text=True).stdout.strip()
        write_doc(data, commit, [
            "export OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1",
            "python -m benchmarks.scale --part overhead --json /tmp/scale_overhead.json",
            "python -m benchmarks.scale --part overhead_crawl --json /tmp/scale_overhead_crawl.json",
            "python -m benchmarks.scale --part nli --json /tmp/scale_nli.json",
            *(f"python -m benchmarks.scale_corpus --part {p} --json /tmp/scale_{p}.json" for p in CORPUS_PARTS),
            "python -m benchmarks.scale_corpus --render",
            "# or all parts at once: python -m benchmarks --only scale"])
        return 0
    t = time.perf_counter()
    load0 = os.getloadavg()
    d = run_corpus_part(args.part, args.quick)
    d.update(wall_s=time.perf_counter() - t, load_start=load0, load_end=os.getloadavg())
    Path(args.json).write_text(json.dumps(d, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
