"""Candidate retrieval: each sentence's nearest cross-outlet neighbours by embedding, in O(n·k) memory."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

import numpy as np
import pandas as pd

from claimcmp._checks import check_int, check_number

#: Default cosine floor for candidates, chosen on the hand-labelled dev pairs (docs/guide/alignment.md):
#: the lowest floor that loses no dev same-claim pair the verifier accepts.
DEFAULT_FLOOR = 0.45

_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "‚": "'", "—": "-", "–": "-"})


def normalise(text: str) -> str:
    """A sentence's text for identity checks: NFKC, quotes and dashes unified, case and spacing folded."""
    t = unicodedata.normalize("NFKC", text).translate(_QUOTES).casefold()
    return re.sub(r"\s+", " ", t).strip()


def empty_candidates() -> pd.DataFrame:
    return pd.DataFrame({"idx_a": pd.Series(dtype="int64"), "idx_b": pd.Series(dtype="int64"),
                         "cosine": pd.Series(dtype="float32")})


class NeighbourRetriever:
    """Cross-outlet candidate pairs: each sentence with its ``k`` most similar sentences of other outlets.

    A pair ``(a, b)`` (``a < b``, different outlets) is a candidate when either sentence is among the
    other's ``k`` nearest cross-outlet neighbours with cosine >= ``floor``. Similarities are computed a
    chunk of rows at a time, so memory stays O(chunk · n + n · k), never n². Ties are broken by
    index, so the result does not depend on anything but the (canonically ordered) input.

    Parameters
    ----------
    k:
        Neighbours kept per sentence.
    floor:
        Lowest cosine at which a pair is a candidate.
    chunk_size:
        Rows of the similarity matrix computed at once.
    """

    def __init__(self, k: int = 8, floor: float = DEFAULT_FLOOR, chunk_size: int = 1024) -> None:
        self.k = k
        self.floor = floor
        self.chunk_size = chunk_size

    def get_params(self) -> dict[str, object]:
        return {"k": self.k, "floor": self.floor, "chunk_size": self.chunk_size}

    def check(self) -> None:
        """Raise ParameterError if a parameter is unusable."""
        check_int(self.k, "k")
        check_number(self.floor, "floor", -1.0, 1.0, "a cosine")
        check_int(self.chunk_size, "chunk_size")

    def select(self, embeddings: np.ndarray, outlets: Sequence[str]) -> pd.DataFrame:
        """Candidates as a DataFrame: ``idx_a``, ``idx_b`` (row indices, a < b) and ``cosine``."""
        self.check()
        emb = np.asarray(embeddings, dtype=np.float32)
        n = emb.shape[0]
        codes = pd.factorize(pd.Series(list(outlets), dtype=object))[0]
        if n < 2:
            return empty_candidates()
        k = min(int(self.k), n - 1)
        found: list[np.ndarray] = []
        for s in range(0, n, int(self.chunk_size)):
            rows = np.arange(s, min(s + int(self.chunk_size), n))
            block = emb[rows] @ emb.T
            block[codes[rows][:, None] == codes[None, :]] = -np.inf
            # top k by similarity, ties by column index: sort on (-sim, col) within the k+ties window
            top = np.argpartition(-block, k - 1, axis=1)[:, :k]
            sims = np.take_along_axis(block, top, axis=1)
            keep = sims >= self.floor
            r = np.repeat(rows, k)[keep.ravel()]
            c = top.ravel()[keep.ravel()]
            found.append(np.stack([np.minimum(r, c), np.maximum(r, c)], axis=1))
        pairs = np.unique(np.concatenate(found), axis=0) if found else np.zeros((0, 2), dtype=np.int64)
        if len(pairs) == 0:
            return empty_candidates()
        cos = np.einsum("ij,ij->i", emb[pairs[:, 0]], emb[pairs[:, 1]]).astype(np.float32)
        return pd.DataFrame({"idx_a": pairs[:, 0].astype(np.int64), "idx_b": pairs[:, 1].astype(np.int64),
                             "cosine": cos})
