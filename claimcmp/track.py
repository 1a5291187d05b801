"""Track claims across outlets: which articles carry each claim, and how (support, deny, report, absent).

:func:`track` takes claims (a list of strings, or a DataFrame with ``claim_id`` and ``text``) and the
usual articles, and returns one row per (claim, article) with the best-matching sentence, its stance
toward the claim and the probabilities behind it. It runs the stages of :func:`claimcmp.compare`:
cleaner, segmenter, embedder (retrieval of each article's ``k`` nearest sentences to the claim), the
NLI model (both directions), the same-claim verifier and the stance judge, and the attribution and
hedging rules of :mod:`claimcmp.framing`. Columns: :data:`claimcmp.schema.TRACK_TABLES`.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from claimcmp.api import ON_BAD_ARTICLE, Comparator
from claimcmp.articles import ArticlesLike, to_articles, to_articles_skipping
from claimcmp.errors import ClaimsError, EmptyTextError, NoArticlesError, ParameterError, TextTypeError
from claimcmp.framing.attribution import MODES, attribute_sentence
from claimcmp.schema import TRACK_STANCES, conform
from claimcmp.stages.nli import NLI_LABELS
from claimcmp.stages.retrieve import DEFAULT_FLOOR, normalise
from claimcmp.stages.stance import Judgement, different_speakers

log = logging.getLogger("claimcmp")

#: Stage slots :class:`Tracker` uses (a subset of :data:`claimcmp.api.STAGE_METHODS`).
TRACK_STAGES = ("cleaner", "segmenter", "embedder", "nli", "verifier", "stance")
#: Reporting verbs whose content the speaker rejects: a sentence reporting such a verb denies the claim.
DENIAL_VERBS = frozenset({"deny"})
_DENIAL = re.compile(r"\b(?:denied|denies|rejected|rejects|dismissed|dismisses|refuted|refutes)\s+(?:the\s+)?"
                     r"(?:that|reports?|claims?|allegations?|rumou?rs?|suggestions?|accounts?)\b", re.I)
_QUESTION = re.compile(r"\?\s*[\"'”’)\]]*\s*$")
#: Default P(sentence entails claim) at which a sentence matches whatever its P(same claim): chosen on the dev
#: gold (benchmarks/gold/track_dev.jsonl; docs/benchmarks.md, "Tracking claims"), where it finds the long
#: detailed sentences that state a short claim the verifier scores under its threshold.
MATCH_ENTAIL: float | None = 0.5


def claims_frame(claims: Any) -> pd.DataFrame:
    """Validate claims given as a list of strings or a DataFrame with ``claim_id`` and ``text``.

    Returns a DataFrame ``claim_id`` (int64), ``text`` (string). Raises :class:`ClaimsError` (no
    claims, missing column, non-integer or duplicate ``claim_id``), :class:`TextTypeError` (a claim
    that is not a string) or :class:`EmptyTextError` (an empty claim).
    """
    if claims is None:
        raise ClaimsError("No claims given (got None).")
    if isinstance(claims, (str, bytes)):
        raise TextTypeError("claims must be a list of strings or a DataFrame with claim_id and text, not a "
                            "single string; wrap it in a list: track([claim], articles).")
    if isinstance(claims, pd.DataFrame):
        missing = [c for c in ("claim_id", "text") if c not in claims.columns]
        if missing:
            raise ClaimsError(f"The claims DataFrame has no {missing} column(s) (columns: {list(claims.columns)}).")
        ids: list[Any] = claims["claim_id"].tolist()
        texts: list[Any] = claims["text"].tolist()
    else:
        if not isinstance(claims, Iterable):
            raise TextTypeError(f"claims must be a list of strings or a DataFrame, got {type(claims).__name__}.")
        texts = list(claims)
        ids = list(range(len(texts)))
    if not texts:
        raise ClaimsError("No claims given: the input is empty.")
    seen: set[int] = set()
    for cid, text in zip(ids, texts):
        if isinstance(cid, bool) or not isinstance(cid, (int, np.integer)):
            raise ClaimsError(f"claim_id must be an integer, got {cid!r} ({type(cid).__name__}).")
        if int(cid) in seen:
            raise ClaimsError(f"claim_id {int(cid)} is used twice; ids must be unique.")
        seen.add(int(cid))
        if not isinstance(text, str):
            raise TextTypeError(f"claim {int(cid)}: text must be a string, got {type(text).__name__}.")
        if not text.strip():
            raise EmptyTextError(f"claim {int(cid)} is empty or whitespace only.")
    return pd.DataFrame({"claim_id": pd.Series([int(i) for i in ids], dtype="int64"),
                         "text": pd.Series(texts, dtype="string")})


@dataclass(frozen=True)
class Decision:
    """The stance of one article's best sentence toward one claim, with the rule that gave it."""

    stance: str
    basis: str
    speaker: str | None = None
    mode: str | None = None
    certainty: str | None = None
    conflict_kind: str | None = None


def decide(claim: str, sentence: str, judgement: Judgement, p_entail: float, entail: float) -> Decision:
    """Stance of a sentence that states the same claim (the order of the checks is documented in
    docs/guide/track.md): deny, report (hedged, questioned or attributed), support (entailed), report."""
    att = attribute_sentence(sentence)
    claim_speaker = attribute_sentence(claim).speaker
    speaker = att.speaker if att.mode != "own_voice" else None
    # "X said Y" states Y as fact when the claim itself is "X said Y"
    own = speaker is None or (claim_speaker is not None and not different_speakers(claim_speaker, speaker))
    hedged = judgement.certainty_b == "hedged"
    question = bool(_QUESTION.search(sentence))
    info: dict[str, Any] = {"speaker": speaker, "mode": att.mode, "certainty": judgement.certainty_b}
    denial = att.reporting_verb in DENIAL_VERBS or bool(_DENIAL.search(sentence))
    if judgement.stance in ("contradict", "disputed") or (denial and not _DENIAL.search(claim)):
        kind = judgement.conflict_kind or ("denial" if denial else "nli")
        if hedged or question:
            return Decision("report", f"hedged or questioned counter-claim ({kind})",
                            conflict_kind=judgement.conflict_kind, **info)
        who = f" by {speaker}" if speaker else ""
        return Decision("deny", f"contradicts the claim ({kind}){who}", conflict_kind=judgement.conflict_kind, **info)
    if question:
        return Decision("report", "asked as a question", **info)
    if hedged:
        return Decision("report", "hedged", **info)
    if not own:
        return Decision("report", f"attributed to {speaker}", **info)
    if p_entail >= entail or normalise(claim) == normalise(sentence):
        return Decision("support", f"stated as fact (P(entail) {p_entail:.2f})", **info)
    return Decision("report", f"same claim, not entailed (P(entail) {p_entail:.2f})", **info)


class Tracker:
    """Tracks claims through articles; each stage is an object and can be swapped (see :class:`Comparator`).

    For every (claim, article): the article's ``k`` sentences nearest to the claim by embedding are
    retrieved; those with cosine >= ``floor`` are judged by the NLI model both ways and by the
    same-claim verifier; a sentence matches when its P(same claim) is at or above the verifier's
    threshold, or when the NLI model says it entails the claim (P >= ``match_entail``: a long detailed
    sentence that states a short claim); the best match (highest P(same claim)) gives the stance, from
    the stance judge and :func:`decide`.

    Parameters
    ----------
    k:
        Sentences retrieved per (claim, article) before judging.
    floor:
        Lowest cosine at which a retrieved sentence is judged (lower: ``absent`` without NLI).
    entail:
        P(sentence entails claim) at or above which an own-voice, unhedged match is ``support``.
    match_entail:
        P(sentence entails claim) at or above which a sentence matches whatever its P(same claim)
        (default :data:`MATCH_ENTAIL`, 0.5); ``None`` turns this off (matches by P(same claim) only).
    on_bad_article:
        ``"raise"`` (default) or ``"skip"``: an unusable article is left out, logged, and listed in
        ``result.attrs["skipped"]`` (records with the columns of the ``skipped`` table).
    cleaner, segmenter, embedder, nli, verifier, stance:
        Stage objects (``None``: the defaults of :class:`Comparator`).
    """

    def __init__(self, k: int = 3, floor: float = DEFAULT_FLOOR, entail: float = 0.5,
                 match_entail: float | None = MATCH_ENTAIL, on_bad_article: str = "raise",
                 cleaner: Any = None, segmenter: Any = None, embedder: Any = None, nli: Any = None,
                 verifier: Any = None, stance: Any = None, show_progress: bool = False) -> None:
        self.k = k
        self.floor = floor
        self.entail = entail
        self.match_entail = match_entail
        self.on_bad_article = on_bad_article
        self.cleaner = cleaner
        self.segmenter = segmenter
        self.embedder = embedder
        self.nli = nli
        self.verifier = verifier
        self.stance = stance
        self.show_progress = show_progress

    def get_params(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in ("k", "floor", "entail", "match_entail", "on_bad_article",
                                              *TRACK_STAGES,
                                              "show_progress")}

    def _check(self) -> None:
        if isinstance(self.k, bool) or not isinstance(self.k, (int, np.integer)) or self.k < 1:
            raise ParameterError(f"k must be an integer >= 1, got {self.k!r}.")
        for name, lo in (("floor", -1.0), ("entail", 0.0)):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, (int, float, np.floating)) or not lo <= float(v) <= 1.0:
                raise ParameterError(f"{name} must be a number in [{lo:g}, 1], got {v!r}.")
        m = self.match_entail
        if m is not None and (isinstance(m, bool) or not isinstance(m, (int, float, np.floating))
                              or not 0.0 <= float(m) <= 1.0):
            raise ParameterError(f"match_entail must be None or a number in [0, 1], got {m!r}.")
        if self.on_bad_article not in ON_BAD_ARTICLE:
            raise ParameterError(f"on_bad_article={self.on_bad_article!r}; use one of {ON_BAD_ARTICLE}.")

    def stages(self) -> dict[str, Any]:
        """The stage objects in use (defaults filled in and checked by :meth:`Comparator.stages`)."""
        st = Comparator(show_progress=self.show_progress, **{s: getattr(self, s) for s in TRACK_STAGES}).stages()
        return {s: st[s] for s in TRACK_STAGES}

    def track(self, claims: Any, articles: ArticlesLike) -> pd.DataFrame:
        """One row per (claim, article); see :func:`track`."""
        t0 = time.perf_counter()
        self._check()
        cl = claims_frame(claims)
        skip = self.on_bad_article == "skip"
        valid, skipped = to_articles_skipping(articles) if skip else (to_articles(articles), [])
        valid = sorted(valid, key=lambda a: a.article_id)
        st = self.stages()
        sentences, _ = Comparator._segment(valid, st["cleaner"], st["segmenter"], skipped if skip else None)
        dropped = {r["position"] for r in skipped if r["stage"] == "segment"}
        arts = [a for i, a in enumerate(valid) if i not in dropped]
        for r in skipped:
            log.warning("skipped article %s: %s", r["article_id"] or f"#{r['position']}", r["message"])
        if not arts:
            raise NoArticlesError(f"All {len(skipped)} article(s) were skipped as unusable: "
                                  + "; ".join(r["message"] for r in skipped[:3]))
        claim_texts = [str(t).strip() for t in cl["text"]]
        sent_texts = sentences["text"].astype(str).tolist()
        emb = np.asarray(st["embedder"].embed(claim_texts + sent_texts), dtype=np.float32)
        if emb.shape[0] != len(claim_texts) + len(sent_texts):
            raise ParameterError(f"embedder returned {emb.shape[0]} vectors for "
                                 f"{len(claim_texts) + len(sent_texts)} texts.")
        cemb, semb = emb[: len(claim_texts)], emb[len(claim_texts):]
        cand = self._retrieve(cemb, semb, sentences["article_id"].astype(str).to_numpy(), [a.article_id for a in arts])
        rows = self._judge(cand, claim_texts, sent_texts, st)
        out = self._table(rows, cl, arts, sentences)
        outlets = sorted({a.outlet for a in arts})
        df = conform("track", out, {"outlet": outlets, "stance": TRACK_STANCES, "mode": MODES})
        df.attrs["skipped"] = skipped
        df.attrs["meta"] = {"params": {k: v for k, v in self.get_params().items() if k not in TRACK_STAGES},
                            "models": {"embed": getattr(st["embedder"], "model_name", None),
                                       "nli": getattr(st["nli"], "model_name", None)},
                            "threshold": float(getattr(st["verifier"], "threshold", 0.5)),
                            "n_claims": len(cl), "n_articles": len(arts), "n_sentences": len(sentences),
                            "judged_pairs": int(sum(r["judged"] for r in cand)),
                            "seconds": round(time.perf_counter() - t0, 4)}
        log.info("tracked %d claims through %d articles: %s", len(cl), len(arts),
                 df["stance"].value_counts().to_dict())
        return df

    # --- steps --------------------------------------------------------------------------------

    def _retrieve(self, cemb: np.ndarray, semb: np.ndarray, sent_article: np.ndarray,
                  article_ids: list[str]) -> list[dict[str, Any]]:
        """The ``k`` nearest sentences of each article to each claim: (claim, article, sentence, cosine)."""
        out: list[dict[str, Any]] = []
        k = int(self.k)
        for aid in article_ids:
            idx = np.flatnonzero(sent_article == aid)
            sims = cemb @ semb[idx].T  # (claims, sentences of the article)
            order = np.argsort(-sims, axis=1, kind="stable")[:, :k]
            for ci in range(len(cemb)):
                for rank, j in enumerate(order[ci]):
                    cos = float(sims[ci, j])
                    out.append({"claim": ci, "article_id": aid, "sentence": int(idx[j]), "cosine": cos,
                                "rank": rank, "judged": cos >= float(self.floor)})
        return out

    def _judge(self, cand: list[dict[str, Any]], claims: list[str], sents: list[str],
               st: dict[str, Any]) -> list[dict[str, Any]]:
        """NLI both ways and P(same claim) for the judged candidates; the best one per (claim, article)."""
        todo = [c for c in cand if c["judged"]]
        if todo:
            c_txt = [claims[c["claim"]] for c in todo]
            s_txt = [sents[c["sentence"]] for c in todo]
            probs = st["nli"].judge(s_txt + c_txt, c_txt + s_txt)[list(NLI_LABELS)].to_numpy(dtype=np.float32)
            if probs.shape != (2 * len(todo), 3):
                raise ParameterError(f"nli returned {probs.shape[0]} rows for {2 * len(todo)} pairs.")
            sc, cs = probs[: len(todo)], probs[len(todo):]
            cos = np.array([c["cosine"] for c in todo], dtype=np.float32)
            prob = np.asarray(st["verifier"].verify(c_txt, s_txt, cos, cs, sc), dtype=np.float32)
            for i, c in enumerate(todo):
                c.update(sc=sc[i], cs=cs[i], prob=float(prob[i]))
        threshold = float(getattr(st["verifier"], "threshold", 0.5))
        groups: dict[tuple[int, str], list[dict[str, Any]]] = {}
        for c in cand:
            groups.setdefault((c["claim"], c["article_id"]), []).append(c)
        m_entail = None if self.match_entail is None else float(self.match_entail)
        best = []
        for group in groups.values():
            judged = [c for c in group if c["judged"]]
            matches = sorted((c for c in judged if c["prob"] >= threshold
                              or (m_entail is not None and float(c["sc"][0]) >= m_entail)),
                             key=lambda c: (-c["prob"], -c["cosine"], c["rank"]))
            top = matches[0] if matches else (max(judged, key=lambda c: (c["prob"], c["cosine"], -c["rank"]))
                                              if judged else group[0])
            best.append({**top, "matches": [c["sentence"] for c in matches]})
        hits = [b for b in best if b["matches"]]
        if hits:
            judgements = st["stance"].judge([claims[b["claim"]] for b in hits], [sents[b["sentence"]] for b in hits],
                                            np.stack([b["cs"] for b in hits]), np.stack([b["sc"] for b in hits]),
                                            [True] * len(hits))
            for b, j in zip(hits, judgements):
                b["decision"] = decide(claims[b["claim"]], sents[b["sentence"]], j, float(b["sc"][0]),
                                       float(self.entail))
        for b in best:
            if not b["matches"]:
                b["decision"] = Decision("absent", "no sentence with cosine >= floor" if not b["judged"] else
                                         f"no sentence with P(same claim) >= {threshold:g}"
                                         + ("" if m_entail is None else f" or P(entail) >= {m_entail:g}"))
        return best

    @staticmethod
    def _table(rows: list[dict[str, Any]], cl: pd.DataFrame, arts: list[Any], sentences: pd.DataFrame) -> pd.DataFrame:
        by_id = {a.article_id: a for a in arts}
        ids = sentences["sentence_id"].astype(str).tolist()
        starts, ends = sentences["char_start"].tolist(), sentences["char_end"].tolist()
        texts = sentences["text"].astype(str).tolist()
        nan3 = np.full(3, np.nan, dtype=np.float32)
        claim_ids = cl["claim_id"].astype("int64").tolist()
        out = []
        for r in rows:
            a, d, j = by_id[r["article_id"]], r["decision"], r["sentence"]
            sc, cs = r.get("sc", nan3), r.get("cs", nan3)
            out.append({
                "claim_id": claim_ids[r["claim"]], "claim_text": cl["text"].iat[r["claim"]],
                "article_id": a.article_id, "outlet": a.outlet, "date": a.date, "stance": d.stance, "basis": d.basis,
                "sentence_id": ids[j], "sentence_ids": "; ".join(ids[m] for m in r["matches"]) or None,
                "n_matches": len(r["matches"]), "char_start": starts[j], "char_end": ends[j], "sentence": texts[j],
                "speaker": d.speaker, "mode": d.mode, "certainty": d.certainty, "conflict_kind": d.conflict_kind,
                "cosine": r["cosine"], "same_claim_prob": r.get("prob", np.nan), "p_entail": sc[0],
                "p_neutral": sc[1], "p_contradict": sc[2], "p_entail_rev": cs[0], "p_contradict_rev": cs[2],
            })
        df = pd.DataFrame(out)
        return df.sort_values(["claim_id", "article_id"], kind="stable")


def track(claims: Any, articles: ArticlesLike, *, k: int = 3, threshold: float | None = None,
          on_bad_article: str = "raise", device: str = "cpu", show_progress: bool = False,
          **stages: Any) -> pd.DataFrame:
    """Track each claim through every article: one row per (claim, article), columns in
    docs/reference/tables.md (``track``).

    ``claims``: a list of strings (``claim_id`` 0..n-1 in order) or a DataFrame with ``claim_id``
    and ``text``. ``articles``: as for :func:`claimcmp.compare`. ``stance`` is ``support`` (the
    article states the claim as fact), ``deny`` (it states the opposite, or reports a denial),
    ``report`` (it carries the claim without endorsing it: attributed, hedged, questioned) or
    ``absent``. ``k``: sentences per article retrieved before judging; ``threshold``: P(same claim)
    for a match (default: the verifier's calibrated threshold); ``on_bad_article``: ``"raise"`` or
    ``"skip"`` (skipped articles are listed in ``result.attrs["skipped"]``); other keyword
    arguments are stage objects (``cleaner=``, ``segmenter=``, ``embedder=``, ``nli=``,
    ``verifier=``, ``stance=``) or :class:`Tracker` options (``floor=``, ``entail=``, ``match_entail=``).
    """
    from claimcmp.stages.embed import SentenceEmbedder
    from claimcmp.stages.nli import NLIJudge
    from claimcmp.stages.verify import SameClaimVerifier

    options = {o: stages.pop(o) for o in ("floor", "entail", "match_entail") if o in stages}
    unknown = set(stages) - set(TRACK_STAGES)
    if unknown:
        raise ParameterError(f"Unknown option(s) {sorted(unknown)}; stages are {list(TRACK_STAGES)}, options k, "
                             "threshold, floor, entail, match_entail, on_bad_article, device, show_progress.")
    if threshold is not None:
        if "verifier" in stages:
            raise ParameterError("Give either threshold= or verifier=, not both.")
        if isinstance(threshold, bool) or not isinstance(threshold, (int, float, np.floating)) \
                or not 0.0 <= float(threshold) <= 1.0:
            raise ParameterError(f"threshold must be a probability in [0, 1], got {threshold!r}.")
        stages["verifier"] = SameClaimVerifier(threshold=float(threshold))
    if device != "cpu":
        stages.setdefault("embedder", SentenceEmbedder(device=device, show_progress=show_progress))
        stages.setdefault("nli", NLIJudge(device=device, show_progress=show_progress))
    return Tracker(k=k, on_bad_article=on_bad_article, show_progress=show_progress, **options,
                   **stages).track(claims, articles)
