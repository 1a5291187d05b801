"""compare_many: in-process and on a real Dask LocalCluster (2 worker processes), same tables as compare."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import claimcmp
from claimcmp.errors import ParameterError
from claimcmp.many import read_event, read_status
from claimcmp.results import TABLE_NAMES

pytest.importorskip("distributed")


def _events() -> dict[str, pd.DataFrame]:
    seeds = claimcmp.load_seeds()

    def lead(i: int) -> dict[str, str]:
        a = seeds[i]
        return {"article_id": a.article_id, "outlet": a.outlet, "text": a.text[:a.text.find("\n", 900)]}

    return {"e1": pd.DataFrame([lead(0), lead(1)]), "e2": pd.DataFrame([lead(2), lead(3), lead(4)]),
            "bad": pd.DataFrame([lead(0)])}


def test_events_are_validated() -> None:
    with pytest.raises(ParameterError, match="event_id"):
        claimcmp.compare_many(pd.DataFrame({"outlet": ["a"], "text": ["x"]}))
    with pytest.raises(ParameterError, match="empty"):
        claimcmp.compare_many({})


def test_dask_tables_identical_failure_recorded_rerun_skips(tmp_path: Path) -> None:
    events = _events()
    local = claimcmp.compare_many(events, show_progress=False)
    assert set(local) == {"e1", "e2"} and list(local.errors["event_id"]) == ["bad"]
    assert local.errors.loc[0, "error_type"] == "TooFewOutletsError"
    dist = claimcmp.compare_many(events, scheduler="processes", workers=2, out=tmp_path, show_progress=False)
    for eid in ("e1", "e2"):
        single = claimcmp.Comparator(show_progress=False).compare(events[eid])
        for name in TABLE_NAMES:
            pd.testing.assert_frame_equal(getattr(single, name), getattr(dist[eid], name), check_exact=True)
            pd.testing.assert_frame_equal(getattr(single, name), getattr(read_event(tmp_path, eid), name),
                                          check_exact=True)
    status = read_status(tmp_path).set_index("event_id")
    assert status.loc["bad", "status"] == "error" and status.loc["e1", "status"] == "ok"
    assert set(pd.read_parquet(tmp_path / "pairs")["event_id"].astype(str)) == {"e1", "e2"}
    assert len(pd.read_parquet(tmp_path / "outlet_claims.parquet")) == 5
    before = (tmp_path / "_status" / "event_id=e1" / "status.json").stat().st_mtime_ns
    rerun = claimcmp.compare_many(events, out=tmp_path, show_progress=False)
    assert "e1" not in rerun and "e2" not in rerun  # finished events are skipped
    assert (tmp_path / "_status" / "event_id=e1" / "status.json").stat().st_mtime_ns == before


def test_cli_workers_must_be_positive(tmp_path: Path) -> None:
    from claimcmp.cli import main

    assert main(["compare", "seeds", "--out", str(tmp_path), "--workers", "0", "--quiet"]) == 2
    assert not (tmp_path / "status.parquet").exists()
