"""Pair counts: how many cross-outlet sentence pairs an exhaustive comparison would judge."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd


def naive_pair_count(outlets: Sequence[str]) -> int:
    """Number of cross-outlet sentence pairs an exhaustive comparison would judge."""
    counts = pd.Series(list(outlets)).value_counts().to_numpy()
    total = int(counts.sum())
    return int((total * total - int((counts * counts).sum())) // 2)
