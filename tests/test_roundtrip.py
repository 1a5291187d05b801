"""Comparison.to_parquet / claimcmp.read_comparison round-trip every table and meta exactly."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import claimcmp
from claimcmp.errors import ArticleReadError
from claimcmp.results import TABLE_NAMES


def assert_same(a: claimcmp.Comparison, b: claimcmp.Comparison) -> None:
    for name in TABLE_NAMES:
        left, right = getattr(a, name), getattr(b, name)
        pd.testing.assert_frame_equal(left, right, check_exact=True, check_categorical=True, obj=name)
        for col in left.columns:  # categories' own dtype (str vs object) too
            assert repr(left[col].dtype) == repr(right[col].dtype), f"{name}.{col}"
    assert a.meta == b.meta


def test_seeds_round_trip(seeds_comparison: claimcmp.Comparison, tmp_path: Path) -> None:
    seeds_comparison.to_parquet(tmp_path / "cmp")
    back = claimcmp.read_comparison(tmp_path / "cmp")
    assert_same(seeds_comparison, back)
    back.validate()
    # and it survives a second trip unchanged
    back.to_parquet(tmp_path / "again")
    assert_same(seeds_comparison, claimcmp.read_comparison(tmp_path / "again"))


def test_empty_tables_keep_categories(seeds_comparison: claimcmp.Comparison, tmp_path: Path) -> None:
    """Zero-row tables (e.g. no judged pair) keep their categorical categories and dtypes."""
    empty = dataclasses.replace(seeds_comparison, pairs=seeds_comparison.pairs.iloc[0:0],
                                removed=seeds_comparison.removed.iloc[0:0])
    empty.to_parquet(tmp_path)
    back = claimcmp.read_comparison(tmp_path)
    assert_same(empty, back)
    assert list(back.pairs["stance"].cat.categories) == ["agree", "partial", "contradict", "disputed", "unrelated"]


def test_meta_with_numpy_values_is_written_as_plain_json(seeds_comparison: claimcmp.Comparison,
                                                         tmp_path: Path) -> None:
    meta = {**seeds_comparison.meta, "extra": {"n": np.int64(3), "x": np.float32(0.5), "v": np.arange(2)}}
    dataclasses.replace(seeds_comparison, meta=meta).to_parquet(tmp_path)
    back = claimcmp.read_comparison(tmp_path)
    assert back.meta["extra"] == {"n": 3, "x": 0.5, "v": [0, 1]}
    assert json.loads((tmp_path / "meta.json").read_text(encoding="utf-8"))["extra"]["n"] == 3


def test_csv_export(seeds_comparison: claimcmp.Comparison, tmp_path: Path) -> None:
    seeds_comparison.to_csv(tmp_path)
    for name in TABLE_NAMES:
        df = pd.read_csv(tmp_path / f"{name}.csv", keep_default_na=False)
        assert list(df.columns) == list(getattr(seeds_comparison, name).columns)
        assert len(df) == len(getattr(seeds_comparison, name))


def test_read_rejects_other_folders(tmp_path: Path) -> None:
    with pytest.raises(ArticleReadError, match="not a saved comparison"):
        claimcmp.read_comparison(tmp_path)
