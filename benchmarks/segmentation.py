"""Segmentation and cleaning on the seeds; pysbd vs spaCy's rule-based sentencizer.

``python -m benchmarks.segmentation`` also rewrites docs/guide/segmentation.md: every sentence on
which the two backends differ, with the hand-checked verdict recorded in :data:`VERDICTS`.
"""

from __future__ import annotations

import sys
from collections import Counter
from dataclasses import dataclass
from typing import Any

from benchmarks.common import REPO_ROOT, Section, md_table

GUIDE = REPO_ROOT / "docs" / "guide" / "segmentation.md"
BACKENDS = ("pysbd", "spacy")

#: Hand-checked verdicts on the boundaries where the backends differ: (outlet, a piece of text that
#: identifies the differing stretch, which backend is right, why). A stretch can hold several.
VERDICTS: list[tuple[str, str, str, str]] = [
    ("RT", "“More than 80 countries supported those terrorists", "pysbd",
     "spaCy attaches the opening quotation mark of the next quote (“) to the end of the previous sentence; "
     "pysbd puts it where it belongs, at the start of the next sentence."),
    ("IANS", "He pointed out that countries, like Turkey", "pysbd",
     "spaCy attaches the opening quotation mark (\") of the next quote to the end of the previous sentence."),
    ("IANS", "It's about what will be done on ground", "spaCy",
     "The quotation holds two sentences (\"...may declare the same thing. It's about what will be done on "
     "ground,\" he said.); spaCy splits at the real boundary after \"thing.\", pysbd keeps the two-sentence "
     "quote as one unit."),
    ("SANA", "Security Council resolution no.", "pysbd",
     "spaCy splits inside \"Security Council resolution no. 2254\", treating the abbreviation \"no.\" as a "
     "sentence end; pysbd knows the abbreviation."),
]


@dataclass
class Diff:
    """One stretch of text where the backends' boundaries differ."""

    outlet: str
    pysbd: list[str]
    spacy: list[str]


def _segments(backend: str) -> dict[str, Any]:
    import claimcmp

    cleaner = claimcmp.BoilerplateCleaner()
    seg = claimcmp.SentenceSegmenter(backend=backend)
    out: dict[str, Any] = {}
    for a in claimcmp.load_seeds():
        r = cleaner.clean(a.text)
        out[a.article_id] = {"outlet": a.outlet, "text": a.text, "removed": r.removed,
                             "spans": [(s.start, s.end) for s in seg.segment(a.text, r.kept)]}
    return out


def diffs(per_backend: dict[str, dict[str, Any]]) -> list[Diff]:
    """Stretches where the two backends' sentence spans differ, grouped into overlapping runs."""
    out: list[Diff] = []
    for aid, pa in per_backend["pysbd"].items():
        text = pa["text"]
        p_only = sorted(set(pa["spans"]) - set(per_backend["spacy"][aid]["spans"]))
        s_only = sorted(set(per_backend["spacy"][aid]["spans"]) - set(pa["spans"]))
        items = sorted([(s, e, "p") for s, e in p_only] + [(s, e, "s") for s, e in s_only])
        groups: list[list[tuple[int, int, str]]] = []
        end = -1
        for it in items:
            if groups and it[0] < end:
                groups[-1].append(it)
                end = max(end, it[1])
            else:
                groups.append([it])
                end = it[1]
        for g in groups:
            out.append(Diff(pa["outlet"], [text[s:e] for s, e, w in g if w == "p"],
                            [text[s:e] for s, e, w in g if w == "s"]))
    return out


def verdicts(d: Diff) -> list[tuple[str, str]]:
    """The hand verdicts (right backend, why) that apply to a differing stretch."""
    found = [(right, why) for outlet, piece, right, why in VERDICTS
             if outlet == d.outlet and any(piece in x for x in d.pysbd + d.spacy)]
    return found or [("not judged", "new difference: check it by hand and add a verdict to "
                                    "benchmarks/segmentation.py")]


def run(quick: bool = False) -> Section:
    import time

    sec = Section("segmentation", "Segmentation and cleaning on the seeds")
    per: dict[str, dict[str, Any]] = {}
    times: dict[str, float] = {}
    for b in BACKENDS:
        t = time.perf_counter()
        per[b] = _segments(b)
        times[b] = time.perf_counter() - t
    rows = []
    reasons: Counter[tuple[str, str]] = Counter()
    all_reasons: set[str] = set()
    for aid, a in per["pysbd"].items():
        removed_chars = sum(r.end - r.start for r in a["removed"])
        rows.append([a["outlet"], aid, len(a["text"]), len(a["removed"]), removed_chars,
                     len(a["spans"]), len(per["spacy"][aid]["spans"])])
        for r in a["removed"]:
            reasons[(a["outlet"], r.reason)] += 1
            all_reasons.add(r.reason)
    tot = ["**total**", "", sum(r[2] for r in rows), sum(r[3] for r in rows), sum(r[4] for r in rows),
           sum(r[5] for r in rows), sum(r[6] for r in rows)]
    sec.add("Sentence counts after cleaning (default `BoilerplateCleaner`, `min_chars=12`):")
    sec.table(["outlet", "article", "chars", "removed spans", "removed chars", "sentences (pysbd, default)",
               "sentences (spaCy)"], [*rows, tot])
    outlets = [r[0] for r in rows]
    reason_list = sorted(all_reasons)
    sec.add("Removed spans by reason:")
    sec.table(["reason", *outlets, "total"],
              [[r, *[reasons[(o, r)] for o in outlets], sum(reasons[(o, r)] for o in outlets)] for r in reason_list])
    ds = diffs(per)
    judged = [(d, verdicts(d)) for d in ds]
    wins = Counter(v for _, vs in judged for v, _ in vs)
    sec.add(f"pysbd vs spaCy sentencizer: {len(ds)} stretches differ, holding {sum(wins.values())} differing "
            "boundaries; hand-checked: " + ", ".join(f"{k} right at {v}" for k, v in sorted(wins.items()))
            + f". Segmentation time for all five seeds (cleaning included, first call loads the backend): "
            f"pysbd {times['pysbd']:.2f} s, spaCy {times['spacy']:.2f} s. Details: docs/guide/segmentation.md.")
    sec.data = {"counts": rows, "reasons": {f"{o}/{r}": n for (o, r), n in reasons.items()},
                "diffs": [{"outlet": d.outlet, "pysbd": d.pysbd, "spacy": d.spacy,
                           "verdicts": [list(v) for v in vs]} for d, vs in judged], "wins": dict(wins), "times": times}
    return sec


def render_guide(sec: Section) -> str:
    d = sec.data
    lines = [
        "# Sentence segmentation: why pysbd is the default",
        "",
        "claimcmp's `SentenceSegmenter` splits the cleaner's kept spans into sentences with either",
        "[pysbd](https://github.com/nipunsadvilkar/pySBD) (`backend='pysbd'`, the default) or spaCy's",
        "rule-based `sentencizer` (`backend='spacy'`). Both are rule-based and run offline; claimcmp",
        "maps their output back to character offsets of the original article and merges fragments",
        "shorter than `min_chars=12` into the previous sentence.",
        "",
        "Regenerate this page with `python -m benchmarks.segmentation` (the verdicts are kept in",
        "`benchmarks/segmentation.py`; a new difference shows up as *not judged*).",
        "",
        "## Sentence counts on the seeds",
        "",
        md_table(["outlet", "article", "chars", "removed spans", "removed chars", "sentences (pysbd)",
                  "sentences (spaCy)"], d["counts"]),
        "",
        "## Every boundary where the two differ, hand-checked",
        "",
    ]
    for i, x in enumerate(d["diffs"], 1):
        lines.append(f"### {i}. {x['outlet']} — right: " + ", ".join(f"**{r}**" for r, _ in x["verdicts"]))
        lines.append("")
        lines.append("pysbd:")
        lines += [f"- `{s}`" for s in x["pysbd"]] or ["- (no sentence)"]
        lines.append("")
        lines.append("spaCy:")
        lines += [f"- `{s}`" for s in x["spacy"]] or ["- (no sentence)"]
        lines.append("")
        lines += [f"- {r} is right: {w}" for r, w in x["verdicts"]]
        lines.append("")
    wins = d["wins"]
    lines += [
        "## Verdict",
        "",
        f"Of {sum(wins.values())} differing boundaries (in {len(d['diffs'])} stretches), pysbd is right at "
        f"{wins.get('pysbd', 0)} and spaCy at {wins.get('spaCy', 0)}"
        + (f" ({wins['not judged']} not judged yet)" if wins.get("not judged") else "") + ".",
        "spaCy's sentencizer ends a sentence at every sentence-final punctuation token, with no knowledge of",
        "abbreviations beyond the tokenizer's exceptions, so it breaks “resolution no. 2254”; and it leaves",
        "the opening quotation mark of a quoted sentence",
        "at the end of the previous sentence, which puts a stray `“` into that sentence's text (and its",
        "embedding). pysbd handles both; its one miss on the seeds is a two-sentence quotation kept",
        "as one sentence, which costs granularity but not correctness of the text. On these",
        "articles pysbd is the better default, so it stays the default; spaCy remains available",
        "(`SentenceSegmenter(backend='spacy')`).",
        "",
        f"Time to clean and segment all five seeds (first call, backend loading included): pysbd "
        f"{d['times']['pysbd']:.2f} s, spaCy {d['times']['spacy']:.2f} s.",
        "",
    ]
    return "\n".join(lines)


def main() -> int:
    sec = run()
    GUIDE.parent.mkdir(parents=True, exist_ok=True)
    GUIDE.write_text(render_guide(sec), encoding="utf-8")
    print(f"wrote {GUIDE.relative_to(REPO_ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
