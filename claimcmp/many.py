"""Many events: :func:`compare_many`, in-process or one Dask task per event, streamed to a parquet dataset.

Every event goes through the same :meth:`Comparator.compare`, so its tables are those of a single
``compare`` call. With ``out=DIR`` each finished event is written at once as a partition of a
parquet dataset (``DIR/<table>/event_id=<id>/part-0.parquet``, meta in ``DIR/meta/``), its status
last; a rerun skips events whose status is ok, so an interrupted run resumes where it stopped.
A failing event is recorded (``DIR/status.parquet``) and never stops the others.
"""

from __future__ import annotations

import json
import logging
import os
import time
import traceback
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlparse

import numpy as np
import pandas as pd

from claimcmp.errors import ParameterError
from claimcmp.results import TABLE_NAMES, Comparison, _dtype_spec, _json_default, _restore_dtypes
from claimcmp.schema import CORPUS_TABLES

log = logging.getLogger(__name__)

SCHEDULERS = ("processes",)


class ComparisonSet(dict[str, Comparison]):
    """Event id -> :class:`Comparison` for the events that finished, plus ``status`` (every event's row)."""

    status: pd.DataFrame

    @property
    def errors(self) -> pd.DataFrame:
        """The status rows of the events that failed."""
        return self.status[self.status["status"] == "error"].reset_index(drop=True)


def normalize_events(events: Any) -> dict[str, Any]:
    """``events`` as ``{event_id: articles}``: from a mapping, or a DataFrame with an ``event_id`` column."""
    if isinstance(events, pd.DataFrame):
        if "event_id" not in events.columns:
            raise ParameterError("A DataFrame of events needs an event_id column (or pass {event_id: articles}).")
        if events["event_id"].isna().any():
            raise ParameterError("event_id has missing values.")
        out = {str(k): g.drop(columns="event_id").reset_index(drop=True)
               for k, g in events.groupby(events["event_id"].astype(str), sort=False)}
    elif isinstance(events, Mapping):
        out = {}
        for k, v in events.items():
            if str(k) in out:
                raise ParameterError(f"event id {k!r} appears twice (ids are compared as text).")
            out[str(k)] = v
    else:
        raise ParameterError(f"events must be a mapping of event id to articles or a DataFrame with an event_id "
                             f"column, got {type(events).__name__}.")
    if not out:
        raise ParameterError("events is empty: nothing to compare.")
    if any(not k.strip() for k in out):
        raise ParameterError("event ids must not be empty.")
    return out


def run_event(comparator: Any, event_id: str, articles: Any) -> tuple[str, Comparison | None, dict[str, Any]]:
    """Compare one event; returns its id, the comparison (None if it failed) and its status row."""
    from claimcmp.runtime import ensure_configured

    ensure_configured()
    t = time.perf_counter()
    row: dict[str, Any] = {"event_id": event_id, "status": "ok", "error_type": "", "error": "",
                           "n_articles": len(articles) if hasattr(articles, "__len__") else 0,
                           "judged_pairs": 0}
    try:
        result = comparator.compare(articles)
    except Exception as exc:  # a failing event is recorded, never stops the run
        log.warning("event %s failed: %s: %s", event_id, type(exc).__name__, exc)
        log.debug("traceback of event %s:\n%s", event_id, traceback.format_exc())
        row.update(status="error", error_type=type(exc).__name__, error=str(exc), seconds=time.perf_counter() - t)
        return event_id, None, row
    row.update(seconds=time.perf_counter() - t, n_articles=len(result.articles), judged_pairs=len(result.pairs))
    return event_id, result, row


# --- storage -----------------------------------------------------------------------------------


def _part(out: Path, table: str, event_id: str) -> Path:
    return out / table / f"event_id={quote(event_id, safe='')}"


def _replace(path: Path, write: Any) -> None:
    """Write ``path`` through a temporary file and a rename, so it is never half-written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    write(tmp)
    os.replace(tmp, path)


def write_event(out: Path, event_id: str, result: Comparison | None, row: dict[str, Any]) -> None:
    """Write one event's tables and meta (if it finished), then its status: the status file commits it."""
    if result is not None:
        for name in TABLE_NAMES:
            df = getattr(result, name)
            _replace(_part(out, name, event_id) / "part-0.parquet", lambda p, df=df: df.to_parquet(p, index=False))
        dtypes = {name: {c: _dtype_spec(s) for c, s in getattr(result, name).items()} for name in TABLE_NAMES}
        side = {"meta.json": json.dumps(result.meta, indent=2, default=_json_default),
                "dtypes.json": json.dumps(dtypes, indent=1)}
        for fname, text in side.items():
            _replace(_part(out, "meta", event_id) / fname, lambda p, text=text: p.write_text(text, encoding="utf-8"))
    _replace(_part(out, "_status", event_id) / "status.json",
             lambda p: p.write_text(json.dumps(row, default=_json_default), encoding="utf-8"))


def read_status(out: str | Path) -> pd.DataFrame:
    """Every recorded event's status row under ``out`` (table ``status``, docs/reference/tables.md)."""
    folder = Path(out) / "_status"
    rows = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("event_id=*/status.json"))]
    return _conform_corpus("status", pd.DataFrame(rows))


def read_event(out: str | Path, event_id: str) -> Comparison:
    """One finished event of a ``compare_many(..., out=)`` run, exactly as ``compare`` returned it."""
    out = Path(out)
    meta_dir = _part(out, "meta", str(event_id))
    if not (meta_dir / "dtypes.json").is_file():
        raise ParameterError(f"event {event_id!r} has no finished result under {out}.")
    specs = json.loads((meta_dir / "dtypes.json").read_text(encoding="utf-8"))
    tables = {n: _restore_dtypes(pd.read_parquet(_part(out, n, str(event_id)) / "part-0.parquet"), specs[n])
              for n in TABLE_NAMES}
    return Comparison(**tables, meta=json.loads((meta_dir / "meta.json").read_text(encoding="utf-8")))


def _conform_corpus(table: str, df: pd.DataFrame) -> pd.DataFrame:
    cols = CORPUS_TABLES[table]
    df = df.reindex(columns=list(cols))
    return pd.DataFrame({c: df[c].astype(d) for c, (d, _) in cols.items()})  # type: ignore[call-overload]


def corpus_tables(results: Mapping[str, Comparison]) -> dict[str, pd.DataFrame]:
    """``corpus_agreement`` (outlet x outlet over all events) and ``outlet_claims`` (claims per outlet)."""
    counts = ["shared_claims", "only_a", "only_b", "n_pairs", "n_agree", "n_partial", "n_contradict", "n_disputed",
              "n_unrelated"]
    agr: dict[tuple[str, str], dict[str, Any]] = {}
    per_outlet: dict[str, dict[str, int]] = {}
    for r in results.values():
        same = r.pairs[r.pairs["same_claim"]]
        pa, pb = same["outlet_a"].astype(str), same["outlet_b"].astype(str)
        for row in r.agreement.itertuples(index=False):
            key = (str(row.outlet_a), str(row.outlet_b))
            acc = agr.setdefault(key, {"n_events": 0, **dict.fromkeys(counts, 0), "same": 0, "same_ok": 0})
            acc["n_events"] += 1
            for c in counts:
                acc[c] += int(getattr(row, c))
            sel = same[((pa == key[0]) & (pb == key[1])) | ((pa == key[1]) & (pb == key[0]))]
            acc["same"] += len(sel)
            acc["same_ok"] += int(sel["stance"].isin(["agree", "partial"]).sum())
        carried = r.coverage[r.coverage["carried"]]
        n_out = carried.groupby("claim_id")["outlet"].nunique()
        for outlet in r.articles["outlet"].astype(str).unique():
            claims = carried.loc[carried["outlet"].astype(str) == outlet, "claim_id"].unique()
            acc2 = per_outlet.setdefault(outlet, dict.fromkeys(["n_events", "n_articles", "n_sentences", "n_claims",
                                                                "n_shared_claims", "n_exclusive_claims"], 0))
            acc2["n_events"] += 1
            acc2["n_articles"] += int((r.articles["outlet"].astype(str) == outlet).sum())
            acc2["n_sentences"] += int((r.sentences["outlet"].astype(str) == outlet).sum())
            acc2["n_claims"] += len(claims)
            shared = int((n_out.reindex(claims) >= 2).sum())
            acc2["n_shared_claims"] += shared
            acc2["n_exclusive_claims"] += len(claims) - shared
    rows = []
    for (a, b), acc in sorted(agr.items()):
        same_n, same_ok = acc.pop("same"), acc.pop("same_ok")
        rows.append({"outlet_a": a, "outlet_b": b, **acc,
                     "agreement_rate": same_ok / same_n if same_n else np.nan,
                     "contradiction_rate": acc["n_contradict"] / acc["n_pairs"] if acc["n_pairs"] else np.nan})
    outlets = [{"outlet": o, **v} for o, v in sorted(per_outlet.items())]
    return {"corpus_agreement": _conform_corpus("corpus_agreement", pd.DataFrame(rows)),
            "outlet_claims": _conform_corpus("outlet_claims", pd.DataFrame(outlets))}


def _finish(out: Path) -> pd.DataFrame:
    status = read_status(out)
    done = {e: read_event(out, e) for e in status.loc[status["status"] == "ok", "event_id"]}
    tables = {"status": status, **corpus_tables(done)}
    for name, df in tables.items():
        _replace(out / f"{name}.parquet", lambda p, df=df: df.to_parquet(p, index=False))
    return status


# --- running -----------------------------------------------------------------------------------


def _dask_results(client: Any, comparator: Any, todo: dict[str, Any]) -> Iterator[tuple[str, Any, dict[str, Any]]]:
    from distributed import as_completed

    from claimcmp.workers import ClaimcmpWorkerPlugin, slots_by_host

    client.register_plugin(ClaimcmpWorkerPlugin(comparator, slots_by_host(client)), name="claimcmp-models")
    futures = {client.submit(run_event, comparator, eid, arts, key=f"claimcmp-event-{quote(eid, safe='')}",
                             pure=False): eid for eid, arts in todo.items()}
    for fut in as_completed(futures):
        eid = futures[fut]
        try:
            yield fut.result()
        except Exception as exc:  # the task itself was lost (e.g. a worker died): record it as a failure
            yield eid, None, {"event_id": eid, "status": "error", "error_type": type(exc).__name__,
                              "error": str(exc), "seconds": np.nan, "n_articles": 0, "judged_pairs": 0}
        fut.release()


def compare_many(events: Any, *, comparator: Any = None, out: str | Path | None = None, client: Any = None,
                 scheduler: str | None = None, workers: int | None = None,
                 show_progress: bool = True) -> ComparisonSet:
    """Compare many events; each one with the same :meth:`Comparator.compare` as :func:`claimcmp.compare`.

    ``events``: ``{event_id: articles}`` or one DataFrame of articles with an ``event_id`` column.
    In-process by default; with ``client=`` (a ``dask.distributed.Client``), ``scheduler="processes"``
    (a local Dask cluster of ``workers`` processes, default one per core) or ``scheduler=ADDRESS``
    (an existing Dask scheduler, e.g. ``"tcp://host:8786"``) it runs one Dask task per event, models
    loaded once per worker and torch threads per worker set to cores / workers.

    With ``out=``, each event is written as it finishes (see the module docstring), events already
    finished there are skipped, and the returned set holds only the events run now (read the others
    with :func:`read_event`); ``status`` always covers every event given. ``show_progress``: a
    progress bar over events. Another run writing into the same ``out`` stops this one with
    :class:`~claimcmp.errors.OutputLockedError`.
    """
    from claimcmp.api import Comparator

    evs = normalize_events(events)
    if scheduler is not None and client is not None:
        raise ParameterError("Give either client= or scheduler=, not both.")
    if workers is not None and (not isinstance(workers, int) or workers < 1):
        raise ParameterError(f"workers must be a whole number >= 1, got {workers!r}.")
    comparator = Comparator(show_progress=False) if comparator is None else comparator
    if not callable(getattr(comparator, "compare", None)):
        raise ParameterError(f"comparator={comparator!r} has no compare() method.")
    if out is None:
        return _compare_all(evs, comparator, None, client, scheduler, workers, show_progress)
    from claimcmp.store import OutputLock, check_writable, target_path

    root = target_path(out, replaced=False)
    check_writable(root)
    with OutputLock(root):  # a second run into the same folder stops with OutputLockedError
        return _compare_all(evs, comparator, root, client, scheduler, workers, show_progress)


def _compare_all(evs: dict[str, Any], comparator: Any, root: Path | None, client: Any, scheduler: str | None,
                 workers: int | None, show_progress: bool) -> ComparisonSet:
    """The body of :func:`compare_many`, once ``root`` (if any) is locked."""
    from tqdm.auto import tqdm

    skipped: list[dict[str, Any]] = []
    todo = dict(evs)
    if root is not None:
        root.mkdir(parents=True, exist_ok=True)
        prev = read_status(root)
        finished = set(prev.loc[prev["status"] == "ok", "event_id"]) & set(evs)
        skipped = [{str(k): v for k, v in r.items()} for r in prev[prev["event_id"].isin(finished)].to_dict("records")]
        todo = {k: v for k, v in evs.items() if k not in finished}
        if finished:
            log.info("%d of %d events already finished under %s: skipped", len(finished), len(evs), root)
    results = ComparisonSet()
    rows: list[dict[str, Any]] = []
    own_client = None
    try:
        if todo and (client is not None or scheduler is not None):
            if client is None:
                own_client = _start_client(scheduler, workers)
            stream = _dask_results(client or own_client, comparator, todo)
        else:
            stream = (run_event(comparator, eid, arts) for eid, arts in todo.items())
        with tqdm(total=len(evs), initial=len(evs) - len(todo), desc="events", unit="event",
                  disable=not show_progress) as bar:
            for eid, result, row in stream:
                if root is not None:
                    write_event(root, eid, result, row)
                if result is not None:
                    results[eid] = result
                rows.append(row)
                bar.update(1)
    finally:
        if own_client is not None:
            cluster = getattr(own_client, "cluster", None)
            own_client.close()
            if cluster is not None:
                cluster.close()
    if root is not None:
        _finish(root)
    order = {k: i for i, k in enumerate(evs)}
    status = _conform_corpus("status", pd.DataFrame(skipped + rows))
    results.status = status.sort_values("event_id", key=lambda s: s.map(order)).reset_index(drop=True)
    return results


def _start_client(scheduler: str | None, workers: int | None) -> Any:
    from distributed import Client, LocalCluster

    from claimcmp.runtime import PASSIVE_WAIT_ENV, cpu_count

    if scheduler == "processes":
        n = workers or cpu_count()
        log.info("starting a local Dask cluster: %d worker processes, 1 thread each", n)
        cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=None,
                               env=dict(PASSIVE_WAIT_ENV))
        return Client(cluster)
    if scheduler and urlparse(scheduler if "://" in scheduler else f"tcp://{scheduler}").hostname:
        return Client(scheduler)
    raise ParameterError(f"scheduler must be 'processes' or a Dask scheduler address (tcp://host:8786), "
                         f"got {scheduler!r}.")
