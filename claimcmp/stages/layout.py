"""Page layout evidence for the cleaner: which lines are the title, the front matter above the story,
or a repeat of another paragraph.

Each rule here decides from where a line stands and how it relates to the article's other lines (its
position, its shape, a repetition inside the article), never from a keyword alone.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

#: A paragraph break written as an escape (``... it. \\n The ...``) in scraped text: a line break.
ESCAPED_BREAK = re.compile(r"(?<=\s)\\n(?=\s)")
_LINE = re.compile(r"[^\n]+")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
# A sentence end inside a line: a word of three lowercase letters or more, the stop, then a capital.
_INNER_END = re.compile(r"[a-z]{3,}[.!?][\"'”’)]*\s+[\"“'‘]?[A-Z]")
_WEEKDAY = re.compile(r"\b(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day\b")
#: A quotation closed and attributed ('..., " said one Democrat.'): a lead sentence, not a headline.
_QUOTE_SAID = re.compile(r"[,.!?][\"”’']\s+(?:[\w.’'-]+\s+){0,6}(?:said|says|told|added|wrote)\b")
_STOP = frozenset(
    "about after against also been before being between both from have into more over said says than that "
    "their them then there these they this those were what when where which while will with would your".split())
#: Longest first line, in words, that can be a title ending in a full stop.
TITLE_WORDS = 18
#: Most lines of front matter between the title and the dateline that opens the story.
FRONT_LINES = 2
#: Longest front-matter line, in words.
FRONT_WORDS = 50
#: Shortest shared opening, in words, for a line to count as a repeat of a longer paragraph.
REPEAT_WORDS = 10


def split_lines(text: str) -> list[tuple[int, int, int]]:
    """``(start, end, cover)`` of each line: text between newlines or escaped paragraph breaks.

    ``end`` stops before an escaped break that closes the line, ``cover`` after it: the rules read
    ``[start, end)``, the line's span takes ``[start, cover)`` so that the escape stays inside a span.
    A break with nothing before it on the line stays with the line that follows.
    """
    out = []
    for m in _LINE.finditer(text):
        start = m.start()
        for b in ESCAPED_BREAK.finditer(m.group()):
            cut = m.start() + b.start()
            if text[start:cut].strip():
                out.append((start, cut, m.start() + b.end()))
                start = m.start() + b.end()
        out.append((start, m.end(), m.end()))
    return out


def content_words(s: str) -> set[str]:
    """Stems (first five letters, lowercased) of the words of four letters or more, less the commonest
    function words: "missile" and "missiles", "Korea's" and "Korean" share one."""
    words = (re.sub(r"['’]s$", "", w).strip("'’-").lower() for w in _WORD.findall(s))
    return {w[:5] for w in words if len(w) >= 4 and w not in _STOP}


def one_sentence(s: str) -> bool:
    """No sentence ends inside the line."""
    return not _INNER_END.search(s)


def is_title(line: str, following: Sequence[str], opens_with_dateline: Callable[[str], bool]) -> bool:
    """Whether the article's first line is its title although it reads like a sentence.

    A title is a lone single-sentence line of at most :data:`TITLE_WORDS` words, with no dateline, no
    weekday (a lead says when; a headline does not) and no attributed quotation, above at least two
    more paragraphs that take up at least two thirds of its content words (the story tells what the
    headline says; a lead sentence shares far fewer with the paragraphs after it).
    """
    s = line.strip()
    if len(s.split()) > TITLE_WORDS or len(following) < 2 or not one_sentence(s):
        return False
    if opens_with_dateline(s) or _WEEKDAY.search(s) or _QUOTE_SAID.search(s):
        return False
    words = content_words(s)
    if len(words) < 3:
        return False
    rest = content_words(" ".join(following[:4]))
    return 3 * len(words & rest) >= 2 * len(words)


def front_matter(lines: Sequence[str], title: int, opens_with_dateline: Callable[[str], bool]) -> list[int]:
    """Lines between the title (index ``title``) and the dateline that opens the story.

    Above the dateline a page shows only what belongs to the headline: a sub-headline, a picture or
    video and its caption. At most :data:`FRONT_LINES` lines of at most :data:`FRONT_WORDS` words each;
    none when no dateline opens a paragraph right below them.
    """
    for j in range(title + 1, min(len(lines), title + FRONT_LINES + 2)):
        if opens_with_dateline(lines[j].strip()):
            between = list(range(title + 1, j))
            if all(len(lines[i].split()) <= FRONT_WORDS for i in between):
                return between
            return []
    return []


def _opening(s: str) -> tuple[str, ...]:
    return tuple(w.lower() for w in _WORD.findall(s))


def repeats(lines: Sequence[str], opens_with_dateline: Callable[[str], bool],
            strip: Callable[[str], str]) -> list[int]:
    """Lines that repeat the opening of another paragraph of the same article.

    A caption or a video description often restates a paragraph of the story word for word, up to where
    it stops or cuts to another sentence. Two lines count when their first :data:`REPEAT_WORDS` words or
    more are the same (after ``strip`` takes off a dateline) and make up at least half of the repeat.
    Of the two, the one that opens with a dateline is the story's and stays; else the longer one stays;
    two copies of one paragraph are both left alone.
    """
    words = [_opening(strip(s)) for s in lines]
    dated = [opens_with_dateline(s) for s in lines]
    out = []
    for i, wi in enumerate(words):
        if len(wi) < REPEAT_WORDS or dated[i]:
            continue
        for j, wj in enumerate(words):
            if j == i or wj == wi or (not dated[j] and len(wj) <= len(wi)):
                continue
            shared = 0
            while shared < min(len(wi), len(wj)) and wi[shared] == wj[shared]:
                shared += 1
            if shared >= REPEAT_WORDS and 2 * shared >= len(wi):
                out.append(i)
                break
    return out


def title_case_question(s: str) -> bool:
    """A short line in title case that ends in a question or exclamation mark (a video or section title)."""
    words = _WORD.findall(s)
    long = [w for w in words if len(w) >= 4]
    return (s.endswith(("?", "!")) and len(s.split()) <= 12 and len(long) >= 3
            and all(w[0].isupper() for w in long))


#: Fewest lone question lines that make an article a run of sections headed by questions.
SECTION_QUESTIONS = 3


def section_questions(lines: Sequence[str]) -> list[int]:
    """Lone question lines that head the sections of an explainer ("Has anyone been charged?").

    One short question on a line of its own can be the writer's own ("So what does this all mean?"); a
    page that repeats the shape, :data:`SECTION_QUESTIONS` times or more, each question of at most twelve
    words with no quotation marks and a paragraph below it, is laid out in sections headed by them.
    """
    found = [i for i in range(1, len(lines) - 1)
             if lines[i].endswith("?") and len(lines[i].split()) <= 12 and one_sentence(lines[i])
             and not re.search(r"[\"“”]", lines[i]) and not lines[i + 1].endswith("?")]
    return found if len(found) >= SECTION_QUESTIONS else []


_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
# The agency caption template: the picture's full date closes the caption's first sentence, after a comma
# or a weekday ("... from Tijuana, Mexico, Friday, April 27, 2018." / "... in Tijuana, on April 29, 2018.").
_PICTURE_DATE = re.compile(rf"(?:,\s*(?:on\s+)?|\b(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,\s+){_MONTH}\s+\d{{1,2}},"
                           r"\s+\d{4}\.(?=\s|$)")


def dated_caption(s: str) -> bool:
    """A photo or video caption in the agency template: a line of at most 60 words whose first sentence
    ends with the picture's full date after a comma or a weekday. Reporting gives a day, rarely the year
    of a date of the same week, and never closes its opening sentence on it in that form."""
    m = _PICTURE_DATE.search(s)
    return bool(m and len(s.split()) <= 60 and not _any_stop(s[:m.start()]))


_ABBREV = frozenset("mr mrs ms dr st sen rep gov gen lt col sgt jr sr inc co corp no vs u.s u.k u.n d.c".split())


def _any_stop(s: str) -> bool:
    """Whether a full stop, question or exclamation mark followed by a space ends a sentence in ``s``
    (after anything but an initial or a common abbreviation)."""
    for m in re.finditer(r"(\S*)[.!?][\"'”’)]*\s", s):
        word = m.group(1).lower().strip("\"'“‘(")
        if not (len(word) == 1 and word.isalpha()) and word not in _ABBREV:
            return True
    return False
