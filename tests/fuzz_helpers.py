"""Shared pieces of the fuzz suite: example budgets per profile, hostile strategies, and the outcome tally.

The profile comes from ``CLAIMCMP_FUZZ`` ("quick" by default, "long" on demand; registered in
tests/conftest.py). Each property takes its example count from :data:`BUDGETS`, so the long profile
runs at least 10,000 examples in all; the end-to-end properties (real models, the CLI) get fewer.
"""

from __future__ import annotations

import json
import logging
import os
import re
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import pandas as pd
from hypothesis import strategies as st

import claimcmp
from claimcmp.errors import ClaimcmpError

log = logging.getLogger("claimcmp.fuzz")

PROFILE = os.environ.get("CLAIMCMP_FUZZ", "quick")
if PROFILE not in ("quick", "long"):
    raise ValueError(f"CLAIMCMP_FUZZ must be 'quick' or 'long', got {PROFILE!r}")

#: Examples per property: (quick, long). The long column sums to >= 10,000.
BUDGETS: dict[str, tuple[int, int]] = {
    "articles": (120, 2500),
    "containers": (50, 1000),
    "compare_parameters": (50, 1500),
    "stage_parameters": (50, 1500),
    "clean_segment": (100, 2500),
    "load_folder": (25, 800),
    "sanitize": (100, 1000),
    "compare_e2e": (5, 600),
    "cli": (3, 200),
}


def budget(name: str) -> int:
    """The example count of property ``name`` under the current profile."""
    quick, long = BUDGETS[name]
    return long if PROFILE == "long" else quick


# --- the tally ---------------------------------------------------------------------------------

#: property -> outcome -> count. Outcomes: "ok", "typed" (a ClaimcmpError), "untyped" (anything else).
TALLY: defaultdict[str, Counter[str]] = defaultdict(Counter)
T = TypeVar("T")


def typed_or_success(name: str, call: Callable[[], T]) -> T | ClaimcmpError:
    """``call()``'s result, or the :class:`ClaimcmpError` it raised; any other exception is tallied and re-raised."""
    try:
        out = call()
    except ClaimcmpError as exc:
        TALLY[name]["typed"] += 1
        return exc
    except Exception:
        TALLY[name]["untyped"] += 1
        raise
    TALLY[name]["ok"] += 1
    return out


def tally(name: str, outcome: str) -> None:
    """Count one example of property ``name`` with ``outcome``."""
    TALLY[name][outcome] += 1


def report_tally() -> dict[str, dict[str, int]]:
    """The tally so far, logged; also merged into the JSON file named by ``CLAIMCMP_FUZZ_TALLY`` if set."""
    data = {k: dict(v) for k, v in sorted(TALLY.items())}
    log.info("fuzz tally (%s profile): %s", PROFILE, data)
    path = os.environ.get("CLAIMCMP_FUZZ_TALLY")
    if path:
        p = Path(path)
        merged = json.loads(p.read_text(encoding="utf-8")) if p.is_file() else {}
        merged.update(data)
        p.write_text(json.dumps(merged, indent=2, sort_keys=True), encoding="utf-8")
    return data


# --- hostile text --------------------------------------------------------------------------------

#: Characters and snippets that broke or could break text handling: NUL, lone surrogates, terminal
#: escapes, C1 controls, line and paragraph separators, bidi overrides, zero-width marks, BOM,
#: combining marks, emoji sequences, math-like and HTML-like text, full-width punctuation.
HOSTILE = ("\x00", "\ud800", "\udfff", "\udc80", "\x1b", "\x1b[31m", "\x1b[2J", "\x1b]0;owned\x07", "\x9b2J", "\x85",
           "\u2028", "\u2029", "\r", "\r\n", "\n", "\n\n", "\t", "\x0b", "\x0c", "\x7f", "\ufeff", "\u200b",
           "\u200f", "\u202e", "\u2066", "\u0301", "\u00a0", "\u3000", "\U0001f469\u200d\U0001f469\u200d\U0001f467",
           "\U0001f1f8\U0001f1fe", "\U0010ffff", "\ue000", "$\\frac{1}{2}$", "<script>alert(1)</script>", "&amp;",
           "\u3002", "\uff0e", "...", "?!", "\u201c", "\u201d", "'", '"', "Dr.", "U.S.", "Sen.", " ", "-", "\u2014",
           "\u0627\u0644\u0633\u0644\u0627\u0645", "\u05e9\u05dc\u05d5\u05dd", "\u65e5\u672c\u8a9e\u3002")
#: Lines shaped like the boilerplate the cleaner removes.
BOILERPLATE = ("Read more: Syria truce holds", "Comments", "Related articles", "Photo: Reuters",
               "Reporting by John Smith; Editing by Mary Jones", "Subscribe to our newsletter for daily news",
               "Feb 27, 2016", "DAMASCUS (Reuters) - ", "By Jane Doe, Reuters", "Please donate to support journalism",
               "Leave a comment", "You may also like")


def _seed_sentences() -> list[str]:
    out = []
    for a in claimcmp.load_seeds():
        for piece in re.split(r"(?<=[.!?])\s+|\n+", a.text):
            if 20 <= len(piece.strip()) <= 300:
                out.append(piece.strip())
    return sorted(set(out))


#: Real sentences of the bundled seed articles.
SEED_SENTENCES = _seed_sentences()

fragments = st.one_of(
    st.sampled_from(SEED_SENTENCES),
    st.sampled_from(HOSTILE),
    st.sampled_from(BOILERPLATE),
    st.text(max_size=30),
    st.text(alphabet=st.characters(categories=["Cc", "Cf", "Cs", "Zs", "Zl", "Zp", "Mn", "Co"]), max_size=8),
    st.integers(200, 5000).map(lambda n: "w" * n),  # one very long word
    st.sampled_from((" ", "\n", "\t", "\u3000", "\u2029")).map(lambda s: s * 40),  # whitespace runs
)
#: Arbitrary article-like text: real sentences, boilerplate lines and hostile characters mixed.
hostile_text = st.lists(fragments, max_size=20).map("".join)

#: Outlet names: real ones, math-like, ANSI-coloured, empty, whitespace-only, slug-alike, RTL, very long.
outlets = st.one_of(
    st.sampled_from(("Reuters", "RT", "SANA", "Press TV", "IANS", "$\\frac$", "$x^2$", "\x1b[31mRT\x1b[0m", "",
                     "   ", "A.B", "A-B", "\u00c4", "!!!", "\ud800", "x" * 300, "\u202eSANA",
                     "\u65e5\u672c\u7d4c\u6e08", "\U0001f44d", "<b>Bold</b>", "a\x00b")),
    st.text(max_size=20),
)


class _Opaque:
    """An object of no expected type."""

    def __repr__(self) -> str:
        return "<opaque>"


#: Values of the wrong type for any field or parameter.
wrong_types = st.one_of(
    st.none(), st.integers(-10**20, 10**20), st.floats(allow_nan=True, allow_infinity=True), st.booleans(),
    st.binary(max_size=12), st.lists(st.integers(), max_size=3), st.dictionaries(st.text(max_size=3), st.integers(),
                                                                                  max_size=2),
    st.sampled_from((pd.NA, pd.NaT, pd.Timestamp("2016-02-27"), np.nan, np.int64(3), np.float32(0.5), np.bool_(True),
                     np.array([1, 2]), _Opaque(), claimcmp.Article, str, 1j, frozenset({1}), b"text")),
)

field_values = st.one_of(hostile_text, outlets, wrong_types)


def article_rows(max_articles: int = 4) -> st.SearchStrategy[list[dict[str, Any]]]:
    """Lists of article dicts, fields missing, of hostile text, or of the wrong type."""
    row = st.fixed_dictionaries(
        {},
        optional={"article_id": st.one_of(st.sampled_from(("a", "a", "b", "", " ")), field_values),
                  "outlet": st.one_of(outlets, outlets, wrong_types),
                  "text": st.one_of(hostile_text, hostile_text, hostile_text, wrong_types),
                  "title": field_values, "date": field_values, "url": field_values,
                  "extra": field_values})
    return st.lists(row, max_size=max_articles)


def mutate_sentences(draw: Any, n_min: int = 1, n_max: int = 4) -> str:
    """An article text made of real seed sentences, shuffled, duplicated, with hostile characters injected."""
    sents = draw(st.lists(st.sampled_from(SEED_SENTENCES), min_size=n_min, max_size=n_max))
    if sents and draw(st.booleans()):
        sents.append(draw(st.sampled_from(sents)))  # a duplicate sentence
    out = []
    for s in sents:
        if draw(st.integers(0, 3)) == 0:
            at = draw(st.integers(0, len(s)))
            s = s[:at] + draw(st.sampled_from(HOSTILE)) + s[at:]
        out.append(s)
    sep = draw(st.sampled_from((" ", "\n", "\n\n", "\r\n", " \u2029 ")))
    return sep.join(out)


def inventory(root: Path, skip: Path | None = None) -> set[str]:
    """Every path under ``root`` (relative, as strings), leaving out ``skip`` and what lies under it."""
    out = set()
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            p = Path(dirpath) / name
            if skip is not None and (p == skip or skip in p.parents):
                continue
            out.add(str(p.relative_to(root)))
    return out


#: C0 controls except tab and newline, DEL, C1 controls, ESC: what must never reach a terminal.
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
