"""Sentence segmentation in the article's own character coordinates."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from claimcmp.errors import OffsetError, ParameterError
from claimcmp.stages.clean import Span

_WS = re.compile(r"\s+")


@lru_cache(maxsize=4)
def _pysbd(language: str) -> Any:
    import pysbd

    return pysbd.Segmenter(language=language, clean=False, char_span=False)


@lru_cache(maxsize=2)
def _spacy_sentencizer() -> Any:
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


def align(text: str, pieces: Sequence[str], start: int, end: int) -> list[Span]:
    """Locate each piece (in order) inside ``text[start:end]`` and return stripped spans.

    Raises :class:`OffsetError` when a piece cannot be found: the segmenter changed the text.
    """
    spans: list[Span] = []
    cursor = start
    for piece in pieces:
        stripped = piece.strip()
        if not stripped:
            continue
        at = text.find(stripped, cursor, end)
        if at < 0:
            raise OffsetError(f"segmenter output {stripped[:60]!r} not found in the text after offset {cursor}")
        spans.append(Span(at, at + len(stripped)))
        cursor = at + len(stripped)
    return spans


class SentenceSegmenter:
    """Splits the cleaner's kept spans into sentences.

    Parameters
    ----------
    backend:
        ``"pysbd"`` (default; rule-based, handles abbreviations such as "U.S." and "Feb.") or
        ``"spacy"`` (spaCy's rule-based sentencizer). Measured on the seeds in docs/guide/segmentation.md.
    min_chars:
        Sentences shorter than this (after stripping) are merged into the previous sentence of the
        same span, so fragments such as a stray closing quote do not become claims.
    """

    def __init__(self, backend: str = "pysbd", min_chars: int = 12) -> None:
        self.backend = backend
        self.min_chars = min_chars

    def get_params(self) -> dict[str, object]:
        return {"backend": self.backend, "min_chars": self.min_chars}

    def _split(self, chunk: str) -> list[str]:
        if self.backend == "pysbd":
            return [str(s) for s in _pysbd("en").segment(chunk)]
        if self.backend == "spacy":
            return [s.text for s in _spacy_sentencizer()(chunk).sents]
        raise ParameterError(f"Unknown segmenter backend {self.backend!r}; use 'pysbd' or 'spacy'.")

    def segment(self, text: str, kept: Sequence[Span]) -> list[Span]:
        """Sentence spans of ``text`` inside the kept spans, in text order."""
        out: list[Span] = []
        for span in kept:
            spans = align(text, self._split(text[span.start:span.end]), span.start, span.end)
            merged: list[Span] = []
            for s in spans:
                if merged and (s.end - s.start) < self.min_chars:
                    merged[-1] = Span(merged[-1].start, s.end)
                else:
                    merged.append(s)
            if len(merged) > 1 and (merged[0].end - merged[0].start) < self.min_chars:
                merged[1] = Span(merged[0].start, merged[1].end)
                merged.pop(0)
            out.extend(merged)
        return out
