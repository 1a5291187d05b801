"""Stance of a same-claim pair: agree, partial, contradict (with evidence), disputed or unrelated."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

from claimcmp.errors import ParameterError
from claimcmp.stages.conflict import Conflict, find_conflict
from claimcmp.stages.retrieve import normalise

STANCES = ("agree", "partial", "contradict", "disputed", "unrelated")


@dataclass(frozen=True)
class Judgement:
    """One pair's stance with its evidence (spans relative to each sentence) and speakers/certainty."""

    stance: str
    conflict_kind: str | None = None
    span_a: tuple[int, int] | None = None
    span_b: tuple[int, int] | None = None
    speaker_a: str | None = None
    speaker_b: str | None = None
    certainty_a: str = "asserted"
    certainty_b: str = "asserted"


@lru_cache(maxsize=65536)
def _speaker(text: str) -> str | None:
    from claimcmp.framing.attribution import attribute_sentence

    att = attribute_sentence(text)
    return att.speaker if att.mode != "own_voice" and att.speaker else None


@lru_cache(maxsize=65536)
def _certainty(text: str) -> str:
    from claimcmp.framing.hedging import find_markers

    return "hedged" if find_markers(text) else "asserted"


def different_speakers(a: str | None, b: str | None) -> bool:
    """Both statements are attributed, to speakers that are not one another (by name overlap)."""
    if not a or not b:
        return False
    wa = {w for w in normalise(a).replace(".", " ").split() if len(w) > 2 and w not in {"the", "and", "his", "her"}}
    wb = {w for w in normalise(b).replace(".", " ").split() if len(w) > 2 and w not in {"the", "and", "his", "her"}}
    return bool(wa) and bool(wb) and not (wa & wb)


class StanceJudge:
    """Stance of cross-outlet pairs that are one claim; pairs of different claims are ``unrelated``.

    For a same-claim pair, in order:

    1. a fact conflict (:func:`~claimcmp.stages.conflict.find_conflict`: a number, date or name that
       differs, or a negation of what the other states, the last only when the NLI model also gives
       contradiction at least ``polarity_nli`` one way) is ``contradict``, with the two spans;
    2. so is contradiction at least ``nli_contradiction`` in both directions (``conflict_kind="nli"``);
    3. a conflict of either kind between statements attributed to different speakers, or
       contradiction at least ``dispute_nli`` one way between different speakers, is ``disputed``:
       a debate both outlets report, not a conflict between the outlets;
    4. otherwise ``agree`` when entailment is the top label both ways (or the texts are identical),
       else ``partial`` (one side adds or omits detail; both can be true).

    ``certainty_*`` is ``hedged`` when the sentence has a hedging marker
    (:data:`claimcmp.framing.HEDGE_LEXICON`), ``speaker_*`` the attributed speaker, if any.
    """

    def __init__(self, nli_contradiction: float = 0.9, polarity_nli: float = 0.5, dispute_nli: float = 0.9) -> None:
        self.nli_contradiction = nli_contradiction
        self.polarity_nli = polarity_nli
        self.dispute_nli = dispute_nli

    def get_params(self) -> dict[str, object]:
        return {"nli_contradiction": self.nli_contradiction, "polarity_nli": self.polarity_nli,
                "dispute_nli": self.dispute_nli}

    def check(self) -> None:
        """Raise ParameterError if a parameter is unusable."""
        for name, v in self.get_params().items():
            if isinstance(v, bool) or not isinstance(v, (int, float, np.floating)) or not 0.0 <= float(v) <= 1.1:
                raise ParameterError(f"{name} must be a probability in [0, 1] (or above 1 to turn it off), "
                                     f"got {v!r}.")

    def judge_one(self, a: str, b: str, ab: np.ndarray, ba: np.ndarray, same_claim: bool) -> Judgement:
        """The judgement of one pair; ``ab``/``ba`` are its NLI probabilities (E, N, C) both ways."""
        spk_a, spk_b = _speaker(a), _speaker(b)
        cert: dict[str, Any] = {"speaker_a": spk_a, "speaker_b": spk_b, "certainty_a": _certainty(a),
                                "certainty_b": _certainty(b)}
        if not same_claim:
            return Judgement("unrelated", **cert)
        c_max, c_min = max(ab[2], ba[2]), min(ab[2], ba[2])
        debate = different_speakers(spk_a, spk_b)
        conflict: Conflict | None = None
        if normalise(a) != normalise(b):
            conflict = find_conflict(a, b)
            if conflict is not None and conflict.kind == "polarity" and c_max < self.polarity_nli:
                conflict = None
            if conflict is None and c_min >= self.nli_contradiction:
                conflict = Conflict("nli", (0, len(a)), (0, len(b)))
        if conflict is not None:
            stance = "disputed" if debate else "contradict"
            return Judgement(stance, conflict.kind, conflict.span_a, conflict.span_b, **cert)
        if debate and c_max >= self.dispute_nli:
            return Judgement("disputed", "nli", (0, len(a)), (0, len(b)), **cert)
        if normalise(a) == normalise(b) or (ab.argmax() == 0 and ba.argmax() == 0):
            return Judgement("agree", **cert)
        return Judgement("partial", **cert)

    def judge(self, texts_a: Sequence[str], texts_b: Sequence[str], nli_ab: np.ndarray, nli_ba: np.ndarray,
              same_claim: Sequence[bool]) -> list[Judgement]:
        """One :class:`Judgement` per pair."""
        self.check()
        return [self.judge_one(a, b, nli_ab[i], nli_ba[i], bool(same_claim[i]))
                for i, (a, b) in enumerate(zip(texts_a, texts_b))]
