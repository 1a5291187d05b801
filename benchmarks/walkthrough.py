"""The figures quoted in docs/guide/walkthrough.md, printed from one run on the five seed articles.

Run with ``python -m benchmarks.walkthrough`` after a model or default changes, and compare its output
with the walkthrough's numbers and tables (the prose there is a reader's; only the figures come from here).
"""

from __future__ import annotations

import argparse
import logging
import re
from collections import Counter

import pandas as pd

from benchmarks.common import md_table

#: Columns of the per-claim pair table.
PAIR_COLUMNS = ["outlet_a", "outlet_b", "cosine", "same_claim_prob", "verified", "retrieved", "entailment_ab",
                "entailment_ba", "neutral_ab", "neutral_ba", "contradiction_ab", "contradiction_ba", "stance"]


def _md(df: pd.DataFrame, digits: int = 2) -> str:
    """A DataFrame as a markdown table (index dropped, floats rounded)."""
    df = df.astype({c: "float64" for c in df.select_dtypes(include="float").columns})
    rows = [[f"{v:.{digits}f}" if isinstance(v, float) else str(v) for v in r] for r in df.itertuples(index=False)]
    return md_table([str(c) for c in df.columns], rows)


def _longest_shared_run(sentences: pd.DataFrame) -> tuple[int, str, str, str]:
    """The longest run of words (lower-cased, punctuation dropped) that sentences of two outlets share."""
    words = {r.sentence_id: (str(r.outlet), re.findall(r"[\w'’-]+", str(r.text).lower()))
             for r in sentences.itertuples()}
    best: tuple[int, str, str, str] = (0, "", "", "")
    ids = list(words)
    for i, a in enumerate(ids):
        oa, wa = words[a]
        for b in ids[i + 1:]:
            ob, wb = words[b]
            if oa == ob:
                continue
            prev = [0] * (len(wb) + 1)
            for x in wa:
                cur = [0] * (len(wb) + 1)
                for j, y in enumerate(wb):
                    if x == y:
                        cur[j + 1] = prev[j] + 1
                        if cur[j + 1] > best[0]:
                            best = (cur[j + 1], oa, ob, " ".join(wb[j + 1 - cur[j + 1]:j + 1]))
                prev = cur
    return best


def report(pair_claims: list[int], near: float) -> str:
    """The walkthrough's figures as markdown (``pair_claims``: claims whose pairs are listed in full)."""
    import claimcmp

    res = claimcmp.compare(claimcmp.load_seeds())
    s, c, p, meta = res.sentences, res.claims, res.pairs, res.meta
    multi = c[c["n_outlets"] > 1]
    out = [f"sentences kept {len(s)}; removed spans {len(res.removed)}; claims {len(c)}; carried by 2+ outlets "
           f"{len(multi)}; judged pairs {meta['judged_pairs']} of {meta['naive_pairs']} possible",
           f"pairs: retrieved {int(p['retrieved'].sum())}, completion (retrieved False) "
           f"{int((~p['retrieved']).sum())}; verified links {int(p['verified'].sum())} "
           f"(inside one claim {int((p['verified'] & p['same_claim']).sum())}, across two claims "
           f"{int((p['verified'] & ~p['same_claim']).sum())}); same-claim pairs {int(p['same_claim'].sum())} "
           f"(not verified {int((p['same_claim'] & ~p['verified']).sum())})",
           "stance over all judged pairs: " + ", ".join(f"{k} {v}" for k, v in
                                                         p["stance"].value_counts().items())]
    removed = Counter(zip(res.removed["outlet"].astype(str), res.removed["reason"].astype(str)))
    out.append("removed: " + "; ".join(f"{o} {r} {n}" for (o, r), n in sorted(removed.items())))
    out.append(_md(multi[["claim_id", "n_sentences", "outlets", "n_pairs", "n_links", "link_score", "n_agree",
                          "n_partial", "n_contradict", "n_disputed", "n_unrelated", "stance"]]))
    by_claim = s[s["claim_id"].isin(multi["claim_id"])].sort_values(["claim_id", "outlet", "position"])
    out += [f"  claim {r.claim_id} {r.outlet} {r.sentence_id}: {r.text}" for r in by_claim.itertuples()]
    for cid in pair_claims:
        inside = p[p["same_claim"] & (p["claim_id_a"] == cid)]
        out += [f"pairs of claim {cid}", _md(inside[PAIR_COLUMNS])]
    across = p[p["verified"] & ~p["same_claim"]]
    out += ["verified links between two claims (not merged)",
            _md(across[["sentence_id_a", "sentence_id_b", "claim_id_a", "claim_id_b", *PAIR_COLUMNS]])]
    close = p[~p["verified"] & (p["same_claim_prob"] >= near)].sort_values("same_claim_prob", ascending=False)
    out += [f"unverified pairs with P(same claim) >= {near}",
            _md(close[["sentence_id_a", "sentence_id_b", "claim_id_a", "claim_id_b", *PAIR_COLUMNS]])]
    cov = res.coverage_matrix()
    out += ["coverage matrix (cross-outlet claims)", _md(cov.loc[cov.gt(0).sum(axis=1) > 1].reset_index())]
    out += ["agreement", _md(res.agreement, 3)]
    run = _longest_shared_run(s)
    out.append(f"copied sentences {len(res.copied_sentences)}; copies {len(res.copies)}; longest shared word run "
               f"{run[0]} words ({run[1]} / {run[2]}): {run[3]!r}; n_independent_outlets == n_outlets: "
               f"{bool((c['n_independent_outlets'] == c['n_outlets']).all())}")
    fr = res.framing
    out += ["framing terms (armed_groups, islamic_state)",
            _md(fr.term_matrix().loc[["armed_groups", "islamic_state"]].reset_index())]
    out += ["speakers of claim 0", _md(fr.speakers(0)[["outlet", "speaker", "mode"]])]
    return "\n\n".join(out)


def _main() -> None:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.walkthrough", description=__doc__.split("\n")[0])
    ap.add_argument("--claims", type=int, nargs="*", default=[0], help="claims whose pairs to list (default 0)")
    ap.add_argument("--near", type=float, default=0.35, help="list unverified pairs at or above this P(same claim)")
    args = ap.parse_args()
    logging.getLogger("claimcmp").setLevel(logging.ERROR)
    pd.set_option("display.width", 200)
    print(report(args.claims, args.near))


if __name__ == "__main__":
    _main()
