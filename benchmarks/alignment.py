"""Claim alignment and stance on the hand-labelled cross-outlet pairs, claimcmp beside the hand-glued peer.

The gold (``benchmarks/gold/claim_pairs_{dev,test}.jsonl`` and ``conflict_pairs.jsonl``, labelled by
``benchmarks/gold/GUIDELINES.md``) names sentences by article and char span. Each event is compared
whole, as a user would, and every gold pair is looked up in the result: same claim when both
sentences end up in one claim, stance from the ``pairs`` table (``unrelated`` when not one claim).

The peer is what a researcher would glue by hand: the same embeddings, agglomerative clustering
(average linkage, cosine distance 0.4), then the same NLI model both ways on the cross-outlet pairs
inside each cluster, with the argmax rule (agree: entailment both ways, partial: one way,
contradict: contradiction both ways).

Usage: ``python -m benchmarks.alignment --split dev`` (``--split test`` only for the final report).
"""

from __future__ import annotations

import argparse
import json
import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from benchmarks.common import REPO_ROOT

GOLD = REPO_ROOT / "benchmarks" / "gold"
log = logging.getLogger("benchmarks.alignment")


def load_gold(split: str) -> pd.DataFrame:
    """The gold pairs of one split (claim pairs + mined conflicts), one row per pair."""
    rows = []
    f = GOLD / f"claim_pairs_{split}.jsonl"
    if f.exists():
        rows += [json.loads(x) | {"source": "sampled"} for x in f.read_text(encoding="utf-8").splitlines() if x]
    c = GOLD / "conflict_pairs.jsonl"
    if c.exists():
        rows += [json.loads(x) | {"source": "mined"} for x in c.read_text(encoding="utf-8").splitlines() if x
                 and json.loads(x).get("split") == split]
    df = pd.DataFrame(rows)
    if len(df):
        df["gold_stance"] = df["stance"].where(df["same_claim"].astype(bool), "unrelated")
        df = df.drop_duplicates("pair_id")
    return df


def event_articles(event: str) -> list[dict[str, str]]:
    """The articles of one gold event (NewsWCL50, NeuS or the seeds)."""
    import claimcmp
    from benchmarks.data import neus_events, newswcl50_events

    if event == "seeds":
        return [{"article_id": a.article_id, "outlet": a.outlet, "text": a.text} for a in claimcmp.load_seeds()]
    if event.startswith("newswcl50_"):
        return newswcl50_events()[int(event.split("_")[1])]
    if event.startswith("neus_"):
        _, split, num = event.split("_")
        for ev in neus_events(split):
            if ev[0]["article_id"].startswith(f"neus{int(num):04d}_"):
                return ev
    raise KeyError(f"unknown gold event {event!r}")


def locate(sentences: pd.DataFrame, article: str, start: int, end: int) -> int | None:
    """Row of the sentence of ``article`` that overlaps the gold span [start, end) the most."""
    s = sentences[sentences["article_id"] == article]
    if s.empty:
        return None
    ov = np.minimum(s["char_end"].to_numpy(), end) - np.maximum(s["char_start"].to_numpy(), start)
    k = int(np.argmax(ov))
    return int(s.index[k]) if ov[k] > 0 else None


@dataclass
class Prediction:
    same_claim: dict[str, bool] = field(default_factory=dict)
    stance: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0
    n_sentences: int = 0


def _lookup(pred: Prediction, gold: pd.DataFrame, sentences: pd.DataFrame, labels: np.ndarray,
            pair_stance: dict[tuple[str, str], str]) -> None:
    ids = sentences["sentence_id"].astype(str).to_numpy()
    for r in gold.itertuples():
        i = locate(sentences, r.article_a, r.start_a, r.end_a)
        j = locate(sentences, r.article_b, r.start_b, r.end_b)
        if i is None or j is None:
            pred.same_claim[r.pair_id], pred.stance[r.pair_id] = False, "unrelated"
            continue
        same = bool(labels[i] == labels[j])
        key = (ids[i], ids[j]) if (ids[i], ids[j]) in pair_stance else (ids[j], ids[i])
        pred.same_claim[r.pair_id] = same
        pred.stance[r.pair_id] = pair_stance.get(key, "unrelated") if same else "unrelated"


def run_claimcmp(gold: pd.DataFrame, **stages: Any) -> Prediction:
    import claimcmp

    pred = Prediction()
    comp = claimcmp.Comparator(show_progress=False, **stages)
    for event, g in gold.groupby("event"):
        t = time.perf_counter()
        c = comp.compare(event_articles(str(event)))
        pred.seconds += time.perf_counter() - t
        pred.n_sentences += len(c.sentences)
        s = c.sentences
        p = c.pairs
        stance = dict(zip(zip(p["sentence_id_a"].astype(str), p["sentence_id_b"].astype(str)), p["stance"].astype(str)))
        _lookup(pred, g, s, s["claim_id"].to_numpy(), stance)
    return pred


def run_peer(gold: pd.DataFrame, distance: float = 0.4) -> Prediction:
    """The hand-glued pipeline: agglomerative clustering, then NLI argmax inside clusters."""
    from sklearn.cluster import AgglomerativeClustering

    from claimcmp.api import Comparator
    from claimcmp.articles import to_articles
    from claimcmp.stages import BoilerplateCleaner, NLIJudge, SentenceEmbedder, SentenceSegmenter
    from claimcmp.stages.nli import stance

    pred = Prediction()
    emb_stage, nli = SentenceEmbedder(), NLIJudge()
    for event, g in gold.groupby("event"):
        t = time.perf_counter()
        arts = sorted(to_articles(event_articles(str(event))), key=lambda a: a.article_id)
        s, _ = Comparator._segment(arts, BoilerplateCleaner(), SentenceSegmenter())
        emb = emb_stage.embed(s["text"].tolist())
        labels = AgglomerativeClustering(n_clusters=None, distance_threshold=distance, metric="cosine",
                                         linkage="average").fit_predict(emb) if len(s) > 1 else np.zeros(len(s), int)
        outlets = s["outlet"].astype(str).to_numpy()
        pa, pb = [], []
        for members in pd.Series(np.arange(len(s))).groupby(labels).apply(list):
            pa += [i for x, i in enumerate(members) for j in members[x + 1:] if outlets[i] != outlets[j]]
            pb += [j for x, i in enumerate(members) for j in members[x + 1:] if outlets[i] != outlets[j]]
        texts = s["text"].tolist()
        probs = nli.judge([texts[i] for i in pa] + [texts[j] for j in pb],
                          [texts[j] for j in pb] + [texts[i] for i in pa])
        arr = probs[["entailment", "neutral", "contradiction"]].to_numpy()
        st = stance(arr[:len(pa)], arr[len(pa):]) if pa else []
        ids = s["sentence_id"].astype(str).to_numpy()
        pair_stance = {(ids[i], ids[j]): str(x) for i, j, x in zip(pa, pb, st)}
        pred.seconds += time.perf_counter() - t
        pred.n_sentences += len(s)
        _lookup(pred, g, s, labels, pair_stance)
    return pred


def prf(pred: Iterable[bool], gold: Iterable[bool]) -> dict[str, float]:
    p, g = np.array(list(pred), dtype=bool), np.array(list(gold), dtype=bool)
    tp = int((p & g).sum())
    prec = tp / p.sum() if p.sum() else float("nan")
    rec = tp / g.sum() if g.sum() else float("nan")
    f1 = 2 * prec * rec / (prec + rec) if tp else 0.0
    return {"n": len(p), "gold_pos": int(g.sum()), "pred_pos": int(p.sum()), "tp": tp, "precision": prec,
            "recall": rec, "f1": f1}


def score(gold: pd.DataFrame, pred: Prediction) -> dict[str, Any]:
    """Same-claim P/R/F1 (sampled pairs), contradiction P/R (all pairs), agree+partial precision."""
    g = gold.set_index("pair_id")
    sampled = g[g["source"] == "sampled"]
    out: dict[str, Any] = {"same_claim": prf([pred.same_claim[i] for i in sampled.index],
                                             sampled["same_claim"].astype(bool))}
    ps = pd.Series(pred.stance).reindex(g.index)
    out["contradict"] = prf(ps == "contradict", g["gold_stance"] == "contradict")
    out["contradict_or_disputed"] = prf(ps.isin(["contradict", "disputed"]),
                                        g["gold_stance"].isin(["contradict", "disputed"]))
    ap = ps.isin(["agree", "partial"])
    out["agree_partial_precision"] = float(g.loc[ap, "gold_stance"].isin(["agree", "partial"]).mean()) \
        if ap.any() else float("nan")
    out["n_agree_partial_pred"] = int(ap.sum())
    out["stance_confusion"] = pd.crosstab(g["gold_stance"], ps).to_dict()
    out["seconds_per_1000_sentences"] = 1000 * pred.seconds / max(pred.n_sentences, 1)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--split", default="dev", choices=("dev", "test"))
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument("--no-peer", action="store_true")
    args = ap.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    gold = load_gold(args.split)
    res = {"split": args.split, "n_pairs": len(gold), "claimcmp": score(gold, run_claimcmp(gold))}
    if not args.no_peer:
        res["peer"] = score(gold, run_peer(gold))
    text = json.dumps(res, indent=1, default=float)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    log.info("%s", text)


if __name__ == "__main__":
    main()
