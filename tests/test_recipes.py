"""The NLI recipe's pure parts: batching covers every pair once; weight averaging is exact; offsets are searched
and chosen as documented."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "models" / "recipes"))
import calibrate_nli
import compare_nli
import news_agreement
import nli_data
import numpy as np
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


def test_mcnemar_p_matches_the_exact_binomial_values() -> None:
    assert compare_nli.mcnemar_p(0, 0) == 1.0
    assert compare_nli.mcnemar_p(3, 3) == 1.0
    # 0 of 5 discordant pairs on one side: 2 * 0.5**5
    assert compare_nli.mcnemar_p(0, 5) == pytest.approx(0.0625)
    # 1 against 9: 2 * (1 + 10) / 1024
    assert compare_nli.mcnemar_p(9, 1) == pytest.approx(22 / 1024)
    # thousands of discordant pairs (a large set) neither overflow nor lose the answer
    assert compare_nli.mcnemar_p(700, 700) == 1.0
    assert 0.0 <= compare_nli.mcnemar_p(400, 1100) < 1e-60


def test_paired_comparison_counts_discordant_pairs_and_brackets_the_difference() -> None:
    a = np.array([True] * 60 + [False] * 40)
    b = np.array([True] * 50 + [False] * 10 + [True] * 30 + [False] * 10)
    r = compare_nli.paired(a, b)
    assert (r["a_right_b_wrong"], r["a_wrong_b_right"]) == (10, 30)
    assert r["difference"] == pytest.approx(0.2)
    assert r["ci95_low"] < 0.2 < r["ci95_high"] and r["ci95_low"] > 0
    assert r == compare_nli.paired(a, b)  # seeded
    with pytest.raises(ValueError):
        compare_nli.paired(a, b[:-1])


def test_correct_scores_two_way_sets_by_the_entailment_label() -> None:
    probs = np.array([[0.6, 0.3, 0.1], [0.2, 0.3, 0.5], [0.1, 0.8, 0.1]])
    assert compare_nli.correct(probs, ["entailment", "not_entailment", "entailment"]).tolist() == [True, True, False]
    assert compare_nli.correct(probs, ["entailment", "neutral", "neutral"]).tolist() == [True, False, True]


def test_leave_one_out_agreement_skips_missing_votes_and_tied_others() -> None:
    # row 1: the four "e" voters agree with the others' majority, the "n" voter does not: 4 of 5
    # row 2: the "x" is no judgement; each voter disagrees with the other three's majority: 0 of 4
    # row 3: without either "n" voter the others tie 1-1-1 (skipped); the "e" and "c" voters miss: 0 of 2
    rows = [["e", "e", "e", "e", "n"], ["e", "e", "c", "c", "x"], ["e", "c", "n", "n", "x"]]
    assert news_agreement.leave_one_out_agreement(rows) == (4, 5 + 4 + 2)


def test_offset_grid_holds_zero_exactly_and_both_ends() -> None:
    grid = calibrate_nli.offset_grid(-1.0, 1.0, 0.05)
    assert len(grid) == 41 and grid[0] == -1.0 and grid[-1] == 1.0 and 0.0 in grid.tolist()


def test_offsets_change_the_argmax_and_the_score_grid_finds_the_prior_shift() -> None:
    # every pair is truly neutral but the model leans slightly to entailment: a neutral offset fixes it
    log_probs = np.log(np.array([[0.40, 0.35, 0.25]] * 10))
    gold = np.ones(10, dtype=int)
    assert calibrate_nli.accuracy_with_offsets(log_probs, gold, np.zeros(3)) == 0.0
    assert calibrate_nli.accuracy_with_offsets(log_probs, gold, np.array([0.0, 0.2, 0.0])) == 1.0
    grid = calibrate_nli.offset_grid(-0.2, 0.2, 0.1)
    scores = calibrate_nli.score_grid({"s": log_probs}, {"s": gold}, {}, grid)
    assert scores.shape == (5, 5)
    assert scores[2, 2] == 0.0 and scores[4, 2] == 1.0 and scores[0, 2] == 0.0


def test_smoothing_prefers_a_plateau_and_ties_go_to_the_smallest_offsets() -> None:
    grid = calibrate_nli.offset_grid(-0.2, 0.2, 0.1)
    spike = np.zeros((5, 5))
    spike[0, 0] = 1.0  # a lone spike at the corner
    spike[2:5, 2:5] = 0.6  # a plateau around and beyond zero
    i, j = calibrate_nli.choose(calibrate_nli.smooth(spike, 1), grid)
    assert (i, j) == (3, 3)  # the plateau's centre, not the spike
    flat = np.ones((5, 5))
    assert calibrate_nli.choose(calibrate_nli.smooth(flat, 1), grid) == (2, 2)  # zero offsets win a tie


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
