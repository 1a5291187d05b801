"""Clustering and candidate-pair selection on real embeddings and on controlled vectors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from claimcmp.errors import ParameterError
from claimcmp.stages.cluster import ThresholdClusterer, neighbours_above
from claimcmp.stages.embed import SentenceEmbedder
from claimcmp.stages.pairs import naive_pair_count
from claimcmp.stages.retrieve import NeighbourRetriever

SENTENCES = [
    "Syrian President Bashar al-Assad said he was ready for a ceasefire.",          # 0 ceasefire
    "Assad says Damascus is ready for a truce.",                                     # 1 ceasefire
    "Bashar al-Assad declared that his government is prepared to halt fighting.",   # 2 ceasefire
    "NATO airstrikes killed two Serbian embassy employees in Libya.",               # 3 NATO
    "Two Serbian embassy staff were killed by US airstrikes in Libya.",             # 4 NATO
    "Turkey has been shelling Kurdish positions near the border.",                  # 5 alone
    "The weather in Geneva was cold and rainy this week.",                          # 6 alone
]


@pytest.fixture(scope="module")
def emb() -> np.ndarray:
    return SentenceEmbedder().embed(SENTENCES)


def test_every_sentence_gets_a_label_singletons_included(emb: np.ndarray) -> None:
    labels = ThresholdClusterer(threshold=0.6).cluster(emb)
    assert labels.shape == (len(SENTENCES),) and (labels >= 0).all()
    assert labels[0] == labels[1], "two ceasefire paraphrases must share a claim"
    assert labels[3] == labels[4], "the two NATO-airstrike sentences must share a claim"
    assert labels[0] != labels[3]
    assert labels[6] not in set(labels[:6]), "an unrelated sentence stays a singleton"
    assert sorted(set(labels)) == list(range(len(set(labels)))), "labels are 0..k-1"


def test_labels_numbered_by_size(emb: np.ndarray) -> None:
    labels = ThresholdClusterer(threshold=0.6).cluster(emb)
    sizes = np.bincount(labels)
    assert list(sizes) == sorted(sizes, reverse=True)


def test_deterministic_and_permutation_equivariant(emb: np.ndarray) -> None:
    c = ThresholdClusterer(threshold=0.6)
    a, b = c.cluster(emb), c.cluster(emb)
    assert (a == b).all()
    perm = np.array([6, 2, 4, 0, 5, 1, 3])
    permuted = c.cluster(emb[perm])
    # same partition (as sets of original indices)
    part = lambda lab, idx: {frozenset(idx[lab == k]) for k in set(lab)}  # noqa: E731
    assert part(a, np.arange(7)) == part(permuted, perm)


def test_threshold_extremes(emb: np.ndarray) -> None:
    assert len(set(ThresholdClusterer(threshold=0.999).cluster(emb))) == len(SENTENCES)
    assert len(set(ThresholdClusterer(threshold=-1.0).cluster(emb))) == 1


def test_members_are_within_threshold_of_their_centre() -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(300, 16)).astype(np.float32)
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    labels = ThresholdClusterer(threshold=0.5, chunk_size=37).cluster(x)
    for k in set(labels):
        members = np.flatnonzero(labels == k)
        sims = x[members] @ x[members].T
        # some member (the centre) is within threshold of all others
        assert ((sims >= 0.5 - 1e-6) | np.eye(len(members), dtype=bool)).all(axis=1).any()


def test_chunking_does_not_change_result() -> None:
    rng = np.random.default_rng(1)
    x = rng.normal(size=(500, 8)).astype(np.float32)
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    small, big = ThresholdClusterer(0.6, chunk_size=7), ThresholdClusterer(0.6, chunk_size=5000)
    assert (small.cluster(x) == big.cluster(x)).all()


def test_neighbours_are_bounded() -> None:
    x = np.ones((50, 4), dtype=np.float32) / 2
    idx, _ = neighbours_above(x, 0.5, max_neighbours=5)
    assert all(len(i) == 5 for i in idx)


def test_empty_and_bad_params() -> None:
    assert ThresholdClusterer().cluster(np.zeros((0, 4), dtype=np.float32)).shape == (0,)
    with pytest.raises(ParameterError):
        ThresholdClusterer(threshold=2).cluster(np.eye(3, dtype=np.float32))


def test_retriever_cross_outlet_only_and_bounded(emb: np.ndarray) -> None:
    outlets = ["A", "B", "C", "A", "B", "C", "A"]
    pairs = NeighbourRetriever(k=2, floor=0.3).select(emb, outlets)
    assert list(pairs.columns) == ["idx_a", "idx_b", "cosine"]
    assert (pairs["idx_a"] < pairs["idx_b"]).all()
    assert all(outlets[a] != outlets[b] for a, b in zip(pairs["idx_a"], pairs["idx_b"]))
    got = set(zip(pairs["idx_a"], pairs["idx_b"]))
    assert (0, 1) in got and (3, 4) in got, "the closest cross-outlet paraphrases are candidates"
    assert len(pairs) <= 2 * len(SENTENCES) < naive_pair_count(outlets) + 2 * len(SENTENCES)
    assert (pairs["cosine"] >= 0.3).all()
    assert np.allclose(pairs["cosine"], np.einsum("ij,ij->i", emb[pairs["idx_a"]], emb[pairs["idx_b"]]), atol=1e-5)


def test_retriever_chunking_and_bad_params() -> None:
    rng = np.random.default_rng(3)
    x = rng.normal(size=(400, 8)).astype(np.float32)
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    outlets = [f"o{i % 7}" for i in range(400)]
    a = NeighbourRetriever(k=4, floor=0.0, chunk_size=9).select(x, outlets)
    b = NeighbourRetriever(k=4, floor=0.0, chunk_size=4000).select(x, outlets)
    pd.testing.assert_frame_equal(a, b)
    assert len(a) <= 4 * 400
    for bad in ({"k": 0}, {"floor": 2.0}, {"floor": "0.5"}, {"chunk_size": 0}):
        with pytest.raises(ParameterError):
            NeighbourRetriever(**bad).select(x, outlets)  # type: ignore[arg-type]


def test_naive_pair_count() -> None:
    assert naive_pair_count(["A", "A", "B", "C"]) == 5
