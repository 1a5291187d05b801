"""Smoke test of the benchmark suite, so its code does not rot: the quick segmentation section."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
EVAL = Path(os.environ.get("CLAIMCMP_EVAL_DIR") or REPO.parent / "shared" / "eval")


@pytest.mark.skipif(not EVAL.is_dir(), reason=f"shared evaluation data not found at {EVAL} (set CLAIMCMP_EVAL_DIR); "
                                              "the benchmark suite reads it in place")
def test_quick_segmentation_section(tmp_path: Path) -> None:
    out = tmp_path / "bench.md"
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    proc = subprocess.run([sys.executable, "-m", "benchmarks", "--quick", "--only", "segmentation", "--in-process",
                           "--out", str(out)], cwd=REPO, env=env, capture_output=True, text=True,
                          timeout=1800)  # a hang guard, not a speed target (those live in benchmarks/)
    assert proc.returncode == 0, proc.stderr[-2000:]
    text = out.read_text(encoding="utf-8")
    assert "## Segmentation and cleaning: hand-labelled gold and the seeds" in text
    assert "| **total** |" in text
    assert "Removed spans by reason" in text
    assert "pysbd vs spaCy" in text


def test_threshold_sweep_is_exact() -> None:
    import numpy as np

    from benchmarks.metrics import at_threshold, best_threshold

    scores = np.array([0.9, 0.8, 0.7, 0.6, 0.5])
    gold = np.array([True, True, False, True, False])
    t, f1 = best_threshold(scores, gold, "f1")
    assert 0.5 < t < 0.6
    assert f1 == pytest.approx(at_threshold(scores, gold, t).f1) == pytest.approx(6 / 7)


def test_rerun_keeps_sections_it_does_not_write() -> None:
    from benchmarks.__main__ import other_sections

    previous = ("# Benchmarks\n\nheader\n\n## Fuzz suite\n\n| a | b |\n\n"
                "## Speed: the seeds end to end\n\nold speed\n\n"
                "## Copy detection\n\ncopies text\n")
    kept = other_sections(previous, {"Speed: the seeds end to end"})
    assert [k.splitlines()[0] for k in kept] == ["## Fuzz suite", "## Copy detection"]
    assert "old speed" not in "".join(kept) and "| a | b |" in kept[0] and "header" not in "".join(kept)
