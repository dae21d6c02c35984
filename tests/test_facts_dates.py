"""Dates that are not guessed: relative dates need an anchor the text or the user gives."""

from __future__ import annotations

import datetime as dt

import pytest

from factcheck.facts import RuleFactExtractor, reference_date
from factcheck.facts.dates import find_anchor
from factcheck.judging import Gate, RuleJudge, compare
from factcheck.records import Claim, DateValue, Document, FactKind, Label
from factcheck.reporting import _fact_dict

EXTRACTOR = RuleFactExtractor()


def claim_of(document: Document, snippet: str) -> Claim:
    start = document.text.index(snippet)
    end = start + len(snippet)
    (facts,) = EXTRACTOR.extract(document, [(start, end)])
    return Claim(
        id=f"{document.id}:0",
        document=document.id,
        sentence=0,
        start=start,
        end=end,
        text=snippet,
        facts=facts,
    )


def dates_of(claim: Claim) -> list[DateValue]:
    return [f.value for f in claim.facts_of(FactKind.DATE) if isinstance(f.value, DateValue)]


@pytest.mark.parametrize(
    ("top", "expected"),
    [
        ("WASHINGTON, Oct. 1, 2024 (Reuters) - ", (dt.date(2024, 10, 1), "dateline")),
        ("NAIROBI, Kenya, 1 October 2024 (AP) — ", (dt.date(2024, 10, 1), "dateline")),
        ("LONDON (AFP) - October 1, 2024 - ", (dt.date(2024, 10, 1), "dateline")),
        ("Tue Oct 1, 2024 3:02pm EDT\n", (dt.date(2024, 10, 1), "dateline")),
        ("Quake shakes the valley\n2024-10-01\n", (dt.date(2024, 10, 1), "dateline")),
        ("Published: October 1, 2024\n", (dt.date(2024, 10, 1), "publication line")),
        ("Updated 10:02 AM ET, Tue October 1, 2024\n", (dt.date(2024, 10, 1), "publication line")),
        ("Posted on 1 October 2024 by the desk\n", (dt.date(2024, 10, 1), "publication line")),
    ],
)
def test_datelines_and_publication_lines_anchor_relative_dates(
    top: str, expected: tuple[dt.date, str]
) -> None:
    text = top + "Rescuers reached the town on Monday, a day after the quake."
    document = Document(id="d", text=text)
    assert find_anchor(text) == expected
    assert reference_date(document) == expected
    (monday,) = dates_of(claim_of(document, "Rescuers reached the town on Monday"))
    assert monday.first == monday.last == dt.date(2024, 9, 30)  # the Monday before Oct. 1
    assert monday.relative
    assert monday.anchor == expected[1]
    assert (
        _fact_dict(next(claim_of(document, "on Monday").facts_of(FactKind.DATE)))["value"]["anchor"]
        == expected[1]
    )


@pytest.mark.parametrize(
    "text",
    [
        # A caption or a sentence with a full date is not a dateline: often a background date.
        "The minister visited the port on March 3, 2021.\nOn Tuesday the port closed.",
        # A dateline without a year gives no year to resolve against.
        "WASHINGTON, Oct. 1 (Reuters) - On Tuesday the port closed.",
        # Too far down the article to be its publication line.
        "\n".join(["A line of the story."] * 8) + "\nPublished: May 2, 2024\nOn Tuesday it closed.",
    ],
)
def test_no_anchor_leaves_relative_dates_unresolved_with_a_reason(text: str) -> None:
    document = Document(id="d", text=text)
    assert reference_date(document)[0] is None
    (tuesday,) = dates_of(claim_of(document, "On Tuesday"))
    assert not tuesday.resolved
    assert tuesday.reason is not None
    assert "dateline" in tuesday.reason
    assert tuesday.anchor is None


def test_the_users_publication_date_wins_over_a_dateline() -> None:
    text = "ROME, 4 June 2024 (Reuters) - The mayor resigned on Monday."
    document = Document(id="d", text=text, published=dt.date(2024, 6, 5))
    (_, monday) = dates_of(claim_of(document, text))
    assert monday.first == dt.date(2024, 6, 3)
    assert monday.anchor == "published"


WOUNDED_A = "Militants attacked an army post on Tuesday, wounding 40 soldiers."
WOUNDED_B = "Militants attacked an army post on Tuesday, wounding 90 soldiers."
BACKGROUND = "The post was first attacked on June 2, 2019. "


def test_a_background_date_does_not_split_one_event_into_two() -> None:
    """40 against 90 soldiers wounded on the same Tuesday: without an anchor the
    Tuesday is unknown (not a day four months before the other article's), so the
    numbers still conflict and the pair is judged, not gated as two events."""
    a = claim_of(Document(id="a", text=BACKGROUND + WOUNDED_A), WOUNDED_A)
    b = claim_of(Document(id="b", text="Officials said on Wednesday. " + WOUNDED_B), WOUNDED_B)
    assert not any(d.resolved for d in dates_of(a))
    comparison = compare(a, b, similarity=0.95)
    assert comparison.gate is Gate.OPEN
    assert any(f.slot.value == "number" for f in comparison.conflicts)
    relation = RuleJudge().judge(a, b, similarity=0.95)
    assert relation is not None
    assert relation.label is Label.CONTRADICT


def test_datelines_on_different_days_make_two_events() -> None:
    a = claim_of(Document(id="a", text="KABUL, May 7, 2024 (AP) - " + WOUNDED_A), WOUNDED_A)
    b = claim_of(Document(id="b", text="KABUL, Aug. 20, 2024 (AP) - " + WOUNDED_B), WOUNDED_B)
    assert compare(a, b, similarity=0.95).gate is Gate.TWO_EVENTS
    same = claim_of(Document(id="c", text="KABUL, May 8, 2024 (AP) - " + WOUNDED_B), WOUNDED_B)
    assert RuleJudge().judge(a, same, similarity=0.95).label is Label.CONTRADICT  # type: ignore[union-attr]


def test_the_seeds_carry_no_dateline_so_their_relative_dates_stay_unresolved() -> None:
    from pathlib import Path

    seeds = sorted((Path(__file__).resolve().parents[1] / "seeds").glob("*.txt"))
    assert len(seeds) == 3
    for path in seeds:
        document = Document.from_path(path)
        assert reference_date(document)[0] is None
        (facts,) = EXTRACTOR.extract(document, [(0, len(document.text))])
        dates = [f.value for f in facts if isinstance(f.value, DateValue)]
        assert dates  # every seed has dates ...
        assert not any(d.relative and d.resolved for d in dates)  # ... none of them guessed
        assert all(d.anchor is None for d in dates)
