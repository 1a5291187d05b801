"""The pipeline's stages: each an object with one job and one public method.

| slot       | default             | method                                                        |
|------------|---------------------|---------------------------------------------------------------|
| cleaner    | BoilerplateCleaner  | clean(text) -> CleanResult(kept, removed)                     |
| segmenter  | SentenceSegmenter   | segment(text, kept) -> list[Span]                             |
| embedder   | SentenceEmbedder    | embed(texts) -> (n, d) float32 array                          |
| retriever  | NeighbourRetriever  | select(emb, outlets) -> DataFrame idx_a, idx_b, cosine        |
| nli        | NLIJudge            | judge(premises, hypotheses) -> DataFrame E, N, C              |
| verifier   | SameClaimVerifier   | verify(texts_a, texts_b, cosine, nli_ab, nli_ba) -> P(same)   |
| clusterer  | LinkClusterer       | cluster(emb, links, texts) -> (n,) int labels                 |
| stance     | StanceJudge         | judge(texts_a, texts_b, nli_ab, nli_ba, same) -> Judgements   |
"""

from claimcmp.stages.clean import BoilerplateCleaner, CleanResult, NoCleaner, RemovedSpan, Span
from claimcmp.stages.cluster import DEFAULT_THRESHOLD, LinkClusterer, ThresholdClusterer
from claimcmp.stages.embed import PrecomputedEmbeddings, SentenceEmbedder
from claimcmp.stages.nli import NLI_LABELS, NLIJudge
from claimcmp.stages.pairs import naive_pair_count
from claimcmp.stages.retrieve import DEFAULT_FLOOR, NeighbourRetriever
from claimcmp.stages.segment import SentenceSegmenter
from claimcmp.stages.stance import STANCES, Judgement, StanceJudge
from claimcmp.stages.verify import DEFAULT_VERIFY_THRESHOLD, SameClaimVerifier

__all__ = [
    "DEFAULT_FLOOR",
    "DEFAULT_THRESHOLD",
    "DEFAULT_VERIFY_THRESHOLD",
    "NLI_LABELS",
    "STANCES",
    "BoilerplateCleaner",
    "CleanResult",
    "Judgement",
    "LinkClusterer",
    "NLIJudge",
    "NeighbourRetriever",
    "NoCleaner",
    "PrecomputedEmbeddings",
    "RemovedSpan",
    "SameClaimVerifier",
    "SentenceEmbedder",
    "SentenceSegmenter",
    "Span",
    "StanceJudge",
    "ThresholdClusterer",
    "naive_pair_count",
]
