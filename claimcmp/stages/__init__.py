"""The pipeline's stages: each an object with one job and one public method.

| slot          | default              | method                                   |
|---------------|----------------------|------------------------------------------|
| cleaner       | BoilerplateCleaner   | clean(text) -> CleanResult(kept, removed)|
| segmenter     | SentenceSegmenter    | segment(text, kept) -> list[Span]        |
| embedder      | SentenceEmbedder     | embed(texts) -> (n, d) float32 array     |
| clusterer     | ThresholdClusterer   | cluster(embeddings) -> (n,) int labels   |
| pair_selector | CandidatePairs       | select(emb, outlets, claims) -> DataFrame|
| nli           | NLIJudge             | judge(premises, hypotheses) -> DataFrame |
"""

from claimcmp.stages.clean import BoilerplateCleaner, CleanResult, NoCleaner, RemovedSpan, Span
from claimcmp.stages.cluster import DEFAULT_THRESHOLD, ThresholdClusterer
from claimcmp.stages.embed import PrecomputedEmbeddings, SentenceEmbedder
from claimcmp.stages.nli import NLI_LABELS, NLIJudge, stance
from claimcmp.stages.pairs import CandidatePairs, naive_pair_count
from claimcmp.stages.segment import SentenceSegmenter

__all__ = [
    "DEFAULT_THRESHOLD",
    "NLI_LABELS",
    "BoilerplateCleaner",
    "CandidatePairs",
    "CleanResult",
    "NLIJudge",
    "NoCleaner",
    "PrecomputedEmbeddings",
    "RemovedSpan",
    "SentenceEmbedder",
    "SentenceSegmenter",
    "Span",
    "ThresholdClusterer",
    "naive_pair_count",
    "stance",
]
