"""The article model and the validation of every way articles can be handed in."""

from __future__ import annotations

import hashlib
import math
import re
import unicodedata
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any, TypeAlias

import pandas as pd

from claimcmp._text_safety import replace_unencodable
from claimcmp.errors import (
    DuplicateArticleIdError,
    EmptyTextError,
    InputError,
    MissingOutletError,
    NoArticlesError,
    TextTypeError,
    UnencodableTextWarning,
)

ARTICLE_FIELDS = ("article_id", "outlet", "text", "title", "date", "url")


@dataclass(frozen=True)
class Article:
    """One news article: its original text and where it came from.

    ``article_id`` is the key every result row carries; when not given it is derived from the
    outlet and the text, so the same article always gets the same id. The text is never rewritten,
    with one exception made at input: a code point UTF-8 cannot encode (a lone surrogate such as
    ``"\\ud800"``) becomes U+FFFD, one for one, with an :class:`~claimcmp.errors.UnencodableTextWarning`.
    """

    article_id: str
    outlet: str
    text: str
    title: str | None = None
    date: str | None = None
    url: str | None = None

    def to_dict(self) -> dict[str, str | None]:
        """The article as a plain dict with the fields of :data:`ARTICLE_FIELDS`."""
        return asdict(self)


def _missing(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return value is pd.NA or value is pd.NaT


def _slug(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")[:40].strip("-") or "outlet"


def default_article_id(outlet: str, text: str) -> str:
    """Stable id for an article that came without one: a readable outlet slug + a hash of outlet and text.

    The hash covers the exact outlet name, so outlets whose names slug alike ("A.B" and "A-B",
    "Ä" and "A", "!!!" and "???") still get different ids; only the same text from the same outlet
    gets the same id.
    """
    key = outlet.strip() + "\x00" + text
    digest = hashlib.sha1(replace_unencodable(key)[0].encode("utf-8")).hexdigest()[:12]
    return f"{_slug(outlet)}-{digest}"


def _encodable(row: Mapping[str, Any], where: str) -> dict[str, Any]:
    """The article's fields with unencodable code points replaced by U+FFFD, warning if any were."""
    out = dict(row)
    replaced = {}
    for key in ARTICLE_FIELDS:
        value = out.get(key)
        if isinstance(value, str):
            out[key], n = replace_unencodable(value)
            if n:
                replaced[key] = n
    if replaced:
        counts = ", ".join(f"{n} in {k}" for k, n in replaced.items())
        warnings.warn(UnencodableTextWarning(
            f"{where}: replaced {sum(replaced.values())} code point(s) that UTF-8 cannot encode (lone "
            f"surrogates) with U+FFFD ({counts}); character offsets are unchanged."), stacklevel=4)
    return out


def _opt_str(value: object, field: str, where: str) -> str | None:
    if _missing(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    if not isinstance(value, str):
        if field == "date":
            return str(value)
        raise TextTypeError(f"{where}: field {field!r} must be a string, got {type(value).__name__}.")
    return value or None


def _article_from_mapping(row: Mapping[str, Any], position: int) -> Article:
    where = f"article #{position}"
    if not _missing(row.get("article_id")):
        where = f"article {row['article_id']!r} (#{position})"
    row = _encodable(row, where)
    text = row.get("text")
    if _missing(text):
        raise EmptyTextError(f"{where} has no text.")
    if not isinstance(text, str):
        raise TextTypeError(f"{where}: text must be a string, got {type(text).__name__}.")
    if not text.strip():
        raise EmptyTextError(f"{where} has an empty or whitespace-only text.")
    outlet = row.get("outlet")
    if _missing(outlet) or (isinstance(outlet, str) and not outlet.strip()):
        raise MissingOutletError(f"{where} has no outlet: give every article an 'outlet'.")
    if not isinstance(outlet, str):
        raise TextTypeError(f"{where}: outlet must be a string, got {type(outlet).__name__}.")
    article_id = row.get("article_id")
    if _missing(article_id) or (isinstance(article_id, str) and not article_id.strip()):
        article_id = default_article_id(outlet, text)
    elif not isinstance(article_id, str):
        article_id = str(article_id)
    return Article(
        article_id=article_id,
        outlet=outlet.strip(),
        text=text,
        title=_opt_str(row.get("title"), "title", where),
        date=_opt_str(row.get("date"), "date", where),
        url=_opt_str(row.get("url"), "url", where),
    )


ArticlesLike: TypeAlias = "pd.DataFrame | Iterable[Article | Mapping[str, Any]]"


def _rows(articles: ArticlesLike) -> list[Mapping[str, Any]]:
    """The articles as a list of mappings, one per article, in input order (not yet validated)."""
    if articles is None:
        raise NoArticlesError("No articles given (got None).")
    if isinstance(articles, (str, bytes)):
        raise TextTypeError("Articles must be a DataFrame, a list of dicts or Article objects, not a string.")
    if isinstance(articles, pd.DataFrame):
        for col in ("outlet", "text"):
            if col not in articles.columns:
                exc = MissingOutletError if col == "outlet" else EmptyTextError
                raise exc(f"The articles DataFrame has no {col!r} column (columns: {list(articles.columns)}).")
        rows: list[Mapping[str, Any]] = [{str(k): v for k, v in r.items()}
                                         for r in articles.to_dict(orient="records")]
    elif isinstance(articles, Mapping):
        raise TextTypeError("Articles must be a list of dicts, not one dict: wrap a single article in a list.")
    elif not isinstance(articles, Iterable):
        raise TextTypeError(f"Articles must be a DataFrame, a list of dicts or Article objects, not "
                            f"{type(articles).__name__}.")
    else:
        rows = []
        for item in articles:
            if isinstance(item, Article):
                rows.append(item.to_dict())
            elif isinstance(item, Mapping):
                rows.append(item)
            else:
                raise TextTypeError(
                    f"article #{len(rows)} is a {type(item).__name__}; expected a dict or an Article."
                )
    if not rows:
        raise NoArticlesError("No articles given: the input is empty.")
    return rows


def _duplicate_error(article_id: str, first: int, second: int) -> DuplicateArticleIdError:
    return DuplicateArticleIdError(
        f"article_id {article_id!r} is used by articles #{first} and #{second}; "
        "ids must be unique (an identical text from the same outlet also collides)."
    )


def to_articles(articles: ArticlesLike) -> list[Article]:
    """Validate articles given as a DataFrame, a list of dicts or :class:`Article` objects.

    Raises a subclass of :class:`~claimcmp.errors.InputError` naming the article at fault:
    no articles, missing or non-string text, empty text, missing outlet, duplicate ids.
    """
    out = [_article_from_mapping(r, i) for i, r in enumerate(_rows(articles))]
    seen: dict[str, int] = {}
    for i, a in enumerate(out):
        if a.article_id in seen:
            raise _duplicate_error(a.article_id, seen[a.article_id], i)
        seen[a.article_id] = i
    return out


def skipped_record(row: Mapping[str, Any] | Article, position: int, stage: str, exc: Exception) -> dict[str, Any]:
    """One row of the ``skipped`` table: which article, where it was dropped, and why."""
    get = row.to_dict().get if isinstance(row, Article) else row.get
    aid, outlet = get("article_id"), get("outlet")
    aid = None if _missing(aid) else replace_unencodable(str(aid))[0]
    outlet = replace_unencodable(outlet)[0] if isinstance(outlet, str) else None
    return {"article_id": aid,
            "outlet": outlet.strip() if outlet and outlet.strip() else None,
            "position": position, "stage": stage, "error": type(exc).__name__,
            "code": str(getattr(exc, "code", "")), "message": str(exc)}


def to_articles_skipping(articles: ArticlesLike) -> tuple[list[Article], list[dict[str, Any]]]:
    """Like :func:`to_articles`, but an unusable article is skipped and recorded instead of raising.

    Returns the valid articles and one :func:`skipped_record` per skipped article (a later
    duplicate of an ``article_id`` is skipped; the first one stays). Errors about the input as a
    whole (None, a string, no articles, a DataFrame without ``text``/``outlet``) still raise.
    """
    out: list[Article] = []
    skipped: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for i, row in enumerate(_rows(articles)):
        try:
            a = _article_from_mapping(row, i)
            if a.article_id in seen:
                raise _duplicate_error(a.article_id, seen[a.article_id], i)
        except InputError as exc:
            skipped.append(skipped_record(row, i, "input", exc))
            continue
        seen[a.article_id] = i
        out.append(a)
    return out, skipped


def articles_frame(articles: list[Article]) -> pd.DataFrame:
    """The articles as a DataFrame with the columns of :data:`ARTICLE_FIELDS` (string dtype)."""
    df = pd.DataFrame([a.to_dict() for a in articles], columns=list(ARTICLE_FIELDS))
    return df.astype("string")
