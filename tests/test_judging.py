"""The judge: a golden table of real-sentence pairs, gates, symmetry."""

from __future__ import annotations

import pytest

from factcheck.errors import ConfigError
from factcheck.judging import RuleJudge, TimeRelation, time_relation
from factcheck.pipeline import Checker
from factcheck.records import Claim, Document, Label


def _claim(doc_id: str, text: str) -> Claim:
    claims, _ = Checker().claims_of(Document(id=doc_id, text=text))
    assert len(claims) == 1, [c.text for c in claims]
    return claims[0]


# (text a, text b, cosine, expected label or None, expected evidence kinds)
CASES = [
    pytest.param(
        "At least 63,500 Israelis were evacuated from the north on Oct. 8, 2023.",
        "Some 12,000 Israelis were evacuated from the north on Oct. 8, 2023.",
        0.9,
        Label.CONTRADICT,
        {"number"},
        id="count-intervals-disjoint",
    ),
    pytest.param(
        "At least 63,500 Israelis were evacuated from the north.",
        "At least 60,000 Israelis were evacuated from the north.",
        0.95,
        Label.AGREE,
        {"number", "wording"},
        id="count-intervals-overlap-agree",
    ),
    pytest.param(
        "The Biden administration was informed about the plan to kill Nasrallah.",
        "The Biden administration wasn't informed about the plan to kill Nasrallah.",
        0.93,
        Label.CONTRADICT,
        {"polarity"},
        id="polarity",
    ),
    pytest.param(
        "Austin met Gallant in Tel Aviv on Dec. 18, 2023.",
        "Austin met Gallant in Tel Aviv on April 2, 2024.",
        0.8,
        None,
        set(),
        id="different-dates-are-different-events",
    ),
    pytest.param(
        "Austin met Gallant in Tel Aviv on Dec. 18, 2023.",
        "Austin met Gallant in Tel Aviv on Dec. 19, 2023.",
        0.97,
        Label.CONTRADICT,
        {"date"},
        id="near-verbatim-misdated-is-a-date-conflict",
    ),
    pytest.param(
        "Hamas invaded Israel on Oct. 7, 2023, and sparked a regional war.",
        "Hamas terrorists in Gaza launched their war against Israel on October 7, 2023.",
        0.45,
        Label.AGREE,
        {"date", "entity"},
        id="shared-date-and-actor-agree",
    ),
    pytest.param(
        "Gallant planned to travel to the U.S. for talks but postponed his trip.",
        "Gallant had planned to travel to the U.S. for talks but put the trip off.",
        0.9,
        Label.AGREE,
        {"wording"},
        id="paraphrase-agrees",
    ),
    pytest.param(
        "Tehran launched roughly 180 missiles into Israel last week.",
        "Iran launched more than 300 armed drones and cruise and ballistic missiles toward Israel.",
        0.63,
        None,
        set(),
        id="look-alike-attacks-get-no-relation",
    ),
    pytest.param(
        "Austin spoke with Gallant on Thursday evening.",
        "Austin met Gallant in Tel Aviv on Dec. 18, 2023.",
        0.83,
        None,
        set(),
        id="similar-but-unanchored-is-not-agreement",
    ),
]


@pytest.mark.parametrize(("a", "b", "cosine", "label", "kinds"), CASES)
def test_golden_pairs(a: str, b: str, cosine: float, label: Label | None, kinds: set[str]) -> None:
    relation = RuleJudge().judge(_claim("a", a), _claim("b", b), similarity=cosine)
    if label is None:
        assert relation is None
        return
    assert relation is not None
    assert relation.label is label
    assert kinds <= {e.kind.value for e in relation.evidence}
    assert 0.5 <= relation.score <= 1.0


@pytest.mark.parametrize(("a", "b", "cosine", "label", "kinds"), CASES)
def test_the_judge_is_symmetric(a: str, b: str, cosine: float, label, kinds) -> None:
    judge = RuleJudge()
    one = judge.judge(_claim("a", a), _claim("b", b), similarity=cosine)
    two = judge.judge(_claim("b", b), _claim("a", a), similarity=cosine)
    assert (one is None) == (two is None)
    if one is not None and two is not None:
        assert one.label is two.label
        assert one.score == two.score
        assert [(e.kind, e.a, e.b) for e in one.evidence] == [
            (e.kind, e.b, e.a) for e in two.evidence
        ]


def test_evidence_spans_index_the_documents() -> None:
    text_a = "At least 63,500 Israelis were evacuated on Oct. 8, 2023."
    text_b = "Some 12,000 Israelis were evacuated on Oct. 8, 2023."
    relation = RuleJudge().judge(_claim("a", text_a), _claim("b", text_b), similarity=0.9)
    assert relation is not None
    for e in relation.evidence:
        assert e.a_span is not None
        assert e.b_span is not None
        assert text_a[slice(*e.a_span)] == e.a
        assert text_b[slice(*e.b_span)] == e.b


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


def test_thresholds_are_validated() -> None:
    with pytest.raises(ConfigError, match="paraphrase"):
        RuleJudge(paraphrase=1.5)
