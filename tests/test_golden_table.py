"""The golden fact table's own consistency, and the golden benchmark's matching logic.

Runs without ``../shared``: the table stores offsets and checksums only, and the
matching is tested on sentences written here for the purpose.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import math
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
TABLE = ROOT / "benchmarks" / "golden" / "facts.jsonl"
KINDS = {"number", "date", "time", "place", "person", "organization", "role", "polarity"}
ROW_KEYS = {"source", "doc", "start", "end", "sha1", "story", "domain", "published", "facts"}


def _bench() -> ModuleType:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    spec = importlib.util.spec_from_file_location(
        "bench_golden_facts", ROOT / "benchmarks" / "bench_golden_facts.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_golden_facts"] = module
    spec.loader.exec_module(module)
    return module


bench = _bench()
PlainFact = bench.PlainFact


@pytest.fixture(scope="module")
def rows() -> list[dict[str, Any]]:
    with TABLE.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def test_every_row_parses_with_the_documented_fields(rows: list[dict[str, Any]]) -> None:
    for row in rows:
        assert set(row) - {"sentence"} == ROW_KEYS, row.keys()
        assert row["source"] in ("fnc1", "ecbplus")
        assert (row["source"] == "ecbplus") == ("sentence" in row)
        assert 0 <= row["start"] < row["end"]
        assert len(row["sha1"]) == 40
        assert int(row["sha1"], 16) >= 0
        if row["published"] is not None:
            dt.date.fromisoformat(row["published"])


def test_facts_have_known_kinds_and_lie_inside_their_sentence(rows: list[dict[str, Any]]) -> None:
    for row in rows:
        length = row["end"] - row["start"]
        for fact in row["facts"]:
            assert fact["kind"] in KINDS, fact
            assert set(fact.get("alt", [])) <= KINDS
            assert 0 <= fact["start"] < fact["end"] <= length, (row["doc"], fact)
            assert fact["end"] - fact["start"] == len(fact["text"]), fact
        starts = [(f["start"], f["end"], f["kind"]) for f in row["facts"]]
        assert starts == sorted(starts)
        assert len(set(starts)) == len(starts)


def test_values_are_well_formed(rows: list[dict[str, Any]]) -> None:
    for row in rows:
        for fact in row["facts"]:
            value = fact["value"]
            if fact["kind"] == "number":
                high = math.inf if value["high"] is None else value["high"]
                assert value["low"] <= high, fact
                assert value["unit"] is None or value["unit"] == value["unit"].lower()
            elif fact["kind"] == "date":
                assert (value["first"] is None) == (value["last"] is None), fact
                if value["first"] is not None:
                    first = dt.date.fromisoformat(value["first"])
                    assert first <= dt.date.fromisoformat(value["last"]), fact
                else:
                    assert value["relative"], f"an unresolved date must be relative: {fact}"
            elif fact["kind"] == "role":
                assert value["role"] == value["role"].lower()
                assert value["role"]
            elif fact["kind"] == "polarity":
                assert value["cue"]
                assert value["predicate"]


def test_table_size_and_spread(rows: list[dict[str, Any]]) -> None:
    keys = [(r["source"], r["doc"], r["start"]) for r in rows]
    assert len(keys) == len(set(keys)), "a sentence is in the table twice"
    assert len({r["sha1"] for r in rows}) == len(rows), "two rows hold the same sentence text"
    assert len(rows) >= 300
    assert len({r["story"] for r in rows}) >= 30
    assert len({r["domain"] for r in rows}) >= 8
    by_source = {s: sum(r["source"] == s for r in rows) for s in ("fnc1", "ecbplus")}
    assert min(by_source.values()) >= 0.4 * len(rows), by_source


def test_no_sentence_text_is_stored(rows: list[dict[str, Any]]) -> None:
    for row in rows:
        length = row["end"] - row["start"]
        for key in ("story", "domain", "doc"):
            assert len(str(row[key])) < 80
        for fact in row["facts"]:
            # A fact is a piece of its sentence, never the sentence itself.
            assert len(fact["text"]) < length or length < 30, (row["doc"], fact["text"])
        covered = sum(len(f["text"]) for f in row["facts"])
        assert covered < length or length < 30, f"{row['doc']}: the facts spell out the sentence"


# ---------------------------------------------------------------------------
# The scorer's matching logic, on hand-made sentences

SENTENCE = (
    "The council in Leeds approved about 300 new homes on 3 March 2021, "
    "but Mayor Ann Hill did not attend."
)


def _fact(kind: str, text: str, value: Any = None, alt: tuple[str, ...] = ()) -> Any:
    start = SENTENCE.index(text)
    return PlainFact(kind, start, start + len(text), text, value, alt)


G_PLACE = _fact("place", "Leeds")
G_NUMBER = _fact(
    "number", "about 300 new homes", {"low": 300, "high": 300, "unit": "home", "approx": True}
)
G_DATE = _fact(
    "date", "3 March 2021", {"first": "2021-03-03", "last": "2021-03-03", "relative": False}
)
G_ROLE = _fact("role", "Mayor", {"role": "mayor", "holder": "Ann Hill"})
G_PERSON = _fact("person", "Ann Hill")
G_NEG = _fact("polarity", "not", {"cue": "not", "predicate": "attend"})
GOLD = [G_PLACE, G_NUMBER, G_DATE, G_ROLE, G_PERSON, G_NEG]


def test_overlapping_spans_of_the_same_kind_match_one_to_one() -> None:
    pred = [
        _fact("place", "Leeds"),
        _fact("place", "Leeds"),  # a duplicate: only one may match
        _fact("number", "300 new homes", {"low": 300, "high": 300, "unit": "homes"}),
        _fact("person", "3 March 2021"),  # right span, wrong kind
        _fact("polarity", "did not", "not"),
    ]
    pairs = bench.match(GOLD, pred)
    assert pairs == [(0, 0), (1, 2), (5, 4)]
    tallies = bench.score_sentence(GOLD, pred, with_value=False)
    assert (tallies["place"].gold, tallies["place"].pred, tallies["place"].hit_pred) == (1, 2, 1)
    assert tallies["place"].precision == 0.5
    assert tallies["place"].recall == 1.0
    assert tallies["date"].recall == 0.0
    assert tallies["person"].precision == 0.0
    assert math.isclose(tallies["place"].f1, 2 / 3)


def test_alt_kinds_and_the_merged_actor_row() -> None:
    text = "Police took him to St Mary's Hospital, where Acme Corp staff waited."
    h, a = text.index("St Mary's"), text.index("Acme Corp")
    hospital = PlainFact("place", h, h + 18, "St Mary's Hospital", alt=("organization",))
    acme = PlainFact("organization", a, a + 9, "Acme Corp")
    pred = [
        PlainFact("organization", h + 3, h + 18, "Mary's Hospital"),
        PlainFact("person", a, a + 9, "Acme Corp"),
    ]
    assert bench.match([hospital, acme], pred) == [(0, 0)]
    tallies = bench.score_sentence([hospital, acme], pred, with_value=False)
    assert tallies["place"].recall == 1.0
    assert tallies["organization"].precision == 1.0
    assert tallies["organization"].recall == 0.0
    # Person and organisation count as one kind in the merged row.
    assert tallies[bench.ACTOR].gold == 1
    assert tallies[bench.ACTOR].hit_gold == 1


def test_number_values() -> None:
    exact = {"low": 55030.0, "high": 55030.0, "unit": "employee", "approx": False}
    assert bench.number_matches(exact, {"low": 55030, "high": 55030, "unit": "employees"})
    assert bench.number_matches(exact, {"low": 55300, "high": 55300, "unit": None})  # within 1 %
    assert not bench.number_matches(exact, {"low": 56000, "high": 56000, "unit": None})
    assert not bench.number_matches(exact, {"low": 55030, "high": 55030, "unit": "dollars"})
    approx = G_NUMBER.value
    assert bench.number_matches(approx, {"low": 270, "high": 330, "unit": "homes"})
    assert bench.number_matches(approx, {"low": 300, "high": 300, "unit": None})
    assert not bench.number_matches(approx, {"low": 300, "high": math.inf, "unit": None})
    at_least = {"low": 63500.0, "high": None, "unit": "people", "approx": False}
    assert bench.number_matches(at_least, {"low": 63500, "high": math.inf, "unit": "persons"})
    assert not bench.number_matches(at_least, {"low": 63500, "high": 63500, "unit": None})
    vague = {"low": 24.0, "high": 99.0, "unit": None, "approx": False, "vague": True}
    assert bench.number_matches(vague, {"low": 24, "high": 119, "unit": "protesters"})
    assert not bench.number_matches(vague, {"low": 12, "high": 12, "unit": None})
    feet = {"low": 934200.0, "high": 934200.0, "unit": "square foot", "approx": False}
    assert bench.number_matches(feet, {"low": 934200, "high": 934200, "unit": "feet"})


def test_date_and_role_values() -> None:
    assert bench.date_matches(G_DATE.value, {"first": "2021-03-03", "last": "2021-03-03"})
    assert not bench.date_matches(G_DATE.value, {"first": "2021-03-01", "last": "2021-03-31"})
    unresolved = {"first": None, "last": None, "relative": True}
    assert bench.date_matches(unresolved, {"first": None, "last": None})
    assert not bench.date_matches(unresolved, {"first": "2021-03-05", "last": "2021-03-05"})
    fuzzy = {"first": "2000-01-01", "last": "2003-12-31", "relative": False, "fuzzy": True}
    assert bench.date_matches(fuzzy, {"first": "2000-01-01", "last": "2009-12-31"})
    assert not bench.date_matches(fuzzy, {"first": "2005-01-01", "last": "2005-12-31"})
    assert bench.role_matches(G_ROLE.value, {"role": "mayor", "holder": "ann hill"})
    assert bench.role_matches(G_ROLE.value, {"role": "mayor", "holder": "hill"})
    assert not bench.role_matches(G_ROLE.value, {"role": "mayor", "holder": None})
    assert bench.role_matches({"role": "mayor", "holder": None}, {"role": "mayor", "holder": None})


def test_value_matching_needs_the_span_match_too() -> None:
    pred = [
        _fact("date", "3 March 2021", {"first": "2021-03-04", "last": "2021-03-04"}),
        _fact("role", "Mayor", {"role": "mayor", "holder": "ann hill"}),
    ]
    span = bench.score_sentence(GOLD, pred, with_value=False)
    value = bench.score_sentence(GOLD, pred, with_value=True)
    assert span["date"].hit_gold == 1
    assert value["date"].hit_gold == 0
    assert span["role"].hit_gold == value["role"].hit_gold == 1


def test_adapter_classifies_generic_entities() -> None:
    before = "The council in "
    assert bench.adapt("ENTITY", "Leeds", "leeds", before) == "place"
    assert bench.adapt("ENTITY", "Acme Corp", "acme corp", "Staff of ") == "organization"
    assert bench.adapt("ENTITY", "NASA", "nasa", "") == "organization"
    assert bench.adapt("ENTITY", "Hill", "ann hill", "Mayor ") == "person"
    assert bench.adapt("ENTITY", "Zorblatt", "zorblatt", "a meeting at ") == "place"
    assert bench.adapt("NUMBER", "300", None, "") == "number"
    assert bench.adapt("HEDGE", "reportedly", "reportedly", "") is None
