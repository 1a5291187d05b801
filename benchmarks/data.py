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


NEWSWCL50_CONLL = "newswcl50_conll/NewsWCL50-prep/output_data/NewsWCL50.conll"
NEWSWCL50_SLOTS = {"LL": "HuffPost", "L": "NYT", "M": "USA Today", "R": "Fox", "RR": "Breitbart"}


def _detok(tokens: list[str]) -> str:
    s = " ".join("\n\n" if t == "\\n" else t for t in tokens)
    s = re.sub(r" *\n\n *", "\n\n", s)
    s = re.sub(r" ([,.;:!?%)\]”’])", r"\1", s)
    s = re.sub(r"([(\[“‘$]) ", r"\1", s)
    return s.replace(" n't", "n't").replace(" 's", "'s")


def newswcl50_events() -> dict[int, list[dict[str, str]]]:
    """NewsWCL50's 10 events x 5 outlets, article text rebuilt from the CoNLL tokens.

    The same rebuild as ``../shared/tools/read_outputs.py``, so offsets in the gold files and in that
    tool's output point into the same text. Each article: ``article_id`` (e.g. ``0_LL``), ``outlet``, ``text``.
    """
    from collections import defaultdict

    docs: dict[str, dict[int, list[str]]] = defaultdict(lambda: defaultdict(list))
    for line in eval_path(NEWSWCL50_CONLL).read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        doc, sent, _, tok = line.split("\t")[:4]
        docs[doc][int(sent)].append(tok)
    events: dict[int, list[dict[str, str]]] = defaultdict(list)
    for doc, sents in docs.items():
        ev, slot = doc.split("/")[-1].split("_", 1)
        text = re.sub(r" *\n\n *", "\n\n", " ".join(_detok(sents[k]) for k in sorted(sents))).strip()
        events[int(ev)].append({"article_id": doc.replace("/-/", "_"), "outlet": NEWSWCL50_SLOTS.get(slot, slot),
                                "text": text})
    return {k: sorted(v, key=lambda a: a["article_id"]) for k, v in sorted(events.items())}
