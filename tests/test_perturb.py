"""The perturbation generator (independent of the extractor), and a golden table of
hand-edited sentences judged by today's RuleJudge, its failures visible as strict xfail."""

from __future__ import annotations

import ast
from pathlib import Path

import numpy as np
import pytest

from factcheck.extracting import RuleFactExtractor
from factcheck.judging import RuleJudge
from factcheck.records import Claim, Document, Label
from factcheck.training.perturb import EditKind, number_words, perturb_sentence, perturbations


def _kinds(text: str, seed: int = 0) -> dict[EditKind, str]:
    return {e.kind: e.edited for e in perturb_sentence(text, rng=np.random.default_rng(seed))}


def test_the_generator_imports_no_extraction_code() -> None:
    source = Path(__file__).parents[1] / "factcheck" / "training" / "perturb.py"
    tree = ast.parse(source.read_text(encoding="utf-8"))
    modules = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    modules |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    assert not {m for m in modules if m and m.startswith("factcheck") and m != "factcheck.records"}


def test_date_edits_and_formats() -> None:
    edits = _kinds("The plant closed on Oct. 8, 2023, after a fire.")
    assert "Oct. 8, 2023" not in edits[EditKind.DATE_DAYS]
    assert edits[EditKind.DATE_FORMAT] in {
        "The plant closed on 8 October 2023, after a fire.",
        "The plant closed on October 8th, 2023, after a fire.",
        "The plant closed on 2023-10-08, after a fire.",
        "The plant closed on October 8, 2023, after a fire.",
    }
    months = edits[EditKind.DATE_MONTHS]
    assert "8, 2023" in months or "8, 2024" in months


def test_number_edits_keep_years_and_dates() -> None:
    edits = _kinds("In 2019, 63,500 people marched on May 2, 2019.")
    assert edits[EditKind.NUMBER].startswith("In 2019, ")
    assert "63,500" not in edits[EditKind.NUMBER]
    assert edits[EditKind.NUMBER_FORMAT] in {
        "In 2019, sixty-three thousand five hundred people marched on May 2, 2019.",
        "In 2019, 63.5 thousand people marched on May 2, 2019.",
    }


def test_percent_and_money_formats() -> None:
    edits = _kinds("Turnout rose to 64% as the city spent $2.5 million.")
    assert edits[EditKind.PERCENT_FORMAT].startswith(
        ("Turnout rose to 64 percent", "Turnout rose to 64 per cent")
    )
    assert edits[EditKind.MONEY_FORMAT].endswith(("$2,500,000.", "2.5 million dollars."))


def test_place_actor_and_negation_edits() -> None:
    edits = _kinds("Rebels attacked a convoy near Aleppo, and Germany beat Brazil.")
    assert "Aleppo" not in edits[EditKind.PLACE]
    assert edits[EditKind.ACTOR_SWAP].endswith("and Brazil beat Germany.")
    assert (
        edits[EditKind.NEGATION]
        == "Rebels did not attack a convoy near Aleppo, and Germany beat Brazil."
    )
    assert _kinds("The bridge was not damaged.")[EditKind.NEGATION] == "The bridge was damaged."


def test_number_words() -> None:
    assert number_words(0) == "zero"
    assert number_words(1_002_013) == "one million two thousand thirteen"
    with pytest.raises(ValueError, match="n must"):
        number_words(-1)


def test_perturbations_are_deterministic_and_capped() -> None:
    sentences = [("t", f"On March {d}, 2015, {d * 110} people left Lyon.") for d in range(1, 20)]
    one = perturbations(sentences, per_kind=5, seed=1)
    assert one == perturbations(sentences, per_kind=5, seed=1)
    counts: dict[EditKind, int] = {}
    for p in one:
        counts[p.kind] = counts.get(p.kind, 0) + 1
        assert p.source == "t"
        assert p.edited != p.original
    assert max(counts.values()) == 5
    assert EditKind.DATE_FORMAT.gold is Label.AGREE
    assert EditKind.PLACE.gold is Label.CONTRADICT


# ---------------------------------------------------------------------------
# Golden table: hand-edited real-style sentences (written for this repository),
# judged by today's RuleJudge at a fixed cosine of 0.9.


def _claim(doc: str, text: str) -> Claim:
    document = Document(id=doc, text=text)
    (facts,) = RuleFactExtractor().extract(document, [(0, len(text))])
    return Claim(
        id=f"{doc}:0", document=doc, sentence=0, start=0, end=len(text), text=text, facts=facts
    )


def _judged(a: str, b: str) -> str:
    relation = RuleJudge().judge(_claim("a", a), _claim("b", b), similarity=0.9)
    return "none" if relation is None else relation.label.value


def _xfail(a: str, b: str, expected: str, why: str) -> object:
    return pytest.param(a, b, expected, marks=pytest.mark.xfail(strict=True, reason=why))


GOLDEN = [
    (
        "The museum reopened on March 3, 2021, after a two-year renovation.",
        "The museum reopened on March 9, 2021, after a two-year renovation.",
        "contradict",
    ),
    (
        "The storm hit the island on Sept. 14, 2022, killing nine people.",
        "The storm hit the island on Sept. 17, 2022, killing nine people.",
        "contradict",
    ),
    (
        "Flooding forced 4,200 residents from their homes in the valley.",
        "Flooding forced 12,600 residents from their homes in the valley.",
        "contradict",
    ),
    (
        "Shares of the firm fell 8% on Wednesday.",
        "Shares of the firm fell 16% on Wednesday.",
        "contradict",
    ),
    (
        "The ferry sank off the coast of Greece on Tuesday, officials said.",
        "The ferry sank off the coast of Turkey on Tuesday, officials said.",
        "contradict",
    ),
    (
        "Rescuers pulled 14 survivors from the rubble in Ankara.",
        "Rescuers pulled 14 survivors from the rubble in Izmir.",
        "contradict",
    ),
    (
        "The union accepted the offer after a vote on Friday.",
        "The union did not accept the offer after a vote on Friday.",
        "contradict",
    ),
    (
        "Portugal beat Spain 2-1 in the final on Sunday.",
        "Spain beat Portugal 2-1 in the final on Sunday.",
        "contradict",
    ),
    (
        "The museum reopened on March 3, 2021, after a two-year renovation.",
        "The museum reopened on 3 March 2021, after a two-year renovation.",
        "agree",
    ),
    (
        "The storm hit the island on Sept. 14, 2022, killing nine people.",
        "The storm hit the island on 2022-09-14, killing nine people.",
        "agree",
    ),
    (
        "Unemployment fell to 4.5% in the second quarter.",
        "Unemployment fell to 4.5 percent in the second quarter.",
        "agree",
    ),
    (
        "The city spent $2.5 million on the new bridge.",
        "The city spent $2,500,000 on the new bridge.",
        "agree",
    ),
    (
        "Organisers said 63,500 people attended the concert.",
        "Organisers said sixty-three thousand five hundred people attended the concert.",
        "agree",
    ),
    (
        "Flooding forced 4,200 residents from their homes in the valley.",
        "Flooding forced 4,200 residents from their homes in the valley.",
        "agree",
    ),
    _xfail(
        "The museum reopened on March 3, 2021, after a two-year renovation.",
        "The museum reopened on June 3, 2021, after a two-year renovation.",
        "contradict",
        "a date moved by months reads as another event of the same kind (no relation)",
    ),
    _xfail(
        "The fire started on Jan. 5, 2020, in the old town.",
        "The fire started on Feb. 5, 2020, in the old town.",
        "contradict",
        "a date moved by a month reads as another event of the same kind (no relation)",
    ),
    _xfail(
        "The senator criticized the governor over the budget.",
        "The governor criticized the senator over the budget.",
        "contradict",
        "swapped actors named by common nouns are not compared (judged agree)",
    ),
]


@pytest.mark.parametrize(("a", "b", "expected"), GOLDEN)
def test_golden_judgements(a: str, b: str, expected: str) -> None:
    assert _judged(a, b) == expected
