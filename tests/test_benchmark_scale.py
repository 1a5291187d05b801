"""The scale benchmark measures the same work as compare: its judged inputs and its bare NLI path."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import numpy as np
import pytest

import claimcmp
from claimcmp.model_registry import default_model, load_sequence_classifier
from claimcmp.stages.nli import NLI_LABELS, NLIJudge

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))
EVAL = Path(os.environ.get("CLAIMCMP_EVAL_DIR") or REPO.parent / "shared" / "eval")

from benchmarks.scale import bare_nli, judged_inputs  # noqa: E402


def test_judged_inputs_are_the_pairs_compare_judged(seeds_comparison: claimcmp.Comparison) -> None:
    premises, hypotheses = judged_inputs(seeds_comparison)
    n = len(seeds_comparison.pairs)
    assert len(premises) == len(hypotheses) == 2 * n > 0
    probs = NLIJudge().judge(premises, hypotheses)[list(NLI_LABELS)].to_numpy()
    pairs = seeds_comparison.pairs
    for j, lab in enumerate(NLI_LABELS):
        np.testing.assert_allclose(probs[:n, j], pairs[f"{lab}_ab"].to_numpy(), atol=1e-5)
        np.testing.assert_allclose(probs[n:, j], pairs[f"{lab}_ba"].to_numpy(), atol=1e-5)


def test_bare_nli_matches_the_judge(seeds_comparison: claimcmp.Comparison) -> None:
    premises, hypotheses = judged_inputs(seeds_comparison)
    premises, hypotheses = premises[:40], hypotheses[:40]
    tok, model = load_sequence_classifier(default_model("nli"))
    judge = NLIJudge()
    bare = bare_nli(tok, model, premises, hypotheses, bf16=judge.resolved_precision() == "bfloat16")
    ours = judge.judge(premises, hypotheses)[list(NLI_LABELS)].to_numpy()
    np.testing.assert_allclose(bare, ours, atol=2e-3)  # same batches; bf16 kernels may differ in the last bits
    old = bare_nli(tok, model, premises, hypotheses, bf16=False, sort=False)
    fp32 = NLIJudge(precision="float32").judge(premises, hypotheses)[list(NLI_LABELS)].to_numpy()
    np.testing.assert_allclose(old, fp32, atol=1e-3)  # float32 either way; only the batching differs


@pytest.mark.skipif(not EVAL.is_dir(), reason=f"shared evaluation data not found at {EVAL}")
def test_crawl_events_have_three_named_outlets() -> None:
    from benchmarks.scale import crawl_events

    events = crawl_events(5)
    assert len(events) == 5
    for ev in events:
        assert len({a["outlet"] for a in ev}) == 3
        assert all(set(a) == {"article_id", "outlet", "title", "text"} for a in ev)
