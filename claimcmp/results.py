"""The result of one comparison: plain DataFrames with documented columns, plus provenance."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from claimcmp.errors import ArticleReadError, OffsetError, ParameterError
from claimcmp.schema import TABLES

TABLE_NAMES = ("articles", "sentences", "removed", "claims", "pairs", "coverage", "agreement")


@dataclass(frozen=True)
class Comparison:
    """What :func:`claimcmp.compare` returns for one event.

    Tables (columns and dtypes in :data:`claimcmp.schema.TABLES`, docs/reference/tables.md):
    ``articles``, ``sentences``, ``removed``, ``claims``, ``pairs``, ``coverage``, ``agreement``.
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
        text = self.articles.set_index("article_id").at[r["article_id"], "text"]
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
        return "\n".join(lines)

    def __repr__(self) -> str:
        return (f"Comparison({len(self.articles)} articles, {len(self.sentences)} sentences, "
                f"{len(self.claims)} claims, {len(self.pairs)} judged pairs)")

    # --- storage ----------------------------------------------------------------------------

    def to_parquet(self, path: str | Path) -> Path:
        """Write every table as ``<table>.parquet`` plus ``meta.json`` into folder ``path``."""
        out = Path(path)
        out.mkdir(parents=True, exist_ok=True)
        for name in TABLE_NAMES:
            getattr(self, name).to_parquet(out / f"{name}.parquet", index=False)
        (out / "meta.json").write_text(json.dumps(self.meta, indent=2, default=str), encoding="utf-8")
        return out


def read_comparison(path: str | Path) -> Comparison:
    """Read a folder written by :meth:`Comparison.to_parquet`; the result equals the original."""
    folder = Path(path)
    missing = [n for n in TABLE_NAMES if not (folder / f"{n}.parquet").is_file()]
    if missing or not (folder / "meta.json").is_file():
        raise ArticleReadError(f"{folder} is not a saved comparison (missing: {missing or ['meta.json']}).")
    tables = {n: pd.read_parquet(folder / f"{n}.parquet") for n in TABLE_NAMES}
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    return Comparison(**tables, meta=meta)
