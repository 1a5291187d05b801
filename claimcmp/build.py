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
    """Outlet x outlet summary (each unordered pair once, outlet_a < outlet_b).

    Counted with array operations over all pairs at once, so a few hundred outlets (tens of
    thousands of outlet pairs) take well under a second.
    """
    m = len(outlets)
    pos = {o: i for i, o in enumerate(outlets)}
    cov = coverage[coverage["carried"].to_numpy(dtype=bool)]
    claim_codes = pd.factorize(cov["claim_id"])[0]
    carried = np.zeros((m, int(claim_codes.max()) + 1 if len(claim_codes) else 0), dtype=np.int64)
    carried[cov["outlet"].astype(str).map(pos).to_numpy(dtype=np.int64), claim_codes] = 1
    shared = carried @ carried.T
    n_carried = carried.sum(axis=1)

    ia = pairs["outlet_a"].astype(str).map(pos).to_numpy(dtype=np.int64)
    ib = pairs["outlet_b"].astype(str).map(pos).to_numpy(dtype=np.int64)
    key = np.minimum(ia, ib) * m + np.maximum(ia, ib)
    stance = pairs["stance"].astype(str).to_numpy()
    same = pairs["same_claim"].to_numpy(dtype=bool)
    indep = ~pairs["copied"].to_numpy(dtype=bool)
    ok = np.isin(stance, ["agree", "partial"])
    contra = stance == "contradict"

    def count(mask: np.ndarray | None = None) -> np.ndarray:
        return np.bincount(key if mask is None else key[mask], minlength=m * m)

    a, b = np.triu_indices(m, 1)
    at = a * m + b

    def rate(num: np.ndarray, den: np.ndarray) -> np.ndarray:
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(den > 0, num / np.maximum(den, 1), np.nan)

    n_same, n_same_i = count(same)[at], count(same & indep)[at]
    names = np.array(outlets, dtype=object)
    df = pd.DataFrame({
        "outlet_a": names[a], "outlet_b": names[b], "shared_claims": shared[a, b],
        "only_a": n_carried[a] - shared[a, b], "only_b": n_carried[b] - shared[a, b],
        "n_pairs": count()[at], **{f"n_{k}": count(stance == k)[at] for k in STANCES},
        "agreement_rate": rate(count(same & ok)[at], n_same),
        "contradiction_rate": rate(count(same & contra)[at], n_same),
        "n_pairs_independent": count(indep)[at],
        "agreement_rate_independent": rate(count(same & indep & ok)[at], n_same_i),
        "contradiction_rate_independent": rate(count(same & indep & contra)[at], n_same_i),
    })
    return conform("agreement", df, {"outlet_a": outlets, "outlet_b": outlets})
