"""The top-level entry points: :class:`Comparator` (swappable stages) and :func:`compare`."""

from __future__ import annotations

import logging
import platform
import time
import warnings
from typing import Any

import numpy as np
import pandas as pd

from claimcmp._checks import check_bool, check_choice, check_device, check_number
from claimcmp.align import align
from claimcmp.articles import (
    Article,
    ArticlesLike,
    articles_frame,
    skipped_record,
    to_articles,
    to_articles_skipping,
)
from claimcmp.build import agreement_table, claims_table, coverage_table
from claimcmp.copies import CopyDetector, detect_copies
from claimcmp.errors import (
    EmptyTextError,
    NoArticlesError,
    ParameterError,
    SingleOutletWarning,
    TooFewOutletsError,
)
from claimcmp.results import Comparison
from claimcmp.schema import TABLES, conform
from claimcmp.stages.clean import BoilerplateCleaner, Span
from claimcmp.stages.cluster import LinkClusterer
from claimcmp.stages.embed import SentenceEmbedder
from claimcmp.stages.nli import NLIJudge
from claimcmp.stages.pairs import naive_pair_count
from claimcmp.stages.retrieve import NeighbourRetriever, normalise
from claimcmp.stages.segment import SentenceSegmenter
from claimcmp.stages.stance import StanceJudge
from claimcmp.stages.verify import SameClaimVerifier
from claimcmp.timeline import timeline_table

log = logging.getLogger("claimcmp")

#: Each stage slot and the method an object must have to fill it.
STAGE_METHODS = {"cleaner": "clean", "segmenter": "segment", "embedder": "embed", "retriever": "select",
                 "nli": "judge", "verifier": "verify", "clusterer": "cluster", "stance": "judge",
                 "copies": "find"}
#: What :class:`Comparator` does with an article it cannot use (``on_bad_article``).
ON_BAD_ARTICLE = ("raise", "skip")


class Comparator:
    """Runs the comparison pipeline; each stage is an object with one job and can be swapped.

    Stages (``None`` means the default), in pipeline order: ``cleaner`` (:class:`BoilerplateCleaner`),
    ``segmenter`` (:class:`SentenceSegmenter`), ``embedder`` (:class:`SentenceEmbedder`), ``retriever``
    (:class:`NeighbourRetriever`: cross-outlet candidate pairs), ``nli`` (:class:`NLIJudge`: both
    directions of every candidate), ``verifier`` (:class:`SameClaimVerifier`: P(same claim)),
    ``clusterer`` (:class:`LinkClusterer`: claims from verified links) and ``stance``
    (:class:`StanceJudge`: agree / partial / contradict / disputed, with evidence), then ``copies``
    (:class:`~claimcmp.copies.CopyDetector`: copied cross-outlet sentences, see docs/guide/copies.md).
    The constructor only stores them; models load on first use.

    Parameters
    ----------
    allow_single_outlet:
        Allow a comparison of articles from one outlet only (otherwise TooFewOutletsError).
    show_progress:
        Show tqdm progress bars for the embedding and NLI stages.
    on_bad_article:
        ``"raise"`` (default): an unusable article (no text, no outlet, a duplicate id, no sentence
        left after cleaning) raises its :class:`~claimcmp.errors.InputError`. ``"skip"``: it is left
        out, logged, and listed with the reason in the result's ``skipped`` table; the others are
        compared. Either way, fewer than two usable outlets still raise TooFewOutletsError.
    titles:
        Compare each article's title line and its front matter (the sub-headline or caption between
        the title and the story's dateline) as sentences (``sentences.part`` ``title`` /
        ``front_matter``), aligned and judged like the body's: the headline is often the claim outlets
        share. The title is the removed heading that reads as the article's ``title``, else the first
        line when the cleaner takes it for the title (:attr:`~claimcmp.stages.clean.CleanResult.title`);
        these spans are then not listed in ``removed``. A title given only as metadata, not in the
        text, is not compared (it has no offsets). ``False``: they stay out, as other removed text.
    """

    def __init__(self, cleaner: Any = None, segmenter: Any = None, embedder: Any = None, retriever: Any = None,
                 nli: Any = None, verifier: Any = None, clusterer: Any = None, stance: Any = None,
                 copies: Any = None, allow_single_outlet: bool = False, show_progress: bool = True,
                 on_bad_article: str = "raise", titles: bool = True) -> None:
        self.cleaner = cleaner
        self.segmenter = segmenter
        self.embedder = embedder
        self.retriever = retriever
        self.nli = nli
        self.verifier = verifier
        self.clusterer = clusterer
        self.stance = stance
        self.copies = copies
        self.allow_single_outlet = allow_single_outlet
        self.show_progress = show_progress
        self.on_bad_article = on_bad_article
        self.titles = titles

    def get_params(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in (*STAGE_METHODS, "allow_single_outlet", "show_progress",
                                              "on_bad_article", "titles")}

    def stages(self) -> dict[str, Any]:
        """The stage objects in use (defaults filled in), checked for their methods and parameters.

        A stage's ``check()`` method, when it has one, runs here, before any model loads.
        """
        check_bool(self.show_progress, "show_progress")
        defaults = {
            "cleaner": BoilerplateCleaner(), "segmenter": SentenceSegmenter(),
            "embedder": SentenceEmbedder(show_progress=self.show_progress), "retriever": NeighbourRetriever(),
            "nli": NLIJudge(show_progress=self.show_progress), "verifier": SameClaimVerifier(),
            "clusterer": LinkClusterer(), "stance": StanceJudge(), "copies": CopyDetector(),
        }
        out = {}
        for slot, method in STAGE_METHODS.items():
            stage = getattr(self, slot)
            stage = defaults[slot] if stage is None else stage
            if isinstance(stage, type):
                raise ParameterError(f"{slot}={stage.__name__} is a class; pass an instance, e.g. {stage.__name__}().")
            if not callable(getattr(stage, method, None)):
                raise ParameterError(f"{slot}={stage!r} has no {method}() method, so it cannot serve as the {slot}.")
            check = getattr(stage, "check", None)
            if callable(check):
                check()
            out[slot] = stage
        return out

    def compare(self, articles: ArticlesLike) -> Comparison:
        """Compare the articles of one event; see :class:`Comparison` for what comes back."""
        timings: dict[str, float] = {}
        t0 = time.perf_counter()
        check_choice(self.on_bad_article, "on_bad_article", ON_BAD_ARTICLE)
        check_bool(self.allow_single_outlet, "allow_single_outlet")
        check_bool(self.titles, "titles")
        st = self.stages()
        skip = self.on_bad_article == "skip"
        valid, skipped = to_articles_skipping(articles) if skip else (to_articles(articles), [])
        valid = sorted(valid, key=lambda a: a.article_id)
        sentences, removed = self._segment(valid, st["cleaner"], st["segmenter"], skipped if skip else None,
                                           titles=self.titles)
        dropped = {r["position"] for r in skipped if r["stage"] == "segment"}
        arts = sorted((a for i, a in enumerate(valid) if i not in dropped), key=lambda a: a.article_id)
        for r in skipped:
            log.warning("skipped article %s: %s", r["article_id"] or f"#{r['position']}", r["message"])
        if not arts:
            raise NoArticlesError(f"All {len(skipped)} article(s) were skipped as unusable: "
                                  + "; ".join(r["message"] for r in skipped[:3]))
        outlets = sorted({a.outlet for a in arts})
        if len(outlets) < 2:
            if not self.allow_single_outlet:
                raise TooFewOutletsError(
                    f"All {len(arts)} article(s) come from one outlet ({outlets[0]!r}); a comparison needs two or "
                    "more outlets. Pass allow_single_outlet=True to compare within one outlet anyway."
                )
            warnings.warn(f"Only one outlet ({outlets[0]!r}): no cross-outlet pairs will be judged.",
                          SingleOutletWarning, stacklevel=2)
        timings["clean_segment"] = time.perf_counter() - t0

        t = time.perf_counter()
        log.info("embedding %d sentences", len(sentences))
        emb = np.asarray(st["embedder"].embed(sentences["text"].tolist()), dtype=np.float32)
        if emb.shape[0] != len(sentences):
            raise ParameterError(f"embedder returned {emb.shape[0]} vectors for {len(sentences)} sentences.")
        timings["embed"] = time.perf_counter() - t

        t = time.perf_counter()
        labels, pairs = align(sentences, emb, st)
        sentences["claim_id"] = labels
        timings["align"] = time.perf_counter() - t

        sentences = conform("sentences", sentences, {"outlet": outlets})
        t = time.perf_counter()
        articles = conform("articles", articles_frame(arts))
        copied, copies, pairs = detect_copies(st["copies"], articles, sentences, pairs)
        timeline = timeline_table(articles, sentences)
        timings["copies_timeline"] = time.perf_counter() - t
        claims = claims_table(sentences, emb, pairs, copied)
        coverage = coverage_table(sentences, outlets)
        agreement = agreement_table(coverage, pairs, outlets)
        timings["total"] = time.perf_counter() - t0
        meta = self._meta(st, sentences, pairs, timings)
        log.info("compared %d articles: %d sentences, %d claims, %d pairs judged", len(arts), len(sentences),
                 len(claims), len(pairs))
        return Comparison(articles=articles, sentences=sentences,
                          removed=conform("removed", removed, {"outlet": outlets}), claims=claims, pairs=pairs,
                          coverage=coverage, agreement=agreement, meta=meta,
                          skipped=conform("skipped", pd.DataFrame(skipped, columns=list(TABLES["skipped"]))),
                          copied_sentences=copied, copies=copies, timeline=timeline).validate()

    # --- steps --------------------------------------------------------------------------------

    @staticmethod
    def _segment(arts: list[Article], cleaner: Any, segmenter: Any, skipped: list[dict[str, Any]] | None = None,
                 titles: bool = True) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Sentences and removed spans of every article; an article without sentences raises, or is
        recorded in ``skipped`` (with its position in ``arts``) when that list is given. With ``titles``,
        the title line the cleaner found and its front matter (sub-headline, caption) are sentences too
        (``part`` ``title`` / ``front_matter``), in text order with the body's."""
        srows: list[dict[str, Any]] = []
        rrows: list[dict[str, Any]] = []
        for i, a in enumerate(arts):
            cleaned = cleaner.clean(a.text)
            spans = segmenter.segment(a.text, cleaned.kept)
            title = title_span(a, cleaned) if titles else None
            front = [r for r in cleaned.removed if r.reason == "front_matter"] if titles else []
            if not spans:
                exc = EmptyTextError(f"article {a.article_id!r} ({a.outlet}) has no sentences left after cleaning; "
                                     "check the text, or pass cleaner=NoCleaner().")
                if skipped is None:
                    raise exc
                skipped.append(skipped_record(a, i, "segment", exc))
                continue
            for r in cleaned.removed:
                if (title is not None and r.start == title.start and r.reason == "heading") or r in front:
                    continue  # compared as a sentence
                rrows.append({"article_id": a.article_id, "outlet": a.outlet, "char_start": r.start,
                              "char_end": r.end, "text": a.text[r.start:r.end], "reason": r.reason})
            parts = [(title, "title")] if title is not None else []
            for r in front:
                parts += [(x, "front_matter") for x in segmenter.segment(a.text, [Span(r.start, r.end)])]
            parts = sorted(parts + [(x, "body") for x in spans], key=lambda p: p[0].start)
            for pos, (s, part) in enumerate(parts):
                srows.append({"sentence_id": f"{a.article_id}:{s.start}-{s.end}", "article_id": a.article_id,
                              "outlet": a.outlet, "position": pos, "char_start": s.start, "char_end": s.end,
                              "text": a.text[s.start:s.end], "part": part})
        return pd.DataFrame(srows), pd.DataFrame(rrows, columns=["article_id", "outlet", "char_start", "char_end",
                                                                  "text", "reason"])

    @staticmethod
    def _meta(st: dict[str, Any], sentences: pd.DataFrame, pairs: pd.DataFrame,
              timings: dict[str, float]) -> dict[str, Any]:
        import claimcmp

        params = {slot: {"class": type(s).__name__, **(s.get_params() if hasattr(s, "get_params") else {})}
                  for slot, s in st.items()}
        for p in params.values():
            p.pop("vectors", None)
        return {
            "claimcmp_version": claimcmp.__version__,
            "python": platform.python_version(),
            "stages": params,
            "models": {"embed": getattr(st["embedder"], "model_name", None),
                       "nli": getattr(st["nli"], "model_name", None)},
            "nli_precision": st["nli"].resolved_precision() if hasattr(st["nli"], "resolved_precision") else None,
            "n_sentences": len(sentences),
            "judged_pairs": len(pairs),
            "naive_pairs": naive_pair_count(sentences["outlet"].astype(str).tolist()),
            "timings_s": {k: round(v, 4) for k, v in timings.items()},
        }


def title_span(article: Article, cleaned: Any) -> Any:
    """The span of the article's title line among the cleaner's removed headings: the heading that
    reads as the given ``title``, else the first line the cleaner took for the title (``cleaned.title``)."""
    if article.title:
        want = normalise(article.title)
        for r in cleaned.removed:
            if r.reason == "heading" and normalise(article.text[r.start:r.end]) == want:
                return Span(r.start, r.end)
    return getattr(cleaned, "title", None)


def threshold_stages(threshold: float) -> dict[str, Any]:
    """The ``verifier`` and ``clusterer`` stages that ``compare(threshold=T)`` uses: T is P(same claim)
    for a verified link and for two claims to merge."""
    t = float(check_number(threshold, "threshold", 0.0, 1.0, "a probability"))
    return {"verifier": SameClaimVerifier(threshold=t), "clusterer": LinkClusterer(threshold=t)}


def compare(articles: ArticlesLike, *, threshold: float | None = None, allow_single_outlet: bool = False,
            show_progress: bool = True, device: str = "cpu", on_bad_article: str = "raise", titles: bool = True,
            **stages: Any) -> Comparison:
    """Compare articles from several outlets about one event, with good defaults.

    ``threshold`` sets P(same claim) at which a candidate pair is a verified link and two claims
    merge (default calibrated on hand-labelled dev pairs; see docs/guide/alignment.md);
    ``device`` the torch device for both models; ``on_bad_article`` is ``"raise"`` (default) or
    ``"skip"`` (unusable articles are left out and listed in ``result.skipped``, see
    :class:`Comparator`); ``titles`` compares each article's title line and front matter as sentences
    (``sentences.part``); other keyword arguments are stage objects
    passed to :class:`Comparator` (``cleaner=``, ``segmenter=``, ``embedder=``, ...).
    """
    unknown = set(stages) - set(STAGE_METHODS)
    if unknown:
        raise ParameterError(f"Unknown option(s) {sorted(unknown)}; stages are {sorted(STAGE_METHODS)}.")
    check_device(device)
    check_bool(allow_single_outlet, "allow_single_outlet")
    check_bool(show_progress, "show_progress")
    check_choice(on_bad_article, "on_bad_article", ON_BAD_ARTICLE)
    check_bool(titles, "titles")
    if threshold is not None:
        if "clusterer" in stages or "verifier" in stages:
            raise ParameterError("Give either threshold= or verifier=/clusterer=, not both.")
        stages |= threshold_stages(threshold)
    if device != "cpu":
        stages.setdefault("embedder", SentenceEmbedder(device=device, show_progress=show_progress))
        stages.setdefault("nli", NLIJudge(device=device, show_progress=show_progress))
    return Comparator(allow_single_outlet=allow_single_outlet, show_progress=show_progress,
                      on_bad_article=on_bad_article, titles=titles, **stages).compare(articles)
