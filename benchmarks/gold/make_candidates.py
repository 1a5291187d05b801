"""Draw the cross-outlet sentence pairs that the hand-labelled alignment/stance gold is made of.

Sentences come from claimcmp's default cleaner and segmenter; pairs are drawn per event, stratified
by embedding cosine so that the gold covers clear paraphrases, borderline pairs and same-event pairs
that state different facts. The draw is seeded and written once; the labels are added by hand
(GUIDELINES.md). Usage: ``python -m benchmarks.gold.make_candidates --out benchmarks/gold/candidates.jsonl``
(the dev and test events: NewsWCL50 and the seeds); ``--source neus-train --events N`` draws from the first N
NeuS train events instead (the training pairs of the same-claim model; never evaluated on).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

#: (low, high, pairs per event): cosine bins and how many pairs each event contributes.
BINS = ((0.80, 1.01, 6), (0.70, 0.80, 7), (0.60, 0.70, 8), (0.50, 0.60, 7), (0.35, 0.50, 7))


def events() -> dict[str, list[dict[str, str]]]:
    import claimcmp
    from benchmarks.data import newswcl50_events

    out = {f"newswcl50_{k}": v for k, v in newswcl50_events().items()}
    seeds = claimcmp.load_seeds()
    out["seeds"] = [{"article_id": r.article_id, "outlet": r.outlet, "text": r.text} for r in seeds]
    return out


def neus_train_events(n: int) -> dict[str, list[dict[str, str]]]:
    """The first ``n`` NeuS train events (left / center / right), keyed ``neus_train_<line>``."""
    from benchmarks.data import neus_events

    out = {}
    for arts in neus_events("train", n):
        line = int(arts[0]["article_id"][4:8])
        out[f"neus_train_{line}"] = arts
    return out


def draw(event: str, arts: list[dict[str, str]], rng: np.random.Generator) -> list[dict[str, object]]:
    from claimcmp.api import Comparator
    from claimcmp.articles import to_articles
    from claimcmp.stages.clean import BoilerplateCleaner
    from claimcmp.stages.embed import SentenceEmbedder
    from claimcmp.stages.segment import SentenceSegmenter

    sents, _ = Comparator._segment(sorted(to_articles(arts), key=lambda a: a.article_id), BoilerplateCleaner(),
                                   SentenceSegmenter())
    sents = sents[sents["text"].str.len() >= 25].reset_index(drop=True)
    emb = np.asarray(SentenceEmbedder(show_progress=False).embed(sents["text"].tolist()))
    sim = emb @ emb.T
    outlet = sents["outlet"].to_numpy()
    iu, ju = np.triu_indices(len(sents), 1)
    keep = outlet[iu] != outlet[ju]
    iu, ju = iu[keep], ju[keep]
    cos = sim[iu, ju]
    rows: list[dict[str, object]] = []
    for lo, hi, k in BINS:
        sel = np.nonzero((cos >= lo) & (cos < hi))[0]
        if len(sel) == 0:
            continue
        for t in rng.choice(sel, size=min(k, len(sel)), replace=False):
            a, b = sents.iloc[int(iu[t])], sents.iloc[int(ju[t])]
            rows.append({
                "pair_id": f"{event}:{a['sentence_id']}|{b['sentence_id']}", "event": event,
                "article_a": a["article_id"], "outlet_a": a["outlet"], "start_a": int(a["char_start"]),
                "end_a": int(a["char_end"]), "text_a": a["text"],
                "article_b": b["article_id"], "outlet_b": b["outlet"], "start_b": int(b["char_start"]),
                "end_b": int(b["char_end"]), "text_b": b["text"], "cosine": round(float(cos[t]), 4),
            })
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--seed", type=int, default=20261202)
    ap.add_argument("--source", choices=("dev-test", "neus-train"), default="dev-test")
    ap.add_argument("--events", type=int, default=20, help="NeuS train events to draw from (--source neus-train)")
    args = ap.parse_args()
    rng = np.random.default_rng(args.seed)
    evs = events() if args.source == "dev-test" else neus_train_events(args.events)
    rows = [r for ev, arts in evs.items() for r in draw(ev, arts, rng)]
    args.out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    print(f"{len(rows)} pairs -> {args.out}")


if __name__ == "__main__":
    main()
