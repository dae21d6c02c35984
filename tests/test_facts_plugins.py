"""Golden cases for the fact plug-ins on general news (sentences written for these tests)."""

from __future__ import annotations

import pytest

from factcheck.facts import RuleFactExtractor, places
from factcheck.records import Document, FactKind, NumberValue

EXTRACTOR = RuleFactExtractor()


def facts_of(text: str) -> list[tuple[str, str, object]]:
    (facts,) = EXTRACTOR.extract(Document(id="d", text=text), [(0, len(text))])
    return [(f.kind.value, f.text, f.value) for f in facts]


def numbers(text: str) -> list[tuple[str, NumberValue]]:
    return [(t, v) for k, t, v in facts_of(text) if k == "number"]  # type: ignore[misc]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Headlines and captions are claims like any other.
        ("Flood kills 12 in river town", [("12", NumberValue(12, 12, "people"))]),
        ("Three arrested after bank raid", [("Three", NumberValue(3, 3, "people"))]),
        ("Police arrested 7 on Monday.", [("7", NumberValue(7, 7, "people"))]),
        (
            "At least 40 were injured and 90 evacuated.",
            [("At least 40", NumberValue(40, float("inf"), "people")),
             ("90", NumberValue(90, 90, "people"))],
        ),
        ("The striker scored 12 in the final.", [("12", NumberValue(12, 12, None))]),
        (
            "The company bought the startup for $3.2 billion.",
            [("$3.2 billion", NumberValue(3.2e9, 3.2e9, "dollars"))],
        ),
    ],
)  # fmt: skip
def test_numbers_in_news(text: str, expected: list[tuple[str, NumberValue]]) -> None:
    assert numbers(text) == expected


@pytest.mark.parametrize(
    ("text", "name", "key"),
    [
        ("Voters in Kenya went to the polls.", "Kenya", "kenya"),
        ("Kenyans went to the polls.", "Kenyans", "kenya"),
        ("The U.K. and Brazil signed the deal.", "U.K.", "united kingdom"),
        ("The deal was signed in Brazil by Brazilian officials.", "Brazilian", "brazil"),
    ],
)
def test_countries_and_demonyms_come_from_the_data_packages(text: str, name: str, key: str) -> None:
    assert ("entity", name, key) in facts_of(text)


def test_acronyms_link_to_the_name_spelled_out_in_the_document() -> None:
    text = "The World Health Organization warned of a new wave. The WHO said hospitals were full."
    document = Document(id="d", text=text)
    _, second = EXTRACTOR.extract(document, [(0, 52), (53, len(text))])
    assert [f.value for f in second if f.kind is FactKind.ENTITY] == ["world health organization"]


def test_a_plural_opening_a_sentence_is_not_a_name() -> None:
    assert [
        t for k, t, _ in facts_of("Rescuers in Izmir pulled 180 people out.") if k == "entity"
    ] == ["Izmir"]


@pytest.mark.parametrize(
    ("outer", "inner", "inside"),
    [
        ("france", "lyon", True),
        ("united states", "los angeles", True),
        ("california", "los angeles", True),
        ("kenya", "lyon", False),
    ],
)
def test_the_gazetteer_knows_where_places_lie(outer: str, inner: str, inside: bool) -> None:
    assert places.contains(outer, inner) is inside


def test_two_cities_of_one_country_are_apart_and_a_city_is_not_apart_from_its_country() -> None:
    assert places.apart("lyon", "marseille")
    assert not places.apart("lyon", "france")
    assert not places.apart("lyon", "somewhere unknown")  # unknown: never a conflict by itself


def test_a_small_town_is_known_and_ranked_by_population() -> None:
    town = places.lookup("nakuru")
    assert town is not None
    assert town.feature == "city"
    assert "kenya" in town.parents
    assert town.population > 15_000


@pytest.mark.parametrize(
    ("text", "lemma"),
    [
        ("Okafor resigned from the board.", None),
        ("Kenya elected Okafor in May.", "elect"),
        ("Mensah signed Okafor to a new contract.", "sign"),
        ("Police arrested Okafor at the airport.", "arrest"),
    ],
)
def test_action_verbs_of_most_news(text: str, lemma: str | None) -> None:
    actions = [v for k, _, v in facts_of(text) if k == "action"]
    verbs = [a.verb for a in actions]  # type: ignore[attr-defined]
    assert verbs == ([lemma] if lemma else [])
