"""The judge: a golden table of real-sentence pairs, gates, symmetry, calibration."""

from __future__ import annotations

import datetime as dt
import difflib
import gc
import json
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factcheck.errors import ConfigError
from factcheck.judging import (
    _VIEWS,
    EVIDENCE_KIND,
    FEATURES,
    Calibration,
    RuleJudge,
    Slot,
    TimeRelation,
    _Alignment,
    _View,
    _view,
    compare,
    time_relation,
)
from factcheck.pipeline import Checker
from factcheck.records import Claim, Document, Label


def _claim(doc_id: str, text: str) -> Claim:
    claims, _ = Checker().claims_of(Document(id=doc_id, text=text))
    assert len(claims) == 1, [c.text for c in claims]
    return claims[0]


def _kind(slot: Slot) -> str:
    return EVIDENCE_KIND[slot].value


# (text a, text b, cosine, expected label or None, expected evidence slots).
# Cosines are those of all-MiniLM-L6-v2 for the two sentences (rounded).
CASES = [
    pytest.param(
        "At least 63,500 Israelis were evacuated from the north on Oct. 8, 2023.",
        "Some 12,000 Israelis were evacuated from the north on Oct. 8, 2023.",
        0.96,
        Label.CONTRADICT,
        {Slot.NUMBER},
        id="number-intervals-disjoint",
    ),
    pytest.param(
        "At least 63,500 Israelis were evacuated from the north.",
        "At least 60,000 Israelis were evacuated from the north.",
        0.98,
        Label.AGREE,
        {Slot.NUMBER},
        id="number-intervals-overlap-agree",
    ),
    pytest.param(
        "The Biden administration was informed about the plan to kill Nasrallah.",
        "The Biden administration wasn't informed about the plan to kill Nasrallah.",
        0.78,
        Label.CONTRADICT,
        {Slot.POLARITY},
        id="polarity-negation",
    ),
    pytest.param(
        "Israel agreed to the ceasefire proposal on Nov. 26, 2024.",
        "Israel disagreed with the ceasefire proposal on Nov. 26, 2024.",
        0.85,
        Label.CONTRADICT,
        {Slot.POLARITY},
        id="polarity-antonym",
    ),
    pytest.param(
        "Most of the missiles were intercepted by Israel and the United States.",
        "None of the missiles were intercepted by Israel and the United States.",
        0.74,
        Label.CONTRADICT,
        {Slot.QUANTIFIER},
        id="quantifier",
    ),
    pytest.param(
        "Austin met Gallant in Tel Aviv on Dec. 18, 2023.",
        "Austin met Gallant in Jerusalem on Dec. 18, 2023.",
        0.93,
        Label.CONTRADICT,
        {Slot.PLACE},
        id="place",
    ),
    pytest.param(
        "U.S. Defense Secretary Lloyd Austin arrived in Israel on Dec. 18, 2023.",
        "U.S. Defense Secretary Antony Blinken arrived in Israel on Dec. 18, 2023.",
        0.67,
        Label.CONTRADICT,
        {Slot.ROLE},
        id="role-another-holder",
    ),
    pytest.param(
        "Gallant briefed Austin on the operation on Dec. 18, 2023.",
        "Austin briefed Gallant on the operation on Dec. 18, 2023.",
        0.98,
        Label.CONTRADICT,
        {Slot.ACTOR},
        id="actor-reversed",
    ),
    pytest.param(
        "Austin met Gallant in Tel Aviv on Dec. 18, 2023.",
        "Austin met Gallant in Tel Aviv on April 2, 2024.",
        0.97,
        None,
        set(),
        id="different-dates-are-different-events",
    ),
    pytest.param(
        "Austin met Gallant in Tel Aviv on Dec. 18, 2023.",
        "Austin met Gallant in Tel Aviv on Dec. 19, 2023.",
        1.00,
        Label.CONTRADICT,
        {Slot.DATE},
        id="one-event-misdated",
    ),
    pytest.param(
        "Hamas invaded Israel on Oct. 7, 2023, and sparked a regional war.",
        "Hamas terrorists in Gaza launched their war against Israel on October 7, 2023.",
        0.82,
        Label.AGREE,
        {Slot.DATE, Slot.ENTITY},
        id="shared-date-and-actor-agree",
    ),
    pytest.param(
        "Hamas attacked Israel on Oct. 7, 2023.",
        "Hamas attacked Israel on 7 October 2023.",
        0.98,
        Label.AGREE,
        {Slot.DATE},
        id="date-formats-agree",
    ),
    pytest.param(
        "Gallant planned to travel to the U.S. for talks but postponed his trip.",
        "Gallant had planned to travel to the U.S. for talks but put the trip off.",
        0.89,
        Label.AGREE,
        {Slot.ENTITY},
        id="paraphrase-agrees",
    ),
    pytest.param(
        "Israel reportedly killed Nasrallah in Beirut on Sept. 27, 2024.",
        "Israel killed Nasrallah in Beirut on Sept. 27, 2024.",
        0.98,
        Label.AGREE,
        {Slot.DATE, Slot.PLACE},
        id="hedged-report-still-agrees",
    ),
    pytest.param(
        "Israel informed the United States before the strike on Beirut.",
        "Officials declined to say whether Israel informed the United States before the strike.",
        0.73,
        None,
        set(),
        id="declined-to-say-is-neither",
    ),
    pytest.param(
        "Tehran launched roughly 180 missiles into Israel last week.",
        "Iran launched more than 300 armed drones and cruise and ballistic missiles toward Israel.",
        0.78,
        None,
        set(),
        # Formerly a strict xfail (they agreed): "Tehran" is now the city, not a
        # second name of the country, so the two no longer look like one report.
        id="look-alike-attacks-without-dates",
    ),
    pytest.param(
        "Austin spoke with Gallant on Thursday evening.",
        "Austin met Gallant in Tel Aviv on Dec. 18, 2023.",
        0.70,
        None,
        set(),
        id="a-call-and-a-meeting-without-dates",
    ),
]


@pytest.mark.parametrize(("a", "b", "cosine", "label", "slots"), CASES)
def test_golden_pairs(a: str, b: str, cosine: float, label: Label | None, slots: set[Slot]) -> None:
    relation = RuleJudge().judge(_claim("a", a), _claim("b", b), similarity=cosine)
    if label is None:
        assert relation is None
        return
    assert relation is not None
    assert relation.label is label
    kinds = {e.kind.value for e in relation.evidence if e.same is (label is Label.AGREE)}
    assert {_kind(s) for s in slots} <= kinds
    assert RuleJudge().min_agree <= relation.score <= 1.0 or label is Label.CONTRADICT
    assert 0.0 < relation.score <= 1.0


def _mirrors(judge: RuleJudge, a: Claim, b: Claim, cosine: float) -> None:
    one = judge.judge(a, b, similarity=cosine)
    two = judge.judge(b, a, similarity=cosine)
    assert (one is None) == (two is None)
    if one is not None and two is not None:
        assert one.label is two.label
        assert one.score == two.score
        assert [(e.kind, e.a, e.b, e.a_span, e.b_span, e.same) for e in one.evidence] == [
            (e.kind, e.b, e.a, e.b_span, e.a_span, e.same) for e in two.evidence
        ]


@pytest.mark.parametrize(
    ("a", "b", "cosine", "label", "slots"), [pytest.param(*c.values, id=c.id) for c in CASES]
)
def test_the_judge_is_symmetric(a: str, b: str, cosine: float, label, slots) -> None:
    _mirrors(RuleJudge(), _claim("a", a), _claim("b", b), cosine)


SENTENCES = sorted({text for case in CASES for text in case.values[:2]})


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from(SENTENCES),
    st.sampled_from(SENTENCES),
    st.floats(min_value=-1.0, max_value=1.0, allow_nan=False),
)
def test_symmetry_holds_for_any_pair_and_cosine(x: str, y: str, cosine: float) -> None:
    _mirrors(RuleJudge(), _claim("a", x), _claim("b", y), cosine)


def test_every_contradiction_is_explained_with_spans_into_the_documents() -> None:
    judge = RuleJudge()
    for case in CASES:
        text_a, text_b, cosine, label, _ = case.values
        relation = judge.judge(_claim("a", text_a), _claim("b", text_b), similarity=cosine)
        if relation is None:
            continue
        assert relation.evidence
        if label is Label.CONTRADICT:
            assert any(not e.same for e in relation.evidence)
        for e in relation.evidence:
            if e.a_span is not None:
                assert text_a[slice(*e.a_span)] == e.a
            if e.b_span is not None:
                assert text_b[slice(*e.b_span)] == e.b


def test_number_evidence_names_both_values() -> None:
    a = _claim("a", "At least 63,500 Israelis were evacuated on Oct. 8, 2023.")
    b = _claim("b", "Some 12,000 Israelis were evacuated on Oct. 8, 2023.")
    relation = RuleJudge().judge(a, b, similarity=0.9)
    assert relation is not None
    number = next(e for e in relation.evidence if e.kind.value == "number")
    assert (number.a, number.b, number.same) == (
        "At least 63,500 Israelis",
        "Some 12,000 Israelis",
        False,
    )


def test_a_count_given_on_both_sides_is_not_in_conflict() -> None:
    a = _claim("a", "Israel said 5 soldiers were killed and 12 soldiers were wounded.")
    b = _claim("b", "Israel said 12 soldiers were wounded.")
    comparison = compare(a, b, similarity=0.9)
    assert not [f for f in comparison.conflicts if f.slot is Slot.NUMBER]


def _dated(doc_id: str, text: str, published: tuple[int, int, int]) -> Claim:
    claims, _ = Checker().claims_of(Document(id=doc_id, text=text, published=_day(*published)))
    return claims[0]


def test_look_alike_attacks_of_different_weeks_get_no_relation() -> None:
    # The seeds' two Iranian attacks, each dated against its article's publication date.
    a = _dated("a", "Tehran launched roughly 180 missiles into Israel last week.", (2024, 10, 10))
    b = _dated(
        "b",
        "Iran launched more than 300 armed drones and cruise and ballistic missiles toward "
        "Israel Saturday night and into Sunday.",
        (2024, 4, 15),
    )
    assert RuleJudge().judge(a, b, similarity=0.78) is None
    assert compare(a, b, similarity=0.78).gate.value == "two events"


def test_a_call_and_a_meeting_months_apart_get_no_relation() -> None:
    a = _dated("a", "Austin spoke with Gallant on Thursday evening.", (2024, 10, 11))
    b = _dated("b", "Austin met Gallant in Tel Aviv on Dec. 18, 2023.", (2023, 12, 19))
    assert RuleJudge().judge(a, b, similarity=0.70) is None


def test_relative_dates_on_different_days_are_two_events() -> None:
    # Two phone calls of one week, each dated against its article's publication date.
    a = _dated("a", "Austin spoke with Gallant on Monday.", (2024, 10, 10))
    b = _dated("b", "Austin spoke with Gallant on Thursday.", (2024, 10, 10))
    assert RuleJudge().judge(a, b, similarity=0.97) is None


def _day(y: int, m: int, d: int) -> dt.date:
    return dt.date(y, m, d)


def test_time_relation() -> None:
    a = _claim("a", "Talks were held on Dec. 18, 2023.")
    b = _claim("b", "Talks were held on 18 December 2023.")
    c = _claim("c", "Talks were held on Jan. 3, 2024.")
    d = _claim("d", "Talks were held on Thursday.")
    assert time_relation(a, b)[0] is TimeRelation.SAME
    assert time_relation(a, c)[0] is TimeRelation.DIFFERENT
    assert time_relation(a, d)[0] is TimeRelation.UNKNOWN


def test_claims_of_one_document_are_not_judged() -> None:
    a = _claim("a", "Talks were held on Dec. 18, 2023.")
    with pytest.raises(ConfigError, match="one document"):
        RuleJudge().judge(a, a, similarity=1.0)


@pytest.mark.parametrize(
    "setting",
    [{"min_contradict": 1.5}, {"min_agree": -0.1}, {"date_conflict": 2.0}, {"paraphrase": -3.0}],
)
def test_thresholds_are_validated(setting: dict[str, float]) -> None:
    with pytest.raises(ConfigError, match=next(iter(setting))):
        RuleJudge(**setting)  # type: ignore[arg-type]


# ---------------------------------------------------------------------------
# Calibration

CALIBRATION = Path(__file__).resolve().parents[1] / "factcheck" / "calibration.json"


def test_the_bundled_calibration_is_plain_json_that_matches_the_features() -> None:
    data = json.loads(CALIBRATION.read_text(encoding="utf-8"))
    assert data["features"] == list(FEATURES)
    calibration = Calibration.default()
    assert len(calibration.contradict.coef) == len(FEATURES) == len(calibration.agree.coef)


def test_the_judge_defaults_are_the_fitted_thresholds() -> None:
    thresholds = json.loads(CALIBRATION.read_text(encoding="utf-8"))["thresholds"]
    judge = RuleJudge()
    assert judge.min_contradict == thresholds["min_contradict"]
    assert judge.min_agree == thresholds["min_agree"]
    assert judge.date_conflict == thresholds["date_conflict"]
    assert judge.paraphrase == thresholds["paraphrase"]


def test_a_calibration_for_other_features_is_refused(tmp_path: Path) -> None:
    data = json.loads(CALIBRATION.read_text(encoding="utf-8"))
    data["features"] = data["features"][:-1]
    path = tmp_path / "calibration.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ConfigError, match="features"):
        Calibration.load(path)
    with pytest.raises(ConfigError, match="cannot read"):
        Calibration.load(tmp_path / "missing.json")


def test_a_custom_calibration_changes_the_scores(tmp_path: Path) -> None:
    data = json.loads(CALIBRATION.read_text(encoding="utf-8"))
    data["contradict"] = {"intercept": 0.0, "coef": [0.0] * len(FEATURES)}
    path = tmp_path / "flat.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    judge = RuleJudge(calibration=Calibration.load(path), min_contradict=0.5)
    a = _claim("a", "At least 63,500 Israelis were evacuated on Oct. 8, 2023.")
    b = _claim("b", "Some 12,000 Israelis were evacuated on Oct. 8, 2023.")
    relation = judge.judge(a, b, similarity=0.9)
    assert relation is not None
    assert relation.score == 0.5
    assert attrs.evolve(judge, min_contradict=0.51).judge(a, b, similarity=0.9) is None


def test_scores_rise_with_the_cosine() -> None:
    a = _claim("a", "At least 63,500 Israelis were evacuated on Oct. 8, 2023.")
    b = _claim("b", "Some 12,000 Israelis were evacuated on Oct. 8, 2023.")
    calibration = Calibration.default()
    low = calibration.p_contradict(compare(a, b, similarity=0.5))
    high = calibration.p_contradict(compare(a, b, similarity=0.95))
    assert low < high


def test_an_anchored_pair_agrees_at_least_at_the_anchored_rate() -> None:
    # Two mentions of one event in otherwise different sentences (the seeds' Oct. 7 pair).
    a = _claim("a", "The relations grew tense when Hamas invaded Israel on Oct. 7, 2023.")
    b = _claim("b", "Gallant wants Israelis home since Hamas attacked Israel on October 7, 2023.")
    comparison = compare(a, b, similarity=0.3)
    assert comparison.anchored
    calibration = Calibration.default()
    assert calibration.p_agree(comparison) >= calibration.anchored
    relation = RuleJudge().judge(a, b, similarity=0.3)
    assert relation is not None
    assert relation.label is Label.AGREE


def test_an_anchored_rate_outside_zero_one_is_refused() -> None:
    data = json.loads(CALIBRATION.read_text(encoding="utf-8"))
    data["anchored"] = {"p": 1.5}
    with pytest.raises(ConfigError, match="anchored"):
        Calibration.from_dict(data)


# ---------------------------------------------------------------------------
# Per-claim views and the word alignment


def _words_claim(cid: str, words: list[str]) -> Claim:
    text = " ".join(words)
    return Claim(id=cid, document=cid.split(":")[0], sentence=0, start=0, end=len(text), text=text)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(["a", "b", "c", "d", "e"]), min_size=1, max_size=16),
    st.lists(st.sampled_from(["a", "b", "c", "d", "e"]), min_size=1, max_size=16),
)
def test_the_word_alignment_is_difflibs(x: list[str], y: list[str]) -> None:
    # Few distinct words: many equally long matches, so difflib's tie rules matter.
    align = _Alignment(_View.of(_words_claim("a:0", x)), _View.of(_words_claim("b:0", y)))
    matcher = difflib.SequenceMatcher(None, x, y, autojunk=False)
    assert align.ratio == matcher.ratio()
    assert align.edits == [
        (i1, i2, j1, j2)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
        if tag != "equal" and i2 - i1 <= 5 and j2 - j1 <= 5
    ]


def test_a_claim_view_is_built_once_and_dropped_with_its_claim() -> None:
    claim = _claim("a", "Austin met Gallant in Tel Aviv on Dec. 18, 2023.")
    view = _view(claim)
    assert _view(claim) is view
    twin = attrs.evolve(claim)  # equal, but another object: its own view
    assert _view(twin) is not view
    assert attrs.asdict(_view(twin), recurse=False) == attrs.asdict(view, recurse=False)
    key = id(claim)
    del claim
    gc.collect()
    assert key not in _VIEWS


@pytest.mark.parametrize(
    ("a", "b", "cosine", "label", "slots"), [pytest.param(*c.values, id=c.id) for c in CASES]
)
def test_comparisons_from_cached_views_equal_fresh_ones(
    a: str, b: str, cosine: float, label, slots
) -> None:
    x, y = _claim("a", a), _claim("b", b)
    first = compare(x, y, similarity=cosine)
    again = compare(x, y, similarity=cosine)  # both views from the cache
    fresh = compare(attrs.evolve(x), attrs.evolve(y), similarity=cosine)  # new views
    assert first == again == fresh
    assert RuleJudge().judge(x, y, similarity=cosine) == RuleJudge().judge(
        attrs.evolve(x), attrs.evolve(y), similarity=cosine
    )
