"""Grouping sentences into claims: average linkage on verified links (default), or a cosine threshold."""

from __future__ import annotations

import heapq
from collections.abc import Sequence

import numpy as np

from claimcmp._checks import check_int, check_number
from claimcmp.errors import ParameterError
from claimcmp.stages.retrieve import DEFAULT_FLOOR, normalise

#: ThresholdClusterer's default cosine threshold for "same claim" (the default clusterer is LinkClusterer):
#: best mean F1 over MSRP train, STS-B dev news and SemEval headlines (STS gold >= 3.5); see
#: docs/guide/calibration.md.
DEFAULT_THRESHOLD = 0.75


def neighbours_above(emb: np.ndarray, threshold: float, max_neighbours: int = 64,
                     chunk_size: int = 2048) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """For every row, the other rows with cosine >= ``threshold`` (at most ``max_neighbours``, best first).

    Similarities are computed a chunk of rows at a time (at most ``chunk_size`` rows and about 128 MB of
    similarities), and only entries at or above the threshold are kept, so memory stays
    O(chunk · n + n · k) and never n².
    """
    n = emb.shape[0]
    idx_out: list[np.ndarray] = []
    sim_out: list[np.ndarray] = []
    rows_per_chunk = max(1, min(chunk_size, (128 << 20) // (4 * max(n, 1))))
    empty_i, empty_s = np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
    for s in range(0, n, rows_per_chunk):
        block = emb[s:s + rows_per_chunk] @ emb.T
        rows = np.arange(s, min(s + rows_per_chunk, n))
        block[rows - s, rows] = -np.inf
        r_idx, c_idx = np.nonzero(block >= threshold)
        sims = block[r_idx, c_idx]
        # sort by row, then similarity descending, then column: best first, ties by index
        order = np.lexsort((c_idx, -sims, r_idx))
        r_idx, c_idx, sims = r_idx[order], c_idx[order], sims[order]
        bounds = np.searchsorted(r_idx, np.arange(len(rows) + 1))
        for r in range(len(rows)):
            a, b = bounds[r], min(bounds[r + 1], bounds[r] + max_neighbours)
            if a == b:
                idx_out.append(empty_i)
                sim_out.append(empty_s)
            else:
                idx_out.append(c_idx[a:b].astype(np.int64))
                sim_out.append(sims[a:b].astype(np.float32))
    return idx_out, sim_out


class ThresholdClusterer:
    """Groups sentences whose embeddings lie within ``threshold`` cosine of a cluster centre.

    Every sentence gets a label (singletons included). Sentences with identical text (after
    normalisation, when ``texts`` are given) or identical embeddings are one claim from the start,
    however many there are, so ``max_neighbours`` never splits them. Centres are chosen greedily by
    the number of sentences within the threshold (ties broken by position), members then move to
    the most similar centre. No randomness: the same embeddings in the same order give the same
    labels. Labels are numbered by cluster size (largest first), then by first member.

    Parameters
    ----------
    threshold:
        Cosine similarity at or above which two sentences can be the same claim.
    max_neighbours:
        Neighbours kept per sentence; bounds memory at O(n · max_neighbours).
    chunk_size:
        Rows of the similarity matrix computed at once.
    """

    def __init__(self, threshold: float = DEFAULT_THRESHOLD, max_neighbours: int = 64,
                 chunk_size: int = 2048) -> None:
        self.threshold = threshold
        self.max_neighbours = max_neighbours
        self.chunk_size = chunk_size

    def get_params(self) -> dict[str, object]:
        return {"threshold": self.threshold, "max_neighbours": self.max_neighbours, "chunk_size": self.chunk_size}

    def check(self) -> None:
        """Raise ParameterError if a parameter is unusable."""
        check_number(self.threshold, "threshold", -1.0, 1.0, "a cosine")
        check_int(self.max_neighbours, "max_neighbours")
        check_int(self.chunk_size, "chunk_size")

    def cluster(self, embeddings: np.ndarray, links: object = None,
                texts: Sequence[str] | None = None) -> np.ndarray:
        """One integer label per row of ``embeddings`` (unit vectors); ``links`` is ignored."""
        self.check()
        full = np.asarray(embeddings, dtype=np.float32)
        if full.shape[0] == 0:
            return np.zeros(0, dtype=np.int64)
        # identical sentences collapse to their first occurrence, so no neighbour cap can split them
        if texts is not None:
            if len(texts) != full.shape[0]:
                raise ParameterError(f"{len(texts)} texts for {full.shape[0]} embeddings.")
            first: dict[str, int] = {}
            key = np.array([first.setdefault(normalise(str(x)), len(first)) for x in texts], dtype=np.int64)
            _, reps, group = np.unique(key, return_index=True, return_inverse=True)
        else:
            _, reps, group = np.unique(full, axis=0, return_index=True, return_inverse=True)
        order = np.argsort(reps, kind="stable")  # groups numbered by first occurrence: ties by position
        rank = np.empty_like(order)
        rank[order] = np.arange(len(order))
        reps, group = reps[order], rank[group.reshape(-1)]
        emb, weight = full[reps], np.bincount(group)
        n = emb.shape[0]
        nbr, _ = neighbours_above(emb, self.threshold, self.max_neighbours, self.chunk_size)
        degree = np.array([weight[x].sum() for x in nbr]) + weight - 1
        order = np.lexsort((np.arange(n), -degree))
        centre_of = np.full(n, -1, dtype=np.int64)
        is_centre = np.zeros(n, dtype=bool)
        for i in order:
            if centre_of[i] >= 0:
                continue
            centre_of[i] = i
            is_centre[i] = True
            for j in nbr[i]:
                if centre_of[j] < 0:
                    centre_of[j] = i
        # move each member to its most similar centre (neighbour lists are best first)
        for i in range(n):
            if is_centre[i]:
                continue
            for j in nbr[i]:
                if is_centre[j]:
                    centre_of[i] = j
                    break
        return _relabel(reps[centre_of][group])


def _relabel(groups: np.ndarray) -> np.ndarray:
    """Labels numbered by cluster size (largest first), then by first member."""
    n = len(groups)
    centres, inverse, counts = np.unique(groups, return_inverse=True, return_counts=True)
    first = np.full(len(centres), n, dtype=np.int64)
    np.minimum.at(first, inverse, np.arange(n))
    rank = np.lexsort((first, -counts))
    relabel = np.empty(len(centres), dtype=np.int64)
    relabel[rank] = np.arange(len(centres))
    return relabel[inverse]


class LinkClusterer:
    """Claims from verified links: average linkage restricted to clusters joined by a verified link.

    Sentences with identical text (after normalisation) start in one cluster. Two clusters merge,
    best first, while the average pair score between them is at least ``threshold`` and at least
    one judged pair between them is a verified link (score >= ``threshold``). In the average, a
    judged pair counts its P(same claim); an unjudged pair below the retrieval ``floor`` counts 0;
    an unjudged pair above it is unknown and left out. So a hub cannot chain two sentences that
    are unlike each other into one claim. Deterministic and order-independent given the
    canonical sentence order; every sentence gets a label; memory O(n + links).

    Parameters
    ----------
    threshold:
        Lowest average P(same claim) at which two clusters merge (default: the verifier's threshold).
    floor:
        Cosine below which an unjudged pair counts as "not the same claim" (default: the retriever's floor).
    rounds:
        Times :func:`claimcmp.align.align` clusters again after judging the cross-outlet pairs inside each
        claim that retrieval had not paired (0: never, the default; a merge that rested on such unknown
        pairs then stands). More rounds raise precision and cost recall: on the dev pairs 3 rounds gave
        0.918 / 0.542 against 0.875 / 0.590 (docs/guide/alignment.md).
    """

    def __init__(self, threshold: float | None = None, floor: float = DEFAULT_FLOOR, rounds: int = 0) -> None:
        self.threshold = threshold
        self.floor = floor
        self.rounds = rounds

    def get_params(self) -> dict[str, object]:
        return {"threshold": self.threshold, "floor": self.floor, "rounds": self.rounds}

    def _threshold(self) -> float:
        from claimcmp.stages.verify import DEFAULT_VERIFY_THRESHOLD

        t = DEFAULT_VERIFY_THRESHOLD if self.threshold is None else self.threshold
        return check_number(t, "threshold", 0.0, 1.0, "a probability")

    def check(self) -> None:
        """Raise ParameterError if a parameter is unusable."""
        self._threshold()
        check_number(self.floor, "floor", -1.0, 1.0, "a cosine")
        check_int(self.rounds, "rounds", 0)

    def cluster(self, embeddings: np.ndarray, links: Sequence[tuple[int, int, float]],
                texts: Sequence[str] | None = None) -> np.ndarray:
        """One integer label per sentence, from ``links`` = judged pairs ``(i, j, P(same claim))``."""
        self.check()
        t = self._threshold()
        emb = np.asarray(embeddings, dtype=np.float32)
        n = emb.shape[0]
        if n == 0:
            return np.zeros(0, dtype=np.int64)
        parent = np.arange(n)
        if texts is not None:
            if len(texts) != n:
                raise ParameterError(f"{len(texts)} texts for {n} embeddings.")
            first: dict[str, int] = {}
            for i, x in enumerate(texts):
                parent[i] = first.setdefault(normalise(x), i)
        members: dict[int, list[int]] = {}
        for i in range(n):
            members.setdefault(int(parent[i]), []).append(i)
        owner = parent.copy()
        score: dict[tuple[int, int], float] = {}
        adj: dict[int, set[int]] = {}
        for i, j, s in links:
            i, j = int(i), int(j)
            key = (min(i, j), max(i, j))
            score[key] = max(float(s), score.get(key, 0.0))
        for (i, j), s in score.items():
            if s >= t:
                a, b = int(owner[i]), int(owner[j])
                if a != b:
                    adj.setdefault(a, set()).add(b)
                    adj.setdefault(b, set()).add(a)

        def linkage(a: int, b: int) -> float:
            ma, mb = members[a], members[b]
            sims = emb[ma] @ emb[mb].T
            total, count = 0.0, 0
            for x, i in enumerate(ma):
                for y, j in enumerate(mb):
                    s = score.get((i, j) if i < j else (j, i))
                    if s is not None:
                        total, count = total + s, count + 1
                    elif sims[x, y] < self.floor:
                        count += 1
            return total / count if count else 0.0

        version = dict.fromkeys(members, 0)
        heap: list[tuple[float, int, int, int, int]] = []

        def push(a: int, b: int) -> None:
            lo, hi = min(a, b), max(a, b)
            v = linkage(lo, hi)
            if v >= t:
                heapq.heappush(heap, (-v, lo, hi, version[lo], version[hi]))

        for a in sorted(adj):
            for b in sorted(adj[a]):
                if a < b:
                    push(a, b)
        while heap:
            _, a, b, va, vb = heapq.heappop(heap)
            if a not in members or b not in members or version[a] != va or version[b] != vb:
                continue
            members[a].extend(members.pop(b))
            owner[members[a]] = a
            version[a] += 1
            version.pop(b)
            nb = (adj.pop(a, set()) | adj.pop(b, set())) - {a, b}
            adj[a] = nb
            for c in nb:
                adj[c].discard(b)
                adj[c].add(a)
            for c in sorted(nb):
                push(a, c)
        return _relabel(owner)
