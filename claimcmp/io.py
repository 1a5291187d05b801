"""Reading articles from disk: a folder of .txt or saved .html pages (with or without a manifest), or a
CSV/JSONL/JSON/parquet table."""

from __future__ import annotations

import json
import os
import stat
from io import BytesIO
from pathlib import Path

import pandas as pd

from claimcmp.articles import ARTICLE_FIELDS, Article, ArticlesLike, to_articles
from claimcmp.errors import ArticleReadError, InputPathError

MANIFEST_NAMES = ("manifest.csv", "manifest.json", "manifest.jsonl")
TABLE_SUFFIXES = (".csv", ".jsonl", ".json", ".parquet")
HTML_SUFFIXES = (".html", ".htm")

#: The bundled seed corpus: five articles on the February 2016 Syria cessation of hostilities.
SEEDS_DIR = Path(__file__).resolve().parent.parent / "seeds"


def _kind(mode: int) -> str:
    for test, name in ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket"),
                       (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device")):
        if test(mode):
            return name
    return "not a regular file"


def read_bytes(path: Path) -> bytes:
    """The bytes of a regular file; anything else (a FIFO, a device, a socket) is refused unopened.

    Raises :class:`InputPathError` for what is not a regular file, :class:`ArticleReadError` when the
    file is missing or cannot be read.
    """
    if "\x00" in str(path):
        raise InputPathError(f"{str(path)!r} contains a NUL character: no file can have that name.")
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        raise ArticleReadError(f"{path} does not exist.") from None
    except OSError as exc:
        raise ArticleReadError(f"Cannot read {path}: {exc.strerror or exc}.") from exc
    if not stat.S_ISREG(mode):
        raise InputPathError(f"{path} is {_kind(mode)}: only regular files are read.")
    try:  # O_NONBLOCK: should the path have become a FIFO since, opening it still returns at once
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise ArticleReadError(f"Cannot read {path}: {exc.strerror or exc}.") from exc
    with open(fd, "rb") as fh:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise InputPathError(f"{path} is {_kind(mode)}: only regular files are read.")
        try:
            return fh.read()
        except OSError as exc:
            raise ArticleReadError(f"Cannot read {path}: {exc.strerror or exc}.") from exc


def inside(folder: Path, entry: str, source: Path) -> Path:
    """``folder / entry``, refused with :class:`InputPathError` unless it resolves inside ``folder``.

    ``entry`` must be a relative path; after resolving ``..`` and symlinks it must still lie inside
    ``folder`` (itself resolved). ``source`` (the manifest) is named in the message.
    """
    rel = Path(entry)
    if not entry.strip():
        raise InputPathError(f"{source}: an entry has an empty file name.")
    if "\x00" in entry:
        raise InputPathError(f"{source}: file {entry!r} contains a NUL character: no file can have that name.")
    if rel.is_absolute() or rel.drive or rel.root:
        raise InputPathError(f"{source}: file {entry!r} is an absolute path; entries must be relative to {folder}.")
    base = folder.resolve()
    full = (folder / rel).resolve()
    if full != base and base not in full.parents:
        how = "through '..'" if ".." in rel.parts else "through a symlink"
        raise InputPathError(f"{source}: file {entry!r} leads outside {folder} ({how}, to {full}); only files "
                             "inside the manifest's folder are read.")
    return folder / rel


def read_text(path: Path, encoding: str = "utf-8") -> str:
    """A file's text; raises :class:`ArticleReadError` naming the file and the encoding tried."""
    data = read_bytes(path)
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
            return pd.read_parquet(BytesIO(read_bytes(path)))
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


def read_html(path: Path) -> dict[str, str | None]:
    """A saved web page as an article record: main text, title, date, url and outlet (the site name).

    The main text comes from trafilatura (navigation, related links, footers and comments left out),
    one paragraph per block separated by blank lines, so no markup reaches the sentences; the date
    from htmldate (publication date preferred); the url from the page's canonical or og:url link;
    the outlet from the site name, else the host name. A page without extractable text gets an empty
    text (the comparison then raises or skips it, see ``on_bad_article``).
    """
    import trafilatura
    from htmldate import find_date

    data = read_bytes(path)
    tree = trafilatura.load_html(data)
    if tree is None:
        raise ArticleReadError(f"{path} cannot be parsed as HTML.")
    meta = trafilatura.extract_metadata(tree)
    body = trafilatura.extract(trafilatura.load_html(data), output_format="txt", include_comments=False,
                               include_tables=False, include_images=False, include_links=False)
    text = "\n\n".join(line.strip() for line in (body or "").splitlines() if line.strip())
    date = find_date(trafilatura.load_html(data), original_date=True) or (meta.date if meta else None)
    outlet = (meta.sitename or meta.hostname) if meta else None
    return {"article_id": path.stem, "outlet": outlet, "text": text, "title": meta.title if meta else None,
            "date": date, "url": meta.url if meta else None}


def _read_file(path: Path, encoding: str) -> dict[str, str | None]:
    if path.suffix.lower() in HTML_SUFFIXES:
        return read_html(path)
    return {"text": read_text(path, encoding)}


def _html_files(folder: Path) -> list[Path]:
    pages = sorted(p for p in folder.iterdir() if p.suffix.lower() in HTML_SUFFIXES and not p.name.startswith("."))
    return [inside(folder, p.name, folder) for p in pages]


def _read_folder(folder: Path, encoding: str) -> list[dict[str, str | None]]:
    manifest = next((folder / m for m in MANIFEST_NAMES if (folder / m).is_file()), None)
    if manifest is None:
        pages = _html_files(folder)
        if pages:
            return [read_html(p) for p in pages]
        raise ArticleReadError(
            f"{folder} has no manifest ({' / '.join(MANIFEST_NAMES)}) and no saved .html pages: a folder of text "
            "files must list each article's file and outlet (columns: file, outlet, and optionally article_id, "
            "title, date, url)."
        )
    rows = _read_table(manifest, encoding).to_dict(orient="records")
    if rows and "file" not in rows[0]:
        raise ArticleReadError(f"{manifest} has no 'file' column.")
    records = []
    for row in rows:
        rec: dict[str, str | None] = _read_file(inside(folder, str(row["file"]), manifest), encoding)
        given = {k: row.get(k) for k in ARTICLE_FIELDS if k != "text"}
        # the manifest's own values win over what a page says about itself
        rec.update({k: v for k, v in given.items() if v is not None and v != ""})
        rec.setdefault("article_id", None)
        records.append(rec)
    return records


def load_records(path: str | os.PathLike[str], encoding: str = "utf-8") -> ArticlesLike:
    """The articles at ``path`` as read, not yet validated (see :func:`load_articles` for the layouts).

    Reading errors raise :class:`ArticleReadError`; bad content (an empty text, a missing outlet) is
    left for :func:`~claimcmp.articles.to_articles` or ``compare(..., on_bad_article="skip")`` to judge.
    """
    p = Path(path)
    if p.is_dir():
        return _read_folder(p, encoding)
    if not p.exists():
        raise ArticleReadError(f"{p} does not exist.")
    if p.suffix.lower() in HTML_SUFFIXES:
        return [read_html(p)]
    return _read_table(p, encoding)


def load_articles(path: str | os.PathLike[str], encoding: str = "utf-8") -> list[Article]:
    """Articles from a folder, a saved web page, or a CSV / JSONL / JSON / parquet table.

    A folder holds a manifest (columns ``file``, ``outlet``, optionally ``article_id``, ``title``,
    ``date``, ``url``) listing .txt files or saved .html pages, or it holds saved ``.html`` / ``.htm``
    pages and no manifest. A page gives its main text, title, date, url, and its site name as the
    outlet where the manifest gives none; its file name (without suffix) is its ``article_id``. A table
    needs the columns ``outlet`` and ``text``. Errors name the file: :class:`ArticleReadError` for
    unreadable files or encodings, :class:`InputError` subclasses for bad content.
    """
    return to_articles(load_records(path, encoding))


def load_seeds() -> list[Article]:
    """The five bundled seed articles (RT, IANS, Reuters, Press TV, SANA) on the Feb 2016 Syria truce."""
    folder = Path(os.environ.get("CLAIMCMP_SEEDS_DIR", SEEDS_DIR))
    return load_articles(folder)
