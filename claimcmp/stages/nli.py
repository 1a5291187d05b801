"""Natural-language inference: entailment / neutral / contradiction probabilities, and stance."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Sequence

import numpy as np
import pandas as pd

from claimcmp._checks import check_bool, check_choice, check_device, check_int, check_optional_str
from claimcmp.errors import ModelNotFoundError, ParameterError
from claimcmp.model_registry import default_model, load_sequence_classifier

log = logging.getLogger(__name__)

NLI_LABELS = ("entailment", "neutral", "contradiction")
STANCES = ("agree", "partial", "contradict", "unrelated")
PRECISIONS = ("auto", "float32", "bfloat16")


def cpu_has_native_bf16() -> bool:
    """Whether this CPU computes bfloat16 natively (AVX512-BF16 or AMX), as torch's oneDNN reports it."""
    import torch

    try:
        return bool(torch.ops.mkldnn._is_mkldnn_bf16_supported())
    except (AttributeError, RuntimeError):  # a torch build without oneDNN
        return False


def label_indices(id2label: dict[int, str]) -> list[int]:
    """Positions of entailment, neutral, contradiction in a model's output, found by label name."""
    by_name = {str(v).lower(): int(k) for k, v in id2label.items()}
    missing = [lab for lab in NLI_LABELS if lab not in by_name]
    if missing:
        raise ModelNotFoundError(
            f"The NLI model's config names labels {sorted(by_name)}; it must name {list(NLI_LABELS)} "
            f"(missing: {missing}). Labels are matched by name, never by position."
        )
    return [by_name[lab] for lab in NLI_LABELS]


class NLIJudge:
    """A 3-way NLI cross-encoder (default: claimcmp's own, trained from MiniLM-L6; see models/).

    ``judge(premises, hypotheses)`` returns one row per pair with the probabilities of
    ``entailment``, ``neutral`` and ``contradiction``. Output columns are matched to the model by
    label name from its ``id2label``. The model loads on first use, once per process.

    Parameters
    ----------
    model:
        Registry name or local folder; ``None`` uses the registry default for stage ``nli``.
    batch_size, max_length:
        Pairs per forward pass; token limit per pair (longer pairs are truncated).
    precision:
        ``"auto"`` (default: bfloat16 on a CPU that computes it natively, else float32),
        ``"float32"`` (the same results on every CPU) or ``"bfloat16"`` (CPU autocast). bfloat16 is
        about 2.5x faster on such CPUs and changes 0.1–0.2% of predicted labels, with the same accuracy
        (docs/benchmarks.md). ``Comparison.meta["nli_precision"]`` records what was used.
    contradiction_rule:
        How the pipeline turns a pair's two directions into ``contradict``: ``"both"`` (default,
        precision first) or ``"either"`` (recall first); see :func:`stance`.
    """

    def __init__(self, model: str | None = None, batch_size: int = 64, max_length: int = 256,
                 device: str = "cpu", precision: str = "auto", show_progress: bool = False,
                 contradiction_rule: str = "both") -> None:
        self.model = model
        self.batch_size = batch_size
        self.max_length = max_length
        self.device = device
        self.precision = precision
        self.show_progress = show_progress
        self.contradiction_rule = contradiction_rule

    def get_params(self) -> dict[str, object]:
        return {"model": self.model, "batch_size": self.batch_size, "max_length": self.max_length,
                "device": self.device, "precision": self.precision, "show_progress": self.show_progress,
                "contradiction_rule": self.contradiction_rule}

    @property
    def model_name(self) -> str:
        """The registry name (or folder) of the model in use."""
        return self.model or default_model("nli")

    def check(self) -> None:
        """Raise ParameterError if a parameter is unusable (the device must exist here); loads nothing."""
        check_optional_str(self.model, "model")
        check_int(self.batch_size, "batch_size")
        check_int(self.max_length, "max_length", minimum=8)
        check_device(self.device)
        check_choice(self.precision, "precision", PRECISIONS)
        check_bool(self.show_progress, "show_progress")
        check_choice(self.contradiction_rule, "contradiction_rule", CONTRADICTION_RULES)

    def resolved_precision(self) -> str:
        """The precision :meth:`judge` runs in: ``"float32"`` or ``"bfloat16"``."""
        check_choice(self.precision, "precision", PRECISIONS)
        if self.device != "cpu":
            return "float32"
        if self.precision == "auto":
            return "bfloat16" if cpu_has_native_bf16() else "float32"
        return self.precision

    def judge(self, premises: Sequence[str], hypotheses: Sequence[str]) -> pd.DataFrame:
        """Probabilities per pair: columns ``entailment``, ``neutral``, ``contradiction`` (float32)."""
        import torch
        from tqdm.auto import tqdm

        if len(premises) != len(hypotheses):
            raise ParameterError(f"{len(premises)} premises but {len(hypotheses)} hypotheses.")
        self.check()
        bf16 = self.resolved_precision() == "bfloat16"
        for name, texts in (("premises", premises), ("hypotheses", hypotheses)):
            bad = next(((i, x) for i, x in enumerate(texts) if not isinstance(x, str)), None)
            if bad is not None:
                raise ParameterError(f"premises and hypotheses must be strings; {name}[{bad[0]}] is "
                                     f"{type(bad[1]).__name__}.")
        out = np.zeros((len(premises), 3), dtype=np.float32)
        if len(premises) == 0:
            return pd.DataFrame(out, columns=list(NLI_LABELS))
        tok, model = load_sequence_classifier(self.model_name, self.device)
        cols = label_indices(model.config.id2label)
        # each distinct pair runs once; batches hold pairs of similar length, so little padding
        first: dict[tuple[str, str], int] = {}
        where = np.array([first.setdefault((p, h), len(first)) for p, h in zip(premises, hypotheses)])
        uniq = list(first)
        lengths = [len(p) + len(h) for p, h in uniq]
        order = sorted(range(len(uniq)), key=lengths.__getitem__)
        res = np.zeros((len(uniq), 3), dtype=np.float32)
        starts = range(0, len(order), self.batch_size)
        for s in tqdm(starts, desc="NLI", unit="batch", disable=not self.show_progress):
            idx = order[s:s + self.batch_size]
            enc = tok([uniq[i][0] for i in idx], [uniq[i][1] for i in idx], truncation=True,
                      max_length=self.max_length, padding=True, return_tensors="pt").to(self.device)
            ctx = torch.autocast("cpu", dtype=torch.bfloat16) if bf16 else contextlib.nullcontext()
            with torch.inference_mode(), ctx:
                logits = model(**enc).logits.float()
            probs = torch.softmax(logits, dim=-1).cpu().numpy()
            res[idx] = probs[:, cols]
        out[:] = res[where]
        return pd.DataFrame(out, columns=list(NLI_LABELS))

    def predict(self, premises: Sequence[str], hypotheses: Sequence[str]) -> pd.DataFrame:
        """:meth:`judge` plus a ``label`` column (the most probable label name)."""
        df = self.judge(premises, hypotheses)
        df["label"] = pd.Categorical(np.array(NLI_LABELS)[df[list(NLI_LABELS)].to_numpy().argmax(1)],
                                     categories=list(NLI_LABELS))
        return df


CONTRADICTION_RULES = ("both", "either")


def stance(ab: np.ndarray, ba: np.ndarray, contradiction: str = "both") -> np.ndarray:
    """Stance of each pair from its two directions' probabilities (columns E, N, C).

    ``agree``: entailment is the most probable label both ways. ``partial``: one way only (one
    sentence says more than the other). ``contradict``: contradiction is the most probable label in
    both directions (``contradiction="both"``, the default: precision 0.95 on SICK test, 0.75 on the
    news test, measured by ``benchmarks/stance_rule.py``) or in at least one direction (``"either"``:
    higher recall, lower precision), and entailment in neither. ``unrelated``: everything else.
    """
    if contradiction not in CONTRADICTION_RULES:
        raise ParameterError(f"contradiction must be one of {CONTRADICTION_RULES}, got {contradiction!r}.")
    top_ab, top_ba = ab.argmax(1), ba.argmax(1)
    ent = (top_ab == 0).astype(int) + (top_ba == 0).astype(int)
    con = ((top_ab == 2) & (top_ba == 2)) if contradiction == "both" else ((top_ab == 2) | (top_ba == 2))
    labels = np.full(len(ab), "unrelated", dtype=object)
    labels[ent == 1] = "partial"
    labels[(ent == 0) & con] = "contradict"
    labels[ent == 2] = "agree"
    return labels
