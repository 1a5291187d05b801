"""Same-claim verification: does a candidate pair of sentences state one claim (agreeing or not)?"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence

import numpy as np

from claimcmp._checks import check_number
from claimcmp.errors import ParameterError
from claimcmp.stages.retrieve import normalise

#: Feature names, in the order of :func:`pair_features`' columns.
FEATURES = ("cosine", "entail_max", "entail_min", "contra_max", "overlap", "jaccard", "names", "numbers")

#: Logistic-regression weights of the default verifier (C=10), fitted by ``python -m benchmarks.fit_verifier``
#: on the hand-labelled dev pairs (benchmarks/gold/claim_pairs_dev.jsonl); the weights fitted on ECB+
#: and STS headlines alone recalled less at the same precision (docs/guide/alignment.md).
DEFAULT_WEIGHTS: dict[str, float] = {
    "intercept": -6.9586, "cosine": 8.6288, "entail_max": 0.4555, "overlap": 1.5323, "jaccard": 2.7742,
}
#: Default decision threshold on P(same claim), chosen on the hand-labelled dev pairs.
DEFAULT_VERIFY_THRESHOLD = 0.5

_WORD = re.compile(r"[A-Za-z][A-Za-z'’\-]*[A-Za-z]|[A-Za-z]|\d[\d,.]*\d|\d")
_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-zA-Z'’\-]+")
_NUM = re.compile(r"\d[\d,.]*\d|\d")
STOP = frozenset("""
a about above after again against all also am an and any are as at be because been before being below between
both but by can could did do does doing down during each few for from further had has have having he her here
hers herself him himself his how i if in into is it its itself just me more most my myself no nor not now of off
on once only or other our ours out over own said same says she should so some such than that the their theirs
them then there these they this those through to told too under until up very was we were what when where which
while who whom why will with would you your mr ms mrs one two
""".split())


def content_words(text: str) -> set[str]:
    """Lower-cased words of ``text`` without stop words (a crude stem: trailing 's' dropped)."""
    out = set()
    for w in _WORD.findall(normalise(text)):
        w = w.strip("'’-")
        if w and w not in STOP:
            out.add(w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w)
    return out


def _ratio(a: set[str], b: set[str], denom: int) -> float:
    return len(a & b) / denom if denom else 0.0


def pair_features(texts_a: Sequence[str], texts_b: Sequence[str], cosine: np.ndarray, nli_ab: np.ndarray,
                  nli_ba: np.ndarray) -> np.ndarray:
    """An ``(n, len(FEATURES))`` float array: cosine, NLI both ways (columns E, N, C) and word overlaps."""
    n = len(texts_a)
    out = np.zeros((n, len(FEATURES)), dtype=np.float64)
    if n == 0:
        return out
    out[:, 0] = cosine
    out[:, 1] = np.maximum(nli_ab[:, 0], nli_ba[:, 0])
    out[:, 2] = np.minimum(nli_ab[:, 0], nli_ba[:, 0])
    out[:, 3] = np.maximum(nli_ab[:, 2], nli_ba[:, 2])
    for i, (ta, tb) in enumerate(zip(texts_a, texts_b)):
        wa, wb = content_words(ta), content_words(tb)
        out[i, 4] = _ratio(wa, wb, min(len(wa), len(wb)))
        out[i, 5] = _ratio(wa, wb, len(wa | wb))
        na, nb = set(_NAME.findall(ta)), set(_NAME.findall(tb))
        out[i, 6] = _ratio(na, nb, min(len(na), len(nb)))
        ua, ub = set(_NUM.findall(ta)), set(_NUM.findall(tb))
        out[i, 7] = _ratio(ua, ub, min(len(ua), len(ub)))
    return out


class SameClaimVerifier:
    """P(same claim) for candidate pairs, from a logistic model over :data:`FEATURES`.

    Two sentences state the same claim when they report the same fact, event, statement or question,
    whether they agree about it or not ("12 killed" and "30 killed" in one attack are one claim).
    Identical sentences (after :func:`~claimcmp.stages.retrieve.normalise`) always are.

    Parameters
    ----------
    threshold:
        P(same claim) at or above which a pair is a verified link.
    weights:
        ``{"intercept": b, feature: w, ...}``; ``None`` uses :data:`DEFAULT_WEIGHTS`.
    """

    def __init__(self, threshold: float = DEFAULT_VERIFY_THRESHOLD,
                 weights: Mapping[str, float] | None = None) -> None:
        self.threshold = threshold
        self.weights = weights

    def get_params(self) -> dict[str, object]:
        return {"threshold": self.threshold, "weights": None if self.weights is None else dict(self.weights)}

    def _weights(self) -> tuple[float, np.ndarray]:
        w = dict(DEFAULT_WEIGHTS if self.weights is None else self.weights)
        unknown = set(w) - {"intercept", *FEATURES}
        if unknown:
            raise ParameterError(f"weights name unknown features {sorted(unknown)}; features are {list(FEATURES)}.")
        vals = [w.get("intercept", 0.0), *(w.get(f, 0.0) for f in FEATURES)]
        if not all(isinstance(v, (int, float)) and math.isfinite(v) for v in vals):
            raise ParameterError("weights must be finite numbers.")
        return float(vals[0]), np.array(vals[1:], dtype=np.float64)

    def check(self) -> None:
        """Raise ParameterError if the parameters are unusable."""
        check_number(self.threshold, "threshold", 0.0, 1.0, "a probability")
        if self.weights is not None and not isinstance(self.weights, Mapping):
            raise ParameterError(f"weights must be None or a mapping, got {type(self.weights).__name__}.")
        self._weights()

    def verify(self, texts_a: Sequence[str], texts_b: Sequence[str], cosine: np.ndarray, nli_ab: np.ndarray,
               nli_ba: np.ndarray) -> np.ndarray:
        """P(same claim) per pair (float32); identical texts give 1."""
        self.check()
        b, w = self._weights()
        x = pair_features(texts_a, texts_b, np.asarray(cosine, dtype=np.float64), np.asarray(nli_ab),
                          np.asarray(nli_ba))
        p = 1.0 / (1.0 + np.exp(-(x @ w + b)))
        same = np.array([normalise(a) == normalise(c) for a, c in zip(texts_a, texts_b)], dtype=bool)
        p[same] = 1.0
        return p.astype(np.float32)
