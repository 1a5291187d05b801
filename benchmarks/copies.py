"""Copy detection: synthetic edited copies of NewsWCL50 articles, and MSRP paraphrases that are not copies.

``python -m benchmarks.copies`` prints the section's markdown (``--quick`` for a smoke test).

1. Syndication, simulated: each NewsWCL50 article gets an edited copy under a new outlet name; every
   copied sentence has 0, 5, 10, 15 or 20% of its words edited (substituted, deleted or inserted), and
   half of them also have their clauses reordered and their punctuation and quotes changed.
   :meth:`claimcmp.copies.CopyDetector.find` runs over all cross-outlet pairs of the event (originals
   and copies together). A found pair is right when it links a sentence to its own edited copy;
   pairs between two originals (or between an original and another original's copy) are counted
   apart, as copying among the real outlets.
2. Independent paraphrases: MSRP positives (all splits) whose two sentences share under half their
   words (multiset word overlap 2·|a ∩ b| / (|a| + |b|) < 0.5 after normalisation) must never be copies.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import defaultdict
from typing import Any

import numpy as np

from benchmarks.common import Section, eval_path
from benchmarks.data import NEWSWCL50_CONLL, _detok, msrp
from claimcmp.copies import CopyDetector, copy_normalise, word_overlap

RATES = (0.0, 0.05, 0.10, 0.15, 0.20)
_CURLY = str.maketrans({'"': "“", "'": "’"})
_STRAIGHT = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"})


def newswcl50_sentences() -> dict[int, dict[str, list[str]]]:
    """event -> article id -> its sentences (CoNLL sentence boundaries, tokens rejoined)."""
    docs: dict[str, dict[int, list[str]]] = defaultdict(lambda: defaultdict(list))
    for line in eval_path(NEWSWCL50_CONLL).read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        doc, sent, _, tok = line.split("\t")[:4]
        if tok != "\\n":
            docs[doc][int(sent)].append(tok)
    events: dict[int, dict[str, list[str]]] = defaultdict(dict)
    for doc, sents in docs.items():
        ev = int(doc.split("/")[-1].split("_", 1)[0])
        events[ev][doc.split("/")[-1]] = [_detok(sents[k]).strip() for k in sorted(sents) if sents[k]]
    return dict(sorted(events.items()))


def edit(sentence: str, rate: float, rng: np.random.Generator, vocab: list[str], restyle: bool) -> str:
    """``sentence`` with ``rate`` of its words substituted, deleted or inserted; ``restyle`` also moves
    the first clause to the end and changes punctuation and quote marks."""
    toks = sentence.split()
    n_edit = round(rate * len(toks))
    for pos in sorted(rng.choice(len(toks), size=min(n_edit, len(toks)), replace=False).tolist(), reverse=True):
        op = rng.integers(3)
        if op == 0:
            toks[pos] = str(vocab[rng.integers(len(vocab))])
        elif op == 1 and len(toks) > 1:
            del toks[pos]
        else:
            toks.insert(pos, str(vocab[rng.integers(len(vocab))]))
    out = " ".join(toks)
    if restyle:
        clauses = [c for c in re.split(r",\s+", out) if c]
        if len(clauses) >= 2:
            out = ", ".join([*clauses[1:], clauses[0]])
        out = out.translate(_STRAIGHT if rng.random() < 0.5 else _CURLY).replace(" - ", " — ").replace(";", ",")
        out = out.rstrip(".") + (". " if rng.random() < 0.5 else "")
    return out


def synthetic(detector: CopyDetector, quick: bool, seed: int = 0) -> dict[str, Any]:
    rng = np.random.default_rng(seed)
    events = newswcl50_sentences()
    if quick:
        events = dict(list(events.items())[:2])
    tp = fn = fp = real = repeated = 0
    by_rate: dict[float, list[int]] = {r: [0, 0] for r in RATES}
    real_examples: list[tuple[str, str]] = []
    for docs in events.values():
        vocab = sorted({w for sents in docs.values() for s in sents for w in s.split() if w.isalpha()})
        texts: list[str] = []
        outlets: list[str] = []
        source: list[int] = []  # for a copy: row of its original; -1 for an original
        rate_of: list[float] = []
        for doc, sents in docs.items():
            for s in sents:
                texts.append(s)
                outlets.append(doc)
                source.append(-1)
                rate_of.append(0.0)
        n_orig = len(texts)
        for i in range(n_orig):
            r = float(RATES[rng.integers(len(RATES))])
            texts.append(edit(texts[i], r, rng, vocab, restyle=bool(rng.random() < 0.5)))
            outlets.append(outlets[i] + "-copy")
            source.append(i)
            rate_of.append(r)
        found = detector.find(texts, outlets)
        hits = set(zip(found["idx_a"].tolist(), found["idx_b"].tolist()))
        eligible = [j for j in range(n_orig, len(texts))
                    if len(copy_normalise(texts[source[j]]).split()) >= detector.min_words]
        for j in eligible:
            ok = (source[j], j) in hits
            tp += ok
            fn += not ok
            by_rate[rate_of[j]][0] += ok
            by_rate[rate_of[j]][1] += 1
        for a, b in hits:
            if b >= n_orig and source[b] == a:
                continue
            oa = a if a < n_orig else source[a]
            ob = b if b < n_orig else source[b]
            if oa != ob and detector.is_copy([texts[oa]], [texts[ob]])[0]:
                # the two originals are copies of each other: real copying between outlets, or a
                # sentence an article repeats (a tweet quoted twice)
                if outlets[oa] == outlets[ob]:
                    repeated += 1
                else:
                    real += 1
                    if a < n_orig and b < n_orig:
                        real_examples.append((texts[a], texts[b]))
            else:
                fp += 1
    return {"tp": tp, "fn": fn, "fp": fp, "real": real, "repeated": repeated, "by_rate": by_rate,
            "real_examples": real_examples, "precision": tp / max(tp + fp, 1), "recall": tp / max(tp + fn, 1)}


def paraphrases(detector: CopyDetector) -> dict[str, Any]:
    s1: list[str] = []
    s2: list[str] = []
    for split in ("train", "val", "test"):
        ps = msrp(split)
        for a, b, g in zip(ps.s1, ps.s2, ps.gold):
            if g == 1 and word_overlap(copy_normalise(a).split(), copy_normalise(b).split()) < 0.5:
                s1.append(a)
                s2.append(b)
    called = detector.is_copy(s1, s2)
    scores = detector.score(s1, s2)
    out: dict[str, Any] = {"n": len(s1), "false_copies": int(called.sum()),
                           "max_score": float(scores.max()) if len(s1) else 0.0}
    for label, name in ((1, "positives"), (0, "negatives")):
        a = [x for split in ("train", "val", "test") for x, g in zip(msrp(split).s1, msrp(split).gold) if g == label]
        b = [x for split in ("train", "val", "test") for x, g in zip(msrp(split).s2, msrp(split).gold) if g == label]
        out[name] = (len(a), int(detector.is_copy(a, b).sum()))
    return out


def run(quick: bool = False) -> Section:
    det = CopyDetector()
    sec = Section("copies", "Copy detection (synthetic syndication, MSRP paraphrases)")
    syn = synthetic(det, quick)
    para = paraphrases(det)
    sec.data = {"synthetic": {k: v for k, v in syn.items() if k != "real_examples"}, "msrp": para}
    sec.add(f"`CopyDetector()` defaults: {det.get_params()}. Reproduce: `python -m benchmarks.copies`.")
    sec.table(["set", "copies", "found", "missed", "false copies", "precision", "recall"],
              [["NewsWCL50 articles + edited copies (0-20% of words)", syn["tp"] + syn["fn"], syn["tp"], syn["fn"],
                syn["fp"], syn["precision"], syn["recall"]]],
              note=f"Besides these, {syn['real']} found pairs linked two real outlets' sentences that are copies of "
                   f"each other (a shared quote or wire sentence), and {syn['repeated']} linked a copy to a sentence "
                   "its original article repeats (a tweet quoted twice); both are right and counted neither way.")
    sec.table(["words edited", "copies", "recall"],
              [[f"{int(r * 100)}%", n, k / max(n, 1)] for r, (k, n) in syn["by_rate"].items()])
    sec.table(["set", "pairs", "called copies", "highest copy score"],
              [["MSRP positives sharing < 1/2 of their words (train+val+test)", para["n"], para["false_copies"],
                para["max_score"]],
               ["MSRP positives, all (train+val+test)", *para["positives"], None],
               ["MSRP negatives, all (train+val+test)", *para["negatives"], None]],
              note="The score is at most the word overlap, so no pair sharing under half its words can reach the "
                   "0.7 threshold: the first row holds by construction. The other rows show how many paraphrases "
                   "from news clusters are near-verbatim rewrites of each other.")
    sweep = [[t, *(lambda r: (r["precision"], r["recall"], r["by_rate"][0.2][0] / max(r["by_rate"][0.2][1], 1)))(
        synthetic(CopyDetector(threshold=t), quick))] for t in (0.6, 0.7, 0.8)]
    sec.data["sweep"] = sweep
    sec.table(["threshold", "precision", "recall", "recall at 20% edited"], sweep,
              note="The same synthetic set at other thresholds (0.7 is the default).")
    if syn["real_examples"]:
        sec.add("Real cross-outlet copies found in NewsWCL50 (first 5):\n\n" + "\n".join(
            f"- “{a[:120]}” / “{b[:120]}”" for a, b in syn["real_examples"][:5]))
    return sec


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true")
    s = run(quick=ap.parse_args().quick)
    sys.stdout.write("\n\n".join(s.markdown) + "\n")
