"""Stance on outside news pair sets, claimcmp's pair judgement beside the hand-glued peer.

Each pair is judged as ``compare`` judges an aligned pair: NLI both ways, P(same claim) from the
verifier, then :class:`~claimcmp.stages.stance.StanceJudge`. Two claimcmp rows are given:
``claimcmp`` (the verifier decides whether the pair is one claim, as in ``compare``) and
``claimcmp, aligned`` (the pair is taken as one claim, which isolates the stance rules). The peer is
the same NLI model with the argmax rule (``contradict`` when contradiction is the top label both ways).

Sets, read in place from ``../shared/eval/xdoc/``:

- EQUATE NewsNLI and RTE-Quant: real news pairs whose numbers are compatible (no contradiction label),
  so every ``contradict`` is a false alarm (target: at most 5% of NewsNLI);
- SummEdits news: each edited summary against the original summary it was edited from; the
  inconsistent edits (entity, antonym, negation, inserted fact) should come out ``contradict``, the
  consistent rewordings should not;
- ClaimDiff test: ``strengthen`` should come out ``agree`` / ``partial``, ``weaken`` ``disputed`` /
  ``contradict``, ``neither`` anything but ``contradict``.

Usage: ``python -m benchmarks.stance_external [--limit N] [--sets newsnli ...] [--dump DIR]`` (prints
markdown tables and the sha256 of every file read).
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import json
import logging
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from benchmarks.common import eval_path
from benchmarks.data import claimdiff

log = logging.getLogger("benchmarks.stance_external")
EQUATE = {"newsnli": "xdoc/equate/data/equate/NewsNLI.csv", "rte_quant": "xdoc/equate/data/equate/RTE_Quant.csv"}
SUMMEDITS = "xdoc/summedits/data/summedits/summedits_news.json"
READ: dict[str, str] = {}


def _read(rel: str) -> bytes:
    data = eval_path(rel).read_bytes()
    READ[rel] = hashlib.sha256(data).hexdigest()
    return data


@dataclass
class PairSet:
    name: str
    a: list[str]
    b: list[str]
    gold: list[str]


def equate(which: str) -> PairSet:
    import io

    df = pd.read_csv(io.BytesIO(_read(EQUATE[which])))
    return PairSet(f"EQUATE {which}", df["premise"].astype(str).tolist(), df["hypothesis"].astype(str).tolist(),
                   df["label"].astype(str).tolist())


def summedits() -> PairSet:
    rows = json.loads(_read(SUMMEDITS))
    keep = [r for r in rows if r["summary"] != r["original_summary"]]
    gold = []
    for r in keep:
        kinds = ast.literal_eval(str(r["edit_types"])) if str(r["edit_types"]).startswith("[") else []
        gold.append("consistent" if int(r["label"]) == 1 else "+".join(sorted(kinds)) or "inconsistent (unnamed)")
    return PairSet("SummEdits news", [r["original_summary"] for r in keep], [r["summary"] for r in keep], gold)


def claimdiff_test() -> PairSet:
    for k, w in (("S", "strength"), ("W", "weak")):
        _read(f"xdoc/claimdiff/ClaimDiff-{k}/ClaimDiff-{w}-test.json")
    pairs, labels = claimdiff("test")
    return PairSet("ClaimDiff test", list(pairs.s1), list(pairs.s2), labels)


def judge(ps: PairSet, limit: int | None) -> pd.DataFrame:
    """One row per pair: gold, claimcmp stance, claimcmp stance as an aligned pair, peer stance."""
    import claimcmp
    from claimcmp.stages.stance import StanceJudge
    from claimcmp.stages.verify import SameClaimVerifier

    a, b, gold = ps.a[:limit], ps.b[:limit], ps.gold[:limit]
    emb = claimcmp.SentenceEmbedder(show_progress=False)
    nli = claimcmp.NLIJudge()
    ea, eb = emb.embed(a), emb.embed(b)
    cos = np.einsum("ij,ij->i", ea, eb).astype(np.float32)
    ab, ba = nli.judge(a, b).to_numpy(), nli.judge(b, a).to_numpy()
    prob = SameClaimVerifier().verify(a, b, cos, ab, ba)
    same = prob >= SameClaimVerifier().threshold
    sj = StanceJudge()
    full = [j.stance for j in sj.judge(a, b, ab, ba, same)]
    aligned = [j.stance for j in sj.judge(a, b, ab, ba, np.ones(len(a), dtype=bool))]
    peer = np.where((ab.argmax(1) == 2) & (ba.argmax(1) == 2), "contradict",
                    np.where((ab.argmax(1) == 0) & (ba.argmax(1) == 0), "agree",
                             np.where((ab.argmax(1) == 0) | (ba.argmax(1) == 0), "partial", "unrelated")))
    return pd.DataFrame({"gold": gold, "claimcmp": full, "claimcmp, aligned": aligned, "peer": peer,
                         "same_claim_prob": prob})


SYSTEMS = ("claimcmp", "claimcmp, aligned", "peer")
LOADERS = {"newsnli": lambda: equate("newsnli"), "rte_quant": lambda: equate("rte_quant"), "summedits": summedits,
           "claimdiff": claimdiff_test}


def share(df: pd.DataFrame, col: str, values: tuple[str, ...], mask: np.ndarray | None = None) -> str:
    sub = df if mask is None else df[mask]
    n = len(sub)
    k = int(sub[col].isin(values).sum())
    return f"{k / n:.3f} ({k}/{n})" if n else "n/a"


def report(name: str, df: pd.DataFrame) -> list[str]:
    out = [f"### {name} ({len(df)} pairs)", ""]
    if name.startswith("EQUATE"):
        out += ["| system | contradict share (all false alarms) | agree + partial share |", "|---|---|---|"]
        for s in SYSTEMS:
            out.append(f"| {s} | {share(df, s, ('contradict',))} | {share(df, s, ('agree', 'partial'))} |")
    elif name.startswith("SummEdits"):
        cons = (df["gold"] == "consistent").to_numpy()
        out += ["| system | inconsistent edits flagged contradict (recall) | consistent rewordings flagged "
                "(false alarms) | precision of contradict |", "|---|---|---|---|"]
        for s in SYSTEMS:
            flagged = (df[s] == "contradict").to_numpy()
            prec = f"{(flagged & ~cons).sum() / max(1, flagged.sum()):.3f}"
            out.append(f"| {s} | {share(df, s, ('contradict',), ~cons)} | {share(df, s, ('contradict',), cons)} "
                       f"| {prec} |")
        out += ["", "Recall by edit type (claimcmp, aligned):", "", "| edit types | n | flagged contradict |",
                "|---|---|---|"]
        for kind, n in Counter(df.loc[~cons, "gold"]).most_common(8):
            hit = share(df, "claimcmp, aligned", ("contradict",), (df["gold"] == kind).to_numpy())
            out.append(f"| {kind} | {n} | {hit} |")
    else:
        out += ["| system | strengthen -> agree/partial | weaken -> disputed/contradict | neither -> contradict "
                "(false alarms) |", "|---|---|---|---|"]
        for s in SYSTEMS:
            g = df["gold"].to_numpy()
            out.append(f"| {s} | {share(df, s, ('agree', 'partial'), g == 'strengthen')} | "
                       f"{share(df, s, ('disputed', 'contradict'), g == 'weaken')} | "
                       f"{share(df, s, ('contradict',), g == 'neither')} |")
        tab = pd.crosstab(df["gold"], df["claimcmp"])
        out += ["", "Stance counts (claimcmp) by gold label:", "", "| gold | " + " | ".join(tab.columns) + " |",
                "|---" * (len(tab.columns) + 1) + "|"]
        out += [f"| {g} | " + " | ".join(str(v) for v in row) + " |" for g, row in zip(tab.index, tab.to_numpy())]
    return [*out, ""]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=None, help="first N pairs of each set (smoke runs)")
    ap.add_argument("--sets", nargs="*", default=list(LOADERS), choices=list(LOADERS))
    ap.add_argument("--dump", type=Path, default=None, help="write each set's per-pair judgements here as CSV")
    args = ap.parse_args()
    logging.basicConfig(level=logging.WARNING)
    lines: list[str] = []
    for key in args.sets:
        ps = LOADERS[key]()
        df = judge(ps, args.limit)
        if args.dump is not None:
            args.dump.mkdir(parents=True, exist_ok=True)
            df.assign(a=ps.a[:args.limit], b=ps.b[:args.limit]).to_csv(args.dump / f"{key}.csv", index=False)
        lines += report(ps.name, df)
    lines += ["Files read (sha256):", ""] + [f"- `{k}` {v}" for k, v in READ.items()]
    print("\n".join(lines))


if __name__ == "__main__":
    main()
