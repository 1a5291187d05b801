"""Readers for the NLI sets in ``../shared/eval/nli/`` and ``../shared/eval/sick/``.

Every reader returns a DataFrame with columns ``premise``, ``hypothesis``, ``label``
where ``label`` is one of ``entailment``, ``neutral``, ``contradiction`` (3-way sets)
or ``entailment`` / ``not_entailment`` (2-way sets). Rows without a gold label are dropped.

The data is never copied into the project: the readers take the eval root
(default: ``../shared/eval`` next to the repository, or ``$CLAIMCMP_EVAL_DIR``) and
raise :class:`EvalDataMissing` naming the missing file when it is absent.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import json
import os
import re
from collections.abc import Callable, Sequence
from pathlib import Path

import pandas as pd

LABELS = ("entailment", "neutral", "contradiction")
REPO_ROOT = Path(__file__).resolve().parents[2]


class EvalDataMissing(FileNotFoundError):
    """A shared evaluation file is not where the recipe expects it."""


def eval_root() -> Path:
    """Directory holding the shared evaluation data."""
    env = os.environ.get("CLAIMCMP_EVAL_DIR")
    return Path(env) if env else (REPO_ROOT.parent / "shared" / "eval")


def _path(rel: str) -> Path:
    p = eval_root() / rel
    if not p.is_file():
        raise EvalDataMissing(
            f"NLI data file missing: {p}. The recipes read ../shared/eval/ beside the "
            "repository (or $CLAIMCMP_EVAL_DIR); it is not shipped with claimcmp."
        )
    return p


def sha256(rel: str) -> str:
    """sha256 of one shared data file, for the data manifest."""
    return hashlib.sha256(_path(rel).read_bytes()).hexdigest()


_LETTER = {"e": "entailment", "n": "neutral", "c": "contradiction"}
_FEVER = {
    "SUPPORTS": "entailment", "REFUTES": "contradiction", "NOT_ENOUGH_INFO": "neutral",
    "Supports": "entailment", "Refutes": "contradiction", "Neutral": "neutral",
}


def _norm_label(x: object) -> str | None:
    s = str(x).strip()
    low = s.lower()
    if low in LABELS or low == "not_entailment":
        return low
    if low in _LETTER:
        return _LETTER[low]
    if s in _FEVER:
        return _FEVER[s]
    return None


def _frame(premises: Sequence[str], hyps: Sequence[str], labels: Sequence[object]) -> pd.DataFrame:
    df = pd.DataFrame({"premise": premises, "hypothesis": hyps, "label": [_norm_label(x) for x in labels]})
    df = df.dropna(subset=["label"])
    df["premise"] = df["premise"].astype(str).str.strip()
    df["hypothesis"] = df["hypothesis"].astype(str).str.strip()
    df = df[(df["premise"] != "") & (df["hypothesis"] != "")]
    return df.reset_index(drop=True)


def _tsv(rel: str, p: str, h: str, lab: str, encoding: str = "utf-8") -> pd.DataFrame:
    df = pd.read_csv(_path(rel), sep="\t", quoting=csv.QUOTE_NONE, dtype=str, encoding=encoding,
                     keep_default_na=False)
    df.columns = [c.lstrip("\ufeff") for c in df.columns]
    return _frame(df[p].tolist(), df[h].tolist(), df[lab].tolist())


def _csv(rel: str, p: str = "premise", h: str = "hypothesis", lab: str = "label") -> pd.DataFrame:
    df = pd.read_csv(_path(rel), dtype=str, keep_default_na=False)
    return _frame(df[p].tolist(), df[h].tolist(), df[lab].tolist())


def _jsonl(rel: str, p: str, h: str, lab: str, gz: bool = False) -> pd.DataFrame:
    path = _path(rel)
    opener = gzip.open if gz else open
    rows = []
    with opener(path, "rt", encoding="utf-8") as fh:  # type: ignore[operator]
        for line in fh:
            if line.strip():
                rows.append(json.loads(line))
    return _frame([r[p] for r in rows], [r[h] for r in rows], [r[lab] for r in rows])


_PTB = [(re.compile(r" n't\b"), "n't"), (re.compile(r" ([.,!?;:%])"), r"\1"),
        (re.compile(r" '(s|re|ve|ll|d|m)\b"), r"'\1"), (re.compile(r"\$ "), "$")]


def _detok(s: str) -> str:
    for rx, rep in _PTB:
        s = rx.sub(rep, s)
    return s


def mnli_train_subset() -> pd.DataFrame:
    df = _tsv("nli/mnli_train_subset/mnli_train.tsv", "sentence1", "sentence2", "label")
    df["premise"] = df["premise"].map(_detok)
    df["hypothesis"] = df["hypothesis"].map(_detok)
    return df


def oie_train() -> pd.DataFrame:
    parts = [_csv(f"nli/snli_mnli_train_subset_oie/{n}.csv", "Premise", "Hypothesis", "GoldLabel")
             for n in ("oie-train", "oie-devin", "oie-testin")]
    return pd.concat(parts, ignore_index=True)


def semi_auto(domain: str, split: str) -> pd.DataFrame:
    subsets = {"news": ["base_news", "sim_news"], "wiki": ["base_wiki", "sim_wiki", "translate_wiki"]}[domain]
    return pd.concat([_jsonl(f"nli/semi_automatic_nli/data/{s}/{split}.jsonl", "premise", "hypothesis", "label")
                      for s in subsets], ignore_index=True)


def news_split(part: str, dev_percent: int = 15) -> pd.DataFrame:
    """The semi-automatic news *train* rows split into ``"train"`` and a news-domain ``"dev"`` part.

    Rows go to dev when the sha256 of their premise falls in the first ``dev_percent`` of 100 buckets,
    so pairs sharing a premise stay on one side and the split never changes.
    """
    df = semi_auto("news", "train")
    bucket = df["premise"].map(lambda t: int(hashlib.sha256(t.encode("utf-8")).hexdigest()[:8], 16) % 100)
    keep = bucket < dev_percent if part == "dev" else bucket >= dev_percent
    return df[keep].reset_index(drop=True)


def cad_train() -> pd.DataFrame:
    return pd.concat([_tsv(f"nli/cad_snli/NLI/{s}/train.tsv", "sentence1", "sentence2", "gold_label")
                      for s in ("original", "revised_premise", "revised_hypothesis")], ignore_index=True)


def climate_fever() -> pd.DataFrame:
    """CLIMATE-FEVER evidence (premise) vs claim (hypothesis), one pair per evidence sentence."""
    prem, hyp, lab = [], [], []
    with open(_path("nli/climate_fever/dataset/climate-fever.jsonl"), encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                row = json.loads(line)
                for ev in row["evidences"]:
                    prem.append(ev["evidence"])
                    hyp.append(row["claim"])
                    lab.append(ev["evidence_label"])
    return _frame(prem, hyp, lab)


def conjnli(which: str) -> pd.DataFrame:
    """ConjNLI: ``"adversarial_train_15k"`` (silver labels) or ``"conj_dev"`` (human-verified)."""
    return _tsv(f"nli/conjnli/data/NLI/{which}.tsv", "Premise", "Hypothesis", "Label")


def healthver(split: str) -> pd.DataFrame:
    """HealthVer evidence (premise) vs COVID-19 claim (hypothesis)."""
    return _csv(f"nli/healthver/data/healthver_{split}.csv", "evidence", "claim", "label")


_MPE_ID = re.compile(r"\d+jpg\d")


def mpe(split: str) -> pd.DataFrame:
    df = _csv(f"nli/mpe/nli_datasets/mpe/{split}.csv")
    df["premise"] = df["premise"].map(lambda s: re.sub(r"\s+", " ", _MPE_ID.sub(" ", s)).strip())
    return df


def sick(split: str) -> pd.DataFrame:
    name = {"train": "SICK_train.txt", "trial": "SICK_trial.txt", "test": "SICK_test_annotated.txt"}[split]
    return _tsv(f"sick/data/sts/sick2014/{name}", "sentence_A", "sentence_B", "entailment_judgment")


def mnli_dev(which: str) -> pd.DataFrame:
    return _csv(f"nli/mnli/Multi-genre-nli/multinli_1.0_dev_{which}.csv", "sentence1", "sentence2", "label")


def snli(split: str) -> pd.DataFrame:
    rel = "nli/snli/data/snli/hard/snli_1.0_test_hard.jsonl.gz" if split == "test_hard" \
        else f"nli/snli/data/snli/snli_1.0_{split}.jsonl.gz"
    return _jsonl(rel, "sentence1", "sentence2", "gold_label", gz=True)


def anli(split: str, rounds: tuple[str, ...] = ("R1", "R2", "R3")) -> pd.DataFrame:
    return pd.concat([_jsonl(f"nli/anli/data/anli_v1.0/{r}/{split}.jsonl", "context", "hypothesis", "label")
                      for r in rounds], ignore_index=True)


def xnli(split: str) -> pd.DataFrame:
    df = pd.read_csv(_path(f"nli/xnli_en/xnli_{split}_en.tsv"), sep="\t", quoting=csv.QUOTE_NONE, dtype=str,
                     keep_default_na=False)
    lab = df["label"].map({"0": "entailment", "1": "neutral", "2": "contradiction"})
    return _frame(df["premise"].tolist(), df["hypothesis"].tolist(), lab.tolist())


def joci(split: str) -> pd.DataFrame:
    return _csv(f"nli/joci/nli_datasets/joci/{split}.csv")


def cb(split: str) -> pd.DataFrame:
    return _csv(f"nli/cb/nli_datasets/commitment_bank/{split}.csv")


def qags(which: str) -> pd.DataFrame:
    """QAGS article vs summary sentence, 2-way by majority of three votes."""
    prem, hyp, lab = [], [], []
    with open(_path(f"nli/qags/data/mturk_{which}.jsonl"), encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            row = json.loads(line)
            for s in row["summary_sentences"]:
                yes = sum(r["response"] == "yes" for r in s["responses"])
                prem.append(row["article"])
                hyp.append(s["sentence"])
                lab.append("entailment" if yes * 2 > len(s["responses"]) else "not_entailment")
    return _frame(prem, hyp, lab)


def cogensumm() -> pd.DataFrame:
    rows = json.loads(_path("nli/cogensumm/data/eval/summac/benchmark/cogensumm/val_sentence_pairs.json")
                      .read_text(encoding="utf-8"))
    prem, hyp, lab = [], [], []
    for r in rows:
        prem += [r["article_sent"], r["article_sent"]]
        hyp += [r["correct_sent"], r["incorrect_sent"]]
        lab += ["entailment", "not_entailment"]
    return _frame(prem, hyp, lab)


# Named sets -------------------------------------------------------------------------------------

#: Training rows (the README's suggested "train" rows minus silver-labelled ConjNLI and 2-way RTE,
#: plus SICK train and MNLI dev_matched, which is therefore not used for model selection).
TRAIN_SETS: dict[str, Callable[[], pd.DataFrame]] = {
    "mnli_train_subset": mnli_train_subset,
    "snli_mnli_train_subset_oie": oie_train,
    "semi_automatic_nli_news_train": lambda: semi_auto("news", "train"),
    "semi_automatic_nli_wiki_train": lambda: semi_auto("wiki", "train"),
    # the news train rows without the news-dev part below (for runs that select on news-dev)
    "semi_automatic_nli_news_train_minus_dev": lambda: news_split("train"),
    "cad_snli_train": cad_train,
    "joci_train": lambda: joci("train"),
    "mpe_train": lambda: mpe("train"),
    "cb_train": lambda: cb("train"),
    "sick_train": lambda: sick("train"),
    "mnli_dev_matched": lambda: mnli_dev("matched"),
    # evaluation-only sets moved into training (nli_config_moved.json); none is reported or used to select.
    # CAD-SNLI dev/test stay out: 411 of their pairs are SNLI test pairs.
    "climate_fever": climate_fever,
    "healthver_dev": lambda: healthver("dev"),
    "joci_dev": lambda: joci("dev"),
    "mpe_dev": lambda: mpe("dev"),
    # the README's last suggested training set, left out of the shipped recipe for its silver labels
    "conjnli_adversarial_train": lambda: conjnli("adversarial_train_15k"),
}

#: Model-selection sets (checked after every epoch; never reported as results).
DEV_SETS: dict[str, Callable[[], pd.DataFrame]] = {
    "snli_dev": lambda: snli("dev"),
    "anli_dev": lambda: anli("dev"),
    "xnli_validation": lambda: xnli("validation"),
    "sick_trial": lambda: sick("trial"),
    # used only by the stage-2 recipe's selection (closest proxy of the news test; not reported)
    "semi_automatic_nli_wiki_test": lambda: semi_auto("wiki", "test"),
    # 15% of the news train rows (by premise); only for runs trained on ..._news_train_minus_dev
    "semi_automatic_nli_news_dev": lambda: news_split("dev"),
}

#: Held-out evaluation sets, reported in the model card and docs/benchmarks.md.
EVAL_SETS: dict[str, Callable[[], pd.DataFrame]] = {
    "sick_test": lambda: sick("test"),
    "mnli_dev_mismatched": lambda: mnli_dev("mismatched"),
    "snli_test": lambda: snli("test"),
    "anli_test_r1": lambda: anli("test", ("R1",)),
    "anli_test_r2": lambda: anli("test", ("R2",)),
    "anli_test_r3": lambda: anli("test", ("R3",)),
    "anli_test_all": lambda: anli("test"),
    "xnli_en_test": lambda: xnli("test"),
    "semi_automatic_nli_news_test": lambda: semi_auto("news", "test"),
    "qags_cnndm_2way": lambda: qags("cnndm"),
    "qags_xsum_2way": lambda: qags("xsum"),
    "cogensumm_2way": cogensumm,
    # real-world claims vs retrieved evidence (COVID-19); its dev split is a training set of nli_config_moved.json
    "healthver_test": lambda: healthver("test"),
    # human-verified conjunction stress pairs (ConjNLI); the target of conjnli_adversarial_train
    "conjnli_dev": lambda: conjnli("conj_dev"),
}

#: Every shared file a recipe reads, for the data manifest.
FILES_READ = [
    "nli/mnli_train_subset/mnli_train.tsv",
    "nli/snli_mnli_train_subset_oie/oie-train.csv",
    "nli/snli_mnli_train_subset_oie/oie-devin.csv",
    "nli/snli_mnli_train_subset_oie/oie-testin.csv",
    *[f"nli/semi_automatic_nli/data/{s}/{sp}.jsonl"
      for s in ("base_news", "sim_news", "base_wiki", "sim_wiki", "translate_wiki") for sp in ("train", "test")],
    *[f"nli/cad_snli/NLI/{s}/train.tsv" for s in ("original", "revised_premise", "revised_hypothesis")],
    "nli/joci/nli_datasets/joci/train.csv",
    "nli/mpe/nli_datasets/mpe/train.csv",
    "nli/cb/nli_datasets/commitment_bank/train.csv",
    "sick/data/sts/sick2014/SICK_train.txt",
    "sick/data/sts/sick2014/SICK_trial.txt",
    "sick/data/sts/sick2014/SICK_test_annotated.txt",
    "nli/mnli/Multi-genre-nli/multinli_1.0_dev_matched.csv",
    "nli/mnli/Multi-genre-nli/multinli_1.0_dev_mismatched.csv",
    "nli/snli/data/snli/snli_1.0_dev.jsonl.gz",
    "nli/snli/data/snli/snli_1.0_test.jsonl.gz",
    *[f"nli/anli/data/anli_v1.0/{r}/{sp}.jsonl" for r in ("R1", "R2", "R3") for sp in ("dev", "test")],
    "nli/xnli_en/xnli_validation_en.tsv",
    "nli/xnli_en/xnli_test_en.tsv",
    "nli/qags/data/mturk_cnndm.jsonl",
    "nli/qags/data/mturk_xsum.jsonl",
    "nli/cogensumm/data/eval/summac/benchmark/cogensumm/val_sentence_pairs.json",
    "nli/climate_fever/dataset/climate-fever.jsonl",
    "nli/healthver/data/healthver_dev.csv",
    "nli/healthver/data/healthver_test.csv",
    "nli/joci/nli_datasets/joci/dev.csv",
    "nli/mpe/nli_datasets/mpe/dev.csv",
    "nli/conjnli/data/NLI/adversarial_train_15k.tsv",
    "nli/conjnli/data/NLI/conj_dev.tsv",
]


def write_manifest(path: Path) -> None:
    """Record source, size and sha256 of every shared file the recipes read."""
    files = []
    for rel in FILES_READ:
        p = _path(rel)
        files.append({"path": f"../shared/eval/{rel}", "bytes": p.stat().st_size, "sha256": sha256(rel)})
    manifest = {
        "description": "Every data file read by models/recipes/train_nli.py and eval_nli.py. The files live in "
                       "../shared/eval/ (see its README.txt for each set's source repository, commit and license) "
                       "and are never copied into the project.",
        "train_sets": list(TRAIN_SETS), "dev_sets": list(DEV_SETS), "eval_sets": list(EVAL_SETS),
        "files": files,
    }
    path.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    write_manifest(Path(__file__).with_name("data_manifest.json"))
