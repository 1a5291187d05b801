"""Helpers shared by the report tests: a comparison of hostile articles and an HTML full-text parser."""

from __future__ import annotations

from functools import cache
from html.parser import HTMLParser

import claimcmp

#: Set as document.title by the injected script, if it ever ran.
PWNED = "PWNED-by-article-text"

HOSTILE_ARTICLES = [
    {
        "article_id": "evil-1",
        "outlet": "<i>Evil</i> News",
        "title": 'Truce "agreed" <img src=x onerror="document.title=\'' + PWNED + '\'">',
        "url": "javascript:alert(1)",
        "date": "2016-02-21",
        "text": (
            "The ceasefire in Syria will begin on Saturday at midnight, officials said.\n"
            f"<script>document.title='{PWNED}'; alert(1)</script> Readers saw <b>markup</b> in the feed.\n"
            "The ceasefire in Syria will begin on Saturday at midnight, officials said.\n"
            "Aid convoys reached three besieged towns near Damascus on Friday."
        ),
    },
    {
        "article_id": "plain-2",
        "outlet": "Plain Wire",
        "title": "Syria truce to start Saturday",
        "url": "https://example.org/truce?a=1&b=2",
        "text": (
            "Officials said the Syrian ceasefire begins at midnight on Saturday.\n"
            "Aid convoys arrived in three besieged towns near Damascus on Friday.\n"
            "The opposition said it had not been consulted & would not comply."
        ),
    },
]


@cache
def hostile_comparison() -> claimcmp.Comparison:
    """Two articles with markup, a script tag and a repeated sentence, compared with the real models."""
    return claimcmp.compare(HOSTILE_ARTICLES, show_progress=False)


class FullTextParser(HTMLParser):
    """Collects each ``div.fulltext``: its text, and the offsets of sentence and removed spans in it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: dict[str, str] = {}
        self.sentences: dict[str, tuple[str, int, int]] = {}  # sentence_id -> (article_id, start, end)
        self.removed: list[tuple[str, int, int, str]] = []  # (article_id, start, end, title)
        self.ids: list[str] = []
        self.hrefs: list[str] = []
        self._article: str | None = None
        self._depth = 0
        self._buf: list[str] = []
        self._open: tuple[str, str, int, str] | None = None

    def _pos(self) -> int:
        return sum(len(b) for b in self._buf)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if "id" in a:
            self.ids.append(a["id"])
        if tag == "a" and "href" in a:
            self.hrefs.append(a["href"])
        if self._article is None:
            if tag == "div" and "fulltext" in a.get("class", "").split():
                self._article, self._depth, self._buf = a["data-article-id"], 1, []
            return
        if tag == "div":
            self._depth += 1
        if tag == "a" and "data-sentence-id" in a:
            self._open = ("s", a["data-sentence-id"], self._pos(), "")
        elif tag == "del":
            self._open = ("r", "", self._pos(), a.get("title", ""))

    def handle_endtag(self, tag: str) -> None:
        if self._article is None:
            return
        if tag in ("a", "del") and self._open is not None:
            kind, sid, start, title = self._open
            if kind == "s":
                self.sentences[sid] = (self._article, start, self._pos())
            else:
                self.removed.append((self._article, start, self._pos(), title))
            self._open = None
        elif tag == "div":
            self._depth -= 1
            if self._depth == 0:
                self.texts[self._article] = "".join(self._buf)
                self._article = None

    def handle_data(self, data: str) -> None:
        if self._article is not None:
            self._buf.append(data)


def parse_report(html_text: str) -> FullTextParser:
    """Parse a report and return the collected full texts, spans, ids and links."""
    parser = FullTextParser()
    parser.feed(html_text)
    parser.close()
    return parser
