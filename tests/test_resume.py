"""An interrupted compare_many run (the process killed between events) resumes where it stopped."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd

import claimcmp
from claimcmp.many import read_event, read_status
from claimcmp.results import TABLE_NAMES

SCRIPT = """
import sys, claimcmp
seeds = claimcmp.load_seeds()
lead = lambda a: {"article_id": a.article_id, "outlet": a.outlet, "text": a.text[:a.text.find(chr(10), 700)]}
events = {f"ev{i}": [lead(seeds[i]), lead(seeds[(i + 1) % 5])] for i in range(4)}
claimcmp.compare_many(events, out=sys.argv[1], show_progress=False)
"""


def _events() -> dict[str, list[dict[str, str]]]:
    seeds = claimcmp.load_seeds()

    def lead(a: claimcmp.Article) -> dict[str, str]:
        return {"article_id": a.article_id, "outlet": a.outlet, "text": a.text[:a.text.find("\n", 700)]}

    return {f"ev{i}": [lead(seeds[i]), lead(seeds[(i + 1) % 5])] for i in range(4)}


def test_killed_run_resumes_and_matches_an_uninterrupted_run(tmp_path: Path) -> None:
    out = tmp_path / "run"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in [str(Path.cwd()), os.environ.get("PYTHONPATH")] if p)}
    proc = subprocess.Popen([sys.executable, "-c", SCRIPT, str(out)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 600
        while not list((out / "_status").glob("event_id=*/status.json")) and time.monotonic() < deadline:
            if proc.poll() is not None:
                break
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait(timeout=60)
    done = set(read_status(out)["event_id"])
    assert 1 <= len(done) < 4, f"the run was not stopped between events: {done}"
    stamps = {e: (out / "_status" / f"event_id={e}" / "status.json").stat().st_mtime_ns for e in done}

    resumed = claimcmp.compare_many(_events(), out=out, show_progress=False)
    assert set(resumed) == {f"ev{i}" for i in range(4)} - done  # only the unfinished events ran again
    for e in done:
        assert (out / "_status" / f"event_id={e}" / "status.json").stat().st_mtime_ns == stamps[e]
    status = read_status(out)
    assert sorted(status["event_id"]) == [f"ev{i}" for i in range(4)] and (status["status"] == "ok").all()

    straight = claimcmp.compare_many(_events(), show_progress=False)
    for eid, res in straight.items():
        for name in TABLE_NAMES:
            pd.testing.assert_frame_equal(getattr(res, name), getattr(read_event(out, eid), name), check_exact=True)
    assert len(pd.read_parquet(out / "pairs")["event_id"].unique()) == 4
