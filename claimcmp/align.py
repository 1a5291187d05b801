"""Claim alignment and stance, the middle of the pipeline: retrieve, judge, verify, cluster, decide.

:func:`align` takes the sentences and their embeddings and returns the claim label of every
sentence and the ``pairs`` table (every judged cross-outlet pair with its NLI probabilities, its
P(same claim), its stance and the evidence behind it).
"""

from __future__ import annotations

import logging
from typing import Any

import numpy as np
import pandas as pd

from claimcmp.errors import ParameterError
from claimcmp.schema import conform
from claimcmp.stages.nli import NLI_LABELS

log = logging.getLogger("claimcmp")

#: Cross-outlet pairs inside one claim that are judged after clustering when retrieval did not
#: already pair them; beyond this many per claim only the retrieved pairs are kept (memory O(n·k)).
MAX_COMPLETION_PAIRS = 200


def _nli_both_ways(nli: Any, texts: np.ndarray, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    n = len(a)
    if n == 0:
        z = np.zeros((0, 3), dtype=np.float32)
        return z, z
    premises = list(texts[a]) + list(texts[b])
    hypotheses = list(texts[b]) + list(texts[a])
    probs = nli.judge(premises, hypotheses)[list(NLI_LABELS)].to_numpy(dtype=np.float32)
    if probs.shape != (2 * n, 3):
        raise ParameterError(f"nli returned {probs.shape[0]} rows for {2 * n} pairs.")
    return probs[:n], probs[n:]


def _completion(labels: np.ndarray, outlets: np.ndarray, have: set[tuple[int, int]]) -> np.ndarray:
    """Cross-outlet pairs inside each claim not yet judged (at most MAX_COMPLETION_PAIRS per claim)."""
    out: list[tuple[int, int]] = []
    for members in pd.Series(np.arange(len(labels))).groupby(labels).apply(list):
        if len(members) < 2:
            continue
        todo = [(i, j) for x, i in enumerate(members) for j in members[x + 1:]
                if outlets[i] != outlets[j] and (i, j) not in have]
        out.extend(todo[:MAX_COMPLETION_PAIRS])
    return np.array(out, dtype=np.int64).reshape(-1, 2)


def _cluster(st: dict[str, Any], emb: np.ndarray, links: list[tuple[int, int, float]], texts: np.ndarray) -> np.ndarray:
    labels = np.asarray(st["clusterer"].cluster(emb, links, list(texts)))
    if labels.shape != (len(texts),):
        raise ParameterError(f"clusterer returned {labels.shape} labels for {len(texts)} sentences.")
    return labels.astype(np.int64)


def align(sentences: pd.DataFrame, emb: np.ndarray, st: dict[str, Any]) -> tuple[np.ndarray, pd.DataFrame]:
    """Claim labels (one per sentence) and the judged pairs, from the retriever, nli, verifier,
    clusterer and stance stages in ``st``."""
    texts = sentences["text"].astype(str).to_numpy(dtype=object)
    outlets = sentences["outlet"].astype(str).to_numpy(dtype=object)
    cand = st["retriever"].select(emb, list(outlets))
    a = cand["idx_a"].to_numpy(dtype=np.int64)
    b = cand["idx_b"].to_numpy(dtype=np.int64)
    if len(a) and (a.min() < 0 or b.max() >= len(texts) or (outlets[a] == outlets[b]).any()):
        raise ParameterError("retriever returned pairs out of range or within one outlet.")
    log.info("judging %d candidate pairs both ways", len(a))
    ab, ba = _nli_both_ways(st["nli"], texts, a, b)
    cos = cand["cosine"].to_numpy(dtype=np.float32)
    prob = np.asarray(st["verifier"].verify(list(texts[a]), list(texts[b]), cos, ab, ba), dtype=np.float32)
    links = list(zip(a.tolist(), b.tolist(), prob.tolist()))
    labels = _cluster(st, emb, links, texts)
    retrieved = np.ones(len(a), dtype=bool)
    have = {(min(i, j), max(i, j)) for i, j in zip(a.tolist(), b.tolist())}
    # with the clusterer's ``rounds`` > 0, a merge that rested on pairs nobody judged (above the floor,
    # so "unknown") is checked: the claim's missing cross-outlet pairs are judged and the sentences
    # clustered again, until no claim changes (at most ``rounds`` times); the final claims' pairs are
    # all judged either way
    rounds = int(getattr(st["clusterer"], "rounds", 0) or 0)
    for rnd in range(rounds + 1):
        extra = _completion(labels, outlets, have)
        if not len(extra):
            break
        ea, eb = extra[:, 0], extra[:, 1]
        xab, xba = _nli_both_ways(st["nli"], texts, ea, eb)
        xcos = np.einsum("ij,ij->i", emb[ea], emb[eb]).astype(np.float32)
        xprob = np.asarray(st["verifier"].verify(list(texts[ea]), list(texts[eb]), xcos, xab, xba), dtype=np.float32)
        a, b = np.concatenate([a, ea]), np.concatenate([b, eb])
        ab, ba = np.concatenate([ab, xab]), np.concatenate([ba, xba])
        cos, prob = np.concatenate([cos, xcos]), np.concatenate([prob, xprob])
        retrieved = np.concatenate([retrieved, np.zeros(len(ea), dtype=bool)])
        have |= {(int(i), int(j)) for i, j in extra}
        if rnd == rounds:
            break
        links += list(zip(ea.tolist(), eb.tolist(), xprob.tolist()))
        relabelled = _cluster(st, emb, links, texts)
        if (relabelled == labels).all():
            break
        labels = relabelled
    return labels, pairs_table(sentences, labels, a, b, cos, prob, retrieved, ab, ba, st)


def pairs_table(sentences: pd.DataFrame, labels: np.ndarray, a: np.ndarray, b: np.ndarray, cos: np.ndarray,
                prob: np.ndarray, retrieved: np.ndarray, ab: np.ndarray, ba: np.ndarray,
                st: dict[str, Any]) -> pd.DataFrame:
    """The documented ``pairs`` table, with stance and evidence spans in article offsets."""
    order = np.lexsort((b, a))
    a, b, cos, prob, retrieved, ab, ba = a[order], b[order], cos[order], prob[order], retrieved[order], \
        ab[order], ba[order]
    texts = sentences["text"].astype(str).to_numpy(dtype=object)
    starts = sentences["char_start"].to_numpy(dtype=np.int64)
    same = labels[a] == labels[b]
    verified = prob >= float(getattr(st["verifier"], "threshold", 0.5))
    judged = st["stance"].judge(list(texts[a]), list(texts[b]), ab, ba, same.tolist())
    ids = sentences["sentence_id"].astype(str).to_numpy(dtype=object)
    df = pd.DataFrame({
        "sentence_id_a": ids[a], "sentence_id_b": ids[b], "outlet_a": sentences["outlet"].astype(str).to_numpy()[a],
        "outlet_b": sentences["outlet"].astype(str).to_numpy()[b], "claim_id_a": labels[a], "claim_id_b": labels[b],
        "same_claim": same, "cosine": cos, "same_claim_prob": prob, "verified": verified, "retrieved": retrieved,
        "copied": np.zeros(len(a), dtype=bool),  # set by the copy detector (claimcmp.copies.detect_copies)
    })
    for j, lab in enumerate(NLI_LABELS):
        df[f"{lab}_ab"] = ab[:, j] if len(a) else []
        df[f"{lab}_ba"] = ba[:, j] if len(a) else []
    df["stance"] = [j.stance for j in judged]
    df["conflict_kind"] = [j.conflict_kind for j in judged]
    for side, idx in (("a", a), ("b", b)):
        spans = [getattr(j, f"span_{side}") for j in judged]
        s0 = [None if sp is None else int(starts[i] + sp[0]) for sp, i in zip(spans, idx)]
        s1 = [None if sp is None else int(starts[i] + sp[1]) for sp, i in zip(spans, idx)]
        df[f"evidence_{side}_start"] = pd.array(s0, dtype="Int64")
        df[f"evidence_{side}_end"] = pd.array(s1, dtype="Int64")
        df[f"evidence_{side}"] = [None if sp is None else str(texts[i])[sp[0]:sp[1]] for sp, i in zip(spans, idx)]
        df[f"speaker_{side}"] = [getattr(j, f"speaker_{side}") for j in judged]
        df[f"certainty_{side}"] = [getattr(j, f"certainty_{side}") for j in judged]
    outs = sorted(set(sentences["outlet"].astype(str)))
    return conform("pairs", df, {"outlet_a": outs, "outlet_b": outs})
