"""Records: validation at construction, and reading documents from disk."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import pytest

from factcheck.errors import DocumentError, FactcheckError, RecordError
from factcheck.records import (
    Claim,
    Cluster,
    DateValue,
    Document,
    Fact,
    FactKind,
    Label,
    NumberValue,
    Relation,
)


def test_document_from_path_reads_utf8_and_takes_the_stem_as_id(tmp_path: Path) -> None:
    path = tmp_path / "001_report.txt"
    path.write_text("Gallant’s office said “yes”.\n", encoding="utf-8")
    doc = Document.from_path(path, published=dt.date(2024, 10, 1))
    assert doc.id == "001_report"
    assert doc.text == "Gallant’s office said “yes”.\n"
    assert doc.published == dt.date(2024, 10, 1)


def test_document_from_path_strips_a_utf8_byte_order_mark(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes("\ufeffText.".encode())
    assert Document.from_path(path).text == "Text."


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (None, "no such file"),
        ("dir", "not a regular file"),
        (b"caf\xe9 au lait", "not valid UTF-8"),
    ],
)
def test_unreadable_documents_name_the_path_and_the_problem(
    tmp_path: Path, content: object, problem: str
) -> None:
    path = tmp_path / "input.txt"
    if content == "dir":
        path.mkdir()
    elif isinstance(content, bytes):
        path.write_bytes(content)
    with pytest.raises(DocumentError, match=problem) as info:
        Document.from_path(path)
    assert str(path) in str(info.value)
    assert isinstance(info.value, FactcheckError)


@pytest.mark.parametrize("bad_id", ["", "   ", " padded"])
def test_document_ids_must_be_clean(bad_id: str) -> None:
    with pytest.raises(RecordError, match="id must be a non-blank string") as info:
        Document(id=bad_id, text="x")
    assert repr(bad_id) in str(info.value)
    assert isinstance(info.value, ValueError)  # `except ValueError` callers keep working


def test_spans_must_match_their_text() -> None:
    with pytest.raises(RecordError, match="length 4 but the span start=0 end=5 has length 5"):
        Claim(id="a:0", document="a", sentence=0, start=0, end=5, text="four")
    with pytest.raises(RecordError, match="end must be >= start"):
        Claim(id="a:0", document="a", sentence=0, start=5, end=1, text="four")


def test_a_fact_must_lie_inside_its_claim() -> None:
    fact = Fact(kind=FactKind.NEGATION, start=10, end=13, text="not", value="not")
    with pytest.raises(RecordError, match="outside claim"):
        Claim(id="a:0", document="a", sentence=0, start=0, end=4, text="Iran", facts=[fact])


def test_fact_values_are_typed_by_kind() -> None:
    with pytest.raises(RecordError, match="NumberValue"):
        Fact(kind=FactKind.NUMBER, start=0, end=3, text="180", value="180")


def test_number_and_date_intervals() -> None:
    at_least = NumberValue(low=63500, high=math.inf, unit="israelis")
    assert at_least.overlaps(NumberValue(low=60000, high=math.inf))
    assert not at_least.overlaps(NumberValue(low=12000, high=12000))
    with pytest.raises(RecordError, match="low <= high"):
        NumberValue(low=5, high=1)
    day = DateValue(dt.date(2023, 10, 7), dt.date(2023, 10, 7))
    assert day.overlaps(DateValue(dt.date(2023, 10, 1), dt.date(2023, 10, 31)))
    assert not day.overlaps(DateValue(None, None, reason="no reference date"))
    with pytest.raises(RecordError, match="reason"):
        DateValue(None, None)


def test_relations_and_clusters_validate() -> None:
    with pytest.raises(RecordError, match=r"score must lie in \[0.0, 1.0\], got 1.5"):
        Relation(label=Label.AGREE, claims=("a:0", "b:0"), score=1.5)
    with pytest.raises(RecordError, match="distinct"):
        Relation(label=Label.AGREE, claims=("a:0", "a:0"), score=0.5)
    with pytest.raises(RecordError, match="at least one claim"):
        Cluster(id="e1", claims=[])


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: Document(id="a", text=5), r"^text must be str, got 5$"),
        (
            lambda: Document(id="a", text="x", published="2024-01-01"),
            r"^published must be date or None, got '2024-01-01' \(str\)$",
        ),
        (
            lambda: Claim(id="a:0", document="a", sentence=True, start=0, end=1, text="x"),
            r"^sentence must be int, got True$",
        ),
        (
            lambda: Claim(id="a:0", document="a", sentence=0, start=0, end=1, text="x", facts="f"),
            r"^facts must be tuple of Fact, got 'f' \(str\)$",
        ),
        (lambda: Cluster(id="e1", claims="ab"), r"^claims must be tuple of str, got 'ab' \(str\)$"),
        (
            lambda: Relation(label="agree", claims=("a:0", "b:0"), score=0.5),
            r"^label must be Label, got 'agree' \(str\)$",
        ),
        (
            lambda: Relation(label=Label.AGREE, claims=("a:0", "b:0"), score="0.5"),
            r"^score must be a real number, got '0.5' \(str\)$",
        ),
        (
            lambda: Relation(label=Label.AGREE, claims=["a:0"], score=0.5),
            r"^claims must be two claim ids, got \['a:0'\] \(list\)$",
        ),
        (lambda: NumberValue(low="1", high=2), r"^low must be a real number, got '1' \(str\)$"),
    ],
)
def test_wrong_field_types_raise_a_record_error_naming_field_and_value(
    build: object, message: str
) -> None:
    with pytest.raises(RecordError, match=message):
        build()  # type: ignore[operator]
