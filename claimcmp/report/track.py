"""The HTML page of a tracking run: a claim x outlet grid with the matching sentence and stance per cell.

Like the comparison report, the page is one self-contained file with inline CSS, no script, and a
Content-Security-Policy that forbids scripts; claims, outlets, sentences, speakers and ids are
untrusted text and all go through :func:`claimcmp.report.html.esc`.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from pathlib import Path
from typing import Any

import pandas as pd

from claimcmp.report.html import CSP, _rows, esc
from claimcmp.report.style import CSS

#: Background and border colour per track stance.
TRACK_COLORS = {"support": ("#cdeccf", "#2e9d4f"), "deny": ("#f9d0cd", "#d7372f"),
                "report": ("#fdf0c4", "#c99a06"), "absent": ("#f3f4f6", "#b9c0c9")}
TRACK_HELP = {
    "support": "support: the article states the claim as fact",
    "deny": "deny: it states the opposite, or reports a denial, as fact",
    "report": "report: it carries the claim without endorsing it (attributed, hedged, questioned)",
    "absent": "absent: no sentence states the claim (the nearest sentence is shown in grey)",
}
TRACK_CSS = "".join(f".tr-{s}{{background:{bg};border-left:5px solid {fg}}}"
                    for s, (bg, fg) in TRACK_COLORS.items()) + """
.cell{padding:4px 7px;margin:0 0 6px;border-radius:3px}
.cell .st{font-weight:650;font-size:12.5px;text-transform:uppercase;letter-spacing:.03em}
.cell .near{color:#8a94a1;font-size:13px}
.cell .meta{color:#555e6b;font-size:12px}
table.grid th.claimtext{width:30%;background:#eef1f5;text-align:left;font-weight:normal}
"""


def _num(v: Any) -> str:
    try:
        f = float(v)
    except (TypeError, ValueError):
        return "–"
    return "–" if math.isnan(f) else f"{f:.2f}"


def _cell(r: Any) -> str:
    st = str(r.stance)
    tip = (f"{r.basis} · P(same claim) {_num(r.same_claim_prob)} · P(entail) {_num(r.p_entail)} · "
           f"P(contradict) {_num(r.p_contradict)} · cosine {_num(r.cosine)} · article {r.article_id}")
    speaker = "" if pd.isna(r.speaker) or str(r.speaker) in str(r.basis) else f"speaker: {esc(r.speaker)}"
    meta = " · ".join(x for x in (esc(r.date), speaker, esc(r.basis)) if x)
    text_cls = "near" if st == "absent" else "sent"
    return (f'<div class="cell tr-{st}" title="{esc(tip)}" data-article-id="{esc(r.article_id)}">'
            f'<span class="st">{st}</span> <span class="{text_cls}">{esc(r.sentence)}</span>'
            f'<div class="meta">{meta}</div></div>')


def render_track(table: pd.DataFrame, skipped: list[dict[str, Any]] | None = None,
                 meta: dict[str, Any] | None = None) -> str:
    """The tracking page as one HTML string (``table``: what :func:`claimcmp.track` returns)."""
    outlets = sorted({str(o) for o in table["outlet"]})
    cells: dict[tuple[int, str], list[Any]] = defaultdict(list)
    for r in _rows(table.sort_values(["claim_id", "outlet", "article_id"])):
        cells[(int(r.claim_id), str(r.outlet))].append(r)
    claims = table.drop_duplicates("claim_id").sort_values("claim_id")
    rows = []
    for c in _rows(claims):
        cid = int(c.claim_id)
        sub = table[table["claim_id"] == cid]
        counts = " · ".join(f"{int((sub['stance'] == s).sum())} {s}" for s in TRACK_COLORS)
        tds = "".join("<td>" + "".join(_cell(r) for r in cells.get((cid, o), [])) + "</td>" for o in outlets)
        rows.append(f'<tr id="claim-{cid}"><th class="claimtext" scope="row"><b>Claim {cid}</b><br>'
                    f'{esc(c.claim_text)}<br><span class="small">{counts}</span></th>{tds}</tr>')
    legend = "".join(f'<span class="tr-{s}">{esc(h)}</span>' for s, h in TRACK_HELP.items())
    skipped_html = ""
    if skipped:
        items = "".join(f"<li>{esc(s.get('article_id') or '#' + str(s.get('position')))}: {esc(s.get('message'))}</li>"
                        for s in skipped)
        skipped_html = f'<section id="skipped"><h2>Skipped articles ({len(skipped)})</h2><ul>{items}</ul></section>'
    head = "".join(f"<th>{esc(o)}</th>" for o in outlets)
    n_articles = table["article_id"].nunique()
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>claimcmp track: {len(claims)} claims in {n_articles} articles</title>
<style>{CSS}{TRACK_CSS}</style></head><body>
<header class="top"><h1>{len(claims)} claims tracked through {n_articles} articles from {len(outlets)} outlets</h1>
<p>{esc(", ".join(outlets))}</p></header>
<main>
<section id="grid"><h2>Claim × outlet</h2>
<p class="note">One row per claim, one column per outlet, one block per article: the best-matching sentence
and how the article carries the claim (hover for the rule and the model's probabilities).</p>
<div class="legend">{legend}</div>
<table class="grid"><thead><tr><th class="claimtext">Claim</th>{head}</tr></thead>
<tbody>{"".join(rows)}</tbody></table></section>
{skipped_html}
<footer><details><summary>Run details (meta)</summary><pre>{esc(json.dumps(meta or {}, indent=2, default=str))}</pre>
</details></footer>
</main></body></html>
"""


def write_track_report(table: pd.DataFrame, path: str | Path) -> Path:
    """Write the tracking page (see :func:`render_track`) to ``path`` (UTF-8); skipped articles and
    run details come from ``table.attrs`` when present."""
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render_track(table, table.attrs.get("skipped"), table.attrs.get("meta")), encoding="utf-8")
    return out
