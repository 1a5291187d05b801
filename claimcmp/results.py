"""The result of one comparison: plain DataFrames with documented columns, plus provenance."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from claimcmp._text_safety import sanitize_terminal
from claimcmp.errors import OffsetError, ParameterError
from claimcmp.schema import TABLES, empty

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from claimcmp.framing import Framing

TABLE_NAMES = ("articles", "sentences", "removed", "claims", "pairs", "coverage", "agreement", "skipped",
               "copied_sentences", "copies", "timeline")
#: Tables a saved folder may lack (written before they existed): they read back empty.
OPTIONAL_TABLES = ("skipped", "copied_sentences", "copies", "timeline")


@dataclass(frozen=True)
class Comparison:
    """What :func:`claimcmp.compare` returns for one event.

    Tables (columns and dtypes in :data:`claimcmp.schema.TABLES`, docs/reference/tables.md):
    ``articles``, ``sentences``, ``removed``, ``claims``, ``pairs``, ``coverage``, ``agreement``, and
    ``skipped`` (articles left out by ``on_bad_article="skip"``, with the reason; empty otherwise),
    ``copied_sentences`` and ``copies`` (near-verbatim copies across outlets, by sentence and by article
    pair) and ``timeline`` (who carried each claim first, and how the wording changed).
    ``meta`` records parameters, model names and checksums, versions, and pair counts.
    The object is immutable; every table is derived from ``sentences`` and ``pairs``.
    """

    articles: pd.DataFrame
    sentences: pd.DataFrame
    removed: pd.DataFrame
    claims: pd.DataFrame
    pairs: pd.DataFrame
    coverage: pd.DataFrame
    agreement: pd.DataFrame
    meta: dict[str, Any] = field(default_factory=dict)
    skipped: pd.DataFrame = field(default_factory=lambda: empty("skipped"))
    copied_sentences: pd.DataFrame = field(default_factory=lambda: empty("copied_sentences"))
    copies: pd.DataFrame = field(default_factory=lambda: empty("copies"))
    timeline: pd.DataFrame = field(default_factory=lambda: empty("timeline"))

    # --- checks and views -------------------------------------------------------------------

    def validate(self) -> Comparison:
        """Check columns, dtypes, offsets and keys; raises on the first problem, returns self."""
        for name in TABLE_NAMES:
            df = getattr(self, name)
            expected = list(TABLES[name])
            if list(df.columns) != expected:
                raise ParameterError(f"table {name!r} has columns {list(df.columns)}, expected {expected}.")
            for col, (dtype, _) in TABLES[name].items():
                if str(df[col].dtype) != dtype:
                    raise ParameterError(f"{name}.{col} has dtype {df[col].dtype}, expected {dtype}.")
        texts = dict(zip(self.articles["article_id"], self.articles["text"]))
        for table in ("sentences", "removed"):
            df = getattr(self, table)
            for aid, s, e, t in zip(df["article_id"], df["char_start"], df["char_end"], df["text"]):
                if texts[aid][s:e] != t:
                    raise OffsetError(f"{table}: article {aid!r} [{s}:{e}] does not reproduce {t[:50]!r}.")
        if self.sentences["sentence_id"].duplicated().any():
            raise OffsetError("sentences: duplicate sentence_id.")
        if self.sentences["claim_id"].isna().any():
            raise OffsetError("sentences: a sentence has no claim_id.")
        return self

    def sentence_context(self, sentence_id: str, chars: int = 200) -> str:
        """The sentence with ``chars`` characters of its article on either side, marked ``[[...]]``."""
        row = self.sentences.loc[self.sentences["sentence_id"] == sentence_id]
        if row.empty:
            raise ParameterError(f"No sentence with id {sentence_id!r}.")
        r = row.iloc[0]
        text = str(self.articles.set_index("article_id").at[r["article_id"], "text"])
        s, e = int(r["char_start"]), int(r["char_end"])
        return f"{text[max(0, s - chars):s]}[[{text[s:e]}]]{text[e:e + chars]}"

    def coverage_matrix(self) -> pd.DataFrame:
        """Claims x outlets matrix of sentence counts (0 = the outlet omits the claim)."""
        return self.coverage.pivot(index="claim_id", columns="outlet", values="n_sentences")

    def agreement_matrix(self, value: str = "agreement_rate") -> pd.DataFrame:
        """Symmetric outlets x outlets matrix of one column of ``agreement``."""
        outlets = list(self.articles["outlet"].unique())
        m = pd.DataFrame(float("nan"), index=outlets, columns=outlets)
        for a, b, v in zip(self.agreement["outlet_a"], self.agreement["outlet_b"], self.agreement[value]):
            m.at[a, b] = m.at[b, a] = v
        return m

    def cross_outlet_claims(self) -> pd.DataFrame:
        """Claims carried by two or more outlets, largest first."""
        c = self.claims[self.claims["n_outlets"] > 1]
        return c.sort_values(["n_outlets", "n_sentences", "claim_id"], ascending=[False, False, True])

    def summary(self, top: int = 10) -> str:
        """A short plain-text summary: counts, the largest cross-outlet claims, contradictions."""
        m = self.meta
        lines = [
            f"{len(self.articles)} articles from {self.articles['outlet'].nunique()} outlets; "
            f"{len(self.sentences)} sentences kept, {len(self.removed)} boilerplate spans removed",
            f"{len(self.claims)} claims, {int((self.claims['n_outlets'] > 1).sum())} carried by 2+ outlets; "
            f"{len(self.pairs)} cross-outlet pairs judged (of {m.get('naive_pairs', '?')} possible)",
            "",
            f"Largest cross-outlet claims (top {top}):",
        ]
        for _, c in self.cross_outlet_claims().head(top).iterrows():
            rep = c["representative"]
            rep = rep if len(rep) <= 110 else rep[:107] + "..."
            lines.append(f"  [{c['claim_id']}] {c['stance']:<10} {c['outlets']}")
            lines.append(f"        {rep}")
        contra = self.pairs[self.pairs["stance"] == "contradict"]
        lines.append("")
        lines.append(f"Contradicting pairs: {len(contra)}")
        texts = self.sentences.set_index("sentence_id")["text"]
        for _, p in contra.head(top).iterrows():
            lines.append(f"  {p['outlet_a']}: {texts[p['sentence_id_a']][:100]}")
            lines.append(f"  {p['outlet_b']}: {texts[p['sentence_id_b']][:100]}")
        if len(self.skipped):
            lines += ["", f"Skipped articles: {len(self.skipped)}"]
            lines += [f"  {r['article_id'] if pd.notna(r['article_id']) else '#' + str(r['position'])}: {r['message']}"
                      for _, r in self.skipped.iterrows()]
        return sanitize_terminal("\n".join(lines))

    def __repr__(self) -> str:
        return (f"Comparison({len(self.articles)} articles, {len(self.sentences)} sentences, "
                f"{len(self.claims)} claims, {len(self.pairs)} judged pairs)")

    # --- display and plots --------------------------------------------------------------------

    def _repr_html_(self) -> str:
        """Compact HTML summary for notebooks: counts, top cross-outlet claims, agreement table."""
        from claimcmp.report.html import render_summary_html

        return render_summary_html(self)

    def plot_agreement(self) -> Figure:
        """Outlet x outlet heatmap of ``agreement_rate`` (see :func:`claimcmp.report.plots.plot_agreement`)."""
        from claimcmp.report.plots import plot_agreement

        return plot_agreement(self)

    def plot_coverage(self, min_outlets: int = 2) -> Figure:
        """Claim x outlet matrix of cross-outlet claims (see :func:`claimcmp.report.plots.plot_coverage`)."""
        from claimcmp.report.plots import plot_coverage

        return plot_coverage(self, min_outlets=min_outlets)

    def plot_stance(self) -> Figure:
        """Stacked bars of stance counts per outlet pair (see :func:`claimcmp.report.plots.plot_stance`)."""
        from claimcmp.report.plots import plot_stance

        return plot_stance(self)

    def plot_timeline(self, claim_id: int | None = None) -> Figure:
        """When each outlet carried the event, or one claim (see :func:`claimcmp.report.timeline.plot_timeline`)."""
        from claimcmp.report.timeline import plot_timeline

        return plot_timeline(self, claim_id=claim_id)

    def write_report(self, path: str | Path) -> Path:
        """Write the self-contained HTML report to ``path`` (see :func:`claimcmp.report.write_report`)."""
        from claimcmp.report.html import write_report

        return write_report(self, path)

    # --- framing ------------------------------------------------------------------------------

    @cached_property
    def framing(self) -> Framing:
        """Framing analysis with the default lexicon (:func:`claimcmp.framing.analyze_framing`), computed once.

        Cached in the instance ``__dict__``: not a dataclass field, so not part of ``==``, repr or the files
        :meth:`to_parquet` writes.
        """
        from claimcmp.framing import analyze_framing

        return analyze_framing(self)

    # --- storage ----------------------------------------------------------------------------

    def to_parquet(self, path: str | Path) -> Path:
        """Write every table as ``<table>.parquet``, ``meta.json`` and ``dtypes.json`` into folder ``path``.

        ``dtypes.json`` records each column's dtype (categories and their dtype included) so that
        :func:`read_comparison` restores the tables exactly, even empty ones. The folder is written
        beside ``path`` and renamed into place when complete, under a lock; it replaces an earlier
        output as a whole, and a folder holding other files is refused (see :mod:`claimcmp.saving`).
        Returns the folder's absolute path.
        """
        from claimcmp.saving import save_comparison

        return save_comparison(self, path, ("parquet",))

    def to_csv(self, path: str | Path) -> Path:
        """Write every table as ``<table>.csv`` (UTF-8, no index) plus ``meta.json`` and ``dtypes.json``.

        Written like :meth:`to_parquet`. Text cells a spreadsheet could run as a formula get a leading
        ``'`` (docs/reference/tables.md); :func:`read_comparison` undoes it and restores the dtypes.
        """
        from claimcmp.saving import save_comparison

        return save_comparison(self, path, ("csv",))


def _json_default(value: Any) -> Any:
    """JSON form of values json cannot write: numpy scalars and arrays, paths, sets; else ``str``."""
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, (set, frozenset)):
        return sorted(value, key=str)
    return str(value)


def _dtype_spec(series: pd.Series) -> dict[str, Any]:
    """A JSON description of a column's dtype, enough to rebuild it exactly."""
    dtype = series.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        return {"dtype": "category", "categories": dtype.categories.tolist(),
                "categories_dtype": str(dtype.categories.dtype), "ordered": bool(dtype.ordered)}
    return {"dtype": str(dtype)}


def _restore_dtypes(df: pd.DataFrame, spec: dict[str, dict[str, Any]]) -> pd.DataFrame:
    """``df`` with each column cast back to the dtype recorded by :func:`_dtype_spec`."""
    df = df.copy()
    for col, s in spec.items():
        if col not in df.columns:
            continue
        if s["dtype"] == "category":
            cats = pd.Index(s["categories"], dtype=s["categories_dtype"])
            want = pd.CategoricalDtype(cats, ordered=s["ordered"])
            values = df[col].astype(object).where(df[col].notna(), None)
            df[col] = pd.Series(pd.Categorical(values, dtype=want), index=df.index)
        elif str(df[col].dtype) != s["dtype"]:
            df[col] = df[col].astype(s["dtype"])
    return df


def read_comparison(path: str | Path) -> Comparison:
    """Read a folder written by :meth:`Comparison.to_parquet` (or ``to_csv``); the result equals the original.

    Raises :class:`~claimcmp.errors.OutputReadError` for a folder that is incomplete, mixed from two
    runs, or damaged (see :func:`claimcmp.saving.read_folder`).
    """
    from claimcmp.saving import read_folder

    return read_folder(path)
