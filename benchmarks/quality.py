"""Embedding quality: STS Spearman of cosine, and MSRP "same claim" decisions at the default threshold."""

from __future__ import annotations

from typing import Any

from benchmarks.common import EvalDataMissing, Section
from benchmarks.data import PairSet, headlines, msrp, stsb
from benchmarks.metrics import at_threshold, pair_cosines, spearman

QUICK_CAP = 100


def cosines(ps: PairSet) -> Any:
    import claimcmp

    emb = claimcmp.SentenceEmbedder().embed(ps.s1 + ps.s2)
    return pair_cosines(emb[: len(ps)], emb[len(ps):])


def _cap(ps: PairSet, n: int) -> PairSet:
    return PairSet(ps.name, ps.s1[:n], ps.s2[:n], ps.gold[:n])


def run(quick: bool = False) -> Section:
    from claimcmp.stages.cluster import DEFAULT_THRESHOLD

    sec = Section("quality", "Embedding quality (all-MiniLM-L6-v2 cosine)")
    try:
        sts = {"STS-B test, news genre": stsb("test", "main-news"), "STS-B test, all genres": stsb("test"),
               "SemEval headlines 2013-2015": headlines((2013, 2014, 2015)),
               "SemEval headlines 2016": headlines((2016,))}
        para = msrp("test")
    except EvalDataMissing as exc:
        sec.add(f"Skipped: {exc}")
        return sec
    if quick:
        sts = {k: _cap(v, QUICK_CAP) for k, v in sts.items()}
        para = _cap(para, QUICK_CAP)
    rows = []
    data: dict[str, Any] = {}
    for name, ps in sts.items():
        rho = spearman(cosines(ps), ps.gold)
        rows.append([name, len(ps), rho])
        data[name] = rho
    sec.add("Spearman correlation between the cosine of the two sentences' embeddings and the gold "
            "similarity score (0-5)" + (f"; **--quick: first {QUICK_CAP} pairs of each set**." if quick else "."))
    sec.table(["set", "pairs", "Spearman ρ"], rows)
    cos = cosines(para)
    gold = para.gold == 1
    sc = at_threshold(cos, gold, DEFAULT_THRESHOLD)
    base = at_threshold(cos, gold, -1.0)
    sec.add("MSRP test: `ThresholdClusterer`'s \"same claim\" decision "
            f"(cosine >= DEFAULT_THRESHOLD = {DEFAULT_THRESHOLD}; calibrated on MSRP train, "
            "docs/guide/calibration.md) against the gold paraphrase label, with the "
            "trivial all-paraphrase baseline for context:")
    sec.table(["decision", "pairs", "accuracy", "precision", "recall", "F1"],
              [[f"cosine >= {DEFAULT_THRESHOLD}", len(para), sc.accuracy, sc.precision, sc.recall, sc.f1],
               ["always paraphrase", len(para), base.accuracy, base.precision, base.recall, base.f1]])
    data["msrp_test"] = sc.__dict__
    sec.data = data
    return sec
