"""Scoring against the hand-labelled segmentation and boilerplate gold (benchmarks/gold/segmentation/).

Boundary F1 and fragments need a gold with sentences (``gold.jsonl``, ``heldout.jsonl``); boilerplate
removal precision and recall need only the boilerplate spans, so the boilerplate-only dev gold
(``boilerplate_dev.jsonl``, ``sentences`` null) is scored for removal alone, with the same span rule.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from benchmarks.common import REPO_ROOT

GOLD_DIR = REPO_ROOT / "benchmarks" / "gold" / "segmentation"
GOLD = GOLD_DIR / "gold.jsonl"
#: Labelled after the rules were frozen (see GUIDELINES.md), so its figures are not tuned to it.
HELDOUT = GOLD_DIR / "heldout.jsonl"
#: Whole NewsWCL50 texts with every boilerplate span labelled and no sentences: the cleaner's dev set.
BOILERPLATE_DEV = GOLD_DIR / "boilerplate_dev.jsonl"
GOLDS = {"dev": GOLD, "held-out": HELDOUT}
#: The issue-20 targets: boundary F1, fragments per 1,000 sentences (1 per 500), removal precision and recall.
TARGETS = {"boundary_f1": 0.98, "fragments_per_1000": 2.0, "removal_precision": 0.95, "removal_recall": 0.90}
GOLD_SYSTEMS = ("claimcmp", "pysbd alone", "spaCy sentencizer")


def gold_articles(path: Path = GOLD) -> list[dict[str, Any]]:
    """The records of one gold file, each with its article ``text`` read from the shared data (checked by sha1)."""
    import hashlib

    from benchmarks.data import neus_events, newswcl50_events

    texts: dict[tuple[str, str], str] = {}
    for event in neus_events("val"):
        texts.update({("neus-val", a["article_id"]): a["text"] for a in event})
    for arts in newswcl50_events().values():
        texts.update({("newswcl50", a["article_id"]): a["text"] for a in arts})
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        text = texts[(rec["source"], rec["article_id"])]
        if hashlib.sha1(text.encode("utf-8")).hexdigest() != rec["text_sha1"]:
            raise ValueError(f"gold article {rec['article_id']} no longer matches the shared text")
        out.append({**rec, "text": text})
    return out


def _system_spans(system: str, text: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """(sentence spans, removed spans) of one system on one text."""
    import claimcmp
    from claimcmp.stages.clean import NoCleaner

    if system == "claimcmp":
        cleaned = claimcmp.BoilerplateCleaner().clean(text)
        seg = claimcmp.SentenceSegmenter()
    else:
        cleaned = NoCleaner().clean(text)
        seg = claimcmp.SentenceSegmenter(backend="spacy" if system == "spaCy sentencizer" else "pysbd",
                                         min_chars=0, repair=False)
    return ([(s.start, s.end) for s in seg.segment(text, cleaned.kept)],
            [(r.start, r.end) for r in cleaned.removed])


def _nonspace(text: str, spans: list[tuple[int, int]]) -> set[int]:
    return {i for s, e in spans for i in range(s, e) if not text[i].isspace()}


class Removal:
    """Boilerplate removal precision and recall, accumulated over articles.

    A gold boilerplate span counts as found when half its non-space characters were removed; a removed
    span counts as correct when half of its non-space characters are gold boilerplate.
    """

    def __init__(self) -> None:
        self.found = self.n_gold = self.correct = self.n_removed = 0
        self.missed: list[str] = []
        self.wrong: list[str] = []

    def add(self, article: dict[str, Any], removed: list[tuple[int, int]]) -> None:
        """Score the spans the cleaner removed from one gold article."""
        text = article["text"]
        gold = [(s, e) for s, e, _, _ in article["boilerplate"]]
        bp = _nonspace(text, gold)
        rem = _nonspace(text, removed)
        self.n_gold += len(gold)
        hits = [len(_nonspace(text, [g]) & rem) * 2 >= len(_nonspace(text, [g])) for g in gold]
        self.found += sum(hits)
        self.missed += [f"{article['article_id']} ({b[2]}): {b[3][:90]}"
                        for b, hit in zip(article["boilerplate"], hits) if not hit]
        ok = [len(_nonspace(text, [r]) & bp) * 2 >= len(_nonspace(text, [r])) for r in removed]
        self.n_removed += len(removed)
        self.correct += sum(ok)
        self.wrong += [f"{article['article_id']}: {text[s:e][:90]}" for (s, e), good in zip(removed, ok) if not good]

    def scores(self) -> dict[str, Any]:
        """``boilerplate_gold``, ``removed``, ``removal_precision``, ``removal_recall`` and the spans missed
        (gold kept) and wrongly removed."""
        return {"boilerplate_gold": self.n_gold, "removed": self.n_removed,
                "removal_precision": self.correct / self.n_removed if self.n_removed else float("nan"),
                "removal_recall": self.found / self.n_gold if self.n_gold else float("nan"),
                "missed_boilerplate": self.missed, "wrongly_removed": self.wrong}


def score_removal(arts: list[dict[str, Any]]) -> dict[str, Any]:
    """Removal precision/recall of claimcmp's default cleaner on gold articles (sentences not needed)."""
    import claimcmp

    cleaner = claimcmp.BoilerplateCleaner()
    removal = Removal()
    for a in arts:
        removal.add(a, [(r.start, r.end) for r in cleaner.clean(a["text"]).removed])
    return {"system": "claimcmp", "articles": len(arts), **removal.scores()}


def score_gold(system: str, arts: list[dict[str, Any]]) -> dict[str, Any]:
    """Boundary F1, fragments and removal precision/recall of ``system`` on the gold articles.

    A boundary is a sentence end; ends inside gold boilerplate, and boilerplate glued to either
    side of a sentence, are ignored, so segmentation is scored apart from cleaning. A fragment is a
    predicted sentence in the body that does not start at a gold sentence start or does not end at
    a gold sentence end (it is a piece of a sentence, or straddles two). Removal is scored on spans
    (:class:`Removal`).
    """
    tp = fp = fn = inner_tp = inner_fp = inner_fn = frags = n_pred = 0
    removal = Removal()
    examples: list[str] = []
    for a in arts:
        text = a["text"]
        gold_s = [(s, e) for s, e, _ in a["sentences"]]
        bp = _nonspace(text, [(s, e) for s, e, _, _ in a["boilerplate"]])
        pred, removed = _system_spans(system, text)

        def trim(s: int, e: int, bp: set[int] = bp, text: str = text) -> tuple[int, int]:
            while s < e and (s in bp or text[s].isspace()):
                s += 1
            while e > s and (e - 1 in bp or text[e - 1].isspace()):
                e -= 1
            return s, e

        body = [trim(s, e) for s, e in pred]
        body = [(s, e) for s, e in body if e > s]
        n_pred += len(body)
        starts, ends = {s for s, _ in gold_s}, {e for _, e in gold_s}
        # the end of a paragraph (a line) is given by the layout; "inner" boundaries are the rest
        line_ends = {m for m in range(len(text) + 1) if m == len(text.rstrip()) or text[m:m + 1] == "\n"}
        line_ends = {len(text[:m].rstrip()) for m in line_ends}
        pe = {e for _, e in body}
        tp += len(pe & ends)
        fp += len(pe - ends)
        fn += len(ends - pe)
        inner_tp += len((pe & ends) - line_ends)
        inner_fp += len((pe - ends) - line_ends)
        inner_fn += len((ends - pe) - line_ends)
        for s, e in body:
            if s not in starts or e not in ends:
                frags += 1
                if len(examples) < 12:
                    examples.append(f"{a['article_id']}: {text[s:e][:90]}")
        removal.add(a, removed)

    def f1(t: int, p: int, n: int) -> float:
        return 2 * t / (2 * t + p + n) if t else 0.0

    return {"system": system, "sentences_gold": sum(len(a["sentences"]) for a in arts), "sentences_pred": n_pred,
            "boundary_f1": f1(tp, fp, fn), "boundary_p": tp / (tp + fp) if tp + fp else 0.0,
            "boundary_r": tp / (tp + fn) if tp + fn else 0.0, "inner_f1": f1(inner_tp, inner_fp, inner_fn),
            "inner_tp": inner_tp, "inner_fp": inner_fp, "inner_fn": inner_fn, "fragments": frags,
            "fragments_per_1000": 1000 * frags / n_pred if n_pred else 0.0, "fragment_examples": examples,
            **removal.scores()}


def meets_targets(x: dict[str, Any]) -> dict[str, bool]:
    """Which of :data:`TARGETS` one system's gold scores meet."""
    return {"boundary F1 >= 0.98": x["boundary_f1"] >= TARGETS["boundary_f1"],
            "fragments <= 1 per 500": x["fragments_per_1000"] <= TARGETS["fragments_per_1000"],
            "removal P >= 0.95 at R >= 0.90": x["removed"] > 0 and x["removal_precision"] >= TARGETS[
                "removal_precision"] and x["removal_recall"] >= TARGETS["removal_recall"]}


GOLD_HEADER = ["gold", "system", "sentences", "boundary F1", "P", "R", "inner F1 (tp/fp/fn)", "fragments",
               "per 1,000", "removed spans", "removal P", "removal R"]


def gold_rows(scores: dict[str, list[dict[str, Any]]]) -> list[list[Any]]:
    """Table rows: every system on every gold file."""
    return [[name, x["system"], x["sentences_pred"], f"{x['boundary_f1']:.3f}", f"{x['boundary_p']:.3f}",
             f"{x['boundary_r']:.3f}", f"{x['inner_f1']:.3f} ({x['inner_tp']}/{x['inner_fp']}/{x['inner_fn']})",
             x["fragments"], f"{x['fragments_per_1000']:.1f}", x["removed"],
             "-" if not x["removed"] else f"{x['removal_precision']:.3f}", f"{x['removal_recall']:.3f}"]
            for name, xs in scores.items() for x in xs]


REMOVAL_HEADER = ["gold", "system", "articles", "boilerplate spans", "removed spans", "removal P", "removal R"]


def removal_rows(scores: dict[str, dict[str, Any]]) -> list[list[Any]]:
    """Table rows: removal figures of claimcmp on each boilerplate-only gold file."""
    return [[name, x["system"], x["articles"], x["boilerplate_gold"], x["removed"],
             "-" if not x["removed"] else f"{x['removal_precision']:.3f}", f"{x['removal_recall']:.3f}"]
            for name, x in scores.items()]


def removal_met(x: dict[str, Any]) -> bool:
    """Whether removal scores meet the target: precision >= 0.95 at recall >= 0.90."""
    return bool(x["removed"] > 0 and x["removal_precision"] >= TARGETS["removal_precision"]
                and x["removal_recall"] >= TARGETS["removal_recall"])
