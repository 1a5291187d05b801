"""The three plots: matplotlib Figures with the expected axes, no pyplot state left behind."""

from __future__ import annotations

from pathlib import Path

import pytest
from matplotlib.figure import Figure

import claimcmp
from claimcmp.report.plots import PLOT_FILES, save_plots


def _labels(fig: Figure) -> tuple[str, str, str]:
    ax = fig.axes[0]
    return ax.get_xlabel(), ax.get_ylabel(), ax.get_title()


def test_agreement_heatmap(seeds_comparison: claimcmp.Comparison) -> None:
    fig = seeds_comparison.plot_agreement()
    assert isinstance(fig, Figure)
    x, y, title = _labels(fig)
    assert (x, y) == ("outlet", "outlet")
    assert "Agreement rate" in title
    outlets = sorted(seeds_comparison.articles["outlet"])
    assert [t.get_text() for t in fig.axes[0].get_xticklabels()] == outlets
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert any("n=" in t and "c=" in t for t in texts), "cells are annotated with counts"
    assert fig.axes[1].get_ylabel() == "agreement rate"  # the colour bar


def test_coverage_matrix(seeds_comparison: claimcmp.Comparison) -> None:
    fig = seeds_comparison.plot_coverage()
    x, y, _ = _labels(fig)
    assert (x, y) == ("outlet", "claim")
    cross = seeds_comparison.cross_outlet_claims()
    rows = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert len(rows) == len(cross)
    assert rows[0].startswith(f"[{cross['claim_id'].iloc[0]}] ")
    empty = claimcmp.plot_coverage(seeds_comparison, min_outlets=99)
    assert "no claim" in " ".join(t.get_text() for t in empty.axes[0].texts)


def test_stance_bars(seeds_comparison: claimcmp.Comparison) -> None:
    fig = claimcmp.plot_stance(seeds_comparison)
    x, y, _ = _labels(fig)
    assert (x, y) == ("judged sentence pairs", "outlet pair")
    assert [t.get_text() for t in fig.legends[0].get_texts()] == ["agree", "partial", "contradict", "disputed",
                                                                     "unrelated"]
    widths = sum(p.get_width() for p in fig.axes[0].patches)
    assert widths == pytest.approx(len(seeds_comparison.pairs))


def test_no_pyplot_state_and_pngs(seeds_comparison: claimcmp.Comparison, tmp_path: Path) -> None:
    paths = save_plots(seeds_comparison, tmp_path)
    assert [p.name for p in paths] == list(PLOT_FILES)
    for p in paths:
        assert p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and p.stat().st_size > 5_000
    import matplotlib.pyplot as plt

    assert plt.get_fignums() == []
