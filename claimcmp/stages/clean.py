"""Boilerplate removal: decides which spans of an article are reporting and which are not.

The cleaner never rewrites text. It returns kept spans and removed spans (with a reason) in the
article's own character coordinates; every non-whitespace character ends up in exactly one of them.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

from claimcmp._checks import check_bool, check_int
from claimcmp.stages import layout

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
    "front_matter",
    "repeated",
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
    #: The article's title line, when its first line is one: removed from the body as a ``heading``,
    #: and compared as the article's headline by :class:`~claimcmp.Comparator` (``titles=True``).
    title: Span | None = None


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
# Newsletter and donation lines are calls to action: an imperative verb opens the line (after an
# optional "SITE - " label). A sentence that merely contains "donate" or "subscribe" is reporting.
_CALL = r"^(?:[\w.]+\s*[-–—|:]\s*)?(?:please\s+)?"
NEWSLETTER = re.compile(_CALL + r"(join|subscribe|sign up|get|follow|register)\b.*"
                        r"(mailing list|newsletter|subscribe|sign up|inbox|daily|weekly|on (twitter|facebook))", _I)
DONATION = re.compile(_CALL + r"(make|support|donate|become|give|help)\b.*"
                      r"(donat(e|ion)|journalism|patron|member|supporter|contribut)", _I)
# A photo or video caption: a picture credit closes the line ("... REUTERS/Sergei Karpukhin/Files"),
# or a caption label opens or closes it ("Photo: ...", "... (Photo: AP)").
_CREDIT_AGENCY = r"(REUTERS|Reuters|AFP|AP|EPA|Getty Images|Sputnik|TASS|Xinhua|Anadolu|Shutterstock)"
PHOTO = re.compile(rf"(\b{_CREDIT_AGENCY}\s*/\s*[A-Z][^.!?]*$"
                   r"|^(?i:photo|image|file photo|picture|video|caption)\s*[:|]"
                   r"|\((?i:photo|image|video|credit)\s*:[^)]*\)\s*$|\b(?i:photo|image)\s*(?i:by|credit|courtesy)\s*:?[^.!?]*$)")
CREDIT = re.compile(r"^[-–—(]*\s*(with (inputs|agency inputs|input) from|with \w+ inputs|"
                    r"(additional )?reporting by|editing by|writing by|compiled by|source\s*:)", _I)
CONTRIBUTED = re.compile(r"\bcontributed( reporting)? to this (report|story|article)\.?\)?$", _I)
_NAME = r"[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3}"
# The credit line that closes an NYT-style article: "Mark Landler contributed reporting from Washington."
CONTRIBUTED_LINE = re.compile(rf"^{_NAME}(?:\s*(?:,|and|&)\s*{_NAME})*\s+contributed (?:additional )?reporting\b")
BYLINE = re.compile(rf"(^(?i:by)\s+{_NAME}(?:\s*(?:,|and|&)\s*{_NAME})*(?:\s*[,|]\s*[\w .'’-]+)?$"
                    r"|(?i:\bby (admin|staff|editor))$|^(?i:posted (on|by))\b)")
MONTH = r"(?i:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_DATE = (rf"((mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\s+)?({MONTH}\s+\d{{1,2}},?\s+\d{{4}}|"
         rf"\d{{1,2}}\s+{MONTH},?\s+\d{{4}}|"
         rf"\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{2,4}}|\d{{4}}-\d{{2}}-\d{{2}})\b")
DATE_LINE = re.compile(rf"^((last )?updated\s*:?\s*(on\s+)?)?{_DATE}", _I)
UPDATED = re.compile(rf"^(last )?updated\s*:?\s*(on|at)?\s*(\d|{MONTH}|(mon|tue|wed|thu|fri|sat|sun)[a-z]*\b)", _I)
# Datelines that open a paragraph: "MOSCOW, Feb 24 – ", "FERGUSON, Mo. — ", "Washington (AFP) – ",
# "Moscow, SANA – ", "(CNN) - ", "Moscow/Damascus: ", "Feb 24, 2016 - ".
AGENCIES = r"(SANA|AFP|Reuters|AP|IANS|PTI|Xinhua|TASS|RIA Novosti|Sputnik|IRNA|Anadolu|UNI|ANI|CNN|UPI|Bloomberg)"
_DASH = r"[–—―-]+"
_STATE = r"(?:,\s*(?:[A-Z][A-Za-z]{0,4}\.){1,2}(?:\s?[A-Z][a-z]{1,4}\.)?)"
_COUNTRY = r"(?:,\s*[A-Z][a-z]+(?: [A-Z][a-z]+)?(?=\s*(?:\(|[–—―-])))"
_CAPS_PLACE = rf"[A-Z]{{3,}}(?:[ /.-][A-Z]{{2,}})*(?:{_STATE}|{_COUNTRY})?"
DATELINE_PREFIX = re.compile(
    rf"(?:{_CAPS_PLACE}(?:,\s*{MONTH}\s+\d{{1,2}})?\s*(?:\({AGENCIES}\)|{AGENCIES})?\s*{_DASH}\s*"
    rf"|(?:[A-Z][a-z]+(?:[ /][A-Z][a-z]+)*(?:,\s*{MONTH}\s+\d{{1,2}})?\s*|{MONTH}\s+\d{{1,2}}\s*)?"
    rf"\({AGENCIES}\)\s*{_DASH}\s*"
    rf"|[A-Z][a-z]+(?:[ /][A-Z][a-z]+)*,\s*{AGENCIES}\s*{_DASH}\s*"
    rf"|{_DATE}\s*{_DASH}\s+"
    rf"|[A-Z][a-z]+(?:/[A-Z][a-z]+)+:\s+)(?=[A-Z“\"'‘])")
DATELINE_ONLY = re.compile(rf"^{_CAPS_PLACE}\s*(?:\({AGENCIES}\))?\s*(?:{_DASH})?$")
SENTENCE_END = re.compile(r"[.!?…](\s?[\"'”’)\]])*\s*$")
# Prose that runs on: a line ending in a colon, comma or semicolon introduces what follows.
RUNS_ON = re.compile(r"[:,;][\"'”’]*\s*$")
NAME_ONLY = re.compile(r"^([A-Z][\w.'’-]*)(\s+[A-Z][\w.'’-]*){0,2}$")


log = logging.getLogger(__name__)


def _is_body(line: str) -> bool:
    """A line of running prose: sentence-final punctuation and at least twelve words."""
    s = line.strip()
    return bool(SENTENCE_END.search(s)) and len(s.split()) >= 12


def _date_only(s: str) -> bool:
    m = DATE_LINE.match(s)
    if not m:
        return False
    rest = s[m.end():].strip(" ,|-–—")
    return len(rest.split()) <= 4 and not re.search(r"[a-z]{3,}[.!?]$", rest)


def _opens_with_dateline(s: str) -> bool:
    m = DATELINE_PREFIX.match(s)
    return bool(m and m.end() < len(s))


def _strip_dateline(s: str) -> str:
    m = DATELINE_PREFIX.match(s)
    return s[m.end():] if m else s


def _line_reason(line: str, max_heading_words: int, outside_body: bool = True, at_end: bool = False) -> str | None:
    """Why a line is boilerplate (from its shape, whether it lies outside the article body and whether it is
    the article's last line), or None."""
    s = line.strip()
    words = len(s.split())
    if TEASER_LINE.match(s):
        return "teaser"
    # a call to action stands outside the article body, or is a short line of its own inside it
    call = words <= (25 if outside_body else 8)
    if call and NEWSLETTER.search(s):
        return "newsletter"
    if call and DONATION.search(s):
        return "donation"
    if PHOTO.search(s):
        return "photo_caption"
    if CREDIT.match(s) or ((CONTRIBUTED.search(s) or (at_end and CONTRIBUTED_LINE.match(s))) and words <= 30):
        return "credit"
    if _date_only(s) or DATELINE_ONLY.match(s):
        return "dateline"
    if (BYLINE.search(s) or UPDATED.match(s)) and words <= 12:
        return "byline"
    if layout.title_case_question(s):
        return "heading"
    if not SENTENCE_END.search(s) and not RUNS_ON.search(s):
        if outside_body and NAME_ONLY.match(s):
            return "byline"
        if words <= max_heading_words:
            return "heading"
    return None


class BoilerplateCleaner:
    """Rule-based boilerplate remover for news pages.

    Parameters
    ----------
    remove_headings:
        Drop lines without sentence-final punctuation (titles, subheadings, teaser links), the title
        line, and the front matter between the title and the dateline. The title line is reported in
        :attr:`CleanResult.title`, and :class:`~claimcmp.Comparator` compares it as a sentence.
    max_heading_words:
        Longest line, in words, that can count as a heading.
    """

    def __init__(self, remove_headings: bool = True, max_heading_words: int = 30) -> None:
        self.remove_headings = remove_headings
        self.max_heading_words = max_heading_words

    def get_params(self) -> dict[str, object]:
        return {"remove_headings": self.remove_headings, "max_heading_words": self.max_heading_words}

    def check(self) -> None:
        """Raise ParameterError if a parameter is unusable."""
        check_bool(self.remove_headings, "remove_headings")
        check_int(self.max_heading_words, "max_heading_words", minimum=0)

    def clean(self, text: str) -> CleanResult:
        """Split ``text`` into kept and removed spans."""
        self.check()
        result = CleanResult()
        split = layout.split_lines(text)
        lines = [(a, b) for a, b, _ in split]
        cover = {i: c for i, (_, b, c) in enumerate(split) if c != b}
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
        shown = [i for i, (a, b) in enumerate(body) if text[a:b].strip()]
        placed = self._placed(text, body, shown)
        prose = [i for i, (a, b) in enumerate(body) if i not in placed and _is_body(text[a:b])]
        first, last = (prose[0], prose[-1]) if prose else (len(body), -1)
        lead_line = shown[0] if shown else -1
        end_line = shown[-1] if shown else -1
        for i, (start, end) in enumerate(body):
            raw = text[start:end]
            if not raw.strip():
                continue
            lead = len(raw) - len(raw.lstrip())
            trail = len(raw.rstrip())
            start, end = start + lead, start + trail
            reason = _line_reason(text[start:end], self.max_heading_words, outside_body=i < first or i > last,
                                  at_end=i == end_line) or placed.get(i)
            if reason is None and prose and i == lead_line < first and len(text[start:end].split()) <= 15:
                reason = "heading"  # the opening line above the body is the title, whatever its punctuation
            if reason in ("heading", "front_matter") and not self.remove_headings:
                reason = None
            span_end = cover.get(i, end)  # an escaped break closing the line stays in its span
            if reason:
                result.removed.append(RemovedSpan(start, span_end, reason))
                if reason == "heading" and i == lead_line and len(text[start:end].split()) >= 3:
                    result.title = Span(start, end)
                continue
            m = DATELINE_PREFIX.match(text, start, end)
            if m and m.end() < end:
                cut = m.end()
                pre_end = start + len(text[start:cut].rstrip())
                result.removed.append(RemovedSpan(start, pre_end, "dateline"))
                start = cut
            result.kept.append(Span(start, span_end))
        if tail_from is not None:
            first_char = lines[tail_from[0]][0]
            end_char = len(text.rstrip())
            start = first_char + (len(text[first_char:]) - len(text[first_char:].lstrip()))
            if end_char > start:
                result.removed.append(RemovedSpan(start, end_char, tail_from[1]))
        if not result.kept:
            self._never_empty(result)
            t = result.title
            if t is not None and not any(r.start == t.start and r.reason == "heading" for r in result.removed):
                result.title = None  # given back to the body: the title is the article's only text
        result.removed.sort(key=lambda r: r.start)
        return result


    def _placed(self, text: str, body: list[tuple[int, int]], shown: list[int]) -> dict[int, str]:
        """Reasons for the lines that their place in the page marks as boilerplate (see :mod:`layout`):
        the title that reads like a sentence, the front matter between the title and the story's
        dateline, lines that repeat the opening of another paragraph, the questions heading the
        sections of an explainer, and captions in the agency template."""
        lines = [text[body[i][0]:body[i][1]].strip() for i in shown]
        out: dict[int, str] = {}
        if not lines:
            return out
        title = layout.is_title(lines[0], lines[1:], _opens_with_dateline)
        if title:
            out[shown[0]] = "heading"
        if title or (len(lines[0].split()) <= 15 and _line_reason(lines[0], self.max_heading_words) == "heading"):
            out.update({shown[k]: "front_matter" for k in layout.front_matter(lines, 0, _opens_with_dateline)})
        for k in layout.repeats(lines, _opens_with_dateline, _strip_dateline):
            out.setdefault(shown[k], "repeated")
        for k in layout.section_questions(lines):
            out.setdefault(shown[k], "heading")
        if len(lines) > 1:
            out.update({shown[k]: "photo_caption" for k, s in enumerate(lines) if layout.dated_caption(s)})
        return out

    @staticmethod
    def _never_empty(result: CleanResult) -> None:
        """Give back the removed lines of an article that would otherwise keep nothing.

        A text made only of lines that look like boilerplate (a one-line headline, a truncated lead,
        a short wire item opening with a date) is the content itself, so the cleaner keeps it: the
        heading-like lines if there are any, else every line-level removal, else everything.
        """
        headings = [r for r in result.removed if r.reason == "heading"]
        soft = [r for r in result.removed if r.reason not in ("reader_comments", "teaser")]
        give_back = headings or soft or list(result.removed)
        log.info("the cleaner would leave nothing: keeping %d removed span(s) (%s) as text", len(give_back),
                 ", ".join(sorted({r.reason for r in give_back})))
        result.kept = sorted((Span(r.start, r.end) for r in give_back), key=lambda k: k.start)
        result.removed = [r for r in result.removed if r not in give_back]


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
