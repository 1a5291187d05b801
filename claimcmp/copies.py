"""Copy (syndication) detection: near-verbatim sentence pairs across outlets, and what they imply.

A sentence pair is *copied* when one outlet's sentence reproduces another's nearly word for word:
small edits (a word changed, dropped or added), clauses in another order, other punctuation or
quote marks. Independently written sentences that report the same fact in other words are not
copies, however close their meaning. :class:`CopyDetector` finds copied pairs among *all*
cross-outlet sentence pairs of an event (not only the retrieved candidates): a word-overlap
prefilter over every pair, then an edit-distance check on the survivors.

The module also derives what copies mean for the rest of a comparison: the ``copies`` table (one
row per article pair), the outlets of a claim counted once per copy group, and the direction of a
copy from the article dates.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from rapidfuzz import fuzz
from scipy import sparse

from claimcmp._checks import check_int
from claimcmp.errors import ParameterError
from claimcmp.schema import conform, empty

log = logging.getLogger("claimcmp")

#: Quote and dash variants folded before comparing (typographic quotes, guillemets, dashes).
_FOLD = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "‘": "'", "’": "'", "‚": "'",
                       "‹": "'", "›": "'", "—": "-", "–": "-", "‐": "-", "‑": "-", "−": "-"})
_NON_WORD = re.compile(r"[^\w]+|_")


def copy_normalise(text: str) -> str:
    """``text`` for copy checks: NFKC, quotes and dashes folded, case folded, punctuation dropped."""
    t = unicodedata.normalize("NFKC", text).translate(_FOLD).casefold()
    t = t.replace("'", "")  # "Assad's" and "Assads", "don't" and "dont" compare equal
    return " ".join(_NON_WORD.sub(" ", t).split())


def word_overlap(a: Sequence[str], b: Sequence[str]) -> float:
    """Share of the two word lists' words that the other has: 2·|a ∩ b| / (|a| + |b|) over multisets."""
    if not a and not b:
        return 0.0
    shared = sum((Counter(a) & Counter(b)).values())
    return 2.0 * shared / (len(a) + len(b))


def copy_score(a: str, b: str) -> float:
    """How nearly ``a`` reproduces ``b`` (0-1): the smaller of the word overlap and the edit similarity
    (rapidfuzz ``token_sort_ratio``, robust to reordered clauses) of the normalised texts."""
    na, nb = copy_normalise(a), copy_normalise(b)
    return min(word_overlap(na.split(), nb.split()), fuzz.token_sort_ratio(na, nb) / 100.0)


class CopyDetector:
    """Finds copied cross-outlet sentence pairs.

    A pair is copied when both sentences have at least ``min_words`` words after normalisation
    (:func:`copy_normalise`) and :func:`copy_score` is at least ``threshold``. Every cross-outlet
    pair is considered: a sparse word-set overlap over all pairs (``chunk_size`` rows at a time, so
    memory stays O(chunk · n)) keeps those whose set overlap reaches ``threshold``, then the exact
    score decides. The prefilter loses no copy: the multiset overlap in the score never exceeds the
    set overlap.

    Parameters
    ----------
    threshold:
        Lowest copy score of a copied pair. The default 0.7 detects copies with up to 20% of their
        words edited and calls no MSRP paraphrase sharing under half its words a copy
        (docs/benchmarks.md, "Copy detection").
    min_words:
        Sentences shorter than this (in words) are never copies: short lines ("He said.",
        "Read more") match by chance.
    chunk_size:
        Rows of the overlap matrix computed at once.
    """

    def __init__(self, threshold: float = 0.7, min_words: int = 6, chunk_size: int = 512) -> None:
        self.threshold = threshold
        self.min_words = min_words
        self.chunk_size = chunk_size

    def get_params(self) -> dict[str, object]:
        return {"threshold": self.threshold, "min_words": self.min_words, "chunk_size": self.chunk_size}

    def _check(self) -> None:
        if isinstance(self.threshold, bool) or not isinstance(self.threshold, (int, float, np.floating)) \
                or not 0.0 < float(self.threshold) <= 1.0:
            raise ParameterError(f"threshold must be a score in (0, 1], got {self.threshold!r}.")
        check_int(self.min_words, "min_words")
        check_int(self.chunk_size, "chunk_size")

    def score(self, texts_a: Sequence[str], texts_b: Sequence[str]) -> np.ndarray:
        """The copy score of each pair ``(texts_a[i], texts_b[i])``; 0 where a text is under ``min_words``."""
        self._check()
        if len(texts_a) != len(texts_b):
            raise ParameterError(f"score() needs equal-length lists, got {len(texts_a)} and {len(texts_b)}.")
        out = np.zeros(len(texts_a), dtype=np.float32)
        for i, (a, b) in enumerate(zip(texts_a, texts_b)):
            na, nb = copy_normalise(str(a)), copy_normalise(str(b))
            wa, wb = na.split(), nb.split()
            if len(wa) >= self.min_words and len(wb) >= self.min_words:
                out[i] = min(word_overlap(wa, wb), fuzz.token_sort_ratio(na, nb) / 100.0)
        return out

    def is_copy(self, texts_a: Sequence[str], texts_b: Sequence[str]) -> np.ndarray:
        """Whether each pair ``(texts_a[i], texts_b[i])`` is copied."""
        return self.score(texts_a, texts_b) >= float(self.threshold)

    def find(self, texts: Sequence[str], outlets: Sequence[str]) -> pd.DataFrame:
        """Every copied cross-outlet pair: ``idx_a`` < ``idx_b`` (row indices into ``texts``) and ``score``."""
        self._check()
        if len(texts) != len(outlets):
            raise ParameterError(f"find() got {len(texts)} texts and {len(outlets)} outlets.")
        norm = [copy_normalise(str(t)) for t in texts]
        words = [n.split() for n in norm]
        keep = np.array([len(w) >= self.min_words for w in words], dtype=bool)
        none = pd.DataFrame({"idx_a": pd.Series(dtype="int64"), "idx_b": pd.Series(dtype="int64"),
                             "score": pd.Series(dtype="float32")})
        if keep.sum() < 2:
            return none
        vocab: dict[str, int] = {}
        rows, cols = [], []
        for i, w in enumerate(words):
            if keep[i]:
                for tok in set(w):
                    rows.append(i)
                    cols.append(vocab.setdefault(tok, len(vocab)))
        n = len(texts)
        x = sparse.csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(n, len(vocab)))
        sizes = np.asarray(x.sum(axis=1)).ravel()
        codes = pd.factorize(pd.Series(list(outlets), dtype=object))[0]
        thr = float(self.threshold)
        found: list[tuple[int, int, float]] = []
        for s in range(0, n, int(self.chunk_size)):
            r = np.arange(s, min(s + int(self.chunk_size), n))
            shared = (x[r] @ x.T).toarray()
            dice = 2.0 * shared / np.maximum(sizes[r][:, None] + sizes[None, :], 1.0)
            dice[codes[r][:, None] == codes[None, :]] = 0.0
            dice[np.arange(n)[None, :] <= r[:, None]] = 0.0  # each unordered pair once, a < b
            dice[:, ~keep] = 0.0
            for i, j in zip(*np.nonzero(dice >= thr - 1e-6)):
                a, b = int(r[i]), int(j)
                sc = min(word_overlap(words[a], words[b]), fuzz.token_sort_ratio(norm[a], norm[b]) / 100.0)
                if sc >= thr:
                    found.append((a, b, sc))
        if not found:
            return none
        found.sort()
        return pd.DataFrame({"idx_a": np.array([f[0] for f in found], dtype=np.int64),
                             "idx_b": np.array([f[1] for f in found], dtype=np.int64),
                             "score": np.array([f[2] for f in found], dtype=np.float32)})


def parse_dates(dates: pd.Series) -> pd.Series:
    """Article dates (strings as given) as UTC timestamps; NaT where missing or unreadable."""
    def one(v: object) -> Any:
        if v is None or v is pd.NA or (isinstance(v, float) and v != v) or not str(v).strip():
            return pd.NaT
        try:
            ts = pd.Timestamp(str(v).strip())
        except (ValueError, OverflowError):
            return pd.NaT
        return ts.tz_convert("UTC") if ts.tzinfo is not None else ts.tz_localize("UTC")

    return pd.Series([one(v) for v in dates], index=dates.index, dtype="datetime64[ns, UTC]")


def copied_sentences_table(sentences: pd.DataFrame, found: pd.DataFrame, pair_keys: set[tuple[str, str]]
                           ) -> pd.DataFrame:
    """The documented ``copied_sentences`` table from :meth:`CopyDetector.find` rows."""
    if found.empty:
        return empty("copied_sentences")
    a = found["idx_a"].to_numpy(dtype=np.int64)
    b = found["idx_b"].to_numpy(dtype=np.int64)
    ids = sentences["sentence_id"].astype(str).to_numpy(dtype=object)
    arts = sentences["article_id"].astype(str).to_numpy(dtype=object)
    outs = sentences["outlet"].astype(str).to_numpy(dtype=object)
    claims = sentences["claim_id"].to_numpy(dtype=np.int64)
    texts = sentences["text"].astype(str).to_numpy(dtype=object)
    df = pd.DataFrame({
        "sentence_id_a": ids[a], "sentence_id_b": ids[b], "article_id_a": arts[a], "article_id_b": arts[b],
        "outlet_a": outs[a], "outlet_b": outs[b], "claim_id_a": claims[a], "claim_id_b": claims[b],
        "score": found["score"].to_numpy(dtype=np.float32),
        "verbatim": [copy_normalise(x) == copy_normalise(y) for x, y in zip(texts[a], texts[b])],
        "judged": [(x, y) in pair_keys for x, y in zip(ids[a], ids[b])],
    })
    out_names = sorted(set(outs))
    return conform("copied_sentences", df, {"outlet_a": out_names, "outlet_b": out_names})


def copies_table(articles: pd.DataFrame, sentences: pd.DataFrame, copied: pd.DataFrame) -> pd.DataFrame:
    """One row per article pair with copied sentences: shares copied and the direction by date."""
    if copied.empty:
        return empty("copies")
    n_sent = sentences.groupby("article_id", observed=True).size()
    info = articles.set_index("article_id")
    when = parse_dates(info["date"])
    rows = []
    for key, grp in copied.groupby(["article_id_a", "article_id_b"], sort=True):
        aa, ab = str(key[0]), str(key[1])
        da, db = when.get(aa, pd.NaT), when.get(ab, pd.NaT)
        if pd.isna(da) or pd.isna(db) or da == db:
            direction, source = "unknown", None
        else:
            direction, source = ("a->b", aa) if da < db else ("b->a", ab)
        rows.append({
            "article_id_a": aa, "article_id_b": ab, "outlet_a": info.at[aa, "outlet"],
            "outlet_b": info.at[ab, "outlet"],
            "n_copied": len(grp), "share_a": grp["sentence_id_a"].nunique() / float(n_sent.get(aa, 1)),
            "share_b": grp["sentence_id_b"].nunique() / float(n_sent.get(ab, 1)),
            "n_verbatim": int(grp["verbatim"].sum()), "direction": direction, "source_article_id": source,
        })
    outs = sorted(set(articles["outlet"].astype(str)))
    return conform("copies", pd.DataFrame(rows), {"outlet_a": outs, "outlet_b": outs})


def _n_groups(nodes: list[str], links: list[tuple[str, str]]) -> int:
    """Connected components of ``nodes`` under ``links`` (edges to unknown nodes are ignored)."""
    parent = {o: o for o in nodes}

    def root(o: str) -> str:
        while parent[o] != o:
            parent[o] = parent[parent[o]]
            o = parent[o]
        return o

    for a, b in links:
        if a in parent and b in parent:
            parent[root(a)] = root(b)
    return len({root(o) for o in nodes})


def independent_outlets(sentences: pd.DataFrame, copied: pd.DataFrame) -> pd.Series:
    """claim_id -> outlets of the claim counted once per copy group (outlets linked by copied sentences
    of that claim collapse into one)."""
    inside = copied[copied["claim_id_a"] == copied["claim_id_b"]]
    links: dict[int, list[tuple[str, str]]] = {}
    for cid, oa, ob in zip(inside["claim_id_a"].tolist(), inside["outlet_a"].astype(str),
                           inside["outlet_b"].astype(str)):
        links.setdefault(int(cid), []).append((oa, ob))
    out: dict[int, int] = {}
    # group by an array, not a list: pandas reads a one-element list as a list of keys (giving "(0,)")
    for cid, grp in sentences.groupby(sentences["claim_id"].astype("int64").to_numpy(), sort=True):
        out[int(str(cid))] = _n_groups(sorted(set(grp["outlet"].astype(str))), links.get(int(str(cid)), []))
    return pd.Series(out, dtype="int64")


def mark_copied(pairs: pd.DataFrame, copied: pd.DataFrame) -> np.ndarray:
    """``pairs.copied``: whether each judged pair is among the copied sentence pairs."""
    keys = set(zip(copied["sentence_id_a"].astype(str), copied["sentence_id_b"].astype(str)))
    return np.array([(a, b) in keys for a, b in zip(pairs["sentence_id_a"].astype(str),
                                                    pairs["sentence_id_b"].astype(str))], dtype=bool)


def detect_copies(detector: object, articles: pd.DataFrame, sentences: pd.DataFrame, pairs: pd.DataFrame
                  ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Run the ``copies`` stage: the ``copied_sentences`` and ``copies`` tables, and ``pairs`` with ``copied`` set."""
    texts = sentences["text"].astype(str).tolist()
    outlets = sentences["outlet"].astype(str).to_numpy(dtype=object)
    found = detector.find(texts, list(outlets))  # type: ignore[attr-defined]
    if not isinstance(found, pd.DataFrame) or not {"idx_a", "idx_b", "score"} <= set(found.columns):
        raise ParameterError(f"copies={detector!r}: find() must return a DataFrame with idx_a, idx_b and score.")
    a = found["idx_a"].to_numpy(dtype=np.int64)
    b = found["idx_b"].to_numpy(dtype=np.int64)
    if len(a) and (min(a.min(), b.min()) < 0 or max(a.max(), b.max()) >= len(texts) or (a == b).any()
                   or (outlets[a] == outlets[b]).any()):
        raise ParameterError(f"copies={detector!r} returned pairs out of range or within one outlet.")
    found = pd.DataFrame({"idx_a": np.minimum(a, b), "idx_b": np.maximum(a, b),
                          "score": found["score"].to_numpy(dtype=np.float32)})
    found = found.drop_duplicates(["idx_a", "idx_b"]).sort_values(["idx_a", "idx_b"])
    keys = set(zip(pairs["sentence_id_a"].astype(str), pairs["sentence_id_b"].astype(str)))
    copied = copied_sentences_table(sentences, found, keys)
    pairs = pairs.copy()
    pairs["copied"] = mark_copied(pairs, copied)
    log.info("found %d copied sentence pairs (%d also judged)", len(copied), int(copied["judged"].sum()))
    return copied, copies_table(articles, sentences, copied), pairs
