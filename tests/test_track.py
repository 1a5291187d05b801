"""claimcmp.track with the real models: stances on real and constructed news text, input errors, the CLI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import claimcmp
from benchmarks.common import Section
from benchmarks.track import LEAD_CLAIMS, _score
from claimcmp.errors import ClaimsError, EmptyTextError, NoArticlesError, ParameterError, TextTypeError
from claimcmp.report.track import render_track
from claimcmp.schema import TRACK_STANCES, TRACK_TABLES
from claimcmp.track import Tracker

ROOT = Path(__file__).resolve().parents[1]
CLAIM = "The port will stay closed until Friday."
STORM = "A storm hit the coast on Monday night. "
PORT = [
    ("Metro Daily", STORM + "The port will stay closed until Friday. Schools reopened on Tuesday.", "support"),
    ("Bay News", STORM + "Officials said the port will stay closed until Friday.", "report"),
    ("Sea Times", STORM + "The port will reportedly stay closed until Friday.", "report"),
    ("Town Crier", STORM + "Will the port stay closed until Friday?", "report"),
    ("Harbour Post", STORM + "The port authority denied reports that the port will stay closed until Friday.", "deny"),
    ("Wave FM", STORM + "The port will not stay closed until Friday; it reopened on Tuesday.", "deny"),
    ("Farm Weekly", "Wheat prices rose sharply this week. Farmers expect a good harvest in the autumn.", "absent"),
]


@pytest.fixture(scope="module")
def seeds_track() -> pd.DataFrame:
    return claimcmp.track(LEAD_CLAIMS, claimcmp.load_seeds())


@pytest.fixture(scope="module")
def port_track() -> pd.DataFrame:
    return claimcmp.track([CLAIM, "Two people were killed in the storm."],
                          [{"article_id": o, "outlet": o, "text": t, "date": "2026-03-0" + str(i + 1)}
                           for i, (o, t, _) in enumerate(PORT)])


def stance(df: pd.DataFrame, claim_id: int, outlet: str) -> str:
    row = df[(df["claim_id"] == claim_id) & (df["outlet"] == outlet)]
    assert len(row) == 1, row
    return str(row["stance"].iat[0])


def test_columns_dtypes_and_offsets(seeds_track: pd.DataFrame) -> None:
    cols = TRACK_TABLES["track"]
    assert list(seeds_track.columns) == list(cols)
    for c, (dtype, _) in cols.items():
        assert str(seeds_track[c].dtype) == dtype, c
    assert len(seeds_track) == len(LEAD_CLAIMS) * 5
    assert set(seeds_track["stance"].astype(str)) <= set(TRACK_STANCES)
    texts = {a.article_id: a.text for a in claimcmp.load_seeds()}
    for aid, s, e, sent in zip(seeds_track["article_id"], seeds_track["char_start"], seeds_track["char_end"],
                               seeds_track["sentence"]):
        assert texts[aid][s:e] == sent
    matched = seeds_track[seeds_track["stance"] != "absent"]
    assert (matched["n_matches"] >= 1).all() and matched["sentence_ids"].notna().all()
    # a match is the same claim (P >= the verifier's threshold) or a sentence that entails the claim
    assert ((matched["same_claim_prob"] >= 0.5) | (matched["p_entail"] >= 0.5)).all()
    first = matched["sentence_ids"].str.split("; ").str[0]
    assert (first == matched["sentence_id"]).all()
    assert seeds_track["sentence_ids"][seeds_track["stance"] == "absent"].isna().all()


def test_seed_lead_claims_as_a_reader_marks_them(seeds_track: pd.DataFrame) -> None:
    # Assad's readiness is carried by RT, IANS and Press TV as his words; SANA does not mention it
    for outlet in ("RT", "IANS", "Press TV"):
        assert stance(seeds_track, 0, outlet) == "report", outlet
        row = seeds_track[(seeds_track["claim_id"] == 0) & (seeds_track["outlet"] == outlet)].iloc[0]
        assert "Assad" in str(row["speaker"])
    assert stance(seeds_track, 0, "SANA") == "absent"
    # Reuters: the Kremlin's and the Syrian presidency's account of the Assad-Putin call
    assert stance(seeds_track, 0, "Reuters") == "report"
    # IANS states the talks in its own voice
    assert stance(seeds_track, 1, "IANS") == "support"
    # Reuters attributes the Assad-Putin call to the Kremlin; Press TV the provisional deal to Kerry
    assert stance(seeds_track, 2, "Reuters") == "report"
    assert stance(seeds_track, 3, "Press TV") == "report"
    # SANA's lead is Lavrov's; no other outlet carries it
    assert stance(seeds_track, 4, "SANA") == "report"
    assert [stance(seeds_track, 4, o) for o in ("RT", "IANS", "Reuters", "Press TV")] == ["absent"] * 4


def test_long_sentence_that_entails_a_short_claim_is_matched() -> None:
    # Reuters: "Syrian President Bashar al-Assad told Russian President Vladimir Putin on Wednesday that his
    # government was ready to assist in implementing a ceasefire in Syria, the Kremlin and the Syrian presidency
    # said." The verifier calls it not the same claim as the short one (P under 0.5); the NLI model says it
    # entails it, so it matches, and the attribution makes it a report.
    reuters = [a for a in claimcmp.load_seeds() if a.outlet == "Reuters"]
    claim = LEAD_CLAIMS[0]
    df = claimcmp.track([claim], reuters)
    row = df.iloc[0]
    assert row["stance"] == "report" and row["p_entail"] >= 0.5 and row["same_claim_prob"] < 0.5
    assert "Putin" in str(row["sentence"]) and "Kremlin" in str(row["speaker"])
    assert df.attrs["meta"]["params"]["match_entail"] == 0.5
    off = claimcmp.track([claim], reuters, match_entail=None)
    assert off["stance"].iat[0] == "absent" and off["sentence_id"].iat[0] == row["sentence_id"]
    assert Tracker().get_params()["match_entail"] == 0.5


def test_port_stances(port_track: pd.DataFrame) -> None:
    for outlet, _, expected in PORT:
        assert stance(port_track, 0, outlet) == expected, outlet
    row = port_track[(port_track["claim_id"] == 0) & (port_track["outlet"] == "Sea Times")].iloc[0]
    assert row["certainty"] == "hedged" and row["mode"] == "own_voice"
    assert port_track.loc[port_track["outlet"] == "Bay News", "speaker"].iloc[0] == "Officials"
    assert (port_track[port_track["claim_id"] == 1]["stance"] == "absent").all()
    assert port_track["date"].notna().all()


def test_claims_as_dataframe_keep_their_ids() -> None:
    claims = pd.DataFrame({"claim_id": [20, 10], "text": ["Schools reopened on Tuesday.", CLAIM]})
    df = claimcmp.track(claims, [{"outlet": o, "text": t} for o, t, _ in PORT[:2]], k=1)
    assert sorted(set(df["claim_id"])) == [10, 20]
    assert stance(df, 20, "Metro Daily") == "support"
    assert stance(df, 20, "Bay News") == "absent"
    assert df.attrs["meta"]["judged_pairs"] <= 2 * 2 * 1


def test_long_article_retrieves_the_sentence() -> None:
    filler = " ".join(f"Market stall number {i} sold {i + 3} baskets of apples on the square." for i in range(60))
    text = filler + " The port will stay closed until Friday. " + filler
    df = claimcmp.track([CLAIM], [{"outlet": "Long Read", "text": text}], k=2)
    assert df["stance"].iat[0] == "support"
    assert text[df["char_start"].iat[0]:df["char_end"].iat[0]] == CLAIM
    assert df.attrs["meta"]["judged_pairs"] <= 2


def test_bad_articles_raise_or_are_listed() -> None:
    arts = [{"outlet": "Metro Daily", "text": PORT[0][1]}, {"outlet": "Empty", "text": "   "}]
    with pytest.raises(EmptyTextError):
        claimcmp.track([CLAIM], arts)
    df = claimcmp.track([CLAIM], arts, on_bad_article="skip")
    assert list(df["outlet"]) == ["Metro Daily"]
    assert len(df.attrs["skipped"]) == 1 and df.attrs["skipped"][0]["position"] == 1
    with pytest.raises(NoArticlesError):
        claimcmp.track([CLAIM], arts[1:], on_bad_article="skip")


@pytest.mark.parametrize("claims, error", [
    (None, ClaimsError), ([], ClaimsError), ("one claim", TextTypeError), ([3], TextTypeError),
    (["ok", "  "], EmptyTextError), (pd.DataFrame({"text": ["a"]}), ClaimsError),
    (pd.DataFrame({"claim_id": [1, 1], "text": ["a", "b"]}), ClaimsError),
    (pd.DataFrame({"claim_id": ["x"], "text": ["a"]}), ClaimsError), (42, TextTypeError),
])
def test_bad_claims_raise_typed_errors(claims: object, error: type[Exception]) -> None:
    with pytest.raises(error):
        claimcmp.track(claims, [{"outlet": "A", "text": "The port is closed."}])


@pytest.mark.parametrize("kwargs", [{"k": 0}, {"k": 1.5}, {"threshold": 2.0}, {"floor": "x"}, {"entail": -1},
                                    {"match_entail": 1.5}, {"match_entail": "0.5"}, {"match_entail": True},
                                    {"on_bad_article": "ignore"}, {"clusterer": None}])
def test_bad_options_raise_parameter_error(kwargs: dict[str, object]) -> None:
    with pytest.raises(ParameterError):
        claimcmp.track([CLAIM], [{"outlet": "A", "text": "The port is closed."}], **kwargs)


HOSTILE = '<script>alert("x")</script>'


def test_report_escapes_claims_outlets_and_text(port_track: pd.DataFrame) -> None:
    df = port_track.copy()
    df["claim_text"] = df["claim_text"].astype(str) + HOSTILE
    df["outlet"] = df["outlet"].astype(str) + HOSTILE
    df["sentence"] = df["sentence"].astype(str) + HOSTILE
    page = render_track(df, [{"article_id": HOSTILE, "position": 0, "message": HOSTILE}], {"note": HOSTILE})
    assert "<script" not in page.lower()
    assert "&lt;script&gt;" in page
    assert "script-src" not in page and "default-src 'none'" in page


def test_cli_track_subprocess(tmp_path: Path) -> None:
    claims = tmp_path / "claims.txt"
    claims.write_text(f"# claims\n{CLAIM}\n\nThe <script>alert(1)</script> storm killed two people.\n",
                      encoding="utf-8")
    arts = tmp_path / "articles.csv"
    pd.DataFrame([{"outlet": o, "text": t} for o, t, _ in PORT[:2]]
                 + [{"outlet": f"Evil {HOSTILE}", "text": f"The port will stay closed until Friday. {HOSTILE}"},
                    {"outlet": "Blank", "text": ""}]).to_csv(arts, index=False)
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    res = subprocess.run([sys.executable, "-m", "claimcmp", "track", "--claims", str(claims), str(arts),
                          "--out", str(out), "--format", "csv", "--quiet"], capture_output=True, text=True,
                         env=env, timeout=600, check=False)
    assert res.returncode == 0, res.stderr
    table = pd.read_csv(out / "track.csv")
    assert len(table) == 2 * 3 and set(table["claim_id"]) == {0, 1}
    assert table.loc[(table["claim_id"] == 0) & (table["outlet"] == "Metro Daily"), "stance"].iat[0] == "support"
    assert len(pd.read_csv(out / "skipped.csv")) == 1
    assert "skipped" in res.stderr
    page = (out / "track.html").read_text(encoding="utf-8")
    assert "<script" not in page.lower() and "&lt;script&gt;" in page
    assert (out / "meta.json").is_file() and not (out / "track.parquet").exists()

    empty = tmp_path / "empty.txt"
    empty.write_text("# nothing\n", encoding="utf-8")
    res = subprocess.run([sys.executable, "-m", "claimcmp", "track", "--claims", str(empty), str(arts),
                          "--out", str(out)], capture_output=True, text=True, env=env, timeout=600, check=False)
    assert res.returncode == 2 and "CC110" in res.stderr
    res = subprocess.run([sys.executable, "-m", "claimcmp", "track", "--claims", str(tmp_path / "missing.txt"),
                          str(arts), "--out", str(out)], capture_output=True, text=True, env=env, timeout=600,
                         check=False)
    assert res.returncode == 3 and res.stderr.startswith("claimcmp: error: ")


def test_claimdiff_scoring_counts_report_as_right_only_under_the_issue_mapping() -> None:
    sec = Section("track", "t")
    got = _score(sec, "x", ["strengthen", "weaken", "neither", "neither"], ["report", "deny", "absent", "support"],
                 1.0)
    assert got["lenient"] == 0.75 and got["strict"] == 0.5
    assert got["confusion"]["neither|support"] == 1 and sum(got["confusion"].values()) == 4
    assert any("| strengthen | 0 | 0 | 1 | 0 | 1 |" in block for block in sec.markdown)
