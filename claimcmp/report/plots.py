"""Plots of a comparison: outlet agreement, claim coverage and stance counts.

Every function returns a :class:`matplotlib.figure.Figure` built without ``pyplot``, so nothing
is left in pyplot's global state and no GUI backend is touched; save it with
``fig.savefig(path)`` or show it in a notebook. Colours match the HTML report. Outlet names and
claim texts are drawn as plain text, never as mathtext (see :func:`plain`).
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure

from claimcmp._text_safety import sanitize_terminal

if TYPE_CHECKING:
    from claimcmp.results import Comparison

#: Colour of each stance, shared by the plots and the HTML report.
STANCE_COLORS: dict[str, str] = {
    "agree": "#2e9d4f",
    "partial": "#a8dca0",
    "contradict": "#d7372f",
    "disputed": "#9b7fcf",
    "mixed": "#f0a040",
    "unrelated": "#b8b8b8",
}

#: The plots :func:`save_plots` writes, by file name.
PLOT_FILES = ("agreement.png", "coverage.png", "stance.png")


def _figure(width: float, height: float) -> Figure:
    fig = Figure(figsize=(width, height), dpi=100, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def _empty(fig: Figure, title: str, message: str) -> Figure:
    ax = fig.add_subplot()
    ax.set_title(title)
    ax.text(0.5, 0.5, message, ha="center", va="center", transform=ax.transAxes, color="#555555")
    ax.set_axis_off()
    return fig


def plain(text: object) -> str:
    """``text`` as matplotlib draws it literally: every ``$`` escaped, so it is never parsed as mathtext,
    and control characters (which no font can draw) removed.

    An outlet named ``Beta $\\frac$`` is drawn as written; unescaped, matplotlib would try to
    typeset it and fail.
    """
    return sanitize_terminal(str(text)).replace("\t", " ").replace("$", r"\$")


def short_label(text: str, width: int = 48) -> str:
    """``text`` on one line, cut to ``width`` characters with an ellipsis (not yet escaped, see :func:`plain`)."""
    return textwrap.shorten(" ".join(str(text).split()), width=width, placeholder="…")


def plot_agreement(comparison: Comparison) -> Figure:
    """Outlet x outlet heatmap of ``agreement_rate``; each cell shows the rate and its pair count.

    The rate is (agree + partial) / judged pairs inside shared claims; cells with no such pair
    are blank. ``n`` is the number of judged pairs, ``c`` the number of shared claims.
    """
    outlets = sorted(str(o) for o in comparison.articles["outlet"].unique())
    rate, pairs, shared = (comparison.agreement_matrix(v).reindex(index=outlets, columns=outlets).to_numpy(float)
                           for v in ("agreement_rate", "n_pairs", "shared_claims"))
    n = len(outlets)
    size = 2.0 + 0.95 * max(n, 2)
    fig = _figure(size + 1.4, size)
    if n < 2:
        return _empty(fig, "Agreement rate between outlets", "needs two or more outlets")
    ax = fig.add_subplot()
    values = rate
    masked = np.ma.masked_invalid(values)
    cmap = ListedColormap(["#d7372f", "#ee8a5a", "#f6d27a", "#c7e59b", "#7cc67a", "#2e9d4f"]).with_extremes(
        bad="#f2f2f2")
    im = ax.imshow(masked, cmap=cmap, vmin=0.0, vmax=1.0)
    for i in range(n):
        for j in range(n):
            if i == j:
                ax.text(j, i, "—", ha="center", va="center", color="#999999")
                continue
            np_, nc = pairs[i, j], shared[i, j]
            counts = f"c={int(nc)} · n={int(np_)}" if np.isfinite(np_) else ""
            label = "n/a" if not np.isfinite(values[i, j]) else f"{values[i, j]:.2f}"
            ax.text(j, i, f"{label}\n{counts}", ha="center", va="center", fontsize=8,
                    color="#111111" if np.isfinite(values[i, j]) else "#777777")
    ax.set_xticks(range(n), labels=[plain(o) for o in outlets], rotation=30, ha="right")
    ax.set_yticks(range(n), labels=[plain(o) for o in outlets])
    ax.set_xlabel("outlet")
    ax.set_ylabel("outlet")
    ax.set_title("Agreement rate between outlets (inside shared claims)\n"
                 "c = shared claims, n = judged sentence pairs, n/a = no shared claim judged", fontsize=10)
    fig.colorbar(im, ax=ax, shrink=0.8, label="agreement rate")
    return fig


def plot_coverage(comparison: Comparison, min_outlets: int = 2) -> Figure:
    """Claim x outlet matrix of claims carried by at least ``min_outlets`` outlets.

    Each cell holds the number of the outlet's sentences in the claim; an empty cell is an
    omission. Rows are labelled ``[claim_id] short representative text``.
    """
    claims = comparison.claims[comparison.claims["n_outlets"] >= min_outlets]
    claims = claims.sort_values(["n_outlets", "n_sentences", "claim_id"], ascending=[False, False, True])
    outlets = [str(o) for o in comparison.articles["outlet"].drop_duplicates().sort_values()]
    title = f"Claims carried by {min_outlets}+ outlets"
    rows = len(claims)
    fig = _figure(4.8 + 0.9 * len(outlets), 1.6 + 0.42 * max(rows, 2))
    if rows == 0:
        return _empty(fig, title, f"no claim is carried by {min_outlets} or more outlets")
    matrix = comparison.coverage_matrix().reindex(index=claims["claim_id"], columns=outlets).fillna(0)
    values = matrix.to_numpy(dtype=float)
    ax = fig.add_subplot()
    cmap = ListedColormap(["#ffffff", "#cfe3f3", "#8fbfe0", "#4a90c8"])
    ax.imshow(np.minimum(values, 3), cmap=cmap, vmin=0, vmax=3, aspect="auto")
    for i in range(rows):
        for j in range(len(outlets)):
            v = int(values[i, j])
            ax.text(j, i, str(v) if v else "–", ha="center", va="center", fontsize=8,
                    color="#111111" if v else "#aaaaaa")
    ax.set_xticks(range(len(outlets)), labels=[plain(o) for o in outlets], rotation=30, ha="right")
    ax.set_yticks(range(rows), labels=[plain(f"[{c}] {short_label(t, 64)}") for c, t in
                                       zip(claims["claim_id"], claims["representative"], strict=True)], fontsize=8)
    ax.set_xticks(np.arange(-0.5, len(outlets)), minor=True)
    ax.set_yticks(np.arange(-0.5, rows), minor=True)
    ax.grid(which="minor", color="#dddddd", linewidth=0.8)
    ax.tick_params(which="minor", length=0)
    ax.set_xlabel("outlet")
    ax.set_ylabel("claim")
    ax.set_title(f"{title} (sentences per outlet; – = not reported)", fontsize=10)
    return fig


def plot_stance(comparison: Comparison) -> Figure:
    """Horizontal stacked bars: judged sentence pairs per outlet pair, split by stance."""
    agr = comparison.agreement
    agr = agr[agr["n_pairs"] > 0]
    labels = [plain(f"{a} – {b}") for a, b in zip(agr["outlet_a"], agr["outlet_b"], strict=True)]
    fig = _figure(8.0, 1.6 + 0.45 * max(len(labels), 2))
    title = "Stance of judged sentence pairs per outlet pair"
    if not labels:
        return _empty(fig, title, "no cross-outlet pairs were judged")
    ax = fig.add_subplot()
    y = np.arange(len(labels))
    left = np.zeros(len(labels))
    for st in ("agree", "partial", "contradict", "disputed", "unrelated"):
        counts = agr[f"n_{st}"].to_numpy(dtype=float)
        ax.barh(y, counts, left=left, color=STANCE_COLORS[st], label=st, edgecolor="white", linewidth=0.5)
        for yi, (l0, c) in enumerate(zip(left, counts, strict=True)):
            if c > 0:
                ax.text(l0 + c / 2, yi, str(int(c)), ha="center", va="center", fontsize=7, color="#111111")
        left += counts
    ax.set_yticks(y, labels=labels)
    ax.invert_yaxis()
    ax.set_xlabel("judged sentence pairs")
    ax.set_ylabel("outlet pair")
    ax.set_title(title, fontsize=10)
    fig.legend(loc="outside lower center", fontsize=8, frameon=False, ncols=4)
    ax.spines[["top", "right"]].set_visible(False)
    return fig


def save_plots(comparison: Comparison, folder: str | Path, dpi: int = 110) -> list[Path]:
    """Write ``agreement.png``, ``coverage.png`` and ``stance.png`` into ``folder``; returns the paths."""
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, fig in zip(PLOT_FILES, (plot_agreement(comparison), plot_coverage(comparison),
                                      plot_stance(comparison)), strict=True):
        fig.savefig(out / name, dpi=dpi)
        paths.append(out / name)
    return paths
