"""Boilerplate removal: decides which spans of an article are reporting and which are not.

The cleaner never rewrites text. It returns kept spans and removed spans (with a reason) in the
article's own character coordinates; every non-whitespace character ends up in exactly one of them.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

#: Reasons the default cleaner gives for removing a span (the ``reason`` column of ``removed``).
REASONS = (
    "reader_comments",
    "teaser",
    "newsletter",
    "donation",
    "photo_caption",
    "credit",
    "byline",
    "dateline",
    "heading",
)


@dataclass(frozen=True)
class Span:
    """A half-open character range ``[start, end)`` of an article's text."""

    start: int
    end: int


@dataclass(frozen=True)
class RemovedSpan:
    """A span the cleaner dropped, and why."""

    start: int
    end: int
    reason: str


@dataclass
class CleanResult:
    """What the cleaner keeps and what it removes, in the article's coordinates."""

    kept: list[Span] = field(default_factory=list)
    removed: list[RemovedSpan] = field(default_factory=list)


_I = re.IGNORECASE
# A line that starts a block of reader comments / comment widgets: everything from it to the end goes.
COMMENT_MARKERS = re.compile(
    r"^(social streams|facebook comments|website comments|disqus comments|reader comments|comments?"
    r"|\d+\s+comments?|post a comment|leave a (comment|reply)|add (a )?comment|show comments|join the discussion"
    r"|comments are closed|you must be logged in to post a comment)\s*:?$", _I)
# A line that starts a block of related-article teasers: everything from it to the end goes.
TEASER_BLOCK = re.compile(r"^(check also|related( (articles|stories|posts|news))?|you may also like|more from|"
                          r"recommended( for you)?|most (read|popular)|also read|see also|trending)\s*:?$", _I)
TEASER_LINE = re.compile(r"^(read more|read also|also read|see also|related|watch|more|recommended)\s*[:\-–—|]", _I)
NEWSLETTER = re.compile(r"(mailing list|newsletter|subscribe (to|now)|sign up (for|to) (our|the)|"
                        r"get (our|the) (daily|weekly)|follow us on)", _I)
DONATION = re.compile(r"(charitable donation|\bdonat(e|ion)\b|support (our|independent) journalism|"
                      r"become a (patron|member|supporter))", _I)
PHOTO = re.compile(r"(\b(REUTERS|AFP|AP|EPA|Getty Images|Sputnik|TASS|Xinhua|Anadolu)\s*/\s*[A-Z]|"
                   r"\((above|below|left|right|pictured|file)\)|^(photo|image|file photo|picture)\s*[:|]|"
                   r"\bphoto(graph)? (by|credit|courtesy)\b)", _I)
CREDIT = re.compile(r"^[-–—(]*\s*(with (inputs|agency inputs|input) from|with \w+ inputs|"
                    r"(additional )?reporting by|editing by|writing by|compiled by|source\s*:)", _I)
BYLINE = re.compile(r"(^by\s+[A-Z]|\bby (admin|staff|editor|[A-Z][a-z]+ [A-Z][a-z]+)$|^posted (on|by)\b|"
                    r"^(last )?updated\b)", _I)
MONTH = r"(?i:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
DATE_LINE = re.compile(
    rf"^((mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\s+)?({MONTH}\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}\s+{MONTH},?\s+\d{{4}}|"
    rf"\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{2,4}}|\d{{4}}-\d{{2}}-\d{{2}})\b[\w\s:,.|-]*$", _I)
# Datelines that open a paragraph: "MOSCOW, Feb 24 – ", "Moscow, SANA – ", "Moscow/Damascus: ".
AGENCIES = r"(SANA|AFP|Reuters|AP|IANS|PTI|Xinhua|TASS|RIA Novosti|Sputnik|IRNA|Anadolu|UNI|ANI)"
DATELINE_PREFIX = re.compile(
    rf"(?:[A-Z]{{3,}}(?:[ /-][A-Z]{{2,}})*(?:,\s*{MONTH}\s+\d{{1,2}})?\s*\(?{AGENCIES}?\)?\s*[–—-]+\s+"
    rf"|[A-Z][a-z]+(?:[ /][A-Z][a-z]+)*,\s*{AGENCIES}\s*[–—-]+\s*"
    rf"|[A-Z][a-z]+(?:/[A-Z][a-z]+)+:\s+)(?=[A-Z“\"'‘])")
SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*\s*$")
NAME_ONLY = re.compile(r"^([A-Z][\w.'’-]*)(\s+[A-Z][\w.'’-]*){0,3}$")


log = logging.getLogger(__name__)


def _line_reason(line: str, max_heading_words: int) -> str | None:
    s = line.strip()
    if TEASER_LINE.match(s):
        return "teaser"
    if NEWSLETTER.search(s) and len(s.split()) <= 25:
        return "newsletter"
    if DONATION.search(s) and len(s.split()) <= 25:
        return "donation"
    if PHOTO.search(s):
        return "photo_caption"
    if CREDIT.match(s):
        return "credit"
    if DATE_LINE.match(s):
        return "dateline"
    if BYLINE.search(s) and len(s.split()) <= 12:
        return "byline"
    if not SENTENCE_END.search(s):
        if NAME_ONLY.match(s) and len(s.split()) <= 4:
            return "byline"
        if len(s.split()) <= max_heading_words:
            return "heading"
    return None


class BoilerplateCleaner:
    """Rule-based boilerplate remover for news pages.

    Parameters
    ----------
    remove_headings:
        Drop lines without sentence-final punctuation (titles, subheadings, teaser links). Titles
        stay available from the article's ``title`` field.
    max_heading_words:
        Longest line, in words, that can count as a heading.
    """

    def __init__(self, remove_headings: bool = True, max_heading_words: int = 30) -> None:
        self.remove_headings = remove_headings
        self.max_heading_words = max_heading_words

    def get_params(self) -> dict[str, object]:
        return {"remove_headings": self.remove_headings, "max_heading_words": self.max_heading_words}

    def clean(self, text: str) -> CleanResult:
        """Split ``text`` into kept and removed spans."""
        result = CleanResult()
        lines = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]
        tail_from: tuple[int, str] | None = None
        for i, (start, end) in enumerate(lines):
            s = text[start:end].strip()
            if not s:
                continue
            if COMMENT_MARKERS.match(s):
                tail_from = (i, "reader_comments")
                break
            if TEASER_BLOCK.match(s):
                tail_from = (i, "teaser")
                break
        body = lines if tail_from is None else lines[: tail_from[0]]
        for start, end in body:
            raw = text[start:end]
            if not raw.strip():
                continue
            lead = len(raw) - len(raw.lstrip())
            trail = len(raw.rstrip())
            start, end = start + lead, start + trail
            reason = _line_reason(text[start:end], self.max_heading_words)
            if reason == "heading" and not self.remove_headings:
                reason = None
            if reason:
                result.removed.append(RemovedSpan(start, end, reason))
                continue
            m = DATELINE_PREFIX.match(text, start, end)
            if m and m.end() < end:
                cut = m.end()
                pre_end = start + len(text[start:cut].rstrip())
                result.removed.append(RemovedSpan(start, pre_end, "dateline"))
                start = cut
            result.kept.append(Span(start, end))
        if tail_from is not None:
            first = lines[tail_from[0]][0]
            last = len(text.rstrip())
            start = first + (len(text[first:]) - len(text[first:].lstrip()))
            if last > start:
                result.removed.append(RemovedSpan(start, last, tail_from[1]))
        if not result.kept and any(r.reason == "heading" for r in result.removed):
            # A text made only of unpunctuated lines (a truncated lead, a one-line wire item) is
            # content, not a page of headings: keep those lines rather than leave nothing.
            log.info("no sentence-final punctuation anywhere: keeping %d heading-like line(s) as text",
                     sum(r.reason == "heading" for r in result.removed))
            result.kept = [Span(r.start, r.end) for r in result.removed if r.reason == "heading"]
            result.removed = [r for r in result.removed if r.reason != "heading"]
        result.removed.sort(key=lambda r: r.start)
        return result


class NoCleaner:
    """Pass-through cleaner: keeps every non-blank line (skip the cleaning stage)."""

    def get_params(self) -> dict[str, object]:
        return {}

    def clean(self, text: str) -> CleanResult:
        """Keep every non-blank line as it is."""
        kept = []
        for m in re.finditer(r"[^\n]+", text):
            raw = m.group()
            if raw.strip():
                lead = len(raw) - len(raw.lstrip())
                kept.append(Span(m.start() + lead, m.start() + len(raw.rstrip())))
        return CleanResult(kept=kept)
