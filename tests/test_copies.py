"""Copies: identical and near-identical documents are one source and never contradict."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

import factcheck
from factcheck import Checker, Document
from factcheck.copies import CopyDetector
from factcheck.embedding import HashingEmbedder
from factcheck.records import CopyGroup

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
FAST = Checker(embedder=HashingEmbedder())

STORY = (
    "Floodwaters swept through the river town of Millbrook on Monday, and the mayor said "
    "25 people died. Rescue teams pulled 40 residents from rooftops overnight, officials "
    "said. The river crested at 9 meters on Tuesday morning, the highest level since 1998. "
    "Schools and the main bridge stayed closed, and the regional governor asked the army "
    "for help with the evacuation of the lower districts."
)


def _seed(path: Path) -> Document:
    return Document.from_path(path)


# ---------------------------------------------------------------------------
# The detector


def test_identical_texts_are_copies_whatever_the_spacing_and_case() -> None:
    texts = [STORY, STORY.upper(), textwrap.fill(STORY, 40).replace(" ", "\u00a0", 3), "Other."]
    groups = CopyDetector().find(["a", "b", "c", "d"], texts)
    assert groups == (CopyGroup(documents=["a", "b", "c"], identical=True, similarity=1.0),)


def test_a_wire_copy_with_a_footer_and_one_edit_is_a_near_copy() -> None:
    footer = " Copyright 2024 The Wire. All rights reserved."
    edited = STORY.replace("25 people", "12 people") + footer
    (group,) = CopyDetector().find(["a", "b"], [STORY, edited])
    assert group.documents == ("a", "b")
    assert not group.identical
    assert 0.7 <= group.similarity < 1.0  # linked by containment: b holds all of a


def test_different_stories_and_short_texts_are_not_copies() -> None:
    short_a = "Officials said talks went well on Monday."
    short_b = "Officials said talks went badly on Monday."
    seeds = [p.read_text(encoding="utf-8") for p in SEEDS]
    assert CopyDetector().find(["a", "b"], [short_a, short_b]) == ()
    assert CopyDetector().find([p.stem for p in SEEDS], seeds) == ()
    assert CopyDetector().find(["e", "f"], ["", "  "]) == ()


def test_copy_groups_do_not_depend_on_document_order() -> None:
    edited = STORY.replace("25 people", "12 people")
    texts = {"a": STORY, "b": edited, "c": "Something else entirely.", "d": STORY}
    first = CopyDetector().find(list(texts), list(texts.values()))
    rev = list(reversed(texts))
    assert CopyDetector().find(rev, [texts[k] for k in rev]) == first


def test_the_detector_validates_its_settings() -> None:
    with pytest.raises(factcheck.ConfigError, match="threshold"):
        CopyDetector(threshold=1.5)
    with pytest.raises(factcheck.ConfigError, match="bands must divide"):
        CopyDetector(permutations=100, bands=32)
    with pytest.raises(factcheck.ConfigError, match="2 ids for 1 texts"):
        CopyDetector().find(["a", "b"], ["x"])


# ---------------------------------------------------------------------------
# In the pipeline


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.stem[:3])
def test_every_seed_article_against_its_own_copy_is_one_source(path: Path) -> None:
    doc = _seed(path)
    copy = Document(id=f"{doc.id}-copy", text=path.read_bytes().decode("utf-8"))
    report = FAST.check([doc, copy])
    assert report.relations == ()
    assert [(g.documents, g.identical) for g in report.copies] == [((doc.id, copy.id), True)]


@pytest.mark.model
@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.stem[:3])
def test_every_seed_article_against_its_own_copy_with_the_real_model(path: Path) -> None:
    doc = _seed(path)
    copy = Document(id=f"{doc.id}-copy", text=path.read_bytes().decode("utf-8"))
    report = factcheck.check([doc, copy])
    assert report.contradictions == ()
    assert report.agreements == ()
    assert report.copies[0].documents == (doc.id, copy.id)


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.stem[:3])
def test_a_rewrapped_copy_with_odd_spaces_is_an_identical_copy(path: Path) -> None:
    doc = _seed(path)
    text = "\n\n".join(textwrap.fill(line, 70) for line in doc.text.splitlines() if line.strip())
    copy = Document(id="copy", text=text.replace(" ", "\u00a0", 20).replace("U.S.", "U.S.\u200b"))
    report = FAST.check([doc, copy])
    assert report.relations == ()
    assert [(g.documents, g.identical) for g in report.copies] == [((doc.id, "copy"), True)]


def test_an_edited_figure_between_two_versions_is_still_a_contradiction() -> None:
    edited = STORY.replace("25 people", "12 people")
    report = FAST.check([Document(id="v1", text=STORY), Document(id="v2", text=edited)])
    assert [g.documents for g in report.copies] == [("v1", "v2")]
    # Only the edited sentence is compared with its other version.
    assert [(r.label.value, r.claims) for r in report.relations] == [
        ("contradict", ("v1:0", "v2:0"))
    ]


def test_copies_never_corroborate_each_other_and_count_once() -> None:
    other = (
        "Officials in Millbrook said 25 people died in the flood on Monday, and rescue teams "
        "pulled 40 residents from rooftops."
    )
    report = FAST.check(
        [
            Document(id="wire", text=STORY),
            Document(id="wire-copy", text=STORY),
            Document(id="local", text=other),
        ]
    )
    assert [g.documents for g in report.copies] == [("wire", "wire-copy")]
    docs_of = {c.id: c.document for c in report.claims}
    pair = {"wire", "wire-copy"}
    between = [r for r in report.relations if {docs_of[c] for c in r.claims} == pair]
    assert between == []
    by_claim = {c.claim: c for c in report.corroboration()}
    local = by_claim["local:0"]
    # Both copies agree with the local report, as one independent source.
    assert local.agreeing == ("wire", "wire-copy")
    assert local.independent_agreeing == ("wire",)
    assert local.agree_count == 1
    assert "document:wire-copy" not in local.supporting_sources
    # The copies' claims are in one event, and no copy corroborates the other.
    cluster = next(cl for cl in report.clusters if "local:0" in cl.claims)
    assert {docs_of[c] for c in cluster.claims} == {"local", "wire", "wire-copy"}
    for c in report.corroboration():
        if c.document.startswith("wire"):
            assert c.independent_agreeing in ((), ("local",))
    markdown = report.to_markdown()
    assert "## Copies" in markdown
    assert "- `wire`, `wire-copy` — identical" in markdown
    assert "(a copy of `wire`)" in markdown
    data = report.to_dict()
    assert data["copies"] == [
        {"documents": ["wire", "wire-copy"], "identical": True, "similarity": 1.0}
    ]
    assert "wire-copy" in report.to_html()


def test_copies_can_be_turned_off() -> None:
    report = Checker(embedder=HashingEmbedder(), copies=None).check(
        [Document(id="a", text=STORY), Document(id="b", text=STORY)]
    )
    assert report.copies == ()
    assert report.agreements
