"""Text helpers shared by the framing modules: quotation spans and word tokens, in character offsets."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

#: A span of characters ``[start, end)`` inside one string.
Span = tuple[int, int]

_WORD = re.compile(r"[A-Za-z][A-Za-z'’\-]*[A-Za-z]|[A-Za-z]|\d[\d,.]*\d|\d")

# Straight double quote: opening when preceded by start / space / bracket and followed by a non-space.
_OPEN_STRAIGHT = re.compile(r'(?:(?<=^)|(?<=[\s(\[{—–-]))"(?=\S)')
# Single quotes: an opening ' or ‘ follows a non-word character and precedes a word character; a closing
# ' or ’ follows a word character or punctuation and precedes a non-word character. Apostrophes inside
# words ("That’s", "Damascus's") therefore never count; a lone possessive ("terrorists'") has no partner.
_OPEN_SINGLE = re.compile(r"(?<![\w'’])['‘](?=[\w\"“])")
_CLOSE_SINGLE = re.compile(r"(?<=[\w.,!?…;:)\]\"”])['’](?!\w)")


def quote_spans(text: str) -> list[Span]:
    """Spans of quoted material in ``text``, quotation marks included.

    Handles “ ”, straight ", ‘ ’ and straight '. A double quote left open runs to the end of the text (a
    quotation that continues into the next sentence); a closing curly quote with no opening one starts the
    span at the beginning (the text began inside a quotation). Single quotes count only in pairs and only
    outside double-quoted spans, because most single quotes in news text are apostrophes. An opening “
    inside an open quotation, after punctuation and before a space, is taken as a mistyped closing quote.
    """
    spans: list[Span] = []
    open_at: int | None = None
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if ch == "“":
            if open_at is None:
                open_at = i
            elif i + 1 >= n or (text[i + 1].isspace() and text[i - 1] in ".,!?;:…"):
                spans.append((open_at, i + 1))  # a typo'd closing quote: 'Gaza,“ the official said'
                open_at = None
        elif ch == "”":
            spans.append((0 if open_at is None else open_at, i + 1))
            open_at = None
        elif ch == '"':
            if open_at is None and _OPEN_STRAIGHT.match(text, i):
                open_at = i
            elif open_at is not None:
                spans.append((open_at, i + 1))
                open_at = None
        i += 1
    if open_at is not None:
        spans.append((open_at, n))
    spans.extend(_single_quote_spans(text, spans))
    return sorted(spans)


def _single_quote_spans(text: str, doubles: list[Span]) -> list[Span]:
    marks: list[tuple[int, str]] = [(m.start(), "open") for m in _OPEN_SINGLE.finditer(text)]
    marks += [(m.start(), "close") for m in _CLOSE_SINGLE.finditer(text)]
    out: list[Span] = []
    open_at: int | None = None
    for pos, kind in sorted(marks):
        if inside(doubles, pos, pos + 1):
            continue
        if kind == "open" and open_at is None:
            open_at = pos
        elif kind == "close" and open_at is not None:
            out.append((open_at, pos + 1))
            open_at = None
    return out


def inside(spans: Iterable[Span], start: int, end: int) -> bool:
    """True if ``[start, end)`` lies entirely inside one of ``spans``."""
    return any(s <= start and end <= e for s, e in spans)


def overlap_chars(spans: Iterable[Span], start: int, end: int, text: str) -> int:
    """Non-space characters of ``text[start:end]`` covered by ``spans`` (spans must not overlap)."""
    total = 0
    for s, e in spans:
        lo, hi = max(s, start), min(e, end)
        if lo < hi:
            total += sum(1 for c in text[lo:hi] if not c.isspace())
    return total


def nonspace(text: str, start: int = 0, end: int | None = None) -> int:
    """Number of non-space characters in ``text[start:end]``."""
    return sum(1 for c in text[start:end] if not c.isspace())


def words(text: str) -> list[tuple[str, int, int]]:
    """Word tokens of ``text`` as ``(word, start, end)``; hyphenated words and apostrophes stay whole."""
    return [(m.group(), m.start(), m.end()) for m in _WORD.finditer(text)]


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """spaCy's English stop-word list (lower case), plus a few news-function words."""
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS) | {"said", "says", "told", "also", "'s", "’s", "mr", "ms"}


@lru_cache(maxsize=1)
def tokenizer() -> Any:
    """spaCy's rule-based English tokenizer (``spacy.blank('en')``); no trained pipeline is needed."""
    import spacy

    return spacy.blank("en").tokenizer


def conform_frame(df: Any, columns: dict[str, str], categories: dict[str, list[str]] | None = None) -> Any:
    """``df`` with exactly ``columns`` (name -> dtype), in order; 'category' columns use ``categories``."""
    import pandas as pd

    out = df.reindex(columns=list(columns)).reset_index(drop=True)
    for col, dtype in columns.items():
        if dtype == "category":
            cats = (categories or {}).get(col)
            values = out[col].astype("string").astype(object)
            out[col] = pd.Categorical(values, categories=cats)
        else:
            out[col] = out[col].astype(dtype)  # type: ignore[call-overload]
    return out


def outlet_categories(df: Any) -> list[str]:
    """The outlets of a table with an ``outlet`` column: its categories if categorical, else sorted values."""
    import pandas as pd

    col = df["outlet"]
    if isinstance(col.dtype, pd.CategoricalDtype):
        return [str(c) for c in col.cat.categories]
    return sorted({str(v) for v in col})
