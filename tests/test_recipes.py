"""The NLI recipe's pure parts: batching covers every pair once; weight averaging is exact; the rebuild config
names known sets and chains its stages through the paths the card's rebuild command uses."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "models" / "recipes"))
import nli_data
import select_nli
import train_nli


def test_bucketed_batches_cover_every_pair_once_and_are_seeded() -> None:
    lengths = [(i * 37) % 101 + 5 for i in range(1000)]
    batches = train_nli.bucketed_batches(lengths, batch_size=32, seed=7)
    flat = [i for b in batches for i in b]
    assert sorted(flat) == list(range(1000))
    assert all(len(b) <= 32 for b in batches)
    assert batches == train_nli.bucketed_batches(lengths, batch_size=32, seed=7)
    assert batches != train_nli.bucketed_batches(lengths, batch_size=32, seed=8)
    # inside a chunk the pairs are sorted by length, so a batch spans a narrow range of lengths
    spreads = [max(lengths[i] for i in b) - min(lengths[i] for i in b) for b in batches]
    assert sorted(spreads)[len(spreads) // 2] <= 10


def test_average_of_one_is_bit_identical() -> None:
    w = {"a": torch.tensor([-0.0, 1.5, -2.25], dtype=torch.float16)}
    out = select_nli.average([w])
    assert torch.equal(out["a"].half().view(torch.int16), w["a"].view(torch.int16))  # keeps -0.0


def test_average_of_two_is_the_mean_and_refuses_mismatched_models() -> None:
    a = {"w": torch.tensor([1.0, 2.0]), "b": torch.tensor([0.0])}
    b = {"w": torch.tensor([3.0, 6.0]), "b": torch.tensor([1.0])}
    out = select_nli.average([a, b])
    assert torch.equal(out["w"], torch.tensor([2.0, 4.0])) and torch.equal(out["b"], torch.tensor([0.5]))
    with pytest.raises(ValueError, match="different parameters"):
        select_nli.average([a, {"w": torch.tensor([1.0, 1.0])}])


def test_swapped_contradictions_mirror_only_contradiction_rows() -> None:
    import pandas as pd

    df = pd.DataFrame({"premise": ["a", "b", "c"], "hypothesis": ["x", "y", "z"],
                       "label": ["entailment", "contradiction", "neutral"], "source": ["s", "t", "u"]})
    out = train_nli.with_swapped_contradictions(df)
    assert len(out) == 4 and list(out.columns) == list(df.columns)
    assert out.iloc[:3].equals(df)
    assert out.iloc[3].to_dict() == {"premise": "y", "hypothesis": "b", "label": "contradiction", "source": "t"}


@pytest.mark.skipif(not (nli_data.eval_root() / "nli" / "semi_automatic_nli").is_dir(),
                    reason="shared NLI data not found (../shared/eval beside the repository or $CLAIMCMP_EVAL_DIR)")
def test_news_dev_split_is_disjoint_by_premise_and_complete() -> None:
    full = nli_data.semi_auto("news", "train")
    train, dev = nli_data.news_split("train"), nli_data.news_split("dev")
    assert len(train) + len(dev) == len(full)
    assert not set(train["premise"]) & set(dev["premise"])
    assert 0.10 < len(dev) / len(full) < 0.20
    assert set(dev["label"]) == set(nli_data.LABELS)
    assert dev.equals(nli_data.news_split("dev"))


@pytest.mark.skipif(not (nli_data.eval_root() / "nli" / "climate_fever").is_dir(),
                    reason="shared NLI data not found (../shared/eval beside the repository or $CLAIMCMP_EVAL_DIR)")
def test_added_training_sets_map_labels_by_name_and_share_no_pair_with_dev_or_held_out_sets() -> None:
    moved = ["climate_fever", "healthver_dev", "joci_dev", "mpe_dev", "conjnli_adversarial_train"]
    frames = {name: nli_data.TRAIN_SETS[name]() for name in moved}
    # CLIMATE-FEVER: one pair per evidence sentence, labels as its README counts them
    assert frames["climate_fever"]["label"].value_counts().to_dict() == {
        "neutral": 4930, "entailment": 1943, "contradiction": 802}
    assert frames["healthver_dev"]["label"].value_counts().to_dict() == {
        "neutral": 993, "entailment": 533, "contradiction": 391}
    assert frames["conjnli_adversarial_train"]["label"].value_counts().to_dict() == {
        "neutral": 6757, "entailment": 5820, "contradiction": 2423}
    train_pairs = {(p, h) for df in frames.values() for p, h in zip(df["premise"], df["hypothesis"])}
    for name, reader in {**nli_data.EVAL_SETS, **nli_data.DEV_SETS}.items():
        df = reader()
        assert not train_pairs & set(zip(df["premise"], df["hypothesis"])), name


def test_selection_score_weights_named_sets_and_ignores_the_plain_mean() -> None:
    dev = {"snli_dev": 0.8, "anli_dev": 0.3, "semi_automatic_nli_news_dev": 0.6, "mean": 0.5667}
    assert select_nli.selection_score(dev, {}) == pytest.approx((0.8 + 0.3 + 0.6) / 3)
    # news-dev weighted 2 against 1 + 1: half of the score
    assert select_nli.selection_score(dev, {"semi_automatic_nli_news_dev": 2}) == pytest.approx(
        (0.8 + 0.3) / 4 + 0.6 / 2)


def test_ensemble_members_lists_every_subset_or_checks_the_named_ones() -> None:
    every = select_nli.ensemble_members("all", ["a", "b", "c"])
    assert every == [["a", "b"], ["a", "c"], ["b", "c"], ["a", "b", "c"]]
    assert select_nli.ensemble_members([["a", "c"]], ["a", "b", "c"]) == [["a", "c"]]
    with pytest.raises(ValueError, match="unknown candidates"):
        select_nli.ensemble_members([["a", "z"]], ["a", "b"])


def test_a_fixed_choice_ships_within_tolerance_of_the_reference_and_not_beyond() -> None:
    results = {"shipped": {"score": 0.70}, "refit": {"score": 0.696}, "other": {"score": 0.80}}
    cfg = {"fixed": "refit", "reference": "shipped", "tolerance": 0.005}
    assert select_nli.choose(results, cfg) == "refit"  # the best-scoring "other" is not eligible
    assert select_nli.choose({**results, "refit": {"score": 0.694}}, cfg) == "shipped"
    assert select_nli.choose(results, {}) == "other"  # without a fixed option: the maximum


CONFIG = Path(__file__).resolve().parents[1] / "models" / "recipes" / "nli_config.json"


def test_the_rebuild_config_names_known_sets_and_chains_its_stages() -> None:
    stage1, stage2 = train_nli.load_config(CONFIG, "stage1"), train_nli.load_config(CONFIG, "stage2")
    assert train_nli.check_config(stage1) == [] and train_nli.check_config(stage2) == []
    # stage 2 starts from stage 1's second epoch; the export averages stage-1 epochs 2, 3 and stage-2 epoch 2
    assert stage2["init_from"] == f"{stage1['run_dir']}/epoch1/model.safetensors"
    select = train_nli.load_config(CONFIG, "select")
    parts = select["fixed"].split(" + ")
    assert [select["soups"][0]] == [parts]
    assert {select["candidates"][p] for p in parts} == {
        f"{stage1['run_dir']}/epoch1/model.safetensors", f"{stage1['run_dir']}/epoch2/model.safetensors",
        f"{stage2['run_dir']}/epoch1/model.safetensors"}
    assert select["reference"] in select["candidates"] and select["tolerance"] == 0.005
    registry = json.loads((CONFIG.parents[1] / "registry.json").read_text())
    assert select["output_dir"] == "models/" + registry["models"]["claimcmp-nli-minilm-l6"]["path"]
    assert not select["record_file"].startswith(select["output_dir"])  # the model folder stays clean


def test_a_staged_config_needs_a_known_stage_and_check_config_names_unknown_sets(tmp_path: Path) -> None:
    with pytest.raises(SystemExit, match="pick one with --stage"):
        train_nli.load_config(CONFIG)
    with pytest.raises(SystemExit, match="no stage 'stage3'"):
        train_nli.load_config(CONFIG, "stage3")
    bad = {**train_nli.load_config(CONFIG, "stage2"), "train_sets": ["no_such_set"]}
    bad.pop("replay_pairs")
    plain = tmp_path / "plain.json"
    plain.write_text(json.dumps(bad))
    assert train_nli.load_config(plain) == bad
    assert train_nli.check_config(bad) == ["train_sets: unknown set 'no_such_set'", "replay_sets without replay_pairs"]
