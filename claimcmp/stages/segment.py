"""Sentence segmentation in the article's own character coordinates."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from claimcmp._checks import check_bool, check_choice, check_int
from claimcmp.errors import OffsetError, ParameterError
from claimcmp.stages.clean import Span

_WS = re.compile(r"\s+")
#: Abbreviations that stand before a name or a number, so a full stop after them never ends a sentence.
TITLES = ("Sen", "Sens", "Rep", "Reps", "Gov", "Govs", "Lt", "Gen", "Col", "Maj", "Capt", "Cpl", "Sgt", "Adm",
          "Cmdr", "Atty", "Dr", "Mr", "Mrs", "Ms", "Messrs", "Prof", "Rev", "Fr", "Supt", "Insp", "Det", "Amb",
          "Pres", "Sec", "Gens", "Brig", "No", "Nos", "St", "Mt", "Ft", "Pvt", "Spc", "Ald", "Del")
_TITLE_END = re.compile(r"(?:^|[\s(“\"‘'-])(?:" + "|".join(TITLES) + r")\.$")
# A piece that cannot start a sentence: it opens with a comma-like mark, a lowercase word or a possessive.
_CONTINUES = re.compile(r"^(?:[,;:)\]%]|[–—―-]|[’']s\b|[a-z])")
#: Words that take a full stop without ending a sentence (besides TITLES): US states, months, company forms.
ABBREVIATIONS = frozenset(w.lower() for w in TITLES) | frozenset((
    "ala", "ariz", "ark", "calif", "colo", "conn", "fla", "ga", "ill", "ind", "kan", "kans", "ky", "la", "md",
    "mass", "mich", "minn", "miss", "mo", "mont", "neb", "nev", "okla", "ore", "pa", "tenn", "tex", "va", "vt",
    "wash", "wis", "wyo", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "inc", "corp", "co", "ltd", "jr", "sr", "bros", "vs", "approx", "dept", "univ", "assn", "ave", "blvd", "rd",
    "fig", "vol", "pp", "al", "est"))
# Where a sentence the backend left whole may still end: final punctuation (and closing quotes), a
# space, then an opening quote or a capital letter.
_INNER_END = re.compile(r"[.!?]+[\"'”’)]*(?=\s+[“\"‘']?\s?[A-Z])")
# A piece that cannot end a sentence: it stops at a comma, semicolon or colon (a closing quote may follow).
_OPEN_END = re.compile(r"[,;:]\s*[\"'”’]*\s*$")
# Quotation marks that close the previous sentence but were put at the start of the next piece.
_CLOSING = re.compile(r"^[”’]+|^[\"']+(?=\s)")


#: The sentence splitters :class:`SentenceSegmenter` can use.
BACKENDS = ("pysbd", "spacy")


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


def _ends_sentence(text: str, punct_at: int) -> bool:
    """Whether the full stop at ``punct_at`` ends a sentence rather than an abbreviation or initial."""
    if text[punct_at] in "!?":
        return True
    m = re.search(r"[\w.’'-]+$", text[:punct_at])
    word = m.group().strip("'’") if m else ""
    if not word or "." in word or word.lower() in ABBREVIATIONS:
        return False
    return not (word[0].isupper() and len(word) < 4 and not word.isupper()) and len(word) > 1


def split_inner(text: str, spans: Sequence[Span]) -> list[Span]:
    """Split spans at sentence ends the backend missed, such as those inside a multi-sentence quotation."""
    out: list[Span] = []
    for sp in spans:
        start = sp.start
        for m in _INNER_END.finditer(text, sp.start, sp.end):
            if m.end() >= sp.end or not _ends_sentence(text, m.start()):
                continue
            out.append(Span(start, m.end()))
            rest = text[m.end():sp.end]
            start = m.end() + len(rest) - len(rest.lstrip())
        out.append(Span(start, sp.end))
    return out


def _left_open(before: str) -> bool:
    """Whether a paragraph's text so far leaves a double quotation open: an odd number of double quotation
    marks, the last of them not one that closes a quote before its attribution (', " he said')."""
    marks = [i for i, c in enumerate(before) if c in "\"“”"]
    return len(marks) % 2 == 1 and before[marks[-1]] != "”" and not before[:marks[-1]].rstrip().endswith(",")


def repair(text: str, spans: Sequence[Span]) -> list[Span]:
    """Undo false sentence boundaries of a rule-based segmenter inside one span of ``text``.

    A boundary is removed when the next piece cannot open a sentence (it starts with a comma, a dash,
    a lowercase word or a possessive: ", said ...", "’s attorneys."), when the previous piece ends
    with a title that precedes a name or number ("Sen.", "Lt.", "No."), or when it ends with a comma,
    semicolon or colon ("... a world problem, " He told reporters.). Closing quotation marks that
    start the next piece move back to the sentence they close: a curly one always, a straight double one
    when the paragraph before it holds an odd number of them.
    """
    out: list[Span] = []
    for sp in spans:
        piece = text[sp.start:sp.end]
        if out:
            prev = text[out[-1].start:out[-1].end]
            m = _CLOSING.match(piece)
            # a curly closing quote always closes; a straight one when nothing follows it and the previous
            # sentence left a quotation open, or, for a double quote, whatever follows it when the paragraph
            # so far left one open (spaced quotes: 'a " warm welcome. " He also declined')
            if m and (piece[0] in "”’" or (prev.count(piece[0]) % 2 == 1 and not piece[m.end():].strip())
                      or (piece[0] == '"' and _left_open(text[out[0].start:sp.start]))):
                out[-1] = Span(out[-1].start, sp.start + m.end())
                rest = piece[m.end():]
                if not rest.strip():
                    continue
                sp = Span(sp.start + m.end() + (len(rest) - len(rest.lstrip())), sp.end)
                piece = text[sp.start:sp.end]
            if _CONTINUES.match(piece) or _TITLE_END.search(prev) or _OPEN_END.search(prev):
                out[-1] = Span(out[-1].start, sp.end)
                continue
        out.append(sp)
    return out


class SentenceSegmenter:
    """Splits the cleaner's kept spans into sentences.

    Parameters
    ----------
    backend:
        ``"pysbd"`` (default; rule-based, handles abbreviations such as "U.S." and "Feb.") or
        ``"spacy"`` (spaCy's rule-based sentencizer). Measured on the seeds in docs/guide/segmentation.md.
    repair:
        Add the sentence ends the backend missed (:func:`split_inner`, e.g. inside a multi-sentence
        quotation) and remove its false boundaries (:func:`repair`: party and state tags such as
        "R-Tenn.", titles such as "Sen." and "Lt. Gen.", quotes closing after the full stop).
    min_chars:
        Sentences shorter than this (after stripping) are merged into the previous sentence of the
        same span, so fragments such as a stray closing quote do not become claims.
    """

    def __init__(self, backend: str = "pysbd", min_chars: int = 12, repair: bool = True) -> None:
        self.backend = backend
        self.min_chars = min_chars
        self.repair = repair

    def get_params(self) -> dict[str, object]:
        return {"backend": self.backend, "min_chars": self.min_chars, "repair": self.repair}

    def check(self) -> None:
        """Raise ParameterError if a parameter is unusable."""
        check_choice(self.backend, "backend", BACKENDS)
        check_int(self.min_chars, "min_chars", minimum=0)
        check_bool(self.repair, "repair")

    def _split(self, chunk: str) -> list[str]:
        if self.backend == "pysbd":
            return [str(s) for s in _pysbd("en").segment(chunk)]
        if self.backend == "spacy":
            return [s.text for s in _spacy_sentencizer()(chunk).sents]
        raise ParameterError(f"Unknown segmenter backend {self.backend!r}; use 'pysbd' or 'spacy'.")

    def segment(self, text: str, kept: Sequence[Span]) -> list[Span]:
        """Sentence spans of ``text`` inside the kept spans, in text order."""
        self.check()
        out: list[Span] = []
        for span in kept:
            spans = align(text, self._split(text[span.start:span.end]), span.start, span.end)
            if self.repair:
                spans = repair(text, split_inner(text, spans))
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
