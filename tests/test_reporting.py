"""Reporting: corroboration, score filtering, relation export, Markdown and HTML views."""

from __future__ import annotations

import csv
import io
import json
import math
import re
from html.parser import HTMLParser
from pathlib import Path

import attrs
import pytest

import factcheck
from factcheck.embedding import HashingEmbedder
from factcheck.errors import ConfigError
from factcheck.records import (
    Claim,
    Cluster,
    Document,
    Evidence,
    EvidenceKind,
    Fact,
    FactKind,
    Label,
    NumberValue,
    Relation,
    Skipped,
    SkipReason,
)
from factcheck.reporting import (
    RELATION_COLUMNS,
    Corroboration,
    Report,
    _indented_json,
    _NotPlainJSON,
)

ROOT = Path(__file__).resolve().parents[1]

EVACUATED_A = "At least 63,500 Israelis were evacuated on Oct. 8, 2023."
EVACUATED_B = "Some 12,000 Israelis were evacuated on Oct. 8, 2023."
WAR_A = "Hamas invaded Israel on Oct. 7, 2023, and sparked a war."
WAR_B = "Hamas launched its war against Israel on 7 October 2023."


WAR_C = "Hamas invaded Israel on Oct. 7, 2023."


def _claim_of(doc: Document, n: int, sentence: str) -> Claim:
    start = doc.text.index(sentence)
    return Claim(
        id=f"{doc.id}:{n}",
        document=doc.id,
        sentence=n,
        start=start,
        end=start + len(sentence),
        text=sentence,
    )


def _evidence(
    kind: EvidenceKind,
    a: tuple[Document, str, str],
    b: tuple[Document, str, str],
    *,
    same: bool = True,
) -> Evidence:
    """Evidence comparing ``(document, sentence, value)`` on each side."""
    spans = []
    for doc, sentence, value in (a, b):
        start = doc.text.index(sentence) + sentence.index(value)
        spans.append((start, start + len(value)))
    return Evidence(kind=kind, a=a[2], b=b[2], a_span=spans[0], b_span=spans[1], same=same)


def build_report() -> Report:
    """Built by hand, so that these tests depend on reporting alone.

    One event with a number contradiction (a:0, b:0), one with agreements
    between all three documents (a:1, b:1, c:0), a skipped line in c.
    """
    a = Document(id="a", text=f"{EVACUATED_A}\n{WAR_A}\n")
    b = Document(id="b", text=f"{EVACUATED_B}\n\n{WAR_B}\n")
    c = Document(id="c", text=f"Share this article\n{WAR_C}\n")
    a0, a1, b0, b1, c0 = (a, EVACUATED_A), (a, WAR_A), (b, EVACUATED_B), (b, WAR_B), (c, WAR_C)
    number = _evidence(
        EvidenceKind.NUMBER,
        (*a0, "At least 63,500 Israelis"),
        (*b0, "Some 12,000 Israelis"),
        same=False,
    )
    day = _evidence(EvidenceKind.DATE, (*a0, "Oct. 8, 2023"), (*b0, "Oct. 8, 2023"))
    war_day = _evidence(EvidenceKind.DATE, (*a1, "Oct. 7, 2023"), (*b1, "7 October 2023"))
    hamas_ab = _evidence(EvidenceKind.ENTITY, (*a1, "Hamas"), (*b1, "Hamas"))
    israel_ab = _evidence(EvidenceKind.ENTITY, (*a1, "Israel"), (*b1, "Israel"))
    hamas_ac = _evidence(EvidenceKind.ENTITY, (*a1, "Hamas"), (*c0, "Hamas"))
    hamas_bc = _evidence(EvidenceKind.ENTITY, (*b1, "Hamas"), (*c0, "Hamas"))
    return Report(
        documents=[a, b, c],
        claims=[
            _claim_of(a, 0, EVACUATED_A),
            _claim_of(a, 1, WAR_A),
            _claim_of(b, 0, EVACUATED_B),
            _claim_of(b, 1, WAR_B),
            _claim_of(c, 0, WAR_C),
        ],
        skipped=[
            Skipped(
                document="c",
                start=0,
                end=18,
                text="Share this article",
                reason=SkipReason.SHARE_PROMPT,
            )
        ],
        clusters=[
            Cluster(id="e1", claims=["a:0", "b:0"]),
            Cluster(id="e2", claims=["a:1", "b:1", "c:0"]),
        ],
        relations=[
            Relation(
                label=Label.CONTRADICT, claims=("a:0", "b:0"), score=0.7019, evidence=[number, day]
            ),
            Relation(
                label=Label.AGREE,
                claims=("a:1", "b:1"),
                score=0.63,
                evidence=[war_day, hamas_ab, israel_ab],
            ),
            Relation(label=Label.AGREE, claims=("a:1", "c:0"), score=0.9, evidence=[hamas_ac]),
            Relation(label=Label.AGREE, claims=("b:1", "c:0"), score=0.6, evidence=[hamas_bc]),
        ],
    )


@pytest.fixture(scope="module")
def report() -> Report:
    return build_report()


# ---------------------------------------------------------------------------
# A tiny DOM for the HTML tests


@attrs.define
class Node:
    tag: str
    attrs: dict[str, str]
    children: list[Node | str] = attrs.field(factory=list)

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def iter(self) -> list[Node]:
        out = [self]
        for c in self.children:
            if isinstance(c, Node):
                out += c.iter()
        return out

    def find_all(self, tag: str, **attrs: str) -> list[Node]:
        return [
            n
            for n in self.iter()
            if n.tag == tag and all(n.attrs.get(k.replace("_", "-")) == v for k, v in attrs.items())
        ]

    def has_class(self, name: str) -> bool:
        return name in self.attrs.get("class", "").split()


_VOID = {"meta", "br", "hr", "img", "input", "link", "wbr", "col", "source"}


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in _VOID:
            self.stack.append(node)

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:
            return
        assert self.stack[-1].tag == tag, f"</{tag}> closes <{self.stack[-1].tag}>"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse_html(page: str) -> Node:
    builder = _TreeBuilder()
    builder.feed(page)
    builder.close()
    assert builder.stack == [builder.root], "unclosed elements"
    return builder.root


def check_marks_are_evidence(dom: Node, data: dict, texts: dict[str, str]) -> int:
    """Every highlighted value in each relation card is that relation's evidence, and
    every evidence value is highlighted unless it partly overlaps a highlighted one.

    Returns the number of marks checked. Shared with the browser test, which
    runs it on the DOM Chromium renders.
    """
    claims = {c["id"]: c for c in data["claims"]}
    cards = [n for n in dom.iter() if n.tag == "article" and n.has_class("relation")]
    assert len(cards) == len(data["relations"])
    checked = 0
    for card in cards:
        relation = data["relations"][int(card.attrs["data-relation"])]
        assert card.attrs["data-label"] == relation["label"]
        quotes = card.find_all("blockquote")
        assert [q.attrs["data-claim"] for q in quotes] == relation["claims"]
        for side, quote in zip(("a", "b"), quotes, strict=True):
            doc = claims[quote.attrs["data-claim"]]["document"]
            expected = {
                (e["kind"], tuple(e[f"{side}_span"]), e[side], e["same"])
                for e in relation["evidence"]
                if e["kind"] != "wording" and e[f"{side}_span"] is not None
            }
            marks = quote.find_all("mark")
            shown = set()
            for m in marks:
                start, end = int(m.attrs["data-start"]), int(m.attrs["data-end"])
                assert m.text() == texts[doc][start:end]
                shown.add(
                    (m.attrs["data-kind"], (start, end), m.text(), m.attrs["data-same"] == "true")
                )
                assert m.has_class("conflict") == (m.attrs["data-same"] == "false")
                checked += 1
            assert shown <= expected
            for kind, (start, end), value, same in expected - shown:
                # One-sided context (a hedge, an attribution) is not a conflict
                # and is not highlighted; every conflicting value is.
                context = kind in {"hedge", "attribution"}
                assert same or context, f"conflicting {kind} {value!r} is not highlighted"
                if context:
                    continue
                assert any(
                    s < end
                    and start < e
                    and not (s <= start and end <= e)
                    and not (start <= s and e <= end)
                    for _, (s, e), _, _ in shown
                ), f"{kind} {value!r} is neither highlighted nor hidden by an overlap"
    return checked


def check_links_resolve(dom: Node) -> None:
    ids = {n.attrs["id"] for n in dom.iter() if "id" in n.attrs}
    for n in dom.iter():
        href = n.attrs.get("href")
        if href is not None:
            assert href.startswith("#"), href
            assert href[1:] in ids, href


def check_self_contained(page: str) -> None:
    dom = parse_html(page)
    for n in dom.iter():
        assert n.tag not in {"script", "link", "img", "iframe", "object", "embed", "base"}, n.tag
        for name in ("src", "href", "action", "srcset", "poster", "data"):
            value = n.attrs.get(name)
            if value is not None:
                assert value.startswith("#"), (n.tag, value)
    assert not re.search(r"https?:|//[a-z0-9]|@import|url\(", page, flags=re.I)


# ---------------------------------------------------------------------------
# Corroboration and score filtering


def test_corroboration_counts_other_documents_per_claim(report: Report) -> None:
    by_claim = {c.claim: c for c in report.corroboration()}
    assert [c.claim for c in report.corroboration()] == [c.id for c in report.claims]
    assert by_claim["a:0"] == Corroboration(
        claim="a:0",
        document="a",
        contradicting=["b"],
        supporting_sources=["document:a"],
        contradicting_sources=["document:b"],
    )
    assert by_claim["b:0"].contradicting == ("a",)
    assert by_claim["a:1"].agreeing == ("b", "c")
    assert by_claim["a:1"].agree_count == 2
    assert by_claim["c:0"].agree_count == 2
    assert by_claim["c:0"].contradict_count == 0


def test_corroboration_counts_a_document_once_however_many_claims_agree(report: Report) -> None:
    # b:0 and b:1 both agree with a:0 (and b:1 also contradicts it): b counts once each way.
    wording = Evidence(kind=EvidenceKind.WORDING, a="x", b="y", a_span=None, b_span=None)
    extra = [
        Relation(label=Label.AGREE, claims=("a:0", "b:1"), score=0.5, evidence=[wording]),
        Relation(label=Label.CONTRADICT, claims=("a:0", "b:1"), score=0.5, evidence=[wording]),
        Relation(label=Label.AGREE, claims=("a:0", "b:0"), score=0.5, evidence=[wording]),
    ]
    counts = attrs.evolve(report, relations=[*report.relations, *extra]).corroboration()
    assert counts[0] == Corroboration(
        claim="a:0",
        document="a",
        agreeing=["b"],
        contradicting=["b"],
        supporting_sources=["document:a", "document:b"],
        contradicting_sources=["document:b"],
    )


def test_with_min_score_keeps_the_relations_at_or_above_it(report: Report) -> None:
    scores = sorted(round(r.score, 4) for r in report.relations)
    assert report.with_min_score(0.0) == report
    kept = report.with_min_score(scores[1])
    assert sorted(round(r.score, 4) for r in kept.relations) == scores[1:]
    assert kept.claims == report.claims
    assert kept.clusters == report.clusters
    assert report.with_min_score(1.0).relations == ()


@pytest.mark.parametrize("bad", [-0.1, 1.5, float("nan"), "0.5", True])
def test_with_min_score_refuses_a_value_outside_0_1(report: Report, bad: object) -> None:
    with pytest.raises(ConfigError, match="min_score"):
        report.with_min_score(bad)  # type: ignore[arg-type]


# ---------------------------------------------------------------------------
# Relation export


def test_relation_rows_are_flat_and_index_the_documents(report: Report) -> None:
    texts = {d.id: d.text for d in report.documents}
    rows = report.relation_rows()
    assert len(rows) == len(report.relations)
    for row, relation in zip(rows, report.relations, strict=True):
        assert tuple(row) == RELATION_COLUMNS
        assert (row["claim_a"], row["claim_b"]) == relation.claims
        assert row["label"] == relation.label.value
        for side in ("a", "b"):
            text = texts[str(row[f"document_{side}"])]
            assert text[int(row[f"start_{side}"]) : int(row[f"end_{side}"])] == row[f"text_{side}"]
    contradiction = next(r for r in rows if r["label"] == "contradict")
    assert contradiction["evidence"] == (
        "number: “At least 63,500 Israelis” ≠ “Some 12,000 Israelis”; "
        "date: “Oct. 8, 2023” = “Oct. 8, 2023”"
    )
    assert contradiction["evidence_kinds"] == "number;date"
    assert contradiction["conflicts"] == 1
    assert contradiction["cluster"] in {c.id for c in report.clusters}


def test_csv_and_jsonl_hold_the_same_rows(report: Report) -> None:
    from_csv = list(csv.DictReader(io.StringIO(report.to_csv())))
    from_jsonl = [json.loads(line) for line in report.to_jsonl().splitlines()]
    assert report.to_csv().splitlines()[0] == ",".join(RELATION_COLUMNS)
    assert from_jsonl == report.relation_rows()
    assert [{k: str(v) for k, v in row.items()} for row in from_jsonl] == from_csv


def test_exports_of_a_report_without_relations_are_a_header_and_nothing() -> None:
    empty = factcheck.check(
        [Document(id="a", text="Nothing happened.")], embedder=HashingEmbedder()
    )
    assert empty.to_csv() == ",".join(RELATION_COLUMNS) + "\n"
    assert empty.to_jsonl() == ""


# ---------------------------------------------------------------------------
# Markdown


def test_markdown_puts_conflicting_values_in_bold_and_counts_sources(report: Report) -> None:
    text = report.to_markdown()
    contradictions = text.split("## Contradictions", 1)[1].split("## Agreements", 1)[0]
    assert "- **a**: **At least 63,500 Israelis** were evacuated on Oct. 8, 2023." in contradictions
    assert "- **b**: **Some 12,000 Israelis** were evacuated on Oct. 8, 2023." in contradictions
    assert "  - number: “At least 63,500 Israelis” ≠ “Some 12,000 Israelis”" in contradictions
    assert f"- `a:0` {EVACUATED_A} — *contradicted by 1 source*" in text
    assert f"- `a:1` {WAR_A} — *agreed by 2 sources*" in text


def test_markdown_escapes_emphasis_characters_of_the_articles() -> None:
    sentence = "The *new* plan_b was approved by {} lawmakers."
    a = Document(id="a", text=sentence.format(300))
    b = Document(id="b", text=sentence.format(200))
    number = _evidence(
        EvidenceKind.NUMBER,
        (a, a.text, "300 lawmakers"),
        (b, b.text, "200 lawmakers"),
        same=False,
    )
    report = Report(
        documents=[a, b],
        claims=[_claim_of(a, 0, a.text), _claim_of(b, 0, b.text)],
        skipped=[],
        clusters=[Cluster(id="e1", claims=["a:0", "b:0"])],
        relations=[
            Relation(label=Label.CONTRADICT, claims=("a:0", "b:0"), score=0.8, evidence=[number])
        ],
    )
    text = report.to_markdown()
    assert r"- **a**: The \*new\* plan\_b was approved by **300 lawmakers**." in text
    assert r"- `b:0` The \*new\* plan\_b was approved by 200 lawmakers." in text


# ---------------------------------------------------------------------------
# HTML


def test_html_is_one_self_contained_page(report: Report) -> None:
    page = report.to_html()
    assert page.startswith("<!DOCTYPE html>")
    check_self_contained(page)
    assert "Content-Security-Policy" in page


def test_html_marks_are_the_evidence_spans(report: Report) -> None:
    dom = parse_html(report.to_html())
    texts = {d.id: d.text for d in report.documents}
    assert check_marks_are_evidence(dom, report.to_dict(), texts) >= 4
    conflicts = [m.text() for m in dom.find_all("mark") if m.attrs.get("data-same") == "false"]
    assert "At least 63,500 Israelis" in conflicts
    assert "Some 12,000 Israelis" in conflicts


def test_html_shows_the_claims_of_an_event_side_by_side_by_source(report: Report) -> None:
    dom = parse_html(report.to_html())
    clusters = [n for n in dom.iter() if n.tag == "section" and n.has_class("cluster")]
    assert len(clusters) == 2
    # The event with a contradiction comes first.
    first = clusters[0]
    assert first.has_class("has-contradiction")
    sources = [n for n in first.iter() if n.tag == "div" and n.has_class("source")]
    assert [s.attrs["data-document"] for s in sources] == ["a", "b"]
    cards = [n for n in first.iter() if n.tag == "div" and n.has_class("claim")]
    assert [c.attrs["data-claim"] for c in cards] == ["a:0", "b:0"]
    assert [c.attrs["data-contradict"] for c in cards] == ["1", "1"]
    assert "contradicted by 1 source" in cards[0].text()
    agree = clusters[1]
    counts = {
        c.attrs["data-claim"]: c.attrs["data-agree"]
        for c in agree.iter()
        if c.tag == "div" and c.has_class("claim")
    }
    assert counts == {"a:1": "2", "b:1": "2", "c:0": "2"}


def test_html_relations_show_label_score_and_typed_evidence(report: Report) -> None:
    dom = parse_html(report.to_html())
    cards = [n for n in dom.iter() if n.tag == "article" and n.has_class("relation")]
    for card in cards:
        relation = report.relations[int(card.attrs["data-relation"])]
        assert card.has_class(relation.label.value)
        assert f"score {relation.score:.2f}" in card.text()
        rows = card.find_all("tr")[1:]
        assert [r.find_all("td")[0].text() for r in rows] == [
            e.kind.value for e in relation.evidence
        ]
    contradiction = next(c for c in cards if c.has_class("contradict"))
    row = contradiction.find_all("tr")[1]
    assert row.has_class("conflict")
    assert [td.text() for td in row.find_all("td")] == [
        "number",
        "At least 63,500 Israelis",
        "≠",
        "Some 12,000 Israelis",
    ]


def test_html_links_every_claim_to_its_place_in_the_full_text(report: Report) -> None:
    dom = parse_html(report.to_html())
    check_links_resolve(dom)
    anchors = {n.attrs["data-claim"]: n for n in dom.iter() if n.has_class("claim-text")}
    assert set(anchors) == {c.id for c in report.claims}
    for i, claim in enumerate(report.claims):
        anchor = anchors[claim.id]
        assert anchor.attrs["id"] == f"text-{i}"
        assert anchor.text() == claim.text
        card = next(n for n in dom.iter() if n.attrs.get("id") == f"claim-{i}")
        assert card.attrs["data-claim"] == claim.id
        assert any(n.attrs.get("href") == f"#text-{i}" for n in card.iter())
    # The full text is the document's text, every character, in order.
    for k, doc in enumerate(report.documents):
        article = next(n for n in dom.iter() if n.attrs.get("id") == f"doc-{k}")
        full = next(n for n in article.iter() if n.has_class("fulltext"))
        assert full.text() == doc.text
    skipped = [n for n in dom.iter() if n.has_class("skipped")]
    assert [s.text() for s in skipped] == ["Share this article"]


def test_html_escapes_everything_from_the_articles() -> None:
    evil = '<script>alert("x")</script> & <b>300</b> people were hurt on Oct. 8, 2023.'
    docs = [
        Document(id='a"><script>', text=evil, title="<i>T</i>"),
        Document(id="b", text=evil.replace("300", "200")),
    ]
    report = factcheck.check(docs, embedder=HashingEmbedder())
    page = report.to_html()
    for tag in ("<script>", "<b>", "<i>"):
        assert tag not in page
    dom = parse_html(page)
    texts = {d.id: d.text for d in report.documents}
    check_marks_are_evidence(dom, report.to_dict(), texts)
    check_links_resolve(dom)
    assert [n.text() for n in dom.iter() if n.has_class("fulltext")] == [
        d.text for d in report.documents
    ]


def _claim(doc: Document, facts: list[Fact]) -> Claim:
    return Claim(
        id=f"{doc.id}:0",
        document=doc.id,
        sentence=0,
        start=0,
        end=len(doc.text),
        text=doc.text,
        facts=facts,
    )


def test_html_nests_a_value_inside_another_and_drops_a_partial_overlap() -> None:
    a = Document(id="a", text="Some 63,500 Israelis fled.")
    b = Document(id="b", text="Some 12,000 Israelis fled.")
    number = Evidence(
        kind=EvidenceKind.NUMBER,
        a="63,500 Israelis",
        b="12,000 Israelis",
        a_span=(5, 20),
        b_span=(5, 20),
        same=False,
    )
    inside = Evidence(
        kind=EvidenceKind.ENTITY, a="Israelis", b="Israelis", a_span=(12, 20), b_span=(12, 20)
    )
    partial = Evidence(
        kind=EvidenceKind.ENTITY, a="Israelis fled", b="", a_span=(12, 25), b_span=None
    )
    wording = Evidence(
        kind=EvidenceKind.WORDING, a=a.text, b=b.text, a_span=(0, 26), b_span=(0, 26)
    )
    relation = Relation(
        label=Label.CONTRADICT,
        claims=("a:0", "b:0"),
        score=0.8,
        evidence=[number, inside, partial, wording],
    )
    report = Report(
        documents=[a, b],
        claims=[_claim(a, []), _claim(b, [])],
        skipped=[],
        clusters=[Cluster(id="e1", claims=["a:0", "b:0"])],
        relations=[relation],
    )
    page = report.to_html()
    assert (
        '<mark class="ev ev-number conflict" data-kind="number" data-start="5" data-end="20" '
        'data-same="false" title="number: conflicting value">63,500 '
        '<mark class="ev ev-entity match"'
    ) in page
    dom = parse_html(page)
    check_marks_are_evidence(dom, report.to_dict(), {"a": a.text, "b": b.text})
    quote_a = dom.find_all("blockquote", data_side="a")[0]
    assert [m.text() for m in quote_a.find_all("mark")] == ["63,500 Israelis", "Israelis"]
    # Markdown bolds the outer conflicting value only.
    assert "- **a**: Some **63,500 Israelis** fled." in report.to_markdown()


def test_html_of_a_report_without_documents_is_still_a_page() -> None:
    report = Report(documents=[], claims=[], skipped=[], clusters=[], relations=[])
    dom = parse_html(report.to_html())
    assert "0 contradictions" in dom.text()


def test_html_with_a_number_value_in_facts_renders(report: Report) -> None:
    # Facts are not drawn in the page, but a report holding them renders all the same.
    doc = Document(id="a", text="180 missiles.")
    fact = Fact(
        kind=FactKind.NUMBER,
        start=0,
        end=12,
        text="180 missiles",
        value=NumberValue(low=180, high=180),
    )
    single = Report(
        documents=[doc],
        claims=[_claim(doc, [fact])],
        skipped=[],
        clusters=[Cluster(id="e1", claims=["a:0"])],
        relations=[],
    )
    dom = parse_html(single.to_html())
    assert dom.find_all("li", id="claim-0")[0].attrs["data-claim"] == "a:0"


# ---------------------------------------------------------------------------
# The seeds, with the real model


@pytest.mark.model
def test_seed_report_html_marks_are_the_evidence_spans(seed_report: Report) -> None:
    page = seed_report.to_html()
    check_self_contained(page)
    dom = parse_html(page)
    texts = {d.id: d.text for d in seed_report.documents}
    assert check_marks_are_evidence(dom, seed_report.to_dict(), texts) > 0
    check_links_resolve(dom)


@pytest.mark.model
def test_seed_exports_have_one_row_per_relation(seed_report: Report) -> None:
    rows = list(csv.DictReader(io.StringIO(seed_report.to_csv())))
    assert len(rows) == len(seed_report.relations)
    assert [
        json.loads(x) for x in seed_report.to_jsonl().splitlines()
    ] == seed_report.relation_rows()


def test_the_screenshot_of_the_seed_report_is_in_the_docs() -> None:
    png = (ROOT / "docs" / "seed-report.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert (width, height) == (1280, 2000)
    assert "seed-report.png" in (ROOT / "docs" / "quickstart.md").read_text()


@pytest.mark.xfail(
    strict=True,
    reason="an acronym is linked to the name spelled out in its own document only; the "
    "hand-written alias table that linked WSJ across documents was story data and is gone",
)
def test_two_articles_quoting_one_outlet_are_one_independent_source() -> None:
    from factcheck import Document, check
    from factcheck.embedding import HashingEmbedder

    event = "Iran launched 180 missiles at Israel on Oct. 1, 2024"
    report = check(
        [
            Document(id="a", text=f"{event}, The Wall Street Journal reported."),
            Document(id="b", text=f"{event}, U.S. officials told the WSJ."),
            Document(id="c", text=f"{event}."),
        ],
        embedder=HashingEmbedder(),
    )
    by_claim = {c.claim: c for c in report.corroboration()}
    assert by_claim["c:0"].agreeing == ("a", "b")  # two other documents agree...
    # ...but they rest on one outlet: with c itself, two independent sources.
    assert by_claim["c:0"].supporting_sources == ("document:c", "wall street journal")
    assert by_claim["a:0"].supporting_sources == ("document:c", "wall street journal")
    data = report.to_dict()["corroboration"]
    assert {row["claim"] for row in data} == {"a:0", "b:0", "c:0"}


@pytest.mark.parametrize("indent", [2, 0, 4, None, "\t", -1])
def test_json_text_is_json_dumps_of_to_dict(report: Report, indent: int | str | None) -> None:
    # to_json writes indented text itself, one item at a time: the same bytes.
    expected = json.dumps(report.to_dict(), indent=indent, ensure_ascii=False)
    assert report.to_json(indent=indent) == expected  # type: ignore[arg-type]


def test_seed_report_json_text_is_json_dumps_of_to_dict(seed_report: Report) -> None:
    expected = json.dumps(seed_report.to_dict(), indent=2, ensure_ascii=False)
    assert seed_report.to_json() == expected


def test_indented_json_writes_what_json_writes_for_any_plain_value() -> None:
    odd: list[object] = [
        None, True, False, 0, -7, 10**30, 1.5, -0.0, 1e300, 5e-324,
        math.inf, -math.inf, math.nan, "", "é “quoted” \\ \" \n \x00 \u2028 😀",
        [], {}, (), [[]], {"": {}}, (1, [2, (3,)]), {"a": [{"b": None}], "c": "d"},
    ]  # fmt: skip
    sections = [("first", [{"v": v} for v in odd]), ("empty", []), ("ü", [{"x": odd}])]
    for indent in (2, 0, 3, "··", -2):
        expected = json.dumps(
            {key: list(items) for key, items in sections}, indent=indent, ensure_ascii=False
        )
        assert _indented_json(sections, indent) == expected


def test_indented_json_refuses_what_it_leaves_to_json() -> None:
    with pytest.raises(_NotPlainJSON):
        _indented_json([("a", [{"x": {1: "int key"}}])], 2)
    with pytest.raises(_NotPlainJSON):
        _indented_json([("a", [{"x": object()}])], 2)
