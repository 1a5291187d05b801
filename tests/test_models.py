"""Models resolve offline through the registry; NLI labels are mapped by name; the NLI model is right
on hand-written news-style pairs."""

from __future__ import annotations

import json
import os
import pickle
import shutil
from pathlib import Path

import numpy as np
import pytest

import claimcmp
from claimcmp import model_registry
from claimcmp.errors import ParameterError
from claimcmp.stages.nli import NLI_LABELS, label_indices, stance


def test_hub_is_off() -> None:
    assert os.environ.get("HF_HUB_OFFLINE") == "1"


def test_registry_names_every_stage_model() -> None:
    reg = model_registry.registry()
    for stage in ("embed", "nli"):
        name = model_registry.default_model(stage)
        e = reg[name]
        assert e.stage == stage and e.license and e.install
        assert e.model_card and (model_registry.models_dir() / e.model_card).is_file()


def test_embedding_model_checksum_and_similarity_ordering(seeds: list[claimcmp.Article]) -> None:
    assert model_registry.verify("all-MiniLM-L6-v2") == model_registry.entry("all-MiniLM-L6-v2").sha256
    texts = {a.outlet: a.text for a in seeds}
    rt = next(s for s in texts["RT"].split("\n") if s.startswith("Damascus is ready for a ceasefire"))
    ians = next(s for s in texts["IANS"].split("\n") if s.startswith("Syrian President Bashar al-Assad has said"))
    nato = next(s for s in texts["IANS"].split("\n") if "NATO airstrikes have killed" in s)
    a, b, c = claimcmp.SentenceEmbedder().embed([rt, ians, nato])
    assert float(a @ b) > float(a @ c) + 0.1
    assert float(a @ b) > float(b @ c) + 0.1


def test_nli_model_checksum_matches_registry() -> None:
    e = model_registry.entry("claimcmp-nli-minilm-l6")
    assert e.sha256, "the registry records the NLI weights' checksum"
    assert model_registry.verify("claimcmp-nli-minilm-l6") == e.sha256


def test_nli_weights_are_safetensors_only() -> None:
    folder = model_registry.resolve("claimcmp-nli-minilm-l6")
    assert (folder / "model.safetensors").is_file()
    assert not list(folder.glob("*.bin")) and not list(folder.glob("*.pt"))


# Hand-written news-style pairs: (premise, hypothesis, expected label)
NEWS_PAIRS = [
    ("Syrian President Bashar al-Assad said on Saturday he was ready for a ceasefire.",
     "Assad said he is ready for a ceasefire.", "entailment"),
    ("Russia and the United States announced a cessation of hostilities in Syria starting on Saturday.",
     "A cessation of hostilities in Syria was announced.", "entailment"),
    ("The Kremlin said Putin and Assad held a telephone conversation on Wednesday.",
     "Putin and Assad spoke by phone.", "entailment"),
    ("Kerry said the agreement was reached after long negotiations with Lavrov in Amman.",
     "Kerry and Lavrov reached an agreement.", "entailment"),
    ("Syrian President Bashar al-Assad said he was ready for a ceasefire.",
     "Assad rejected any ceasefire.", "contradiction"),
    ("The opposition accepted the truce on Monday.",
     "The opposition refused the truce on Monday.", "contradiction"),
    ("Two Serbian embassy employees were killed in US airstrikes in Libya.",
     "The Serbian embassy employees survived the airstrikes unharmed.", "contradiction"),
    ("The ceasefire will take effect on Saturday.",
     "The ceasefire took effect last month.", "contradiction"),
    ("Lavrov and Kerry discussed the situation in Syria by phone.",
     "Lavrov and Kerry will meet in Geneva next week to sign a treaty.", "neutral"),
    ("Assad said he was ready for a ceasefire.",
     "Assad gave the interview to a Spanish newspaper in his palace.", "neutral"),
    ("The United Nations envoy met the Russian foreign minister in Moscow on Tuesday.",
     "The envoy is planning to resign after the meeting.", "neutral"),
    ("Turkey shelled Kurdish positions near Aleppo.",
     "Turkey's shelling was condemned by the European Union.", "neutral"),
]


def test_nli_on_hand_written_news_pairs() -> None:
    """Written before the model was trained and not tuned to it. The shipped model gets 9 of 12: it calls
    two neutral additions "contradiction" (the SNLI convention that different events contradict) and one
    contradiction "neutral". The test holds it to that level and to every class being found."""
    judge = claimcmp.NLI()
    probs = judge.predict([p for p, _, _ in NEWS_PAIRS], [h for _, h, _ in NEWS_PAIRS])
    assert list(probs.columns) == [*NLI_LABELS, "label"]
    assert np.allclose(probs[list(NLI_LABELS)].sum(axis=1), 1.0, atol=1e-4)
    got = list(probs["label"].astype(str))
    wrong = [(p, h, w, g) for (p, h, w), g in zip(NEWS_PAIRS, got) if w != g]
    assert len(wrong) <= 3, f"NLI disagrees with hand labels on: {wrong}"
    for lab in NLI_LABELS:
        hits = sum(w == g == lab for (_, _, w), g in zip(NEWS_PAIRS, got))
        assert hits >= 2, f"the model finds only {hits} of 4 hand-written {lab} pairs"


def test_labels_are_mapped_by_name_not_position(tmp_path: Path) -> None:
    """Permuting the classifier rows and id2label together must not change the named outputs."""
    from safetensors.torch import load_file, save_file

    src = model_registry.resolve("claimcmp-nli-minilm-l6")
    dst = tmp_path / "permuted"
    shutil.copytree(src, dst)
    cfg = json.loads((dst / "config.json").read_text())
    old = {int(k): v for k, v in cfg["id2label"].items()}
    perm = [2, 0, 1]  # new position i holds old label perm[i]
    cfg["id2label"] = {str(i): old[perm[i]] for i in range(3)}
    cfg["label2id"] = {old[perm[i]]: i for i in range(3)}
    (dst / "config.json").write_text(json.dumps(cfg))
    w = load_file(str(dst / "model.safetensors"))
    for k in ("classifier.weight", "classifier.bias"):
        w[k] = w[k][perm].contiguous()
    save_file(w, str(dst / "model.safetensors"))
    prem, hyp = [p for p, _, _ in NEWS_PAIRS], [h for _, h, _ in NEWS_PAIRS]
    a = claimcmp.NLI().judge(prem, hyp)
    b = claimcmp.NLI(model=str(dst)).judge(prem, hyp)
    assert np.allclose(a.to_numpy(), b.to_numpy(), atol=1e-3)
    assert label_indices({0: "contradiction", 1: "entailment", 2: "neutral"}) == [1, 2, 0]
    with pytest.raises(claimcmp.errors.ModelNotFoundError, match="matched by name"):
        label_indices({0: "LABEL_0", 1: "LABEL_1", 2: "LABEL_2"})


def test_cross_encoder_loads_the_same_folder() -> None:
    from sentence_transformers import CrossEncoder

    folder = model_registry.resolve("claimcmp-nli-minilm-l6")
    ce = CrossEncoder(str(folder), device="cpu", local_files_only=True)
    logits = ce.predict([NEWS_PAIRS[0][:2]], apply_softmax=True)
    names = [ce.config.id2label[i] for i in range(3)]
    assert names[int(np.argmax(logits[0]))] == "entailment"


def test_stance_rules() -> None:
    e, n, c = [0.8, 0.1, 0.1], [0.1, 0.8, 0.1], [0.1, 0.1, 0.8]
    ab = np.array([e, e, n, c, n, e])
    ba = np.array([e, n, c, c, n, c])
    assert list(stance(ab, ba)) == ["agree", "partial", "unrelated", "contradict", "unrelated", "partial"]
    assert list(stance(ab, ba, "either")) == ["agree", "partial", "contradict", "contradict", "unrelated",
                                              "partial"]
    with pytest.raises(claimcmp.errors.ParameterError):
        stance(ab, ba, "sometimes")


def test_stages_are_picklable_and_hold_no_model() -> None:
    comp = claimcmp.Comparator()
    for stage in comp.stages().values():
        clone = pickle.loads(pickle.dumps(stage))
        assert type(clone) is type(stage)
        assert len(pickle.dumps(stage)) < 10_000, f"{type(stage).__name__} carries a model when pickled"
    assert pickle.loads(pickle.dumps(comp)).get_params().keys() == comp.get_params().keys()


def test_constructors_only_store_parameters() -> None:
    model_registry.clear_model_cache()
    judge = claimcmp.NLIJudge(model="no-such-model", batch_size=3)
    assert judge.get_params()["model"] == "no-such-model" and judge.batch_size == 3
    assert model_registry.loaded_models() == 0
    with pytest.raises(claimcmp.errors.ModelNotFoundError, match="no-such-model"):
        judge.judge(["a"], ["b"])


def test_nli_precision_default_auto_and_bfloat16_keep_the_labels() -> None:
    from claimcmp.stages.nli import cpu_has_native_bf16

    prem, hyp = [p for p, _, _ in NEWS_PAIRS], [h for _, h, _ in NEWS_PAIRS]
    assert claimcmp.NLI().precision == "auto"  # native bfloat16 where the CPU has it
    auto = claimcmp.NLI(precision="auto")
    assert auto.resolved_precision() == ("bfloat16" if cpu_has_native_bf16() else "float32")
    assert claimcmp.NLI(precision="float32").resolved_precision() == "float32"
    fp32 = claimcmp.NLI(precision="float32").predict(prem, hyp)
    bf16 = claimcmp.NLI(precision="bfloat16").predict(prem, hyp)
    assert list(fp32["label"]) == list(bf16["label"])
    diff = np.abs(fp32[list(NLI_LABELS)].to_numpy() - bf16[list(NLI_LABELS)].to_numpy())
    assert 0 < diff.max() < 0.05  # bfloat16 really ran (not float32 twice) and stayed close
    with pytest.raises(ParameterError, match="precision must be one of"):
        claimcmp.NLI(precision="float16").judge(prem[:1], hyp[:1])
