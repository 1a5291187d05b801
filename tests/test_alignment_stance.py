"""Claim alignment (verify, link clustering) and stance (fact conflicts, speakers) on real sentences."""

from __future__ import annotations

import numpy as np
import pytest

import claimcmp
from claimcmp.errors import ParameterError
from claimcmp.stages import LinkClusterer, NLIJudge, SameClaimVerifier, SentenceEmbedder, StanceJudge
from claimcmp.stages.conflict import find_conflict
from claimcmp.stages.numbers import quantities

# (a, b, expected kind, the two conflicting spans): real conflicts from cross-outlet coverage
CONFLICTS = [
    ("Pelosi has led House Democrats since 2002.", "Pelosi has led House Democrats since 2003.", "date",
     "2002", "2003"),
    ("The Senate bill passed Tuesday by a wide margin.", "The Senate passed the bill on Wednesday.", "date",
     "Tuesday", "Wednesday"),
    ("He took a 35-word oath of office.", "He recited a 38-word oath.", "number", "35-word", "38-word"),
    ("The winner was Loretta Sanchez, a Democrat.", "Linda Sánchez won the race.", "entity", "Loretta Sanchez",
     "Linda Sánchez"),
    ("The House passed a $1.37 trillion spending package.", "The House approved a $1.5 trillion spending package.",
     "number", "$1.37 trillion", "$1.5 trillion"),
    ("Twelve people were killed in the attack on the market.", "The attack on the market killed 30 people.",
     "number", "Twelve", "30"),
    ("Those modalities are not yet fully agreed upon, Kirby said.",
     "Russia and the US have agreed upon a document on the cessation of hostilities.", "polarity",
     "not yet fully agreed", "agreed"),
    # bounds that leave no common value; a real weekday conflict of one death
    ("At least 63 people were reported killed after the earthquake.",
     "As many as 50 people were killed in the earthquake, reports said.", "number", "63", "50"),
    ("Democratic Congressman Elijah Cummings died early Tuesday, his office announced.",
     "Cummings died early Thursday at Johns Hopkins Hospital.", "date", "Tuesday", "Thursday"),
    ("The mosque shootings killed 50 people and wounded dozens more.",
     "The shootings at two mosques left 49 people dead.", "number", "50", "49"),
]
# compatible pairs: nothing may be flagged (EQUATE NewsNLI style; bounds; breakdowns)
COMPATIBLE = [
    ("At least 12 people were killed in the attack.", "Fifteen people were killed in the attack."),
    ("Five other people were injured, and two of them were in critical condition, officials said.",
     "Two of the wounded are in critical condition."),
    ("The bill passed 52 to 48.", "The bill passed the Senate 52-48 on Tuesday."),
    ("More than 470,000 people have died in the war.", "The war has killed 470,000 people since 2011."),
    ("Kerry met Lavrov in Munich.", "Secretary of State John Kerry met Sergei Lavrov in Munich on Friday."),
    # a rank is not a negation; spelling variants and club names are not two people
    ("Williams defeated Caroline Wozniacki 6-3 6-4.", "World No. 8 Williams defeated Caroline Wozniacki 6-3 6-4."),
    ("Valencia lost 4-1 at Athletico Madrid.", "Valencia were thrashed 4-1 by Atletico Madrid."),
    ("United fell behind Manchester City on Sunday.", "United lost 1-0 to Norwich City on Sunday."),
    # a rounding of the same figure; short forms of one first name; a first name the other sentence uses
    ("The House passed a $1.37 trillion spending package.", "The House approved a $1.4 trillion spending package."),
    ("Michael Flynn pleaded guilty to lying.", "Mike Flynn pleaded guilty to lying to the FBI."),
    ("Mr. Trump added Rudolph W. Giuliani to his legal team.", "Trump's legal team adds Rudy Giuliani."),
    ("Defendants include Rick Gates.", "Defendants include Manafort's partner, Richard Gates."),
    ("'We No Longer Need' Nuclear or Missile Tests, North Korean Leader Says.",
     '"North Korea has agreed to suspend all Nuclear Tests," Trump wrote.'),
    ("The ruling covers drilling in the Atlantic Ocean.", "The ruling covers drilling in the Arctic Ocean."),
    # what a number counts (its role): lost / added, killed / shot, a forecast, an average, a window
    ("The U.S. economy has recovered about half the 22 million jobs lost to the pandemic.",
     "The economy added 1.4 million jobs in August."),
    ("Officers responded to the spa, where four people were killed.", "Five people were shot at the spa."),
    ("Analysts surveyed by Refinitiv were expecting 870,000 jobs gained.",
     "Economists surveyed by Dow Jones had been looking for 845,000 new jobs."),
    ("There were 268,840 cases reported on Wednesday.", "The U.S. has averaged 230,610 cases a day for the past week."),
    ("Employers added 850,000 jobs in June, well above the average of the previous three months.",
     "The economy added 850,000 new jobs in June, after two months of disappointing growth."),
    ("Biden met the goal 58 days into his presidency.", "Biden met the goal in his first 100 days, on the 58th day."),
    # the same figure in other words: a duration, a bound it satisfies, a breakdown, a date's day
    ("Stone was sentenced to three years, four months in prison.", "Stone was sentenced to 40 months in prison."),
    ("Attorneys general from 18 states sued.", "The attorneys general of over a dozen other states sued."),
    ("The United States will send 4 million doses to Canada and Mexico.",
     "The United States will share 2.5 million doses with Mexico and 1.5 million with Canada."),
    ("Neal rebuffed the claim that Treasury would miss the initial April 10 deadline.",
     "Neal set a final April 23 deadline for the IRS."),
    ("Trump declared an emergency for Washington that lasts through Jan. 24.",
     "Trump declared an emergency ahead of the Jan. 20 inauguration."),
    ("There were 3,920 COVID-19 deaths.", "There were 3,920 deaths from Covid-19 on Wednesday."),
    # negation: implicatives, contractions, a directive, a noun
    ("A grand jury declined to indict the officers.", "The grand jury decided not to indict any officers."),
    ("8.5% of gas stations in North Carolina didn't have gasoline.", "8 percent of gas stations were without fuel."),
    ("China raised tariffs in a move to retaliate.",
     "China struck back shortly after Trump warned it not to retaliate."),
    ("He listed Colorado among states where the border wall is being built.",
     "He boasted of a wall in Colorado, a state that does not border Mexico."),
    ("A panel voted against the booster plan.", "A panel rejected a plan to give boosters to most Americans."),
    # spelling variants, relatives, groups
    ("Officer Jeronimo Yanez was acquitted.", "Officer Jeromino Yanez was acquitted on Friday."),
    ("The Johns Hopkins University tally passed three million.", "John Hopkins University data showed 3 million."),
    ("Joaquin Castro tweeted a list of donors.",
     "The congressman, brother to Julián Castro, tweeted a list of donors."),
    ("Congressional Democrats introduced a police reform bill.", "Senate Democrats unveiled a police reform bill."),
    # a past event and a planned one on another day
    ("Roberts blocked Paul on Wednesday from asking the question.",
     "Paul on Thursday will try to force Roberts to read the question."),
    # a weekday naming another event ("Tuesday's election") is not the day of this one
    ("The economy added 250,000 jobs in October, according to Friday's report.",
     "The economy added 250,000 jobs in October on Friday, before Tuesday's election."),
]


@pytest.mark.parametrize(("a", "b", "kind", "span_a", "span_b"), CONFLICTS)
def test_fact_conflicts_are_found_with_their_spans(a: str, b: str, kind: str, span_a: str, span_b: str) -> None:
    c = find_conflict(a, b)
    assert c is not None and c.kind == kind
    assert a[c.span_a[0]:c.span_a[1]] == span_a and b[c.span_b[0]:c.span_b[1]] == span_b
    flipped = find_conflict(b, a)
    assert flipped is not None and b[flipped.span_a[0]:flipped.span_a[1]] == span_b


@pytest.mark.parametrize(("a", "b"), COMPATIBLE)
def test_compatible_statements_raise_no_conflict(a: str, b: str) -> None:
    assert find_conflict(a, b) is None


def test_quantities_know_their_noun() -> None:
    q = quantities("Saudi Arabia will donate $100 million to 4.8 million Syrian refugees, up 12%.")
    assert [(x.value, x.head) for x in q] == [(1e8, "money"), (4.8e6, "syrian"), (12.0, "percent")]
    assert [x.value for x in quantities("He was No. 3 in 2016 on March 3rd.")] == []


@pytest.fixture(scope="module")
def models() -> tuple[SentenceEmbedder, NLIJudge]:
    return SentenceEmbedder(), NLIJudge()


def _nli(nli: NLIJudge, a: list[str], b: list[str]) -> tuple[np.ndarray, np.ndarray]:
    p = nli.judge(a + b, b + a)[["entailment", "neutral", "contradiction"]].to_numpy()
    return p[:len(a)], p[len(a):]


SAME = [  # the same claim, one side adding detail: the examples
    ("Mary Cheney criticized her sister's opposition to same-sex marriage in a Friday Facebook post.",
     "Mary Cheney, the younger sister of Liz Cheney, sharply criticized her sister's stance on same-sex marriage."),
    ("Christie (R) announced he's running for president in 2016.",
     "Gov. Chris Christie declared an uphill candidacy for president on Tuesday."),
    ("Twelve people were killed in the attack on the market.", "The attack on the market killed 30 people."),
]
DIFFERENT = [  # one event, different facts
    ("Perry is a Methodist.", "The Perry campaign did not say where the ad would run."),
    ("The vote passed 52 to 48 in the Senate.", "The bill now goes to the House, where its fate is unclear."),
]


def test_verifier_links_same_claims_and_not_different_facts(models: tuple[SentenceEmbedder, NLIJudge]) -> None:
    emb, nli = models
    pairs = SAME + DIFFERENT
    a, b = [p[0] for p in pairs], [p[1] for p in pairs]
    cos = np.einsum("ij,ij->i", emb.embed(a), emb.embed(b))
    ab, ba = _nli(nli, a, b)
    prob = SameClaimVerifier().verify(a, b, cos, ab, ba)
    assert (prob[:len(SAME)] > prob[len(SAME):].max()).all(), prob
    v = SameClaimVerifier()
    assert (prob[:len(SAME)] >= v.threshold).sum() >= 2 and (prob[len(SAME):] < v.threshold).all(), prob
    assert SameClaimVerifier().verify(["Same text."], ["same  text."], np.array([0.2]), ab[:1], ba[:1])[0] == 1.0
    with pytest.raises(ParameterError):
        SameClaimVerifier(threshold=1.5).verify(a, b, cos, ab, ba)
    with pytest.raises(ParameterError):
        SameClaimVerifier(weights={"bogus": 1.0}).verify(a, b, cos, ab, ba)


def test_stance_contradict_disputed_partial(models: tuple[SentenceEmbedder, NLIJudge]) -> None:
    _, nli = models
    pairs = [
        ("Twelve people were killed in the attack on the market.", "The attack on the market killed 30 people."),
        ('Schumer called the offer "one-sided and ineffective."',
         'McConnell said the offer "strikes a fair compromise" and is not one-sided.'),
        ("Mary Cheney criticized her sister's opposition to same-sex marriage.",
         "Mary Cheney, the younger sister of Liz Cheney, sharply criticized her sister's stance on same-sex "
         "marriage in a Facebook post."),
        ("The rebels reportedly agreed to the truce.", "The rebels agreed to the truce."),
    ]
    a, b = [p[0] for p in pairs], [p[1] for p in pairs]
    ab, ba = _nli(nli, a, b)
    j = StanceJudge().judge(a, b, ab, ba, [True] * len(pairs))
    assert (j[0].stance, j[0].conflict_kind) == ("contradict", "number")
    assert a[0][j[0].span_a[0]:j[0].span_a[1]] == "Twelve"  # type: ignore[index]
    assert j[1].stance == "disputed" and j[1].speaker_a == "Schumer" and j[1].speaker_b == "McConnell"
    assert j[2].stance in ("partial", "agree") and j[2].conflict_kind is None
    assert (j[3].certainty_a, j[3].certainty_b) == ("hedged", "asserted")
    assert StanceJudge().judge(a[:1], b[:1], ab[:1], ba[:1], [False])[0].stance == "unrelated"


def test_link_clustering_does_not_chain_through_a_hub() -> None:
    # a ~ hub ~ c, but a and c are unlike each other (cosine below the floor)
    emb = np.array([[1.0, 0.0, 0.0], [0.7, 0.7, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]], dtype=np.float32)
    emb /= np.linalg.norm(emb, axis=1, keepdims=True)
    links = [(0, 1, 0.9), (1, 2, 0.9), (2, 3, 0.1)]
    labels = LinkClusterer(threshold=0.5, floor=0.45).cluster(emb, links, ["a", "hub", "c", "d"])
    assert labels[0] != labels[2], "a hub must not chain two unlike sentences"
    assert labels[1] in (labels[0], labels[2]) and len(set(labels)) == 3
    # with a and c alike (cosine above the floor, unjudged = unknown) the three form one claim
    emb2 = np.array([[1.0, 0.1, 0.0], [1.0, 0.0, 0.0], [1.0, -0.1, 0.0], [0.0, 0.0, 1.0]], dtype=np.float32)
    emb2 /= np.linalg.norm(emb2, axis=1, keepdims=True)
    labels2 = LinkClusterer(threshold=0.5).cluster(emb2, links, ["a", "hub", "c", "d"])
    assert labels2[0] == labels2[1] == labels2[2] != labels2[3]


def test_identical_sentence_in_hundreds_of_outlets_is_one_claim() -> None:
    n = 300
    rng = np.random.default_rng(0)
    emb = rng.normal(size=(2 * n, 16)).astype(np.float32)
    emb[:n] = emb[0]
    emb /= np.linalg.norm(emb, axis=1, keepdims=True)
    texts = ["Assad said he was ready for a ceasefire."] * n + [f"Unrelated sentence number {i}." for i in range(n)]
    labels = LinkClusterer().cluster(emb, [(i, i + 1, 1.0) for i in range(0, n - 1, 7)], texts)
    assert len(set(labels[:n])) == 1 and labels[0] == 0
    assert len(set(labels[n:])) == n and labels[0] not in set(labels[n:])


def test_link_clustering_is_order_independent_and_validated() -> None:
    rng = np.random.default_rng(5)
    emb = rng.normal(size=(40, 8)).astype(np.float32)
    emb /= np.linalg.norm(emb, axis=1, keepdims=True)
    links = [(int(i), int(j), float(s)) for i, j, s in zip(rng.integers(0, 40, 80), rng.integers(0, 40, 80),
                                                          rng.random(80)) if i != j]
    texts = [f"s{i}" for i in range(40)]
    a = LinkClusterer().cluster(emb, links, texts)
    b = LinkClusterer().cluster(emb, list(reversed(links)), texts)
    assert (a == b).all()
    with pytest.raises(ParameterError):
        LinkClusterer(threshold=-0.1).cluster(emb, links, texts)
    assert LinkClusterer().cluster(np.zeros((0, 8), dtype=np.float32), [], []).shape == (0,)


def test_days_of_two_statements_do_not_conflict() -> None:
    a = "Assad told Russian President Vladimir Putin on Wednesday that his government was ready for a ceasefire."
    b = "Assad said Saturday that he was ready for a ceasefire."
    assert find_conflict(a, b) is None


def test_reclustering_drops_merges_that_the_judged_pairs_do_not_bear_out(
        seeds: list[claimcmp.Article], seeds_comparison: claimcmp.Comparison) -> None:
    def weak_claims(c: claimcmp.Comparison) -> set[int]:
        inside = c.pairs[c.pairs["same_claim"]]
        means = inside.groupby("claim_id_a")["same_claim_prob"].mean()
        return {int(k) for k, v in means.items() if v < 0.5}

    base = seeds_comparison
    # by default a merge may rest on pairs nobody judged before clustering: on the seeds one claim's
    # judged pairs average under the threshold once its completion pairs are in
    assert weak_claims(base) and (~base.pairs["retrieved"]).any()
    rc = claimcmp.compare(seeds, show_progress=False, clusterer=LinkClusterer(rounds=3))
    assert not weak_claims(rc)
    assert len(rc.claims) >= len(base.claims)
    with pytest.raises(ParameterError):
        LinkClusterer(rounds=-1).cluster(np.zeros((1, 2), dtype=np.float32), [], ["x"])
