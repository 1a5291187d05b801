"""The framing section of the HTML report: outlet x term tables and the speakers behind shared claims.

Every piece of article text (sentences, speakers, terms, outlet names) is untrusted and goes through
:func:`html.escape`; the fragment has no scripts and no external resources.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import TYPE_CHECKING

import pandas as pd

from claimcmp.framing.lexicon import GROUP_DESCRIPTIONS

if TYPE_CHECKING:
    from claimcmp.framing import Framing
    from claimcmp.results import Comparison

#: Groups shown by default: the referent groups where outlets' word choice differs most.
DEFAULT_GROUPS = ("armed_groups", "truce", "islamic_state", "nusra", "government", "opposition", "qualifiers")

_STYLE = (
    ".claimcmp-framing table{border-collapse:collapse;margin:.4em 0 1em}"
    ".claimcmp-framing th,.claimcmp-framing td{border:1px solid #ccc;padding:2px 8px;text-align:left}"
    ".claimcmp-framing td.n{text-align:right}.claimcmp-framing td.zero{color:#bbb}"
    ".claimcmp-framing .rep{font-style:italic}.claimcmp-framing .note{color:#555;font-size:90%}"
)


def _e(value: object) -> str:
    """Escape any value for HTML text or a quoted attribute."""
    return html.escape("" if value is None or value is pd.NA else str(value), quote=True)


def _term_tables(fr: Framing, outlets: list[str], groups: Sequence[str]) -> list[str]:
    out: list[str] = []
    table = fr.term_table
    for group in groups:
        sub = table[table["group"] == group]
        if sub.empty:
            continue
        m = fr.term_matrix(group=group).reindex(columns=outlets, fill_value=0)
        head = "".join(f"<th>{_e(o)}</th>" for o in outlets)
        out.append(f"<h4>{_e(group)}</h4><p class=\"note\">{_e(GROUP_DESCRIPTIONS.get(group, ''))}</p>")
        out.append(f"<table class=\"claimcmp-framing-terms\"><thead><tr><th>term</th>{head}</tr></thead><tbody>")
        for key, counts in zip(m.index, m.to_numpy().tolist()):
            canonical = str(key[1])
            cells = []
            for o, n in zip(outlets, counts):
                hits = sub[(sub["canonical"] == canonical) & (sub["outlet"].astype(str) == o)]
                variants = "; ".join(f"{t} ×{c}" for t, c in zip(hits["term"], hits["count"]))
                quoted = sum(int(q) for q in hits["n_in_quote"])
                title = f"{variants} ({quoted} inside quotation marks)" if n else "not used"
                cls = "n" if n else "n zero"
                cells.append(f"<td class=\"{cls}\" title=\"{_e(title)}\">{int(n)}</td>")
            out.append(f"<tr><th scope=\"row\">{_e(canonical)}</th>{''.join(cells)}</tr>")
        out.append("</tbody></table>")
    return out


def _claims(comparison: Comparison, fr: Framing, max_claims: int) -> list[str]:
    out: list[str] = []
    wording = fr.claim_wording
    cross = comparison.cross_outlet_claims().head(max_claims)
    for claim_id, outlets, rep in zip(cross["claim_id"].tolist(), cross["outlets"], cross["representative"]):
        rows = fr.speakers(int(claim_id))
        out.append(f"<div class=\"claimcmp-framing-claim\"><p><strong>Claim {int(claim_id)}</strong> "
                   f"({_e(outlets)}): <span class=\"rep\">{_e(rep)}</span></p>")
        out.append("<table><thead><tr><th>outlet</th><th>who said it (mode)</th><th>framing terms</th>"
                   "<th>words only this outlet uses here</th></tr></thead><tbody>")
        for outlet, g in rows.groupby("outlet", observed=True, sort=True):
            said = []
            for sp, mode, res in zip(g["speaker"], g["mode"], g["speaker_resolved"]):
                who = "outlet's own voice" if sp is pd.NA or sp is None else str(sp) + (" [resolved]" if res else "")
                said.append(f"{who} ({mode})")
            w = wording[(wording["claim_id"] == claim_id) & (wording["outlet"].astype(str) == str(outlet))]
            terms = w["terms"].iloc[0] if len(w) else ""
            distinct = w["distinctive_words"].iloc[0] if len(w) else ""
            out.append(f"<tr><th scope=\"row\">{_e(outlet)}</th><td>{_e('; '.join(dict.fromkeys(said)))}</td>"
                       f"<td>{_e(terms)}</td><td>{_e(distinct)}</td></tr>")
        out.append("</tbody></table></div>")
    return out


def render_section(comparison: Comparison, framing: Framing, groups: Sequence[str] | None = None,
                   max_claims: int = 30) -> str:
    """The framing section as an HTML fragment (a ``<section>`` with its own scoped ``<style>``)."""
    outlets = [str(o) for o in comparison.articles["outlet"].drop_duplicates().sort_values()]
    chosen = list(DEFAULT_GROUPS if groups is None else groups)
    parts = [f"<section class=\"claimcmp-framing\"><style>{_STYLE}</style>",
             "<h2>Framing: who said it, and which words each outlet chose</h2>",
             "<h3>Outlet × term</h3><p class=\"note\">Matches of the framing lexicon in each outlet's sentences "
             "(hover a cell for the exact variants and how many stand inside quotation marks).</p>"]
    parts += _term_tables(framing, outlets, chosen)
    parts.append("<h3>Who said it, per claim carried by several outlets</h3>")
    claims = _claims(comparison, framing, max_claims)
    parts += claims or ["<p class=\"note\">No claim is carried by more than one outlet.</p>"]
    parts.append("</section>")
    return "\n".join(parts)
