"""Claim timeline: who carried each claim first, who followed, and how the wording changed.

Built from the article dates (and times, where a date string carries one). Articles without a
readable date stay in the ``timeline`` table with a null ``published`` and ``rank``: they are
compared with the claim's first version but take no place in its order. See
docs/reference/tables.md for the columns.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np
import pandas as pd

from claimcmp.copies import copy_normalise, parse_dates
from claimcmp.schema import conform, empty


def _diff(words: list[str], base: list[str]) -> tuple[int, str]:
    """How many words of ``words`` ``base`` lacks (multiset difference), and those words in order, each once."""
    extra = Counter(words) - Counter(base)
    seen: list[str] = []
    for w in words:
        if w in extra and w not in seen:
            seen.append(w)
    return sum(extra.values()), " ".join(seen)


def _order(rows: pd.DataFrame) -> str:
    """Outlets by first appearance: ' > ' between times, ' = ' between outlets first seen at the same time."""
    dated = rows.dropna(subset=["published"])
    if dated.empty:
        return ""
    first = dated.groupby("outlet", observed=True)["published"].min().sort_values(kind="stable")
    groups: list[str] = []
    for _, outs in first.groupby(first, sort=True):
        groups.append(" = ".join(sorted(str(o) for o in outs.index)))
    return " > ".join(groups)


def timeline_table(articles: pd.DataFrame, sentences: pd.DataFrame) -> pd.DataFrame:
    """The documented ``timeline`` table: one row per (claim, article carrying it)."""
    if sentences.empty:
        return empty("timeline")
    info = articles.set_index("article_id")
    when = parse_dates(info["date"])
    sents = sentences.sort_values(["claim_id", "article_id", "position"])
    rows = []
    for cid, grp in sents.groupby("claim_id", sort=True):
        per: list[dict[str, Any]] = []
        for aid, g in grp.groupby("article_id", sort=True, observed=True):
            per.append({"claim_id": cid, "article_id": str(aid), "outlet": str(info.at[aid, "outlet"]),
                        "date": info.at[aid, "date"], "published": when.get(aid, pd.NaT), "n_sentences": len(g),
                        "sentence_id": str(g["sentence_id"].iloc[0]),
                        "words": copy_normalise(" ".join(g["text"].astype(str))).split()})
        frame = pd.DataFrame(per)
        frame["published"] = pd.to_datetime(frame["published"], utc=True)
        dated = frame.dropna(subset=["published"]).sort_values(["published", "article_id"], kind="stable")
        frame["rank"] = frame["published"].rank(method="dense").astype("Int64")
        order = _order(frame)
        if dated.empty:
            first = None
        else:
            first = dated.iloc[0]
        for r in frame.to_dict("records"):
            row = {k: v for k, v in r.items() if k != "words"}
            row["order"] = order
            if first is None:
                row.update(first_article_id=None, first_outlet=None, first_date=None, words_added=pd.NA,
                           words_dropped=pd.NA, added=None, dropped=None)
            else:
                n_add, added = _diff(r["words"], first["words"])
                n_drop, dropped = _diff(first["words"], r["words"])
                row.update(first_article_id=first["article_id"], first_outlet=first["outlet"],
                           first_date=first["date"], words_added=n_add, words_dropped=n_drop, added=added,
                           dropped=dropped)
            rows.append(row)
    df = pd.DataFrame(rows)
    df["published"] = pd.to_datetime(df["published"], utc=True).astype("datetime64[ns, UTC]")
    outs = sorted(set(articles["outlet"].astype(str)))
    return conform("timeline", df, {"outlet": outs})


def first_reports(timeline: pd.DataFrame) -> pd.DataFrame:
    """Per article: the claims it carried first (``n_first``: rank 1, ties included) of those it carries
    (``n_claims``), counting only claims that two or more outlets carry."""
    multi = timeline.groupby("claim_id")["outlet"].nunique()
    t = timeline[timeline["claim_id"].isin(multi[multi > 1].index)]
    out = t.groupby("article_id").agg(n_claims=("claim_id", "nunique"))
    firsts = t[t["rank"].eq(1).fillna(False).astype(bool)].groupby("article_id")["claim_id"].nunique()
    out["n_first"] = firsts.reindex(out.index, fill_value=0).astype(np.int64)
    return out.reset_index()
