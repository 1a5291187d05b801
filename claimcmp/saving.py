"""Saving a :class:`~claimcmp.Comparison` to a folder and reading it back, refusing damaged folders.

A saved folder holds every table as ``<table>.parquet`` and/or ``<table>.csv``, ``dtypes.json``,
optionally ``report.html`` and the plots, and ``meta.json``, written last. ``meta.json`` records the
run's ``run_id`` and ``files``: every other file's size and sha256. Each parquet table also carries
the run id in its schema metadata (key ``claimcmp.run_id``); for CSV tables the ``files`` list of
``meta.json`` is the record. The folder is written atomically (:mod:`claimcmp.store`).

CSV text cells that a spreadsheet could run as a formula are neutralised: a cell that is empty or
starts with ``=``, ``+``, ``-``, ``@``, a tab, a carriage return or ``'`` gets a leading ``'``; a
missing value is an empty cell. :func:`read_folder` undoes both, so a CSV folder reads back exactly.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from claimcmp.errors import OutputReadError, ParameterError
from claimcmp.results import TABLE_NAMES, Comparison, _dtype_spec, _json_default, _restore_dtypes
from claimcmp.schema import SENTENCE_PARTS, TABLES, empty
from claimcmp.store import OutputLock, check_writable, file_digest, new_run_id, target_path, write_folder

log = logging.getLogger(__name__)

FORMATS = ("parquet", "csv")
#: Files other than tables that a run writes into a comparison folder.
EXTRA_FILES = ("meta.json", "dtypes.json", "report.html", "agreement.png", "coverage.png", "stance.png")
#: Every file name a run may write: an older output holding only these may be replaced.
OUTPUT_FILES = frozenset({f"{n}.{ext}" for n in TABLE_NAMES for ext in FORMATS} | set(EXTRA_FILES))
RUN_ID_KEY = b"claimcmp.run_id"
#: First characters of a CSV text cell that get a leading ``'`` (spreadsheet formulas, and ``'`` itself).
CSV_GUARDED = ("=", "+", "-", "@", "\t", "\r", "'")


def save_comparison(result: Comparison, path: str | os.PathLike[str], formats: Sequence[str] = ("parquet",),
                    extras: Callable[[Path], Any] | None = None, lock: bool = True) -> Path:
    """Write ``result`` into folder ``path`` atomically; returns the folder's absolute path.

    ``formats``: any of ``parquet`` and ``csv``. ``extras(folder)`` may write more files (the report,
    the plots) before ``meta.json`` is written. ``lock=False`` when the caller already holds the
    folder's :class:`~claimcmp.store.OutputLock`. The folder is replaced as a whole: files of an
    earlier run that this one does not write are gone afterwards.
    """
    fmts = tuple(formats)
    if not fmts or any(f not in FORMATS for f in fmts):
        raise ParameterError(f"formats must be one or more of {FORMATS}, got {formats!r}.")
    target = target_path(path)
    check_writable(target)
    run_id = new_run_id()

    def write(tmp: Path) -> None:
        for name in TABLE_NAMES:
            df = getattr(result, name)
            if "parquet" in fmts:
                _write_parquet(df, tmp / f"{name}.parquet", run_id)
            if "csv" in fmts:
                neutralise(df).to_csv(tmp / f"{name}.csv", index=False, encoding="utf-8")
        dtypes = {name: {c: _dtype_spec(s) for c, s in getattr(result, name).items()} for name in TABLE_NAMES}
        (tmp / "dtypes.json").write_text(json.dumps(dtypes, indent=1), encoding="utf-8")
        if extras is not None:
            extras(tmp)
        files = {p.name: file_digest(p) for p in sorted(tmp.iterdir()) if p.is_file()}
        meta = {**result.meta, "run_id": run_id, "files": files}
        (tmp / "meta.json").write_text(json.dumps(meta, indent=2, default=_json_default), encoding="utf-8")

    with OutputLock(target) if lock else contextlib.nullcontext():
        write_folder(target, write, OUTPUT_FILES)
    return target


def _write_parquet(df: pd.DataFrame, path: Path, run_id: str) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pandas(df, preserve_index=False)
    table = table.replace_schema_metadata({**(table.schema.metadata or {}), RUN_ID_KEY: run_id.encode()})
    pq.write_table(table, path)


def _parquet_run_id(path: Path) -> str | None:
    import pyarrow.parquet as pq

    value = (pq.read_schema(path).metadata or {}).get(RUN_ID_KEY)
    return value.decode("utf-8", "replace") if value is not None else None


def _guard(value: Any) -> Any:
    if isinstance(value, str) and (value == "" or value.startswith(CSV_GUARDED)):
        return "'" + value
    return value


def neutralise(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with every text cell made safe for spreadsheets (see the module docstring)."""
    out = df.copy()
    for col in out.columns:
        s = out[col]
        if isinstance(s.dtype, pd.CategoricalDtype) or s.dtype == object or isinstance(s.dtype, pd.StringDtype):
            out[col] = pd.Series([None if v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v))
                                  else _guard(v) for v in s.astype(object)], index=out.index, dtype=object)
    return out


def _unguard(raw: pd.Series) -> pd.Series:
    return pd.Series([None if v == "" else v[1:] if v.startswith("'") else v for v in raw],
                     index=raw.index, dtype=object)


def _from_csv(df: pd.DataFrame, spec: dict[str, dict[str, Any]]) -> pd.DataFrame:
    """A table read from CSV as text, cast back to the dtypes in ``spec`` with the neutralisation undone."""
    cols = {}
    for col in df.columns:
        dtype = str(spec.get(col, {}).get("dtype", "object"))
        raw = df[col]
        if dtype in ("string", "object", "category", "str"):
            cols[col] = _unguard(raw)
        elif dtype == "bool":
            flags = raw.map({"True": True, "False": False})
            if flags.isna().any():
                raise ValueError(f"column {col!r} holds values other than True/False")
            cols[col] = flags.astype(bool)
        elif dtype.startswith("float"):
            cols[col] = pd.Series(np.array([float(v) if v != "" else np.nan for v in raw], dtype=dtype),
                                  index=raw.index)
        elif dtype[:1] in ("I", "U"):  # nullable integers
            cols[col] = pd.Series(pd.array([int(v) if v != "" else None for v in raw], dtype=dtype),  # type: ignore[call-overload]
                                  index=raw.index)
        else:
            cols[col] = raw.astype(dtype)  # type: ignore[call-overload]
    return _restore_dtypes(pd.DataFrame(cols, index=df.index), spec)


# --- reading ------------------------------------------------------------------------------------


def _load_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise OutputReadError(f"{path} is damaged: {exc}.") from exc
    if not isinstance(data, dict):
        raise OutputReadError(f"{path} is damaged: expected a JSON object, got {type(data).__name__}.")
    return data


def _checked(name: str) -> bool:
    """Files whose digest is checked on reading: the tables and ``dtypes.json`` (not the report or plots)."""
    return name.endswith((".parquet", ".csv")) or name == "dtypes.json"


def _check_files(folder: Path, run_id: str, files: dict[str, Any]) -> None:
    """Raise :class:`OutputReadError` unless every listed table matches and no other run's table is present."""
    for name, want in files.items():
        if Path(name).name != name or not isinstance(want, dict):
            raise OutputReadError(f"{folder / 'meta.json'} is damaged: bad entry {name!r} in its file list.")
        if not _checked(name):
            continue  # the report and plots may be rewritten or deleted without harm to the tables
        p = folder / name
        if not p.is_file():
            raise OutputReadError(f"{folder} is incomplete: {name} of run {run_id} is missing.")
        got = file_digest(p)
        if got != {"bytes": want.get("bytes"), "sha256": want.get("sha256")}:
            other = None
            if name.endswith(".parquet"):
                with contextlib.suppress(Exception):
                    other = _parquet_run_id(p)
            if other is not None and other != run_id:
                raise OutputReadError(f"{folder} is mixed: {name} belongs to run {other}, meta.json to run {run_id}.")
            raise OutputReadError(f"{p} is damaged or truncated ({got['bytes']} bytes, meta.json records "
                                  f"{want.get('bytes')} bytes and another sha256).")
    stray = sorted(p.name for p in folder.iterdir() if p.name in OUTPUT_FILES and _checked(p.name)
                   and p.name not in files)
    if stray:
        raise OutputReadError(f"{folder} is mixed: {', '.join(stray)} {'is' if len(stray) == 1 else 'are'} not "
                              f"part of run {run_id} recorded in meta.json.")


def _read_table(folder: Path, name: str, fmt: str, spec: dict[str, Any], run_id: str | None) -> pd.DataFrame:
    p = folder / f"{name}.{fmt}"
    try:
        if fmt == "parquet":
            carried = _parquet_run_id(p)
            if run_id is not None and carried != run_id:
                raise OutputReadError(f"{folder} is mixed: {p.name} carries run {carried}, meta.json run {run_id}.")
            if run_id is None and carried is not None:
                raise OutputReadError(f"{folder} is mixed: {p.name} carries run {carried}, meta.json none.")
            df = pd.read_parquet(p)
            return _restore_dtypes(df, spec) if spec else df
        raw = pd.read_csv(p, dtype=str, keep_default_na=False, na_filter=False, encoding="utf-8")
        return _from_csv(raw, spec)
    except OutputReadError:
        raise
    except Exception as exc:  # pyarrow, pandas and numpy raise many kinds for a damaged file
        raise OutputReadError(f"{p} cannot be read as a {name} table: {type(exc).__name__}: {exc}") from exc


def read_folder(path: str | os.PathLike[str]) -> Comparison:
    """The comparison saved in folder ``path``; raises :class:`OutputReadError` if it is not one whole run.

    Checked: ``meta.json`` and ``dtypes.json`` parse; every table and ``dtypes.json`` that ``meta.json``
    lists is present with its size and sha256 (the report and plots are not checked); no table of
    another run lies beside them; each parquet table carries
    the run id; every table has its documented columns. Parquet is read where present, else CSV.
    Folders written before run ids existed (no ``run_id`` in ``meta.json``) are read unchecked.
    """
    folder = Path(path)
    if not (folder / "meta.json").is_file():
        raise OutputReadError(f"{folder} is not a saved comparison (missing: meta.json).")
    meta = _load_json(folder / "meta.json")
    run_id, files = meta.pop("run_id", None), meta.pop("files", None)
    if run_id is None:
        return _read_legacy(folder, meta)
    if not isinstance(run_id, str) or not isinstance(files, dict):
        raise OutputReadError(f"{folder / 'meta.json'} is damaged: it has a run_id but no valid file list.")
    _check_files(folder, run_id, files)
    fmt = next((f for f in FORMATS if all(f"{n}.{f}" in files for n in TABLE_NAMES)), None)
    if fmt is None or "dtypes.json" not in files:
        raise OutputReadError(f"{folder} is incomplete: meta.json of run {run_id} lists no whole set of tables "
                              "and dtypes.json.")
    specs = _load_json(folder / "dtypes.json")
    tables = {n: _upgrade(n, _read_table(folder, n, fmt, _spec(specs, n, folder), run_id)) for n in TABLE_NAMES}
    for n, df in tables.items():
        if list(df.columns) != list(TABLES[n]):
            raise OutputReadError(f"{folder / f'{n}.{fmt}'} has columns {list(df.columns)}, "
                                  f"expected {list(TABLES[n])}.")
    return Comparison(**tables, meta=meta)


def _upgrade(name: str, df: pd.DataFrame) -> pd.DataFrame:
    """A table written before a column was added, with that column filled: ``sentences.part``
    (2026-12-03) is ``body`` for comparisons that did not take titles in."""
    if name == "sentences" and "part" not in df.columns and "text" in df.columns:
        df = df.copy()
        df.insert(list(df.columns).index("text") + 1, "part",
                  pd.Series(pd.Categorical(["body"] * len(df), categories=SENTENCE_PARTS), index=df.index))
    return df


def _spec(specs: dict[str, Any], name: str, folder: Path) -> dict[str, Any]:
    spec = specs.get(name, {})
    if not isinstance(spec, dict) or not all(isinstance(v, dict) and "dtype" in v for v in spec.values()):
        raise OutputReadError(f"{folder / 'dtypes.json'} is damaged: no valid dtypes for table {name!r}.")
    return spec


def _read_legacy(folder: Path, meta: dict[str, Any]) -> Comparison:
    """A parquet folder written before run ids existed; ``skipped`` may be absent."""
    missing = [n for n in TABLE_NAMES if n != "skipped" and not (folder / f"{n}.parquet").is_file()]
    if missing:
        raise OutputReadError(f"{folder} is not a saved comparison (missing: {missing}).")
    log.warning("%s has no run id (written by an older claimcmp): its files cannot be checked", folder)
    spec_file = folder / "dtypes.json"
    specs = _load_json(spec_file) if spec_file.is_file() else {}
    tables = {n: _upgrade(n, _read_table(folder, n, "parquet", _spec(specs, n, folder), None))
              if (folder / f"{n}.parquet").is_file() else empty(n) for n in TABLE_NAMES}
    return Comparison(**tables, meta=meta)
