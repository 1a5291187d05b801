"""Timeline plot: when each outlet published, for the whole event or for one claim.

Built from the ``timeline`` table without ``pyplot`` (see :mod:`claimcmp.report.plots`). Articles
without a date are drawn in a separate "no date" column at the right, never dropped.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import matplotlib.dates as mdates
import pandas as pd
from matplotlib.figure import Figure

from claimcmp.errors import ParameterError
from claimcmp.report.plots import _figure, plain
from claimcmp.timeline import first_reports

if TYPE_CHECKING:
    from claimcmp.results import Comparison


def _points(comparison: Comparison, claim_id: int | None) -> tuple[pd.DataFrame, str]:
    """One row per article to draw (outlet, published, label) and the plot's title."""
    t = comparison.timeline
    if claim_id is None:
        arts = comparison.articles[["article_id", "outlet"]].copy()
        first = t.drop_duplicates("article_id").set_index("article_id")["published"]
        arts["published"] = arts["article_id"].map(first)
        counts = first_reports(t) if len(t) else pd.DataFrame(columns=["article_id", "n_first", "n_claims"])
        n_first = dict(zip(counts["article_id"], counts["n_first"].tolist()))
        n_claims = dict(zip(counts["article_id"], counts["n_claims"].tolist()))
        arts["label"] = [f"first in {n_first[a]} of {n_claims[a]} shared claims" if a in n_claims
                         else "no shared claim" for a in arts["article_id"]]
        return arts, f"Publication order of the {len(arts)} articles"
    rows = t[t["claim_id"] == claim_id]
    if rows.empty:
        raise ParameterError(f"No claim with id {claim_id!r} in the timeline.")
    labels = []
    for r in rows.to_dict("records"):
        if pd.isna(r["words_added"]):
            labels.append("")
            continue
        change = f"+{r['words_added']} / −{r['words_dropped']} words"
        if r["article_id"] == r["first_article_id"]:
            labels.append("first")
        else:
            labels.append(f"also first: {change}" if r["rank"] == 1 else change)
    pts = rows[["article_id", "outlet", "published"]].copy()
    pts["label"] = labels
    return pts, f"Claim {claim_id}: who carried it when (words added / dropped vs. the first version)"


def plot_timeline(comparison: Comparison, claim_id: int | None = None) -> Figure:
    """Outlets (rows) against publication date: every article of the event, or those carrying ``claim_id``."""
    pts, title = _points(comparison, claim_id)
    pts = pts.assign(outlet=pts["outlet"].astype(str))
    first = pts.groupby("outlet")["published"].min()
    outlets = sorted(first.index, key=lambda o: (pd.isna(first[o]), first[o] if pd.notna(first[o]) else 0, o))
    fig = _figure(9.0, 1.2 + 0.45 * len(outlets))
    ax = fig.add_subplot()
    dated = pts[pts["published"].notna()]
    xs = mdates.date2num(dated["published"].dt.tz_convert("UTC").dt.tz_localize(None).to_list()) if len(dated) else []
    lo, hi = (min(xs), max(xs)) if len(xs) else (0.0, 1.0)
    span = max(hi - lo, 1.0)
    nodate_x = hi + 0.35 * span
    y = {o: i for i, o in enumerate(reversed(outlets))}
    for (_, r), x in zip(dated.iterrows(), xs):
        ax.plot([x], [y[r["outlet"]]], "o", color="#3b6ea8")
        ax.annotate(plain(r["label"]), (x, y[r["outlet"]]), xytext=(6, 4), textcoords="offset points", fontsize=8)
    undated = pts[pts["published"].isna()]
    for _, r in undated.iterrows():
        ax.plot([nodate_x], [y[r["outlet"]]], "o", mfc="white", color="#888888")
        ax.annotate(plain(r["label"]), (nodate_x, y[r["outlet"]]), xytext=(6, 4), textcoords="offset points",
                    fontsize=8, color="#555555")
    ticks = sorted(set(xs))
    labels = [mdates.num2date(v).strftime("%Y-%m-%d" if v == int(v) else "%Y-%m-%d %H:%M") for v in ticks]
    if len(undated):
        ax.axvline(hi + 0.2 * span, color="#cccccc", linestyle="--")
        ticks.append(nodate_x)
        labels.append("no date")
    ax.set_xticks(ticks)
    ax.set_xticklabels(labels, rotation=20, ha="right", fontsize=8)
    ax.set_xlim(lo - 0.15 * span, (nodate_x if len(undated) else hi) + 0.6 * span)
    ax.set_yticks(list(y.values()))
    ax.set_yticklabels([plain(o) for o in y])
    ax.set_ylim(-0.7, len(outlets) - 0.3)
    ax.set_title(plain(title), fontsize=10)
    ax.grid(axis="x", color="#eeeeee")
    return fig
