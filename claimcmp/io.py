"""Reading articles from disk: a folder of .txt files with a manifest, or a CSV/JSONL/JSON/parquet table."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pandas as pd

from claimcmp.articles import ARTICLE_FIELDS, Article, to_articles
from claimcmp.errors import ArticleReadError

MANIFEST_NAMES = ("manifest.csv", "manifest.json", "manifest.jsonl")
TABLE_SUFFIXES = (".csv", ".jsonl", ".json", ".parquet")

#: The bundled seed corpus: five articles on the February 2016 Syria cessation of hostilities.
SEEDS_DIR = Path(__file__).resolve().parent.parent / "seeds"


def read_text(path: Path, encoding: str = "utf-8") -> str:
    """A file's text; raises :class:`ArticleReadError` naming the file and the encoding tried."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ArticleReadError(f"Cannot read {path}: {exc.strerror or exc}.") from exc
    enc = "utf-8-sig" if encoding.lower().replace("_", "-") in ("utf-8", "utf8") else encoding
    try:
        return data.decode(enc)
    except (UnicodeDecodeError, LookupError) as exc:
        raise ArticleReadError(
            f"{path} is not valid {encoding} ({exc}). Re-save it as UTF-8 or pass encoding='...' "
            "(for example 'cp1252' or 'latin-1')."
        ) from exc


def _read_table(path: Path, encoding: str) -> pd.DataFrame:
    suffix = path.suffix.lower()
    try:
        if suffix == ".parquet":
            return pd.read_parquet(path)
        text = read_text(path, encoding)
        if suffix == ".csv":
            from io import StringIO

            return pd.read_csv(StringIO(text), dtype=str, keep_default_na=False)
        if suffix == ".jsonl":
            return pd.DataFrame([json.loads(line) for line in text.splitlines() if line.strip()])
        if suffix == ".json":
            data = json.loads(text)
            return pd.DataFrame(data["articles"] if isinstance(data, dict) and "articles" in data else data)
    except ArticleReadError:
        raise
    except (ValueError, OSError, KeyError) as exc:
        raise ArticleReadError(f"Cannot parse {path} as {suffix[1:]}: {exc}") from exc
    raise ArticleReadError(f"{path}: unsupported file type {suffix!r}; use one of {TABLE_SUFFIXES} or a folder.")


def _read_folder(folder: Path, encoding: str) -> list[Article]:
    manifest = next((folder / m for m in MANIFEST_NAMES if (folder / m).is_file()), None)
    if manifest is None:
        raise ArticleReadError(
            f"{folder} has no manifest ({' / '.join(MANIFEST_NAMES)}): it must list each article's file and "
            "outlet (columns: file, outlet, and optionally article_id, title, date, url)."
        )
    rows = _read_table(manifest, encoding).to_dict(orient="records")
    if rows and "file" not in rows[0]:
        raise ArticleReadError(f"{manifest} has no 'file' column.")
    records = []
    for row in rows:
        rec = {k: row.get(k) for k in ARTICLE_FIELDS if k != "text"}
        rec = {k: (None if v == "" else v) for k, v in rec.items()}
        rec["text"] = read_text(folder / str(row["file"]), encoding)
        records.append(rec)
    return to_articles(records)


def load_articles(path: str | os.PathLike[str], encoding: str = "utf-8") -> list[Article]:
    """Articles from a folder with a manifest, or from a CSV / JSONL / JSON / parquet table.

    A table needs the columns ``outlet`` and ``text`` (optionally ``article_id``, ``title``,
    ``date``, ``url``). Errors name the file: :class:`ArticleReadError` for unreadable files or
    encodings, :class:`InputError` subclasses for bad content.
    """
    p = Path(path)
    if p.is_dir():
        return _read_folder(p, encoding)
    if not p.exists():
        raise ArticleReadError(f"{p} does not exist.")
    return to_articles(_read_table(p, encoding))


def load_seeds() -> list[Article]:
    """The five bundled seed articles (RT, IANS, Reuters, Press TV, SANA) on the Feb 2016 Syria truce."""
    folder = Path(os.environ.get("CLAIMCMP_SEEDS_DIR", SEEDS_DIR))
    return load_articles(folder)
