"""Choosing which cross-outlet sentence pairs the NLI model judges."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from claimcmp.errors import ParameterError

PAIR_COLUMNS = ("idx_a", "idx_b", "cosine", "same_claim")


class CandidatePairs:
    """Cross-outlet pairs worth an NLI judgement: all pairs within a claim, plus near neighbours.

    A pair ``(a, b)`` (``a`` before ``b`` in canonical order, different outlets) is selected when
    both sentences share a claim, or when ``b`` is among ``a``'s ``neighbours`` most similar
    sentences of another outlet (or vice versa) with cosine >= ``min_similarity``. This keeps
    the work near-linear in the number of sentences instead of quadratic.
    """

    def __init__(self, neighbours: int = 3, min_similarity: float = 0.5, chunk_size: int = 2048) -> None:
        self.neighbours = neighbours
        self.min_similarity = min_similarity
        self.chunk_size = chunk_size

    def get_params(self) -> dict[str, object]:
        return {"neighbours": self.neighbours, "min_similarity": self.min_similarity, "chunk_size": self.chunk_size}

    def select(self, embeddings: np.ndarray, outlets: Sequence[str], claims: Sequence[int]) -> pd.DataFrame:
        """Candidate pairs as a DataFrame with columns ``idx_a``, ``idx_b``, ``cosine``, ``same_claim``."""
        if self.neighbours < 0 or self.chunk_size < 1:
            raise ParameterError("neighbours must be >= 0 and chunk_size >= 1.")
        emb = np.asarray(embeddings, dtype=np.float32)
        out_codes = pd.factorize(pd.Series(list(outlets)))[0]
        claim_arr = np.asarray(claims)
        n = emb.shape[0]
        found: set[tuple[int, int]] = set()
        # all cross-outlet pairs inside each claim
        by_claim = pd.Series(np.arange(n)).groupby(claim_arr).apply(list)
        for members in by_claim:
            for x in range(len(members)):
                for y in range(x + 1, len(members)):
                    a, b = members[x], members[y]
                    if out_codes[a] != out_codes[b]:
                        found.add((min(a, b), max(a, b)))
        # k nearest cross-outlet neighbours above min_similarity
        if self.neighbours > 0 and n > 1:
            for s in range(0, n, self.chunk_size):
                block = emb[s:s + self.chunk_size] @ emb.T
                rows = np.arange(s, min(s + self.chunk_size, n))
                same = out_codes[rows][:, None] == out_codes[None, :]
                block[same] = -np.inf
                k = min(self.neighbours, n)
                top = np.argpartition(-block, k - 1, axis=1)[:, :k]
                for r, i in enumerate(rows):
                    for j in top[r]:
                        if block[r, j] >= self.min_similarity:
                            found.add((min(int(i), int(j)), max(int(i), int(j))))
        if not found:
            return pd.DataFrame({"idx_a": pd.Series(dtype="int64"), "idx_b": pd.Series(dtype="int64"),
                                 "cosine": pd.Series(dtype="float32"), "same_claim": pd.Series(dtype="bool")})
        arr = np.array(sorted(found), dtype=np.int64)
        cos = np.einsum("ij,ij->i", emb[arr[:, 0]], emb[arr[:, 1]]).astype(np.float32)
        return pd.DataFrame({"idx_a": arr[:, 0], "idx_b": arr[:, 1], "cosine": cos,
                             "same_claim": claim_arr[arr[:, 0]] == claim_arr[arr[:, 1]]})


def naive_pair_count(outlets: Sequence[str]) -> int:
    """Number of cross-outlet sentence pairs an exhaustive comparison would judge."""
    counts = pd.Series(list(outlets)).value_counts().to_numpy()
    total = int(counts.sum())
    return int((total * total - int((counts * counts).sum())) // 2)
