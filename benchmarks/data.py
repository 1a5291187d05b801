"""Readers for the shared evaluation sets the benchmarks use (never copied into the project)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

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


ECBPLUS = "xdoc/ecbplus/ECB+"
ECBPLUS_SENTENCES = "xdoc/ecbplus/ECB+_LREC2014/ECBplus_coreference_sentences.csv"
CLAIMDIFF = {"train": "xdoc/claimdiff/ClaimDiff-{k}/ClaimDiff-{w}-train.json",
             "test": "xdoc/claimdiff/ClaimDiff-{k}/ClaimDiff-{w}-test.json"}


def _ecb_doc(path: Any) -> tuple[dict[int, str], dict[int, set[str]]]:
    """One ECB+ document: sentence number -> text, and sentence number -> cross-document ACTION instances."""
    import xml.etree.ElementTree as ET
    from collections import defaultdict

    root = ET.parse(path).getroot()
    tok_sent: dict[str, int] = {}
    toks: dict[int, list[str]] = defaultdict(list)
    for t in root.iter("token"):
        s = int(t.get("sentence", "0"))
        tok_sent[t.get("t_id", "")] = s
        toks[s].append(t.text or "")
    m_sent: dict[str, int] = {}
    for m in root.find("Markables") or []:
        if m.tag.startswith("ACTION"):
            anchors = [a.get("t_id", "") for a in m.iter("token_anchor")]
            if anchors and anchors[0] in tok_sent:
                m_sent[m.get("m_id", "")] = tok_sent[anchors[0]]
    inst: dict[int, set[str]] = defaultdict(set)
    for r in root.iter("CROSS_DOC_COREF"):
        note = r.get("note", "")
        if not note.startswith("ACT"):
            continue
        for src in r.iter("source"):
            s = m_sent.get(src.get("m_id", ""))
            if s is not None:
                inst[s].add(note)
    texts = {s: _detok(ws).replace("``", '"').replace("''", '"') for s, ws in toks.items()}
    return texts, dict(inst)


def ecbplus_pairs(topics: Sequence[int], per_topic: int = 40, seed: int = 0) -> PairSet:
    """Cross-document sentence pairs from ECB+ topics: gold 1 when both sentences mention one coreferent
    action (the same event), 0 for pairs from the topic's other sub-topic or with no shared action.

    Only the gold-annotated sentences (ECBplus_coreference_sentences.csv) are used; per topic at most
    ``per_topic`` positives and as many negatives (half from the other sub-topic), drawn with ``seed``.
    """
    import csv
    from collections import defaultdict

    rng = np.random.default_rng(seed)
    annotated: dict[tuple[int, str], set[int]] = defaultdict(set)
    with eval_path(ECBPLUS_SENTENCES).open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            annotated[(int(row["Topic"]), row["File"])].add(int(row["Sentence Number"]))
    s1: list[str] = []
    s2: list[str] = []
    gold: list[int] = []
    for topic in topics:
        sents = []  # (doc, subtopic, text, instances)
        for (t, doc), nums in sorted(annotated.items()):
            if t != topic:
                continue
            texts, inst = _ecb_doc(eval_path(f"{ECBPLUS}/{t}/{t}_{doc}.xml"))
            for n in sorted(nums):
                if n in texts and len(texts[n]) > 25:
                    sents.append((doc, "plus" in doc, texts[n], inst.get(n, set())))
        pos, neg_cross, neg_same = [], [], []
        for i in range(len(sents)):
            for j in range(i + 1, len(sents)):
                a, b = sents[i], sents[j]
                if a[0] == b[0]:
                    continue
                if a[3] & b[3]:
                    pos.append((i, j))
                elif a[1] != b[1]:
                    neg_cross.append((i, j))
                elif a[3] and b[3]:
                    neg_same.append((i, j))
        k = min(per_topic, len(pos))
        chosen = [(p, 1) for p in _sample(pos, k, rng)]
        chosen += [(p, 0) for p in _sample(neg_cross, (k + 1) // 2, rng)]
        chosen += [(p, 0) for p in _sample(neg_same, k // 2, rng)]
        for (i, j), g in chosen:
            s1.append(sents[i][2])
            s2.append(sents[j][2])
            gold.append(g)
    return PairSet(f"ecbplus_{min(topics)}-{max(topics)}", s1, s2, np.array(gold, dtype=np.int64))


def _sample(items: list[Any], k: int, rng: np.random.Generator) -> list[Any]:
    if k <= 0 or not items:
        return []
    idx = rng.choice(len(items), size=min(k, len(items)), replace=False)
    return [items[i] for i in sorted(idx)]


def claimdiff(split: str) -> tuple[PairSet, list[str]]:
    """ClaimDiff pairs (claim_a, claim_b) and their joint label: strengthen, weaken or neither."""
    import json

    def load(k: str, w: str) -> dict[str, dict[str, Any]]:
        data = json.loads(eval_path(CLAIMDIFF[split].format(k=k, w=w)).read_text(encoding="utf-8"))["data"]
        return {str(r["pair_id"]): r for r in data}

    s, w = load("S", "strength"), load("W", "weak")
    ids = sorted(s)
    labels = ["strengthen" if int(s[i]["relation"]) == 1 else "weaken" if int(w[i]["relation"]) == 1
              else "neither" for i in ids]
    return (PairSet(f"claimdiff_{split}", [s[i]["claim_a"] for i in ids], [s[i]["claim_b"] for i in ids],
                    np.array([lab == "strengthen" for lab in labels], dtype=np.int64)), labels)


NEUS_CRAWL = "allsides_neus/data/raw_crawled/headline_11_2021-10-19_crawled_all.jsonl"


def neus_topic_articles(topic: str | None = None) -> list[dict[str, str]]:
    """Articles of the NeuS crawl (AllSides stories of 2021 with their left/center/right leads), in file order.

    ``topic``: only the stories of this AllSides topic (e.g. ``"Coronavirus"``). Each article:
    ``article_id`` (``crawl<story id>_<slot>``), ``outlet`` (the outlet's name, ``newsSource``),
    ``title``, ``text`` (the lead paragraphs joined by blank lines), ``topic``. Empty leads are skipped.
    """
    import json

    out: list[dict[str, str]] = []
    for line in eval_path(NEUS_CRAWL).read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        story = json.loads(line)
        if topic is not None and story.get("topic") != topic:
            continue
        for slot in NEUS_OUTLETS:
            art = (story.get("news") or {}).get(slot)
            if not isinstance(art, dict):
                continue
            body = art.get("newBody") or []
            text = "\n\n".join(p.strip() for p in body if isinstance(p, str) and p.strip()) if isinstance(body, list) \
                else str(body).strip()
            if len(text) < 40 or not art.get("newsSource"):
                continue
            out.append({"article_id": f"crawl{story['id']}_{slot}", "outlet": str(art["newsSource"]),
                        "title": str(art.get("newsTitle") or ""), "text": text, "topic": str(story.get("topic"))})
    return out
