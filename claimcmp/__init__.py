"""claimcmp: compare how news outlets report the same event, claim by claim."""

from claimcmp.runtime import prepare_environment

prepare_environment()  # before torch loads: OpenMP threads sleep instead of spinning while they wait

# ruff: noqa: E402

from claimcmp.api import Comparator, compare
from claimcmp.articles import Article
from claimcmp.errors import ClaimcmpError
from claimcmp.framing import analyze_framing
from claimcmp.io import load_articles, load_seeds
from claimcmp.many import ComparisonSet, compare_many
from claimcmp.report import plot_agreement, plot_coverage, plot_stance, write_report
from claimcmp.results import Comparison, read_comparison
from claimcmp.stages import (
    BoilerplateCleaner,
    LinkClusterer,
    NeighbourRetriever,
    NLIJudge,
    NoCleaner,
    PrecomputedEmbeddings,
    SameClaimVerifier,
    SentenceEmbedder,
    SentenceSegmenter,
    StanceJudge,
    ThresholdClusterer,
)
from claimcmp.track import Tracker, track

#: ``claimcmp.NLI`` is the NLI model wrapper: ``NLI().judge(premises, hypotheses)``.
NLI = NLIJudge

__version__ = "0.1.0"

__all__ = [
    "NLI",
    "Article",
    "BoilerplateCleaner",
    "ClaimcmpError",
    "Comparator",
    "Comparison",
    "ComparisonSet",
    "LinkClusterer",
    "NLIJudge",
    "NeighbourRetriever",
    "NoCleaner",
    "PrecomputedEmbeddings",
    "SameClaimVerifier",
    "SentenceEmbedder",
    "SentenceSegmenter",
    "StanceJudge",
    "ThresholdClusterer",
    "Tracker",
    "__version__",
    "analyze_framing",
    "compare",
    "compare_many",
    "load_articles",
    "load_seeds",
    "plot_agreement",
    "plot_coverage",
    "plot_stance",
    "read_comparison",
    "track",
    "write_report",
]
