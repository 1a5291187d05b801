"""A self-contained HTML report of a comparison, and the compact notebook summary.

The report is one file with inline CSS and inline PNG plots: no script, font or image is
fetched from anywhere, and a Content-Security-Policy forbids scripts outright. Article text,
titles, outlets and URLs are untrusted web content: every one of them goes through
:func:`html.escape` before it reaches the page.
"""

from __future__ import annotations

import base64
import hashlib
import html
import io
import json
import logging
from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from claimcmp.report.style import CSS, STANCE_BACKGROUNDS

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from claimcmp.results import Comparison

log = logging.getLogger("claimcmp")

TOP_CONTRADICTIONS = 8
CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"
STANCE_HELP = {
    "agree": "agree: the same fact",
    "partial": "partial: the same claim; one side adds or omits detail and both can be true",
    "contradict": "contradict: the two accounts cannot both be true (a number, date, name or polarity differs)",
    "disputed": "disputed: opposing positions of different speakers, a debate both outlets report",
    "mixed": "mixed: contradicts one sentence, agrees with another",
    "unrelated": "unrelated: neither entails nor contradicts",
    "none": "not judged: no cross-outlet pair in this claim",
}


def esc(value: Any) -> str:
    """``value`` as HTML-escaped text (quotes included); missing values become ''."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return ""
    return html.escape(str(value), quote=True)


def anchor_id(sentence_id: str) -> str:
    """The HTML id of a sentence in the report's full texts (stable, safe in a URL fragment)."""
    return "s-" + hashlib.sha1(str(sentence_id).encode("utf-8")).hexdigest()[:16]


def article_anchor(article_id: str) -> str:
    """The HTML id of an article's full text in the report."""
    return "a-" + hashlib.sha1(str(article_id).encode("utf-8")).hexdigest()[:12]


def summarise_stances(stances: Iterable[str]) -> str:
    """One stance for a set of pair stances: mixed, contradict, disputed, agree, partial, unrelated or none."""
    s = set(stances)
    if not s:
        return "none"
    if "contradict" in s and s & {"agree", "partial"}:
        return "mixed"
    for st in ("contradict", "disputed", "agree", "partial"):
        if st in s:
            return st
    return "unrelated"


def _rows(df: pd.DataFrame) -> Iterator[Any]:
    """The rows of ``df`` as namedtuples (typed loosely: columns hold mixed dtypes)."""
    return iter(df.itertuples(index=False))


def _judgements(comparison: Comparison) -> dict[str, list[tuple[str, str, str]]]:
    """sentence_id -> [(other outlet, stance, tooltip line)] over same-claim pairs."""
    out: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    p = comparison.pairs[comparison.pairs["same_claim"]]
    for r in _rows(p):
        st = str(r.stance)
        for me, other, ent, con, ent_back in (("a", "b", r.entailment_ab, r.contradiction_ab, r.entailment_ba),
                                              ("b", "a", r.entailment_ba, r.contradiction_ba, r.entailment_ab)):
            tip = (f"vs {getattr(r, 'outlet_' + other)}: {st} (entails it {ent:.2f}, entailed by it {ent_back:.2f}, "
                   f"contradiction {con:.2f}, cosine {r.cosine:.2f})")
            out[str(getattr(r, "sentence_id_" + me))].append((str(getattr(r, "outlet_" + other)), st, tip))
    return out


def _png_uri(fig: Figure) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=96)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def _sentence_link(row: Any, judged: list[tuple[str, str, str]], copied_from: list[str] | None = None) -> str:
    overall = summarise_stances(j[1] for j in judged)
    tip = "\n".join(j[2] for j in judged) or STANCE_HELP["none"]
    by_outlet: dict[str, list[str]] = defaultdict(list)
    for outlet, st, _ in judged:
        by_outlet[outlet].append(st)
    badges = "".join(f'<span class="st-{summarise_stances(v)}">vs {esc(o)}: {summarise_stances(v)}</span>'
                     for o, v in sorted(by_outlet.items()))
    badges += "".join(f'<span class="copy">copy: {esc(o)}</span>' for o in sorted(set(copied_from or [])))
    return (f'<a class="sent st-{overall}" href="#{anchor_id(row.sentence_id)}" title="{esc(tip)}">{esc(row.text)}</a>'
            + (f'<div class="vs">{badges}</div>' if badges else ""))


def _copied_with(comparison: Comparison) -> dict[str, list[str]]:
    """sentence_id -> the other outlets it has a near-verbatim copy in."""
    out: dict[str, list[str]] = defaultdict(list)
    for r in _rows(comparison.copied_sentences):
        out[str(r.sentence_id_a)].append(str(r.outlet_b))
        out[str(r.sentence_id_b)].append(str(r.outlet_a))
    return out


def _claim_grid(comparison: Comparison, outlets: list[str], judged: dict[str, list[tuple[str, str, str]]]) -> str:
    cross = comparison.cross_outlet_claims()
    if cross.empty:
        return '<p class="note">No claim is carried by two or more outlets.</p>'
    copies = _copied_with(comparison)
    by_cell: dict[tuple[int, str], list[Any]] = defaultdict(list)
    for r in _rows(comparison.sentences.sort_values(["article_id", "position"])):
        by_cell[(int(r.claim_id), str(r.outlet))].append(r)
    head = "".join(f"<th>{esc(o)}</th>" for o in outlets)
    rows = []
    for c in _rows(cross):
        cid = int(c.claim_id)
        cells = []
        for o in outlets:
            sents = by_cell.get((cid, o), [])
            if not sents:
                cells.append(f'<td class="missing" title="{esc(o)} does not report this claim">not reported</td>')
            else:
                cells.append("<td>" + "".join(_sentence_link(s, judged.get(str(s.sentence_id), []),
                                                             copies.get(str(s.sentence_id))) for s in sents)
                             + "</td>")
        st = esc(c.stance)
        rows.append(
            f'<tr id="c-{cid}"><th class="claim" scope="row"><span class="cid">Claim {cid}</span><br>'
            f'<span class="badge st-{st}" title="{esc(STANCE_HELP.get(str(c.stance), ""))}">{st}</span><br>'
            f'<span class="small">{int(c.n_outlets)} outlets{_independent(c)} · {int(c.n_sentences)} sentences · '
            f'{int(c.n_pairs)} pairs judged</span></th>{"".join(cells)}</tr>')
    return (f'<table class="grid"><thead><tr><th class="claim">Claim</th>{head}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table>')


def _independent(claim: Any) -> str:
    """' (k independent)' when copies collapse some of the claim's outlets, else ''."""
    k = int(getattr(claim, "n_independent_outlets", claim.n_outlets))
    return f" ({k} independent)" if k != int(claim.n_outlets) else ""


def _single_outlet(comparison: Comparison) -> str:
    single = comparison.claims[comparison.claims["n_outlets"] <= 1]
    if single.empty:
        return ""
    sents = comparison.sentences.sort_values(["outlet", "article_id", "position"])
    sents = sents[sents["claim_id"].isin(single["claim_id"])]
    by_claim: dict[int, list[Any]] = defaultdict(list)
    for r in _rows(sents):
        by_claim[int(r.claim_id)].append(r)
    rows = "".join(
        f'<tr id="c-{cid}"><td class="num">{cid}</td><td>{esc(rs[0].outlet)}</td><td>'
        + "".join(f'<a class="sent st-none" href="#{anchor_id(r.sentence_id)}">{esc(r.text)}</a>' for r in rs)
        + "</td></tr>"
        for cid, rs in sorted(by_claim.items(), key=lambda kv: (str(kv[1][0].outlet), kv[0])))
    return (f'<details id="single"><summary>Claims reported by one outlet only ({len(single)} claims, '
            f'{len(sents)} sentences)</summary><table class="data"><thead><tr><th>Claim</th><th>Outlet</th>'
            f'<th>Sentence</th></tr></thead><tbody>{rows}</tbody></table></details>')


def _with_evidence(text: str, start: Any, end: Any, offset: int) -> str:
    """The escaped sentence with its evidence span (article offsets) marked."""
    if start is None or end is None or pd.isna(start) or pd.isna(end):
        return esc(text)
    s, e = int(start) - offset, int(end) - offset
    if not 0 <= s < e <= len(text):
        return esc(text)
    return f'{esc(text[:s])}<mark class="ev">{esc(text[s:e])}</mark>{esc(text[e:])}'


def _contradictions(comparison: Comparison) -> str:
    p = comparison.pairs[comparison.pairs["stance"].isin(["contradict", "disputed"])].copy()
    if p.empty:
        return '<p class="note">No same-claim pair was judged a contradiction or a dispute.</p>'
    p["order"] = (p["stance"] != "contradict").astype(int)
    p["strength"] = p[["contradiction_ab", "contradiction_ba"]].max(axis=1)
    p = p.sort_values(["order", "strength", "sentence_id_a", "sentence_id_b"], ascending=[True, False, True, True])
    sent = comparison.sentences.set_index("sentence_id")
    texts, starts = sent["text"], sent["char_start"]

    def cell(r: Any, side: str) -> str:
        sid = getattr(r, f"sentence_id_{side}")
        body = _with_evidence(str(texts[sid]), getattr(r, f"evidence_{side}_start"),
                              getattr(r, f"evidence_{side}_end"), int(starts[sid]))
        spk = getattr(r, f"speaker_{side}")
        who = f'<br><span class="note">said by {esc(spk)}</span>' if isinstance(spk, str) and spk else ""
        hedge = ' <span class="note">(hedged)</span>' if getattr(r, f"certainty_{side}") == "hedged" else ""
        return (f'<td><b>{esc(getattr(r, f"outlet_{side}"))}</b>{hedge}<a class="sent st-{esc(r.stance)}" '
                f'href="#{anchor_id(sid)}">{body}</a>{who}</td>')

    rows = [f'<tr>{cell(r, "a")}{cell(r, "b")}<td><span class="badge st-{esc(r.stance)}" '
            f'title="{esc(STANCE_HELP.get(str(r.stance), ""))}">{esc(r.stance)}</span><br>'
            f'{esc(r.conflict_kind) if isinstance(r.conflict_kind, str) else ""}</td>'
            f'<td class="num">{r.contradiction_ab:.2f} / {r.contradiction_ba:.2f}</td></tr>' for r in _rows(p)]
    head = ('<table class="data contra"><thead><tr><th>Sentence A (evidence marked)</th><th>Sentence B</th>'
            '<th>Stance and kind</th><th>P(contradiction) A→B / B→A</th></tr></thead><tbody>')
    return collapsed_table(head, rows, TOP_CONTRADICTIONS, "pairs")


def collapsed_table(head: str, rows: list[str], shown: int, what: str) -> str:
    """The first ``shown`` rows under ``head``, the rest in a collapsed ``<details>`` ("Show the other N ...")."""
    out = head + "".join(rows[:shown]) + "</tbody></table>"
    if len(rows) > shown:
        out += (f"<details><summary>Show the other {len(rows) - shown} {what}</summary>"
                f'{head}{"".join(rows[shown:])}</tbody></table></details>')
    return out


def _fulltext(text: str, spans: list[tuple[int, int, str, str]]) -> str:
    """``text`` escaped, with each (start, end, open tag, close tag) span wrapped by its offsets."""
    out, cursor = [], 0
    for start, end, open_, close in sorted(spans, key=lambda s: (s[0], s[1])):
        start = max(start, cursor)
        end = max(end, start)
        out.append(esc(text[cursor:start]))
        out.append(open_ + esc(text[start:end]) + close)
        cursor = end
    out.append(esc(text[cursor:]))
    return "".join(out)


def _articles(comparison: Comparison, judged: dict[str, list[tuple[str, str, str]]]) -> str:
    parts = []
    sents = comparison.sentences.groupby("article_id", observed=True, sort=False)
    removed = comparison.removed.groupby("article_id", observed=True, sort=False)
    for a in _rows(comparison.articles.sort_values(["outlet", "article_id"])):
        aid = str(a.article_id)
        spans: list[tuple[int, int, str, str]] = []
        if aid in sents.groups:
            for s in _rows(sents.get_group(aid)):
                st = summarise_stances(j[1] for j in judged.get(str(s.sentence_id), []))
                open_ = (f'<a class="s st-{st}" id="{anchor_id(s.sentence_id)}" href="#c-{int(s.claim_id)}" '
                         f'data-sentence-id="{esc(s.sentence_id)}" title="claim {int(s.claim_id)}: {st}">')
                spans.append((int(s.char_start), int(s.char_end), open_, "</a>"))
        if aid in removed.groups:
            for r in _rows(removed.get_group(aid)):
                spans.append((int(r.char_start), int(r.char_end),
                              f'<del class="removed" title="removed: {esc(r.reason)}">', "</del>"))
        url = "" if a.url is pd.NA or a.url is None else str(a.url)
        url_html = (f'<a href="{esc(url)}" rel="noopener noreferrer">{esc(url)}</a>'
                    if url.strip().lower().startswith(("http://", "https://")) else esc(url))
        meta = " · ".join(x for x in (esc(a.date), url_html, f"id {esc(aid)}") if x)
        title = esc(a.title) or "<i>(no title)</i>"
        parts.append(f'<article class="doc" id="{article_anchor(aid)}"><h3>{esc(a.outlet)}: {title}</h3>'
                     f'<p class="docmeta">{meta}</p><div class="fulltext" data-article-id="{esc(aid)}">'
                     f"{_fulltext(str(a.text), spans)}</div></article>")
    return "".join(parts)


def _outlet_table(comparison: Comparison, outlets: list[str]) -> str:
    cov = comparison.coverage[comparison.coverage["carried"]]
    multi = set(comparison.claims.loc[comparison.claims["n_outlets"] > 1, "claim_id"])
    rows = []
    for o in outlets:
        carried = set(cov.loc[cov["outlet"] == o, "claim_id"])
        cells = [int((comparison.articles["outlet"] == o).sum()), int((comparison.sentences["outlet"] == o).sum()),
                 int((comparison.removed["outlet"] == o).sum()), len(carried), len(carried & multi),
                 len(carried - multi)]
        rows.append(f"<tr><th>{esc(o)}</th>" + "".join(f'<td class="num">{v}</td>' for v in cells) + "</tr>")
    return ('<table class="data"><thead><tr><th>Outlet</th><th>Articles</th><th>Sentences kept</th>'
            '<th>Boilerplate removed</th><th>Claims</th><th>Shared claims</th><th>Only this outlet</th></tr>'
            f'</thead><tbody>{"".join(rows)}</tbody></table>')


def _framing(comparison: Comparison) -> str:
    """The framing section from :mod:`claimcmp.framing`, when that module provides one."""
    try:
        import claimcmp.framing as framing

        section = framing.framing_html_section  # type: ignore[attr-defined]
    except (ImportError, AttributeError):
        return ""
    try:
        return str(section(comparison))
    except Exception:
        log.warning("framing_html_section failed; the report has no framing section", exc_info=True)
        return ""


def _legend() -> str:
    items = "".join(f'<span class="st-{s}">{esc(h)}</span>' for s, h in STANCE_HELP.items())
    return f'<div class="legend">{items}<span class="missing">not reported: the outlet omits the claim</span></div>'


def render_report(comparison: Comparison, plots: bool = True) -> str:
    """The full report as one HTML string (see :func:`write_report`)."""
    from claimcmp.report.plots import plot_agreement, plot_coverage, plot_stance
    from claimcmp.report.sections import copies_section, timeline_section

    outlets = sorted(str(o) for o in comparison.articles["outlet"].unique())
    judged = _judgements(comparison)
    n_cross = int((comparison.claims["n_outlets"] > 1).sum())
    cards = [(len(comparison.articles), "articles"), (len(outlets), "outlets"),
             (len(comparison.sentences), "sentences"), (len(comparison.removed), "boilerplate spans removed"),
             (len(comparison.claims), "claims"), (n_cross, "claims in 2+ outlets"),
             (len(comparison.pairs), "pairs judged"),
             (int((comparison.pairs["stance"] == "contradict").sum()), "contradicting pairs"),
             (len(comparison.copied_sentences), "copied sentence pairs")]
    figs = ""
    if plots:
        captions = (("Which outlet reports which cross-outlet claim.", plot_coverage(comparison)),
                    ("Agreement rate between outlets inside shared claims.", plot_agreement(comparison)),
                    ("Stance of all judged sentence pairs per outlet pair.", plot_stance(comparison)))
        figs = ('<p class="note">Agreement counts only pairs of sentences in the same claim; the stance bars count '
                'every judged pair, including near neighbours from different claims.</p><div class="plots">'
                + "".join(f'<figure class="{cls}"><img alt="{esc(cap)}" src="{_png_uri(fig)}">'
                          f'<figcaption>{esc(cap)}</figcaption></figure>'
                          for cls, (cap, fig) in zip(("wide", "", ""), captions, strict=True)) + "</div>")
    m = comparison.meta
    models = m.get("models", {}) if isinstance(m.get("models"), dict) else {}
    threshold = m.get("stages", {}).get("clusterer", {}).get("threshold", "?") if isinstance(
        m.get("stages"), dict) else "?"
    subtitle = (f"{esc(', '.join(outlets))} · embedding model {esc(models.get('embed', '?'))} · NLI model "
                f"{esc(models.get('nli', '?'))} · claim threshold {esc(threshold)}")
    single = _single_outlet(comparison)
    framing = _framing(comparison)
    nav = [("overview", "Overview"), ("claims", "Claims"), ("contradictions", "Contradictions")]
    nav += [("single-outlet", "Single-outlet claims")] if single else []
    nav += [("framing", "Framing")] if framing else []
    nav += [("copies", "Copies"), ("timeline", "Timeline")]
    nav += [("articles", "Full texts")]
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>claimcmp report: {len(comparison.articles)} articles from {len(outlets)} outlets</title>
<style>{CSS}</style></head><body>
<header class="top"><h1>How {len(outlets)} outlets report the same event</h1><p>{subtitle}</p></header>
<nav class="toc">{"".join(f'<a href="#{i}">{t}</a>' for i, t in nav)}</nav>
<main>
<section id="overview"><h2>Overview</h2>
<div class="cards">{"".join(f"<div class='card'><b>{v}</b><span>{t}</span></div>" for v, t in cards)}</div>
{_outlet_table(comparison, outlets)}
{figs}</section>
<section id="claims"><h2>Claims reported by two or more outlets</h2>
<p class="note">One row per claim, one column per outlet. Each sentence is coloured by its stance against the
other outlets' sentences in the same claim (hover for the model's probabilities) and links to its place in the
full text below. Hatched cells: the outlet does not report the claim.</p>{_legend()}
{_claim_grid(comparison, outlets, judged)}</section>
<section id="contradictions"><h2>Contradictions and disputes</h2>
<p class="note">{int((comparison.pairs["stance"] == "contradict").sum())} cross-outlet pairs of one claim whose
facts conflict (a number, date, name or polarity; the conflicting words are marked), then
{int((comparison.pairs["stance"] == "disputed").sum())} pairs that report opposing positions of different
speakers. Read them as leads to check against the full texts, not findings.</p>{_contradictions(comparison)}
</section>
{f'<section id="single-outlet"><h2>Single-outlet claims</h2>{single}</section>' if single else ""}
{f'<section id="framing">{framing}</section>' if framing else ""}
<section id="copies"><h2>Copies</h2>{copies_section(comparison)}</section>
<section id="timeline"><h2>Timeline</h2>{timeline_section(comparison, plots=plots)}</section>
<section id="articles"><h2>Full texts</h2>
<p class="note">The original texts. Kept sentences are coloured by stance and link back to their claim;
removed boilerplate is <del class="removed">struck through</del> (hover for the reason).</p>
<div class="docs">{_articles(comparison, judged)}</div></section>
<footer><details><summary>Run details (meta)</summary><pre>{esc(json.dumps(m, indent=2, default=str))}</pre>
</details>Generated by claimcmp {esc(m.get("claimcmp_version", ""))}.</footer>
</main></body></html>
"""


def write_report(comparison: Comparison, path: str | Path, plots: bool = True) -> Path:
    """Write the self-contained HTML report to ``path`` (UTF-8) and return the path.

    Sections: overview with counts and plots, one row per cross-outlet claim with one column per
    outlet (omissions shown as "not reported"), contradicting pairs, single-outlet claims, an
    optional framing section from :mod:`claimcmp.framing`, and every article's full text with
    sentences marked by their character offsets and removed boilerplate struck through.
    """
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render_report(comparison, plots=plots), encoding="utf-8")
    return out


def render_summary_html(comparison: Comparison, top: int = 5) -> str:
    """Compact escaped HTML for notebooks: counts, the top cross-outlet claims, the agreement table."""
    c = comparison
    head = (f"<b>claimcmp Comparison</b>: {len(c.articles)} articles · {c.articles['outlet'].nunique()} outlets · "
            f"{len(c.sentences)} sentences · {len(c.claims)} claims ({int((c.claims['n_outlets'] > 1).sum())} "
            f"in 2+ outlets) · {len(c.pairs)} judged pairs")
    td = 'style="text-align:left;vertical-align:top"'
    claims = "".join(
        f"<tr><td>{int(r.claim_id)}</td><td {td}><span style='padding:0 4px;background:"
        f"{STANCE_BACKGROUNDS.get(str(r.stance), '#fff')}'>{esc(r.stance)}</span></td><td {td}>{esc(r.outlets)}</td>"
        f"<td {td}>{esc(_cut(str(r.representative), 120))}</td></tr>"
        for r in _rows(c.cross_outlet_claims().head(top)))
    agr = c.agreement[c.agreement["n_pairs"] > 0].head(15)
    rates = "".join(
        f"<tr><td {td}>{esc(r.outlet_a)}</td><td {td}>{esc(r.outlet_b)}</td><td>{int(r.shared_claims)}</td>"
        f"<td>{int(r.n_pairs)}</td><td>{_rate(r.agreement_rate)}</td><td>{_rate(r.contradiction_rate)}</td></tr>"
        for r in _rows(agr))
    return (f"<div>{head}<br><small>Top cross-outlet claims</small><table><tr><th>claim</th><th>stance</th>"
            f"<th>outlets</th><th>representative</th></tr>{claims}</table><small>Agreement</small><table><tr>"
            "<th>outlet_a</th><th>outlet_b</th><th>shared</th><th>pairs</th><th>agreement</th><th>contradiction</th>"
            f"</tr>{rates}</table></div>")


def _cut(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _rate(v: float) -> str:
    return "–" if v != v else f"{v:.2f}"
