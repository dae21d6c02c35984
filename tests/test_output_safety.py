"""Outputs are safe to open: no live spreadsheet formula, no control character on a terminal."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factcheck import cli
from factcheck.records import (
    Claim,
    Cluster,
    Document,
    Evidence,
    EvidenceKind,
    Label,
    Relation,
)
from factcheck.reporting import Report

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Control characters other than the line feed that separates lines.
CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

# Text with everything hostile in it: formula starts, controls, escapes, bidi overrides.
HOSTILE = st.text(
    alphabet=st.one_of(
        st.sampled_from(list("=+-@\t\r\n\x1b\x07\x00\x7f\x9b\u202e\u2066`*_<>&\"' ")),
        st.characters(codec="utf-8"),
    ),
    min_size=1,
    max_size=60,
).filter(lambda t: t.strip() != "")
IDS = HOSTILE.map(lambda t: t.strip()).filter(lambda t: t != "")


def _report(text_a: str, text_b: str, id_a: str, id_b: str, value: str) -> Report:
    if id_a == id_b:
        id_b = id_b + "2"
    a = Document(id=id_a, text=text_a, title=value)
    b = Document(id=id_b, text=text_b)
    claims = [
        Claim(id=f"{id_a}:0", document=id_a, sentence=0, start=0, end=len(text_a), text=text_a),
        Claim(id=f"{id_b}:0", document=id_b, sentence=0, start=0, end=len(text_b), text=text_b),
    ]
    evidence = [
        Evidence(
            kind=EvidenceKind.NUMBER,
            a=text_a,
            b=text_b,
            a_span=(0, len(text_a)),
            b_span=(0, len(text_b)),
            same=False,
        ),
        Evidence(kind=EvidenceKind.ENTITY, a=value, b=value, same=True),
    ]
    ordered = sorted(c.id for c in claims)
    return Report(
        documents=sorted([a, b], key=lambda d: d.id),
        claims=sorted(claims, key=lambda c: c.id),
        skipped=[],
        clusters=[Cluster(id="e1", claims=ordered)],
        relations=[Relation(label=Label.CONTRADICT, claims=ordered, score=0.9, evidence=evidence)],
    )


@settings(max_examples=200, deadline=None)
@given(HOSTILE, HOSTILE, IDS, IDS, HOSTILE)
def test_no_csv_cell_starts_a_formula_and_no_control_character_reaches_markdown(
    text_a: str, text_b: str, id_a: str, id_b: str, value: str
) -> None:
    report = _report(text_a, text_b, id_a, id_b, value)
    rows = list(csv.reader(io.StringIO(report.to_csv())))
    assert len(rows) == 2
    for row in rows:
        for cell in row:
            assert not cell.startswith(FORMULA_START), cell
    markdown = report.to_markdown()
    assert not CONTROL.search(markdown), repr(CONTROL.search(markdown))
    page = report.to_html()
    # In HTML tab and carriage return are whitespace like the line feed.
    html_control = CONTROL.search(page.replace("\t", " ").replace("\r", " "))
    assert not html_control, repr(html_control)


def test_csv_cells_are_neutralised_as_owasp_recommends() -> None:
    report = _report('=HYPERLINK("http://x")', "+1", "@cmd", "-2", "\tvalue")
    rows = list(csv.DictReader(io.StringIO(report.to_csv())))
    (row,) = rows
    assert row["text_a"] in {'\'=HYPERLINK("http://x")', "'+1"}
    assert row["claim_a"].startswith("'")
    assert row["claim_b"].startswith("'")
    assert row["document_a"] in {"'@cmd", "'-2"}
    # The data views keep the exact texts.
    assert report.relation_rows()[0]["text_a"] in {'=HYPERLINK("http://x")', "+1"}
    assert json.loads(report.to_jsonl())["text_a"] in {'=HYPERLINK("http://x")', "+1"}


def test_control_characters_are_shown_as_control_pictures_in_markdown() -> None:
    report = _report(
        "Iran\x1b[31m fired\x07 180 missiles.", "Iran fired 200\u202e missiles.", "a", "b", "x"
    )
    markdown = report.to_markdown()
    assert "Iran␛[31m fired␇ 180 missiles." in markdown
    assert "Iran fired 200 missiles." in markdown  # the bidi override is dropped


def test_the_terminal_gets_no_escape_sequence_from_an_article(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import functools

    from factcheck.embedding import HashingEmbedder
    from factcheck.pipeline import Checker

    monkeypatch.setattr(cli, "Checker", functools.partial(Checker, embedder=HashingEmbedder()))
    (tmp_path / "a.txt").write_text(
        "\x1b]0;owned\x07At least 63,500 people fled on Oct. 8, 2023.\n"
    )
    (tmp_path / "b.txt").write_text("Some 12,000 people fled on Oct. 8, 2023.\x1b[2J\n")
    assert cli.main(["check", str(tmp_path)]) == cli.EXIT_CONTRADICTION
    out = capsys.readouterr().out
    assert "\x1b" not in out
    assert "\x07" not in out
    assert "␛]0;owned␇" in out
