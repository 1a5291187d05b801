"""Report sections for copies (syndication) and the claim timeline.

Every article-derived string (sentences, outlets, ids, dates, words) goes through
:func:`claimcmp.report.html.esc` before it reaches the page.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from claimcmp.report.html import _png_uri, _rate, _rows, anchor_id, collapsed_table, esc

if TYPE_CHECKING:
    from claimcmp.results import Comparison

#: Claims shown with their own timeline plot in the report (the largest cross-outlet claims).
TIMELINE_PLOTS = 4
#: Copied sentence pairs listed before the rest fold away.
COPIES_SHOWN = 12


def _direction(r: Any) -> str:
    if str(r.direction) == "a->b":
        return f"{esc(r.outlet_a)} → {esc(r.outlet_b)}"
    if str(r.direction) == "b->a":
        return f"{esc(r.outlet_b)} → {esc(r.outlet_a)}"
    return "unknown (a date missing or equal)"


def copies_section(comparison: Comparison) -> str:
    """Article pairs with copied sentences, the copied sentence pairs, and agreement over independent pairs."""
    c = comparison
    intro = ('<p class="note">Near-verbatim copies across outlets (wire copy, syndication, reprints), found among '
             "every cross-outlet sentence pair: the same words up to small edits, reordered clauses, punctuation "
             "and quote marks. Copied pairs are still judged, but an outlet that copies another is not an "
             "independent witness: claims count outlets once per copy group, and agreement is also given over "
             "the pairs that are not copies.</p>")
    if c.copied_sentences.empty:
        return intro + '<p class="note">No copied sentences: every outlet wrote its own sentences.</p>'
    arts = "".join(
        f"<tr><td>{esc(r.outlet_a)} <span class='small'>{esc(r.article_id_a)}</span></td><td>{esc(r.outlet_b)} "
        f"<span class='small'>{esc(r.article_id_b)}</span></td><td class='num'>{int(r.n_copied)}</td>"
        f"<td class='num'>{r.share_a:.0%}</td><td class='num'>{r.share_b:.0%}</td><td>{_direction(r)}</td></tr>"
        for r in _rows(c.copies))
    texts = c.sentences.set_index("sentence_id")["text"]
    stance = {(a, b): s for a, b, s in zip(c.pairs["sentence_id_a"], c.pairs["sentence_id_b"], c.pairs["stance"])}
    rows = [
        f'<tr class="copied"><td><b>{esc(r.outlet_a)}</b><a class="sent st-none" '
        f'href="#{anchor_id(r.sentence_id_a)}">'
        f'{esc(texts[r.sentence_id_a])}</a></td><td><b>{esc(r.outlet_b)}</b><a class="sent st-none" '
        f'href="#{anchor_id(r.sentence_id_b)}">{esc(texts[r.sentence_id_b])}</a></td><td class="num">{r.score:.2f}'
        f'{" (verbatim)" if r.verbatim else ""}</td>'
        f'<td>{esc(stance.get((r.sentence_id_a, r.sentence_id_b), "not judged"))}</td></tr>'
        for r in _rows(c.copied_sentences.sort_values(["score", "sentence_id_a"], ascending=[False, True]))]
    head = ('<table class="data contra"><thead><tr><th>Sentence A</th><th>Sentence B</th><th>Copy score</th>'
            "<th>Stance</th></tr></thead><tbody>")
    sents = collapsed_table(head, rows, COPIES_SHOWN, "copied pairs")
    agr = c.agreement[c.agreement["n_pairs"] != c.agreement["n_pairs_independent"]]
    agr_rows = "".join(
        f"<tr><td>{esc(r.outlet_a)}</td><td>{esc(r.outlet_b)}</td><td class='num'>{int(r.n_pairs)}</td>"
        f"<td class='num'>{int(r.n_pairs_independent)}</td><td class='num'>{_rate(r.agreement_rate)}</td>"
        f"<td class='num'>{_rate(r.agreement_rate_independent)}</td></tr>" for r in _rows(agr))
    agr_html = ("" if agr.empty else
                '<h3>Agreement with and without copies</h3><table class="data"><thead><tr><th>Outlet A</th>'
                "<th>Outlet B</th><th>Pairs</th><th>Independent pairs</th><th>Agreement</th>"
                f"<th>Agreement, independent pairs</th></tr></thead><tbody>{agr_rows}</tbody></table>")
    return (intro + '<table class="data"><thead><tr><th>Article A</th><th>Article B</th><th>Copied pairs</th>'
            "<th>Share of A copied</th><th>Share of B copied</th><th>Direction (by date)</th></tr></thead>"
            f"<tbody>{arts}</tbody></table><h3>Copied sentences</h3>{sents}{agr_html}")


def _claim_rows(comparison: Comparison) -> str:
    t = comparison.timeline
    cross = comparison.cross_outlet_claims()
    rows = []
    for c in _rows(cross):
        tl = t[t["claim_id"] == c.claim_id].sort_values(["rank", "article_id"], na_position="last")
        if tl.empty:
            continue
        first = tl.iloc[0]
        if pd.isna(first["first_article_id"]):
            lead = '<span class="small">no article carrying it has a date</span>'
        else:
            lead = f"{esc(first['first_outlet'])} <span class='small'>{esc(first['first_date'])}</span>"
        changes = "".join(
            f"<li>{esc(r.outlet)} ({esc(r.date) or 'no date'}): "
            + ("first version" if not pd.isna(r.first_article_id) and r.article_id == r.first_article_id else
               "—" if pd.isna(r.words_added) else
               f"+{int(r.words_added)} <span class='small'>{esc(r.added)}</span> / −{int(r.words_dropped)} "
               f"<span class='small'>{esc(r.dropped)}</span>")
            + "</li>" for r in _rows(tl))
        rows.append(f'<tr><td class="num"><a href="#c-{int(c.claim_id)}">{int(c.claim_id)}</a></td><td>{lead}</td>'
                    f"<td>{esc(first['order'])}</td><td><ul>{changes}</ul></td></tr>")
    if not rows:
        return '<p class="note">No claim is carried by two or more outlets.</p>'
    return ('<table class="data"><thead><tr><th>Claim</th><th>First</th><th>Order</th><th>Words added / dropped '
            f"against the first version</th></tr></thead><tbody>{''.join(rows)}</tbody></table>")


def timeline_section(comparison: Comparison, plots: bool = True) -> str:
    """When each outlet published, who carried each cross-outlet claim first, and how its wording changed."""
    from claimcmp.report.timeline import plot_timeline

    arts = comparison.articles
    undated = arts[arts["article_id"].isin(comparison.timeline.loc[comparison.timeline["published"].isna(),
                                                                   "article_id"]) | arts["date"].isna()]
    note = ('<p class="note">From the article dates (and times, where given). Ties (same date) share a place, '
            "shown with '='; articles without a readable date are listed but take no place in the order.</p>")
    if len(undated):
        note += ('<p class="note">No date: ' + "; ".join(f"{esc(r.outlet)} ({esc(r.article_id)})"
                                                         for r in _rows(undated)) + ".</p>")
    figs = ""
    if plots:
        caps = [("When each outlet published (first: claims it carried before, or together with, the others).",
                 plot_timeline(comparison))]
        for cid in comparison.cross_outlet_claims()["claim_id"].head(TIMELINE_PLOTS):
            caps.append((f"Claim {int(cid)}: who carried it when.", plot_timeline(comparison, int(cid))))
        figs = '<div class="plots">' + "".join(
            f'<figure><img alt="{esc(cap)}" src="{_png_uri(fig)}"><figcaption>{esc(cap)}</figcaption></figure>'
            for cap, fig in caps) + "</div>"
    return note + figs + _claim_rows(comparison)
