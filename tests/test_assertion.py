"""Assertion mode: a golden table of hand-written news sentences, known failures as strict xfail."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from factcheck import Checker, Document
from factcheck.assertion import AssertionRules, assertion_mode, cue_pattern
from factcheck.embedding import HashingEmbedder
from factcheck.errors import ConfigError
from factcheck.records import AssertionMode, Claim

A, H, T, D, Q, U = (
    AssertionMode.ASSERTED,
    AssertionMode.HEDGED,
    AssertionMode.ATTRIBUTED,
    AssertionMode.DENIED,
    AssertionMode.QUESTION,
    AssertionMode.QUOTED,
)

GOLDEN = [
    ("The council approved the new budget on Thursday.", A),
    ("Three people were injured when the roof collapsed.", A),
    ("The ferry will leave at noon in May.", A),
    ("Shares fell 4 percent after the results were announced.", A),
    ("The storm may reach the coast by Friday.", H),
    ("The singer reportedly cancelled the rest of her tour.", H),
    ("The suspect allegedly fled across the border.", H),
    ("The drug is believed to have caused the outbreak.", H),
    ("Two firms are said to be in talks over a merger.", H),
    ("Tech Giant May Buy Game Studio", H),
    ("Rebels could have used chemical weapons, the envoy said.", H),
    ("Police said the driver had been drinking.", T),
    ("According to the ministry, 40 schools were closed.", T),
    ("The mayor told reporters that the bridge would reopen.", T),
    ("The fire started in the kitchen, witnesses said.", T),
    ("Company to cut 2,000 jobs: report", T),
    ("The hospital denied that any patient had been turned away.", D),
    ("Officials dismissed the rumours as baseless.", D),
    ("The photo is fake, the agency said.", D),
    ("No, the river did not turn red overnight.", D),
    ("A spokesman said the report was not true.", D),
    ("Did the minister lie to parliament?", Q),
    ("Is this the oldest tree in the world?", Q),
    ('"We will rebuild every house," the governor said.', U),
    ("“The water is safe to drink,” the utility said.", U),
    ("The spokesman did not deny that talks had taken place.", T),
    ("The results will be announced on Monday.", A),
    # Known failures of today's rules: visible, and they must keep failing until fixed.
    pytest.param(
        "Scientists are unsure whether the comet will survive.",
        H,
        marks=pytest.mark.xfail(strict=True, reason="'unsure whether' is not a hedge cue"),
    ),
    pytest.param(
        "The claim that the tower is leaning has no basis.",
        D,
        marks=pytest.mark.xfail(strict=True, reason="'has no basis' is not a denial cue"),
    ),
    ("Hairgate: phone users complain of pulled hair", A),
]


@pytest.mark.parametrize(("text", "mode"), GOLDEN)
def test_golden(text: str, mode: AssertionMode) -> None:
    assert assertion_mode(text) is mode


def test_claims_carry_their_mode_into_the_report() -> None:
    doc = Document(id="a", text="The dam reportedly burst. The council denied that it burst.")
    report = Checker(embedder=HashingEmbedder()).check([doc])
    assert [c.mode for c in report.claims] == [H, D]
    assert [c["mode"] for c in report.to_dict()["claims"]] == ["hedged", "denied"]


def test_claim_mode_defaults_to_asserted_and_is_validated() -> None:
    claim = Claim(id="a:0", document="a", sentence=0, start=0, end=3, text="Yes")
    assert claim.mode is A
    with pytest.raises(ValueError, match="mode"):
        Claim(id="a:0", document="a", sentence=0, start=0, end=3, text="Yes", mode="hedged")  # type: ignore[arg-type]


def test_rules_from_a_dict_of_ones_own() -> None:
    data = json.loads(
        __import__("importlib.resources", fromlist=["files"])
        .files("factcheck")
        .joinpath("resources", "en", "assertion.json")
        .read_text(encoding="utf-8")
    )
    data["hedged"]["words"].append("surely")
    rules = AssertionRules.from_dict(data)
    assert rules.mode("The bridge will surely hold.") is H
    assert AssertionRules.load("en").mode("The bridge will surely hold.") is A


def test_bad_cue_files_are_refused_clearly() -> None:
    with pytest.raises(ConfigError, match="min_share"):
        AssertionRules.from_dict({"quoted": {"min_share": 2}})
    with pytest.raises(ConfigError, match=r"hedged\.words"):
        AssertionRules.from_dict(
            {
                "quoted": {"min_share": 0.5},
                "attributed": {"phrases": [], "verbs": []},
                "denied": {"verbs": [], "phrases": [], "negators": [], "openers": []},
                "hedged": {},
            }
        )
    with pytest.raises(ConfigError, match="language"):
        AssertionRules.load("../x")
    with pytest.raises(ConfigError, match="no assertion cues"):
        AssertionRules.load("zz")


def test_cue_pattern_matches_whole_words_only() -> None:
    pattern = cue_pattern(["may", "not true"])
    assert pattern is not None
    assert [m.group() for m in pattern.finditer("Mayor: it may be NOT  true")] == [
        "may",
        "NOT  true",
    ]
    assert cue_pattern([]) is None


@given(st.text(max_size=200))
def test_any_text_gets_a_mode(text: str) -> None:
    assert isinstance(assertion_mode(text), AssertionMode)
