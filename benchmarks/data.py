"""Readers for the shared evaluation sets the benchmarks use (never copied into the project)."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from benchmarks.common import eval_path

MSRP = {"train": "msrp/data/para/msr/msr-para-train.tsv", "val": "msrp/data/para/msr/msr-para-val.tsv",
        "test": "msrp/data/para/msr/msr-para-test.tsv"}
STSB = {"train": "stsb/data/stsbenchmark/sts-train.csv", "dev": "stsb/data/stsbenchmark/sts-dev.csv",
        "test": "stsb/data/stsbenchmark/sts-test.csv"}
HEADLINES = {y: f"sts_news_headlines/data/sts/semeval-sts/{y}/headlines.test.tsv" for y in (2013, 2014, 2015, 2016)}
NEUS = "allsides_neus/data/naacl2022_lrc_roundup_random_order_probe/{split}.source"
NEUS_OUTLETS = ("left", "center", "right")


@dataclass
class PairSet:
    """Sentence pairs with a gold score (STS, 0-5) or label (paraphrase, 0/1)."""

    name: str
    s1: list[str]
    s2: list[str]
    gold: np.ndarray

    def __len__(self) -> int:
        return len(self.s1)


def _lines(rel: str) -> list[list[str]]:
    text = eval_path(rel).read_text(encoding="utf-8-sig")
    return [line.split("\t") for line in text.split("\n") if line.strip()]


def msrp(split: str) -> PairSet:
    """MSRP (brmson layout: train and test swapped as in recent papers); gold 1 = paraphrase."""
    rows = _lines(MSRP[split])
    if rows and rows[0][0].strip() == "Quality":
        rows = rows[1:]
    return PairSet(f"msrp_{split}", [r[3] for r in rows], [r[4] for r in rows],
                   np.array([int(r[0]) for r in rows], dtype=np.int64))


def stsb(split: str, genre: str | None = None) -> PairSet:
    """STS Benchmark (genre, file, year, id, score, s1, s2; some rows carry extra trailing fields)."""
    rows = [r for r in _lines(STSB[split]) if len(r) >= 7 and (genre is None or r[0] == genre)]
    name = f"stsb_{split}" + (f"_{genre.removeprefix('main-')}" if genre else "")
    return PairSet(name, [r[5] for r in rows], [r[6] for r in rows],
                   np.array([float(r[4]) for r in rows], dtype=np.float64))


def headlines(years: tuple[int, ...] = (2013, 2014, 2015)) -> PairSet:
    """SemEval STS headlines (score, s1, s2); unscored rows (empty score) are dropped."""
    s1: list[str] = []
    s2: list[str] = []
    gold: list[float] = []
    for y in years:
        for r in _lines(HEADLINES[y]):
            if len(r) >= 3 and r[0].strip():
                gold.append(float(r[0]))
                s1.append(r[1])
                s2.append(r[2])
    return PairSet("headlines_" + "_".join(str(y) for y in years), s1, s2, np.array(gold, dtype=np.float64))


_NEUS_PART = re.compile(r"^\s*TITLE=>\s*(?P<title>.*?)\s*ARTICLE=>\s*(?P<body>.*)$", re.S)


def neus_events(split: str = "test", n: int | None = None) -> list[list[dict[str, str]]]:
    """NeuS events: each line of ``<split>.source`` is the left/center/right articles joined by [SEP].

    Each event is a list of three article records (``article_id``, ``outlet``, ``title``, ``text``);
    the outlet is the slot name (left / center / right). Events where a slot is empty are skipped.
    """
    events: list[list[dict[str, str]]] = []
    text = eval_path(NEUS.format(split=split)).read_text(encoding="utf-8")
    for i, line in enumerate(text.split("\n")):
        if not line.strip():
            continue
        parts = line.split("[SEP]")
        if len(parts) != 3:
            continue
        arts = []
        for slot, part in zip(NEUS_OUTLETS, parts):
            m = _NEUS_PART.match(part)
            title, body = (m.group("title"), m.group("body").strip()) if m else ("", part.strip())
            if len(body) < 40:
                break
            arts.append({"article_id": f"neus{i:04d}_{slot}", "outlet": slot, "title": title, "text": body})
        if len(arts) == 3:
            events.append(arts)
        if n is not None and len(events) >= n:
            break
    return events
