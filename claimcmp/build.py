"""Derived tables: claims, coverage and agreement, computed only from ``sentences`` and ``pairs``."""

from __future__ import annotations

import numpy as np
import pandas as pd

from claimcmp.copies import independent_outlets
from claimcmp.schema import conform
from claimcmp.stages.stance import STANCES


def claims_table(sentences: pd.DataFrame, embeddings: np.ndarray, pairs: pd.DataFrame,
                 copied: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per claim with its representative sentence, outlets and a stance summary; ``copied``
    (the ``copied_sentences`` table) collapses copy groups in ``n_independent_outlets``."""
    rows = []
    independent = independent_outlets(sentences, copied) if copied is not None else None
    inside = pairs[pairs["same_claim"]]
    counts = inside.groupby(["claim_id_a", "stance"], observed=True).size().unstack(fill_value=0)
    for claim_id, grp in sentences.groupby("claim_id", sort=True):
        idx = grp.index.to_numpy()
        if len(idx) > 1:
            sims = embeddings[idx] @ embeddings[idx].T
            rep = idx[int(np.argmax(sims.sum(1)))]
        else:
            rep = idx[0]
        outlets = sorted(set(grp["outlet"].astype(str)))
        row = counts.loc[claim_id].to_dict() if claim_id in counts.index else {}
        n = {s: int(row.get(s, 0)) for s in STANCES}
        mine = inside[inside["claim_id_a"] == claim_id] if claim_id in counts.index else inside.iloc[:0]
        if len(outlets) == 1:
            summary = "single_outlet"
        elif n["contradict"] and (n["agree"] or n["partial"]):
            summary = "mixed"
        elif n["contradict"]:
            summary = "contradict"
        elif n["disputed"]:
            summary = "disputed"
        elif n["agree"] or n["partial"]:
            summary = "agree"
        else:
            summary = "unrelated"
        rows.append({
            "claim_id": claim_id, "representative": sentences.at[rep, "text"],
            "representative_sentence_id": sentences.at[rep, "sentence_id"], "n_sentences": len(idx),
            "n_outlets": len(outlets), "outlets": "; ".join(outlets),
            "n_independent_outlets": len(outlets) if independent is None else int(independent.get(claim_id, 1)),
            "n_pairs": sum(n.values()),
            "n_links": int(mine["verified"].sum()) if len(mine) else 0,
            "link_score": float(mine["same_claim_prob"].mean()) if len(mine) else np.nan,
            **{f"n_{k}": v for k, v in n.items()}, "stance": summary,
        })
    return conform("claims", pd.DataFrame(rows))


def coverage_table(sentences: pd.DataFrame, outlets: list[str]) -> pd.DataFrame:
    """Outlet x claim grid (long form): every outlet appears for every claim, omissions as zeros."""
    counts = sentences.groupby(["claim_id", "outlet"], observed=True).size()
    claims = sorted(sentences["claim_id"].unique())
    grid = pd.MultiIndex.from_product([claims, outlets], names=["claim_id", "outlet"])
    df = counts.reindex(grid, fill_value=0).rename("n_sentences").reset_index()
    df["carried"] = df["n_sentences"] > 0
    return conform("coverage", df, {"outlet": outlets})


def agreement_table(coverage: pd.DataFrame, pairs: pd.DataFrame, outlets: list[str]) -> pd.DataFrame:
    """Outlet x outlet summary (each unordered pair once, outlet_a < outlet_b)."""
    carried = {o: set(coverage.loc[coverage["carried"] & (coverage["outlet"] == o), "claim_id"]) for o in outlets}
    rows = []
    a_col, b_col = pairs["outlet_a"].astype(str), pairs["outlet_b"].astype(str)
    for i, a in enumerate(outlets):
        for b in outlets[i + 1:]:
            sel = pairs[((a_col == a) & (b_col == b)) | ((a_col == b) & (b_col == a))]
            n = {s: int((sel["stance"] == s).sum()) for s in STANCES}
            same = sel[sel["same_claim"]]
            agree_rate = ((same["stance"].isin(["agree", "partial"])).sum() / len(same)) if len(same) else np.nan
            contra_rate = ((same["stance"] == "contradict").sum() / len(same)) if len(same) else np.nan
            indep = sel[~sel["copied"]]
            same_i = indep[indep["same_claim"]]
            rows.append({
                "outlet_a": a, "outlet_b": b, "shared_claims": len(carried[a] & carried[b]),
                "only_a": len(carried[a] - carried[b]), "only_b": len(carried[b] - carried[a]),
                "n_pairs": len(sel), **{f"n_{k}": v for k, v in n.items()},
                "agreement_rate": agree_rate,
                "contradiction_rate": contra_rate,
                "n_pairs_independent": len(indep),
                "agreement_rate_independent": _rate(same_i["stance"].isin(["agree", "partial"]).sum(), len(same_i)),
                "contradiction_rate_independent": _rate((same_i["stance"] == "contradict").sum(), len(same_i)),
            })
    return conform("agreement", pd.DataFrame(rows), {"outlet_a": outlets, "outlet_b": outlets})


def _rate(k: int, n: int) -> float:
    return float(k) / n if n else float("nan")
